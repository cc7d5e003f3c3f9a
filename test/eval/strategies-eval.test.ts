// `evaluateStrategies` over a hand-built catalogue and stream: recall, target recall, winners and the clicks
// handed to the learners, against hand-computed values and against running each strategy directly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeedbackEvent } from '../../src/feedback/event.js';
import { evaluateStrategies } from '../../src/eval/strategies-eval.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { createStrategies } from '../../src/retrieval/registry.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { TINY_CATALOG, TINY_CONTEXT as context, TINY_STREAM } from '../helpers/tiny-stream.js';

const NAMES = ['lexical', 'popular', 'fresh'];

function run(learn = true) {
  const resources = new RetrievalResources(SearchIndex.build(TINY_CATALOG));
  const clicks: FeedbackEvent[] = [];
  resources.addLearner({ learn: (e) => clicks.push(e) });
  const report = evaluateStrategies(resources, TINY_STREAM, { k: 2, strategies: NAMES, learn });
  return { report, clicks, resources };
}

test('recall and target recall, by strategy, for all together and by label, as computed by hand', () => {
  // At k = 2: lexical finds t:1, a:1, nothing, t:2; popular always [a:1, t:4]; fresh always [t:3, t:1].
  const { report } = run();
  assert.equal(report.k, 2);
  assert.equal(report.queries, 4);
  const { lexical, popular, fresh } = report.strategies;
  assert.deepEqual([lexical.recall, lexical.target_recall], [0.75, 0.625]);
  assert.deepEqual([popular.recall, popular.target_recall], [0.25, 0.25]);
  assert.deepEqual([fresh.recall, fresh.target_recall], [0.75, 0.625]);
  assert.deepEqual([report.all.recall, report.all.target_recall], [1, 1]);
  assert.deepEqual(lexical.by_label, { 'exact-title': { recall: 1, queries: 2 }, artist: { recall: 1, queries: 1 }, fresh: { recall: 0, queries: 1 } });
  assert.deepEqual(popular.by_label['exact-title'], { recall: 0, queries: 2 });
  // exact-title is a tie between lexical and fresh: the first strategy run wins it.
  assert.deepEqual(report.winners, { 'exact-title': 'lexical', artist: 'lexical', fresh: 'fresh' });
  for (const s of [lexical, popular, fresh, report.all]) {
    assert.ok(s.mean_ms >= 0 && s.p50_ms <= s.p99_ms && Number.isFinite(s.p99_ms));
  }
});

test('each strategy\'s recall equals running it directly on every event', () => {
  const { report } = run();
  const strategies = createStrategies(SearchIndex.build(TINY_CATALOG), NAMES);
  for (const [name, strategy] of strategies) {
    let hits = 0;
    TINY_STREAM.forEach((e, i) => {
      const found = new Set(strategy.retrieve(createQueryContext(e.query, { context: e.context, seed: i }), 2).map((c) => c.id));
      if (e.targets.some((t) => found.has(t))) hits++;
    });
    assert.equal(report.strategies[name].recall, hits / TINY_STREAM.length, name);
  }
});

test('after each query the learners get one click on a target the strategies found (else the first target)', () => {
  const { clicks } = run();
  assert.deepEqual(clicks.map((c) => [c.query, c.entityId, c.type, c.user, c.position]), [
    ['love story', 't:1', 'click', 'u1', 1],
    ['taylor swift', 'a:1', 'click', 'u1', 1],
    ['something new', 't:3', 'click', 'u2', 2], // after a:1: both are some strategy's #1, popular ran first
    ['crazy', 't:2', 'click', 'u1', 1], // t:2 (lexical #1) comes before t:3 (fresh #1) in the union
  ]);
  assert.equal(clicks[0].time.toISOString(), '2020-01-15T20:00:00.000Z');
  assert.deepEqual(run(false).clicks, []);
  const resources = new RetrievalResources(SearchIndex.build(TINY_CATALOG));
  const fallback: FeedbackEvent[] = [];
  resources.addLearner({ learn: (e) => fallback.push(e) });
  const missed = evaluateStrategies(resources, [{ query: 'zzz', context, targets: ['t:2', 't:4'], label: 'x' }], { k: 1, strategies: ['lexical'] });
  assert.equal(missed.winners.x, 'none');
  assert.deepEqual(fallback.map((c) => [c.entityId, c.position]), [['t:2', undefined]]);
});
