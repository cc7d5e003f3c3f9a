/**
 * Latency summaries for the index benchmark. Percentiles use the nearest-rank definition (the value at
 * rank ceil(p·n)), the same one bench/xapian_bench.py uses, so the engines' numbers are comparable; the
 * arithmetic is src/eval/latency.ts, shared with `quiver eval strategies`.
 */
import { percentile, summariseMs } from '../src/eval/latency.js';

export { percentile };

export interface LatencySummary {
  /** Number of timed queries. */
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** Summarises per-query latencies given in nanoseconds. */
export function summarise(latenciesNs: Float64Array | number[]): LatencySummary {
  return { count: latenciesNs.length, ...summariseMs(Float64Array.from(latenciesNs, (ns) => ns / 1e6)) };
}
