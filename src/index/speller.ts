/**
 * The speller: spelling-correction candidates for one query word from the index's own vocabulary (the terms
 * of the inverted index's TermDictionary, with their document frequencies), for query understanding.
 * The word is analysed like the index's text (folded, stemmed with the default analyser), so candidates are
 * index terms: "rapsody" → "rhapsodi" under English stemming, "rhapsody" without. A TrigramIndex over the
 * vocabulary finds the terms within k edits exactly; it catches up with terms added since the last call
 * (terms are only ever appended), and terms no live document holds (df 0) are left out.
 */
import type { RetrievalResources } from '../retrieval/resources.js';
import { createError } from '../errors.js';
import { ensureCapacity } from './growable.js';
import type { SearchIndex } from './search-index.js';
import { TrigramIndex } from './trigram-index.js';

export interface SpellingCandidate {
  term: string;
  distance: number;
  /** Live documents holding the term. */
  df: number;
}

export interface CorrectOptions {
  /** Most edits (default 2; fewer for short words, as in the fuzzy name index: ⌊(distinct trigrams − 1)/4⌋). */
  maxEdits?: number;
  /** Most candidates (default 5). */
  limit?: number;
}

export class Speller {
  private vocabulary = new TrigramIndex();
  /** The dictionary term id of each vocabulary entry. */
  private termOf = new Int32Array(1024);
  private synced = 0;
  /** The inverted index the vocabulary was read from (a snapshot load replaces it). */
  private source: SearchIndex['inverted'];

  constructor(readonly index: SearchIndex) {
    this.source = index.inverted;
  }

  /** Index terms close to `word`, best first: fewest edits, then most documents, then alphabetical. */
  correct(word: string, options: CorrectOptions = {}): SpellingCandidate[] {
    const maxEdits = options.maxEdits ?? 2;
    const limit = options.limit ?? 5;
    if (!Number.isInteger(maxEdits) || maxEdits < 0 || maxEdits > 8) throw createError('OPTION_OUT_OF_RANGE', 'speller.maxEdits', maxEdits, 'an integer in [0, 8]');
    if (!Number.isInteger(limit) || limit < 0) throw createError('OPTION_OUT_OF_RANGE', 'speller.limit', limit, 'an integer ≥ 0');
    const terms = this.index.analyzer.analyze(word);
    if (terms.length !== 1 || limit === 0) return [];
    const term = terms[0];
    this.sync();
    const df = this.index.inverted.df;
    const out: SpellingCandidate[] = [];
    this.vocabulary.search(term, Math.min(maxEdits, this.vocabulary.safeEdits(term)), (id, distance) => {
      const t = this.termOf[id];
      if (df[t] > 0) out.push({ term: this.vocabulary.text(id), distance, df: df[t] });
    });
    out.sort((a, b) => a.distance - b.distance || b.df - a.df || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    return out.slice(0, limit);
  }

  /** Adds the dictionary's new terms (those of fields with their own analyser, prefixed, are left out). */
  private sync(): void {
    if (this.index.inverted !== this.source) {
      this.source = this.index.inverted;
      this.vocabulary = new TrigramIndex();
      this.synced = 0;
    }
    const texts = this.index.inverted.terms.texts;
    const bulk = texts.length - this.synced > 1000;
    for (let t = this.synced; t < texts.length; t++) {
      const text = texts[t];
      if (text.charCodeAt(0) === 1) continue;
      const before = this.vocabulary.size;
      const id = bulk ? this.vocabulary.addBulk(text) : this.vocabulary.add(text);
      if (id < 0 || id < before) continue;
      this.termOf = ensureCapacity(this.termOf, id + 1);
      this.termOf[id] = t;
    }
    this.synced = texts.length;
  }
}

/** The shared speller of a catalogue. */
export function spellerOf(resources: RetrievalResources): Speller {
  return resources.derived('speller', (r) => new Speller(r.index));
}
