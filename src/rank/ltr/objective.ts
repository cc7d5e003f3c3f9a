/**
 * Training objectives: what the trees are fit to, kept apart from the metrics that judge them (LightGBM's
 * ObjectiveFunction). LambdaRank for NDCG (Burges 2010): rank a query's rows by the current scores; for every pair
 * of rows with different labels, at least one of them within the first `truncation` ranks, with i the more
 * relevant,
 *
 *   ρ_ij = 1 / (1 + e^{σ(s_i − s_j)}),   λ_ij = σ · ρ_ij · |ΔNDCG_ij|,   w_ij = σ² · ρ_ij (1 − ρ_ij) · |ΔNDCG_ij|
 *
 * where |ΔNDCG_ij| is how much swapping the two would change the query's NDCG (full discounts, normalised by the
 * ideal DCG@truncation, as LightGBM does). Row i's gradient gets −λ_ij, row j's +λ_ij, both hessians w_ij. These
 * are exactly the first and (diagonal) second derivatives of the smoothed pairwise loss
 *
 *   Σ_q c_q Σ_(i,j) |ΔNDCG_ij| · log(1 + e^{−σ(s_i − s_j)})
 *
 * with the pairs, the |ΔNDCG_ij| and the per-query factor c_q held at the current ordering (`smoothedLoss`). With
 * `normalize`, c_q = log2(1 + S_q) / S_q, S_q = Σ 2λ_ij (LightGBM's lambdarank_norm): queries with many
 * misordered pairs do not drown the rest; otherwise c_q = 1. With row weights, a pair's |ΔNDCG_ij| is multiplied
 * by the weights of both its rows: the more relevant row's (a click's inverse examination propensity) and the less
 * relevant row's (1 for a result shown and not clicked; less for a softer negative, such as a candidate of the
 * union that was never shown).
 */
import type { RankDataset } from './dataset.js';
import { discountAt, gain, maxDcgAt, rankByScore } from './dcg.js';

export interface RankObjective {
  readonly name: string;
  /** Writes d loss / d score (grad) and d² loss / d score² (hess) for every row. */
  gradients(scores: ArrayLike<number>, grad: Float64Array, hess: Float64Array): void;
}

export interface LambdaRankOptions {
  /** σ, the steepness of the pairwise logistic. */
  sigma: number;
  /** Only pairs with a row in the first `truncation` ranks count (NDCG@truncation is what is optimised). */
  truncation: number;
  /** Scale each query's lambdas by log2(1 + S) / S. */
  normalize: boolean;
}

/** log(1 + e^{−x}) without overflow for large |x|. */
function softplusOfNegative(x: number): number {
  return x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
}

export class LambdaRankObjective implements RankObjective {
  readonly name = 'lambdarank';
  private readonly gains: Float64Array;
  /** 1 / ideal DCG@truncation per query; 0 for a query with nothing relevant (it has no pairs to order). */
  private readonly inverseIdeal: Float64Array;
  private readonly order: Int32Array;
  /** discount(rank) for the ranks of the largest query, local so the pair loop makes no calls. */
  private readonly discounts: Float64Array;

  constructor(
    private readonly data: RankDataset,
    private readonly options: LambdaRankOptions,
  ) {
    this.gains = Float64Array.from(data.labels, gain);
    const offsets = data.groupOffsets;
    this.inverseIdeal = new Float64Array(offsets.length - 1);
    let largest = 0;
    for (let q = 0; q < this.inverseIdeal.length; q++) {
      const ideal = maxDcgAt(data.labels, offsets[q], offsets[q + 1], options.truncation);
      this.inverseIdeal[q] = ideal > 0 ? 1 / ideal : 0;
      largest = Math.max(largest, offsets[q + 1] - offsets[q]);
    }
    this.order = new Int32Array(largest);
    this.discounts = Float64Array.from({ length: largest }, (_, rank) => discountAt(rank));
  }

  gradients(scores: ArrayLike<number>, grad: Float64Array, hess: Float64Array): void {
    grad.fill(0);
    hess.fill(0);
    const { sigma, truncation, normalize } = this.options;
    const offsets = this.data.groupOffsets;
    const gains = this.gains;
    const discounts = this.discounts;
    const weights = this.data.weights;
    for (let q = 0; q < this.inverseIdeal.length; q++) {
      const start = offsets[q];
      const end = offsets[q + 1];
      if (this.inverseIdeal[q] === 0 || end - start < 2) continue;
      const order = rankByScore(scores, start, end, this.order);
      let lambdaSum = 0;
      for (let a = 0; a < Math.min(truncation, order.length); a++) {
        for (let b = a + 1; b < order.length; b++) {
          const ra = start + order[a];
          const rb = start + order[b];
          if (gains[ra] === gains[rb]) continue;
          const high = gains[ra] > gains[rb] ? ra : rb;
          const low = high === ra ? rb : ra;
          const delta = (gains[high] - gains[low]) * (discounts[a] - discounts[b]) * this.inverseIdeal[q] * (weights ? weights[high] * weights[low] : 1);
          const rho = 1 / (1 + Math.exp(sigma * (scores[high] - scores[low])));
          const lambda = sigma * rho * delta;
          const weight = sigma * sigma * rho * (1 - rho) * delta;
          grad[high] -= lambda;
          grad[low] += lambda;
          hess[high] += weight;
          hess[low] += weight;
          lambdaSum += 2 * lambda;
        }
      }
      if (normalize && lambdaSum > 0) {
        const factor = Math.log2(1 + lambdaSum) / lambdaSum;
        for (let r = start; r < end; r++) {
          grad[r] *= factor;
          hess[r] *= factor;
        }
      }
    }
  }

  /** The loss whose derivatives `gradients` writes at `at`: pairs, |ΔNDCG| and c_q from the ordering by `at`. */
  smoothedLoss(scores: ArrayLike<number>, at: ArrayLike<number>): number {
    const { sigma, truncation, normalize } = this.options;
    const offsets = this.data.groupOffsets;
    const gains = this.gains;
    const discounts = this.discounts;
    const weights = this.data.weights;
    let loss = 0;
    for (let q = 0; q < this.inverseIdeal.length; q++) {
      const start = offsets[q];
      const end = offsets[q + 1];
      if (this.inverseIdeal[q] === 0 || end - start < 2) continue;
      const order = rankByScore(at, start, end, this.order);
      let queryLoss = 0;
      let lambdaSum = 0;
      for (let a = 0; a < Math.min(truncation, order.length); a++) {
        for (let b = a + 1; b < order.length; b++) {
          const ra = start + order[a];
          const rb = start + order[b];
          if (gains[ra] === gains[rb]) continue;
          const high = gains[ra] > gains[rb] ? ra : rb;
          const low = high === ra ? rb : ra;
          const delta = (gains[high] - gains[low]) * (discounts[a] - discounts[b]) * this.inverseIdeal[q] * (weights ? weights[high] * weights[low] : 1);
          queryLoss += delta * softplusOfNegative(sigma * (scores[high] - scores[low]));
          lambdaSum += (2 * sigma * delta) / (1 + Math.exp(sigma * (at[high] - at[low])));
        }
      }
      loss += normalize && lambdaSum > 0 ? (queryLoss * Math.log2(1 + lambdaSum)) / lambdaSum : queryLoss;
    }
    return loss;
  }
}
