/**
 * The pieces a feature set is made of. A FeatureGroup declares its features (name + one-line description, in a
 * fixed order) and fills their values for a whole batch: every candidate of one query at once, so the work that
 * depends on the query alone (its analysed terms, its embedding, its understanding, the user's profile) is done
 * once per request, not once per candidate. A group writes only its own columns and never reads another's.
 */
import type { Entity } from '../../catalog/entity.js';
import type { QueryContext } from '../../query/query-context.js';
import type { UnionCandidate } from '../../retrieval/union.js';

export interface FeatureDef {
  name: string;
  description: string;
}

/** One query and its candidates, resolved to the index's doc numbers and entities once for every group. */
export interface FeatureBatch {
  query: QueryContext;
  candidates: readonly UnionCandidate[];
  /** docs[i]: the doc number of candidates[i]. */
  docs: Int32Array;
  entities: readonly Entity[];
  /** The strategies run for this request (given by the caller, else those that found any candidate). */
  strategiesRun: ReadonlySet<string>;
  /** The plan's trust in each strategy's order, when a learned plan gave one. */
  trust?: ReadonlyMap<string, number>;
}

/** Where a group writes: value j of candidate i goes to values[i * stride + offset + j]; all start at 0. */
export interface FeatureSink {
  values: Float64Array;
  stride: number;
  offset: number;
}

export interface FeatureGroup {
  /** Names the group in explanations ("bm25f", "provenance", …). */
  readonly name: string;
  readonly features: readonly FeatureDef[];
  /** Writes every candidate's values; missing values are 0 (with a flag feature saying so), never NaN. */
  fill(batch: FeatureBatch, sink: FeatureSink): void;
}

/** A small helper for groups: the setter for candidate i's columns. */
export function rowWriter(sink: FeatureSink, i: number): (j: number, value: number) => void {
  const base = i * sink.stride + sink.offset;
  return (j, value) => {
    sink.values[base + j] = value;
  };
}

/** Like rowWriter, but adds to what the column holds (for values summed over readings, terms, …). */
export function rowAdder(sink: FeatureSink, i: number): (j: number, value: number) => void {
  const base = i * sink.stride + sink.offset;
  return (j, value) => {
    sink.values[base + j] += value;
  };
}

/** 1 for true, 0 for false: flags are numbers in the vector. */
export const flag = (b: boolean): number => (b ? 1 : 0);
