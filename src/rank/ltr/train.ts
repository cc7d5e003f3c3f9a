/**
 * LambdaMART training: gradient boosting of regression trees on LambdaRank gradients. Each round computes every
 * row's lambda gradient and hessian at the current scores, grows one tree on them (on a seeded sample of rows and
 * features, when subsampling), and adds the tree's shrunk leaf values to the scores. With a validation set, its
 * NDCG@k is tracked every round; early stopping keeps the trees up to the best round. Training stops early too
 * when a tree cannot split at all (every gradient zero, or no split meets the constraints), as LightGBM does.
 * The same data, parameters and seed give the same model, bit for bit.
 */
import { createError } from '../../errors.js';
import { mulberry32 } from '../../util/random.js';
import { binFeatures, type BinnedFeatures } from './binning.js';
import type { RankDataset } from './dataset.js';
import { ndcgMetric } from './metric.js';
import { LambdaMartModel, predictTree, type TreeData } from './model.js';
import { LambdaRankObjective } from './objective.js';
import { type LambdaMartParams, type LambdaMartParamsInput, resolveLambdaMartParams } from './params.js';
import { type BinnedTree, predictBinned, TreeLearner } from './tree-learner.js';

export interface TrainRound {
  round: number;
  leaves: number;
  /** Validation NDCG@ndcgAt after this round (absent without a validation set). */
  validNdcg?: number;
}

export interface TrainResult {
  model: LambdaMartModel;
  /** Rounds kept: the best validation round with early stopping, else every round grown. */
  keptRounds: number;
  /** Validation NDCG@ndcgAt of the model kept. */
  validNdcg?: number;
  rounds: TrainRound[];
}

export interface TrainOptions {
  valid?: RankDataset;
  onRound?: (round: TrainRound) => void;
}

/** k of 0 … n − 1, ascending, each subset equally likely (Knuth's selection sampling). */
function sampleSorted(n: number, k: number, random: () => number): Int32Array {
  const out = new Int32Array(k);
  let chosen = 0;
  for (let i = 0; i < n && chosen < k; i++) if (random() * (n - i) < k - chosen) out[chosen++] = i;
  return out;
}

/** Back from usable-feature bins to data set columns and raw thresholds, so the model scores raw rows. */
function rawTree(tree: BinnedTree, binned: BinnedFeatures): TreeData {
  return {
    feature: tree.feature.map((f) => (f >= 0 ? binned.columns[f] : -1)),
    threshold: tree.feature.map((f, n) => (f >= 0 ? binned.thresholds[f][tree.bin[n]] : 0)),
    left: [...tree.left],
    right: [...tree.right],
    value: [...tree.value],
  };
}

export function trainLambdaMart(train: RankDataset, given: LambdaMartParamsInput = {}, options: TrainOptions = {}): TrainResult {
  const params: LambdaMartParams = resolveLambdaMartParams(given);
  const { valid } = options;
  if (params.earlyStop > 0 && !valid) throw createError('OPTION_OUT_OF_RANGE', 'earlyStop', params.earlyStop, '0 when no validation set is given');
  if (valid) {
    const i = train.featureNames.findIndex((name, k) => name !== valid.featureNames[k]);
    if (i >= 0 || valid.featureNames.length !== train.featureNames.length) {
      throw createError('MODEL_FEATURE_MISMATCH', 'validation data', `training has ${train.featureNames.length} features, validation ${valid.featureNames.length}${i >= 0 ? `; feature ${i + 1} is "${train.featureNames[i]}" vs "${valid.featureNames[i]}"` : ''}`);
    }
  }
  const binned = binFeatures(train, params.maxBin);
  const objective = new LambdaRankObjective(train, params);
  const learner = new TreeLearner(binned, params);
  const random = mulberry32(params.seed);
  const metric = ndcgMetric(params.ndcgAt);
  const scores = new Float64Array(train.rowCount);
  const grad = new Float64Array(train.rowCount);
  const hess = new Float64Array(train.rowCount);
  const validScores = valid ? new Float64Array(valid.rowCount) : undefined;
  const allRows = Int32Array.from({ length: train.rowCount }, (_, i) => i);
  const allFeatures = Int32Array.from({ length: binned.width }, (_, i) => i);
  const sampledRows = Math.max(1, Math.round(params.subsample * train.rowCount));
  const sampledFeatures = Math.max(1, Math.round(params.colsample * binned.width));

  const trees: TreeData[] = [];
  const rounds: TrainRound[] = [];
  let bestRound = 0;
  let bestValidNdcg = validScores ? metric.evaluate(valid!, validScores) : undefined;
  for (let round = 1; round <= params.trees && binned.width > 0; round++) {
    objective.gradients(scores, grad, hess);
    const rows = params.subsample < 1 ? sampleSorted(train.rowCount, sampledRows, random) : allRows;
    const features = params.colsample < 1 ? sampleSorted(binned.width, sampledFeatures, random) : allFeatures;
    const grown = learner.grow(grad, hess, rows, features);
    if (grown.feature.length === 1) break;
    for (let r = 0; r < train.rowCount; r++) scores[r] += predictBinned(grown, binned, r);
    const tree = rawTree(grown, binned);
    trees.push(tree);
    const record: TrainRound = { round, leaves: (tree.feature.length + 1) / 2 };
    if (valid && validScores) {
      const width = valid.featureNames.length;
      for (let r = 0; r < valid.rowCount; r++) validScores[r] += predictTree(tree, valid.features, r * width);
      record.validNdcg = metric.evaluate(valid, validScores);
      if (record.validNdcg > bestValidNdcg!) {
        bestValidNdcg = record.validNdcg;
        bestRound = round;
      }
    } else bestRound = round;
    rounds.push(record);
    options.onRound?.(record);
    if (params.earlyStop > 0 && round - bestRound >= params.earlyStop) break;
  }
  // Without early stopping every round is kept, even past the best validation round.
  const kept = params.earlyStop > 0 ? bestRound : trees.length;
  const model = new LambdaMartModel(train.featureNames, params, trees.slice(0, kept));
  const validNdcg = valid ? (kept === 0 ? metric.evaluate(valid, new Float64Array(valid.rowCount)) : rounds[kept - 1].validNdcg) : undefined;
  return { model, keptRounds: kept, validNdcg, rounds };
}
