// Feedback across workers (`serve --workers N`): a worker applies the events for its own requests and hands the
// others to the worker that served them, over the primary's IPC channel. Here two workers' real engines talk
// through an in-process relay that stands where the primary's would: receipts merge, the serving worker learns,
// a bad event's code comes back to the caller, and a worker that never answers fails the call after the timeout
// instead of hanging it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { QuiverError } from '../../src/errors.js';
import { createStrategies } from '../../src/retrieval/registry.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { clusterFeedback, type WorkerChannel } from '../../src/server/cluster.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';

const index = demoIndex();
const context = { user: 'u1', time: DEMO_TIME };

/** Channels for workers 1…n through a relay; a worker listed in `silent` receives nothing (as if it had hung). */
function relay(n: number, silent: ReadonlySet<number> = new Set()): WorkerChannel[] {
  const listeners: Array<(m: unknown) => void> = [];
  return Array.from({ length: n }, (_, i) => ({
    send: (m: unknown) => {
      const to = (m as { to: number }).to;
      if (!silent.has(to)) setImmediate(() => listeners[to - 1]?.(m));
    },
    onMessage: (listener: (m: unknown) => void) => {
      listeners[i] = listener;
    },
  }));
}

function worker(n: number) {
  let id = 0;
  return new Engine(index, { requestId: () => `w${n}-${++id}`, now: () => Date.parse(DEMO_TIME) });
}

/** Workers 1 and 2 connected through a relay; worker 1's feedback function. */
function twoWorkers() {
  const [one, two] = [worker(1), worker(2)];
  const [c1, c2] = relay(2);
  clusterFeedback(two, 2, 2, c2);
  return { one, two, feedback: clusterFeedback(one, 1, 2, c1) };
}

test('a batch naming two workers\' requests is applied by each serving worker and the receipts merge', async () => {
  const { one, two, feedback } = twoWorkers();
  const mine = one.search({ query: 'queen', context, k: 5 });
  const theirs = two.search({ query: 'love', context, k: 10 });
  const wanted = theirs.results[9].id;
  const memoryOf = (e: Engine) => createStrategies(e.resources, ['memory']).get('memory')!.retrieve(createQueryContext('love', { context }), 1)[0]?.id;
  assert.notEqual(memoryOf(two), wanted, 'memory does not guess it before the play');
  const receipt = await feedback([
    { requestId: mine.requestId, entityId: mine.results[0].id, type: 'click' },
    { requestId: theirs.requestId, entityId: wanted, type: 'play', value: 200 },
    { requestId: 'w2-never-served', entityId: wanted, type: 'like' },
  ]);
  assert.deepEqual(receipt, { accepted: 3, duplicates: 0, unknownRequests: ['w2-never-served'], lateRequests: [] });
  assert.equal(memoryOf(two), wanted, 'the serving worker learnt the play');
  assert.notEqual(memoryOf(one), wanted, 'the other worker did not (in a cluster it catches up from the shared log)');
});

test('a bad event handed over comes back as its own error code', async () => {
  const { two, feedback } = twoWorkers();
  const theirs = two.search({ query: 'love', context, k: 3 });
  await assert.rejects(feedback([{ requestId: theirs.requestId, entityId: theirs.results[0].id, type: 'play', value: -3 }]), (err: unknown) => {
    assert.ok(err instanceof QuiverError);
    assert.equal(err.code, 'FEEDBACK_BAD_EVENT');
    assert.match(err.message, /value: a finite number ≥ 0/);
    return true;
  });
});

test('a worker that never answers fails the call after the timeout, naming the worker; the caller\'s own events stand', async () => {
  const [one, two] = [worker(1), worker(2)];
  const [c1] = relay(2, new Set([2]));
  const feedback = clusterFeedback(one, 1, 2, c1, 50);
  const mine = one.search({ query: 'queen', context, k: 5 });
  const theirs = two.search({ query: 'love', context, k: 3 });
  await assert.rejects(
    feedback([
      { requestId: mine.requestId, entityId: mine.results[0].id, type: 'click', eventId: 'mine' },
      { requestId: theirs.requestId, entityId: theirs.results[0].id, type: 'click' },
    ]),
    (err: unknown) => err instanceof QuiverError && err.code === 'WORKER_UNAVAILABLE' && /worker 2 .*no answer in 0\.05 s/.test(err.message),
  );
  assert.deepEqual(one.feedback([{ requestId: mine.requestId, entityId: mine.results[0].id, type: 'click', eventId: 'mine' }]).duplicates, 1, 'own events were applied before the hand-over');
});
