/**
 * The slot lexicon: everything in the catalogue a query span can name. Entity titles, values of name fields
 * (`artist` by default: the name of who made the entity), categorical attribute values with their per-entity
 * weights (genre, subgenre, mood, decade…, with decade aliases like "80s"), and the vocabulary's type words and
 * modifiers. Keyed by name key (analysis/name-key.ts, as the fuzzy name index is, so exact and fuzzy slots share
 * one key space) and kept in step with the index through its change listener.
 */
import { attributeWeights, type Entity } from '../catalog/entity.js';
import type { SearchIndex } from '../index/search-index.js';
import { nameKey, titleCore } from '../analysis/name-key.js';
import { decadeAliases, ENGLISH_VOCABULARY, type QueryVocabulary } from './vocabulary.js';

/** Entities carrying one attribute value, with the weight each carries it with (parallel arrays). */
export interface AttributePosting {
  attribute: string;
  value: string;
  docs: number[];
  weights: number[];
}

export interface LexiconEntry {
  /** Docs whose title is this phrase. */
  titles: readonly number[];
  /** Docs whose name field (artist) is this phrase: the works of the artist of that name. */
  works: readonly number[];
  attributes: readonly AttributePosting[];
  type?: string;
  modifier?: 'by' | 'new' | 'top';
}

export interface LexiconOptions {
  vocabulary?: QueryVocabulary;
  /** Fields whose value names the entity's maker (default: artist). */
  nameFields?: string[];
}

const NONE: readonly never[] = [];

/**
 * The phrases a title is known by: itself, and its core without a trailing version note ("Bohemian Rhapsody -
 * Remastered 2011", "Señorita (feat. X)"), since users type the song, not the edition.
 */
export function titleKeys(title: string): string[] {
  const full = nameKey(title);
  const core = titleCore(title);
  const base = core === undefined ? '' : nameKey(core);
  return base && base !== full ? [full, base] : [full];
}

export class SlotLexicon {
  readonly vocabulary: QueryVocabulary;
  private readonly nameFields: string[];
  private readonly titles = new Map<string, number[]>();
  private readonly works = new Map<string, number[]>();
  private readonly postings = new Map<string, AttributePosting>();
  private readonly valuePhrases = new Map<string, AttributePosting[]>();
  /** Longest phrase, in words, worth trying as a span. */
  maxWords = 1;

  constructor(
    readonly index: SearchIndex,
    options: LexiconOptions = {},
  ) {
    this.vocabulary = options.vocabulary ?? ENGLISH_VOCABULARY;
    this.nameFields = options.nameFields ?? ['artist'];
    for (const phrase of [...Object.keys(this.vocabulary.typeWords), ...Object.keys(this.vocabulary.modifiers)]) this.noteLength(phrase);
    index.entities.forEach((entity, doc) => entity && this.add(entity, doc));
    index.subscribe({
      added: (entity, doc) => this.add(entity, doc),
      removed: (entity, doc) => this.remove(entity, doc),
    });
  }

  lookup(phrase: string): LexiconEntry | undefined {
    const titles = this.titles.get(phrase) ?? NONE;
    const works = this.works.get(phrase) ?? NONE;
    const attributes = this.valuePhrases.get(phrase) ?? NONE;
    const typeWord = this.vocabulary.typeWords[phrase];
    const type = typeWord !== undefined && this.index.typeNames.includes(typeWord) ? typeWord : undefined;
    const modifier = this.vocabulary.modifiers[phrase];
    if (titles.length === 0 && works.length === 0 && attributes.length === 0 && !type && !modifier) return undefined;
    return { titles, works, attributes, type, modifier };
  }

  /** The posting of one attribute value, if any entity carries it. */
  posting(attribute: string, value: string): AttributePosting | undefined {
    return this.postings.get(`${attribute}\u0000${value}`);
  }

  /** Every categorical attribute value, for query understanding's features and the stream generator. */
  allPostings(): IterableIterator<AttributePosting> {
    return this.postings.values();
  }

  private add(entity: Entity, doc: number): void {
    for (const key of titleKeys(entity.title)) this.push(this.titles, key, doc);
    for (const name of this.makers(entity)) this.push(this.works, name, doc);
    for (const [attribute, value] of Object.entries(entity.attributes ?? {})) {
      for (const [category, weight] of Object.entries(attributeWeights(value))) {
        if (!(weight > 0)) continue;
        const posting = this.postingFor(attribute, category);
        posting.docs.push(doc);
        posting.weights.push(weight);
      }
    }
  }

  private remove(entity: Entity, doc: number): void {
    for (const key of titleKeys(entity.title)) this.pull(this.titles, key, doc);
    for (const name of this.makers(entity)) this.pull(this.works, name, doc);
    for (const [attribute, value] of Object.entries(entity.attributes ?? {})) {
      for (const category of Object.keys(attributeWeights(value))) {
        const posting = this.postings.get(`${attribute}\u0000${category}`);
        const at = posting ? posting.docs.indexOf(doc) : -1;
        if (at < 0) continue;
        posting!.docs.splice(at, 1);
        posting!.weights.splice(at, 1);
      }
    }
  }

  private makers(entity: Entity): string[] {
    const out: string[] = [];
    for (const field of this.nameFields) {
      const value = entity.fields?.[field];
      for (const name of value === undefined ? [] : Array.isArray(value) ? value : [value]) {
        const key = nameKey(name);
        if (key) out.push(key);
      }
    }
    return out;
  }

  private postingFor(attribute: string, value: string): AttributePosting {
    const key = `${attribute}\u0000${value}`;
    let posting = this.postings.get(key);
    if (!posting) {
      posting = { attribute, value, docs: [], weights: [] };
      this.postings.set(key, posting);
      const aliases = Object.entries(this.vocabulary.valueAliases).filter(([, values]) => values.includes(value)).map(([alias]) => alias);
      for (const phrase of [value, ...aliases, ...(attribute === 'decade' ? decadeAliases(value) : [])]) {
        const words = nameKey(phrase);
        if (!words) continue;
        const list = this.valuePhrases.get(words) ?? [];
        list.push(posting);
        this.valuePhrases.set(words, list);
        this.noteLength(words);
      }
    }
    return posting;
  }

  private push(map: Map<string, number[]>, key: string, doc: number): void {
    if (!key) return;
    const list = map.get(key);
    if (list) list.push(doc);
    else {
      map.set(key, [doc]);
      this.noteLength(key);
    }
  }

  private pull(map: Map<string, number[]>, key: string, doc: number): void {
    const list = map.get(key);
    const at = list ? list.indexOf(doc) : -1;
    if (at < 0) return;
    list!.splice(at, 1);
    if (list!.length === 0) map.delete(key);
  }

  private noteLength(phrase: string): void {
    const words = phrase.split(' ').length;
    // Spans longer than 8 words are not worth trying: titles that long are typed by copy-paste, which lexical handles.
    if (words > this.maxWords) this.maxWords = Math.min(8, words);
  }
}
