import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clickTrainingRows, ipsWeights } from '../../../src/rank/clicks/ips.js';
import { estimatePositionBias } from '../../../src/rank/clicks/position-bias.js';
import { logisticRelevance, type LogisticRelevanceFit } from '../../../src/rank/clicks/relevance-models.js';
import type { ClickSession } from '../../../src/rank/clicks/session.js';
import { mulberry32 } from '../../../src/util/random.js';
import { refusal } from '../../helpers/refusal.js';
import { simulatedPbmLog, type SimulatedLog } from '../../helpers/simulated-clicks.js';

const TRUE_EXAMINATION = [1, 0.7, 0.5, 0.35, 0.25, 0.2];

/** A relevance feature (exactly the truth) and a noise feature per (query, document). */
function featuresOf(log: SimulatedLog, seed: number): (s: ClickSession, rank: number) => number[] {
  const noise = mulberry32(seed);
  const features = new Map<string, number[]>();
  for (const [key, relevant] of log.relevant) features.set(key, [relevant ? 1 : 0, noise()]);
  return (s, rank) => features.get(`${s.query}\u0000${s.documents[rank]}`)!;
}

function assertNear(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  actual.forEach((a, r) => assert.ok(Math.abs(a - expected[r]) < tolerance, `${what}, rank ${r + 1}: ${a.toFixed(3)} vs ${expected[r]}`));
}

test('regression EM recovers the true examination propensities of a simulated PBM log', () => {
  const log = simulatedPbmLog(21, TRUE_EXAMINATION, 10_000);
  const bias = estimatePositionBias(log.sessions, { relevance: logisticRelevance(featuresOf(log, 1)), iterations: 100 });
  assertNear(bias.relative, TRUE_EXAMINATION, 0.04, 'regression EM');
  const weights = (bias.relevance as LogisticRelevanceFit<ClickSession>).weights;
  assert.ok(weights[0] > 3 && Math.abs(weights[1]) < 0.5, `the relevant feature carries the weight, noise none: ${Array.from(weights)}`);
  // The (query, document) table gets there too on a log this dense.
  assertNear(estimatePositionBias(log.sessions, { iterations: 100 }).relative, TRUE_EXAMINATION, 0.04, 'table EM');
});

test('on a sparse log (each document seen about once) features still identify the propensities', () => {
  const log = simulatedPbmLog(22, TRUE_EXAMINATION, 6_000, 500, 12);
  const bias = estimatePositionBias(log.sessions, { relevance: logisticRelevance(featuresOf(log, 2)), iterations: 100 });
  assertNear(bias.relative, TRUE_EXAMINATION, 0.05, 'regression EM, sparse');
  bias.trace.objective.slice(1).forEach((v, i) => assert.ok(v >= bias.trace.objective[i] - 1e-12, `objective fell at iteration ${i + 1}`));
});

test('ipsWeights: θ1/θk, clipped at maxWeight (default 10)', () => {
  const propensities = [0.9, 0.45, 0.09, 0.03];
  assert.equal(ipsWeights(propensities, 1), 1);
  assert.equal(ipsWeights(propensities, 2), 2);
  assert.equal(ipsWeights(propensities, 3), 10);
  assert.equal(ipsWeights(propensities, 4), 10);
  assert.ok(Math.abs(ipsWeights(propensities, 4, { maxWeight: 100 }) - 30) < 1e-12);
  assert.match(refusal(() => ipsWeights(propensities, 5)).message, /position 5 is not a 1-based rank the propensities cover \(1\.\.4\)/);
  assert.match(refusal(() => ipsWeights([0.5, 0], 1)).message, /propensity at rank 2 is 0/);
  assert.equal(refusal(() => ipsWeights(propensities, 1, { maxWeight: 0.5 })).code, 'OPTION_OUT_OF_RANGE');
});

test('clickTrainingRows: one row per shown result, clicks weighted by IPS, unlisted clicks counted', () => {
  const { rows, outsideClicks } = clickTrainingRows(
    [
      { query: 'abba', shown: ['t1', 't2', 't3'], clicked: ['t3', 'elsewhere', 't3'] },
      { query: 'queen', shown: ['t9'], clicked: [] },
    ],
    [0.8, 0.4, 0.2],
  );
  assert.equal(outsideClicks, 1);
  assert.deepEqual(rows, [
    { impression: 0, query: 'abba', id: 't1', position: 1, label: 0, weight: 1 },
    { impression: 0, query: 'abba', id: 't2', position: 2, label: 0, weight: 1 },
    { impression: 0, query: 'abba', id: 't3', position: 3, label: 1, weight: 4 },
    { impression: 1, query: 'queen', id: 't9', position: 1, label: 0, weight: 1 },
  ]);
  assert.match(refusal(() => clickTrainingRows([{ query: 'q', shown: ['a', 'b'], clicked: [] }], [1])).message, /impression 0: shows 2 results; the propensities cover 1/);
});
