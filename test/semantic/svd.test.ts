// The randomized truncated SVD against an exact dense SVD (one-sided Jacobi) on small matrices.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { symmetricEigen } from '../../src/semantic/dense.js';
import { SparseMatrix } from '../../src/semantic/sparse.js';
import { randomizedSvd } from '../../src/semantic/svd.js';
import { mulberry32 } from '../../src/util/random.js';
import { exactSingularValues, orthonormalityDefect, reconstructionError } from '../helpers/dense-svd.js';

/** A random sparse matrix (density in (0, 1]) as both SparseMatrix and dense row-major array. */
function randomSparse(rows: number, cols: number, density: number, seed: number, scaleOfRow = (_r: number) => 1) {
  const random = mulberry32(seed);
  const dense = new Float64Array(rows * cols);
  const rowList = [];
  for (let r = 0; r < rows; r++) {
    const cs: number[] = [];
    const vs: number[] = [];
    for (let c = 0; c < cols; c++) {
      if (random() >= density) continue;
      const value = Math.fround((random() * 2 - 1) * scaleOfRow(r));
      cs.push(c);
      vs.push(value);
      dense[r * cols + c] = value;
    }
    rowList.push({ cols: cs, values: vs });
  }
  return { sparse: SparseMatrix.fromRows(cols, rowList), dense };
}

const relClose = (got: number, want: number, tol: number, scale: number) => Math.abs(got - want) <= tol * Math.max(scale, 1e-300);

test('with rank ≥ min(rows, cols) it is exact: singular values and reconstruction match the dense SVD', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 25 }), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.nat(), (rows, cols, density, seed) => {
      const { sparse, dense } = randomSparse(rows, cols, density, seed);
      const rank = Math.min(rows, cols);
      const svd = randomizedSvd(sparse, rank, { oversample: 4, seed, leftVectors: true });
      const exact = exactSingularValues(dense, rows, cols);
      const top = exact[0] ?? 0;
      for (let k = 0; k < rank; k++) assert.ok(relClose(svd.singularValues[k], exact[k], 1e-8, top), `σ${k}: ${svd.singularValues[k]} vs ${exact[k]}`);
      assert.ok(reconstructionError(dense, rows, cols, svd.u!, svd.singularValues, svd.v) <= 1e-8 * Math.max(top, 1e-300));
    }),
    { numRuns: 60, seed: 11 },
  );
});

test('truncated: leading singular values and Eckart–Young-optimal error on a decaying spectrum', () => {
  // Rows scaled geometrically give a spectrum that decays like real term-document matrices.
  const rows = 120;
  const cols = 80;
  const { sparse, dense } = randomSparse(rows, cols, 0.15, 5, (r) => 0.96 ** r);
  const rank = 10;
  const svd = randomizedSvd(sparse, rank, { seed: 3, leftVectors: true });
  const exact = exactSingularValues(dense, rows, cols);
  for (let k = 0; k < rank; k++) assert.ok(relClose(svd.singularValues[k], exact[k], 1e-3, exact[k]), `σ${k}: ${svd.singularValues[k]} vs ${exact[k]}`);
  const optimal = Math.sqrt(exact.slice(rank).reduce((s, x) => s + x * x, 0));
  const error = reconstructionError(dense, rows, cols, svd.u!, svd.singularValues, svd.v);
  assert.ok(error <= optimal * 1.01, `error ${error} vs optimal ${optimal}`);
  assert.ok(orthonormalityDefect(svd.v, cols, rank) < 1e-9);
  assert.ok(orthonormalityDefect(svd.u!, rows, rank) < 1e-9);
});

test('truncated on a flat spectrum: error within 5% of optimal with two power iterations', () => {
  const rows = 150;
  const cols = 100;
  const { sparse, dense } = randomSparse(rows, cols, 0.1, 9);
  const svd = randomizedSvd(sparse, 15, { seed: 4, leftVectors: true });
  const exact = exactSingularValues(dense, rows, cols);
  const optimal = Math.sqrt(exact.slice(15).reduce((s, x) => s + x * x, 0));
  assert.ok(reconstructionError(dense, rows, cols, svd.u!, svd.singularValues, svd.v) <= optimal * 1.05);
});

test('rank-deficient input: zero singular values and zero vectors past the rank', () => {
  // Three independent rows, each repeated: rank 3.
  const base = [
    { cols: [0, 2, 5], values: [1, 2, -1] },
    { cols: [1, 3], values: [0.5, 4] },
    { cols: [0, 4, 6], values: [3, -2, 1] },
  ];
  const rowList = Array.from({ length: 12 }, (_, i) => base[i % 3]);
  const svd = randomizedSvd(SparseMatrix.fromRows(7, rowList), 6, { seed: 1 });
  assert.ok(svd.singularValues[2] > 0.1);
  for (let k = 3; k < 6; k++) {
    assert.equal(svd.singularValues[k], 0);
    for (let c = 0; c < 7; c++) assert.equal(svd.v[c * 6 + k], 0);
  }
});

test('deterministic by seed, with canonical signs', () => {
  const { sparse } = randomSparse(60, 40, 0.2, 2);
  const a = randomizedSvd(sparse, 8, { seed: 42 });
  const b = randomizedSvd(sparse, 8, { seed: 42 });
  assert.deepEqual(a.v, b.v);
  assert.deepEqual(a.singularValues, b.singularValues);
});

test('symmetric eigen-decomposition: A·w = λ·w, descending', () => {
  const n = 9;
  const random = mulberry32(8);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) m[i * n + j] = m[j * n + i] = random() - 0.5;
  const { values, vectors } = symmetricEigen(m, n);
  for (let k = 0; k < n; k++) {
    if (k > 0) assert.ok(values[k] <= values[k - 1]);
    for (let i = 0; i < n; i++) {
      let aw = 0;
      for (let j = 0; j < n; j++) aw += m[i * n + j] * vectors[j * n + k];
      assert.ok(Math.abs(aw - values[k] * vectors[i * n + k]) < 1e-12);
    }
  }
});

test('refuses a bad rank with a clear error', () => {
  const { sparse } = randomSparse(5, 5, 0.5, 1);
  assert.throws(() => randomizedSvd(sparse, 0), /svd\.rank/);
});
