// The engine's candidate budget: searches that draw more than it raise a candidate's price, /stats says the budget
// and the price, and a restored engine decides at the price it had learnt.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import { PolicyPlanner } from '../../src/policy/planners.js';
import { DEMO_TIME } from '../helpers/demo-index.js';
import { sampleIndex } from '../helpers/sample-index.js';

const QUERIES = ['love', 'tayler swift', 'chill workout songs', 'rock', 'new music', 'summer', 'blank space', 'dance'];
// One index for every engine here: none of them changes the catalogue, and building it is the slow part.
const index = sampleIndex();

function engineWith(options: EngineOptions): Engine {
  let n = 0;
  return new Engine(index, { policy: 'thompson', ranker: 'heuristic', retrainEvery: 0, now: () => Date.parse(DEMO_TIME), requestId: () => `r${++n}`, ...options });
}

function priceOf(engine: Engine): number {
  assert.ok(engine.planner instanceof PolicyPlanner);
  return engine.planner.policy.priceFactor;
}

test('a candidate budget raises the price while searches draw more, /stats says both, and a restored engine keeps the price', () => {
  const engine = engineWith({ candidateBudget: 10 });
  for (const query of QUERIES.flatMap(() => QUERIES).slice(0, 40)) engine.search({ query, k: 5 });
  engine.flush(); // the requests close and are learnt from (no feedback: abandonments)
  assert.ok(priceOf(engine) > 1, `price ${priceOf(engine)}`);
  const planner = engine.statsSnapshot().planner;
  assert.equal(planner.candidateBudget, 10);
  assert.equal(planner.priceFactor, priceOf(engine));

  const restored = engineWith({ candidateBudget: 10 });
  restored.restore(JSON.parse(JSON.stringify(engine.state())));
  assert.equal(priceOf(restored), priceOf(engine));

  const plain = engineWith({});
  for (const query of QUERIES) plain.search({ query, k: 5 });
  plain.flush();
  assert.equal(priceOf(plain), 1);
  assert.equal(plain.statsSnapshot().planner.priceFactor, undefined, 'no budget, no price in /stats');
});

test('a target budget lowers the price while searches draw less, and /stats says it is a target', () => {
  const engine = engineWith({ candidateBudget: 5000, budgetMode: 'target' });
  for (const query of QUERIES) engine.search({ query, k: 5 });
  engine.flush();
  assert.ok(priceOf(engine) < 1, `price ${priceOf(engine)}`);
  const planner = engine.statsSnapshot().planner;
  assert.equal(planner.budgetMode, 'target');
  assert.equal(planner.priceFactor, priceOf(engine));
  assert.equal(engineWith({ candidateBudget: 10 }).statsSnapshot().planner.budgetMode, 'ceiling');
  assert.throws(() => engineWith({ budgetMode: 'target' }), (e: Error & { code?: string }) => e.code === 'POLICY_BAD_INPUT' && /budgetMode/.test(e.message));
});

test('a candidate budget as a share of the full draw: /stats gives the share and what it comes to in candidates now', () => {
  const engine = engineWith({ candidateBudget: '30%', budgetMode: 'target' });
  for (const query of QUERIES) engine.search({ query, k: 5 });
  engine.flush();
  assert.ok(engine.planner instanceof PolicyPlanner);
  const planner = engine.statsSnapshot().planner;
  assert.equal(planner.candidateShare, 0.3);
  assert.ok(Math.abs(planner.candidateBudget! - 0.3 * engine.planner.policy.fullDraw()) < 1e-9, `${planner.candidateBudget}`);
  assert.equal(engineWith({ candidateBudget: 10 }).statsSnapshot().planner.candidateShare, undefined, 'a count has no share');
});

test('a candidate budget that is not a positive number is refused when the engine is made', () => {
  for (const candidateBudget of [0, -3, Number.NaN, '0%', '250%'] as never[]) {
    assert.throws(() => engineWith({ candidateBudget }), (e: Error & { code?: string }) => e.code === 'POLICY_BAD_INPUT' && /candidateBudget/.test(e.message));
  }
});
