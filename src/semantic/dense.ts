/**
 * Small dense linear algebra for the randomized SVD, on row-major Float64Arrays: seeded Gaussian matrices,
 * orthonormalising the columns of a tall matrix (Cholesky QR, twice), and the eigen-decomposition of a small
 * symmetric matrix (cyclic Jacobi). Tall matrices are only ever read row by row, so a million rows cost a few
 * passes over memory rather than one pass per column, as Gram–Schmidt would.
 */
import { cholesky } from '../util/cholesky.js';
import { fillStandardNormal, mulberry32 } from '../util/random.js';

/** A `rows × width` matrix of independent standard normal entries (Box–Muller), reproducible by seed. */
export function gaussianMatrix(rows: number, width: number, seed: number): Float64Array {
  return fillStandardNormal(new Float64Array(rows * width), mulberry32(seed));
}

/** XᵀX of a `rows × width` matrix (width × width, symmetric). Rows go four at a time: a quarter of the loads of G. */
export function gram(x: Float64Array, rows: number, width: number): Float64Array {
  const g = new Float64Array(width * width);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * width;
    const o1 = o0 + width;
    const o2 = o1 + width;
    const o3 = o2 + width;
    for (let i = 0; i < width; i++) {
      const a0 = x[o0 + i];
      const a1 = x[o1 + i];
      const a2 = x[o2 + i];
      const a3 = x[o3 + i];
      const gi = i * width;
      for (let j = i; j < width; j++) g[gi + j] += a0 * x[o0 + j] + a1 * x[o1 + j] + a2 * x[o2 + j] + a3 * x[o3 + j];
    }
  }
  for (; r < rows; r++) {
    const o = r * width;
    for (let i = 0; i < width; i++) {
      const xi = x[o + i];
      const gi = i * width;
      for (let j = i; j < width; j++) g[gi + j] += xi * x[o + j];
    }
  }
  for (let i = 0; i < width; i++) for (let j = 0; j < i; j++) g[i * width + j] = g[j * width + i];
  return g;
}

/**
 * Orthonormalises the columns of X in place (Cholesky QR: X = Q·Lᵀ with G = XᵀX = L·Lᵀ). A column that is
 * (numerically) a combination of the earlier ones gets a zero pivot and becomes a zero column, so
 * rank-deficient inputs are fine: the SVD reads zero columns as zero singular values.
 */
function choleskyQrOnce(x: Float64Array, rows: number, width: number): void {
  const g = gram(x, rows, width);
  let largest = 0;
  for (let i = 0; i < width; i++) largest = Math.max(largest, g[i * width + i]);
  // A column whose pivot is below this is (numerically) dependent: L's column j stays zero.
  const l = cholesky(g, width, largest * 1e-12);
  const kept = Uint8Array.from({ length: width }, (_, j) => (l[j * width + j] > 0 ? 1 : 0));
  // Q = X·L⁻ᵀ: invert the triangle once (width³/6), then each row is a vector–matrix product whose inner loop
  // runs over contiguous memory, four rows at a time.
  const inverse = lowerTriangularInverse(l, width, kept); // M = L⁻¹ (lower); Q = X·Mᵀ, so q_j = Σ_p x_p·M[j][p]
  const mt = new Float64Array(width * width); // Mᵀ, upper: mt[p][j] = M[j][p]
  for (let j = 0; j < width; j++) for (let p = 0; p <= j; p++) mt[p * width + j] = inverse[j * width + p];
  const q = new Float64Array(4 * width);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * width;
    const o1 = o0 + width;
    const o2 = o1 + width;
    const o3 = o2 + width;
    q.fill(0);
    for (let p = 0; p < width; p++) {
      const x0 = x[o0 + p];
      const x1 = x[o1 + p];
      const x2 = x[o2 + p];
      const x3 = x[o3 + p];
      const mo = p * width;
      for (let j = p; j < width; j++) {
        const m = mt[mo + j];
        q[j] += x0 * m;
        q[width + j] += x1 * m;
        q[2 * width + j] += x2 * m;
        q[3 * width + j] += x3 * m;
      }
    }
    x.set(q, o0);
  }
  for (; r < rows; r++) {
    const o = r * width;
    q.fill(0);
    for (let p = 0; p < width; p++) {
      const xp = x[o + p];
      const mo = p * width;
      for (let j = p; j < width; j++) q[j] += xp * mt[mo + j];
    }
    x.set(q.subarray(0, width), o);
  }
}

/** The inverse of a lower-triangular matrix whose dropped columns (kept[j] = 0) are zero: their rows stay zero. */
function lowerTriangularInverse(l: Float64Array, width: number, kept: Uint8Array): Float64Array {
  const inverse = new Float64Array(width * width);
  for (let j = 0; j < width; j++) {
    if (!kept[j]) continue;
    inverse[j * width + j] = 1 / l[j * width + j];
    for (let i = j + 1; i < width; i++) {
      if (!kept[i]) continue;
      let s = 0;
      for (let p = j; p < i; p++) s += l[i * width + p] * inverse[p * width + j];
      inverse[i * width + j] = -s / l[i * width + i];
    }
  }
  return inverse;
}

/**
 * Cholesky QR, by default twice ("CholeskyQR2"): one pass leaves an orthogonality error of about ε·κ(X)², the
 * second brings it to working precision. A single pass is enough where only the span matters.
 */
export function orthonormalizeColumns(x: Float64Array, rows: number, width: number, passes = 2): Float64Array {
  for (let i = 0; i < passes; i++) choleskyQrOnce(x, rows, width);
  return x;
}

/**
 * Eigenvalues (descending) and eigenvectors (the columns of a row-major `n × n` matrix) of a symmetric matrix,
 * by cyclic Jacobi rotations: slow for large n but exact to working precision, and n here is the SVD's sketch
 * width (about a hundred).
 */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        total += a[i * n + j] ** 2;
        if (i !== j) off += a[i * n + j] ** 2;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y] - a[x * n + x] || x - y);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let r = 0; r < n; r++) vectors[r * n + k] = v[r * n + order[k]];
  return { values, vectors };
}
