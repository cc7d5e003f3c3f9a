/**
 * Dense symmetric positive-definite algebra for the linear bandits: Cholesky factorisation (row-major, lower),
 * solves, and the quadratic form xᵀA⁻¹x, which is LinUCB's width and linear Thompson sampling's variance.
 */

/** Lower-triangular L with A = LLᵀ; throws if A is not positive definite (a bug: ridge priors keep it so). */
export function cholesky(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j];
      for (let k = 0; k < j; k++) sum -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(sum > 0)) throw new Error(`cholesky: matrix not positive definite at ${i} (${sum})`);
        l[i * d + i] = Math.sqrt(sum);
      } else l[i * d + j] = sum / l[j * d + j];
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
