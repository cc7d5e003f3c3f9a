/**
 * Sufficient statistics of one arm's ridge regression: S = Σ w·xxᵀ, b = Σ w·r·x, n = Σ w. They add up, so two
 * replicas' statistics merge exactly by summing, and a log replayed in any order gives the same state. The ridge
 * prior λI is added only when solving, never stored, so merging never counts it twice.
 */
import { backward, cholesky, inverseQuadratic, solve } from '../util/cholesky.js';

export class LinearStats {
  readonly xx: Float64Array;
  readonly xr: Float64Array;
  n = 0;
  private factor?: Float64Array;

  constructor(
    readonly d: number,
    readonly lambda = 1,
  ) {
    this.xx = new Float64Array(d * d);
    this.xr = new Float64Array(d);
  }

  add(x: ArrayLike<number>, reward: number, weight = 1): void {
    const d = this.d;
    for (let i = 0; i < d; i++) {
      const xi = x[i] * weight;
      if (xi === 0) continue;
      this.xr[i] += xi * reward;
      for (let j = 0; j < d; j++) this.xx[i * d + j] += xi * x[j];
    }
    this.n += weight;
    this.factor = undefined;
  }

  merge(other: LinearStats): void {
    for (let i = 0; i < this.xx.length; i++) this.xx[i] += other.xx[i];
    for (let i = 0; i < this.d; i++) this.xr[i] += other.xr[i];
    this.n += other.n;
    this.factor = undefined;
  }

  /** Cholesky factor of λI + S, recomputed after a change. */
  private lower(): Float64Array {
    if (!this.factor) {
      const a = Float64Array.from(this.xx);
      for (let i = 0; i < this.d; i++) a[i * this.d + i] += this.lambda;
      this.factor = cholesky(a, this.d);
    }
    return this.factor;
  }

  /** The ridge estimate θ = (λI + S)⁻¹ b. */
  theta(): Float64Array {
    return solve(this.lower(), this.d, this.xr);
  }

  /** xᵀ(λI + S)⁻¹x: how uncertain the estimate is in the direction x. */
  uncertainty(x: ArrayLike<number>): number {
    return inverseQuadratic(this.lower(), this.d, x);
  }

  /** A draw from N(θ, v²(λI + S)⁻¹), from standard normals `z` (θ + v·L⁻ᵀz). */
  sample(v: number, z: ArrayLike<number>): Float64Array {
    const theta = this.theta();
    // L⁻ᵀ z has covariance (LLᵀ)⁻¹.
    const w = backward(this.lower(), this.d, z);
    for (let i = 0; i < this.d; i++) theta[i] += v * w[i];
    return theta;
  }

  toJSON() {
    return { d: this.d, lambda: this.lambda, n: this.n, xx: [...this.xx], xr: [...this.xr] };
  }

  static fromJSON(state: { d: number; lambda: number; n: number; xx: number[]; xr: number[] }): LinearStats {
    const stats = new LinearStats(state.d, state.lambda);
    stats.xx.set(state.xx);
    stats.xr.set(state.xr);
    stats.n = state.n;
    return stats;
  }
}

export function dotProduct(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
