/**
 * The one DCG the LambdaRank objective and the ranking metrics share (after LightGBM's DCGCalculator), over a
 * query's rows in a typed array: gain 2^label − 1 and discount 1/log2(rank + 2) come from src/eval/metrics.ts, so
 * the trainer optimises exactly what `quiver eval` and the LTR metrics report.
 */
import { discount, gain } from '../../eval/metrics.js';

/** discount(rank) for ranks 0…, grown on demand: the objective asks for it once per pair. */
let discounts = new Float64Array(0);

export function discountAt(rank: number): number {
  if (rank >= discounts.length) {
    discounts = Float64Array.from({ length: Math.max(rank + 1, discounts.length * 2, 64) }, (_, i) => discount(i));
  }
  return discounts[rank];
}

export { gain };

/**
 * Fills order[0 … end − start) with the query's row offsets (0-based within the query) best first: by score
 * descending, ties in row order, so an untrained model (all scores equal) ranks the rows as given.
 */
export function rankByScore(scores: ArrayLike<number>, start: number, end: number, order: Int32Array): Int32Array {
  const n = end - start;
  const view = order.subarray(0, n);
  for (let i = 0; i < n; i++) view[i] = i;
  view.sort((a, b) => scores[start + b] - scores[start + a] || a - b);
  return view;
}

/** DCG@k of the query's rows start…end − 1 taken in `order` (offsets within the query). */
export function dcgAt(labels: ArrayLike<number>, start: number, order: ArrayLike<number>, k: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(k, order.length); i++) sum += gain(labels[start + order[i]]) * discountAt(i);
  return sum;
}

/** The largest DCG@k any ordering of the query's labels can reach. */
export function maxDcgAt(labels: ArrayLike<number>, start: number, end: number, k: number): number {
  const sorted = Float64Array.from({ length: end - start }, (_, i) => labels[start + i]).sort().reverse();
  let sum = 0;
  for (let i = 0; i < Math.min(k, sorted.length); i++) sum += gain(sorted[i]) * discountAt(i);
  return sum;
}
