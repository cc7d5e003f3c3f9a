// The engine's holdback: a share of a learned policy's requests is served by every strategy at full budget, the
// response says so in its plan and its logged propensity, and a bad share is refused when the engine is made.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { DEFAULT_HOLDBACK_DECAY, DEFAULT_WARM_START, PolicyPlanner } from '../../src/policy/planners.js';
import { decodeEntry, encodeEntry } from '../../src/engine/log-entry.js';
import type { ServedRequest } from '../../src/engine/served-request.js';
import { DEMO_TIME } from '../helpers/demo-index.js';
import { sampleIndex } from '../helpers/sample-index.js';

const QUERIES = ['love', 'tayler swift', 'chill workout songs', 'rock', 'new music', 'summer', 'blank space', 'dance'];

function fullPlans(holdback: number): number {
  return heldBackRun(holdback).full;
}

function heldBackRun(holdback: number): { full: number; engine: Engine } {
  let n = 0;
  const engine = new Engine(sampleIndex(), { policy: 'thompson', holdback, warmStart: 0, ranker: 'heuristic', retrainEvery: 0, now: () => Date.parse(DEMO_TIME), requestId: () => `r${++n}` });
  const responses = QUERIES.flatMap(() => QUERIES).slice(0, 40).map((query) => engine.search({ query, k: 5, explain: true }));
  const strategies = Object.keys(responses[0].explanation!.budgets!);
  assert.ok(strategies.length > 5);
  let full = 0;
  for (const response of responses) {
    if (strategies.every((s) => response.plan[s] === 100)) {
      full++;
      assert.ok(response.explanation!.propensity! >= holdback, `a held-back plan's propensity ${response.explanation!.propensity} includes the holdback ${holdback}`);
    }
  }
  return { full, engine };
}

test('holdback: that share of requests runs every strategy at full budget and logs it in the propensity', () => {
  const held = fullPlans(0.9);
  assert.ok(held >= 28, `${held} of 40 requests ran every strategy at full budget with holdback 0.9`);
  assert.ok(fullPlans(0) < held);
});

test('a holdback outside [0, 1) is refused when the engine is made', () => {
  for (const holdback of [1, -0.5, Number.NaN]) {
    assert.throws(() => new Engine(sampleIndex(), { policy: 'thompson', holdback }), (e: Error & { code?: string }) => e.code === 'POLICY_BAD_INPUT' && /holdback/.test(e.message));
  }
});

test('the statistics count held-back searches apart, so what the policy itself chose can be read', () => {
  const { full, engine } = heldBackRun(0.5);
  const all = engine.stats.totals().all;
  assert.ok(full > 5 && full < 35, `${full} of 40 held back`);
  assert.equal(all.searches, 40);
  assert.equal(all.heldBack, full);
  const stats = all.toJSON(engine.stats.strategies);
  assert.equal(stats.heldBack, all.heldBack);
  for (const strategy of Object.keys(stats.selections)) {
    const own = (stats.selections[strategy] - all.heldBack) / (stats.searches - all.heldBack);
    assert.ok(Math.abs(stats.policySelectionRate[strategy] - own) < 1e-12, `${strategy}: every held-back search ran it, so the policy chose it ${own}`);
    assert.ok(stats.policySelectionRate[strategy] <= stats.selectionRate[strategy] + 1e-12);
  }
});

test('a logged search keeps whether the holdback served it, and a malformed flag is refused', () => {
  const record: ServedRequest = {
    requestId: 'r1', servedAt: 0, query: 'love', plan: [['lexical', 100]], runs: [], returned: [], shown: [],
    decision: { features: [1], actions: [['lexical', [1]]], greedy: [['lexical', 10]], epsilon: 0, propensity: 0.1, heldBack: true },
  };
  const encoded = encodeEntry({ kind: 'search', time: 1, record });
  const decoded = decodeEntry({ seq: 1, ...encoded });
  assert.equal(decoded.kind === 'search' && decoded.record.decision?.heldBack, true);
  const bad = { ...encoded, body: encoded.body.replace('"heldBack":true', '"heldBack":"yes"') };
  assert.throws(() => decodeEntry({ seq: 2, ...bad }), (e: Error & { code?: string }) => e.code === 'STORE_CORRUPT' && /heldBack/.test(e.message));
});

test('the holdback defaults to 0.1 under LambdaMART, 0 under the fallback ranker, and an explicit one wins', () => {
  const holdbackOf = (options: ConstructorParameters<typeof Engine>[1]) => {
    const planner = new Engine(sampleIndex(), { retrainEvery: 0, ...options }).planner;
    assert.ok(planner instanceof PolicyPlanner);
    return planner.policy.holdback;
  };
  assert.equal(holdbackOf({}), 0.1, 'the default engine ranks with LambdaMART');
  assert.equal(holdbackOf({ ranker: 'lambdamart' }), 0.1);
  assert.equal(holdbackOf({ ranker: 'heuristic' }), 0);
  assert.equal(holdbackOf({ ranker: 'lambdamart', holdback: 0 }), 0);
  assert.equal(holdbackOf({ ranker: 'heuristic', holdback: 0.2 }), 0.2);
  // What a default engine serves, warm start aside: about a tenth of searches held back.
  let n = 0;
  const engine = new Engine(sampleIndex(), { retrainEvery: 0, warmStart: 0, now: () => Date.parse(DEMO_TIME), requestId: () => `r${++n}` });
  for (let i = 0; i < 200; i++) engine.search({ query: `${QUERIES[i % QUERIES.length]} ${i}`, k: 5 });
  const held = engine.stats.totals().all.heldBack;
  assert.ok(held >= 8 && held <= 35, `${held} of 200 searches held back`);
});

test('a new engine warm-starts: its first search runs everything, and the extra share fades with searches even before any feedback window closes; the holdback fades later', () => {
  let n = 0;
  const engine = new Engine(sampleIndex(), { retrainEvery: 0, now: () => Date.parse(DEMO_TIME), requestId: () => `r${++n}` });
  const planner = engine.planner;
  assert.ok(planner instanceof PolicyPlanner);
  assert.equal(planner.policy.warmStart, DEFAULT_WARM_START);
  assert.equal(planner.policy.holdbackDecay, DEFAULT_HOLDBACK_DECAY); // past it the holdback fades; not within these 400
  const first = engine.search({ query: 'love', k: 5, explain: true });
  assert.ok(Object.values(first.plan).every((b) => b === 100) && first.explanation!.propensity === 1);
  let expected = 0;
  for (let i = 1; i < 400; i++) {
    expected += planner.policy.holdbackNow();
    engine.search({ query: `${QUERIES[i % QUERIES.length]} ${i}`, k: 5 });
  }
  const held = engine.stats.totals().all.heldBack - 1;
  // No request has closed, so nothing was learnt; the share fell with the searches decided, to near 0.1.
  assert.equal(planner.policy.policy.rounds, 0);
  assert.ok(planner.policy.holdbackNow() < 0.1 + 10 / 400);
  assert.ok(Math.abs(held - expected) < 4 * Math.sqrt(expected), `${held} of 399 held back, expected ${expected.toFixed(1)}`);
  // /stats says the share of the moment.
  assert.deepEqual(engine.statsSnapshot().planner, { name: 'thompson', kind: 'learned', rounds: 0, holdback: planner.policy.holdbackNow() });
});
