/**
 * SearchIndex: the catalogue's entities, analysed into an inverted index and searchable by BM25F with an
 * optional popularity prior and filters. Entities can be added, replaced and removed at any time; searches
 * see the change at once. This is the lexical core the retrieval strategies build on.
 */
import { Analyzer } from '../analysis/analyzer.js';
import type { FieldTokens } from '../analysis/tokens.js';
import type { Entity } from '../catalog/entity.js';
import { createError } from '../errors.js';
import { type Bm25fParams, NormTables, popularityPrior } from './bm25f.js';
import { explainMatch, type Explanation } from './explain.js';
import { type Filter, matchesFilters } from './filters.js';
import { ensureCapacity } from './growable.js';
import { InvertedIndex } from './inverted-index.js';
import { buildBlocks } from './postings.js';
import { type QueryTerm, type ScoringContext, topKMaxScore } from './maxscore.js';
import { resolveIndexOptions, type SearchIndexOptions, type SearchIndexOptionsInput } from './options.js';

export interface SearchOptions {
  /** How many hits (default 10). */
  k?: number;
  /** Only entities of this type (or these types). */
  type?: string | string[];
  filters?: Filter[];
}

export interface SearchHit {
  id: string;
  doc: number;
  score: number;
}

/** FNV-1a, base 36: a short, stable name for an analyser configuration. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

export interface AnalyzerGroup {
  analyzer: Analyzer;
  prefix: string;
}

/** Told of every live change, so structures derived from the catalogue (fuzzy names, vectors, graph) follow it. */
export interface IndexListener {
  /** `doc` is the entity's doc number in the index. */
  added?(entity: Entity, doc: number): void;
  /** Called once the entity is out of the index; `doc` is the number it had. */
  removed?(entity: Entity, doc: number): void;
}

export interface IndexStats {
  entities: number;
  byType: Record<string, number>;
  terms: number;
  postings: number;
  fields: string[];
}

export class SearchIndex {
  readonly options: SearchIndexOptions;
  /** The index's analyser; fields may have their own (analyzerFor). */
  readonly analyzer: Analyzer;
  private readonly fieldAnalyzers = new Map<string, AnalyzerGroup>();
  inverted = new InvertedIndex();
  /** entities[doc]; undefined once removed or replaced. */
  readonly entities: (Entity | undefined)[] = [];
  private readonly docOf = new Map<string, number>();
  readonly typeNames: string[] = [];
  private readonly typeCodes = new Map<string, number>();
  types: Uint16Array = new Uint16Array(1024);
  popularity: Float64Array = new Float64Array(1024);
  maxPopularity = 0;
  private params: Bm25fParams;
  /** The distinct analyser groups of the indexed fields; changes only when a field is first seen. */
  private queryGroups: AnalyzerGroup[] = [];
  private bulk = false;
  private readonly norms = new NormTables();
  private readonly listeners: IndexListener[] = [];

  constructor(options: SearchIndexOptionsInput | SearchIndexOptions = {}) {
    this.options = resolveIndexOptions(options);
    this.analyzer = new Analyzer(this.options.analyzer);
    this.params = this.buildParams();
  }

  /** Builds an index from entities in one pass (buffered postings, one layout at the end). */
  static build(entities: Iterable<Entity>, options?: SearchIndexOptionsInput, onProgress?: (count: number) => void): SearchIndex {
    const index = new SearchIndex(options);
    index.inverted.beginBulk();
    index.bulk = true;
    let count = 0;
    try {
      for (const entity of entities) {
        index.add(entity);
        if (onProgress && ++count % 10_000 === 0) onProgress(count);
      }
    } finally {
      index.bulk = false;
    }
    index.compact();
    return index;
  }

  get size(): number {
    return this.inverted.liveCount;
  }

  has(id: string): boolean {
    return this.docOf.has(id);
  }

  get(id: string): Entity | undefined {
    const doc = this.docOf.get(id);
    return doc === undefined ? undefined : this.entities[doc];
  }

  /** Registers a listener for adds, replaces (a remove then an add) and removes; returns its unsubscribe. */
  subscribe(listener: IndexListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** Adds an entity, replacing any entity with the same id. Returns its doc number. */
  add(entity: Entity): number {
    // A bulk build skips the look-up before the add (one hash probe of a million-entry map per entity) and
    // catches the rare duplicate afterwards instead.
    if (!this.bulk) this.remove(entity.id);
    const fieldsBefore = this.inverted.fieldCount;
    const doc = this.inverted.add(this.analyzeEntity(entity));
    if (this.inverted.fieldCount !== fieldsBefore) this.params = this.buildParams();
    this.entities[doc] = entity;
    const known = this.docOf.size;
    this.docOf.set(entity.id, doc);
    if (this.bulk && this.docOf.size === known) this.removeEarlierCopy(entity.id, doc);
    this.types = ensureCapacity(this.types, doc + 1);
    this.popularity = ensureCapacity(this.popularity, doc + 1);
    this.types[doc] = this.typeCode(entity.type);
    const popularity = entity.popularity ?? 0;
    this.popularity[doc] = popularity;
    if (popularity > this.maxPopularity) this.maxPopularity = popularity;
    for (const listener of this.listeners) listener.added?.(entity, doc);
    return doc;
  }

  /** Removes the entity with this id; returns false if there was none. */
  remove(id: string): boolean {
    const doc = this.docOf.get(id);
    if (doc === undefined) return false;
    this.removeDoc(doc);
    this.docOf.delete(id);
    return true;
  }

  private removeDoc(doc: number): void {
    const entity = this.entities[doc]!;
    this.inverted.remove(doc, this.analyzeEntity(entity));
    this.entities[doc] = undefined;
    for (const listener of this.listeners) listener.removed?.(entity, doc);
  }

  private removeEarlierCopy(id: string, doc: number): void {
    for (let d = doc - 1; d >= 0; d--) {
      if (this.entities[d]?.id === id) {
        this.removeDoc(d);
        return;
      }
    }
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const k = options.k ?? 10;
    if (this.inverted.wantsCompaction()) this.compact();
    const hits = topKMaxScore(this.scoringContext(), { terms: this.queryTerms(query), k, accept: this.acceptor(options) });
    return hits.map(({ doc, score }) => ({ id: this.entities[doc]!.id, doc, score }));
  }

  /** Why `id` scores what it does for `query`: a tree whose root value equals the search score. */
  explain(query: string, id: string): Explanation {
    const doc = this.docOf.get(id);
    if (doc === undefined) throw createError('ENTITY_UNKNOWN', id);
    return explainMatch(this.scoringContext(), this.queryTerms(query), doc, (t) => this.termText(t));
  }

  /**
   * The query's terms that occur in the index, with their counts in the query: analysed once per analyser
   * group of the searchable fields.
   */
  queryTerms(query: string): QueryTerm[] {
    const counts = new Map<number, number>();
    for (const { analyzer, prefix } of this.queryGroups) {
      for (const text of analyzer.analyze(query)) {
        const term = this.inverted.terms.get(prefix + text);
        if (term >= 0 && this.inverted.df[term] > 0) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
    }
    return [...counts].map(([term, count]) => ({ term, count }));
  }

  /**
   * A field's analyser and the prefix that keeps its terms apart in the dictionary. Fields sharing the index's
   * analyser share terms (prefix ""), and BM25F combines them; a field with another analyser gets terms of its own,
   * so it is scored as its own BM25F group whose score adds (Elasticsearch's combined_fields likewise only
   * combines fields that share an analyser: their terms are not comparable otherwise).
   */
  analyzerFor(field: string): AnalyzerGroup {
    let group = this.fieldAnalyzers.get(field);
    if (!group) {
      const config = this.fieldOptions(field).analyzer;
      group = config ? { analyzer: new Analyzer(config), prefix: `\u0001${shortHash(JSON.stringify(config))}\u0001` } : { analyzer: this.analyzer, prefix: '' };
      this.fieldAnalyzers.set(field, group);
    }
    return group;
  }

  stats(): IndexStats {
    const byType: Record<string, number> = {};
    for (const entity of this.entities) if (entity) byType[entity.type] = (byType[entity.type] ?? 0) + 1;
    const inv = this.inverted;
    let postings = inv.base.docs.length;
    for (const list of inv.delta) postings += list?.length ?? 0;
    return { entities: inv.liveCount, byType, terms: inv.terms.size, postings, fields: [...inv.fieldNames] };
  }

  /**
   * The popularity prior of a doc without its weight: ln(1 + popularity) / ln(1 + maxPopularity), in [0, 1], and 0
   * when no entity has any popularity. Every strategy that leans on popularity reads it here.
   */
  prior(doc: number): number {
    return popularityPrior(1, this.popularity[doc], this.maxPopularity);
  }

  /** The field parameters in force for a field name. */
  fieldOptions(name: string) {
    return this.options.fields[name] ?? this.options.defaultField;
  }

  docId(id: string): number | undefined {
    return this.docOf.get(id);
  }

  termText(term: number): string {
    return this.inverted.terms.texts[term];
  }

  scoringContext(): ScoringContext {
    return { index: this.inverted, params: this.params, norms: this.norms, popularity: this.popularity, maxPopularity: this.maxPopularity };
  }

  /** Lays all postings out in the base segment (and refreshes its block maxima); searches do it when it pays. */
  compact(): void {
    this.inverted.compact(this.norms.get(this.inverted, this.params));
  }

  /** Rebuilds the derived lookup tables after a snapshot load filled the columns directly. */
  restored(): void {
    this.entities.forEach((entity, doc) => {
      if (entity) this.docOf.set(entity.id, doc);
    });
    this.typeNames.forEach((name, code) => this.typeCodes.set(name, code));
    this.params = this.buildParams();
    const inv = this.inverted;
    inv.base.blocks = buildBlocks(inv.base, this.norms.get(inv, this.params), inv.averageLengths());
  }

  private acceptor(options: SearchOptions): ((doc: number) => boolean) | undefined {
    const filters = options.filters ?? [];
    const typeList = options.type === undefined ? undefined : Array.isArray(options.type) ? options.type : [options.type];
    if (!typeList && filters.length === 0) return undefined;
    const allowedTypes = typeList ? new Set(typeList.map((t) => this.typeCodes.get(t) ?? -1)) : undefined;
    return (doc) => (!allowedTypes || allowedTypes.has(this.types[doc])) && (filters.length === 0 || matchesFilters(this.entities[doc]!, filters));
  }

  private analyzeEntity(entity: Entity): Record<string, FieldTokens> {
    const out: Record<string, FieldTokens> = {};
    if (this.fieldOptions('title').weight > 0) out.title = this.fieldTokens('title', entity.title);
    const fields = entity.fields;
    if (fields) {
      for (const name in fields) {
        if (name === 'title' || this.fieldOptions(name).weight === 0) continue;
        out[name] = this.fieldTokens(name, fields[name]);
      }
    }
    return out;
  }

  /** A field's tokens for the index: character ranges when the analyser allows it (no string per token). */
  private fieldTokens(name: string, value: string | string[]): FieldTokens {
    if (typeof value === 'string') {
      const { analyzer, prefix } = this.analyzerFor(name);
      const ranges = prefix === '' ? analyzer.analyzeRanges(value) : undefined;
      if (ranges) return ranges;
    }
    return this.analyzeField(name, value);
  }

  /** The dictionary terms of one field's text (prefixed when the field has an analyser of its own). */
  analyzeField(name: string, value: string | string[]): string[] {
    const { analyzer, prefix } = this.analyzerFor(name);
    const out: string[] = [];
    if (typeof value === 'string') analyzer.analyze(value, out);
    else for (const v of value) analyzer.analyze(v, out);
    if (prefix !== '') for (let i = 0; i < out.length; i++) out[i] = prefix + out[i];
    return out;
  }

  private typeCode(type: string): number {
    let code = this.typeCodes.get(type);
    if (code === undefined) {
      code = this.typeNames.length;
      this.typeNames.push(type);
      this.typeCodes.set(type, code);
    }
    return code;
  }

  private buildParams(): Bm25fParams {
    const groups = new Map<string, AnalyzerGroup>();
    for (const name of this.inverted.fieldNames) {
      const group = this.analyzerFor(name);
      groups.set(group.prefix, group);
    }
    if (groups.size === 0) groups.set('', this.analyzerFor('title'));
    this.queryGroups = [...groups.values()];
    return {
      k1: this.options.k1,
      popularityWeight: this.options.popularityWeight,
      fields: this.inverted.fieldNames.map((name) => this.fieldOptions(name)),
    };
  }
}
