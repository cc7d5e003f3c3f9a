/**
 * Small dense linear algebra for the randomized SVD, on row-major Float64Arrays: seeded Gaussian matrices,
 * orthonormalising the columns of a tall matrix (Cholesky QR, twice), and the eigen-decomposition of a small
 * symmetric matrix (cyclic Jacobi). Tall matrices are only ever read row by row, so a million rows cost a few
 * passes over memory rather than one pass per column, as Gram–Schmidt would.
 */
import { mulberry32 } from '../util/random.js';

/** A `rows × width` matrix of independent standard normal entries (Box–Muller), reproducible by seed. */
export function gaussianMatrix(rows: number, width: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const out = new Float64Array(rows * width);
  for (let i = 0; i < out.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** XᵀX of a `rows × width` matrix (width × width, symmetric). */
export function gram(x: Float64Array, rows: number, width: number): Float64Array {
  const g = new Float64Array(width * width);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let i = 0; i < width; i++) {
      const xi = x[o + i];
      if (xi === 0) continue;
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
  const tolerance = largest * 1e-12;
  const l = new Float64Array(width * width);
  const kept = new Uint8Array(width);
  for (let j = 0; j < width; j++) {
    let d = g[j * width + j];
    for (let p = 0; p < j; p++) d -= l[j * width + p] * l[j * width + p];
    if (!(d > tolerance)) continue; // dependent column: L's column j stays zero
    kept[j] = 1;
    const pivot = Math.sqrt(d);
    l[j * width + j] = pivot;
    for (let i = j + 1; i < width; i++) {
      let s = g[i * width + j];
      for (let p = 0; p < j; p++) s -= l[i * width + p] * l[j * width + p];
      l[i * width + j] = s / pivot;
    }
  }
  // Each row q of Q solves q·Lᵀ = x (forward substitution over the columns).
  const q = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let j = 0; j < width; j++) {
      if (!kept[j]) {
        q[j] = 0;
        continue;
      }
      let s = x[o + j];
      for (let p = 0; p < j; p++) s -= q[p] * l[j * width + p];
      q[j] = s / l[j * width + j];
    }
    x.set(q, o);
  }
}

/** Cholesky QR twice ("CholeskyQR2"): the second pass restores orthogonality to working precision. */
export function orthonormalizeColumns(x: Float64Array, rows: number, width: number): Float64Array {
  choleskyQrOnce(x, rows, width);
  choleskyQrOnce(x, rows, width);
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
