// LambdaMART end to end on synthetic data where relevance is a known function of the features: it learns the
// ordering, reproducibly by seed; degenerate data (single-row queries, all-equal labels) trains without error;
// early stopping keeps the best round; the flattened scorer, batch scoring and explanations agree; and the
// model file round-trips exactly and refuses anything malformed, naming what.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rankDataset, type RankDataset } from '../../../src/rank/ltr/dataset.js';
import { ndcgMetric } from '../../../src/rank/ltr/metric.js';
import { lambdaMartFromJson, lambdaMartToJson, loadLambdaMart, saveLambdaMart } from '../../../src/rank/ltr/model-file.js';
import { trainLambdaMart } from '../../../src/rank/ltr/train.js';
import { mulberry32 } from '../../../src/util/random.js';
import { refusal } from '../../helpers/refusal.js';
import { tempDir } from '../../helpers/tmp.js';

const NAMES = ['match', 'popularity', 'noise', 'freshness'];

/** Grade 0–4 from a known function of the features: match matters most, popularity next, noise not at all. */
function synthetic(seed: number, queries: number, perQuery: number): RankDataset {
  const random = mulberry32(seed);
  const rows = queries * perQuery;
  const features = Float32Array.from({ length: rows * NAMES.length }, () => random());
  const labels = Array.from({ length: rows }, (_, r) => {
    const [match, popularity, , freshness] = features.subarray(r * 4, r * 4 + 4);
    return Math.min(4, Math.floor(3 * match * match + 1.5 * popularity + 0.5 * freshness));
  });
  return rankDataset({ featureNames: NAMES, features, labels, groupSizes: new Array(queries).fill(perQuery) });
}

const train = synthetic(1, 120, 20);
const heldOut = synthetic(2, 60, 20);
const ndcg10 = ndcgMetric(10);

test('learns a known relevance function: held-out NDCG@10 far above an untrained ranking', () => {
  const { model } = trainLambdaMart(train, { trees: 60 });
  const learned = ndcg10.evaluate(heldOut, model.scoreDataset(heldOut));
  const untrained = ndcg10.evaluate(heldOut, new Float64Array(heldOut.rowCount));
  assert.ok(learned > 0.93, `NDCG@10 ${learned}`);
  assert.ok(learned > untrained + 0.2, `${learned} vs untrained ${untrained}`);
  // The explanation credits the features that decide relevance, not the noise.
  const totals = new Float64Array(4);
  for (let r = 0; r < 200; r++) model.explainRow(heldOut.features.subarray(r * 4, r * 4 + 4)).contributions.forEach((c, f) => (totals[f] += Math.abs(c)));
  assert.ok(totals[0] > totals[2] * 3 && totals[1] > totals[2], `contributions ${[...totals]}`);
});

test('the same seed gives the same model, with row and feature subsampling; another seed another model', () => {
  const params = { trees: 15, subsample: 0.7, colsample: 0.5, seed: 42 };
  const a = JSON.stringify(lambdaMartToJson(trainLambdaMart(train, params).model));
  const b = JSON.stringify(lambdaMartToJson(trainLambdaMart(train, params).model));
  const c = JSON.stringify(lambdaMartToJson(trainLambdaMart(train, { ...params, seed: 43 }).model));
  assert.equal(a, b);
  assert.notEqual(a, c);
});

test('single-row queries and all-equal labels train without error: no gradient, no tree, scores 0', () => {
  const flat = rankDataset({ featureNames: ['x'], features: Float32Array.of(1, 2, 3, 4, 5), labels: [2, 1, 1, 1, 0], groupSizes: [1, 3, 1] });
  const { model, rounds } = trainLambdaMart(flat, { minDataInLeaf: 1 });
  assert.equal(model.treeCount, 0);
  assert.equal(rounds.length, 0);
  assert.equal(model.scoreRow([3]), 0);
  const constant = rankDataset({ featureNames: ['x'], features: Float32Array.of(1, 1, 1, 1), labels: [2, 0, 1, 0], groupSizes: [4] });
  assert.equal(trainLambdaMart(constant).model.treeCount, 0, 'a constant feature cannot split');
});

test('early stopping keeps the best validation round; it needs a validation set', () => {
  const result = trainLambdaMart(train, { trees: 200, leaves: 31, minDataInLeaf: 2, earlyStop: 5 }, { valid: heldOut });
  const best = Math.max(...result.rounds.map((r) => r.validNdcg!));
  assert.ok(result.rounds.length < 200);
  assert.equal(result.rounds.length, result.keptRounds + 5);
  assert.equal(result.model.treeCount, result.keptRounds);
  assert.equal(result.validNdcg, best);
  assert.equal(ndcg10.evaluate(heldOut, result.model.scoreDataset(heldOut)), best);
  assert.equal(refusal(() => trainLambdaMart(train, { earlyStop: 3 })).code, 'OPTION_OUT_OF_RANGE');
  assert.equal(refusal(() => trainLambdaMart(train, { leaves: 1 })).code, 'OPTION_OUT_OF_RANGE');
});

test('scoreRow, scoreRows and scoreDataset agree; explanations sum to the score', () => {
  const { model } = trainLambdaMart(train, { trees: 20, maxDepth: 3 });
  const batch = model.scoreRows(heldOut.features);
  assert.deepEqual(batch, model.scoreDataset(heldOut));
  for (let r = 0; r < 50; r++) {
    const row = Array.from(heldOut.features.subarray(r * 4, r * 4 + 4));
    const score = model.scoreRow(row);
    assert.equal(score, batch[r]);
    const { base, contributions, score: explained } = model.explainRow(row);
    assert.equal(explained, score);
    const sum = base + contributions.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - score) <= 1e-9 * Math.max(1, Math.abs(score)), `${sum} vs ${score}`);
    const tree = model.explanation(row);
    assert.equal(tree.value, score);
    assert.ok(Math.abs(tree.details.reduce((a, d) => a + d.value, 0) - score) < 1e-9);
  }
  assert.equal(refusal(() => model.scoreRow([1, 2])).code, 'MODEL_FEATURE_MISMATCH');
  assert.equal(refusal(() => model.scoreRows(new Float32Array(7))).code, 'MODEL_FEATURE_MISMATCH');
});

test('the model file round-trips bit for bit, is written atomically, and checks features', () => {
  const dir = tempDir();
  const path = join(dir, 'model.json');
  const { model } = trainLambdaMart(train, { trees: 10 });
  saveLambdaMart(path, model);
  assert.deepEqual(readdirSync(dir), ['model.json'], 'no temporary file left');
  const loaded = loadLambdaMart(path, NAMES);
  assert.deepEqual(loaded.scoreDataset(heldOut), model.scoreDataset(heldOut));
  assert.deepEqual(loaded.params, model.params);
  const mismatch = refusal(() => loadLambdaMart(path, ['match', 'popularity', 'noise', 'recency']));
  assert.equal(mismatch.code, 'MODEL_FEATURE_MISMATCH');
  assert.match(mismatch.message, /feature 4 is "freshness" in the model, "recency" in the features given/);
  assert.equal(refusal(() => loadLambdaMart(path, NAMES.slice(0, 3))).code, 'MODEL_FEATURE_MISMATCH');
  const other = rankDataset({ featureNames: ['a'], features: new Float32Array(1), labels: [0], groupSizes: [1] });
  assert.equal(refusal(() => model.scoreDataset(other)).code, 'MODEL_FEATURE_MISMATCH');
  assert.equal(refusal(() => saveLambdaMart(join(dir, 'missing-dir', 'm.json'), model)).code, 'FILE_UNWRITABLE');
});

test('loading refuses a wrong format or version, bad params and malformed trees, naming what', () => {
  const good = lambdaMartToJson(trainLambdaMart(train, { trees: 3, leaves: 4 }).model);
  const variant = (edit: (m: any) => void) => {
    const m = JSON.parse(JSON.stringify(good));
    edit(m);
    return m;
  };
  const cases: Array<[unknown, string, RegExp]> = [
    [[1], 'MODEL_CORRUPT', /not a JSON object/],
    [variant((m) => (m.version = 2)), 'MODEL_VERSION', /"quiver\.lambdamart v2" is not supported.*reads quiver\.lambdamart v1/],
    [variant((m) => (m.format = 'xgboost')), 'MODEL_VERSION', /xgboost/],
    [variant((m) => (m.featureNames = ['a', 'a', 'b', 'c'])), 'MODEL_CORRUPT', /featureNames/],
    [variant((m) => (m.params.learningRate = 7)), 'MODEL_CORRUPT', /"params": option "learningRate" is 7/],
    [variant((m) => (m.params.colour = 1)), 'MODEL_CORRUPT', /unknown option "colour"/],
    [variant((m) => (m.trees = {})), 'MODEL_CORRUPT', /"trees" is not an array/],
    [variant((m) => (m.trees[1].value[0] = 'x')), 'MODEL_CORRUPT', /trees\[1\]\.value is not an array of finite numbers/],
    [variant((m) => m.trees[0].left.pop()), 'MODEL_CORRUPT', /trees\[0\]\.left has/],
    [variant((m) => (m.trees[0].feature[0] = 9)), 'MODEL_CORRUPT', /splits on feature 9/],
    [variant((m) => (m.trees[0].left[0] = 0)), 'MODEL_CORRUPT', /node 0 has child 0/],
    [variant((m) => (m.trees[0].right[0] = m.trees[0].left[0])), 'MODEL_CORRUPT', /reached twice/],
    [variant((m) => (m.trees[0] = { feature: [], threshold: [], left: [], right: [], value: [] })), 'MODEL_CORRUPT', /no nodes/],
  ];
  for (const [raw, code, message] of cases) {
    const err = refusal(() => lambdaMartFromJson(raw, 'm.json'));
    assert.equal(err.code, code, String(message));
    assert.match(err.message, message);
  }
  const dir = tempDir();
  writeFileSync(join(dir, 'bad.json'), '{"format":');
  assert.equal(refusal(() => loadLambdaMart(join(dir, 'bad.json'))).code, 'MODEL_CORRUPT');
  assert.equal(refusal(() => loadLambdaMart(join(dir, 'none.json'))).code, 'FILE_UNREADABLE');
});
