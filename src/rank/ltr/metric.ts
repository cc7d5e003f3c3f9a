/**
 * Ranking metrics over a data set and a score per row (LightGBM's Metric, kept apart from the objective that
 * trains): NDCG@k on the shared DCG code, and MAP with graded labels read as relevant when > 0. Each is the mean
 * over queries; a query with no relevant row cannot be ranked wrong and counts 1 (LightGBM's and XGBoost's
 * convention, so the numbers compare with theirs). Rows tied on score keep their file order.
 */
import type { RankDataset } from './dataset.js';
import { dcgAt, maxDcgAt, rankByScore } from './dcg.js';

export interface RankMetric {
  readonly name: string;
  /** Mean over the data's queries; higher is better, 1 is perfect. */
  evaluate(data: RankDataset, scores: ArrayLike<number>): number;
}

function meanOverQueries(data: RankDataset, scores: ArrayLike<number>, perQuery: (start: number, order: Int32Array) => number): number {
  const offsets = data.groupOffsets;
  let largest = 0;
  for (let q = 0; q + 1 < offsets.length; q++) largest = Math.max(largest, offsets[q + 1] - offsets[q]);
  const order = new Int32Array(largest);
  let sum = 0;
  for (let q = 0; q + 1 < offsets.length; q++) sum += perQuery(offsets[q], rankByScore(scores, offsets[q], offsets[q + 1], order));
  return offsets.length > 1 ? sum / (offsets.length - 1) : 0;
}

export function ndcgMetric(k: number): RankMetric {
  return {
    name: `ndcg@${k}`,
    evaluate: (data, scores) =>
      meanOverQueries(data, scores, (start, order) => {
        const ideal = maxDcgAt(data.labels, start, start + order.length, k);
        return ideal > 0 ? dcgAt(data.labels, start, order, k) / ideal : 1;
      }),
  };
}

export const mapMetric: RankMetric = {
  name: 'map',
  evaluate: (data, scores) =>
    meanOverQueries(data, scores, (start, order) => {
      let hits = 0;
      let sum = 0;
      for (let i = 0; i < order.length; i++) if (data.labels[start + order[i]] > 0) sum += ++hits / (i + 1);
      return hits > 0 ? sum / hits : 1;
    }),
};

/** What `quiver ltr eval` reports, in this order. */
export const EVAL_METRICS: readonly RankMetric[] = [ndcgMetric(1), ndcgMetric(3), ndcgMetric(5), ndcgMetric(10), mapMetric];

export function evaluateRanking(data: RankDataset, scores: ArrayLike<number>, metrics: readonly RankMetric[] = EVAL_METRICS): Record<string, number> {
  return Object.fromEntries(metrics.map((m) => [m.name, m.evaluate(data, scores)]));
}
