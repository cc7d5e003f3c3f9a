// Engine statistics against what the searches themselves reported: selection counts and rates per strategy (in
// total, by query type, by label), candidates drawn, coverage and credit once requests close (an oracle from the
// clicked results' provenance), feedback by type, latency percentiles; time buckets that rotate, merge into
// coarse ones and stay bounded; model versions from the ranker's registry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, type EngineOptions, type SearchResponse } from '../../src/engine/engine.js';
import { percentile } from '../../src/eval/latency.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';
import { refusal } from '../helpers/refusal.js';

const index = demoIndex();
const context = { user: 'u1', time: DEMO_TIME };
const QUERIES = ['love', 'queen', 'rock songs', 'happy', 'beatles yesterday', 'chill playlist'];

function engine(options: EngineOptions = {}) {
  let n = 0;
  let clock = Date.parse(DEMO_TIME);
  const e = new Engine(index, { ranker: 'heuristic', retrainEvery: 0, requestId: () => `r${++n}`, now: () => clock, ...options });
  return { e, advance: (ms: number) => (clock += ms) };
}

function countBy<T>(items: T[], key: (item: T) => string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) for (const k of key(item)) out[k] = (out[k] ?? 0) + 1;
  return out;
}

test('selections, budgets and candidates drawn match the plans served; outcomes match the clicks once requests close', () => {
  const { e } = engine({ stats: { maxLabels: 2 } });
  const responses: Array<SearchResponse & { label: string }> = [];
  for (let i = 0; i < 30; i++) {
    const label = ['exact', 'topical', 'misspelled'][i % 3];
    responses.push({ ...e.search({ query: QUERIES[i % QUERIES.length], context, k: 10, explain: true, label }), label });
  }
  const clicked = responses.filter((r, i) => i % 2 === 0 && r.results.length > 0);
  assert.ok(clicked.length >= 10);
  const pick = (r: SearchResponse) => r.results[Math.min(2, r.results.length - 1)];
  for (const r of clicked) e.feedback([{ requestId: r.requestId, entityId: pick(r).id, type: 'click' }]);
  e.feedback([{ requestId: responses[1].requestId, entityId: responses[1].results[0].id, type: 'skip' }, { requestId: 'gone', entityId: 'x', type: 'like' }]);

  let s = e.statsSnapshot();
  assert.equal(s.totals.searches, 30);
  assert.deepEqual(s.totals.selections, countBy(responses, (r) => Object.keys(r.plan)));
  for (const [name, count] of Object.entries(s.totals.selections)) assert.equal(s.totals.selectionRate[name], count / 30);
  for (const name of Object.keys(s.totals.meanBudget)) {
    const budgets = responses.filter((r) => name in r.plan).map((r) => r.plan[name]);
    assert.ok(Math.abs(s.totals.meanBudget[name] - budgets.reduce((a, b) => a + b, 0) / budgets.length) < 1e-9);
  }
  const drawn = responses.map((r) => r.explanation!.runs.reduce((a, run) => a + (run.strategy in r.plan ? run.count : 0), 0)); // a rescue's runs are not the plan's
  assert.ok(Math.abs(s.totals.drawnPerSearch! - drawn.reduce((a, b) => a + b, 0) / 30) < 1e-9);
  assert.ok(s.totals.candidatesPerSearch! <= s.totals.drawnPerSearch! && s.totals.candidatesPerSearch! >= 10);
  // Slices add up to the totals; the learned policy understood every query, so no type is unknown.
  assert.equal(Object.values(s.totals.byType).reduce((a, t) => a + t.searches, 0), 30);
  assert.ok(!('unknown' in s.totals.byType));
  assert.deepEqual(Object.fromEntries(Object.entries(s.totals.byLabel).map(([k, v]) => [k, v.searches])), { exact: 10, topical: 10, other: 10 });
  assert.deepEqual(s.totals.feedback, { click: clicked.length, play: 0, like: 1, favorite: 0, skip: 1, dwell: 0 });
  assert.equal(s.totals.unknownRequestFeedback, 1);
  assert.equal(s.totals.lateRequestFeedback, 0);
  assert.equal(s.totals.closed, 0, 'nothing has closed yet');
  assert.equal(s.pendingRequests, 30);

  e.flush();
  s = e.statsSnapshot();
  assert.equal(s.totals.closed, 30);
  assert.equal(s.totals.learned, 30);
  // Covered: the clicked result came from the plan (not from a rescue of a plan that found nothing).
  const fromPlan = clicked.filter((r) => pick(r).provenance.some((p) => p.strategy in r.plan));
  assert.equal(s.totals.covered, fromPlan.length, 'a clicked result was retrieved within its strategy budget');
  assert.equal(s.totals.coverage, fromPlan.length / 30);
  assert.deepEqual(s.totals.credited, { ...zeroes(s.totals.selections), ...countBy(fromPlan, (r) => pick(r).provenance.map((p) => p.strategy)) });
  assert.ok(s.totals.meanReward! <= 0.5 && s.totals.meanCost! > 0);
  assert.equal(s.totals.byLabel.exact.closed, 10);
  // Latency: the total stage's percentiles are within a histogram bin of the exact ones over the responses.
  const totals = Float64Array.from(responses, (r) => r.timings.total).sort();
  const latency = s.totals.latencyMs.total;
  assert.equal(latency.count, 30);
  for (const p of [0.5, 0.9] as const) {
    const exact = percentile(totals, p);
    const got = latency[p === 0.5 ? 'p50' : 'p90']!;
    assert.ok(got <= exact * 1.19 && got >= exact / 1.19, `p${p * 100}: ${got} vs ${exact}`);
  }
  assert.deepEqual(Object.keys(s.totals.strategyLatencyMs).sort(), Object.keys(s.totals.selections).sort());
  assert.deepEqual(s.models, null, 'the heuristic ranker has no model registry');
  assert.match(refusal(() => e.search({ query: 'x', label: '' })).message, /"label" is ""/);
});

function zeroes(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(counts).map((k) => [k, 0]));
}

test('a static plan that never asks query understanding counts its searches as "unknown" and learns nothing', () => {
  const { e } = engine({ policy: 'lexical' });
  for (const q of QUERIES) e.search({ query: q, context });
  e.flush();
  const s = e.statsSnapshot();
  assert.deepEqual(Object.keys(s.totals.byType), ['unknown']);
  assert.deepEqual(s.totals.selections, { lexical: QUERIES.length });
  assert.equal(s.totals.closed, QUERIES.length);
  assert.equal(s.totals.learned, 0);
  assert.equal(s.totals.coverage, null);
  assert.deepEqual(s.planner, { name: 'lexical', kind: 'static' });
});

test('time buckets rotate, merge into coarse buckets, answer `since`, and keep only their window', () => {
  const { e, advance } = engine({ policy: 'lexical', stats: { bucketSeconds: 10, buckets: 4, coarseBucketSeconds: 30, coarseBuckets: 2 } });
  const start = Date.parse(DEMO_TIME); // on a minute, so on a bucket edge
  for (let bucket = 0; bucket < 3; bucket++) {
    for (let i = 0; i <= bucket; i++) e.search({ query: 'love', context });
    advance(10_000);
  }
  let s = e.statsSnapshot();
  assert.deepEqual(s.series.buckets.map((b) => [b.start - start, b.searches, b.seconds]), [[0, 1, 10], [10_000, 2, 10], [20_000, 3, 10]]);
  assert.equal(s.totals.searches, 6);
  const coarse = e.statsSnapshot({ resolution: 'coarse' });
  assert.equal(coarse.series.bucketSeconds, 30);
  assert.deepEqual(coarse.series.buckets.map((b) => [b.start - start, b.searches]), [[0, 6]]);
  assert.deepEqual(e.statsSnapshot({ since: start + 10_000 }).series.buckets.map((b) => b.searches), [2, 3]);
  // An hour later, the old buckets are out of both windows; the totals keep everything.
  advance(3_600_000);
  e.search({ query: 'love', context });
  advance(2_500);
  s = e.statsSnapshot();
  assert.deepEqual(s.series.buckets.map((b) => [b.searches, b.seconds]), [[1, 2.5]], 'the current bucket covers the seconds so far');
  assert.deepEqual(e.statsSnapshot({ resolution: 'coarse' }).series.buckets.map((b) => b.searches), [1]);
  assert.equal(s.totals.searches, 7);
  assert.equal(s.totals.latencyMs.total.count, 7);
  assert.match(refusal(() => engine({ stats: { bucketSeconds: 7, coarseBucketSeconds: 30 } })).message, /"stats.coarseBucketSeconds" is 30; it must be a multiple of stats.bucketSeconds \(7\)/);
});

test('model versions and their held-out NDCG come from the ranker registry', async () => {
  const { e } = engine({ ranker: 'lambdamart', retrainEvery: 40, retrain: { minImpressions: 10, params: { trees: 5, leaves: 4, minDataInLeaf: 2 } } });
  assert.deepEqual(e.statsSnapshot().models, { current: null, versions: [], history: [] });
  for (let i = 0; i < 40; i++) {
    const r = e.search({ query: QUERIES[i % 4], context: { ...context, user: `u${i % 7}` }, k: 10 });
    const at = (i * 3) % r.results.length;
    e.feedback([{ requestId: r.requestId, entityId: r.results[at].id, type: 'click', position: at + 1 }]);
  }
  e.flush();
  assert.equal(e.statsSnapshot().retraining, true);
  await e.retraining;
  const models = e.statsSnapshot().models!;
  assert.equal(models.current, 1);
  assert.equal(models.versions.length, 1);
  const [v] = models.versions;
  assert.ok(v.ndcg >= 0 && v.ndcg <= 1 && v.k > 0 && v.promoted && v.trees > 0);
  assert.equal(models.history.at(-1)!.current, 1);
});
