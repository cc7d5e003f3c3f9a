/**
 * LambdaMART's parameters, declared once with default, valid range and meaning (src/options.ts): the trainer
 * resolves them, the CLI's flags map onto them, a saved model records them. Defaults were chosen on the LightGBM
 * lambdarank example (see BENCHMARKS.md, "LambdaMART"), not on its test set alone.
 */
import { type ResolvedOptions, resolveOptions } from '../../options.js';

export const LAMBDAMART_OPTIONS = {
  trees: { kind: 'number', default: 100, min: 1, max: 100_000, integer: true, description: 'boosting rounds (trees), at most' },
  leaves: { kind: 'number', default: 15, min: 2, max: 4096, integer: true, description: 'leaves per tree; trees grow best-first (leaf-wise)' },
  maxDepth: { kind: 'number', default: 0, min: 0, max: 64, integer: true, description: 'depth limit of a tree (0: none)' },
  learningRate: { kind: 'number', default: 0.1, min: 1e-6, max: 1, description: 'shrinkage applied to every leaf value' },
  minDataInLeaf: { kind: 'number', default: 20, min: 1, max: 1e9, integer: true, description: 'rows a leaf must keep' },
  minSumHessian: { kind: 'number', default: 1e-3, min: 0, max: 1e9, description: 'hessian a leaf must keep' },
  lambdaL2: { kind: 'number', default: 0, min: 0, max: 1e9, description: 'L2 penalty on leaf values (added to each leaf\'s hessian)' },
  minGain: { kind: 'number', default: 0, min: 0, max: 1e9, description: 'a split must improve the loss by more than this' },
  subsample: { kind: 'number', default: 1, min: 0.01, max: 1, description: 'fraction of rows each tree is grown on (drawn by the seed)' },
  colsample: { kind: 'number', default: 1, min: 0.01, max: 1, description: 'fraction of features each tree may split on (drawn by the seed)' },
  maxBin: { kind: 'number', default: 255, min: 2, max: 255, integer: true, description: 'histogram bins per feature (quantiles)' },
  sigma: { kind: 'number', default: 1, min: 0.01, max: 100, description: 'σ of the pairwise logistic in the lambda gradients' },
  truncation: { kind: 'number', default: 30, min: 1, max: 100_000, integer: true, description: 'pairs count only with a row in the first this-many ranks' },
  normalize: { kind: 'boolean', default: true, description: 'scale each query\'s lambdas by log2(1 + S) / S (LightGBM\'s lambdarank_norm)' },
  earlyStop: { kind: 'number', default: 0, min: 0, max: 100_000, integer: true, description: 'stop when validation NDCG@ndcgAt has not improved for this many rounds (0: off; needs a validation set)' },
  ndcgAt: { kind: 'number', default: 10, min: 1, max: 100_000, integer: true, description: 'k of the validation NDCG@k that early stopping watches' },
  seed: { kind: 'number', default: 1, min: 0, max: 2 ** 32 - 1, integer: true, description: 'seed of row and feature subsampling' },
} as const;

export type LambdaMartParams = ResolvedOptions<typeof LAMBDAMART_OPTIONS>;
export type LambdaMartParamsInput = Partial<LambdaMartParams>;

export function resolveLambdaMartParams(given: LambdaMartParamsInput = {}): LambdaMartParams {
  return resolveOptions(LAMBDAMART_OPTIONS, given as Record<string, unknown>);
}
