/**
 * Sufficient statistics of one ridge regression: S = Σ w·xxᵀ, b = Σ w·r·x, n = Σ w. They add up, so two
 * replicas' statistics merge exactly by summing, and a log replayed in any order gives the same state. The ridge
 * prior λI is added only when solving, never stored, so merging never counts it twice.
 *
 * The inverse (λI + S)⁻¹ is derived state, kept current by a Sherman–Morrison rank-one update per observation
 * (O(d²) instead of a fresh O(d³) factorisation: the retrieval policy updates dozens of arms per request). It is
 * recomputed from the sums after a merge, on load and every `REFRESH_EVERY` updates, so rounding never drifts far.
 */
import { cholesky, inverseFromFactor } from '../util/cholesky.js';

const REFRESH_EVERY = 4096;

export interface LinearStatsState {
  d: number;
  lambda: number;
  n: number;
  xx: number[];
  xr: number[];
}

export class LinearStats {
  readonly xx: Float64Array;
  readonly xr: Float64Array;
  n = 0;
  private inv?: Float64Array;
  private sinceRefresh = 0;

  constructor(
    readonly d: number,
    readonly lambda = 1,
  ) {
    this.xx = new Float64Array(d * d);
    this.xr = new Float64Array(d);
  }

  /**
   * Adds one observation. Returns the rank-one step applied to the inverse, A⁻¹ ← A⁻¹ − scale·uuᵀ with
   * u = A⁻¹x before the step, or undefined when the inverse was dropped (to be recomputed): callers that keep
   * products with A⁻¹ (the hybrid model) update them with it.
   */
  add(x: ArrayLike<number>, reward: number, weight = 1): { u: Float64Array; scale: number } | undefined {
    const d = this.d;
    for (let i = 0; i < d; i++) {
      const xi = x[i] * weight;
      if (xi === 0) continue;
      this.xr[i] += xi * reward;
      for (let j = 0; j < d; j++) this.xx[i * d + j] += xi * x[j];
    }
    this.n += weight;
    if (this.inv && ++this.sinceRefresh < REFRESH_EVERY) return this.shermanMorrison(this.inv, x, weight);
    this.inv = undefined;
    return undefined;
  }

  merge(other: LinearStats): void {
    for (let i = 0; i < this.xx.length; i++) this.xx[i] += other.xx[i];
    for (let i = 0; i < this.d; i++) this.xr[i] += other.xr[i];
    this.n += other.n;
    this.inv = undefined;
  }

  /** (λI + S)⁻¹, row-major. Callers must not modify it. */
  inverse(): Float64Array {
    if (!this.inv) {
      const d = this.d;
      const a = Float64Array.from(this.xx);
      for (let i = 0; i < d; i++) a[i * d + i] += this.lambda;
      this.inv = inverseFromFactor(cholesky(a, d), d);
      this.sinceRefresh = 0;
    }
    return this.inv;
  }

  /** The ridge estimate θ = (λI + S)⁻¹ b. */
  theta(): Float64Array {
    return multiply(this.inverse(), this.d, this.xr);
  }

  /** xᵀ(λI + S)⁻¹x: how uncertain the estimate is in the direction x. */
  uncertainty(x: ArrayLike<number>): number {
    return dotProduct(x, multiply(this.inverse(), this.d, x));
  }

  toJSON(): LinearStatsState {
    return { d: this.d, lambda: this.lambda, n: this.n, xx: [...this.xx], xr: [...this.xr] };
  }

  static fromJSON(state: LinearStatsState): LinearStats {
    const stats = new LinearStats(state.d, state.lambda);
    stats.xx.set(state.xx);
    stats.xr.set(state.xr);
    stats.n = state.n;
    return stats;
  }

  /** A⁻¹ ← A⁻¹ − w·(A⁻¹x)(A⁻¹x)ᵀ / (1 + w·xᵀA⁻¹x), for A ← A + w·xxᵀ (A⁻¹ symmetric). */
  private shermanMorrison(inv: Float64Array, x: ArrayLike<number>, weight: number): { u: Float64Array; scale: number } {
    const d = this.d;
    const u = multiply(inv, d, x);
    const scale = weight / (1 + weight * dotProduct(x, u));
    for (let i = 0; i < d; i++) {
      const ui = u[i] * scale;
      if (ui === 0) continue;
      for (let j = 0; j < d; j++) inv[i * d + j] -= ui * u[j];
    }
    return { u, scale };
  }
}

/**
 * M·x for a row-major d × d matrix. Only x's non-zero entries are visited: the policy's contexts are mostly
 * one-hot (about 20 of 70 entries set), so this is d·nnz instead of d² work per arm, and the sums are the same
 * to the bit (a 0·m term adds nothing; M is finite).
 */
export function multiply(m: Float64Array, d: number, x: ArrayLike<number>): Float64Array {
  const at = new Int32Array(d);
  const value = new Float64Array(d);
  let nnz = 0;
  for (let j = 0; j < d; j++) {
    if (x[j] === 0) continue;
    at[nnz] = j;
    value[nnz++] = x[j];
  }
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = 0;
    const row = i * d;
    for (let k = 0; k < nnz; k++) sum += m[row + at[k]] * value[k];
    out[i] = sum;
  }
  return out;
}

export function dotProduct(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
