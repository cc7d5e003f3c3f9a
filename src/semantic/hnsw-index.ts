/**
 * The approximate vector index: HNSW (Malkov & Yashunin) from usearch, over the same flat store as the exact
 * index. usearch finds candidates; every score is then recomputed from the store with `dot` (embedder.ts) and
 * sorted in JS, so scores and tie order are exactly those of the exact index for whatever is found.
 *
 * Determinism: vectors go in one at a time on one thread, in key order at build time, so the same data gives
 * the same graph and the same answers (usearch's level sampling is seeded per index). More threads build
 * faster, but the graph then depends on scheduling.
 * Filters: usearch's JS binding has no predicate search, so a filtered search over-fetches (k, 4k, 16k, …) and
 * falls back to the exact scan once it would fetch more than a quarter of the index: past that, scanning is
 * cheaper than walking the graph.
 * Updates: a removed key is removed from the graph (usearch tombstones it); a replaced one is removed, then added.
 */
import { Index as UsearchIndex, MetricKind, ScalarKind } from 'usearch';
import { createError } from '../errors.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import { dot } from './embedder.js';
import { checkKey, checkVector, scanTopK, type VectorHit, type VectorIndex } from './vector-index.js';
import { VectorStore } from './vector-store.js';

export const HNSW_OPTIONS = {
  connectivity: { kind: 'number', default: 16, min: 2, max: 256, integer: true, description: 'HNSW M: links per node' },
  expansionAdd: { kind: 'number', default: 128, min: 1, max: 4096, integer: true, description: 'HNSW efConstruction' },
  expansionSearch: { kind: 'number', default: 128, min: 1, max: 4096, integer: true, description: 'HNSW ef at search (at least k)' },
  threads: { kind: 'number', default: 1, min: 1, max: 256, integer: true, description: 'build threads; more than 1 is not reproducible' },
} as const;

export type HnswOptions = ResolvedOptions<typeof HNSW_OPTIONS>;

const OVERFETCH = 4;

export class HnswVectorIndex implements VectorIndex {
  readonly kind = 'hnsw' as const;
  readonly store: VectorStore;
  readonly options: HnswOptions;
  private readonly graph: UsearchIndex;

  constructor(
    readonly dimensions: number,
    options: Partial<HnswOptions> = {},
  ) {
    this.options = resolveOptions(HNSW_OPTIONS, options, 'hnsw.');
    this.store = new VectorStore(dimensions);
    this.graph = new UsearchIndex({
      dimensions,
      metric: MetricKind.IP,
      quantization: ScalarKind.F32,
      connectivity: this.options.connectivity,
      expansion_add: this.options.expansionAdd,
      expansion_search: this.options.expansionSearch,
      multi: false,
    });
  }

  get size(): number {
    return this.store.count;
  }

  set(key: number, vector: Float32Array): void {
    checkKey(key, 'vector index set');
    checkVector(vector, this.dimensions, 'vector index set');
    if (this.store.has(key)) this.graph.remove(BigInt(key));
    this.store.set(key, vector);
    // A copy: usearch reads the whole underlying buffer of a view in some calls (it ignores byteOffset).
    this.graph.add(BigInt(key), Float32Array.from(vector), this.options.threads);
  }

  /** Adds many vectors at once (keys ascending gives a reproducible graph); `vectors` is keys.length × dimensions. */
  addBatch(keys: Uint32Array, vectors: Float32Array): void {
    if (vectors.length !== keys.length * this.dimensions) {
      throw createError('VECTOR_BAD_INPUT', 'vector index batch', `${vectors.length} numbers for ${keys.length} keys of ${this.dimensions}`);
    }
    for (let i = 0; i < keys.length; i++) {
      checkKey(keys[i], 'vector index batch');
      if (this.store.has(keys[i])) this.graph.remove(BigInt(keys[i]));
      this.store.set(keys[i], vectors.subarray(i * this.dimensions, (i + 1) * this.dimensions));
    }
    if (keys.length > 0) this.graph.add(BigUint64Array.from(keys, (k) => BigInt(k)), vectors.byteOffset === 0 ? vectors : vectors.slice(), this.options.threads);
  }

  delete(key: number): boolean {
    if (!this.store.delete(key)) return false;
    this.graph.remove(BigInt(key));
    return true;
  }

  get(key: number): Float32Array | undefined {
    return this.store.get(key);
  }

  search(query: Float32Array, k: number, accept?: (key: number) => boolean): VectorHit[] {
    checkVector(query, this.dimensions, 'vector search query');
    const size = this.store.count;
    if (k <= 0 || size === 0) return [];
    const q = query.byteOffset === 0 ? query : query.slice();
    for (let fetch = k; ; fetch *= OVERFETCH) {
      if (accept && fetch > size / 4 && fetch > k) return scanTopK(this.store, query, k, accept);
      const wanted = Math.min(fetch, size);
      const found = this.graph.search(q, wanted, 1);
      const hits: VectorHit[] = [];
      for (const big of found.keys) {
        const key = Number(big);
        if (!this.store.has(key) || (accept && !accept(key))) continue;
        hits.push({ key, score: dot(query, this.store.data, key * this.dimensions) });
      }
      if (hits.length >= k || wanted >= size || !accept) {
        hits.sort((a, b) => b.score - a.score || a.key - b.key);
        return hits.slice(0, k);
      }
    }
  }
}
