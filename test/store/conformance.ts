// The contract every EventLog keeps (src/store/event-log.ts), run over each implementation by event-log.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventLog, LogRecord } from '../../src/store/event-log.js';

const record = (n: number, blob?: Uint8Array): LogRecord => ({ kind: 'k', time: 1000 + n, body: JSON.stringify({ n }), ...(blob && { blob }) });

export function eventLogConformance(name: string, open: () => EventLog): void {
  test(`${name}: appends number records from 1 and reads them back after a position, in order`, () => {
    const log = open();
    assert.equal(log.lastSeq, 0);
    for (let n = 1; n <= 5; n++) assert.equal(log.append([], () => record(n, n === 3 ? Uint8Array.of(1, 2, 3) : undefined)).seq, n);
    assert.equal(log.lastSeq, 5);
    const after = [...log.records(2)];
    assert.deepEqual(after.map((r) => r.seq), [3, 4, 5]);
    assert.deepEqual(after.map((r) => JSON.parse(r.body).n), [3, 4, 5]);
    assert.deepEqual([...after[0].blob!], [1, 2, 3]);
    assert.equal(after[1].blob, undefined);
    assert.equal(after[0].time, 1003);
    log.close();
  });

  test(`${name}: event ids are claimed once, across calls and within one`, () => {
    const log = open();
    const first = log.append(['a', undefined, 'b', 'a'], () => record(1));
    assert.deepEqual(first.fresh, [true, true, true, false]);
    const second = log.append(['b', 'c', undefined], (fresh) => (fresh.some(Boolean) ? record(2) : undefined));
    assert.deepEqual(second.fresh, [false, true, true]);
    assert.equal(second.seq, 2);
    assert.ok(log.hasEvent('a') && log.hasEvent('c') && !log.hasEvent('d'));
    // Nothing fresh: the builder may append nothing, and then nothing is written.
    const third = log.append(['a', 'b'], () => undefined);
    assert.deepEqual(third, { fresh: [false, false] });
    assert.equal(log.lastSeq, 2);
    log.close();
  });

  test(`${name}: a builder that throws leaves nothing claimed and nothing written`, () => {
    const log = open();
    assert.throws(() => log.append(['x'], () => {
      throw new Error('no');
    }), /no/);
    assert.equal(log.lastSeq, 0);
    assert.equal(log.hasEvent('x'), false);
    assert.deepEqual(log.append(['x'], () => record(1)).fresh, [true]);
    log.close();
  });

  test(`${name}: appendMany appends in order, each request seeing the claims before it; a throwing build fails itself alone`, () => {
    const log = open();
    log.append([], () => record(1));
    const outcomes = log.appendMany([
      { eventIds: ['a'], build: () => record(2) },
      { eventIds: ['a', 'b'], build: (fresh) => (assert.deepEqual(fresh, [false, true]), record(3)) },
      { eventIds: ['c'], build: () => {
        throw new Error('no');
      } },
      { eventIds: ['b'], build: () => undefined },
      { eventIds: [undefined], build: () => record(4) },
    ]);
    assert.deepEqual(outcomes.map((o) => ('result' in o ? o.result.seq : (o.error as Error).message)), [2, 3, 'no', undefined, 4]);
    assert.deepEqual('result' in outcomes[3] && outcomes[3].result.fresh, [false]);
    assert.deepEqual([...log.records(0)].map((r) => JSON.parse(r.body).n), [1, 2, 3, 4]);
    assert.ok(log.hasEvent('a') && log.hasEvent('b') && !log.hasEvent('c'));
    assert.deepEqual(log.appendMany([]), []);
    log.close();
  });

  test(`${name}: impressions are kept once per request, read newest-limited up to a position, oldest first`, () => {
    const log = open();
    for (let i = 1; i <= 6; i++) log.saveImpression({ requestId: `r${i}`, seq: i * 10, body: `{"i":${i}}`, blob: Uint8Array.of(i) });
    log.saveImpression({ requestId: 'r2', seq: 99, body: '{"i":"again"}' }); // a replay writes nothing new
    const upTo40 = log.impressions(40, 3);
    assert.deepEqual(upTo40.map((i) => i.requestId), ['r2', 'r3', 'r4']);
    assert.deepEqual([...upTo40[0].blob!], [2]);
    assert.equal(upTo40[0].body, '{"i":2}');
    assert.deepEqual(log.impressions(1000, 100).map((i) => i.requestId), ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    assert.deepEqual(log.impressions(1000, 0), []);
    log.close();
  });

  test(`${name}: meta values are set and replaced`, () => {
    const log = open();
    assert.equal(log.getMeta('engine'), undefined);
    log.setMeta('engine', 'a');
    log.setMeta('engine', 'b');
    assert.equal(log.getMeta('engine'), 'b');
    log.close();
  });
}
