// The retrieval policy over the demo catalogue: plans replay by seed, propensities are probabilities of what was
// chosen, engagement credits exactly the arms that ran, and plans get better at covering what users engage with.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateStream } from '../../src/eval/stream-generator.js';
import type { DisjointLinearModel } from '../../src/policy/arm-model.js';
import { createPolicy } from '../../src/policy/policy.js';
import { policyState, restorePolicy } from '../../src/policy/policy-state.js';
import { BUDGET_STEP, MIN_PRICE_FACTOR } from '../../src/policy/candidate-price.js';
import { FULL_DRAW_MIN_REQUESTS } from '../../src/policy/cost-model.js';
import { type RetrievalDecision, RetrievalPolicy, TRUST_FLOOR } from '../../src/policy/retrieval-policy.js';
import { createQueryContext, type QueryContext } from '../../src/query/query-context.js';
import { createStrategies, retrieveUnion } from '../../src/retrieval/registry.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';

const index = demoIndex();
const NAMES = ['lexical', 'fuzzy', 'popular', 'fresh', 'structured', 'memory', 'personalised'];

function setup(policyName: string, options = {}) {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  return { resources, strategies, policy: new RetrievalPolicy(resources, strategies, createPolicy(policyName, options)) };
}

test('a decision is a plan on the grid, and replays for the same request', () => {
  const { policy } = setup('thompson', { v: 0.3, propensitySamples: 8 });
  const q = () => createQueryContext('tayler swift', { context: { time: DEMO_TIME }, seed: 3 });
  const first = policy.decide(q());
  assert.deepEqual([...policy.decide(q()).plan], [...first.plan]);
  assert.ok(first.plan.size > 0);
  for (const [strategy, budget] of first.plan) {
    assert.ok(NAMES.includes(strategy));
    assert.ok(policy.grid.includes(budget));
  }
});

test('propensities: with ε = 1 every plan has probability (1/(G+1))^S; marginals sum to 1; ε-greedy closed form', () => {
  const { policy } = setup('uniform');
  const decision = policy.decide(createQueryContext('love', { context: { time: DEMO_TIME } }));
  assert.ok(Math.abs(decision.propensity - (1 / 5) ** NAMES.length) < 1e-15);
  const greedy = setup('epsilon-greedy', { epsilon: 0.2, decay: 0 }).policy;
  for (let seed = 0; seed < 20; seed++) {
    const d = greedy.decide(createQueryContext('love', { context: { time: DEMO_TIME }, seed }));
    let expected = 1;
    for (const name of NAMES) expected *= ((d.plan.get(name) ?? 0) === (d.greedy.get(name) ?? 0) ? 0.8 : 0) + 0.2 / 5;
    assert.ok(Math.abs(d.propensity - expected) < 1e-12);
    for (const row of d.marginals.values()) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  }
});

test('holdback: a share of requests runs every strategy at the largest budget, leaves the policy\'s choice alone and is in the propensities', () => {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const h = 0.25;
  const held = new RetrievalPolicy(resources, strategies, createPolicy('epsilon-greedy', { epsilon: 0.2, decay: 0 }), { holdback: h });
  const plain = new RetrievalPolicy(resources, strategies, createPolicy('epsilon-greedy', { epsilon: 0.2, decay: 0 }));
  const runs = 400;
  let heldBack = 0;
  for (let seed = 0; seed < runs; seed++) {
    const q = () => createQueryContext('love', { context: { time: DEMO_TIME }, seed });
    const d = held.decide(q());
    const p = plain.decide(q());
    assert.deepEqual([...d.greedy], [...p.greedy]);
    const full = d.plan.size === NAMES.length && [...d.plan.values()].every((b) => b === 100);
    const plainFull = p.plan.size === NAMES.length && [...p.plan.values()].every((b) => b === 100);
    if (d.heldBack) {
      heldBack++;
      assert.ok(full, `held back: ${JSON.stringify([...d.plan])}`);
      assert.ok(Math.abs(d.propensity - ((1 - h) * plain.probabilityOf(d.plan, d.features, d.actions, seed) + h)) < 1e-12);
    } else {
      assert.deepEqual([...d.plan], [...p.plan]); // the holdback draw is its own stream
      assert.ok(Math.abs(d.propensity - ((1 - h) * p.propensity + (plainFull ? h : 0))) < 1e-12);
    }
    for (const [name, row] of d.marginals) {
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
      assert.ok(Math.abs(row[4] - ((1 - h) * p.marginals.get(name)![4] + h)) < 1e-12, `${name}: P(budget 100)`);
    }
  }
  const sd = Math.sqrt((h * (1 - h)) / runs);
  assert.ok(Math.abs(heldBack / runs - h) < 4 * sd, `held back ${heldBack} of ${runs}`);
  for (const bad of [1, -0.1, Number.NaN]) {
    assert.throws(() => new RetrievalPolicy(resources, strategies, createPolicy('linucb'), { holdback: bad }), (e: Error & { code?: string }) => e.code === 'POLICY_BAD_INPUT' && /holdback/.test(e.message));
  }
});

/** Decides `requests` more requests; asserts the held-back count is the sum of the shares within four standard deviations, and returns that sum. */
function heldBackMatchesShares(policy: RetrievalPolicy, query: (seed: number) => QueryContext, requests: number): number {
  let heldBack = 0;
  let expected = 0;
  let variance = 0;
  for (let seed = 0; seed < requests; seed++) {
    const share = policy.holdbackNow();
    expected += share;
    variance += share * (1 - share);
    if (policy.decide(query(seed)).heldBack) heldBack++;
  }
  assert.ok(Math.abs(heldBack - expected) < 4 * Math.sqrt(variance), `held back ${heldBack} of ${requests}, expected ${expected.toFixed(1)}`);
  return expected;
}

/** The same decision from two policies: plan, holdback, propensity and every P(budget 100) alike. */
function assertSameDecision(d: RetrievalDecision, p: RetrievalDecision): void {
  assert.equal(d.heldBack, p.heldBack);
  assert.deepEqual([...d.plan], [...p.plan]);
  assert.ok(Math.abs(d.propensity - p.propensity) < 1e-12, `propensity ${d.propensity} against ${p.propensity}`);
  for (const [name, row] of d.marginals) assert.ok(Math.abs(row[4] - p.marginals.get(name)![4]) < 1e-12, `${name}: P(budget 100)`);
}

test('warm start: a new policy holds back everything, the extra share fades as h + (1 − h)·n/(n + max(rounds, decided)), and the propensities carry it', () => {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const h = 0.1;
  const n = 10;
  const policy = new RetrievalPolicy(resources, strategies, createPolicy('epsilon-greedy', { epsilon: 0.2, decay: 0 }), { holdback: h, warmStart: n });
  const q = (seed: number) => createQueryContext('love', { context: { time: DEMO_TIME }, seed });
  // The first request is held back, and says so with certainty.
  assert.equal(policy.holdbackNow(), 1);
  const first = policy.decide(q(0));
  assert.ok(first.heldBack && first.plan.size === NAMES.length && [...first.plan.values()].every((b) => b === 100));
  assert.ok(Math.abs(first.propensity - 1) < 1e-12);
  // 30 rounds learnt after 31 requests decided: the share is h + (1 − h)·10/41.
  policy.learn(first, retrieveUnion(strategies, first.plan, first.query), []);
  for (let t = 1; t < 31; t++) {
    const d = policy.decide(q(1000 + t));
    if (t < 30) policy.learn(d, retrieveUnion(strategies, d.plan, d.query), []);
  }
  const now = h + ((1 - h) * n) / (n + 31);
  assert.ok(Math.abs(policy.holdbackNow() - now) < 1e-15);
  // The same learnt state held back at that constant share decides alike, propensities included.
  const plain = new RetrievalPolicy(resources, strategies, createPolicy('epsilon-greedy', { epsilon: 0.2, decay: 0 }), { holdback: now });
  restorePolicy(plain, policyState(policy));
  assertSameDecision(policy.decide(q(1)), plain.decide(q(1)));
  // Decided without feedback (a server's window still open), the share still fades: over 600 requests the held
  // back count is the sum of the shares within four standard deviations.
  heldBackMatchesShares(policy, q, 600);
  assert.ok(policy.holdbackNow() < h + ((1 - h) * n) / 600);
  // Frozen, nothing is learnt from what is held back: no warm start.
  const frozen = new RetrievalPolicy(resources, strategies, createPolicy('linucb'), { holdback: h, warmStart: n, frozen: true });
  assert.equal(frozen.holdbackNow(), h);
  for (const bad of [-1, Number.NaN, Infinity]) {
    assert.throws(() => new RetrievalPolicy(resources, strategies, createPolicy('linucb'), { warmStart: bad }), (e: Error & { code?: string }) => e.code === 'POLICY_BAD_INPUT' && /warmStart/.test(e.message));
  }
});

test('a fading holdback: h until τ, then h·√(τ/t), under the warm start; the propensities carry it; frozen, it stays put', () => {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const h = 0.2;
  const tau = 40;
  const make = (options: object) => new RetrievalPolicy(resources, strategies, createPolicy('epsilon-greedy', { epsilon: 0.2, decay: 0 }), { holdback: h, holdbackDecay: tau, ...options });
  const q = (seed: number) => createQueryContext('love', { context: { time: DEMO_TIME }, seed });
  const policy = make({});
  // Until τ requests the share is h; it fades only with requests decided or learnt.
  for (let t = 0; t < tau; t++) {
    assert.equal(policy.holdbackNow(), h);
    policy.decide(q(t));
  }
  assert.equal(policy.holdbackNow(), h);
  for (let t = tau; t < 160; t++) policy.decide(q(t));
  assert.ok(Math.abs(policy.holdbackNow() - h * Math.sqrt(tau / 160)) < 1e-15); // half of h at 4τ
  // Learnt rounds count as well: a policy reloaded from 250 rounds fades from there, and the warm start rides on top.
  const learnt = make({ warmStart: 10 });
  for (let t = 0; t < 250; t++) {
    const d = learnt.decide(q(5000 + t));
    learnt.learn(d, retrieveUnion(strategies, d.plan, d.query), []);
  }
  const faded = h * Math.sqrt(tau / 250);
  const now = faded + ((1 - faded) * 10) / (10 + 250);
  assert.ok(Math.abs(learnt.holdbackNow() - now) < 1e-15);
  const reloaded = make({ warmStart: 10 });
  restorePolicy(reloaded, policyState(learnt));
  assert.ok(Math.abs(reloaded.holdbackNow() - now) < 1e-15);
  // The same state held back at the share of the moment, constant, decides alike, propensities and marginals included.
  for (const seed of [1, 2, 3]) {
    const plain = new RetrievalPolicy(resources, strategies, createPolicy('epsilon-greedy', { epsilon: 0.2, decay: 0 }), { holdback: learnt.holdbackNow() });
    restorePolicy(plain, policyState(learnt));
    assertSameDecision(learnt.decide(q(seed)), plain.decide(q(seed)));
  }
  // Over 2,000 more requests the held-back count is the sum of the shares, well under half of h's.
  const expected = heldBackMatchesShares(policy, (seed) => q(10_000 + seed), 2000);
  assert.ok(expected < 0.5 * h * 2000, `a faded share: ${expected.toFixed(1)} of 2000`);
  // 0 keeps the share constant; a frozen policy learns nothing from what it holds back, so its share stays put.
  const constant = make({ holdbackDecay: 0 });
  for (let t = 0; t < 200; t++) constant.decide(q(t));
  assert.equal(constant.holdbackNow(), h);
  const frozen = make({ frozen: true });
  restorePolicy(frozen, policyState(learnt));
  for (let t = 0; t < 200; t++) frozen.decide(q(t));
  assert.equal(frozen.holdbackNow(), h);
  for (const bad of [-1, Number.NaN, Infinity]) {
    assert.throws(() => make({ holdbackDecay: bad }), (e: Error & { code?: string }) => e.code === 'POLICY_BAD_INPUT' && /holdbackDecay/.test(e.message));
  }
});

test('Thompson propensities match the frequency of plans over many seeds', () => {
  const { policy } = setup('thompson', { v: 2, propensitySamples: 400 });
  const counts = new Map<string, number>();
  const runs = 400;
  let estimate = 0;
  let key0 = '';
  for (let seed = 0; seed < runs; seed++) {
    const d = policy.decide(createQueryContext('love songs', { context: { time: DEMO_TIME }, seed }));
    const key = JSON.stringify([...d.plan]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (seed === 0) {
      key0 = key;
      estimate = d.propensity;
    }
  }
  const frequency = counts.get(key0)! / runs;
  assert.ok(Math.abs(frequency - estimate) < 4 * Math.sqrt((estimate * (1 - estimate)) / runs) + 0.03, `frequency ${frequency} vs propensity ${estimate}`);
});

test('engagement credits every grid budget up to the one each strategy ran at, and nothing above', () => {
  const { resources, policy } = setup('linucb');
  const q = createQueryContext('love', { context: { time: DEMO_TIME } });
  const decision = { ...policy.decide(q), plan: new Map([['lexical', 50], ['popular', 25]]) };
  const retrieval = retrieveUnion(createStrategies(resources, ['lexical', 'popular']), decision.plan, q);
  const engaged = retrieval.candidates.find((c) => c.provenance.length === 1 && c.provenance[0].strategy === 'lexical' && c.provenance[0].rank > 10 && c.provenance[0].rank <= 25)!;
  const outcome = policy.learn(decision, retrieval, [{ query: 'love', entityId: engaged.id, type: 'click', time: q.time }]);
  assert.equal(outcome.covered, true);
  assert.deepEqual([...outcome.credited], [['lexical', true], ['popular', false]]);
  // The bias is the first feature, so an arm's Σ r·x[0] is the sum of its rewards.
  const model = policy.policy.model as DisjointLinearModel;
  const reward = (arm: string) => [model.arms.get(arm)!.n, model.arms.get(arm)!.xr[0]];
  assert.deepEqual(reward('lexical@10'), [1, 0]);
  assert.deepEqual(reward('lexical@25'), [1, 1]);
  assert.deepEqual(reward('lexical@50'), [1, 1]);
  assert.deepEqual(reward('lexical@100'), [0, 0]);
  assert.deepEqual(reward('popular@10'), [1, 0]);
  assert.deepEqual(reward('popular@25'), [1, 0]);
  assert.deepEqual(reward('fuzzy@10'), [0, 0]);
  // A skip is not engagement: nothing is covered.
  const skipped = policy.learn(decision, retrieval, [{ query: 'love', entityId: engaged.id, type: 'skip', time: q.time }]);
  assert.equal(skipped.covered, false);
  // Nor is a click the user took back with a skip; a click followed by a play is.
  const click = { query: 'love', entityId: engaged.id, type: 'click' as const, time: q.time };
  assert.equal(policy.learn(decision, retrieval, [click, { ...click, type: 'skip' }]).covered, false);
  assert.equal(policy.learn(decision, retrieval, [click, { ...click, type: 'play', value: 180 }]).covered, true);
});

test('an engagement shown lower on the page is worth less to the arms that covered it (positionDiscount)', () => {
  for (const positionDiscount of [true, false]) {
    const resources = new RetrievalResources(index);
    const policy = new RetrievalPolicy(resources, createStrategies(resources, NAMES), createPolicy('linucb'), { positionDiscount });
    const q = createQueryContext('love', { context: { time: DEMO_TIME } });
    const decision = { ...policy.decide(q), plan: new Map([['lexical', 25]]) };
    const retrieval = retrieveUnion(createStrategies(resources, ['lexical']), decision.plan, q);
    const engaged = retrieval.candidates.find((c) => c.provenance[0].rank <= 10)!;
    // Shown at position 3 and at 7: the better position counts (1 / log2(4) = 0.5).
    const outcome = policy.learn(decision, retrieval, [
      { query: 'love', entityId: engaged.id, type: 'click', time: q.time, position: 7 },
      { query: 'love', entityId: engaged.id, type: 'like', time: q.time, position: 3 },
    ]);
    assert.equal(outcome.covered, true);
    assert.equal(outcome.reward, 1 - policy.costWeight * outcome.cost, 'the plan\'s reward stays undiscounted');
    const model = policy.policy.model as DisjointLinearModel;
    for (const arm of ['lexical@10', 'lexical@25']) assert.deepEqual([model.arms.get(arm)!.n, model.arms.get(arm)!.xr[0]], [1, positionDiscount ? 0.5 : 1], arm);
  }
});

for (const name of ['thompson', 'hybrid-linucb']) {
  test(`${name}, learning online, covers more engaged entities in the second half of a stream than in the first`, () => {
    const entities = index.entities.filter((e) => e !== undefined);
    const { events } = generateStream(entities, { n: 400, seed: 5 });
    const { resources, strategies, policy } = setup(name, { propensitySamples: 0 });
    const hits = [0, 0];
    events.forEach((e, i) => {
      const q = createQueryContext(e.query, { context: e.context, seed: i });
      const decision = policy.decide(q);
      const retrieval = retrieveUnion(strategies, decision.plan, q);
      const ids = new Set(retrieval.candidates.map((c) => c.id));
      const target = e.targets.find((id) => ids.has(id));
      if (target) hits[i < events.length / 2 ? 0 : 1]++;
      const feedback = target ? [{ query: e.query, entityId: target, type: 'click' as const, time: q.time, user: e.context.user }] : [];
      policy.learn(decision, retrieval, feedback);
      for (const event of feedback) resources.learn(event);
    });
    // Learning must raise coverage, to at least three queries in four in the second half.
    assert.ok(hits[1] > hits[0] && hits[1] >= 0.75 * (events.length / 2), `first half ${hits[0]}, second half ${hits[1]} of ${events.length / 2}`);
  });
}

test("trust: each planned strategy's smallest-budget arm's mean estimate, clipped, and it follows what users engage with", () => {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  // The grid out of order: trust reads the smallest budget, not the first.
  const policy = new RetrievalPolicy(resources, strategies, createPolicy('thompson', { propensitySamples: 0 }), { grid: [25, 10, 50] });
  const q = (seed: number) => createQueryContext('love', { context: { time: DEMO_TIME }, seed });
  const check = (seed: number) => {
    const decision = policy.decide(q(seed));
    assert.deepEqual([...decision.trust.keys()].sort(), [...decision.plan.keys()].sort());
    const estimates = policy.policy.model.estimate(decision.arms);
    for (const [strategy, trust] of decision.trust) {
      const mean = estimates[decision.arms.findIndex((a) => a.arm === `${strategy}@10`)].mean;
      assert.equal(trust, Math.round(Math.min(1, Math.max(TRUST_FLOOR, mean)) * 1000) / 1000, strategy);
    }
    return decision;
  };
  check(1);
  // Lexical's first candidate is what the user wants, shown first; fuzzy and structured run and never cover it.
  const runAll = new Map([['lexical', 10], ['fuzzy', 10], ['structured', 10]]);
  for (let seed = 0; seed < 30; seed++) {
    const decision = { ...policy.decide(q(seed)), plan: runAll };
    const retrieval = retrieveUnion(strategies, runAll, q(seed));
    const first = retrieval.candidates.find((c) => c.provenance.some((p) => p.strategy === 'lexical' && p.rank === 1))!;
    const others = retrieval.candidates.filter((c) => c.id !== first.id);
    // Keep fuzzy and structured empty-handed: drop the lexical find from their lists.
    const lexicalOnly = { ...retrieval, candidates: [{ ...first, provenance: first.provenance.filter((p) => p.strategy === 'lexical') }, ...others] };
    policy.learn(decision, lexicalOnly, [{ query: 'love', entityId: first.id, type: 'click', time: q(seed).time, position: 1 }]);
  }
  const estimates = policy.policy.model.estimate(policy.decide(q(99)).arms);
  const mean = (s: string) => estimates[policy.decide(q(99)).arms.findIndex((a) => a.arm === `${s}@10`)].mean;
  assert.ok(mean('lexical') > 0.8 && mean('fuzzy') < 0.2 && mean('structured') < 0.2, `lexical ${mean('lexical')}, fuzzy ${mean('fuzzy')}, structured ${mean('structured')}`);
  const later = check(99);
  if (later.trust.has('lexical') && later.trust.has('fuzzy')) assert.ok(later.trust.get('lexical')! > later.trust.get('fuzzy')!);
});

/** Runs a policy online over a generated stream (the user clicks the first target among the candidates); each request's candidates drawn. */
function drawsOnline(policy: RetrievalPolicy, resources: RetrievalResources, strategies: ReturnType<typeof createStrategies>, n: number): number[] {
  const { events } = generateStream(index.entities.filter((e) => e !== undefined), { n, seed: 5 });
  return events.map((e, i) => {
    const q = createQueryContext(e.query, { context: e.context, seed: i });
    const decision = policy.decide(q);
    const retrieval = retrieveUnion(strategies, decision.plan, q);
    const ids = new Set(retrieval.candidates.map((c) => c.id));
    const target = e.targets.find((id) => ids.has(id));
    const feedback = target ? [{ query: e.query, entityId: target, type: 'click' as const, time: q.time, user: e.context.user }] : [];
    policy.learn(decision, retrieval, feedback);
    for (const event of feedback) resources.learn(event);
    return retrieval.runs.reduce((s, r) => s + r.count, 0);
  });
}

test('a candidate budget: each request moves the price by exp(BUDGET_STEP · (drawn / budget − 1)), never below 1', () => {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const policy = new RetrievalPolicy(resources, strategies, createPolicy('linucb'), { candidateBudget: 20 });
  const q = createQueryContext('love', { context: { time: DEMO_TIME } });
  const learnDrawing = (plan: Map<string, number>) => {
    const retrieval = retrieveUnion(strategies, plan, q);
    const drawn = retrieval.runs.reduce((s, r) => s + r.count, 0);
    const before = policy.priceFactor;
    policy.learn({ ...policy.decide(q), plan }, retrieval, []);
    return { drawn, before, after: policy.priceFactor };
  };
  const over = learnDrawing(new Map([['lexical', 100], ['popular', 100]]));
  assert.ok(over.drawn > 20);
  assert.ok(Math.abs(over.after - Math.exp(BUDGET_STEP * (over.drawn / 20 - 1))) < 1e-12, `${over.after}`);
  const under = learnDrawing(new Map([['lexical', 10]]));
  assert.ok(under.drawn < 20);
  assert.ok(Math.abs(under.after - Math.max(1, under.before * Math.exp(BUDGET_STEP * (under.drawn / 20 - 1)))) < 1e-12);
  for (let i = 0; i < 200; i++) learnDrawing(new Map([['lexical', 10]]));
  assert.equal(policy.priceFactor, 1, 'under the budget the price falls back to the cost weight, not below');
  // Without a budget the price never moves.
  const plain = setup('linucb').policy;
  plain.learn({ ...plain.decide(q), plan: new Map([['popular', 100]]) }, retrieveUnion(strategies, new Map([['popular', 100]]), q), []);
  assert.equal(plain.priceFactor, 1);
  for (const bad of [0, -5, NaN, Infinity]) {
    assert.throws(() => new RetrievalPolicy(resources, strategies, createPolicy('linucb'), { candidateBudget: bad }), { code: 'POLICY_BAD_INPUT', message: /candidateBudget/ });
  }
});

test('a candidate budget is kept: learning online, the policy draws about the budget where it would draw far more', () => {
  const free = setup('thompson', { propensitySamples: 0 });
  const freeDraws = drawsOnline(free.policy, free.resources, free.strategies, 400);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const freeMean = mean(freeDraws.slice(200));
  const budget = Math.round(freeMean / 3);
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const policy = new RetrievalPolicy(resources, strategies, createPolicy('thompson', { propensitySamples: 0 }), { candidateBudget: budget });
  const draws = drawsOnline(policy, resources, strategies, 400);
  assert.ok(mean(draws.slice(200)) <= budget * 1.15, `drew ${mean(draws.slice(200))} per request over the last 200, budget ${budget} (free: ${freeMean})`);
  assert.ok(policy.priceFactor > 1);
});

test('a target budget: the price also falls below the cost weight while requests draw less, to MIN_PRICE_FACTOR; a mode needs a budget', () => {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const policy = new RetrievalPolicy(resources, strategies, createPolicy('linucb'), { candidateBudget: 50, budgetMode: 'target' });
  const q = createQueryContext('love', { context: { time: DEMO_TIME } });
  const plan = new Map([['lexical', 10]]);
  const retrieval = retrieveUnion(strategies, plan, q);
  const drawn = retrieval.runs.reduce((s, r) => s + r.count, 0);
  assert.ok(drawn < 50);
  policy.learn({ ...policy.decide(q), plan }, retrieval, []);
  assert.ok(Math.abs(policy.priceFactor - Math.exp(BUDGET_STEP * (drawn / 50 - 1))) < 1e-12, `${policy.priceFactor}`);
  for (let i = 0; i < 2000; i++) policy.learn({ ...policy.decide(q), plan }, retrieval, []);
  assert.equal(policy.priceFactor, MIN_PRICE_FACTOR, 'a candidate is never free');
  assert.equal(policy.budgetMode, 'target');
  const res = new RetrievalResources(index);
  const strats = createStrategies(res, NAMES);
  assert.equal(new RetrievalPolicy(res, strats, createPolicy('linucb'), { candidateBudget: 5 }).budgetMode, 'ceiling');
  assert.throws(() => new RetrievalPolicy(res, strats, createPolicy('linucb'), { budgetMode: 'target' }), { code: 'POLICY_BAD_INPUT', message: /budgetMode.*candidateBudget/ });
  assert.throws(() => new RetrievalPolicy(res, strats, createPolicy('linucb'), { candidateBudget: 5, budgetMode: 'most' as never }), { code: 'POLICY_BAD_INPUT', message: /budgetMode.*ceiling, target/ });
});

test('a budget as a share of the full draw: the budget is that share of every strategy at the largest budget, as measured, and the price answers it', () => {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const policy = new RetrievalPolicy(resources, strategies, createPolicy('linucb'), { candidateBudget: '10%' });
  assert.equal(policy.candidateShare, 0.1);
  // Before anything has run, each strategy is priced at its budget: the full draw is 100 per strategy.
  assert.equal(policy.fullDraw(), 100 * NAMES.length);
  assert.ok(Math.abs(policy.candidateBudget! - 10 * NAMES.length) < 1e-9);
  const q = createQueryContext('love', { context: { time: DEMO_TIME } });
  const everything = new Map(NAMES.map((name) => [name, 100]));
  const retrieval = retrieveUnion(strategies, everything, q);
  const drawn = retrieval.runs.reduce((s, r) => s + r.count, 0);
  assert.ok(drawn < 100 * NAMES.length, 'some strategies return less than their budget');
  policy.learn({ ...policy.decide(q), plan: everything }, retrieval, []);
  // Once every strategy has run at the largest budget once, the full draw is what that request drew, and the
  // price moved by this request's draw against a tenth of it.
  assert.ok(Math.abs(policy.fullDraw() - drawn) < 1e-9, `${policy.fullDraw()} against ${drawn}`);
  assert.ok(Math.abs(policy.candidateBudget! - drawn / 10) < 1e-9);
  assert.ok(Math.abs(policy.priceFactor - Math.exp(BUDGET_STEP * (drawn / (drawn / 10) - 1))) < 1e-12, `${policy.priceFactor}`);
  // Once FULL_DRAW_MIN_REQUESTS held-back requests have been learnt, the full draw is their mean draw: those are a
  // random share of requests, where a plan runs a strategy at its largest budget only where it expects results.
  const draws: number[] = [];
  for (const [i, text] of ['rock', 'blank space', 'summer', 'dance', 'tayler swift', 'new music', 'jazz', 'chill', 'party', 'sad songs'].entries()) {
    const each = createQueryContext(text, { context: { time: DEMO_TIME }, seed: i });
    const run = retrieveUnion(strategies, everything, each);
    draws.push(run.runs.reduce((s, r) => s + r.count, 0));
    policy.learn({ ...policy.decide(each), plan: everything, heldBack: true }, run, []);
  }
  assert.equal(draws.length, FULL_DRAW_MIN_REQUESTS);
  assert.ok(Math.abs(policy.fullDraw() - draws.reduce((a, b) => a + b, 0) / draws.length) < 1e-9, `${policy.fullDraw()} against ${draws}`);
  // Without a share there is none; a bad share is refused, naming the option.
  assert.equal(new RetrievalPolicy(resources, strategies, createPolicy('linucb'), { candidateBudget: 40 }).candidateShare, undefined);
  for (const bad of ['0%', '101%', 'ten%', '%', '35'] as never[]) {
    assert.throws(() => new RetrievalPolicy(resources, strategies, createPolicy('linucb'), { candidateBudget: bad }), { code: 'POLICY_BAD_INPUT', message: /candidateBudget/ }, String(bad));
  }
});

test('a target budget as a share is spent: learning online, the policy draws about that share of the full draw', () => {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const free = setup('thompson', { propensitySamples: 0 });
  const freeMean = mean(drawsOnline(free.policy, free.resources, free.strategies, 800).slice(600));
  const percent = Math.round((110 * freeMean) / free.policy.fullDraw());
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const policy = new RetrievalPolicy(resources, strategies, createPolicy('thompson', { propensitySamples: 0 }), { candidateBudget: `${percent}%`, budgetMode: 'target' });
  const spent = mean(drawsOnline(policy, resources, strategies, 800).slice(600));
  const budget = (percent / 100) * policy.fullDraw();
  assert.ok(spent > freeMean && Math.abs(spent / budget - 1) < 0.05, `drew ${spent} per request over the last 200, target ${percent}% of ${policy.fullDraw()} (free: ${freeMean})`);
});

test('a target budget is spent: learning online, the policy draws about the budget where it would draw less', () => {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const free = setup('thompson', { propensitySamples: 0 });
  const freeMean = mean(drawsOnline(free.policy, free.resources, free.strategies, 800).slice(600));
  const budget = Math.round(freeMean * 1.1);
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const policy = new RetrievalPolicy(resources, strategies, createPolicy('thompson', { propensitySamples: 0 }), { candidateBudget: budget, budgetMode: 'target' });
  const spent = mean(drawsOnline(policy, resources, strategies, 800).slice(600));
  assert.ok(spent > freeMean && Math.abs(spent / budget - 1) < 0.05, `drew ${spent} per request over the last 200, target ${budget} (free: ${freeMean})`);
  assert.ok(policy.priceFactor < 1);
});
