/**
 * Dense symmetric positive-(semi)definite algebra: Cholesky factorisation (row-major, lower), solves, and the
 * quadratic form xᵀA⁻¹x. The randomized SVD's Cholesky QR and the linear bandits (LinUCB's width, linear
 * Thompson sampling's variance) share it.
 */

/**
 * Lower-triangular L with A = LLᵀ (row-major, d × d), column by column. Without `dropBelow` a pivot that is not
 * positive throws (a bug: the bandits' ridge priors keep A positive definite). With it, a column whose pivot is
 * at most `dropBelow` (numerically a combination of the earlier ones) is left zero: the rank-deficient
 * factorisation Cholesky QR needs, where a zero column of L becomes a zero column of Q.
 */
export function cholesky(a: Float64Array, d: number, dropBelow?: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let pivot = a[j * d + j];
    for (let p = 0; p < j; p++) pivot -= l[j * d + p] * l[j * d + p];
    if (!(pivot > (dropBelow ?? 0))) {
      if (dropBelow === undefined) throw new Error(`cholesky: matrix not positive definite at ${j} (${pivot})`);
      continue;
    }
    const root = Math.sqrt(pivot);
    l[j * d + j] = root;
    for (let i = j + 1; i < d; i++) {
      let s = a[i * d + j];
      for (let p = 0; p < j; p++) s -= l[i * d + p] * l[j * d + p];
      l[i * d + j] = s / root;
    }
  }
  return l;
}

/** y with L y = x (forward substitution). */
export function forward(l: Float64Array, d: number, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = x[i];
    for (let k = 0; k < i; k++) sum -= l[i * d + k] * y[k];
    y[i] = sum / l[i * d + i];
  }
  return y;
}

/** z with Lᵀ z = y (back substitution). */
export function backward(l: Float64Array, d: number, y: ArrayLike<number>): Float64Array {
  const z = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < d; k++) sum -= l[k * d + i] * z[k];
    z[i] = sum / l[i * d + i];
  }
  return z;
}

/** A⁻¹ b from A's factor. */
export function solve(l: Float64Array, d: number, b: ArrayLike<number>): Float64Array {
  return backward(l, d, forward(l, d, b));
}

/** xᵀ A⁻¹ x = ‖L⁻¹ x‖². */
export function inverseQuadratic(l: Float64Array, d: number, x: ArrayLike<number>): number {
  const y = forward(l, d, x);
  let sum = 0;
  for (let i = 0; i < d; i++) sum += y[i] * y[i];
  return sum;
}

/** A⁻¹ (row-major) from A's factor, one solve per column. */
export function inverseFromFactor(l: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  const unit = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    unit.fill(0);
    unit[j] = 1;
    const column = solve(l, d, unit);
    for (let i = 0; i < d; i++) inv[i * d + j] = column[i];
  }
  return inv;
}
