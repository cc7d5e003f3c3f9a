// The Engine over the demo catalogue: a search answers with a request id, provenance, scores and timings, and
// explains itself on request; feedback is checked, idempotent by event id, flagged for unknown requests; the
// learners hear every event at once and the policy and the ranker's log each request when it closes; the ranker
// retrains on a worker thread on schedule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import { PolicyPlanner } from '../../src/policy/planners.js';
import { decodeImpression } from '../../src/engine/log-entry.js';
import { MemoryEventLog } from '../../src/store/memory-event-log.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { createStrategies } from '../../src/retrieval/registry.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';
import { refusal } from '../helpers/refusal.js';
import { sampleIndex } from '../helpers/sample-index.js';

const index = demoIndex();
const context = { user: 'u1', time: DEMO_TIME };

function engine(options: EngineOptions = {}) {
  let n = 0;
  let clock = Date.parse(DEMO_TIME);
  const e = new Engine(index, { requestId: () => `r${++n}`, now: () => clock, ...options });
  return { e, advance: (ms: number) => (clock += ms) };
}

test('search answers with request id, results with provenance, the plan and timings; explain adds probabilities and per-result explanations', () => {
  const { e } = engine();
  const r = e.search({ query: 'love', context, k: 5, explain: true });
  assert.equal(r.requestId, 'r1');
  assert.equal(r.results.length, 5);
  assert.ok(Object.keys(r.plan).length > 0);
  for (const result of r.results) {
    assert.ok(result.provenance.length > 0 && result.provenance.every((p) => p.strategy in r.plan));
    assert.equal(result.title, index.get(result.id)!.title);
    assert.ok(Math.abs(result.explanation!.value - result.score) <= 1e-9 * Math.max(1, Math.abs(result.score)));
  }
  for (const stage of ['plan', 'retrieve', 'rank', 'total'] as const) assert.ok(r.timings[stage] >= 0);
  const budgets = r.explanation!.budgets!;
  for (const probabilities of Object.values(budgets)) {
    assert.deepEqual(Object.keys(probabilities), ['0', '10', '25', '50', '100']);
    const total = Object.values(probabilities).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `budget probabilities sum to ${total}`);
  }
  assert.ok(r.explanation!.propensity! > 0 && r.explanation!.propensity! <= 1);
  assert.deepEqual(r.explanation!.runs.map((run) => run.strategy).sort(), Object.keys(r.plan).sort());
  assert.match(refusal(() => e.search({ query: 'love', k: 0 })).message, /"k" is 0; expected an integer in \[1, 1000\]/);
});

test('feedback is checked field by field, idempotent by event id, and flagged (not lost, not learnt) for unknown requests', () => {
  const { e } = engine();
  const r = e.search({ query: 'queen', context, k: 3 });
  const id = r.results[1].id;
  assert.deepEqual(e.feedback([{ requestId: r.requestId, entityId: id, type: 'click', position: 2, eventId: 'ev1' }]), { accepted: 1, duplicates: 0, unknownRequests: [], lateRequests: [] });
  assert.deepEqual(e.feedback([{ requestId: r.requestId, entityId: id, type: 'click', eventId: 'ev1' }]), { accepted: 0, duplicates: 1, unknownRequests: [], lateRequests: [] });
  assert.deepEqual(e.feedback([{ requestId: 'nope', entityId: id, type: 'like' }]), { accepted: 1, duplicates: 0, unknownRequests: ['nope'], lateRequests: [] });
  assert.match(refusal(() => e.feedback([{ requestId: r.requestId, entityId: id, type: 'hug' as never }])).message, /feedback\[0\]\.type: must be one of click, play/);
  assert.match(refusal(() => e.feedback([{ requestId: r.requestId, entityId: '', type: 'click' }])).message, /feedback\[0\]\.entityId/);
  assert.match(refusal(() => e.feedback([{ requestId: r.requestId, entityId: id, type: 'play', value: -3 }])).message, /feedback\[0\]\.value: a finite number ≥ 0/);
});

test('clicks teach memory at once; the policy learns each request when it closes (window, capacity or flush)', () => {
  const { e, advance } = engine({ feedbackWindowMs: 60_000, maxPending: 3 });
  const first = e.search({ query: 'love', context, k: 10 });
  const wanted = first.results[9].id;
  e.feedback([{ requestId: first.requestId, entityId: wanted, type: 'play', value: 200 }]);
  const memory = createStrategies(e.resources, ['memory']).get('memory')!;
  const probe = createQueryContext('love', { context });
  assert.equal(memory.retrieve(probe, 1)[0].id, wanted, 'memory should return what was played first');
  e.search({ query: 'love', context, k: 10 });
  const policy = (e.planner as unknown as { policy: { policy: { rounds: number } } }).policy.policy;
  assert.equal(policy.rounds, 0, 'nothing has closed yet');
  advance(61_000);
  e.search({ query: 'abba', context });
  assert.equal(policy.rounds, 2, 'the two requests past the window closed');
  e.search({ query: 'x', context });
  e.search({ query: 'y', context });
  e.search({ query: 'z', context });
  assert.equal(e.pendingRequests, 3);
  assert.equal(policy.rounds, 3, 'over capacity, the oldest closed');
  e.flush();
  assert.equal(e.pendingRequests, 0);
  assert.equal(policy.rounds, 6);
});

test('late feedback (its request closed) teaches memory, not the plan, within the late window and the remembered requests', () => {
  const { e, advance } = engine({ feedbackWindowMs: 60_000, lateFeedbackMs: 3_600_000, maxLate: 2 });
  const memory = createStrategies(e.resources, ['memory']).get('memory')!;
  const first = e.search({ query: 'love', context, k: 10 });
  const wanted = first.results[9].id;
  e.flush();
  const policy = (e.planner as unknown as { policy: { policy: { rounds: number } } }).policy.policy;
  assert.equal(policy.rounds, 1);
  advance(30 * 60_000);
  const receipt = e.feedback([{ requestId: first.requestId, entityId: wanted, type: 'play', value: 200 }]);
  assert.deepEqual(receipt, { accepted: 1, duplicates: 0, unknownRequests: [], lateRequests: [first.requestId] });
  assert.equal(memory.retrieve(createQueryContext('love', { context }), 1)[0].id, wanted, 'memory learnt the late play for the search it names');
  assert.equal(policy.rounds, 1, 'the plan learnt at close, not again');
  assert.equal(e.stats.totals().lateRequestFeedback, 1);
  const state = e.state();
  assert.deepEqual(state.recentlyClosed?.map((c) => c.requestId), [first.requestId]);
  advance(31 * 60_000);
  assert.deepEqual(e.feedback([{ requestId: first.requestId, entityId: wanted, type: 'like' }]).unknownRequests, [first.requestId], 'past the late window');
  const restored = engine().e;
  restored.restore(state);
  assert.deepEqual(restored.state().recentlyClosed, state.recentlyClosed, 'a checkpoint keeps what late feedback may name');
  for (const q of ['a', 'b']) e.search({ query: q, context });
  e.flush();
  assert.deepEqual(e.state().recentlyClosed?.length, 2, 'only the newest maxLate are remembered');
});

test('the policy learns each engagement at the page position it was shown at, unless the client said otherwise', () => {
  const { e } = engine();
  const served = e.search({ query: 'love', context, k: 10 });
  const learnt: Array<{ entityId: string; position?: number }> = [];
  const planner = e.planner as unknown as { learn: (p: unknown, r: unknown, events: Array<{ entityId: string; position?: number }>) => unknown };
  const learn = planner.learn.bind(planner);
  planner.learn = (p, r, events) => {
    learnt.push(...events.map(({ entityId, position }) => ({ entityId, position })));
    return learn(p, r, events);
  };
  e.feedback([
    { requestId: served.requestId, entityId: served.results[2].id, type: 'click' },
    { requestId: served.requestId, entityId: served.results[5].id, type: 'click', position: 4 },
    { requestId: served.requestId, entityId: 'not-shown', type: 'click' },
  ]);
  e.flush();
  assert.deepEqual(learnt, [
    { entityId: served.results[2].id, position: 3 },
    { entityId: served.results[5].id, position: 4 },
    { entityId: 'not-shown', position: undefined },
  ]);
});

test('the ranker retrains on a worker thread every retrainEvery closed requests and promotes a model', async () => {
  const { e } = engine({ retrainEvery: 40, retrain: { minImpressions: 10, params: { trees: 5, leaves: 4, minDataInLeaf: 2 } } });
  for (let i = 0; i < 40; i++) {
    const r = e.search({ query: ['love', 'queen', 'rock', 'happy'][i % 4], context: { ...context, user: `u${i % 7}` }, k: 10 });
    const at = (i * 3) % r.results.length;
    e.feedback([{ requestId: r.requestId, entityId: r.results[at].id, type: 'click', position: at + 1 }]);
  }
  e.flush();
  const training = e.retraining;
  assert.ok(training, 'a retraining should be under way');
  const report = await training;
  assert.equal(report.version?.version, 1, report.reason);
  assert.equal(e.retraining, undefined);
});

test('the impression log keeps requests with something engaged, bounded: the oldest go first', () => {
  const { e } = engine({ maxImpressions: 8, retrainEvery: 0 });
  for (let i = 0; i < 20; i++) {
    const r = e.search({ query: 'love', context, k: 3 });
    e.feedback([{ requestId: r.requestId, entityId: r.results[1].id, type: 'click', position: 2 }]);
    e.search({ query: 'love', context, k: 3 }); // no feedback: nothing for a pairwise objective, not kept
  }
  e.flush();
  assert.ok(e.loggedImpressions <= 8 && e.loggedImpressions >= 6, `${e.loggedImpressions} impressions kept`);
});

test('a closed impression carries the shown rows, then up to 10 unshown candidates of the union as soft negatives', () => {
  const impressionsOf = (unshownNegatives?: number) => {
    const log = new MemoryEventLog();
    const { e } = engine({ retrainEvery: 0, log, ...(unshownNegatives !== undefined && { unshownNegatives }) });
    const served = [];
    for (const query of ['love', 'queen', 'rock']) {
      const r = e.search({ query, context, k: 5 });
      e.feedback([{ requestId: r.requestId, entityId: r.results[1].id, type: 'click', position: 2 }]);
      served.push(r);
    }
    e.flush();
    return { served, impressions: log.impressions(e.seq, 100).map(decodeImpression) };
  };
  const { served, impressions } = impressionsOf();
  assert.equal(impressions.length, 3);
  impressions.forEach((impression, i) => {
    const shown = served[i].results.map((r) => r.id);
    assert.deepEqual(impression.ids.slice(0, 5), shown);
    assert.equal(impression.shown, 5);
    const negatives = impression.ids.slice(5);
    assert.ok(negatives.length > 0 && negatives.length <= 10, `${negatives.length} soft negatives`);
    assert.equal(new Set(impression.ids).size, impression.ids.length);
    assert.deepEqual(impression.engaged, impression.ids.map((id) => id === shown[1]));
  });
  assert.deepEqual(impressionsOf(0).impressions.map((impression) => impression.ids.length), [5, 5, 5]);
  assert.deepEqual(impressionsOf().impressions, impressions, 'the draw is seeded by the request id');
});

test('a pending request holds the rows of its page, the next page and its soft negatives, not of its whole union', () => {
  // Twins with the same request ids rank the same union the same way; the second shows three pages of it.
  const twin = (k: number, explain = false) => {
    const log = new MemoryEventLog();
    const { e } = engine({ retrainEvery: 0, log, policy: 'always-all' }); // every strategy in full: a held-back search's union
    return { e, log, r: e.search({ query: 'love', context, k, explain }) };
  };
  const { e, log, r } = twin(5, true);
  const ranking = twin(15).r.results.map((x) => x.id);
  assert.deepEqual(r.results.map((x) => x.id), ranking.slice(0, 5));
  const union = r.explanation!.runs.reduce((n, run) => n + run.count, 0);
  assert.ok(union > 60, `a held-back union of ${union}`);
  assert.ok(e.pendingFeatureRows <= 5 + 5 + 10 && e.pendingFeatureRows >= 10, `${e.pendingFeatureRows} rows held`);
  // One click on the page, one on the next page (kept), one on the third page (kept only if drawn as a negative).
  e.feedback([
    { requestId: r.requestId, entityId: ranking[1], type: 'click', position: 2 },
    { requestId: r.requestId, entityId: ranking[7], type: 'play', value: 60 },
    { requestId: r.requestId, entityId: ranking[13], type: 'play', value: 60 },
  ]);
  e.flush();
  const [impression] = log.impressions(e.seq, 10).map(decodeImpression);
  assert.deepEqual(impression.ids.slice(0, 5), ranking.slice(0, 5));
  assert.ok(impression.ids.includes(ranking[7]), 'a candidate of the next page is logged with its row');
  const negatives = impression.ids.slice(5).filter((id) => id !== ranking[7] && id !== ranking[13]);
  assert.ok(negatives.length >= 9 && negatives.length <= 10, `${negatives.length} soft negatives`);
  assert.equal(impression.ids.includes(ranking[13]), impression.ids.length - 5 - (impression.ids.includes(ranking[7]) ? 1 : 0) > negatives.length);
  assert.deepEqual(impression.engaged, impression.ids.map((id) => id === ranking[1] || id === ranking[7] || id === ranking[13]));
});

test('a plan that finds nothing is rescued by lexical and fuzzy, logged as runs outside the plan', () => {
  const { e } = engine({ policy: 'fresh' }); // fresh alone, years after the catalogue's newest release: nothing
  const r = e.search({ query: 'love', context: { time: '2031-01-01T00:00:00Z' }, k: 5, explain: true });
  assert.deepEqual(r.plan, { fresh: 100 });
  assert.equal(r.results.length, 5);
  assert.deepEqual(r.explanation!.runs.map((run) => run.strategy), ['fresh', 'lexical', 'fuzzy']);
  assert.equal(r.explanation!.runs[0].count, 0);
  assert.ok(r.results.every((x) => x.provenance.every((p) => p.strategy === 'lexical' || p.strategy === 'fuzzy')));
});

test('warmUp builds the lazily built structures before the first search, and logs and learns nothing', () => {
  const index = sampleIndex(); // a fresh index: nothing derived from it yet
  const log = new MemoryEventLog();
  const e = new Engine(index, { log, retrainEvery: 0 });
  assert.equal(e.resources.built('semantic'), false, 'the semantic vectors are built on first use');
  const before = JSON.stringify(e.state());
  assert.ok(e.warmUp() >= 0);
  assert.ok(e.resources.built('semantic') && e.resources.built('fuzzy-names') && e.resources.built('category-index'), 'warm-up should build the derived structures');
  assert.equal(JSON.stringify(e.state()), before);
  assert.equal(log.lastSeq, 0);
  assert.equal(e.pendingRequests, 0);
});

test('the credit rule reaches the learned policy; an unknown one is refused by name', () => {
  const policyOf = (e: Engine) => (e.planner as PolicyPlanner).policy;
  assert.equal(policyOf(engine().e).credit, 'share');
  assert.equal(policyOf(engine({ credit: 'best' }).e).credit, 'best');
  const err = refusal(() => engine({ credit: 'most' as 'share' }));
  assert.equal(err.code, 'POLICY_BAD_INPUT');
  assert.match(err.message, /credit.*"most"; expected one of best, share/);
});
