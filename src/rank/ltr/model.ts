/**
 * A trained LambdaMART model and its fast scorer. The trees are flattened once into typed arrays (split
 * feature, threshold, children, node value; a leaf has feature −1), so scoring a row walks them without
 * allocating: a value ≤ threshold goes left. Missing features must be given as 0, as in training.
 *
 * `explainRow` attributes the score to features along each decision path (Saabas): every node carries the
 * value the tree would give if it stopped there, so a tree's leaf value = its root value + Σ of the changes at
 * each split, each credited to the split's feature. base (Σ root values) + Σ contributions = score.
 */
import { createError } from '../../errors.js';
import type { Explanation } from '../../index/explain.js';
import type { RankDataset } from './dataset.js';
import type { LambdaMartParams } from './params.js';

/** One tree, node 0 the root; leaves have feature −1 and children −1. */
export interface TreeData {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface RowExplanation {
  score: number;
  /** Σ over trees of the root's value: what every row starts from. */
  base: number;
  /** Per feature (in featureNames order), its share of score − base. */
  contributions: Float64Array;
}

export class LambdaMartModel {
  readonly featureNames: readonly string[];
  private readonly roots: Int32Array;
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly value: Float64Array;

  constructor(
    featureNames: readonly string[],
    readonly params: LambdaMartParams,
    readonly trees: readonly TreeData[],
  ) {
    this.featureNames = [...featureNames];
    const nodes = trees.reduce((n, t) => n + t.feature.length, 0);
    this.roots = new Int32Array(trees.length);
    this.feature = new Int32Array(nodes);
    this.threshold = new Float64Array(nodes);
    this.left = new Int32Array(nodes);
    this.right = new Int32Array(nodes);
    this.value = new Float64Array(nodes);
    let offset = 0;
    trees.forEach((tree, t) => {
      this.roots[t] = offset;
      for (let n = 0; n < tree.feature.length; n++) {
        this.feature[offset + n] = tree.feature[n];
        this.threshold[offset + n] = tree.threshold[n];
        this.left[offset + n] = tree.feature[n] >= 0 ? offset + tree.left[n] : -1;
        this.right[offset + n] = tree.feature[n] >= 0 ? offset + tree.right[n] : -1;
        this.value[offset + n] = tree.value[n];
      }
      offset += tree.feature.length;
    });
  }

  get treeCount(): number {
    return this.trees.length;
  }

  /** The score of one row of featureNames.length values. */
  scoreRow(features: ArrayLike<number>): number {
    this.checkWidth(features.length, 'a row');
    return this.scoreAt(features, 0);
  }

  /** Scores row-major rows (a multiple of featureNames.length values) into `out`. */
  scoreRows(features: ArrayLike<number>, out?: Float64Array): Float64Array {
    const width = this.featureNames.length;
    const rows = width === 0 ? 0 : features.length / width;
    if (!Number.isInteger(rows)) throw createError('MODEL_FEATURE_MISMATCH', 'scoreRows', `${features.length} values are not whole rows of ${width} features`);
    const scores = out ?? new Float64Array(rows);
    if (scores.length < rows) throw createError('MODEL_FEATURE_MISMATCH', 'scoreRows', `the output holds ${scores.length} scores, fewer than the ${rows} rows`);
    for (let r = 0; r < rows; r++) scores[r] = this.scoreAt(features, r * width);
    return scores;
  }

  /** Scores every row of a data set with the same features, by name. */
  scoreDataset(data: RankDataset, out?: Float64Array): Float64Array {
    this.checkFeatureNames(data.featureNames, 'the data');
    return this.scoreRows(data.features, out);
  }

  explainRow(features: ArrayLike<number>): RowExplanation {
    this.checkWidth(features.length, 'a row');
    const contributions = new Float64Array(this.featureNames.length);
    let base = 0;
    for (let t = 0; t < this.roots.length; t++) {
      let node = this.roots[t];
      base += this.value[node];
      while (this.feature[node] >= 0) {
        const next = features[this.feature[node]] <= this.threshold[node] ? this.left[node] : this.right[node];
        contributions[this.feature[node]] += this.value[next] - this.value[node];
        node = next;
      }
    }
    return { score: this.scoreAt(features, 0), base, contributions };
  }

  /** explainRow as an explanation tree: the score, then the base and each feature that moved it, largest first. */
  explanation(features: ArrayLike<number>): Explanation {
    const { score, base, contributions } = this.explainRow(features);
    const details: Explanation[] = [{ value: base, description: `base: Σ of the ${this.roots.length} trees' root values`, details: [] }];
    const moved = [...contributions.keys()].filter((f) => contributions[f] !== 0).sort((a, b) => Math.abs(contributions[b]) - Math.abs(contributions[a]) || a - b);
    for (const f of moved) details.push({ value: contributions[f], description: `${this.featureNames[f]} = ${features[f]}`, details: [] });
    return { value: score, description: `LambdaMART, ${this.roots.length} trees: base + Σ feature contributions along the decision paths`, details };
  }

  /** The same model with only its first `count` trees (the best iteration of early stopping). */
  truncated(count: number): LambdaMartModel {
    return new LambdaMartModel(this.featureNames, this.params, this.trees.slice(0, count));
  }

  /** Refuses when `expected` is not this model's feature list, naming the first difference. */
  checkFeatureNames(expected: readonly string[], what: string): void {
    const names = this.featureNames;
    if (expected.length !== names.length) throw createError('MODEL_FEATURE_MISMATCH', what, `the model has ${names.length} features, ${what} has ${expected.length}`);
    const i = names.findIndex((name, k) => name !== expected[k]);
    if (i >= 0) throw createError('MODEL_FEATURE_MISMATCH', what, `feature ${i + 1} is "${names[i]}" in the model, "${expected[i]}" in ${what}`);
  }

  private checkWidth(length: number, what: string): void {
    if (length !== this.featureNames.length) throw createError('MODEL_FEATURE_MISMATCH', what, `${length} values for the model's ${this.featureNames.length} features`);
  }

  private scoreAt(features: ArrayLike<number>, offset: number): number {
    let score = 0;
    for (let t = 0; t < this.roots.length; t++) {
      let node = this.roots[t];
      while (this.feature[node] >= 0) node = features[offset + this.feature[node]] <= this.threshold[node] ? this.left[node] : this.right[node];
      score += this.value[node];
    }
    return score;
  }
}

/** One tree's value for the row at `offset` of row-major features (the trainer's validation scoring). */
export function predictTree(tree: TreeData, features: ArrayLike<number>, offset: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) node = features[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return tree.value[node];
}
