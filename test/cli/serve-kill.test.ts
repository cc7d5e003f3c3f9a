// Durability: a server with --data is killed with SIGKILL in the middle of a feedback burst. Every event it
// acknowledged is in the log afterwards, and the restarted server's learnt state (restored from its last
// checkpoint plus the log after it, then saved at a clean stop) is exactly the state an engine reaches by
// replaying the whole log from nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCatalog } from '../../src/catalog/load.js';
import { latestCheckpoint } from '../../src/engine/checkpoint.js';
import { Engine } from '../../src/engine/engine.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { SqliteEventLog } from '../../src/store/sqlite-event-log.js';
import { startServe, stopServe, writeSmallCatalog } from '../helpers/serve.js';
import { tempDir } from '../helpers/tmp.js';

const post = (url: string, path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('SIGKILL mid-burst: every acknowledged event survives and the restarted state equals a replay of the whole log', async () => {
  const dir = tempDir();
  const catalog = writeSmallCatalog(dir);
  const data = join(dir, 'data');
  const args = ['--catalog', catalog, '--data', data, '--port', '0', '--checkpoint-interval', '0.3'];
  const first = await startServe(args);

  const served: Array<{ requestId: string; ids: string[] }> = [];
  const queries = ['love', 'rock', 'happy', 'queen', 'night', 'dance', 'blue', 'summer'];
  for (let i = 0; i < 48; i++) {
    const r = (await (await post(first.url, '/search', { query: queries[i % queries.length], context: { user: `u${i % 5}` }, k: 10 })).json()) as { requestId: string; results: Array<{ id: string }> };
    if (r.results.length > 1) served.push({ requestId: r.requestId, ids: r.results.map((x) => x.id) });
  }
  await new Promise((resolve) => setTimeout(resolve, 700)); // at least one checkpoint lands before the burst

  // The burst: 6 concurrent senders; the server is killed once 120 events are acknowledged, others in flight.
  const acknowledged: string[] = [];
  let next = 0;
  let killed = false;
  const sender = async () => {
    while (!killed) {
      const n = next++;
      const request = served[n % served.length];
      const batch = [0, 1].map((j) => ({ requestId: request.requestId, entityId: request.ids[(n + j) % request.ids.length], type: j === 0 ? 'click' : 'play', value: j === 0 ? undefined : 60, eventId: `burst-${n}-${j}` }));
      try {
        const reply = await post(first.url, '/feedback', batch);
        if (reply.status === 200) acknowledged.push(...batch.map((e) => e.eventId));
      } catch {
        return; // the connection died with the server: not acknowledged
      }
      if (acknowledged.length >= 120 && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    }
  };
  const exited = new Promise((resolve) => first.child.once('exit', resolve));
  await Promise.all(Array.from({ length: 6 }, sender));
  await exited;
  assert.ok(acknowledged.length >= 120);

  const log = SqliteEventLog.open(join(data, 'events.sqlite'));
  const missing = acknowledged.filter((id) => !log.hasEvent(id));
  assert.deepEqual(missing, [], 'acknowledged events missing from the log');
  log.close();

  const second = await startServe(args);
  const resumed = /restored from the checkpoint at record (\d+), replayed (\d+) records/.exec(second.stderr());
  assert.ok(resumed && Number(resumed[1]) > 0, `the restart should start from a checkpoint: ${second.stderr()}`);
  // Retrying acknowledged events after the restart changes nothing: they are duplicates.
  const retry = (await (await post(second.url, '/feedback', [{ requestId: served[0].requestId, entityId: served[0].ids[0], type: 'click', eventId: acknowledged[0] }])).json()) as { duplicates: number };
  assert.equal(retry.duplicates, 1);
  assert.equal(await stopServe(second), 0); // a clean stop checkpoints the state it resumed to

  const oracleLog = SqliteEventLog.open(join(data, 'events.sqlite'));
  const oracle = new Engine(SearchIndex.build(loadCatalog(catalog).entities), { retrainEvery: 0 });
  oracle.replay(oracleLog.records(0));
  oracleLog.close();
  const saved = latestCheckpoint(join(data, 'checkpoints'))!;
  assert.equal(saved.seq, oracle.seq);
  assert.equal(JSON.stringify(saved.state), JSON.stringify(oracle.state()));
  const memory = (oracle.state().learners['memory-index'] as { queries: unknown[] }).queries;
  assert.ok(memory.length > 0, 'the burst should have taught the memory index');
});
