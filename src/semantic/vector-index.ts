/**
 * The vector index interface (top-k by dot product over unit vectors, so by cosine) and its exact
 * implementation: a brute-force scan over the flat store, the oracle the approximate index (hnsw-index.ts) is
 * tested against and the faster choice below some tens of thousands of vectors (see bench/vector-bench.ts).
 */
import { createError } from '../errors.js';
import { TopK } from '../index/top-k.js';
import { dot } from './embedder.js';
import { VectorStore } from './vector-store.js';

export interface VectorHit {
  key: number;
  score: number;
}

export interface VectorIndex {
  readonly kind: 'exact' | 'hnsw';
  readonly dimensions: number;
  readonly size: number;
  /** Stores or replaces the vector of `key` (a non-negative integer). */
  set(key: number, vector: Float32Array): void;
  delete(key: number): boolean;
  /** The stored vector (a view), or undefined. */
  get(key: number): Float32Array | undefined;
  /**
   * The k stored vectors with the largest dot product with `query` among the keys `accept` lets through, best
   * first, ties to the smaller key; scores are `dot(query, vector)` exactly (embedder.ts). An approximate index
   * may miss some of the true top k, never reorder or mis-score what it returns.
   */
  search(query: Float32Array, k: number, accept?: (key: number) => boolean): VectorHit[];
}

/** Checks a vector before it enters an index: right length, finite values. */
export function checkVector(vector: Float32Array, dimensions: number, where: string): void {
  if (!(vector instanceof Float32Array) || vector.length !== dimensions) {
    throw createError('VECTOR_BAD_INPUT', where, `expected a Float32Array of ${dimensions} numbers, got ${vector?.length ?? typeof vector}`);
  }
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw createError('VECTOR_BAD_INPUT', where, `component ${i} is ${vector[i]}`);
  }
}

export function checkKey(key: number, where: string): void {
  if (!Number.isInteger(key) || key < 0 || key > 0xffffffff) throw createError('VECTOR_BAD_INPUT', where, `key ${key} must be an integer in [0, 2³²)`);
}

/** Exact top-k over every live vector of a store, filtered by `accept`. */
export function scanTopK(store: VectorStore, query: Float32Array, k: number, accept?: (key: number) => boolean): VectorHit[] {
  const top = new TopK(k);
  const { data, live, dimensions, extent } = store;
  for (let key = 0; key < extent; key++) {
    if (!live[key] || (accept && !accept(key))) continue;
    const score = dot(query, data, key * dimensions);
    if (score >= top.threshold) top.offer(score, key);
  }
  return top.sorted().map(({ doc, score }) => ({ key: doc, score }));
}

export class ExactVectorIndex implements VectorIndex {
  readonly kind = 'exact' as const;
  readonly store: VectorStore;

  constructor(readonly dimensions: number) {
    this.store = new VectorStore(dimensions);
  }

  get size(): number {
    return this.store.count;
  }

  set(key: number, vector: Float32Array): void {
    checkKey(key, 'vector index set');
    checkVector(vector, this.dimensions, 'vector index set');
    this.store.set(key, vector);
  }

  delete(key: number): boolean {
    return this.store.delete(key);
  }

  get(key: number): Float32Array | undefined {
    return this.store.get(key);
  }

  search(query: Float32Array, k: number, accept?: (key: number) => boolean): VectorHit[] {
    checkVector(query, this.dimensions, 'vector search query');
    return scanTopK(this.store, query, k, accept);
  }
}
