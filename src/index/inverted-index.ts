/**
 * The inverted index proper: term dictionary, postings (base + delta segments), per-field document lengths and
 * the collection statistics BM25F needs (live document count, per-field total length, per-term document
 * frequency). It knows nothing of entities or analysers: callers hand it each document's terms by field.
 *
 * Deleting a document only clears its `live` flag and takes it out of the statistics; its postings entries are
 * skipped at query time and dropped at the next compaction.
 */
import { ensureCapacity, PostingsList } from './growable.js';
import { type FieldTokens, tokenCount, tokenStrings } from '../analysis/tokens.js';
import { type BaseSegment, BulkBuffer, emptyBase, mergeSegments } from './postings.js';
import { TermDictionary } from './term-dictionary.js';

const MAX_FIELDS = 255;
export const MAX_TF = 0xffff;
export const MAX_LENGTH = 0xffff;

export class InvertedIndex {
  readonly fieldNames: string[] = [];
  private readonly fieldIds = new Map<string, number>();
  readonly terms = new TermDictionary();
  termCount = 0;

  base: BaseSegment = emptyBase();
  /** Entries added after the last compaction, per term id (sparse). */
  delta: (PostingsList | undefined)[] = [];
  deltaEntries = 0;
  private buffer: BulkBuffer | undefined;

  /** Live documents containing each term. */
  df: Int32Array = new Int32Array(1024);
  /** The last document that counted towards each term's df (adds only). */
  private lastDocOf: Int32Array = new Int32Array(1024).fill(-1);
  private scratchTf: Int32Array = new Int32Array(1024);
  private readonly scratchTouched: number[] = [];
  /** Per (term, field): the largest tf and the smallest field length seen; bounds for dynamic pruning. */
  termFieldMaxTf: Uint16Array = new Uint16Array(0);
  termFieldMinLen: Uint16Array = new Uint16Array(0);

  docCount = 0;
  liveCount = 0;
  live: Uint8Array = new Uint8Array(1024);
  /** lengths[field][doc]: number of terms of the field in the document (clamped to 65535). */
  lengths: Uint16Array[] = [];
  fieldTotals: number[] = [];
  /** Longest field length seen per field (sizes the query-time normalisation tables). */
  maxLengths: number[] = [];
  /** Bumped on every change to the statistics, so cached query-time tables know when to rebuild. */
  version = 0;

  /** Rebuilds an index from saved columns (see snapshot.ts); the base segment must already be compacted. */
  static restore(saved: SavedInvertedIndex): InvertedIndex {
    const index = new InvertedIndex();
    for (const name of saved.fieldNames) index.fieldId(name);
    for (const term of saved.terms) index.terms.add(term);
    index.termCount = saved.terms.length;
    index.lastDocOf = new Int32Array(saved.terms.length).fill(-1);
    index.scratchTf = new Int32Array(saved.terms.length);
    index.base = saved.base;
    index.df = saved.df;
    index.termFieldMaxTf = saved.termFieldMaxTf;
    index.termFieldMinLen = saved.termFieldMinLen;
    index.docCount = saved.live.length;
    index.live = saved.live;
    index.liveCount = saved.live.reduce((n, l) => n + l, 0);
    index.lengths = saved.lengths;
    index.fieldTotals = saved.fieldTotals;
    index.maxLengths = saved.maxLengths;
    return index;
  }

  /** Starts a bulk build: entries are buffered and laid out at `compact()`, which is much faster than the delta. */
  beginBulk(): void {
    this.buffer ??= new BulkBuffer();
  }

  fieldId(name: string): number {
    let id = this.fieldIds.get(name);
    if (id !== undefined) return id;
    if (this.fieldNames.length >= MAX_FIELDS) throw new Error(`an index holds at most ${MAX_FIELDS} fields`);
    id = this.fieldNames.length;
    this.fieldNames.push(name);
    this.fieldIds.set(name, id);
    this.lengths.push(new Uint16Array(this.live.length));
    this.fieldTotals.push(0);
    this.maxLengths.push(0);
    this.restrideTermFieldBounds(this.fieldNames.length - 1, this.fieldNames.length);
    return id;
  }

  get fieldCount(): number {
    return this.fieldNames.length;
  }

  /** Adds a document given its terms by field name; returns its doc number. */
  add(fieldTerms: Record<string, FieldTokens>): number {
    const doc = this.docCount++;
    this.ensureDocCapacity(this.docCount);
    this.live[doc] = 1;
    this.liveCount++;
    for (const name in fieldTerms) {
      const tokens = fieldTerms[name];
      const field = this.fieldId(name);
      const length = Math.min(tokenCount(tokens), MAX_LENGTH);
      this.lengths[field][doc] = length;
      this.fieldTotals[field] += length;
      if (length > this.maxLengths[field]) this.maxLengths[field] = length;
      // One dictionary lookup per token; tf is counted by term id in a scratch column that is reset after use.
      const touched = this.scratchTouched;
      touched.length = 0;
      if (Array.isArray(tokens)) {
        for (const term of tokens) this.countTerm(this.termId(term), touched);
      } else {
        const { text, bounds, extra } = tokens;
        for (let i = 0; i < bounds.length; i += 2) this.countTerm(this.termIdOfRange(text, bounds[i], bounds[i + 1]), touched);
        for (const term of extra) this.countTerm(this.termId(term), touched);
      }
      for (const t of touched) {
        const tf = this.scratchTf[t];
        this.scratchTf[t] = 0;
        // The df stamp: a term is counted once per document, whichever fields it is in.
        if (this.lastDocOf[t] !== doc) {
          this.lastDocOf[t] = doc;
          this.df[t]++;
        }
        const clamped = tf < MAX_TF ? tf : MAX_TF;
        this.recordBounds(t, field, clamped, length);
        this.pushEntry(t, doc, field, clamped, length);
      }
    }
    this.version++;
    return doc;
  }

  /** Takes a document out of the statistics and of every result; `fieldTerms` must be what it was added with. */
  remove(doc: number, fieldTerms: Record<string, FieldTokens>): void {
    if (doc >= this.docCount || !this.live[doc]) return;
    this.live[doc] = 0;
    this.liveCount--;
    const seen = new Set<number>();
    for (const [name, terms] of Object.entries(fieldTerms)) {
      const field = this.fieldIds.get(name);
      if (field === undefined) continue;
      this.fieldTotals[field] -= this.lengths[field][doc];
      for (const term of tokenStrings(terms)) {
        const t = this.terms.get(term);
        if (t >= 0 && !seen.has(t)) {
          seen.add(t);
          this.df[t]--;
        }
      }
    }
    this.version++;
  }

  /**
   * Merges the bulk buffer and the delta into the base segment, dropping dead documents' entries. `norms` are
   * the current length-normalisation tables, from which the block maxima are computed.
   */
  compact(norms: Float64Array[]): void {
    const buffer = this.buffer ?? new BulkBuffer();
    this.base = mergeSegments(this.base, buffer, this.delta, this.termCount, this.live, norms, this.averageLengths());
    this.buffer = undefined;
    this.delta = [];
    this.deltaEntries = 0;
  }

  /** True when enough has been added since the last compaction that merging pays for itself. */
  wantsCompaction(): boolean {
    return this.buffer !== undefined || this.deltaEntries > Math.max(50_000, this.base.docs.length / 8);
  }

  averageLengths(): number[] {
    return this.fieldNames.map((_, f) => this.averageLength(f));
  }

  averageLength(field: number): number {
    return this.liveCount === 0 ? 0 : this.fieldTotals[field] / this.liveCount;
  }

  private countTerm(t: number, touched: number[]): void {
    if (this.scratchTf[t]++ === 0) touched.push(t);
  }

  /** The id of the term text[start, end), created if new (the only time a string is cut out). */
  private termIdOfRange(text: string, start: number, end: number): number {
    const t = this.terms.getRange(text, start, end);
    return t >= 0 ? t : this.termId(text.slice(start, end));
  }

  private termId(term: string): number {
    let t = this.terms.get(term);
    if (t >= 0) return t;
    t = this.termCount++;
    this.terms.add(term);
    this.df = ensureCapacity(this.df, this.termCount);
    this.lastDocOf = ensureCapacity(this.lastDocOf, this.termCount, -1);
    this.scratchTf = ensureCapacity(this.scratchTf, this.termCount);
    const stride = this.fieldNames.length;
    this.termFieldMaxTf = ensureCapacity(this.termFieldMaxTf, this.termCount * stride);
    this.termFieldMinLen = ensureCapacity(this.termFieldMinLen, this.termCount * stride, MAX_LENGTH);
    return t;
  }

  private pushEntry(t: number, doc: number, field: number, tf: number, len: number): void {
    if (this.buffer) {
      this.buffer.push(t, doc, field, tf, len);
      return;
    }
    const list = (this.delta[t] ??= new PostingsList());
    list.push(doc, field, tf, len);
    this.deltaEntries++;
  }

  private recordBounds(t: number, field: number, tf: number, length: number): void {
    const at = t * this.fieldNames.length + field;
    if (tf > this.termFieldMaxTf[at]) this.termFieldMaxTf[at] = tf;
    if (length < this.termFieldMinLen[at]) this.termFieldMinLen[at] = length;
  }

  private restrideTermFieldBounds(oldStride: number, newStride: number): void {
    const size = Math.max(this.df.length, 16) * newStride;
    const maxTf = new Uint16Array(size);
    const minLen = new Uint16Array(size).fill(MAX_LENGTH);
    for (let t = 0; t < this.termCount; t++) {
      for (let f = 0; f < oldStride; f++) {
        maxTf[t * newStride + f] = this.termFieldMaxTf[t * oldStride + f];
        minLen[t * newStride + f] = this.termFieldMinLen[t * oldStride + f];
      }
    }
    this.termFieldMaxTf = maxTf;
    this.termFieldMinLen = minLen;
  }

  private ensureDocCapacity(needed: number): void {
    if (needed <= this.live.length) return;
    this.live = ensureCapacity(this.live, needed);
    this.lengths = this.lengths.map((l) => ensureCapacity(l, needed));
  }
}

export interface SavedInvertedIndex {
  fieldNames: string[];
  terms: string[];
  base: BaseSegment;
  df: Int32Array;
  termFieldMaxTf: Uint16Array;
  termFieldMinLen: Uint16Array;
  live: Uint8Array;
  lengths: Uint16Array[];
  fieldTotals: number[];
  maxLengths: number[];
}
