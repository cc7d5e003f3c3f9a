/**
 * A latency histogram over log-spaced bins: fixed memory whatever the traffic (the server's statistics must not
 * grow with the number of requests), percentiles to within one bin (bins grow by a factor 2^(1/4) ≈ 1.19, so an
 * estimate is within that factor of the exact nearest-rank percentile), and histograms add bin by bin, so short time buckets merge exactly into
 * longer windows. Values up to the first edge go to bin 0 (and read back as that edge, or the maximum if smaller);
 * values above the last edge go to the last bin (and read back as the maximum).
 */

/** The first bin's upper edge, in the histogram's unit (ms for latencies: 10 µs). */
export const LOG_HISTOGRAM_MIN = 0.01;
/** Bins per doubling. */
const PER_DOUBLING = 4;
/** Bins: edges up to 0.01 · 2^22 ≈ 42,000 (42 s in ms), then one overflow bin. */
export const LOG_HISTOGRAM_BINS = 90;

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export class LogHistogram {
  readonly counts = new Uint32Array(LOG_HISTOGRAM_BINS);
  count = 0;
  max = 0;
  /**
   * The sum as an unevaluated pair high + low (double-double, by Knuth's TwoSum): every addition keeps its
   * rounding error, so the sum is the same double whatever the order values and histograms were added in.
   * Replicas that file the same searches in different time buckets must report the same mean.
   */
  private sumHigh = 0;
  private sumLow = 0;

  get sum(): number {
    return this.sumHigh + this.sumLow;
  }

  record(value: number): void {
    this.counts[binOf(value)]++;
    this.count++;
    this.addToSum(value, 0);
    if (value > this.max) this.max = value;
  }

  add(other: LogHistogram): void {
    for (let i = 0; i < LOG_HISTOGRAM_BINS; i++) this.counts[i] += other.counts[i];
    this.count += other.count;
    this.addToSum(other.sumHigh, other.sumLow);
    if (other.max > this.max) this.max = other.max;
  }

  private addToSum(high: number, low: number): void {
    const s = this.sumHigh + high;
    const v = s - this.sumHigh;
    const error = (this.sumHigh - (s - v)) + (high - v);
    const t = error + this.sumLow + low;
    this.sumHigh = s + t;
    this.sumLow = t - (this.sumHigh - s);
  }

  /**
   * The nearest-rank percentile (the value at rank ceil(p·n)), placed inside its bin by log-linear interpolation
   * and never above the largest value seen; NaN when empty.
   */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let before = 0;
    for (let i = 0; i < LOG_HISTOGRAM_BINS; i++) {
      const inBin = this.counts[i];
      if (before + inBin >= rank) {
        const high = upperEdge(i);
        if (i === 0) return Math.min(high, this.max); // below the first edge nothing is resolved: 10 µs is "about 0"
        const low = upperEdge(i - 1);
        return Math.min(low * (high / low) ** ((rank - before - 0.5) / inBin), this.max);
      }
      before += inBin;
    }
    return this.max;
  }

  summary(): Percentiles {
    return {
      count: this.count, mean: this.count > 0 ? this.sum / this.count : Number.NaN,
      p50: this.percentile(0.5), p90: this.percentile(0.9), p99: this.percentile(0.99), max: this.max,
    };
  }
}

/** Bin i holds values in (upperEdge(i − 1), upperEdge(i)]. */
export function upperEdge(bin: number): number {
  return bin >= LOG_HISTOGRAM_BINS - 1 ? Number.POSITIVE_INFINITY : LOG_HISTOGRAM_MIN * 2 ** (bin / PER_DOUBLING);
}

/** The finite upper edges, for a binary search: seven comparisons cost less than a logarithm on the hot path. */
const EDGES = Float64Array.from({ length: LOG_HISTOGRAM_BINS - 1 }, (_, i) => upperEdge(i));

function binOf(value: number): number {
  if (!(value > EDGES[0])) return 0; // NaN too
  let low = 1;
  let high = LOG_HISTOGRAM_BINS - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (value <= EDGES[mid]) high = mid;
    else low = mid + 1;
  }
  return low;
}
