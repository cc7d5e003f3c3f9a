// The retrieval policy's saved state: a restart decides exactly as before, replicas merge into the state one
// policy reaches from all the traffic, and anything malformed or foreign is refused with its code.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateStream } from '../../src/eval/stream-generator.js';
import type { FeedbackEvent } from '../../src/feedback/event.js';
import type { LinearStatsState } from '../../src/policy/linear-stats.js';
import { createPolicy, type PolicyOptions } from '../../src/policy/policy.js';
import {
  mergePolicyStates,
  policyState,
  readPolicyState,
  restorePolicy,
  type RetrievalPolicyState,
  writePolicyState,
} from '../../src/policy/policy-state.js';
import { MIN_PRICE_FACTOR } from '../../src/policy/candidate-price.js';
import { FULL_DRAW_MIN_REQUESTS } from '../../src/policy/cost-model.js';
import { type RetrievalDecision, RetrievalPolicy, type RetrievalPolicyOptions } from '../../src/policy/retrieval-policy.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { createStrategies, retrieveUnion, type StrategyRun } from '../../src/retrieval/registry.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import type { UnionCandidate } from '../../src/retrieval/union.js';
import { demoIndex } from '../helpers/demo-index.js';
import { tempDir } from '../helpers/tmp.js';

const index = demoIndex();
const NAMES = ['lexical', 'fuzzy', 'structured', 'memory'];
const { events } = generateStream(index.entities.filter((e) => e !== undefined), { n: 60, seed: 11 });
const queries = events.map((e, t) => createQueryContext(e.query, { context: e.context, seed: 100 + t }));

/** A policy over fresh resources (memory and the other learners empty). */
function fresh(name: string, options: PolicyOptions = {}) {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources, NAMES);
  const policy = new RetrievalPolicy(resources, strategies, createPolicy(name, options));
  // Learners (memory, query understanding, …) register when first built: build them before any feedback arrives.
  for (const strategy of strategies.values()) strategy.retrieve(queries[0], 1);
  policy.contexts(queries[0]);
  return { resources, strategies, policy };
}

type Setup = ReturnType<typeof fresh>;
const base = fresh('uniform');

/** Another policy over the same resources (building strategies is the slow part), learning only where told. */
function sibling(name: string, options: PolicyOptions = {}, policyOptions: RetrievalPolicyOptions = {}, names = NAMES): Setup {
  const strategies = names === NAMES ? base.strategies : createStrategies(base.resources, names);
  return { ...base, strategies, policy: new RetrievalPolicy(base.resources, strategies, createPolicy(name, options), policyOptions) };
}

interface Round {
  decision: RetrievalDecision;
  retrieval: { candidates: UnionCandidate[]; runs: StrategyRun[] };
  feedback: FeedbackEvent[];
}

/** Runs the stream online: decide, retrieve, click the first target found, learn. Returns every round. */
function learnOnline(setup: Setup, from = 0, to = queries.length): Round[] {
  const rounds: Round[] = [];
  for (let t = from; t < to; t++) {
    const q = queries[t];
    const decision = setup.policy.decide(q);
    const retrieval = retrieveUnion(setup.strategies, decision.plan, q);
    const ids = new Set(retrieval.candidates.map((c) => c.id));
    const target = events[t].targets.find((id) => ids.has(id));
    const feedback: FeedbackEvent[] = target ? [{ query: q.raw, entityId: target, type: 'click', time: q.time, user: events[t].context.user }] : [];
    setup.policy.learn(decision, retrieval, feedback);
    for (const e of feedback) setup.resources.learn(e);
    rounds.push({ decision, retrieval, feedback });
  }
  return rounds;
}

function roundTrip(state: RetrievalPolicyState): unknown {
  return JSON.parse(JSON.stringify(state));
}

function closeTo(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

for (const [name, options] of [
  ['thompson', { v: 0.3, epsilon: 0.05, propensitySamples: 8 }],
  ['hybrid-linucb', { alpha: 0.2, epsilon: 0.1 }],
] as Array<[string, PolicyOptions]>) {
  test(`${name}: saved, reloaded over fresh resources (feedback replayed), it decides the same plans with the same propensities`, () => {
    const learnt = fresh(name, options);
    const rounds = learnOnline(learnt, 0, 40);
    const saved = roundTrip(policyState(learnt.policy));

    const restarted = fresh(name, options);
    for (const { feedback } of rounds) for (const e of feedback) restarted.resources.learn(e);
    restorePolicy(restarted.policy, saved);
    assert.equal(restarted.policy.policy.rounds, 40);
    assert.equal(restarted.policy.policy.epsilon, learnt.policy.policy.epsilon);
    assert.deepEqual(policyState(restarted.policy), saved);

    let differentFromFresh = 0;
    const untrained = sibling(name, options).policy;
    // New request contexts: query understanding caches its reading per context object.
    for (const [t, e] of events.slice(40, 60).entries()) {
      const q = createQueryContext(e.query, { context: e.context, seed: 7 + t });
      const before = learnt.policy.decide(q);
      const after = restarted.policy.decide(q);
      assert.deepEqual([...after.plan], [...before.plan], q.text);
      assert.deepEqual([...after.greedy], [...before.greedy], q.text);
      assert.equal(after.propensity, before.propensity, `propensity of "${q.text}"`);
      assert.ok(before.propensity > 0 && before.propensity <= 1);
      if (JSON.stringify([...untrained.decide(q).greedy]) !== JSON.stringify([...before.greedy])) differentFromFresh++;
    }
    // The comparison means something only if learning changed the decisions.
    assert.ok(differentFromFresh > 0, 'the learnt policy decides like an untrained one');
  });
}

for (const name of ['linucb', 'hybrid-linucb']) {
  test(`${name}: two replicas that learnt from the two halves of a stream merge into the state of one that learnt it all`, () => {
    const whole = sibling(name, { epsilon: 0.2 });
    const rounds = learnOnline(whole);
    // The replicas learn from the same requests (contexts, plans, results, clicks) the whole policy saw.
    const half = Math.floor(rounds.length / 2);
    const replicas = [rounds.slice(0, half), rounds.slice(half)].map((part) => {
      const replica = sibling(name, { epsilon: 0.2 });
      for (const { decision, retrieval, feedback } of part) replica.policy.learn(decision, retrieval, feedback);
      return policyState(replica.policy);
    });
    const merged = mergePolicyStates(roundTrip(replicas[0]), roundTrip(replicas[1]));
    const target = sibling(name, { epsilon: 0.2 });
    restorePolicy(target.policy, roundTrip(merged));

    assert.equal(target.policy.policy.rounds, whole.policy.policy.rounds);
    for (const q of queries.slice(0, 20)) {
      const arms = whole.policy.contexts(q).arms;
      const expected = whole.policy.policy.model.estimate(arms);
      target.policy.policy.model.estimate(arms).forEach((e, i) => {
        closeTo(e.mean, expected[i].mean, `${arms[i].arm} mean`);
        closeTo(e.variance, expected[i].variance, `${arms[i].arm} variance`);
      });
    }
    assertSameSums(policyState(target.policy), policyState(whole.policy));
  });
}

/** Every sum of two states agrees (to rounding), whatever order their entries were written in. */
function assertSameSums(actual: RetrievalPolicyState, expected: RetrievalPolicyState): void {
  const sorted = (state: RetrievalPolicyState) => state.actions.history.map((h) => JSON.stringify(h)).sort();
  assert.deepEqual(sorted(actual), sorted(expected));
  assert.deepEqual(actual.actions.overall, expected.actions.overall);
  assert.deepEqual(actual.actions.types, expected.actions.types);
  const sortedTops = (state: RetrievalPolicyState) => (state.actions.topScores ?? []).map(([key, name, runs, sum]) => `${key}|${name}|${runs}|${sum.toPrecision(9)}`).sort();
  assert.ok((expected.actions.topScores ?? []).length > 0, 'the states saw top scores');
  assert.deepEqual(sortedTops(actual), sortedTops(expected));
  const sameNumbers = (a: unknown, b: unknown, what: string) => {
    if (typeof b === 'number') return closeTo(a as number, b, what);
    if (typeof b !== 'object' || b === null) return assert.equal(a, b, what);
    assert.deepEqual(Object.keys(a as object).sort(), Object.keys(b).sort(), what);
    for (const [key, value] of Object.entries(b)) sameNumbers((a as Record<string, unknown>)[key], value, `${what}.${key}`);
  };
  sameNumbers(actual.actions.topScoreMoments, expected.actions.topScoreMoments, 'topScoreMoments');
  sameNumbers(actual.costs, expected.costs, 'costs');
  sameNumbers(actual.model, expected.model, 'model');
}

test('merging into a learnt policy (restorePolicy twice) adds up like mergePolicyStates', () => {
  const a = sibling('linucb');
  const b = sibling('linucb');
  learnOnline(a, 0, 20);
  learnOnline(b, 20, 40);
  const viaMerge = sibling('linucb');
  restorePolicy(viaMerge.policy, mergePolicyStates(policyState(a.policy), policyState(b.policy)));
  const viaRestore = sibling('linucb');
  restorePolicy(viaRestore.policy, roundTrip(policyState(a.policy)));
  restorePolicy(viaRestore.policy, roundTrip(policyState(b.policy)));
  assertSameSums(policyState(viaRestore.policy), policyState(viaMerge.policy));
  assert.equal(viaRestore.policy.policy.rounds, 40);
});

const learnt = sibling('linucb');
learnOnline(learnt, 0, 20);
const good = () => roundTrip(policyState(learnt.policy)) as RetrievalPolicyState;

function refused(state: unknown, code: string, message: RegExp, into = sibling('linucb').policy): void {
  const before = JSON.stringify(policyState(into));
  assert.throws(() => restorePolicy(into, state), (err: Error & { code?: string }) => err.code === code && message.test(err.message), `expected ${code} ${message}`);
  // Never half-loaded: the policy is as it was.
  assert.equal(JSON.stringify(policyState(into)), before);
}

test('restore refuses another format or version', () => {
  refused({ ...good(), format: 'quiver.memory' }, 'LEARNER_STATE_INVALID', /at format/);
  refused({ ...good(), version: 2 }, 'LEARNER_STATE_VERSION', /version 2 is not supported/);
  refused([good()], 'LEARNER_STATE_INVALID', /top level/);
  assert.throws(() => mergePolicyStates(good(), { ...good(), version: 0 }), { code: 'LEARNER_STATE_VERSION' });
});

test('restore refuses a state learnt by another policy, over other strategies, grid or features, or with another model kind', () => {
  const fewerStrategies = sibling('linucb', {}, {}, ['lexical', 'fuzzy']).policy;
  const otherGrid = sibling('linucb', {}, { grid: [10, 50] }).policy;
  refused(good(), 'LEARNER_STATE_INVALID', /at policy: saved "linucb", this policy has "thompson"/, sibling('thompson').policy);
  refused(good(), 'LEARNER_STATE_INVALID', /at strategies: saved \["lexical","fuzzy","structured","memory"\], this policy has \["lexical","fuzzy"\]/, fewerStrategies);
  refused(good(), 'LEARNER_STATE_INVALID', /at grid: saved \[10,25,50,100\], this policy has \[10,50\]/, otherGrid);
  refused({ ...good(), features: [...good().features.slice(0, -1), 'a.other'] }, 'LEARNER_STATE_INVALID', /at features/);
  const hybrid = roundTrip(policyState(sibling('hybrid-linucb').policy)) as RetrievalPolicyState;
  refused({ ...good(), model: hybrid.model }, 'LEARNER_STATE_INVALID', /at model\.kind: saved hybrid, this policy has disjoint/);
  // Replicas that cannot merge: every state is valid, but they were learnt by different set-ups.
  const differentStrategies = roundTrip(policyState(fewerStrategies));
  const differentGrid = roundTrip(policyState(otherGrid));
  assert.throws(() => mergePolicyStates(good(), differentStrategies), { code: 'POLICY_MERGE', message: /differ in strategies/ });
  assert.throws(() => mergePolicyStates(good(), differentGrid), { code: 'POLICY_MERGE', message: /differ in grid/ });
  assert.throws(() => mergePolicyStates(good(), { ...good(), features: [...good().features.slice(0, -1), 'a.other'] }), { code: 'POLICY_MERGE', message: /differ in features/ });
  assert.throws(() => mergePolicyStates(good(), { ...good(), model: hybrid.model }), { code: 'POLICY_MERGE', message: /kind/ });
});

test('restore refuses corrupted sums, naming where, and loads nothing', () => {
  const arm = (state: RetrievalPolicyState) => Object.values(state.model.arms)[0] as LinearStatsState;
  const cases: Array<[string, (s: RetrievalPolicyState) => void, RegExp]> = [
    ['xx too short', (s) => arm(s).xx.pop(), /model\.arms\["[^"]+"\]/],
    ['xr NaN', (s) => (arm(s).xr[0] = NaN), /model\.arms\["[^"]+"\]/],
    ['xx null (a NaN through JSON)', (s) => ((arm(s).xx as unknown[])[3] = null), /model\.arms\["[^"]+"\]/],
    ['a consistent arm of another dimension', (s) => Object.assign(arm(s), { d: 1, xx: [2], xr: [1] }), /model\.arms\["[^"]+"\]/],
    ['an arm of another ridge λ', (s) => (arm(s).lambda = 0.5), /model\.arms\["[^"]+"\]/],
    ['an arm off the grid', (s) => (s.model.arms['lexical@7'] = arm(s)), /model\.arms\["lexical@7"\]/],
    ['n negative', (s) => (arm(s).n = -1), /model\.arms\["[^"]+"\]/],
    ['rounds NaN', (s) => (s.rounds = NaN), /at rounds/],
    ['cost sums NaN', (s) => (Object.values(s.costs.sums)[0][1] = NaN), /at costs/],
    ['cost sums of the wrong length', (s) => (Object.values(s.costs.sums)[0] as number[]).pop(), /at costs/],
    ['held-back draws negative', (s) => (s.costs.full = [3, -1]), /at costs\.full/],
    ['held-back draws of the wrong length', (s) => (s.costs.full = [3] as never), /at costs\.full/],
    ['history counts NaN', (s) => (s.actions.history[0][2] = NaN), /at actions/],
    ['history entry too short', (s) => (s.actions.history[0] as unknown[]).pop(), /at actions/],
    ['overall hits above trials', (s) => (Object.values(s.actions.overall)[0][1] = 1e6), /at actions/],
    ['top score sum NaN', (s) => (s.actions.topScores![0][3] = NaN), /at actions\.topScores\[0\]/],
    ['top score runs negative', (s) => (s.actions.topScores![0][2] = -1), /at actions\.topScores\[0\]/],
    ['top score moments too short', (s) => (Object.values(s.actions.topScoreMoments!)[0] as number[]).pop(), /at actions\.topScoreMoments/],
    ['a price factor below MIN_PRICE_FACTOR', (s) => (s.priceFactor = MIN_PRICE_FACTOR / 2), /at priceFactor/],
    ['a price factor that is not a number', (s) => ((s as { priceFactor: unknown }).priceFactor = 'high'), /at priceFactor/],
    ['top scores not an array', (s) => ((s.actions as { topScores: unknown }).topScores = {}), /at actions\.topScores/],
    ['type counts negative', (s) => {
      const counts = Object.values(s.actions.types)[0];
      counts[Object.keys(counts)[0]] = -3;
    }, /at actions/],
  ];
  const into = sibling('linucb');
  learnOnline(into, 0, 2);
  for (const [what, corrupt, where] of cases) {
    const state = good();
    corrupt(state);
    refused(state, 'LEARNER_STATE_INVALID', where, into.policy);
    assert.throws(() => mergePolicyStates(state, good()), { code: 'LEARNER_STATE_INVALID' }, what);
  }
});

test('a candidate budget\'s price factor is saved and reloaded; merged replicas keep the larger; a state saved before it reads 1', () => {
  const budgeted = sibling('linucb', {}, { candidateBudget: 5 });
  learnOnline(budgeted, 0, 20);
  assert.ok(budgeted.policy.priceFactor > 1);
  const saved = roundTrip(policyState(budgeted.policy)) as RetrievalPolicyState;
  assert.equal(saved.priceFactor, budgeted.policy.priceFactor);
  const reloaded = sibling('linucb', {}, { candidateBudget: 5 });
  restorePolicy(reloaded.policy, saved);
  assert.equal(reloaded.policy.priceFactor, budgeted.policy.priceFactor);
  for (const q of queries.slice(40, 50)) assert.deepEqual([...reloaded.policy.decide(q).plan], [...budgeted.policy.decide(q).plan], q.text);
  const plain = roundTrip(policyState(learnt.policy)) as RetrievalPolicyState;
  assert.equal(plain.priceFactor, 1);
  assert.equal(mergePolicyStates(plain, saved).priceFactor, saved.priceFactor);
  assert.equal(mergePolicyStates(saved, plain).priceFactor, saved.priceFactor);
  const old = good();
  delete old.priceFactor;
  const fresh = sibling('linucb');
  restorePolicy(fresh.policy, old);
  assert.equal(fresh.policy.priceFactor, 1);
});

test('the held-back requests\' draw (the full draw a share budget is of) is saved, reloaded and summed when replicas merge; a state saved before it has none', () => {
  const shared = sibling('linucb', {}, { holdback: 0.5, candidateBudget: '30%' });
  const rounds = learnOnline(shared, 0, 40);
  const held = rounds.filter((r) => r.decision.heldBack).map((r) => r.retrieval.runs.reduce((n, run) => n + run.count, 0));
  assert.ok(held.length >= FULL_DRAW_MIN_REQUESTS, `${held.length} held back`);
  const saved = roundTrip(policyState(shared.policy)) as RetrievalPolicyState;
  assert.deepEqual(saved.costs.full, [held.length, held.reduce((a, b) => a + b, 0)]);
  const reloaded = sibling('linucb', {}, { holdback: 0.5, candidateBudget: '30%' });
  restorePolicy(reloaded.policy, saved);
  assert.equal(reloaded.policy.fullDraw(), shared.policy.fullDraw());
  assert.equal(reloaded.policy.candidateBudget, shared.policy.candidateBudget);
  assert.deepEqual(mergePolicyStates(saved, saved).costs.full, [2 * held.length, 2 * saved.costs.full![1]]);
  const old = good();
  delete old.costs.full;
  const fresh = sibling('linucb');
  restorePolicy(fresh.policy, old);
  assert.deepEqual(policyState(fresh.policy).costs.full, [0, 0]);
});

test('a target budget\'s price factor below 1 is reloaded as it is, a replica merged in keeps the larger, and a ceiling reads it as 1', () => {
  const target = sibling('linucb', {}, { candidateBudget: 1000, budgetMode: 'target' });
  learnOnline(target, 0, 20);
  assert.ok(target.policy.priceFactor < 1);
  const saved = roundTrip(policyState(target.policy)) as RetrievalPolicyState;
  const reloaded = sibling('linucb', {}, { candidateBudget: 1000, budgetMode: 'target' });
  restorePolicy(reloaded.policy, saved);
  assert.equal(reloaded.policy.priceFactor, target.policy.priceFactor);
  restorePolicy(reloaded.policy, { ...saved, priceFactor: 1 });
  assert.equal(reloaded.policy.priceFactor, 1, 'merged: the larger');
  const ceiling = sibling('linucb', {}, { candidateBudget: 1000 });
  restorePolicy(ceiling.policy, saved);
  assert.equal(ceiling.policy.priceFactor, 1);
  assert.equal(mergePolicyStates(saved, { ...saved, priceFactor: 0.5 }).priceFactor, Math.max(0.5, saved.priceFactor!));
});

test('restore refuses a hybrid state whose shared sums do not fit the arms', () => {
  const hybrid = sibling('hybrid-linucb', { epsilon: 0.2 });
  learnOnline(hybrid, 0, 3);
  const saved = () => roundTrip(policyState(hybrid.policy)) as RetrievalPolicyState & { model: { kind: 'hybrid' } };
  const into = sibling('hybrid-linucb', { epsilon: 0.2 });
  learnOnline(into, 3, 5);
  const fewerShared = saved();
  const k = fewerShared.model.shared.d;
  fewerShared.model.shared = { d: k - 1, lambda: 1, n: 1, xx: new Array((k - 1) ** 2).fill(0), xr: new Array(k - 1).fill(0) };
  for (const stats of Object.values(fewerShared.model.arms)) stats.xz = stats.xz.slice(0, stats.x.d * (k - 1));
  refused(fewerShared, 'LEARNER_STATE_INVALID', /at model\.shared: \d+ shared features, this policy's arms have \d+/, into.policy);
  const shortXz = saved();
  Object.values(shortXz.model.arms)[0].xz.pop();
  refused(shortXz, 'LEARNER_STATE_INVALID', /model\.arms\["[^"]+"\]\.xz/, into.policy);
  restorePolicy(into.policy, saved());
  assert.equal(into.policy.policy.rounds, 5);
});

test('readPolicyState refuses an unreadable file and a file that is not JSON, naming the path', () => {
  const dir = tempDir();
  assert.throws(() => readPolicyState(join(dir, 'missing.json')), { code: 'LEARNER_STATE_INVALID', message: /missing\.json: cannot be read/ });
  const notJson = join(dir, 'state.json');
  writeFileSync(notJson, '{"format": "quiver.retrieval-policy",');
  assert.throws(() => readPolicyState(notJson), { code: 'LEARNER_STATE_INVALID', message: /state\.json: is not JSON/ });
  writeFileSync(notJson, JSON.stringify({ ...good(), version: 9 }));
  assert.throws(() => readPolicyState(notJson), { code: 'LEARNER_STATE_VERSION' });
});

test('writePolicyState writes a state that reads back equal and leaves no temporary file, even when it fails', () => {
  const dir = tempDir();
  const path = join(dir, 'policy.json');
  writePolicyState(path, good());
  writePolicyState(path, good()); // over an existing file
  assert.deepEqual(readdirSync(dir), ['policy.json']);
  assert.deepEqual(readPolicyState(path), good());
  // The target is a directory: the rename fails, and the temporary file must not stay behind.
  const occupied = join(dir, 'occupied');
  mkdirSync(join(occupied, 'inside'), { recursive: true });
  assert.throws(() => writePolicyState(occupied, good()));
  assert.deepEqual(readdirSync(dir).sort(), ['occupied', 'policy.json']);
  assert.ok(existsSync(join(occupied, 'inside')));
});
