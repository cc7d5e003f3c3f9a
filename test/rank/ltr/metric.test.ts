// The LTR metrics against src/eval/metrics.ts (the trec_eval-style code the rest of Quiver reports with): the
// same NDCG@k and AP on every query that has a relevant row; a query without one counts 1; score ties keep the
// row order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { averagePrecision, ndcgAt } from '../../../src/eval/metrics.js';
import { rankDataset } from '../../../src/rank/ltr/dataset.js';
import { evaluateRanking, mapMetric, ndcgMetric, weightedNdcgMetric } from '../../../src/rank/ltr/metric.js';

test('NDCG@k and MAP equal the trec_eval-style metrics query by query', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: -5, max: 5 })), { minLength: 1, maxLength: 15 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 12 }), (queries, k) => {
      const rows = queries.flat();
      const data = rankDataset({ featureNames: [], features: new Float32Array(0), labels: rows.map(([label]) => label), groupSizes: queries.map((q) => q.length) });
      const scores = rows.map(([, score]) => score);
      const expected = { ndcg: 0, map: 0 };
      for (const q of queries) {
        const ranked = q.map(([, score], i) => ({ id: String(i), score })).sort((a, b) => b.score - a.score || Number(a.id) - Number(b.id)).map((r) => r.id);
        const qrels = new Map(q.map(([label], i) => [String(i), label]));
        const relevant = q.some(([label]) => label > 0);
        expected.ndcg += relevant ? ndcgAt(ranked, qrels, k) : 1;
        expected.map += relevant ? averagePrecision(ranked, qrels) : 1;
      }
      assert.ok(Math.abs(ndcgMetric(k).evaluate(data, scores) - expected.ndcg / queries.length) < 1e-12);
      assert.ok(Math.abs(mapMetric.evaluate(data, scores) - expected.map / queries.length) < 1e-12);
    }),
  );
});

test('evaluateRanking reports exactly ndcg@1/3/5/10 and map, in that order', () => {
  const data = rankDataset({ featureNames: [], features: new Float32Array(0), labels: [0, 2, 1], groupSizes: [3] });
  const report = evaluateRanking(data, [3, 2, 1]);
  assert.deepEqual(Object.keys(report), ['ndcg@1', 'ndcg@3', 'ndcg@5', 'ndcg@10', 'map']);
  assert.equal(report['ndcg@1'], 0);
  assert.equal(report.map, (1 / 2 + 2 / 3) / 2);
});

test('weighted NDCG@k is NDCG@k with weight × gain: unweighted it is ndcgMetric, and a weighted deep click counts more', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -5, max: 5 })), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 10 }), (rows, k) => {
      const plain = rankDataset({ featureNames: [], features: new Float32Array(0), labels: rows.map(([l]) => l), groupSizes: [rows.length] });
      const ones = rankDataset({ featureNames: [], features: new Float32Array(0), labels: rows.map(([l]) => l), groupSizes: [rows.length], weights: rows.map(() => 1) });
      const scores = rows.map(([, s]) => s);
      assert.equal(weightedNdcgMetric(k).evaluate(plain, scores), ndcgMetric(k).evaluate(plain, scores));
      assert.ok(Math.abs(weightedNdcgMetric(k).evaluate(ones, scores) - ndcgMetric(k).evaluate(plain, scores)) < 1e-12);
      assert.deepEqual(Array.from(weightedNdcgMetric(k).perQuery(ones, scores)), [weightedNdcgMetric(k).evaluate(ones, scores)]);
    }),
  );
  // Two clicks, the second (shown deep, IPS weight 4) ranked second: 1 + 4/log2(3) of the ideal 4 + 1/log2(3).
  const data = rankDataset({ featureNames: [], features: new Float32Array(0), labels: [1, 1], groupSizes: [2], weights: [1, 4] });
  const expected = (1 + 4 / Math.log2(3)) / (4 + 1 / Math.log2(3));
  assert.ok(Math.abs(weightedNdcgMetric(10).evaluate(data, [2, 1]) - expected) < 1e-12);
  assert.equal(weightedNdcgMetric(10).evaluate(data, [1, 2]), 1);
});
