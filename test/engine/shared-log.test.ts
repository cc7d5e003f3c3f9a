// Replicas sharing one event log (`sharedLog`: what `quiver serve --workers` runs) learn from all the traffic in
// the log's order: after any interleaving of searches and feedback on either replica, feedback included for
// requests the other one served, both reach the state a single engine replaying the log reaches, byte for byte;
// each replica's statistics count every search; a model promoted by one replica is served by the other.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine, type EngineOptions, type SearchResponse } from '../../src/engine/engine.js';
import type { EventLog } from '../../src/store/event-log.js';
import { MemoryEventLog } from '../../src/store/memory-event-log.js';
import { SqliteEventLog } from '../../src/store/sqlite-event-log.js';
import { mulberry32 } from '../../src/util/random.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';
import { tempDir } from '../helpers/tmp.js';

const index = demoIndex();
const QUERIES = ['love', 'queen', 'rock', 'happy songs', 'taylor swift', 'chill workout', 'new jazz albums', 'my favourites'];

function replicas(logs: [EventLog, EventLog], extra: EngineOptions = {}) {
  let clock = Date.parse(DEMO_TIME);
  const ids = { a: 0, b: 0 };
  const options = (name: 'a' | 'b', log: EventLog): EngineOptions => ({
    requestId: () => `${name}${++ids[name]}`, now: () => clock, maxPending: 12, feedbackWindowMs: 60_000, retrainEvery: 0, log, sharedLog: true, ...extra,
  });
  return { a: new Engine(index, options('a', logs[0])), b: new Engine(index, options('b', logs[1])), advance: (ms: number) => (clock += ms), now: () => clock };
}

/** Searches on a random replica; feedback, a third of the time, to the other one (a connection that moved). */
function workload(engines: Engine[], advance: (ms: number) => void, seed: number, searches: number): void {
  const random = mulberry32(seed);
  const pick = () => engines[Math.floor(random() * engines.length)];
  for (let i = 0; i < searches; i++) {
    const serving = pick();
    const r: SearchResponse = serving.search({ query: QUERIES[Math.floor(random() * QUERIES.length)], context: { user: `u${Math.floor(random() * 5)}`, time: DEMO_TIME }, k: 10 });
    const answering = random() < 0.33 ? pick() : serving;
    if (random() < 0.6 && r.results.length > 1) {
      const at = Math.floor(random() * Math.min(5, r.results.length));
      const eventId = `${r.requestId}-e`;
      answering.feedback([{ requestId: r.requestId, entityId: r.results[at].id, type: 'click', position: at + 1, eventId }]);
      if (random() < 0.3) pick().feedback([{ requestId: r.requestId, entityId: r.results[at].id, type: 'click', position: at + 1, eventId }]); // a retry elsewhere
      if (random() < 0.5) answering.feedback([{ requestId: r.requestId, entityId: r.results[at].id, type: 'play', value: random() < 0.7 ? 120 : 5 }]);
    }
    advance(Math.floor(random() * 8000));
  }
}

const stateOf = (e: Engine) => JSON.stringify(e.state());

function assertConverged(a: Engine, b: Engine, log: EventLog): void {
  a.catchUp();
  b.catchUp();
  assert.equal(a.seq, log.lastSeq);
  assert.equal(b.seq, log.lastSeq);
  const replayed = new Engine(index, { maxPending: 12, feedbackWindowMs: 60_000, retrainEvery: 0 });
  replayed.replay(log.records(0));
  assert.equal(stateOf(a), stateOf(replayed), 'replica a differs from a replay of the log');
  assert.equal(stateOf(b), stateOf(replayed), 'replica b differs from a replay of the log');
  assert.equal(a.loggedImpressions, replayed.loggedImpressions);
  assert.equal(b.loggedImpressions, replayed.loggedImpressions);
}

test('two replicas on one in-memory log reach the state of a replay of it, whichever served or heard what', () => {
  const log = new MemoryEventLog();
  const { a, b, advance } = replicas([log, log]);
  workload([a, b], advance, 3, 80);
  assertConverged(a, b, log);
  assert.ok(a.state().closed > 40, 'requests should have closed on both replicas, whoever served them');
  // Each replica's statistics count every search, its own as served and the other's as it caught up.
  const [ta, tb] = [a.statsSnapshot().totals, b.statsSnapshot().totals];
  assert.equal(ta.searches, 80);
  assert.equal(tb.searches, 80);
  assert.deepEqual(ta.selections, tb.selections);
  assert.equal(ta.candidatesPerSearch, tb.candidatesPerSearch);
  assert.deepEqual(ta.latencyMs, tb.latencyMs);
  // Each search was appended right after the last record its replica applied: the log holds no gaps.
  assert.deepEqual([...log.records(0)].map((r) => r.seq), Array.from({ length: log.lastSeq }, (_, i) => i + 1));
});

test('two replicas with their own connections to one SQLite log converge the same way; event ids are claimed once across them', () => {
  const dir = tempDir();
  const path = join(dir, 'events.sqlite');
  const logs: [SqliteEventLog, SqliteEventLog] = [SqliteEventLog.open(path), SqliteEventLog.open(path)];
  try {
    const { a, b, advance } = replicas(logs);
    workload([a, b], advance, 5, 60);
    const r = a.search({ query: 'love', k: 5 });
    const event = { requestId: r.requestId, entityId: r.results[0].id, type: 'click' as const, eventId: 'once' };
    assert.equal(a.feedback([event]).accepted, 1);
    assert.deepEqual(b.feedback([event]), { accepted: 0, duplicates: 1, unknownRequests: [], lateRequests: [] });
    assertConverged(a, b, logs[0]);
    // A flush on one closes every pending request on both.
    b.flush();
    a.catchUp();
    assert.equal(a.pendingRequests, 0);
  } finally {
    for (const log of logs) log.close();
  }
});

test('a model one replica trains and promotes is the one the other serves', async () => {
  const dir = tempDir();
  const models = join(dir, 'models');
  const log = new MemoryEventLog();
  const retrain = { minImpressions: 5, promotionZ: 1000, params: { trees: 5, leaves: 4, minDataInLeaf: 2 } };
  let clock = Date.parse(DEMO_TIME);
  const common = { now: () => clock, maxPending: 8, feedbackWindowMs: 60_000, log, sharedLog: true, modelsDirectory: models, retrain } as const;
  let n = 0;
  const trainer = new Engine(index, { ...common, retrainEvery: 20, requestId: () => `t${++n}` });
  const follower = new Engine(index, { ...common, retrainEvery: 0, requestId: () => `f${++n}` });
  workload([trainer, follower], (ms) => (clock += ms), 9, 80);
  const report = await trainer.retraining;
  assert.ok(report?.promoted, report?.reason);
  assert.match(trainer.ranker.name, /^lambdamart v\d+$/, 'the trainer should have promoted a model');
  follower.catchUp();
  assert.equal(follower.ranker.name, trainer.ranker.name);
  const query = { query: 'love songs', context: { user: 'u1', time: DEMO_TIME }, k: 10 };
  const scored = (e: Engine) => e.search(query).results.map((r) => r.score);
  assert.ok(scored(follower).length > 0);
});
