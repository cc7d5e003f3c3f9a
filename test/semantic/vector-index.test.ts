// The vector indexes: the exact scan against a sort of every dot product, and HNSW's recall against the exact scan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { QuiverError } from '../../src/errors.js';
import { dot, normalizeInPlace } from '../../src/semantic/embedder.js';
import { HnswVectorIndex } from '../../src/semantic/hnsw-index.js';
import { ExactVectorIndex, type VectorHit, type VectorIndex } from '../../src/semantic/vector-index.js';
import { mulberry32 } from '../../src/util/random.js';

function randomUnitVectors(count: number, dimensions: number, seed: number): Float32Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => normalizeInPlace(Float32Array.from({ length: dimensions }, () => random() * 2 - 1)));
}

/** Clustered vectors (a few centres plus noise), closer to real embeddings than uniform ones, and harder for HNSW. */
function clusteredUnitVectors(count: number, dimensions: number, seed: number): Float32Array[] {
  const random = mulberry32(seed);
  const centres = randomUnitVectors(20, dimensions, seed + 1);
  return Array.from({ length: count }, () => {
    const c = centres[Math.floor(random() * centres.length)];
    return normalizeInPlace(Float32Array.from(c, (x) => x + (random() * 2 - 1) * 0.15));
  });
}

function oracle(vectors: Map<number, Float32Array>, query: Float32Array, k: number, accept?: (key: number) => boolean): VectorHit[] {
  return [...vectors]
    .filter(([key]) => !accept || accept(key))
    .map(([key, v]) => ({ key, score: dot(query, v) }))
    .sort((a, b) => b.score - a.score || a.key - b.key)
    .slice(0, k);
}

test('exact index: equals a full sort of every dot product, with deletes, replaces and filters', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.nat(60), fc.boolean()), { maxLength: 120 }), fc.integer({ min: 0, max: 30 }), fc.nat(), (dims, ops, k, seed) => {
      const index = new ExactVectorIndex(dims);
      const truth = new Map<number, Float32Array>();
      const pool = randomUnitVectors(ops.length + 1, dims, seed);
      ops.forEach(([key, remove], i) => {
        if (remove) {
          assert.equal(index.delete(key), truth.delete(key));
        } else {
          index.set(key, pool[i]);
          truth.set(key, pool[i]);
        }
      });
      assert.equal(index.size, truth.size);
      const query = pool[ops.length];
      assert.deepEqual(index.search(query, k), oracle(truth, query, k));
      const even = (key: number) => key % 2 === 0;
      assert.deepEqual(index.search(query, k, even), oracle(truth, query, k, even));
    }),
    { numRuns: 200, seed: 5 },
  );
});

function recallAt(index: VectorIndex, exact: VectorIndex, queries: Float32Array[], k: number, accept?: (key: number) => boolean): number {
  let found = 0;
  let wanted = 0;
  for (const q of queries) {
    const truth = new Set(exact.search(q, k, accept).map((h) => h.key));
    wanted += truth.size;
    for (const hit of index.search(q, k, accept)) if (truth.has(hit.key)) found++;
  }
  return found / wanted;
}

test('HNSW: recall@10 against the exact oracle, scores exact, deterministic across builds', () => {
  const dims = 32;
  const vectors = clusteredUnitVectors(5000, dims, 3);
  const build = () => {
    const hnsw = new HnswVectorIndex(dims);
    vectors.forEach((v, key) => hnsw.set(key, v));
    return hnsw;
  };
  const hnsw = build();
  const exact = new ExactVectorIndex(dims);
  vectors.forEach((v, key) => exact.set(key, v));
  const queries = clusteredUnitVectors(100, dims, 99);
  assert.ok(recallAt(hnsw, exact, queries, 10) >= 0.95);
  for (const q of queries.slice(0, 10)) {
    for (const hit of hnsw.search(q, 10)) assert.equal(hit.score, dot(q, vectors[hit.key]));
  }
  const again = build();
  for (const q of queries.slice(0, 20)) assert.deepEqual(again.search(q, 10), hnsw.search(q, 10));
});

test('HNSW: follows deletes and replaces, and keeps recall under a filter', () => {
  const dims = 16;
  const vectors = clusteredUnitVectors(3000, dims, 7);
  const hnsw = new HnswVectorIndex(dims);
  const exact = new ExactVectorIndex(dims);
  const batchKeys = Uint32Array.from(vectors.keys());
  const flat = new Float32Array(vectors.length * dims);
  vectors.forEach((v, i) => flat.set(v, i * dims));
  hnsw.addBatch(batchKeys, flat);
  vectors.forEach((v, key) => exact.set(key, v));
  const replacements = randomUnitVectors(300, dims, 8);
  for (let key = 0; key < 600; key++) {
    if (key % 2 === 0) {
      hnsw.delete(key);
      exact.delete(key);
    } else {
      hnsw.set(key, replacements[key >> 1]);
      exact.set(key, replacements[key >> 1]);
    }
  }
  assert.equal(hnsw.size, exact.size);
  const queries = clusteredUnitVectors(60, dims, 123);
  for (const q of queries) for (const hit of hnsw.search(q, 20)) assert.ok(hit.key >= 600 || hit.key % 2 === 1, 'deleted keys never come back');
  assert.ok(recallAt(hnsw, exact, queries, 10) >= 0.95);
  const rare = (key: number) => key % 500 === 3; // 6 keys: over-fetching gives up and scans exactly
  const selective = (key: number) => key % 50 === 3; // 2%: found by over-fetching
  const common = (key: number) => key % 3 !== 0;
  assert.equal(recallAt(hnsw, exact, queries, 10, rare), 1);
  assert.ok(recallAt(hnsw, exact, queries, 10, selective) >= 0.95);
  assert.ok(recallAt(hnsw, exact, queries, 10, common) >= 0.95);
  for (const q of queries) for (const hit of hnsw.search(q, 10, common)) assert.ok(common(hit.key));
});

test('refuses vectors of the wrong size, non-finite values and bad keys', () => {
  for (const index of [new ExactVectorIndex(3), new HnswVectorIndex(3)]) {
    const isBad = (e: QuiverError) => e.code === 'VECTOR_BAD_INPUT';
    assert.throws(() => index.set(0, new Float32Array(2)), isBad);
    assert.throws(() => index.set(0, Float32Array.of(1, Number.NaN, 0)), isBad);
    assert.throws(() => index.set(-1, new Float32Array(3)), isBad);
    assert.throws(() => index.search(new Float32Array(4), 1), isBad);
  }
});
