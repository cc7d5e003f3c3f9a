/**
 * A named, versioned feature set: an ordered list of feature groups whose features (name + one-line description)
 * make one fixed vector per (query, candidate). The ONE function that turns a request's union into feature
 * vectors, used both to rank at serving time and to write training rows, so training and serving never skew.
 * Work is per batch: a query's candidates together, so per-query work (analysis, embedding, understanding,
 * the user's profile) is done once.
 *
 * The names depend on the catalogue (its fields and types) and the registry (its strategies) when the set is
 * built; `describe()` is what a model file stores and `checkCompatible` refuses a model or data set made with
 * another list, naming the first difference. A change to what a feature means bumps FEATURE_SET_VERSION.
 */
import { createError } from '../../errors.js';
import type { QueryContext } from '../../query/query-context.js';
import type { RetrievalResources } from '../../retrieval/resources.js';
import type { UnionCandidate } from '../../retrieval/union.js';
import type { FeatureBatch, FeatureDef, FeatureGroup } from './feature-group.js';

export const FEATURE_SET_NAME = 'quiver.features';
export const FEATURE_SET_VERSION = 1;

/** What a model or a data set records of the features it was made with. */
export interface FeatureSetDescription {
  name: string;
  version: number;
  features: FeatureDef[];
}

/** One row per candidate (in the candidates' order), one column per feature: row-major in one Float64Array. */
export class FeatureMatrix {
  constructor(
    readonly names: readonly string[],
    readonly ids: readonly string[],
    readonly values: Float64Array,
  ) {}

  get rows(): number {
    return this.ids.length;
  }

  get width(): number {
    return this.names.length;
  }

  /** Candidate i's vector (a view, not a copy). */
  row(i: number): Float64Array {
    return this.values.subarray(i * this.width, (i + 1) * this.width);
  }

  /** One value by candidate and feature name. */
  get(i: number, name: string): number {
    const j = this.names.indexOf(name);
    if (j < 0) throw createError('FEATURES_BAD_INPUT', 'get', `no feature named "${name}"`);
    return this.values[i * this.width + j];
  }
}

export interface ComputeOptions {
  /**
   * The strategies run for this request (a plan's keys). Default: those that found at least one candidate,
   * which misses a strategy that ran and found nothing; pass the plan when it is known.
   */
  strategiesRun?: Iterable<string>;
  /** The plan's trust in each strategy's order (RankOptions.trust); none: every strategy that ran is trusted fully. */
  trust?: ReadonlyMap<string, number>;
}

export interface FeatureValue extends FeatureDef {
  value: number;
  group: string;
}

export class FeatureSet {
  readonly name = FEATURE_SET_NAME;
  readonly version = FEATURE_SET_VERSION;
  readonly features: readonly FeatureDef[];
  readonly names: readonly string[];
  private readonly offsets: number[] = [];

  constructor(
    private readonly resources: RetrievalResources,
    readonly groups: readonly FeatureGroup[],
  ) {
    const features: FeatureDef[] = [];
    for (const group of groups) {
      this.offsets.push(features.length);
      features.push(...group.features);
    }
    const seen = new Set<string>();
    for (const { name } of features) {
      if (seen.has(name)) throw createError('FEATURES_BAD_INPUT', 'feature set', `feature "${name}" is declared twice`);
      seen.add(name);
    }
    this.features = features;
    this.names = features.map((f) => f.name);
  }

  /** Every candidate's feature vector, in the candidates' order. Deterministic for the same state. */
  compute(query: QueryContext, candidates: readonly UnionCandidate[], options: ComputeOptions = {}): FeatureMatrix {
    const batch = this.batch(query, candidates, options);
    const width = this.names.length;
    const values = new Float64Array(candidates.length * width);
    if (candidates.length > 0) this.groups.forEach((group, g) => group.fill(batch, { values, stride: width, offset: this.offsets[g] }));
    return new FeatureMatrix(this.names, candidates.map((c) => c.id), values);
  }

  /**
   * Candidate `id`'s vector with each value named, described and attributed to its group: the row `compute`
   * gives for the same batch (features like provenance's "ran" depend on the whole union, so the batch is given).
   */
  explain(query: QueryContext, candidates: readonly UnionCandidate[], id: string, options: ComputeOptions = {}): FeatureValue[] {
    const i = candidates.findIndex((c) => c.id === id);
    if (i < 0) throw createError('FEATURES_BAD_INPUT', 'explain', `"${id}" is not among the candidates`);
    const row = this.compute(query, candidates, options).row(i);
    const out: FeatureValue[] = [];
    this.groups.forEach((group, g) => group.features.forEach((f, j) => out.push({ ...f, group: group.name, value: row[this.offsets[g] + j] })));
    return out;
  }

  describe(): FeatureSetDescription {
    return { name: this.name, version: this.version, features: this.features.map((f) => ({ ...f })) };
  }

  /** Throws FEATURES_MISMATCH unless `saved` (a model's or a data set's) has this set's name, version and names. */
  checkCompatible(saved: { name: string; version: number; names: readonly string[] }, where: string): void {
    if (saved.name !== this.name || saved.version !== this.version) {
      throw createError('FEATURES_MISMATCH', where, `${saved.name} v${saved.version}, this is ${this.name} v${this.version}`);
    }
    const n = Math.max(saved.names.length, this.names.length);
    for (let j = 0; j < n; j++) {
      if (saved.names[j] !== this.names[j]) {
        throw createError('FEATURES_MISMATCH', where, `feature ${j + 1} is "${saved.names[j] ?? '(none)'}", this set has "${this.names[j] ?? '(none)'}"`);
      }
    }
  }

  private batch(query: QueryContext, candidates: readonly UnionCandidate[], options: ComputeOptions): FeatureBatch {
    const index = this.resources.index;
    const docs = new Int32Array(candidates.length);
    const seen = new Set<string>();
    const entities = candidates.map((c, i) => {
      if (seen.has(c.id)) throw createError('FEATURES_BAD_INPUT', `candidate ${i + 1}`, `"${c.id}" appears twice; candidates come from a union`);
      seen.add(c.id);
      const doc = index.docId(c.id);
      if (doc === undefined) throw createError('ENTITY_UNKNOWN', c.id);
      docs[i] = doc;
      return index.entities[doc]!;
    });
    const strategiesRun = new Set(options.strategiesRun ?? candidates.flatMap((c) => c.provenance.map((p) => p.strategy)));
    return { query, candidates, docs, entities, strategiesRun, ...(options.trust && { trust: options.trust }) };
  }
}
