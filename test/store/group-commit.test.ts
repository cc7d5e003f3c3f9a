// Group commit (src/store/group-commit.ts): the appends of one turn are committed in one transaction, each
// caller's `then` run in the log's order once its record is committed; a failed build fails its own request
// only, a failed commit fails every request of the group and writes none of them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { AppendRequest, LogRecord } from '../../src/store/event-log.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import { MemoryEventLog } from '../../src/store/memory-event-log.js';
import { SqliteEventLog } from '../../src/store/sqlite-event-log.js';
import { tempDir } from '../helpers/tmp.js';

const record = (n: number): LogRecord => ({ kind: 'k', time: n, body: JSON.stringify({ n }) });

test('the appends of one turn are one appendMany; their thens run in order after it, with consecutive seqs', async () => {
  const log = SqliteEventLog.open(join(tempDir(), 'events.sqlite'));
  const groups: number[] = [];
  const appendMany = log.appendMany.bind(log);
  log.appendMany = (requests: readonly AppendRequest[]) => (groups.push(requests.length), appendMany(requests));
  const group = new GroupCommit(log);
  const applied: number[] = [];
  const calls = Array.from({ length: 5 }, (_, i) => group.append({ eventIds: [`e${i % 3}`], build: () => record(i) }, (r) => {
    assert.equal(log.lastSeq, 5, 'the whole group is committed before any then runs');
    applied.push(r.seq!);
    return { i, seq: r.seq, fresh: r.fresh[0] };
  }));
  assert.equal(group.size, 5);
  assert.equal(log.lastSeq, 0, 'nothing is written before the turn ends');
  const results = await Promise.all(calls);
  assert.deepEqual(groups, [5]);
  assert.deepEqual(applied, [1, 2, 3, 4, 5]);
  assert.deepEqual(results.map((r) => r.fresh), [true, true, true, false, false]);
  assert.deepEqual([...log.records(0)].map((r) => JSON.parse(r.body).n), [0, 1, 2, 3, 4]);
  // The next turn is a group of its own.
  assert.equal((await group.append({ eventIds: [], build: () => record(9) }, (r) => r.seq)), 6);
  assert.deepEqual(groups, [5, 1]);
  log.close();
});

test('a build that throws fails its own request; a then that throws, its own promise', async () => {
  const log = new MemoryEventLog();
  const group = new GroupCommit(log);
  const settled = await Promise.allSettled([
    group.append({ eventIds: ['x'], build: () => record(1) }, (r) => r.seq),
    group.append({ eventIds: ['y'], build: () => {
      throw new Error('bad build');
    } }, (r) => r.seq),
    group.append({ eventIds: [], build: () => record(3) }, () => {
      throw new Error('bad then');
    }),
    group.append({ eventIds: ['y'], build: () => record(4) }, (r) => r.seq),
  ]);
  assert.deepEqual(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)), [1, 'bad build', 'bad then', 3]);
  assert.equal(log.hasEvent('y'), true, 'the failed build claimed nothing: a later request claims y');
});

test('a commit that fails fails every request of the group and writes none of them', async () => {
  const path = join(tempDir(), 'events.sqlite');
  const log = SqliteEventLog.open(path, { busyTimeoutMs: 50 });
  log.append([], () => record(0));
  // Another process holds the write lock: the group's transaction cannot begin.
  const other = new Database(path);
  other.prepare('BEGIN IMMEDIATE').run();
  const group = new GroupCommit(log);
  const applied: number[] = [];
  const settled = await Promise.allSettled([1, 2, 3].map((n) => group.append({ eventIds: [`e${n}`], build: () => record(n) }, (r) => applied.push(r.seq!))));
  assert.deepEqual(settled.map((s) => s.status), ['rejected', 'rejected', 'rejected']);
  assert.match(String((settled[0] as PromiseRejectedResult).reason), /locked|busy/i);
  assert.deepEqual(applied, []);
  other.prepare('ROLLBACK').run();
  other.close();
  assert.equal(log.lastSeq, 1);
  assert.equal(log.hasEvent('e1'), false);
  // The log is usable again, and the ids were never claimed.
  assert.deepEqual(await group.append({ eventIds: ['e1'], build: () => record(1) }, (r) => [r.seq, r.fresh[0]]), [2, true]);
  log.close();
});
