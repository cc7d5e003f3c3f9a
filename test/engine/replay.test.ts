// Replaying the event log reproduces the engine exactly: an engine that replays another's log (from the start,
// or from a checkpoint of its state) reaches the same learnt state, byte for byte, and answers the next search
// identically; a durable engine reopened from its data directory (after a clean close or none) resumes where it
// was. Wrong settings and damaged records are refused by name.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDurableEngine } from '../../src/engine/durable-engine.js';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import { PolicyPlanner } from '../../src/policy/planners.js';
import { MemoryEventLog } from '../../src/store/memory-event-log.js';
import { SqliteEventLog } from '../../src/store/sqlite-event-log.js';
import { mulberry32 } from '../../src/util/random.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';
import { sampleIndex } from '../helpers/sample-index.js';
import { tempDir } from '../helpers/tmp.js';

const index = demoIndex();
const QUERIES = ['love', 'queen', 'rock', 'happy songs', 'taylor swift', 'chill workout', 'new jazz albums', 'my favourites'];

/** Ids and time the test controls, shared by every engine it builds so a replaying one can be compared. */
function harness() {
  let n = 0;
  let clock = Date.parse(DEMO_TIME);
  return {
    options: (extra: EngineOptions = {}): EngineOptions => ({ requestId: () => `r${++n}`, now: () => clock, maxPending: 12, feedbackWindowMs: 60_000, retrainEvery: 0, ...extra }),
    advance: (ms: number) => (clock += ms),
    nextIds: (prefix: string) => {
      n = 0;
      return prefix;
    },
  };
}

/** A seeded mix: searches by several users, clicks, long and short plays, skips, duplicates, unknown requests, late likes, time passing. */
function workload(e: Engine, h: ReturnType<typeof harness>, seed: number, searches: number): void {
  const random = mulberry32(seed);
  const served: Array<{ requestId: string; id: string }> = [];
  for (let i = 0; i < searches; i++) {
    const r = e.search({ query: QUERIES[Math.floor(random() * QUERIES.length)], context: { user: `u${Math.floor(random() * 5)}`, time: DEMO_TIME }, k: 10 });
    if (r.results.length > 0) served.push({ requestId: r.requestId, id: r.results[0].id });
    // A like for a search about 20 back: closed by now (12 pending at most), so late feedback.
    if (served.length > 20 && random() < 0.15) e.feedback([{ requestId: served[served.length - 21].requestId, entityId: served[served.length - 21].id, type: 'like' }]);
    const roll = random();
    if (roll < 0.6 && r.results.length > 1) {
      const at = Math.floor(random() * Math.min(5, r.results.length));
      const eventId = `${r.requestId}-e`;
      e.feedback([{ requestId: r.requestId, entityId: r.results[at].id, type: 'click', position: at + 1, eventId }]);
      if (random() < 0.3) e.feedback([{ requestId: r.requestId, entityId: r.results[at].id, type: 'click', position: at + 1, eventId }]); // a retry
      if (random() < 0.5) e.feedback([{ requestId: r.requestId, entityId: r.results[at].id, type: 'play', value: random() < 0.7 ? 120 : 5 }]);
    } else if (roll < 0.7 && r.results.length > 0) {
      e.feedback([{ requestId: r.requestId, entityId: r.results[0].id, type: 'skip' }, { requestId: 'never-served', entityId: r.results[0].id, type: 'click' }]);
    }
    h.advance(Math.floor(random() * 8000));
  }
}

const stateOf = (e: Engine) => JSON.stringify(e.state());
const creditOf = (e: Engine) => (e.planner as PolicyPlanner).policy.credit;

test('an engine replaying another\'s log from the start reaches the same state and answers the next search identically', () => {
  const h = harness();
  const log = new MemoryEventLog();
  const live = new Engine(index, h.options({ log }));
  workload(live, h, 7, 60);
  assert.ok(live.stats.totals().lateRequestFeedback > 0, 'the workload sends late feedback');
  const replayed = new Engine(index, h.options());
  assert.equal(replayed.replay(log.records(0)), log.lastSeq);
  assert.equal(replayed.seq, live.seq);
  assert.equal(stateOf(replayed), stateOf(live));
  assert.equal(replayed.loggedImpressions, live.loggedImpressions);
  assert.ok(live.loggedImpressions > 0 && live.pendingRequests > 0, 'the workload should leave impressions and pending requests');
  h.nextIds('');
  const a = live.search({ query: 'love songs', context: { user: 'u1', time: DEMO_TIME }, k: 10 });
  h.nextIds('');
  const b = replayed.search({ query: 'love songs', context: { user: 'u1', time: DEMO_TIME }, k: 10 });
  assert.deepEqual(b.plan, a.plan);
  assert.deepEqual(b.results.map((r) => [r.id, r.score]), a.results.map((r) => [r.id, r.score]));
});

test('restoring a checkpoint of the state and replaying the rest of the log reaches the same state', () => {
  const h = harness();
  const log = new MemoryEventLog();
  const live = new Engine(index, h.options({ log }));
  workload(live, h, 11, 40);
  const checkpoint = JSON.parse(stateOf(live));
  workload(live, h, 12, 40);
  live.flush();
  const resumed = new Engine(index, h.options({ log }));
  resumed.restore(checkpoint);
  assert.equal(resumed.seq, checkpoint.seq);
  assert.ok(resumed.replay(log.records(resumed.seq)) > 0);
  assert.equal(stateOf(resumed), stateOf(live));
  assert.equal(resumed.loggedImpressions, live.loggedImpressions);
});

test('a durable engine reopened from its data directory resumes exactly, from a checkpoint and the log after it', () => {
  const h = harness();
  const data = tempDir();
  const first = openDurableEngine(data, () => index, h.options());
  assert.deepEqual([first.restoredFrom, first.replayed], [0, 0]);
  workload(first.engine, h, 21, 30);
  first.checkpoint();
  workload(first.engine, h, 22, 30);
  const last = first.engine.search({ query: 'love', k: 3 });
  first.engine.feedback([{ requestId: last.requestId, entityId: last.results[1].id, type: 'click', position: 2, eventId: 'acked' }]);
  const before = stateOf(first.engine);
  first.close({ checkpoint: false }); // as if killed: the log has everything, the checkpoint is older
  const second = openDurableEngine(data, () => index, h.options());
  assert.ok(second.restoredFrom > 0 && second.replayed > 0, `restored from ${second.restoredFrom}, replayed ${second.replayed}`);
  assert.equal(stateOf(second.engine), before);
  // The replayed records are not this process's traffic: /stats starts from nothing.
  const totals = second.engine.statsSnapshot().totals;
  assert.deepEqual([totals.searches, totals.feedback.click, totals.feedback.play], [0, 0, 0]);
  assert.equal(totals.closed, 0);
  // Acknowledged event ids are remembered for good: a retry after the restart is a duplicate.
  assert.deepEqual(second.engine.feedback([{ requestId: 'r1', entityId: 'x', type: 'click', eventId: 'acked' }]), { accepted: 0, duplicates: 1, unknownRequests: [], lateRequests: [] });
  second.close();
  const third = openDurableEngine(data, () => index, h.options());
  assert.equal(third.replayed, 0);
  assert.equal(third.restoredFrom, second.engine.seq);
  third.close();
});

test('a checkpoint whose learnt state another version saved is refused, saying how to rebuild; moved aside, the log rebuilds the state', () => {
  const h = harness();
  const data = tempDir();
  const first = openDurableEngine(data, () => index, h.options());
  workload(first.engine, h, 31, 20);
  const before = stateOf(first.engine);
  first.close(); // writes a checkpoint
  // As a version with other action features would have saved it (its checksum made to match, so it reads).
  const checkpoints = join(data, 'checkpoints');
  const saved = join(checkpoints, readdirSync(checkpoints).sort().pop()!);
  const text = readFileSync(join(saved, 'state.json'), 'utf8').replaceAll('"a.top_score"', '"a.retired_feature"');
  const manifest = JSON.parse(readFileSync(join(saved, 'manifest.json'), 'utf8'));
  writeFileSync(join(saved, 'state.json'), text);
  writeFileSync(join(saved, 'manifest.json'), JSON.stringify({ ...manifest, sha256: createHash('sha256').update(text).digest('hex') }));
  assert.throws(() => openDurableEngine(data, () => index, h.options()), (err: Error & { code?: string }) => err.code === 'CHECKPOINT_INVALID' && err.message.includes('features') && err.message.includes(`move ${checkpoints} aside`));
  renameSync(checkpoints, `${checkpoints}.old`);
  const again = openDurableEngine(data, () => index, h.options());
  assert.ok(again.restoredFrom === 0 && again.replayed > 0);
  assert.equal(stateOf(again.engine), before);
  again.close();
});

test('a data directory refuses an engine with other settings, and a damaged record is refused by its number', () => {
  const data = tempDir();
  openDurableEngine(data, () => index, { policy: 'thompson', retrainEvery: 0 }).close();
  assert.throws(() => openDurableEngine(data, () => index, { policy: 'linucb', retrainEvery: 0 }), (err: Error & { code?: string }) => err.code === 'STORE_MISMATCH' && /linucb/.test(err.message));
  // A replay learns under the credit rule in force, so the rule is a setting too: the default's is written down.
  assert.throws(() => openDurableEngine(data, () => index, { credit: 'best', retrainEvery: 0 }), (err: Error & { code?: string }) => err.code === 'STORE_MISMATCH' && /"credit":"share"/.test(err.message) && /"credit":"best"/.test(err.message));
  const reopened = openDurableEngine(data, () => index, { credit: 'share', retrainEvery: 0 });
  assert.equal(creditOf(reopened.engine), 'share');
  reopened.close();
  // A directory made before session 25 named no rule: it had the old default, 'best', and keeps it unless asked
  // for another, which is refused.
  const old = tempDir();
  const oldLog = SqliteEventLog.open(join(old, 'events.sqlite'));
  oldLog.setMeta('engine', JSON.stringify({ policy: 'thompson', ranker: 'lambdamart' }));
  oldLog.close();
  const kept = openDurableEngine(old, () => index, { retrainEvery: 0 });
  assert.equal(creditOf(kept.engine), 'best');
  kept.close();
  assert.throws(() => openDurableEngine(old, () => index, { credit: 'share', retrainEvery: 0 }), (err: Error & { code?: string }) => err.code === 'STORE_MISMATCH');
  // A settings record that is not JSON is named, not thrown as a parse error.
  const bad = tempDir();
  const badLog = SqliteEventLog.open(join(bad, 'events.sqlite'));
  badLog.setMeta('engine', 'thompson/lambdamart');
  badLog.close();
  assert.throws(() => openDurableEngine(bad, () => index, { retrainEvery: 0 }), (err: Error & { code?: string }) => err.code === 'STORE_MISMATCH' && /not JSON: thompson\/lambdamart/.test(err.message));
  const log = new MemoryEventLog();
  log.append([], () => ({ kind: 'search', time: 1, body: '{"requestId":"r1"}' }));
  assert.throws(() => new Engine(index, { retrainEvery: 0 }).replay(log.records(0)), (err: Error & { code?: string }) => err.code === 'STORE_CORRUPT' && err.message.includes('#1'));
});

test('catalogue changes are logged and replayed in order: a reopened engine finds what was added, not what was deleted', () => {
  const h = harness();
  const data = tempDir();
  const base = () => sampleIndex(16);
  const first = openDurableEngine(data, base, h.options({ policy: 'lexical' }));
  const victim = first.engine.search({ query: 'love', k: 1 }).results[0].id;
  first.engine.upsertEntities([{ id: 't:quokka-serenade', type: 'track', title: 'Quokka Serenade', popularity: 50 }]);
  first.checkpoint(); // the checkpoint carries the changed index
  first.engine.deleteEntity(victim);
  first.engine.upsertEntities([{ id: 't:wombat-waltz', type: 'track', title: 'Wombat Waltz', popularity: 40 }]);
  const before = stateOf(first.engine);
  first.close({ checkpoint: false });

  const second = openDurableEngine(data, base, h.options({ policy: 'lexical' }));
  assert.equal(stateOf(second.engine), before);
  const found = (q: string) => second.engine.search({ query: q, k: 5 }).results.map((r) => r.id);
  assert.ok(found('quokka serenade').includes('t:quokka-serenade'));
  assert.ok(found('wombat waltz').includes('t:wombat-waltz'));
  assert.equal(second.engine.index.has(victim), false);
  second.close();
});
