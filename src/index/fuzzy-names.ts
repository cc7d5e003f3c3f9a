/**
 * FuzzyNames: the catalogue's entity names, searchable with typos. A name is the key (analysis/name-key.ts) of
 * an entity's title, of its title's core ("Bohemian Rhapsody - 2011 Mix" → "bohemian rhapsody") and of each value
 * of its name-like fields (default `artist`). Each distinct name is stored once, in a TrigramIndex, with a chain
 * of carriers (doc, field) in flat typed arrays; it follows the catalogue live through `index.subscribe`.
 *
 * A query span q matches a name n when both hold (the definition the index is exact with respect to):
 *   d = OSA(q, n) ≤ k(q) = min(maxEdits, ⌊(g − minSharedTrigrams)/4⌋), g the distinct padded trigrams of q
 *     (its length, unless letters repeat): with the defaults a word of up to 4 letters must match exactly,
 *     5–8 characters may have 1 edit, longer spans 2 ("ed sheren"). Each edit destroys at most 4
 *     trigrams, so a match still shares ≥ minSharedTrigrams with q: the count filter of candidate generation;
 *   similarity(q, n) = ½ (1 − d / max(|q|, |n|)) + ½ JaroWinkler(q, n) ≥ minSimilarity.
 * The edit part counts typos against length; Jaro–Winkler rewards a shared start, which is where people
 * type most carefully. Both are 1 only for equal strings.
 */
import { nameKey, nameTokens, titleCore } from '../analysis/name-key.js';
import { boundedOsaDistance, jaroWinkler } from '../analysis/string-distance.js';
import type { Entity } from '../catalog/entity.js';
import { createError } from '../errors.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import type { RetrievalResources } from '../retrieval/resources.js';
import { ensureCapacity } from './growable.js';
import type { SearchIndex } from './search-index.js';
import { TrigramIndex } from './trigram-index.js';

export const FUZZY_NAME_OPTIONS = {
  maxEdits: { kind: 'number', default: 2, min: 0, max: 8, integer: true, description: 'most edits between a query span and a name (shorter spans get fewer: see k(q))' },
  minSimilarity: { kind: 'number', default: 0.8, min: 0, max: 1, description: 'least similarity ½(1 − d/maxLength) + ½·JaroWinkler for a name to match' },
  minSharedTrigrams: { kind: 'number', default: 1, min: 1, max: 8, integer: true, description: 'trigrams a match must keep; fewer edits for short spans, fewer candidates (see k(q))' },
  maxSpanTokens: { kind: 'number', default: 6, min: 1, max: 16, integer: true, description: 'longest run of query words compared with names' },
} as const;

export type FuzzyNamesOptions = Partial<ResolvedOptions<typeof FUZZY_NAME_OPTIONS>> & {
  /** Entity fields whose values are names, besides the title (default ["artist"]). */
  nameFields?: string[];
};

/** Only the first words of a query are compared with names: it bounds the spans (≤ 16 · maxSpanTokens). */
export const MAX_QUERY_TOKENS = 16;
const MAX_FIELDS = 255;
const FIELD_KEY_CACHE = 100_000;

export interface NameMatch {
  name: number;
  text: string;
  distance: number;
  similarity: number;
}

/** A name matched by the query's words [start, end). */
export interface SpanMatch extends NameMatch {
  start: number;
  end: number;
  /** The span's share of the query's characters (spaces aside), in (0, 1]. */
  coverage: number;
}

/** One name an entity carries: its key, field code (0 = title) and share of the title (1 outside the title). */
export interface EntityName {
  key: string;
  field: number;
  share: number;
}

export function nameSimilarity(query: string, name: string, distance: number): number {
  return 0.5 * (1 - distance / Math.max(query.length, name.length)) + 0.5 * jaroWinkler(query, name);
}

export class FuzzyNames {
  readonly options: ResolvedOptions<typeof FUZZY_NAME_OPTIONS>;
  /** Field names by code: 0 is the title, then the name fields. */
  readonly fields: readonly string[];
  private readonly names = new TrigramIndex();
  /** Per name: carriers whose entity is live. A name with none never matches. */
  private nameLive = new Int32Array(1024);
  private nameHead = new Int32Array(1024).fill(-1);
  private carrierDoc = new Int32Array(1024);
  private carrierField = new Uint8Array(1024);
  private carrierNext = new Int32Array(1024);
  private carrierCount = 0;
  private deadCarriers = 0;
  /** Per doc: the length of its title's key, which title shares are measured against. */
  private titleLength = new Uint16Array(1024);
  private readonly unsubscribe: () => void;
  private readonly fieldKeys = new Map<string, string>();

  constructor(
    readonly index: SearchIndex,
    options: FuzzyNamesOptions = {},
  ) {
    const { nameFields = ['artist'], ...numeric } = options;
    this.options = resolveOptions(FUZZY_NAME_OPTIONS, numeric, 'fuzzyNames.');
    if (!Array.isArray(nameFields) || nameFields.length >= MAX_FIELDS || nameFields.some((f) => typeof f !== 'string' || f === '' || f === 'title')) {
      throw createError('OPTION_OUT_OF_RANGE', 'fuzzyNames.nameFields', nameFields, `a list of fewer than ${MAX_FIELDS} field names other than "title"`);
    }
    this.fields = ['title', ...nameFields];
    index.entities.forEach((entity, doc) => {
      if (entity) this.carry(entity, doc, true);
    });
    this.names.compact();
    this.unsubscribe = index.subscribe({
      added: (entity) => this.carry(entity, index.docId(entity.id)!, false),
      removed: (entity) => this.drop(entity),
    });
  }

  /** Stops following the index. */
  dispose(): void {
    this.unsubscribe();
  }

  /** Distinct names ever stored (live or not). */
  get nameCount(): number {
    return this.names.size;
  }

  nameText(name: number): string {
    return this.names.text(name);
  }

  /** k(q): the most edits a span may be from a name. */
  maxEditsFor(key: string): number {
    return Math.min(this.options.maxEdits, this.names.safeEdits(key, this.options.minSharedTrigrams));
  }

  /**
   * The similarity of `key` to `name` if they match (see the module comment), else undefined. `k` is
   * maxEditsFor(key), which a caller comparing one key with many names can compute once.
   */
  similarityOf(key: string, name: string, k = this.maxEditsFor(key)): { distance: number; similarity: number } | undefined {
    const distance = boundedOsaDistance(key, name, k);
    if (distance > k) return undefined;
    const similarity = nameSimilarity(key, name, distance);
    return similarity >= this.options.minSimilarity ? { distance, similarity } : undefined;
  }

  /** Every live name matching the name key `key`, most similar first (ties: name id). */
  matchName(key: string): NameMatch[] {
    const out: NameMatch[] = [];
    if (key === '') return out;
    this.names.search(key, this.maxEditsFor(key), (name, distance) => {
      if (this.nameLive[name] <= 0) return;
      const text = this.names.text(name);
      const similarity = nameSimilarity(key, text, distance);
      if (similarity >= this.options.minSimilarity) out.push({ name, text, distance, similarity });
    });
    return out.sort((a, b) => b.similarity - a.similarity || a.name - b.name);
  }

  /** The query's words (name-key tokens, at most MAX_QUERY_TOKENS) and their total length. */
  queryWords(text: string): { tokens: string[]; chars: number } {
    const tokens = nameTokens(nameKey(text)).slice(0, MAX_QUERY_TOKENS);
    let chars = 0;
    for (const t of tokens) chars += t.length;
    return { tokens, chars };
  }

  /** Calls `fn(key, start, end, coverage)` for every span of at most maxSpanTokens words, in a fixed order. */
  forEachSpan(text: string, fn: (key: string, start: number, end: number, coverage: number) => void): void {
    const { tokens, chars } = this.queryWords(text);
    for (let start = 0; start < tokens.length; start++) {
      let spanChars = 0;
      const last = Math.min(tokens.length, start + this.options.maxSpanTokens);
      for (let end = start + 1; end <= last; end++) {
        spanChars += tokens[end - 1].length;
        fn(tokens.slice(start, end).join(' '), start, end, spanChars / chars);
      }
    }
  }

  /** Names matched by any span of the query's words. */
  matchQuery(text: string): SpanMatch[] {
    const out: SpanMatch[] = [];
    this.forEachSpan(text, (key, start, end, coverage) => {
      for (const m of this.matchName(key)) out.push({ ...m, start, end, coverage });
    });
    return out;
  }

  /** Work a query costs: postings its spans read in the trigram index. */
  queryWork(text: string): number {
    let work = 0;
    this.forEachSpan(text, (key) => (work += this.names.work(key, this.maxEditsFor(key))));
    return work;
  }

  /** Calls `visit(doc, field, share)` for each live entity carrying `name`. */
  forEachCarrier(name: number, visit: (doc: number, field: number, share: number) => void): void {
    const length = this.names.text(name).length;
    for (let c = this.nameHead[name]; c >= 0; c = this.carrierNext[c]) {
      const doc = this.carrierDoc[c];
      if (this.index.entities[doc] === undefined) continue;
      const field = this.carrierField[c];
      visit(doc, field, field === 0 ? shareOf(length, this.titleLength[doc]) : 1);
    }
  }

  /** The distinct (key, field) names of an entity: title, title core, name-field values. */
  namesOf(entity: Entity, title = nameKey(entity.title)): EntityName[] {
    const out: EntityName[] = [];
    const push = (key: string, field: number, share: number) => {
      if (key !== '' && !out.some((n) => n.key === key && n.field === field)) out.push({ key, field, share });
    };
    push(title, 0, 1);
    const core = titleCore(entity.title);
    if (core !== undefined) {
      const key = nameKey(core);
      push(key, 0, shareOf(key.length, clampLength(title.length)));
    }
    for (let f = 1; f < this.fields.length; f++) {
      const value = entity.fields?.[this.fields[f]];
      if (typeof value === 'string') push(this.fieldKey(value), f, 1);
      else if (Array.isArray(value)) for (const v of value) push(this.fieldKey(v), f, 1);
    }
    return out;
  }

  /** nameKey of a name-field value, cached: a catalogue repeats its artists on every track. */
  private fieldKey(value: string): string {
    let key = this.fieldKeys.get(value);
    if (key === undefined) {
      if (this.fieldKeys.size >= FIELD_KEY_CACHE) this.fieldKeys.clear();
      key = nameKey(value);
      this.fieldKeys.set(value, key);
    }
    return key;
  }

  /** The name's id in the index (−1 when it is too long to be indexed). */
  nameId(key: string): number {
    return this.names.id(key);
  }

  private carry(entity: Entity, doc: number, bulk: boolean): void {
    const title = nameKey(entity.title);
    this.titleLength = ensureCapacity(this.titleLength, doc + 1);
    this.titleLength[doc] = clampLength(title.length);
    const names = this.namesOf(entity, title);
    this.carrierDoc = ensureCapacity(this.carrierDoc, this.carrierCount + names.length);
    this.carrierField = ensureCapacity(this.carrierField, this.carrierCount + names.length);
    this.carrierNext = ensureCapacity(this.carrierNext, this.carrierCount + names.length);
    for (const { key, field } of names) {
      const name = bulk ? this.names.addBulk(key) : this.names.add(key);
      if (name < 0) continue;
      if (name >= this.nameLive.length) {
        this.nameLive = ensureCapacity(this.nameLive, name + 1);
        this.nameHead = ensureCapacity(this.nameHead, name + 1, -1);
      }
      this.nameLive[name]++;
      const c = this.carrierCount++;
      this.carrierDoc[c] = doc;
      this.carrierField[c] = field;
      this.carrierNext[c] = this.nameHead[name];
      this.nameHead[name] = c;
    }
  }

  private drop(entity: Entity): void {
    for (const { key } of this.namesOf(entity)) {
      const name = this.names.id(key);
      if (name < 0) continue;
      this.nameLive[name]--;
      this.deadCarriers++;
    }
    if (this.deadCarriers > Math.max(10_000, this.carrierCount / 2)) this.rebuildCarriers();
  }

  /** Drops the carriers of removed entities (they are skipped until then) by re-chaining the live ones. */
  private rebuildCarriers(): void {
    this.nameLive.fill(0);
    this.nameHead.fill(-1);
    this.carrierCount = 0;
    this.deadCarriers = 0;
    this.index.entities.forEach((entity, doc) => {
      if (entity) this.carry(entity, doc, false);
    });
  }
}

/** How much of the title a title name covers (1 for the whole title). */
function shareOf(nameLength: number, titleLength: number): number {
  return titleLength > 0 ? Math.min(1, nameLength / titleLength) : 1;
}

function clampLength(length: number): number {
  return Math.min(length, 0xffff);
}

/** The shared fuzzy name index of a catalogue (built on first use, default options). */
export function fuzzyNamesOf(resources: RetrievalResources): FuzzyNames {
  return resources.derived('fuzzy-names', (r) => new FuzzyNames(r.index));
}
