// The engine's holdback: a share of a learned policy's requests is served by every strategy at full budget, the
// response says so in its plan and its logged propensity, and a bad share is refused when the engine is made.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { DEMO_TIME } from '../helpers/demo-index.js';
import { sampleIndex } from '../helpers/sample-index.js';

const QUERIES = ['love', 'tayler swift', 'chill workout songs', 'rock', 'new music', 'summer', 'blank space', 'dance'];

function fullPlans(holdback: number): number {
  let n = 0;
  const engine = new Engine(sampleIndex(), { policy: 'thompson', holdback, ranker: 'heuristic', retrainEvery: 0, now: () => Date.parse(DEMO_TIME), requestId: () => `r${++n}` });
  const strategies = Object.keys(engine.search({ query: 'love', k: 5, explain: true }).explanation!.budgets!);
  assert.ok(strategies.length > 5);
  let full = 0;
  for (let i = 0; i < 40; i++) {
    const response = engine.search({ query: QUERIES[i % QUERIES.length], k: 5, explain: true });
    const plan = response.plan;
    if (strategies.every((s) => plan[s] === 100)) {
      full++;
      assert.ok(response.explanation!.propensity! >= holdback, `a held-back plan's propensity ${response.explanation!.propensity} includes the holdback ${holdback}`);
    }
  }
  return full;
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
