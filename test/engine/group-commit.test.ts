// An engine's grouped calls (searchGrouped, feedbackGrouped; the server's path): the calls of one turn are
// committed together, each answered only once its record is in the log, in the order they were made; the log
// they leave replays to the live state exactly; a commit that fails answers none of them and changes nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import { MemoryEventLog } from '../../src/store/memory-event-log.js';
import { SqliteEventLog } from '../../src/store/sqlite-event-log.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';
import { tempDir } from '../helpers/tmp.js';

const index = demoIndex();
const QUERIES = ['love', 'queen', 'rock', 'happy songs', 'taylor swift', 'chill workout'];

function options(extra: EngineOptions = {}): EngineOptions {
  let n = 0;
  const clock = Date.parse(DEMO_TIME);
  return { requestId: () => `r${++n}`, now: () => clock, maxPending: 8, retrainEvery: 0, ...extra };
}

test('grouped calls of one turn are committed together, answered in order once logged, and replay to the live state', async () => {
  const log = new MemoryEventLog();
  let groups = 0;
  const appendMany = log.appendMany.bind(log);
  log.appendMany = (requests) => (groups++, appendMany(requests));
  const live = new Engine(index, options({ log }));
  let last: Array<{ requestId: string; results: Array<{ id: string }> }> = [];
  for (let round = 0; round < 4; round++) {
    const answered: string[] = [];
    const searches = QUERIES.map((query, i) => live.searchGrouped({ query, context: { user: `u${i % 3}`, time: DEMO_TIME }, k: 5 }).then((r) => {
      answered.push(r.requestId);
      assert.ok([...log.records(0)].some((rec) => rec.kind === 'search' && JSON.parse(rec.body).requestId === r.requestId), 'answered only once logged');
      return r;
    }));
    // Feedback on the previous round's searches, in the same turn; one event twice (a retry).
    const feedback = last.filter((r) => r.results.length > 0).map((r, i) => live.feedbackGrouped([{ requestId: r.requestId, entityId: r.results[0].id, type: 'click', position: 1, eventId: `${r.requestId}-c` }, ...(i === 0 ? [{ requestId: r.requestId, entityId: r.results[0].id, type: 'click' as const, position: 1, eventId: `${r.requestId}-c` }] : [])]));
    last = await Promise.all(searches);
    const receipts = await Promise.all(feedback);
    assert.deepEqual(answered, last.map((r) => r.requestId), 'answered in the order asked');
    if (round > 0) assert.deepEqual(receipts.map((r) => [r.accepted, r.duplicates]), receipts.map((_, i) => [1, i === 0 ? 1 : 0]));
  }
  assert.equal(groups, 4);
  assert.equal(live.seq, log.lastSeq);
  const replayed = new Engine(index, options());
  replayed.replay(log.records(0));
  assert.equal(JSON.stringify(replayed.state()), JSON.stringify(live.state()));
  assert.equal(live.statsSnapshot().totals.searches, 4 * QUERIES.length);
});

test('without a log, or with a shared one, grouped calls are the plain ones', async () => {
  for (const engine of [new Engine(index, options()), new Engine(index, options({ log: new MemoryEventLog(), sharedLog: true }))]) {
    const r = await engine.searchGrouped({ query: 'love', k: 3 });
    assert.equal(r.requestId, 'r1');
    assert.deepEqual(await engine.feedbackGrouped([{ requestId: 'r1', entityId: r.results[0].id, type: 'click' }]), { accepted: 1, duplicates: 0, unknownRequests: [], lateRequests: [] });
  }
});

test('a group whose commit fails answers none of its calls and changes nothing', async () => {
  const path = join(tempDir(), 'events.sqlite');
  const log = SqliteEventLog.open(path, { busyTimeoutMs: 50 });
  const engine = new Engine(index, options({ log }));
  const first = await engine.searchGrouped({ query: 'love', k: 3 });
  const state = JSON.stringify(engine.state());
  const other = new Database(path);
  other.prepare('BEGIN IMMEDIATE').run();
  const settled = await Promise.allSettled([
    engine.searchGrouped({ query: 'queen', k: 3 }),
    engine.feedbackGrouped([{ requestId: first.requestId, entityId: first.results[0].id, type: 'click', eventId: 'c1' }]),
  ]);
  other.prepare('ROLLBACK').run();
  other.close();
  assert.deepEqual(settled.map((s) => s.status), ['rejected', 'rejected']);
  assert.equal(JSON.stringify(engine.state()), state);
  assert.equal(log.lastSeq, 1);
  assert.equal(engine.statsSnapshot().totals.searches, 1);
  // Nothing was claimed: the retry is accepted.
  assert.equal((await engine.feedbackGrouped([{ requestId: first.requestId, entityId: first.results[0].id, type: 'click', eventId: 'c1' }])).accepted, 1);
  log.close();
});
