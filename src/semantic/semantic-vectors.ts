/**
 * SemanticVectors: every live entity of an index embedded by one embedder and kept in a vector index that
 * follows the index's changes (`index.subscribe`): an added or replaced entity is embedded (folded into the
 * trained model, not retrained on), a removed one leaves. Below `exactBelow` vectors (100k) the index is the
 * exact scan, from there on HNSW. Measured at 100k LSA vectors of 64 dimensions (bench/vector-bench.ts): the
 * scan takes 13 ms a query and needs no build; HNSW takes 0.5 ms at recall@10 0.94 after a 25 s build (one
 * thread). Up to 100k the scan is exact and needs no build (the 62k demo starts 15–25 s sooner); above, its
 * cost grows with every entity and HNSW's build pays for itself.
 */
import type { SearchIndex } from '../index/search-index.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import { type Embedder, isZeroVector } from './embedder.js';
import { type HnswOptions, HnswVectorIndex } from './hnsw-index.js';
import { LsaEmbedder, type LsaOptions } from './lsa-embedder.js';
import { ExactVectorIndex, type VectorIndex } from './vector-index.js';

export const SEMANTIC_VECTOR_OPTIONS = {
  exactBelow: {
    kind: 'number', default: 100_000, min: 0, max: 1e9, integer: true,
    description: 'catalogues with fewer embedded entities use the exact scan, larger ones HNSW',
  },
} as const;

export interface SemanticVectorsOptions extends Partial<ResolvedOptions<typeof SEMANTIC_VECTOR_OPTIONS>> {
  /** An embedder to use; by default an LSA model is trained on the index's entities. */
  embedder?: Embedder;
  lsa?: Partial<LsaOptions>;
  hnsw?: Partial<HnswOptions>;
}

export class SemanticVectors {
  readonly embedder: Embedder;
  readonly vectors: VectorIndex;
  private readonly keyOf = new Map<string, number>();
  readonly unsubscribe: () => void;

  constructor(
    private readonly index: SearchIndex,
    options: SemanticVectorsOptions = {},
  ) {
    const { exactBelow } = resolveOptions(SEMANTIC_VECTOR_OPTIONS, { exactBelow: options.exactBelow }, 'semantic.');
    const live = index.entities.filter((e) => e !== undefined);
    this.embedder = options.embedder ?? LsaEmbedder.train(live, options.lsa, index.analyzer);
    const d = this.embedder.dimensions;
    // Embed in doc order, so the HNSW graph is built in the same order every time.
    const keys: number[] = [];
    const flat: Float32Array[] = [];
    index.entities.forEach((entity, doc) => {
      if (!entity) return;
      const v = this.embedder.embedEntity(entity);
      if (isZeroVector(v)) return;
      keys.push(doc);
      flat.push(v);
      this.keyOf.set(entity.id, doc);
    });
    if (keys.length >= exactBelow) {
      const hnsw = new HnswVectorIndex(d, options.hnsw);
      const matrix = new Float32Array(keys.length * d);
      flat.forEach((v, i) => matrix.set(v, i * d));
      hnsw.addBatch(Uint32Array.from(keys), matrix);
      this.vectors = hnsw;
    } else {
      this.vectors = new ExactVectorIndex(d);
      keys.forEach((key, i) => this.vectors.set(key, flat[i]));
    }
    this.unsubscribe = index.subscribe({
      added: (entity) => {
        const doc = this.index.docId(entity.id);
        if (doc === undefined) return;
        const v = this.embedder.embedEntity(entity);
        if (isZeroVector(v)) return;
        this.vectors.set(doc, v);
        this.keyOf.set(entity.id, doc);
      },
      removed: (entity) => {
        const key = this.keyOf.get(entity.id);
        if (key === undefined) return;
        this.vectors.delete(key);
        this.keyOf.delete(entity.id);
      },
    });
  }

  /** The stored vector of an entity, or undefined when it embeds to nothing. */
  vectorOf(id: string): Float32Array | undefined {
    const key = this.keyOf.get(id);
    return key === undefined ? undefined : this.vectors.get(key);
  }
}
