import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averagePrecision, ndcgAt, recallAt, reciprocalRankAt } from '../../src/eval/metrics.js';

const qrels = new Map([['a', 1], ['b', 2], ['c', 0], ['d', 1]]);

test('nDCG uses gains 2^rel − 1 against the ideal order of all judged documents', () => {
  // ranked b, x, a: DCG = 3/log2(2) + 0 + 1/log2(4) = 3.5; ideal b, a, d: 3 + 1/log2(3) + 1/2
  const ideal = 3 + 1 / Math.log2(3) + 0.5;
  assert.ok(Math.abs(ndcgAt(['b', 'x', 'a'], qrels, 10) - 3.5 / ideal) < 1e-12);
  assert.equal(ndcgAt(['b', 'a', 'd'], qrels, 3), 1);
  assert.equal(ndcgAt(['x'], new Map([['x', 0]]), 10), 0);
});

test('AP divides by every relevant document; MRR and recall are cut at k', () => {
  // relevant: a, b, d. Ranked a, x, b: precision at hits 1/1 and 2/3; AP = (1 + 2/3) / 3
  assert.ok(Math.abs(averagePrecision(['a', 'x', 'b'], qrels) - (1 + 2 / 3) / 3) < 1e-12);
  assert.equal(reciprocalRankAt(['x', 'c', 'd'], qrels, 10), 1 / 3);
  assert.equal(reciprocalRankAt(['x', 'c', 'd'], qrels, 2), 0);
  assert.equal(recallAt(['a', 'b', 'x'], qrels, 2), 2 / 3);
});
