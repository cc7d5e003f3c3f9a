/**
 * The LSA embedder: latent semantic analysis trained on the catalogue itself, offline and reproducible by
 * seed, so the semantic strategy works out of the box on any catalogue. The entity × feature matrix
 * (lsa-features.ts: TF-IDF words, weighted attributes, relations) gets a truncated SVD A ≈ U·Σ·Vᵀ (svd.ts).
 *
 * Folding in: any feature row x (an entity, or a query's words) maps to unit(x·V·Σ^p). With p = −1 this is the
 * classic fold-in x·V·Σ⁻¹, which reproduces a training entity's row of U exactly; p = 0 weighs each latent
 * dimension by how much of the catalogue it explains instead of equally. Entities and queries are folded in the
 * same way, so an entity added after training embeds like the ones it was trained on. The default p = −0.5 sits
 * between the two: it was the best of {−1, −0.5, 0} for topical queries on the demo catalogue.
 */
import { Analyzer, type AnalyzerConfig } from '../analysis/analyzer.js';
import type { Entity } from '../catalog/entity.js';
import { createError } from '../errors.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import { type Embedder, normalizeInPlace } from './embedder.js';
import { entityFeatures, type FeatureSpace, queryFeatures, type RawFeatures, weightedRow } from './lsa-features.js';
import { SparseMatrix } from './sparse.js';
import { randomizedSvd } from './svd.js';

export const LSA_OPTIONS = {
  dimensions: { kind: 'number', default: 64, min: 1, max: 1024, integer: true, description: 'latent dimensions (the SVD rank)' },
  oversample: { kind: 'number', default: 10, min: 0, max: 200, integer: true, description: 'extra SVD sketch columns (Halko p)' },
  powerIterations: { kind: 'number', default: 2, min: 0, max: 10, integer: true, description: 'SVD power iterations (Halko q)' },
  seed: { kind: 'number', default: 1, min: 0, max: 4294967295, integer: true, description: 'seed of the SVD test matrix' },
  minDocumentFrequency: {
    kind: 'number', default: 2, min: 1, max: 1e9, integer: true,
    description: 'features on fewer entities are dropped: they co-occur with nothing',
  },
  textWeight: { kind: 'number', default: 1, min: 0, max: 100, description: 'length of the text block of a row' },
  attributeWeight: { kind: 'number', default: 1, min: 0, max: 100, description: 'length of the attribute block of a row' },
  relationWeight: { kind: 'number', default: 0.5, min: 0, max: 100, description: 'length of the relation block of a row' },
  singularValuePower: { kind: 'number', default: -0.5, min: -1, max: 1, description: 'p in the fold-in x·V·Σ^p' },
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
    // Sorted, so the column order (and so the model) does not depend on the order entities came in.
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

  embedQuery(text: string): Float32Array {
    return this.fold(queryFeatures(text, this.analyzer));
  }

  /** The query words the model knows, with their weights before projection (for explanations). */
  knownQueryTerms(text: string): Array<{ term: string; weight: number }> {
    const { cols, values } = weightedRow(queryFeatures(text, this.analyzer), this.space);
    return cols.map((col, i) => ({ term: this.model.features[col].slice(2), weight: values[i] }));
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
