/**
 * TrigramIndex: a set of strings (names, vocabulary terms) searchable by edit distance. Exact: `search(q, k)`
 * reports every string whose optimal-string-alignment distance to q is ≤ k, and no other.
 *
 * Candidates come from padded character-trigram postings with count filtering (the q-gram lemma): an edit
 * touches at most 4 of the trigram windows of q (a substitution or deletion 3, an adjacent transposition 4),
 * so a string within k edits shares at least g − 4k of q's g distinct trigrams, and likewise at least
 * g(s) − 4k of its own. The filter needs g − 4k ≥ 1; `safeEdits` gives the largest k that leaves a chosen
 * number of shared trigrams, and a larger k falls back to scanning every string of a fitting length.
 * The length filter |len(s) − len(q)| ≤ k is free: each trigram's postings are sorted by string length, so
 * the band is found by binary search. Positions filter too: a trigram that survives the edits sits within k
 * places of where it was, so a posting counts only if its position (that of the trigram's only occurrence in
 * the string, or "any" when it occurs more than once) is within k of the query's. Survivors go through the
 * bag-distance lower bound, then the bounded distance. The longest lists are probed per candidate (binary
 * search) instead of read, when the short lists leave few candidates (DivideSkip, Li, Lu & Lu, ICDE 2008).
 *
 * Layout: strings ↔ ids in a TermDictionary, trigrams ↔ ids in a TrigramTable; postings in CSR form (offsets
 * per trigram; string ids and positions as two flat arrays), rebuilt in one pass; strings added later go to per-trigram chains in flat typed arrays and are merged
 * into the base when the chains grow past 1/8 of it. Strings are never removed (owners track which are live).
 * Strings longer than MAX_STRING_LENGTH are not indexed.
 */
import { NGRAM_PAD } from '../analysis/ngrams.js';
import { boundedOsaDistance, CharBag } from '../analysis/string-distance.js';
import { ensureCapacity } from './growable.js';
import { TermDictionary } from './term-dictionary.js';
import { packTrigram, TrigramTable } from './trigram-table.js';

export const MAX_STRING_LENGTH = 255;
/** Trigram windows one edit can destroy (an adjacent transposition: 3 + 1). */
const WINDOWS_PER_EDIT = 4;
const PAD = NGRAM_PAD.charCodeAt(0);
/** The position of a trigram that occurs more than once in a string: compatible with any query position. */
const ANYWHERE = 255;
/** A long list is probed per candidate (binary search) rather than read when it is this many times longer. */
const PROBE_COST = 16;
const bag = new CharBag();

export class TrigramIndex {
  readonly strings = new TermDictionary();
  /** Candidates per list entry at which probing beats reading (tests set 0 to force probing). */
  probeCost = PROBE_COST;
  lengths = new Uint8Array(1024);
  /** Distinct trigrams of each string, for the count bound from the string's side. */
  private gramCounts = new Uint8Array(1024);
  private readonly grams = new TrigramTable();
  /** Per trigram: strings holding it, kept as strings are added, so a compaction lays out lists in one pass. */
  private gramFrequency = new Int32Array(1024);

  // Base segment: the postings of trigrams [0, baseGrams) as of the last compaction, by trigram, by length.
  private offsets = new Int32Array(1);
  private entries = new Int32Array(0);
  private positions = new Uint8Array(0);
  private baseGrams = 0;

  // Later strings: a chain per trigram (head → next → …), newest first.
  private chainHead = new Int32Array(1024).fill(-1);
  private chainNext = new Int32Array(1024);
  private chainString = new Int32Array(1024);
  private chainPosition = new Uint8Array(1024);
  private chainCount = 0;

  /** Per string: how many of the query's trigrams it holds (ScanCount), reset after each search. */
  private counts = new Uint16Array(1024);
  private touched = new Int32Array(1024);
  /** Per trigram: the last string (stamps > 0) or query (stamps < 0) that saw it, and where it went then. */
  private gramStamp = new Int32Array(1024);
  private gramSlot = new Int32Array(1024);
  private stringStamp = 0;
  private queryStamp = 0;
  /** The distinct trigrams of the last string read by gramsOf, with their positions (or ANYWHERE). */
  private gramBuffer = new Int32Array(MAX_STRING_LENGTH);
  private positionBuffer = new Uint8Array(MAX_STRING_LENGTH);
  /** The known distinct trigrams of the last query, with their positions (−1: more than one). */
  private queryGrams = new Int32Array(64);
  private queryPositions = new Int32Array(64);
  private queryGramCount = 0;
  /** Each query trigram's range of base entries within the length band. */
  private bandFrom = new Int32Array(64);
  private bandTo = new Int32Array(64);
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
    const count = this.gramsOf(text, true);
    this.chainNext = ensureCapacity(this.chainNext, this.chainCount + count);
    this.chainString = ensureCapacity(this.chainString, this.chainCount + count);
    this.chainPosition = ensureCapacity(this.chainPosition, this.chainCount + count);
    for (let i = 0; i < count; i++) {
      const gram = this.gramBuffer[i];
      const at = this.chainCount++;
      this.chainNext[at] = this.chainHead[gram];
      this.chainString[at] = id;
      this.chainPosition[at] = this.positionBuffer[i];
      this.chainHead[gram] = at;
    }
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
    if (id >= this.lengths.length) {
      this.lengths = ensureCapacity(this.lengths, id + 1);
      this.gramCounts = ensureCapacity(this.gramCounts, id + 1);
      this.counts = ensureCapacity(this.counts, id + 1);
      this.touched = ensureCapacity(this.touched, id + 1);
    }
    this.lengths[id] = text.length;
    const count = this.gramsOf(text, true);
    this.gramCounts[id] = count;
    for (let i = 0; i < count; i++) this.gramFrequency[this.gramBuffer[i]]++;
    this.pending = true;
    return id;
  }

  /**
   * The largest edit bound that leaves `minShared` (≥ 1) trigrams for count filtering: ⌊(g − minShared) / 4⌋,
   * g the distinct trigrams of `query`. A larger minShared gives fewer edits and far fewer candidates.
   */
  safeEdits(query: string, minShared = 1): number {
    return Math.max(0, Math.floor((this.distinctGrams(query, false) - Math.max(1, minShared)) / WINDOWS_PER_EDIT));
  }

  /** Calls `visit(id, distance)` for every string within `maxEdits` of `query`, in a deterministic order. */
  search(query: string, maxEdits: number, visit: (id: number, distance: number) => void): void {
    const length = query.length;
    if (length === 0 || length - maxEdits > MAX_STRING_LENGTH) return;
    if (this.wantsCompaction()) this.compact();
    const lo = Math.max(1, length - maxEdits);
    const hi = Math.min(MAX_STRING_LENGTH, length + maxEdits);
    const lost = WINDOWS_PER_EDIT * maxEdits;
    const needed = this.distinctGrams(query, true) - lost;
    if (needed < 1) {
      for (let id = 0; id < this.strings.size; id++) {
        if (this.lengths[id] < lo || this.lengths[id] > hi) continue;
        const d = boundedOsaDistance(query, this.strings.texts[id], maxEdits);
        if (d <= maxEdits) visit(id, d);
      }
      return;
    }
    // Chains are short: counted in full. Base lists are scanned shortest first; the longest (at most
    // needed − 1 of them, so every match is still counted at least once) are probed per candidate instead,
    // by binary search, when that is cheaper than reading them.
    const gramCount = this.queryGramCount;
    let touchedCount = 0;
    for (let q = 0; q < gramCount; q++) touchedCount = this.countChain(q, maxEdits, lo, hi, touchedCount);
    const order = this.bandOrder(lo, hi);
    let probed = 0;
    for (let r = 0; r < gramCount; r++) {
      const q = order[r];
      const size = this.bandTo[q] - this.bandFrom[q];
      if (gramCount - r <= needed - 1 && size > this.probeCost * touchedCount) {
        probed = gramCount - r;
        break;
      }
      touchedCount = this.countBand(q, maxEdits, touchedCount);
    }
    const { counts, touched } = this;
    bag.set(query);
    for (let t = 0; t < touchedCount; t++) {
      const id = touched[t];
      let shared = counts[id];
      counts[id] = 0;
      for (let r = gramCount - probed; r < gramCount && shared < needed && shared + (gramCount - r) >= needed; r++) {
        if (this.probe(order[r], id, maxEdits)) shared++;
      }
      if (shared < needed || (probed === 0 && shared < this.gramCounts[id] - lost)) continue;
      const text = this.strings.texts[id];
      if (bag.lowerBound(text) > maxEdits) continue;
      const d = boundedOsaDistance(query, text, maxEdits);
      if (d <= maxEdits) visit(id, d);
    }
  }

  /** Whether a query trigram's position `at` (−1: repeated) and a string's `p` can be the same trigram. */
  private static compatible(at: number, p: number, maxEdits: number): boolean {
    return at < 0 || p === ANYWHERE || (p >= at - maxEdits && p <= at + maxEdits);
  }

  /** Counts query trigram q's chain entries in the length band; returns the new touched count. */
  private countChain(q: number, maxEdits: number, lo: number, hi: number, touchedCount: number): number {
    const at = this.queryPositions[q];
    const { counts, touched, lengths } = this;
    for (let c = this.chainHead[this.queryGrams[q]]; c >= 0; c = this.chainNext[c]) {
      if (!TrigramIndex.compatible(at, this.chainPosition[c], maxEdits)) continue;
      const id = this.chainString[c];
      const len = lengths[id];
      if (len >= lo && len <= hi && counts[id]++ === 0) touched[touchedCount++] = id;
    }
    return touchedCount;
  }

  /** Counts query trigram q's base entries in its band (see bandOrder); returns the new touched count. */
  private countBand(q: number, maxEdits: number, touchedCount: number): number {
    const at = this.queryPositions[q];
    // Positions [near, far] are compatible; a repeated query trigram (at = −1) is compatible with all.
    const near = at < 0 ? 0 : at - maxEdits;
    const far = at < 0 ? ANYWHERE : at + maxEdits;
    const { counts, touched, entries, positions } = this;
    const end = this.bandTo[q];
    for (let e = this.bandFrom[q]; e < end; e++) {
      const p = positions[e];
      if ((p < near || p > far) && p !== ANYWHERE) continue;
      const id = entries[e];
      if (counts[id]++ === 0) touched[touchedCount++] = id;
    }
    return touchedCount;
  }

  /** Whether string `id` is in query trigram q's band at a compatible position (binary search on (length, id)). */
  private probe(q: number, id: number, maxEdits: number): boolean {
    const { entries, lengths } = this;
    const length = lengths[id];
    let lo = this.bandFrom[q];
    let hi = this.bandTo[q];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = entries[mid];
      const l = lengths[other];
      if (l < length || (l === length && other < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.bandTo[q] && entries[lo] === id && TrigramIndex.compatible(this.queryPositions[q], this.positions[lo], maxEdits);
  }

  /** Sets each query trigram's base band (strings of length [lo, hi]) and returns the trigrams by band size. */
  private bandOrder(lo: number, hi: number): number[] {
    const gramCount = this.queryGramCount;
    if (this.bandFrom.length < gramCount) {
      this.bandFrom = new Int32Array(this.queryGrams.length);
      this.bandTo = new Int32Array(this.queryGrams.length);
    }
    const order: number[] = new Array(gramCount);
    for (let q = 0; q < gramCount; q++) {
      const gram = this.queryGrams[q];
      order[q] = q;
      if (gram < this.baseGrams) {
        this.bandFrom[q] = this.lengthBound(gram, lo);
        this.bandTo[q] = this.lengthBound(gram, hi + 1);
      } else {
        this.bandFrom[q] = this.bandTo[q] = 0;
      }
    }
    return order.sort((a, b) => this.bandTo[a] - this.bandFrom[a] - (this.bandTo[b] - this.bandFrom[b]) || a - b);
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

  /** Merges the chains into the base: offsets from the trigram frequencies, then strings in order of length. */
  compact(): void {
    const buffer = this.gramBuffer;
    const gramCount = this.grams.size;
    const offsets = new Int32Array(gramCount + 1);
    for (let g = 0; g < gramCount; g++) offsets[g + 1] = offsets[g] + this.gramFrequency[g];
    const entries = new Int32Array(offsets[gramCount]);
    const positions = new Uint8Array(offsets[gramCount]);
    const cursor = offsets.slice(0, gramCount);
    for (const id of this.idsByLength()) {
      const count = this.gramsOf(this.strings.texts[id], false);
      for (let i = 0; i < count; i++) {
        const at = cursor[buffer[i]]++;
        entries[at] = id;
        positions[at] = this.positionBuffer[i];
      }
    }
    this.offsets = offsets;
    this.entries = entries;
    this.positions = positions;
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
   * The distinct trigrams of `text`, known to the index or not; the known ones' ids and positions go to
   * `queryGrams`/`queryPositions` when `keep` is set. The padded text "$" + text + "$" is walked as code units.
   */
  private distinctGrams(text: string, keep: boolean): number {
    const stamp = --this.queryStamp;
    const n = text.length;
    let distinct = 0;
    let unknown: number[] | undefined;
    this.queryGramCount = 0;
    if (keep && n > this.queryGrams.length) {
      this.queryGrams = new Int32Array(n);
      this.queryPositions = new Int32Array(n);
    }
    let c0 = PAD;
    let c1 = n > 0 ? text.charCodeAt(0) : PAD;
    for (let i = 0; i < n; i++) {
      const c2 = i + 1 < n ? text.charCodeAt(i + 1) : PAD;
      const gram = this.grams.get(c0, c1, c2);
      if (gram < 0) {
        const key = packTrigram(c0, c1, c2);
        unknown ??= [];
        if (!unknown.includes(key)) {
          unknown.push(key);
          distinct++;
        }
      } else if (this.gramStamp[gram] === stamp) {
        if (keep) this.queryPositions[this.gramSlot[gram]] = -1;
      } else {
        this.gramStamp[gram] = stamp;
        distinct++;
        if (keep) {
          this.gramSlot[gram] = this.queryGramCount;
          this.queryGrams[this.queryGramCount] = gram;
          this.queryPositions[this.queryGramCount++] = i;
        }
      }
      c0 = c1;
      c1 = c2;
    }
    return distinct;
  }

  /**
   * Puts the ids of the distinct trigrams of `text` in gramBuffer, with their positions in positionBuffer
   * (ANYWHERE when repeated), and returns how many (creating ids when `create` is set, else skipping unknown
   * trigrams).
   */
  private gramsOf(text: string, create: boolean): number {
    const stamp = ++this.stringStamp;
    const n = text.length;
    let count = 0;
    let c0 = PAD;
    let c1 = text.charCodeAt(0);
    for (let i = 0; i < n; i++) {
      const c2 = i + 1 < n ? text.charCodeAt(i + 1) : PAD;
      const gram = create ? this.grams.getOrAdd(c0, c1, c2) : this.grams.get(c0, c1, c2);
      c0 = c1;
      c1 = c2;
      if (gram < 0) continue;
      if (gram >= this.gramStamp.length) {
        this.gramStamp = ensureCapacity(this.gramStamp, gram + 1);
        this.gramSlot = ensureCapacity(this.gramSlot, gram + 1);
        this.gramFrequency = ensureCapacity(this.gramFrequency, gram + 1);
        this.chainHead = ensureCapacity(this.chainHead, gram + 1, -1);
      }
      if (this.gramStamp[gram] === stamp) {
        this.positionBuffer[this.gramSlot[gram]] = ANYWHERE;
        continue;
      }
      this.gramStamp[gram] = stamp;
      this.gramSlot[gram] = count;
      this.gramBuffer[count] = gram;
      this.positionBuffer[count++] = i;
    }
    return count;
  }
}
