/**
 * Ranking metrics over a data set and a score per row (LightGBM's Metric, kept apart from the objective that
 * trains): NDCG@k on the shared DCG code, and MAP with graded labels read as relevant when > 0. Each is the mean
 * over queries; a query with no relevant row cannot be ranked wrong and counts 1 (LightGBM's and XGBoost's
 * convention, so the numbers compare with theirs). Rows tied on score keep their file order.
 */
import { mean } from '../../eval/metrics.js';
import type { RankDataset } from './dataset.js';
import { dcgAt, discountAt, gain, maxDcgAt, rankByScore } from './dcg.js';

export interface RankMetric {
  readonly name: string;
  /** Mean over the data's queries; higher is better, 1 is perfect. */
  evaluate(data: RankDataset, scores: ArrayLike<number>): number;
  /** The value of each query, in the data's order (what `evaluate` averages). */
  perQuery(data: RankDataset, scores: ArrayLike<number>): Float64Array;
}

/** A metric from its value for one query's rows (start…start + order.length − 1) ranked in `order`. */
function metricOf(name: string, valueOf: (data: RankDataset, start: number, order: Int32Array) => number): RankMetric {
  const perQuery = (data: RankDataset, scores: ArrayLike<number>): Float64Array => {
    const offsets = data.groupOffsets;
    let largest = 0;
    for (let q = 0; q + 1 < offsets.length; q++) largest = Math.max(largest, offsets[q + 1] - offsets[q]);
    const order = new Int32Array(largest);
    const values = new Float64Array(Math.max(0, offsets.length - 1));
    for (let q = 0; q < values.length; q++) values[q] = valueOf(data, offsets[q], rankByScore(scores, offsets[q], offsets[q + 1], order));
    return values;
  };
  return {
    name,
    perQuery,
    evaluate: (data, scores) => mean(perQuery(data, scores)),
  };
}

export function ndcgMetric(k: number): RankMetric {
  return metricOf(`ndcg@${k}`, (data, start, order) => {
    const ideal = maxDcgAt(data.labels, start, start + order.length, k);
    return ideal > 0 ? dcgAt(data.labels, start, order, k) / ideal : 1;
  });
}

/**
 * NDCG@k with each row's gain multiplied by its weight: with inverse-propensity weights on clicks, the
 * click-based NDCG made (nearly) unbiased by position (Joachims et al. 2017), so a ranking is not judged better
 * for putting first what the logging ranker happened to show first. Without weights it is ndcgMetric(k).
 */
export function weightedNdcgMetric(k: number): RankMetric {
  const plain = ndcgMetric(k);
  const weighted = metricOf(`weighted-ndcg@${k}`, (data, start, order) => {
    const gainOf = (row: number) => data.weights![row] * gain(data.labels[row]);
    const ideal = Float64Array.from({ length: order.length }, (_, i) => gainOf(start + i)).sort().reverse();
    let best = 0;
    let got = 0;
    for (let i = 0; i < Math.min(k, order.length); i++) {
      best += ideal[i] * discountAt(i);
      got += gainOf(start + order[i]) * discountAt(i);
    }
    return best > 0 ? got / best : 1;
  });
  return {
    name: weighted.name,
    evaluate: (data, scores) => (data.weights ? weighted : plain).evaluate(data, scores),
    perQuery: (data, scores) => (data.weights ? weighted : plain).perQuery(data, scores),
  };
}

export const mapMetric: RankMetric = metricOf('map', (data, start, order) => {
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < order.length; i++) if (data.labels[start + order[i]] > 0) sum += ++hits / (i + 1);
  return hits > 0 ? sum / hits : 1;
});

/** What `quiver ltr eval` reports, in this order. */
export const EVAL_METRICS: readonly RankMetric[] = [ndcgMetric(1), ndcgMetric(3), ndcgMetric(5), ndcgMetric(10), mapMetric];

export function evaluateRanking(data: RankDataset, scores: ArrayLike<number>, metrics: readonly RankMetric[] = EVAL_METRICS): Record<string, number> {
  return Object.fromEntries(metrics.map((m) => [m.name, m.evaluate(data, scores)]));
}
