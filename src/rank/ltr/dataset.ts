/**
 * A learning-to-rank data set held densely in typed arrays: one row per (query, document), features row-major in
 * a Float32Array (a feature a row does not list is 0, as in LightGBM's and XGBoost's svmlight reading), graded
 * labels, and each query's rows contiguous, delimited by `groupOffsets`. The trainer, the metrics and the scorer
 * all read this one shape; `rankDataset` checks it once so none of them has to.
 */
import { createError } from '../../errors.js';

/** Gains are 2^label − 1: a label above this would overflow any useful precision (LightGBM caps label_gain at 31 too). */
export const MAX_LABEL = 31;

export interface RankDataset {
  /** Names of the columns, in order; a model remembers them and refuses rows of other features. */
  readonly featureNames: readonly string[];
  readonly rowCount: number;
  /** rowCount × featureNames.length values, row-major. */
  readonly features: Float32Array;
  readonly labels: Float32Array;
  /** Query q holds rows [groupOffsets[q], groupOffsets[q + 1]); length = queries + 1. */
  readonly groupOffsets: Int32Array;
  /**
   * Optional weight per row (> 0): a pair counts with the weight of its more relevant row. Learning from clicks,
   * that is the click's inverse examination propensity, so the lambdas are unbiased for position bias.
   */
  readonly weights?: Float32Array;
}

export interface RankDatasetInput {
  featureNames: readonly string[];
  features: Float32Array;
  labels: Float32Array | readonly number[];
  /** Rows per query, in row order. */
  groupSizes: ArrayLike<number>;
  /** Weight per row (finite, > 0); default 1. */
  weights?: Float32Array | readonly number[];
  /** Names the data in errors, e.g. a file path. */
  where?: string;
}

export function queryCount(data: RankDataset): number {
  return data.groupOffsets.length - 1;
}

/** Builds a data set after checking that the arrays agree, labels are grades in [0, 31] and groups cover the rows. */
export function rankDataset(input: RankDatasetInput): RankDataset {
  const where = input.where ?? 'ranking data';
  const fail = (detail: string) => createError('LTR_BAD_DATA', where, detail);
  const labels = Float32Array.from(input.labels);
  const width = input.featureNames.length;
  const names = new Set(input.featureNames);
  if (names.size !== width) throw fail('feature names are not unique');
  if (input.features.length !== labels.length * width) {
    throw fail(`${input.features.length} feature values for ${labels.length} rows × ${width} features`);
  }
  labels.forEach((label, row) => {
    if (!(label >= 0 && label <= MAX_LABEL)) throw fail(`row ${row + 1}: label ${label} is not a grade in [0, ${MAX_LABEL}]`);
  });
  for (let i = 0; i < input.features.length; i++) {
    if (!Number.isFinite(input.features[i])) throw fail(`row ${Math.floor(i / width) + 1}: feature "${input.featureNames[i % width]}" is ${input.features[i]}`);
  }
  const groupOffsets = new Int32Array(input.groupSizes.length + 1);
  for (let q = 0; q < input.groupSizes.length; q++) {
    const size = input.groupSizes[q];
    if (!Number.isInteger(size) || size < 1) throw fail(`query ${q + 1}: group size ${size} is not a positive integer`);
    groupOffsets[q + 1] = groupOffsets[q] + size;
  }
  const covered = groupOffsets[groupOffsets.length - 1];
  if (covered !== labels.length) throw fail(`group sizes sum to ${covered}, but there are ${labels.length} rows`);
  const weights = input.weights === undefined ? undefined : Float32Array.from(input.weights);
  if (weights && weights.length !== labels.length) throw fail(`${weights.length} weights for ${labels.length} rows`);
  weights?.forEach((w, row) => {
    if (!(Number.isFinite(w) && w > 0)) throw fail(`row ${row + 1}: weight ${w} is not a finite number > 0`);
  });
  return { featureNames: [...input.featureNames], rowCount: labels.length, features: input.features, labels, groupOffsets, ...(weights && { weights }) };
}

/** `f1` … `fN`: the names of svmlight's 1-based feature columns. */
export function indexedFeatureNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `f${i + 1}`);
}

/** The given queries' rows (in the order given), as a data set of their own: folds, hold-outs. */
export function selectQueries(data: RankDataset, queries: ArrayLike<number>): RankDataset {
  const width = data.featureNames.length;
  const sizes = Array.from(queries, (q) => data.groupOffsets[q + 1] - data.groupOffsets[q]);
  const rows = sizes.reduce((a, b) => a + b, 0);
  const features = new Float32Array(rows * width);
  const labels = new Float32Array(rows);
  const weights = data.weights && new Float32Array(rows);
  let next = 0;
  for (const q of Array.from(queries)) {
    const start = data.groupOffsets[q];
    const end = data.groupOffsets[q + 1];
    features.set(data.features.subarray(start * width, end * width), next * width);
    labels.set(data.labels.subarray(start, end), next);
    weights?.set(data.weights!.subarray(start, end), next);
    next += end - start;
  }
  return rankDataset({ featureNames: data.featureNames, features, labels, groupSizes: sizes, weights });
}
