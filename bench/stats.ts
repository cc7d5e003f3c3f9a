/**
 * Latency summaries for the index benchmark. Percentiles use the nearest-rank definition (the value at
 * rank ceil(p·n)), the same one bench/xapian_bench.py uses, so the engines' numbers are comparable.
 */

export interface LatencySummary {
  /** Number of timed queries. */
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** Nearest-rank percentile of an ascending array; p in (0, 1]. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

/** Summarises per-query latencies given in nanoseconds. */
export function summarise(latenciesNs: Float64Array | number[]): LatencySummary {
  const ms = Float64Array.from(latenciesNs, (ns) => ns / 1e6).sort();
  let total = 0;
  for (const v of ms) total += v;
  return {
    count: ms.length,
    meanMs: ms.length > 0 ? total / ms.length : Number.NaN,
    p50Ms: percentile(ms, 0.5),
    p99Ms: percentile(ms, 0.99),
  };
}
