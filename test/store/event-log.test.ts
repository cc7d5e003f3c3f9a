// Both event logs keep the contract (conformance.ts); the SQLite one keeps it across reopening, reads long logs
// page by page while the reader writes, and refuses a file that is not its own.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemoryEventLog } from '../../src/store/memory-event-log.js';
import { SqliteEventLog } from '../../src/store/sqlite-event-log.js';
import { tempDir } from '../helpers/tmp.js';
import { eventLogConformance } from './conformance.js';

eventLogConformance('MemoryEventLog', () => new MemoryEventLog());
eventLogConformance('SqliteEventLog', () => SqliteEventLog.open(join(tempDir(), 'events.sqlite')));

test('SqliteEventLog: records, claims, impressions and meta survive closing and reopening', () => {
  const path = join(tempDir(), 'events.sqlite');
  const log = SqliteEventLog.open(path, { sync: 'full' });
  log.append(['e1'], () => ({ kind: 'k', time: 5, body: '{"a":1}', blob: new Uint8Array(Float32Array.of(0.1, -2).buffer) }));
  log.saveImpression({ requestId: 'r1', seq: 1, body: '{}' });
  log.setMeta('engine', 'x');
  log.close();
  const again = SqliteEventLog.open(path);
  assert.equal(again.lastSeq, 1);
  const [r] = [...again.records(0)];
  assert.deepEqual([...new Float32Array(r.blob!.buffer.slice(r.blob!.byteOffset, r.blob!.byteOffset + r.blob!.byteLength))], [Math.fround(0.1), -2]);
  assert.equal(again.hasEvent('e1'), true);
  assert.equal(again.impressions(1, 5).length, 1);
  assert.equal(again.getMeta('engine'), 'x');
  assert.equal(again.append(['e1'], () => ({ kind: 'k', time: 6, body: '{}' })).fresh[0], false);
  again.close();
});

test('SqliteEventLog: a long log is read page by page, and the reader may write between records', () => {
  const log = SqliteEventLog.open(join(tempDir(), 'events.sqlite'));
  for (let n = 1; n <= 2500; n++) log.append([], () => ({ kind: 'k', time: n, body: '{}' }));
  let seen = 0;
  for (const r of log.records(0)) {
    seen++;
    assert.equal(r.seq, seen);
    if (r.seq % 400 === 0) log.saveImpression({ requestId: `r${r.seq}`, seq: r.seq, body: '{}' });
  }
  assert.equal(seen, 2500);
  assert.equal(log.impressions(2500, 100).length, 6);
  log.close();
});

test('SqliteEventLog: a file that is not a database is refused with STORE_OPEN naming it', () => {
  const path = join(tempDir(), 'events.sqlite');
  writeFileSync(path, 'not a database, just text that is long enough to look like a header'.repeat(20));
  assert.throws(() => SqliteEventLog.open(path), (err: Error & { code?: string }) => err.code === 'STORE_OPEN' && err.message.includes(path));
});

test('SqliteEventLog: othersWrote says whether another connection committed since it was last asked, not this one', () => {
  const path = join(tempDir(), 'events.sqlite');
  const [mine, theirs] = [SqliteEventLog.open(path), SqliteEventLog.open(path)];
  try {
    const append = (log: SqliteEventLog) => log.append([], () => ({ kind: 'flush', time: 1, body: '{}' }));
    assert.equal(mine.othersWrote(), true, 'the first answer is "maybe"');
    assert.equal(mine.othersWrote(), false);
    append(mine);
    assert.equal(mine.othersWrote(), false, 'its own append is not news');
    append(theirs);
    assert.equal(mine.othersWrote(), true);
    assert.equal(mine.othersWrote(), false);
    assert.equal([...mine.records(0)].length, 2);
  } finally {
    mine.close();
    theirs.close();
  }
});
