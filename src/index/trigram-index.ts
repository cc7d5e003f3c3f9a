/**
 * TrigramIndex: a set of strings (names, vocabulary terms) searchable by edit distance. Exact: `search(q, k)`
 * reports every string whose optimal-string-alignment distance to q is ≤ k, and no other.
 *
 * Candidates come from padded character-trigram postings with count filtering (the q-gram lemma): an edit
 * touches at most 4 of the trigram windows of q (a substitution or deletion 3, an adjacent transposition 4),
 * so a string within k edits shares at least g − 4k of q's g distinct trigrams. The lemma needs g − 4k ≥ 1;
 * `safeEdits` gives the largest such k, and a larger k falls back to scanning every string of a fitting length.
 * The length filter |len(s) − len(q)| ≤ k is free: each trigram's postings are sorted by string length, so
 * the band is found by binary search. Survivors are verified with the bounded distance.
 *
 * Layout: strings ↔ ids in a TermDictionary; postings in CSR form (one offsets array per trigram, one entries
 * array), rebuilt in one pass; strings added later go to per-trigram chains in flat typed arrays and are merged
 * into the base when the chains grow past 1/8 of it. Strings are never removed (owners track which are live).
 * Strings longer than MAX_STRING_LENGTH are not indexed.
 */
import { padForNgrams } from '../analysis/ngrams.js';
import { boundedOsaDistance } from '../analysis/string-distance.js';
import { ensureCapacity } from './growable.js';
import { TermDictionary } from './term-dictionary.js';

export const MAX_STRING_LENGTH = 255;
const GRAM = 3;
/** Trigram windows one edit can destroy (an adjacent transposition: GRAM + 1). */
const WINDOWS_PER_EDIT = GRAM + 1;

export class TrigramIndex {
  readonly strings = new TermDictionary();
  lengths = new Uint8Array(1024);
  private readonly grams = new TermDictionary();

  // Base segment: the postings of trigrams [0, baseGrams) as of the last compaction, by trigram, by length.
  private offsets = new Int32Array(1);
  private entries = new Int32Array(0);
  private baseGrams = 0;

  // Later strings: a chain per trigram (head → next → …), newest first.
  private chainHead = new Int32Array(1024).fill(-1);
  private chainNext = new Int32Array(1024);
  private chainString = new Int32Array(1024);
  private chainCount = 0;

  /** Per string: how many of the query's trigrams it holds (ScanCount), reset after each search. */
  private counts = new Uint16Array(1024);
  private touched = new Int32Array(1024);
  /** Per trigram: the last string (stamps > 0) or query (stamps < 0) that counted it, so it counts once. */
  private gramStamp = new Int32Array(1024);
  private stringStamp = 0;
  private queryStamp = 0;
  /** The known distinct trigrams of the last query (set by distinctGrams). */
  private queryGrams = new Int32Array(64);
  private queryGramCount = 0;
  /** Strings registered by addBulk whose postings are not laid out yet. */
  private pending = false;

  get size(): number {
    return this.strings.size;
  }

  text(id: number): string {
    return this.strings.texts[id];
  }

  /** The id of `text`, or −1. */
  id(text: string): number {
    return this.strings.get(text);
  }

  /** Adds `text` (if new and at most MAX_STRING_LENGTH long); returns its id, or −1 if it is too long or empty. */
  add(text: string): number {
    const before = this.strings.size;
    const wasPending = this.pending;
    const id = this.addBulk(text);
    if (id < before) return id;
    this.pending = wasPending;
    this.forEachGram(text, true, (gram) => {
      const at = this.chainCount++;
      this.chainNext = ensureCapacity(this.chainNext, at + 1);
      this.chainString = ensureCapacity(this.chainString, at + 1);
      this.chainNext[at] = this.chainHead[gram];
      this.chainString[at] = id;
      this.chainHead[gram] = at;
    });
    return id;
  }

  /**
   * Adds `text` without its postings, which the next `compact()` (or search) lays out in one pass: the bulk
   * build, with no chain entries to allocate and throw away. Returns the id as `add` does.
   */
  addBulk(text: string): number {
    if (text.length === 0 || text.length > MAX_STRING_LENGTH) return -1;
    const known = this.strings.get(text);
    if (known >= 0) return known;
    const id = this.strings.add(text);
    this.lengths = ensureCapacity(this.lengths, id + 1);
    this.lengths[id] = text.length;
    this.counts = ensureCapacity(this.counts, id + 1);
    this.touched = ensureCapacity(this.touched, id + 1);
    this.pending = true;
    return id;
  }

  /** The largest edit bound for which count filtering is sound for `query`: ⌊(g − 1) / 4⌋, g its distinct trigrams. */
  safeEdits(query: string): number {
    return Math.max(0, Math.floor((this.distinctGrams(query, false) - 1) / WINDOWS_PER_EDIT));
  }

  /** Calls `visit(id, distance)` for every string within `maxEdits` of `query`, in a deterministic order. */
  search(query: string, maxEdits: number, visit: (id: number, distance: number) => void): void {
    const length = query.length;
    if (length === 0 || length - maxEdits > MAX_STRING_LENGTH) return;
    if (this.wantsCompaction()) this.compact();
    const lo = Math.max(1, length - maxEdits);
    const hi = Math.min(MAX_STRING_LENGTH, length + maxEdits);
    const g = this.distinctGrams(query, true);
    const needed = g - WINDOWS_PER_EDIT * maxEdits;
    if (needed < 1) {
      for (let id = 0; id < this.strings.size; id++) {
        if (this.lengths[id] < lo || this.lengths[id] > hi) continue;
        const d = boundedOsaDistance(query, this.strings.texts[id], maxEdits);
        if (d <= maxEdits) visit(id, d);
      }
      return;
    }
    let touchedCount = 0;
    const counts = this.counts;
    const touched = this.touched;
    for (let q = 0; q < this.queryGramCount; q++) {
      const gram = this.queryGrams[q];
      if (gram < this.baseGrams) {
        const end = this.lengthBound(gram, hi + 1);
        for (let e = this.lengthBound(gram, lo); e < end; e++) {
          const id = this.entries[e];
          if (counts[id]++ === 0) touched[touchedCount++] = id;
        }
      }
      for (let at = this.chainHead[gram]; at >= 0; at = this.chainNext[at]) {
        const id = this.chainString[at];
        const len = this.lengths[id];
        if (len >= lo && len <= hi && counts[id]++ === 0) touched[touchedCount++] = id;
      }
    }
    for (let t = 0; t < touchedCount; t++) {
      const id = touched[t];
      const shared = counts[id];
      counts[id] = 0;
      if (shared < needed) continue;
      const d = boundedOsaDistance(query, this.strings.texts[id], maxEdits);
      if (d <= maxEdits) visit(id, d);
    }
  }

  /** Postings a search for `query` would read (its trigrams' lists within the length band): its cost. */
  work(query: string, maxEdits: number): number {
    const length = query.length;
    if (length === 0) return 0;
    const lo = Math.max(1, length - maxEdits);
    const hi = Math.min(MAX_STRING_LENGTH, length + maxEdits);
    if (this.distinctGrams(query, true) - WINDOWS_PER_EDIT * maxEdits < 1) return this.strings.size;
    let total = 0;
    for (let q = 0; q < this.queryGramCount; q++) {
      const gram = this.queryGrams[q];
      if (gram < this.baseGrams) total += this.lengthBound(gram, hi + 1) - this.lengthBound(gram, lo);
    }
    return total + this.chainCount;
  }

  /** Merges the chains into the base: counts per trigram, offsets, then strings in order of length. */
  compact(): void {
    const n = this.strings.size;
    let perGram = new Int32Array(this.grams.size + 1024);
    for (let id = 0; id < n; id++) {
      this.forEachGram(this.strings.texts[id], true, (gram) => {
        perGram = ensureCapacity(perGram, gram + 1);
        perGram[gram]++;
      });
    }
    const gramCount = this.grams.size;
    const offsets = new Int32Array(gramCount + 1);
    for (let g = 0; g < gramCount; g++) offsets[g + 1] = offsets[g] + perGram[g];
    const entries = new Int32Array(offsets[gramCount]);
    const cursor = offsets.slice(0, gramCount);
    for (const id of this.idsByLength()) this.forEachGram(this.strings.texts[id], false, (gram) => (entries[cursor[gram]++] = id));
    this.offsets = offsets;
    this.entries = entries;
    this.baseGrams = gramCount;
    this.chainHead.fill(-1);
    this.chainCount = 0;
    this.pending = false;
  }

  private wantsCompaction(): boolean {
    return this.pending || this.chainCount > Math.max(50_000, this.entries.length / 8);
  }

  /** Ids sorted by length (a counting sort; ties by id). */
  private idsByLength(): Int32Array {
    const n = this.strings.size;
    const starts = new Int32Array(MAX_STRING_LENGTH + 2);
    for (let id = 0; id < n; id++) starts[this.lengths[id] + 1]++;
    for (let l = 0; l <= MAX_STRING_LENGTH; l++) starts[l + 1] += starts[l];
    const out = new Int32Array(n);
    for (let id = 0; id < n; id++) out[starts[this.lengths[id]]++] = id;
    return out;
  }

  /** The first base entry of `gram` whose string is at least `length` long (binary search). */
  private lengthBound(gram: number, length: number): number {
    let lo = this.offsets[gram];
    let hi = this.offsets[gram + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.lengths[this.entries[mid]] < length) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The distinct trigrams of `text` (counting ones the index has never seen); their known ids go to
   * `queryGrams` when `keep` is set.
   */
  private distinctGrams(text: string, keep: boolean): number {
    const padded = padForNgrams(text);
    const stamp = --this.queryStamp;
    let distinct = 0;
    this.queryGramCount = 0;
    const unknown = new Set<string>();
    for (let i = 0; i + GRAM <= padded.length; i++) {
      const gram = this.grams.getRange(padded, i, i + GRAM);
      if (gram < 0) {
        const s = padded.slice(i, i + GRAM);
        if (!unknown.has(s)) {
          unknown.add(s);
          distinct++;
        }
        continue;
      }
      if (this.gramStamp[gram] === stamp) continue;
      this.gramStamp[gram] = stamp;
      distinct++;
      if (keep) {
        this.queryGrams = ensureCapacity(this.queryGrams, this.queryGramCount + 1);
        this.queryGrams[this.queryGramCount++] = gram;
      }
    }
    return distinct;
  }

  /** Calls `fn` once per distinct trigram of `text`, creating trigram ids when `create` is set. */
  private forEachGram(text: string, create: boolean, fn: (gram: number) => void): void {
    const padded = padForNgrams(text);
    const stamp = ++this.stringStamp;
    for (let i = 0; i + GRAM <= padded.length; i++) {
      let gram = this.grams.getRange(padded, i, i + GRAM);
      if (gram < 0) {
        if (!create) continue;
        gram = this.grams.add(padded.slice(i, i + GRAM));
        this.gramStamp = ensureCapacity(this.gramStamp, gram + 1);
        this.chainHead = ensureCapacity(this.chainHead, gram + 1, -1);
      }
      if (this.gramStamp[gram] === stamp) continue;
      this.gramStamp[gram] = stamp;
      fn(gram);
    }
  }
}
