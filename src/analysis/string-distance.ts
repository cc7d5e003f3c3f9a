/**
 * String distances for typo tolerance: a bounded optimal-string-alignment distance (Damerau–Levenshtein where
 * each substring is edited at most once, so an adjacent transposition costs 1) and Jaro–Winkler similarity.
 * Both work on UTF-16 code units of already normalised text. The distance only ever needs to know "is it ≤ k,
 * and if so what": it computes the diagonal band |i − j| ≤ k (Ukkonen) and stops as soon as no cell can come
 * back under k, so a verification costs O(k · length) instead of O(length²). Scratch rows are module-level
 * typed arrays, reused across calls: no allocation per call once they are large enough.
 */

let rowBeforeLast = new Int32Array(64);
let rowLast = new Int32Array(64);
let rowNow = new Int32Array(64);
let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

function ensureRows(length: number): void {
  if (rowNow.length >= length) return;
  const size = Math.max(length, rowNow.length * 2);
  rowBeforeLast = new Int32Array(size);
  rowLast = new Int32Array(size);
  rowNow = new Int32Array(size);
}

/**
 * The optimal-string-alignment distance between `a` and `b` if it is ≤ `bound`, else `bound + 1` (an integer
 * bound ≥ 0). Insertions, deletions, substitutions and adjacent transpositions cost 1 each.
 */
export function boundedOsaDistance(a: string, b: string, bound: number): number {
  const la = a.length;
  const lb = b.length;
  const over = bound + 1;
  if (Math.abs(la - lb) > bound) return over;
  if (la === 0 || lb === 0) return Math.max(la, lb);
  ensureRows(lb + 2);
  let before = rowBeforeLast;
  let last = rowLast;
  let now = rowNow;
  // Cells outside the band hold `over`: the true value there is at least |i − j| > bound.
  for (let j = 0; j <= lb; j++) last[j] = j <= bound ? j : over;
  let lastMin = 0;
  for (let i = 1; i <= la; i++) {
    const lo = Math.max(1, i - bound);
    const hi = Math.min(lb, i + bound);
    now[lo - 1] = lo === 1 && i <= bound ? i : over;
    let rowMin = now[lo - 1];
    const ca = a.charCodeAt(i - 1);
    const caPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = last[j - 1] + (ca === cb ? 0 : 1);
      const up = last[j] + 1;
      if (up < v) v = up;
      const left = now[j - 1] + 1;
      if (left < v) v = left;
      if (j > 1 && ca === b.charCodeAt(j - 2) && caPrev === cb) {
        const swap = before[j - 2] + 1;
        if (swap < v) v = swap;
      }
      if (v > over) v = over;
      now[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < lb) now[hi + 1] = over;
    // Every later cell is at least min(this row, the row before + 1): once both are out of reach, stop.
    if (rowMin > bound && lastMin >= bound) return over;
    lastMin = rowMin;
    const spare = before;
    before = last;
    last = now;
    now = spare;
  }
  const d = last[lb];
  return d > bound ? over : d;
}

function ensureFlags(length: number): void {
  if (flagsA.length >= length) return;
  const size = Math.max(length, flagsA.length * 2);
  flagsA = new Uint8Array(size);
  flagsB = new Uint8Array(size);
}

/**
 * Jaro–Winkler similarity in [0, 1]: Jaro's matching characters within a window and half-transpositions, plus
 * Winkler's bonus `prefixScale · ℓ · (1 − jaro)` for a common prefix of ℓ ≤ 4 characters (always applied, not
 * only above Winkler's 0.7 boost threshold, so the measure is monotone in the prefix). Two empty strings are 1.
 */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0 && lb === 0) return 1;
  if (la === 0 || lb === 0) return 0;
  ensureFlags(Math.max(la, lb));
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    const end = Math.min(lb - 1, i + window);
    for (let j = Math.max(0, i - window); j <= end; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let outOfOrder = 0;
  for (let i = 0, j = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) outOfOrder++;
    j++;
  }
  const jaro = (matches / la + matches / lb + (matches - outOfOrder / 2) / matches) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefixScale * prefix * (1 - jaro);
}

/**
 * A query's characters as a multiset, for a cheap lower bound on its distance to many strings: an insertion,
 * deletion or substitution changes each side of the multiset difference by at most one and a transposition not
 * at all, so OSA(a, b) ≥ max(|A − B|, |B − A|) (the bag distance). Characters are folded to 7 bits, which can
 * only merge them, so the bound stays a lower bound; it rejects most count-filter survivors for a fraction of
 * the cost of the banded distance.
 */
export class CharBag {
  private readonly counts = new Int32Array(128);
  private size = 0;

  /** Makes `a` the bag's string. */
  set(a: string): void {
    this.counts.fill(0);
    for (let i = 0; i < a.length; i++) this.counts[a.charCodeAt(i) & 127]++;
    this.size = a.length;
  }

  /** max(|A − B|, |B − A|) for the bag's string A and `b` (folded): a lower bound of their OSA distance. */
  lowerBound(b: string): number {
    const counts = this.counts;
    let common = 0;
    for (let i = 0; i < b.length; i++) if (counts[b.charCodeAt(i) & 127]-- > 0) common++;
    for (let i = 0; i < b.length; i++) counts[b.charCodeAt(i) & 127]++;
    return Math.max(this.size - common, b.length - common);
  }
}
