/**
 * Truncated SVD of a sparse matrix by randomized subspace iteration (Halko, Martinsson & Tropp 2011, "Finding
 * structure with randomness", algorithms 4.4 and 5.1): sketch the range of A with a seeded Gaussian test matrix,
 * sharpen it with power iterations (re-orthonormalised after every product, so small singular values are not
 * lost to rounding), then take the exact SVD of the small projected problem. Cost: 2·(q + 1) + 1 passes over
 * A's non-zeros times the sketch width, plus O((m + n)·width²) dense work; deterministic by seed.
 */
import { createError } from '../errors.js';
import { gaussianMatrix, gram, orthonormalizeColumns, symmetricEigen } from './dense.js';
import type { SparseMatrix } from './sparse.js';

export interface SvdOptions {
  /** Extra sketch columns beyond `rank` (Halko's p); 10 is their usual advice. */
  oversample?: number;
  /** Power iterations (Halko's q); each sharpens a slowly decaying spectrum. */
  powerIterations?: number;
  seed?: number;
  /** Also return U (rows × rank); the LSA embedder does not need it. */
  leftVectors?: boolean;
}

export interface TruncatedSvd {
  rank: number;
  /** Descending; zeros past the matrix's numerical rank. */
  singularValues: Float64Array;
  /** cols × rank, row-major: row j is feature j's coordinates. Columns past the numerical rank are zero. */
  v: Float64Array;
  /** rows × rank, row-major, when asked for. */
  u?: Float64Array;
}

export function randomizedSvd(a: SparseMatrix, rank: number, options: SvdOptions = {}): TruncatedSvd {
  const oversample = options.oversample ?? 10;
  const powerIterations = options.powerIterations ?? 2;
  if (!Number.isInteger(rank) || rank < 1) throw createError('OPTION_OUT_OF_RANGE', 'svd.rank', rank, 'an integer ≥ 1');
  if (!Number.isInteger(oversample) || oversample < 0) throw createError('OPTION_OUT_OF_RANGE', 'svd.oversample', oversample, 'an integer ≥ 0');
  if (!Number.isInteger(powerIterations) || powerIterations < 0) {
    throw createError('OPTION_OUT_OF_RANGE', 'svd.powerIterations', powerIterations, 'an integer ≥ 0');
  }
  const width = rank + oversample;
  const { rows, cols } = a;

  // Intermediate bases only carry a span to the next product, so one Cholesky QR pass does; the last basis Q
  // must be orthonormal to working precision, so it gets two.
  const passes = (last: boolean) => (last ? 2 : 1);
  let q = orthonormalizeColumns(a.times(gaussianMatrix(cols, width, options.seed ?? 1), width), rows, width, passes(powerIterations === 0));
  for (let i = 0; i < powerIterations; i++) {
    const z = orthonormalizeColumns(a.transposeTimes(q, width), cols, width, 1);
    q = orthonormalizeColumns(a.times(z, width), rows, width, passes(i === powerIterations - 1));
  }
  // Z = AᵀQ = Bᵀ for B = QᵀA; B·Bᵀ = ZᵀZ = W·Λ·Wᵀ gives B's singular values √λ and left vectors W,
  // so A ≈ Q·B has U = Q·W and V = Z·W·Σ⁻¹.
  const z = a.transposeTimes(q, width);
  const { values, vectors: w } = symmetricEigen(gram(z, cols, width), width);
  const singularValues = new Float64Array(rank);
  const largest = Math.sqrt(Math.max(values[0] ?? 0, 0));
  for (let k = 0; k < rank; k++) {
    const sigma = Math.sqrt(Math.max(values[k], 0));
    singularValues[k] = sigma > largest * 1e-10 ? sigma : 0; // below this, √λ is rounding noise
  }
  const v = projectColumns(z, cols, width, w, rank, singularValues);
  canonicalSigns(v, cols, rank, w, width);
  const u = options.leftVectors ? projectColumns(q, rows, width, w, rank) : undefined;
  return { rank, singularValues, v, u };
}

/** X·W[:, :rank], each column k divided by scale[k] (a zero scale gives a zero column). */
function projectColumns(x: Float64Array, rows: number, width: number, w: Float64Array, rank: number, scale?: Float64Array): Float64Array {
  const out = new Float64Array(rows * rank);
  for (let r = 0; r < rows; r++) {
    const xo = r * width;
    const o = r * rank;
    for (let i = 0; i < width; i++) {
      const xi = x[xo + i];
      if (xi === 0) continue;
      const wo = i * width;
      for (let k = 0; k < rank; k++) out[o + k] += xi * w[wo + k];
    }
  }
  if (scale) for (let r = 0; r < rows; r++) for (let k = 0; k < rank; k++) out[r * rank + k] = scale[k] > 0 ? out[r * rank + k] / scale[k] : 0;
  return out;
}

/**
 * Singular vectors are defined up to sign; this makes each V column's largest entry positive (the first on
 * ties) and flips W's column with it, so U and V stay paired and a model trained twice is bit-identical.
 */
function canonicalSigns(v: Float64Array, rows: number, rank: number, w: Float64Array, width: number): void {
  for (let k = 0; k < rank; k++) {
    let best = 0;
    for (let r = 0; r < rows; r++) if (Math.abs(v[r * rank + k]) > Math.abs(best)) best = v[r * rank + k];
    if (best >= 0) continue;
    for (let r = 0; r < rows; r++) v[r * rank + k] = -v[r * rank + k];
    for (let i = 0; i < width; i++) w[i * width + k] = -w[i * width + k];
  }
}
