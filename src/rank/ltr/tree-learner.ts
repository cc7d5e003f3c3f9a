/**
 * Grows one regression tree on gradients, leaf-wise (best-first, as LightGBM): every leaf knows its best split,
 * and the leaf whose split gains most is split next, until `leaves` leaves, or none may split (depth, minimum
 * rows or hessian per leaf, no positive gain). Each leaf's rows are a contiguous range of one row array,
 * partitioned in place on a split; the smaller child's histogram is summed from its rows and the larger's is
 * the parent's minus it. A leaf that can never split gives its histogram back to the pool at once.
 *
 * Every node, inner ones too, carries its shrunk Newton value −η·G/(H + λ): leaves score, and inner nodes let
 * `explainRow` attribute the change along a decision path to the feature that made it.
 */
import type { BinnedFeatures } from './binning.js';
import { buildHistogram, type LeafTotals, newHistogram, subtractHistogram, subtractRows } from './histogram.js';
import { findBestSplit, leafValue, noSplit, type Split, type SplitConstraints } from './split.js';

export interface TreeShape extends SplitConstraints {
  leaves: number;
  /** 0: no limit. */
  maxDepth: number;
  learningRate: number;
}

/** A grown tree over usable-feature bins; node 0 is the root, a leaf has feature −1. */
export interface BinnedTree {
  feature: number[];
  bin: number[];
  left: number[];
  right: number[];
  value: number[];
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  /** Index into the histogram pool, −1 once given back. */
  slot: number;
  gradient: number;
  hessian: number;
  split: Split;
}

export class TreeLearner {
  private readonly rows: Int32Array;
  private readonly scratch: Int32Array;
  private readonly pool: Float64Array[] = [];
  private readonly free: number[] = [];

  constructor(
    private readonly binned: BinnedFeatures,
    private readonly shape: TreeShape,
  ) {
    this.rows = new Int32Array(binned.rowCount);
    this.scratch = new Int32Array(binned.rowCount);
  }

  /** Grows a tree on the given rows (sorted row numbers) and usable features (ascending). */
  grow(grad: Float64Array, hess: Float64Array, sample: Int32Array, features: Int32Array): BinnedTree {
    const tree: BinnedTree = { feature: [], bin: [], left: [], right: [], value: [] };
    this.rows.set(sample);
    this.free.length = 0;
    for (let s = this.pool.length - 1; s >= 0; s--) this.free.push(s);
    let gradient = 0;
    let hessian = 0;
    for (const row of sample) {
      gradient += grad[row];
      hessian += hess[row];
    }
    const root = this.newLeaf(tree, 0, sample.length, 0, gradient, hessian);
    if (this.maySplit(root)) {
      root.slot = this.takeSlot();
      buildHistogram(this.pool[root.slot], this.binned, this.rows, 0, sample.length, grad, hess, this.totals(root));
      this.chooseSplit(root, features);
    }
    const leaves = [root];
    while (leaves.length < this.shape.leaves) {
      let best = -1;
      for (let i = 0; i < leaves.length; i++) {
        if (leaves[i].split.feature >= 0 && (best < 0 || leaves[i].split.gain > leaves[best].split.gain)) best = i;
      }
      if (best < 0) break;
      const [left, right] = this.splitLeaf(tree, leaves[best], grad, hess, features);
      leaves[best] = left;
      leaves.push(right);
    }
    return tree;
  }

  private newLeaf(tree: BinnedTree, start: number, end: number, depth: number, gradient: number, hessian: number): Leaf {
    const node = tree.feature.length;
    tree.feature.push(-1);
    tree.bin.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(this.shape.learningRate * leafValue(gradient, hessian, this.shape.lambdaL2));
    return { node, start, end, depth, slot: -1, gradient, hessian, split: noSplit() };
  }

  /** Whether any split of the leaf could meet the constraints; only such leaves get a histogram. */
  private maySplit(leaf: Leaf): boolean {
    const { maxDepth, minDataInLeaf, minSumHessian } = this.shape;
    return (maxDepth === 0 || leaf.depth < maxDepth) && leaf.end - leaf.start >= 2 * minDataInLeaf && leaf.hessian >= 2 * minSumHessian;
  }

  private totals(leaf: Leaf): LeafTotals {
    return { gradient: leaf.gradient, hessian: leaf.hessian, count: leaf.end - leaf.start };
  }

  private takeSlot(): number {
    const free = this.free.pop();
    if (free !== undefined) return free;
    this.pool.push(newHistogram(this.binned));
    return this.pool.length - 1;
  }

  /** Finds the best split of a leaf holding a histogram, giving the histogram back when there is none. */
  private chooseSplit(leaf: Leaf, features: Int32Array): void {
    findBestSplit(this.pool[leaf.slot], this.binned, features, this.totals(leaf), this.shape, leaf.split);
    if (leaf.split.feature < 0) {
      this.free.push(leaf.slot);
      leaf.slot = -1;
    }
  }

  private splitLeaf(tree: BinnedTree, leaf: Leaf, grad: Float64Array, hess: Float64Array, features: Int32Array): [Leaf, Leaf] {
    const { feature, bin, leftGradient, leftHessian, leftCount } = leaf.split;
    const { bins, width } = this.binned;
    // Stable partition: left rows stay in place in order, right rows go through the scratch array.
    let l = leaf.start;
    let r = 0;
    for (let i = leaf.start; i < leaf.end; i++) {
      const row = this.rows[i];
      if (bins[row * width + feature] <= bin) this.rows[l++] = row;
      else this.scratch[r++] = row;
    }
    this.rows.set(this.scratch.subarray(0, r), l);
    if (l - leaf.start !== leftCount) throw new Error(`tree learner: partition holds ${l - leaf.start} rows, the histogram ${leftCount}`);

    tree.feature[leaf.node] = feature;
    tree.bin[leaf.node] = bin;
    const left = this.newLeaf(tree, leaf.start, l, leaf.depth + 1, leftGradient, leftHessian);
    const right = this.newLeaf(tree, l, leaf.end, leaf.depth + 1, leaf.gradient - leftGradient, leaf.hessian - leftHessian);
    tree.left[leaf.node] = left.node;
    tree.right[leaf.node] = right.node;
    // The smaller child sums its rows into a fresh histogram; the larger takes the parent's, minus the smaller's
    // (or minus the smaller's rows one by one, when the smaller may not split and so needs no histogram).
    const [small, large] = l - leaf.start <= leaf.end - l ? [left, right] : [right, left];
    if (this.maySplit(small)) {
      small.slot = this.takeSlot();
      buildHistogram(this.pool[small.slot], this.binned, this.rows, small.start, small.end, grad, hess, this.totals(small));
    }
    if (this.maySplit(large)) {
      large.slot = leaf.slot;
      if (small.slot >= 0) subtractHistogram(this.pool[large.slot], this.pool[small.slot]);
      else subtractRows(this.pool[large.slot], this.binned, this.rows, small.start, small.end, grad, hess);
    } else this.free.push(leaf.slot);
    leaf.slot = -1;
    if (small.slot >= 0) this.chooseSplit(small, features);
    if (large.slot >= 0) this.chooseSplit(large, features);
    return [left, right];
  }
}

/** The value a binned tree gives row `row` of the binned data. */
export function predictBinned(tree: BinnedTree, binned: BinnedFeatures, row: number): number {
  let node = 0;
  const base = row * binned.width;
  while (tree.feature[node] >= 0) node = binned.bins[base + tree.feature[node]] <= tree.bin[node] ? tree.left[node] : tree.right[node];
  return tree.value[node];
}
