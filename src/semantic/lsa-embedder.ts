/**
 * The LSA embedder: latent semantic analysis trained on the catalogue itself, offline and reproducible by
 * seed, so the semantic strategy works out of the box on any catalogue. The entity × feature matrix
 * (lsa-features.ts: TF-IDF words, weighted attributes, relations) gets a truncated SVD A ≈ U·Σ·Vᵀ (svd.ts).
 *
 * Folding in: an entity's feature row x maps to unit(x·V·Σ^p). With p = −1 this is the classic fold-in
 * x·V·Σ⁻¹, which reproduces a training entity's row of U; the default p = 0 (x·V, the entity's rank-k
 * reconstruction in latent coordinates) weighs each latent dimension by how much of the catalogue it explains,
 * so a query's dot product with an entity is its smoothed weight for the query's words. p = 0 beat −0.5 and −1
 * on topical queries over the demo catalogue (bench/lsa-topical.ts). Entities added after training fold in
 * like the ones trained on. Queries fold in word by word (embedQuery).
 */
import { Analyzer, type AnalyzerConfig } from '../analysis/analyzer.js';
import type { Entity } from '../catalog/entity.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import { type Embedder, normalizeInPlace } from './embedder.js';
import { entityFeatures, type FeatureSpace, queryFeatures, type RawFeatures, weightedRow } from './lsa-features.js';
import { SparseMatrix } from './sparse.js';
import { randomizedSvd } from './svd.js';

export const LSA_OPTIONS = {
  dimensions: { kind: 'number', default: 64, min: 1, max: 1024, integer: true, description: 'latent dimensions (the SVD rank)' },
  oversample: { kind: 'number', default: 10, min: 0, max: 200, integer: true, description: 'extra SVD sketch columns (Halko p)' },
  powerIterations: { kind: 'number', default: 1, min: 0, max: 10, integer: true, description: 'SVD power iterations (Halko q)' },
  seed: { kind: 'number', default: 1, min: 0, max: 4294967295, integer: true, description: 'seed of the SVD test matrix' },
  minDocumentFrequency: {
    kind: 'number', default: 2, min: 1, max: 1e9, integer: true,
    description: 'features on fewer entities are dropped: they co-occur with nothing',
  },
  textWeight: { kind: 'number', default: 1, min: 0, max: 100, description: 'length of the text block of a row' },
  attributeWeight: { kind: 'number', default: 1, min: 0, max: 100, description: 'length of the attribute block of a row' },
  relationWeight: { kind: 'number', default: 1, min: 0, max: 100, description: 'length of the relation block of a row' },
  singularValuePower: { kind: 'number', default: 0, min: -1, max: 1, description: 'p in the fold-in x·V·Σ^p' },
} as const;

export type LsaOptions = ResolvedOptions<typeof LSA_OPTIONS>;

export const LSA_FORMAT = 'quiver-lsa';
export const LSA_FORMAT_VERSION = 1;

export interface LsaModelData {
  options: LsaOptions;
  analyzer: AnalyzerConfig;
  features: string[];
  idf: Float32Array;
  singularValues: Float64Array;
  /** features × dimensions, row-major: V·Σ^p, ready to fold rows in. */
  projection: Float32Array;
}

export class LsaEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  private readonly analyzer: Analyzer;
  private readonly space: FeatureSpace;

  constructor(readonly model: LsaModelData) {
    this.dimensions = model.options.dimensions;
    this.name = `lsa-${this.dimensions}d-v${LSA_FORMAT_VERSION}`;
    this.analyzer = new Analyzer(model.analyzer);
    const o = model.options;
    this.space = { index: new Map(model.features.map((f, i) => [f, i])), idf: model.idf, blockWeights: [o.textWeight, o.attributeWeight, o.relationWeight] };
  }

  /** Trains on the entities (the analyser should be the index's, so words match what lexical search sees). */
  static train(entities: Iterable<Entity>, options: Partial<LsaOptions> = {}, analyzer: Analyzer = new Analyzer()): LsaEmbedder {
    const o = resolveOptions(LSA_OPTIONS, options, 'lsa.');
    const rows: RawFeatures[] = [];
    const df = new Map<string, number>();
    for (const entity of entities) {
      const raw = entityFeatures(entity, analyzer);
      rows.push(raw);
      for (const name of raw.keys()) df.set(name, (df.get(name) ?? 0) + 1);
    }
    // Sorted, so the feature columns do not depend on the order entities came in.
    const features = [...df].filter(([, n]) => n >= o.minDocumentFrequency).map(([name]) => name).sort();
    const idf = Float32Array.from(features, (f) => Math.log(rows.length / df.get(f)!));
    const space = { index: new Map(features.map((f, i) => [f, i])), idf, blockWeights: [o.textWeight, o.attributeWeight, o.relationWeight] };
    const matrix = SparseMatrix.fromRows(features.length, rows.map((raw) => weightedRow(raw, space)));
    rows.length = 0;
    const svd = randomizedSvd(matrix, o.dimensions, { oversample: o.oversample, powerIterations: o.powerIterations, seed: o.seed });
    const projection = new Float32Array(features.length * o.dimensions);
    for (let j = 0; j < features.length; j++) {
      for (let k = 0; k < o.dimensions; k++) {
        const sigma = svd.singularValues[k];
        projection[j * o.dimensions + k] = sigma > 0 ? svd.v[j * o.dimensions + k] * sigma ** o.singularValuePower : 0;
      }
    }
    return new LsaEmbedder({ options: o, analyzer: analyzer.config, features, idf, singularValues: svd.singularValues, projection });
  }

  embedEntity(entity: Entity): Float32Array {
    return this.fold(entityFeatures(entity, this.analyzer));
  }

  /**
   * A query folds in word by word: each known word's projection scaled to unit length, times the word's count
   * weight (1 + ln tf), summed. A plain fold-in weighs a word by its idf and by its projected length, which
   * grows with how much of the catalogue the word explains, so one word drowns the others: "latin dance"
   * meant "dance pop" (0 of the top 50 tracks latin, against 46 with equal words). A query names a few concepts
   * and wants all of them.
   */
  embedQuery(text: string): Float32Array {
    const d = this.dimensions;
    const sum = new Float64Array(d);
    const projection = this.model.projection;
    for (const [name, weight] of queryFeatures(text, this.analyzer)) {
      const col = this.space.index.get(name);
      if (col === undefined) continue;
      const o = col * d;
      let norm = 0;
      for (let k = 0; k < d; k++) norm += projection[o + k] * projection[o + k];
      if (!(norm > 0)) continue;
      const scale = weight / Math.sqrt(norm);
      for (let k = 0; k < d; k++) sum[k] += scale * projection[o + k];
    }
    return normalizeInPlace(Float32Array.from(sum));
  }

  /** The query words the model knows, with their count weights (for explanations). */
  knownQueryTerms(text: string): Array<{ term: string; weight: number }> {
    return [...queryFeatures(text, this.analyzer)].filter(([name]) => this.space.index.has(name)).map(([name, weight]) => ({ term: name.slice(2), weight }));
  }

  private fold(raw: RawFeatures): Float32Array {
    const { cols, values } = weightedRow(raw, this.space);
    const d = this.dimensions;
    const sum = new Float64Array(d);
    const projection = this.model.projection;
    for (let i = 0; i < cols.length; i++) {
      const o = cols[i] * d;
      for (let k = 0; k < d; k++) sum[k] += values[i] * projection[o + k];
    }
    return normalizeInPlace(Float32Array.from(sum));
  }
}
