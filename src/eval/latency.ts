/**
 * Latency summaries: mean and nearest-rank percentiles (the value at rank ceil(p·n), the definition
 * bench/xapian_bench.py uses too), shared by `quiver eval strategies` and the benchmarks.
 */

/** Nearest-rank percentile of an ascending array; p in (0, 1]. NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

export interface MsSummary {
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** Mean, p50 and p99 of latencies given in milliseconds. */
export function summariseMs(values: ArrayLike<number>): MsSummary {
  const sorted = Float64Array.from(values).sort();
  let total = 0;
  for (const v of sorted) total += v;
  return { meanMs: sorted.length > 0 ? total / sorted.length : Number.NaN, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}
