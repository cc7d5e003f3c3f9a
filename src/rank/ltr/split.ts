/**
 * The best split of a leaf from its gradient histogram. Splitting rows into L (bins ≤ b) and R changes the
 * second-order approximation of the loss by
 *
 *   gain = G_L² / (H_L + λ) + G_R² / (H_R + λ) − G² / (H + λ)
 *
 * (XGBoost's structure score, without its ½), and the Newton value of a leaf is −G / (H + λ). A split must leave
 * each side `minDataInLeaf` rows and `minSumHessian` hessian. Features are scanned in ascending order and only a
 * strictly larger gain replaces the best, so ties go to the lower feature, then the lower bin: growth is
 * deterministic.
 */
import type { BinnedFeatures } from './binning.js';

export interface SplitConstraints {
  minDataInLeaf: number;
  minSumHessian: number;
  lambdaL2: number;
  /** A split must gain more than this. */
  minGain: number;
}

export interface Split {
  gain: number;
  /** Usable feature index (into BinnedFeatures), −1 when no split qualifies. */
  feature: number;
  /** Rows with bin ≤ this go left. */
  bin: number;
  leftGradient: number;
  leftHessian: number;
  leftCount: number;
}

export function noSplit(): Split {
  return { gain: 0, feature: -1, bin: 0, leftGradient: 0, leftHessian: 0, leftCount: 0 };
}

export function leafValue(gradient: number, hessian: number, lambdaL2: number): number {
  return -gradient / (hessian + lambdaL2);
}

/** Writes the best split of a leaf with these totals into `best` (feature −1 when none gains > minGain). */
export function findBestSplit(
  hist: Float64Array,
  binned: BinnedFeatures,
  features: Int32Array,
  total: { gradient: number; hessian: number; count: number },
  constraints: SplitConstraints,
  best: Split,
): Split {
  const { minDataInLeaf, minSumHessian, lambdaL2, minGain } = constraints;
  const { gradient: G, hessian: H, count: N } = total;
  const parentScore = (G * G) / (H + lambdaL2);
  best.gain = minGain;
  best.feature = -1;
  for (let j = 0; j < features.length; j++) {
    const f = features[j];
    const first = binned.binOffsets[f];
    const last = binned.binOffsets[f + 1] - 1;
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let b = first; b < last; b++) {
      gl += hist[3 * b];
      hl += hist[3 * b + 1];
      nl += hist[3 * b + 2];
      if (nl < minDataInLeaf || hl < minSumHessian) continue;
      const nr = N - nl;
      const hr = H - hl;
      if (nr < minDataInLeaf) break;
      if (hr < minSumHessian) continue;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + lambdaL2) + (gr * gr) / (hr + lambdaL2) - parentScore;
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = f;
        best.bin = b - first;
        best.leftGradient = gl;
        best.leftHessian = hl;
        best.leftCount = nl;
      }
    }
  }
  return best;
}
