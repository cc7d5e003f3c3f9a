/**
 * Drawing items in proportion to their weights, reproducibly: a cumulative table built once and a binary search
 * per draw (O(log n)), driven by a seeded `random` from util/random.ts. Used by the query-stream generator
 * (popularity-weighted targets, Zipf-distributed head queries and user activity).
 */

export class WeightedSampler<T> {
  private readonly cumulative: Float64Array;

  /** Items with a weight ≤ 0 (or not finite) are never drawn. */
  constructor(
    readonly items: readonly T[],
    weight: (item: T, index: number) => number,
  ) {
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach((item, i) => {
      const w = weight(item, i);
      if (w > 0 && Number.isFinite(w)) total += w;
      this.cumulative[i] = total;
    });
  }

  get total(): number {
    return this.cumulative.length > 0 ? this.cumulative[this.cumulative.length - 1] : 0;
  }

  /** One item, or undefined when no item has a positive weight. */
  sample(random: () => number): T | undefined {
    const total = this.total;
    if (!(total > 0)) return undefined;
    const target = random() * total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

/** Zipf weights 1/rank^s for ranks 1..n: the frequency law of queries, words and user activity. */
export function zipfWeight(rank: number, exponent = 1): number {
  return 1 / Math.pow(rank, exponent);
}
