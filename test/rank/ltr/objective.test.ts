// The LambdaRank gradients are the derivatives of the smoothed pairwise loss (pairs, |ΔNDCG| and the per-query
// normalisation held at the current ordering): checked against central finite differences, first and second
// order, with and without normalisation and truncation. Queries that cannot be misordered get zero gradients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rankDataset, type RankDataset } from '../../../src/rank/ltr/dataset.js';
import { LambdaRankObjective } from '../../../src/rank/ltr/objective.js';
import { mulberry32 } from '../../../src/util/random.js';

function randomQueries(seed: number, sizes: number[], weighted = false): { data: RankDataset; scores: Float64Array } {
  const random = mulberry32(seed);
  const rows = sizes.reduce((a, b) => a + b, 0);
  const labels = Array.from({ length: rows }, () => Math.floor(random() * 5));
  const weights = weighted ? Array.from({ length: rows }, () => 0.2 + 5 * random()) : undefined;
  const data = rankDataset({ featureNames: ['x'], features: new Float32Array(rows), labels, groupSizes: sizes, weights });
  return { data, scores: Float64Array.from({ length: rows }, () => random() * 4 - 2) };
}

for (const options of [
  { sigma: 1, truncation: 30, normalize: false },
  { sigma: 1, truncation: 30, normalize: true },
  { sigma: 2.5, truncation: 3, normalize: false },
  { sigma: 1, truncation: 30, normalize: true, weighted: true },
]) {
  test(`gradients and hessians match finite differences of the smoothed loss (${JSON.stringify(options)})`, () => {
    const { data, scores } = randomQueries(7, [6, 9, 2, 12], options.weighted);
    const objective = new LambdaRankObjective(data, options);
    const grad = new Float64Array(data.rowCount);
    const hess = new Float64Array(data.rowCount);
    objective.gradients(scores, grad, hess);
    const h = 1e-4;
    const at = Float64Array.from(scores);
    const loss = (i: number, step: number) => {
      const moved = Float64Array.from(scores);
      moved[i] += step;
      return objective.smoothedLoss(moved, at);
    };
    let nonZero = 0;
    for (let i = 0; i < data.rowCount; i++) {
      const first = (loss(i, h) - loss(i, -h)) / (2 * h);
      const second = (loss(i, h) - 2 * loss(i, 0) + loss(i, -h)) / (h * h);
      assert.ok(Math.abs(grad[i] - first) <= 1e-6 * Math.max(1, Math.abs(first)), `row ${i}: gradient ${grad[i]} vs ${first}`);
      assert.ok(Math.abs(hess[i] - second) <= 1e-4 * Math.max(1, Math.abs(second)), `row ${i}: hessian ${hess[i]} vs ${second}`);
      if (grad[i] !== 0) nonZero++;
    }
    assert.ok(nonZero > data.rowCount / 2, 'most rows have a gradient');
  });
}

test('lambdas push the more relevant row up: its gradient is negative when it is ranked below a less relevant one', () => {
  const data = rankDataset({ featureNames: ['x'], features: new Float32Array(2), labels: [0, 3], groupSizes: [2] });
  const grad = new Float64Array(2);
  const hess = new Float64Array(2);
  new LambdaRankObjective(data, { sigma: 1, truncation: 10, normalize: true }).gradients([1, 0], grad, hess);
  assert.ok(grad[1] < 0 && grad[0] > 0);
  assert.equal(grad[0], -grad[1]);
  assert.ok(hess[0] > 0 && hess[0] === hess[1]);
});

test('single-row queries, all-equal labels and all-irrelevant queries get zero gradients', () => {
  const data = rankDataset({ featureNames: ['x'], features: new Float32Array(8), labels: [3, 2, 2, 2, 0, 0, 0, 1], groupSizes: [1, 3, 3, 1] });
  const grad = new Float64Array(8).fill(9);
  const hess = new Float64Array(8).fill(9);
  new LambdaRankObjective(data, { sigma: 1, truncation: 30, normalize: true }).gradients([0.3, 1, -1, 2, 0, 1, 2, 5], grad, hess);
  assert.deepEqual([...grad], new Array(8).fill(0));
  assert.deepEqual([...hess], new Array(8).fill(0));
});

test('row weights scale a pair by both its rows: doubling every weight quadruples every lambda, halving the negatives\' halves them', () => {
  const one = randomQueries(3, [8, 5]);
  const doubled = rankDataset({ ...one.data, groupSizes: [8, 5], weights: new Array(one.data.rowCount).fill(2) });
  const options = { sigma: 1, truncation: 30, normalize: false };
  const [g1, h1, g2, h2] = [0, 0, 0, 0].map(() => new Float64Array(one.data.rowCount));
  new LambdaRankObjective(one.data, options).gradients(one.scores, g1, h1);
  new LambdaRankObjective(doubled, options).gradients(one.scores, g2, h2);
  for (let i = 0; i < g1.length; i++) {
    assert.ok(Math.abs(g2[i] - 4 * g1[i]) < 1e-12 && Math.abs(h2[i] - 4 * h1[i]) < 1e-12);
  }
  // One row at weight ½, every other at 1: each pair it is in weighs half, so its own lambda and hessian halve.
  const row = one.data.labels.findIndex((l) => l === 0);
  const softer = rankDataset({ ...one.data, groupSizes: [8, 5], weights: Array.from(one.data.labels, (_, i) => (i === row ? 0.5 : 1)) });
  const [g3, h3] = [0, 0].map(() => new Float64Array(one.data.rowCount));
  new LambdaRankObjective(softer, options).gradients(one.scores, g3, h3);
  assert.ok(row >= 0 && g1[row] !== 0);
  assert.ok(Math.abs(g3[row] - g1[row] / 2) < 1e-12 && Math.abs(h3[row] - h1[row] / 2) < 1e-12);
  assert.throws(() => rankDataset({ ...one.data, groupSizes: [8, 5], weights: new Array(one.data.rowCount).fill(0) }), /weight 0 is not a finite number > 0/);
});
