/**
 * The oracle for the randomized SVD: singular values of a small dense matrix by one-sided Jacobi (Hestenes),
 * a different algorithm from the one under test, exact to working precision. Plus dense helpers for checks.
 */

/** Singular values, descending, of a row-major `rows × cols` matrix. */
export function exactSingularValues(a: Float64Array, rows: number, cols: number): number[] {
  const x = Float64Array.from(a);
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let i = 0; i < cols - 1; i++) {
      for (let j = i + 1; j < cols; j++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let r = 0; r < rows; r++) {
          const xi = x[r * cols + i];
          const xj = x[r * cols + j];
          alpha += xi * xi;
          beta += xj * xj;
          gamma += xi * xj;
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let r = 0; r < rows; r++) {
          const xi = x[r * cols + i];
          const xj = x[r * cols + j];
          x[r * cols + i] = c * xi - s * xj;
          x[r * cols + j] = s * xi + c * xj;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = [];
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * cols + j] ** 2;
    norms.push(Math.sqrt(s));
  }
  return norms.sort((p, q) => q - p);
}

/** ‖A − U·diag(σ)·Vᵀ‖_F for row-major A (rows × cols), U (rows × rank), V (cols × rank). */
export function reconstructionError(a: Float64Array, rows: number, cols: number, u: Float64Array, sigma: Float64Array, v: Float64Array): number {
  const rank = sigma.length;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let approx = 0;
      for (let k = 0; k < rank; k++) approx += u[r * rank + k] * sigma[k] * v[c * rank + k];
      total += (a[r * cols + c] - approx) ** 2;
    }
  }
  return Math.sqrt(total);
}

/** The largest |XᵀX − D| entry, where D is the identity on non-zero columns and 0 on zero columns. */
export function orthonormalityDefect(x: Float64Array, rows: number, width: number): number {
  let worst = 0;
  for (let i = 0; i < width; i++) {
    for (let j = i; j < width; j++) {
      let s = 0;
      let si = 0;
      for (let r = 0; r < rows; r++) {
        s += x[r * width + i] * x[r * width + j];
        si += x[r * width + i] ** 2;
      }
      const expected = i === j && si > 0 ? 1 : 0;
      worst = Math.max(worst, Math.abs(s - expected));
    }
  }
  return worst;
}
