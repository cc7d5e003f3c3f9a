/**
 * How LambdaMART's defaults were chosen, reproducibly: for a fixed list of settings, the mean NDCG@10 of 4-fold
 * cross-validation over the training queries (queries q ≡ k mod 4 held out) next to the test NDCG@10 of a model
 * trained on all of the training set. The choice is made on the cross-validation column; the test column is
 * reported so the spread a 50-query test set shows between close settings (and between seeds) is visible.
 *
 *   npx tsx bench/ltr-tune.ts [--train F --train-group G --test F --test-group G] [--folds 4] [--json]
 */
import { parseArgs } from 'node:util';
import { table } from '../src/cli/output.js';
import { queryCount, selectQueries } from '../src/rank/ltr/dataset.js';
import { ndcgMetric } from '../src/rank/ltr/metric.js';
import type { LambdaMartParamsInput } from '../src/rank/ltr/params.js';
import { trainLambdaMart } from '../src/rank/ltr/train.js';
import { intFlag } from './args.js';
import { DATA_FLAGS, dataPaths, readSets } from './ltr-data.js';

const { values } = parseArgs({ options: { ...DATA_FLAGS, folds: { type: 'string', default: '4' }, json: { type: 'boolean', default: false } } });
const { train, test } = readSets(dataPaths(values));
const folds = intFlag('folds', values.folds, 2);
const ndcg10 = ndcgMetric(10);

const SETTINGS: LambdaMartParamsInput[] = [
  {},
  { leaves: 7 },
  { leaves: 31 },
  { leaves: 63, maxDepth: 6, minDataInLeaf: 1 },
  { minDataInLeaf: 10 },
  { minDataInLeaf: 40 },
  { normalize: false },
  { truncation: 10 },
  { learningRate: 0.05 },
  { lambdaL2: 1 },
  { subsample: 0.8, seed: 1 },
  { subsample: 0.8, seed: 2 },
  { subsample: 0.8, seed: 3 },
  { colsample: 0.5, seed: 1 },
  { colsample: 0.5, seed: 2 },
  { colsample: 0.5, seed: 3 },
];

const queries = queryCount(train);
const splits = Array.from({ length: folds }, (_, k) => {
  const inFold = Array.from({ length: queries }, (_, q) => q).filter((q) => q % folds === k);
  const rest = Array.from({ length: queries }, (_, q) => q).filter((q) => q % folds !== k);
  return { fit: selectQueries(train, rest), held: selectQueries(train, inFold) };
});

const rows = SETTINGS.map((setting) => {
  let cv = 0;
  for (const { fit, held } of splits) cv += ndcg10.evaluate(held, trainLambdaMart(fit, setting).model.scoreDataset(held));
  const { model } = trainLambdaMart(train, setting);
  return { setting: JSON.stringify(setting), 'cv ndcg@10': Math.round((cv / folds) * 10000) / 10000, 'test ndcg@10': Math.round(ndcg10.evaluate(test, model.scoreDataset(test)) * 10000) / 10000 };
});
if (values.json) console.log(JSON.stringify({ folds, rows }));
else console.log(table(rows));
