// POST/GET /simulate: simulated traffic through the live engine moves /stats, runs one at a time (409), stays
// within its bounds, refuses a bad body naming the field, and yields between queries so other requests are served.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Engine } from '../../src/engine/engine.js';
import { createServer } from '../../src/server/server.js';
import type { SimulationProgress } from '../../src/simulate/live-simulation.js';
import { sampleIndex } from '../helpers/sample-index.js';

let app: FastifyInstance;
let engine: Engine;

before(async () => {
  engine = new Engine(sampleIndex(), { ranker: 'heuristic', retrainEvery: 0 });
  app = await createServer(engine, { ui: false, simulate: true });
});
after(async () => app?.close());

const progress = async () => (await app.inject({ method: 'GET', url: '/simulate' })).json() as SimulationProgress;

/** Polls GET /simulate until the run has ended, keeping every progress seen on the way. */
async function untilEnded(): Promise<SimulationProgress[]> {
  const seen: SimulationProgress[] = [];
  for (;;) {
    const p = await progress();
    seen.push(p);
    if (p.state !== 'generating' && p.state !== 'running') return seen;
    await sleep(5);
  }
}

test('before any run the progress is idle', async () => {
  assert.deepEqual(await progress(), { state: 'idle', options: null, done: 0, clicks: 0, plays: 0, startedAt: null, finishedAt: null, error: null });
});

test('a bad body is refused with 400 naming the field, and starts nothing', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ queries: 0 }, /queries/],
    [{ queries: 10_001 }, /queries/],
    [{ queries: 2.5 }, /queries/],
    [{ seed: -1 }, /seed/],
    [{ clickModel: 'random' }, /clickModel/],
    [{ refind: 2 }, /refind/],
    [{ afterClick: 'yes' }, /afterClick/],
    [{ colour: 'red' }, /colour/],
  ];
  for (const [body, field] of cases) {
    const res = await app.inject({ method: 'POST', url: '/simulate', payload: body as object });
    assert.equal(res.statusCode, 400, JSON.stringify(body));
    assert.equal(res.json().error.code, 'BAD_REQUEST');
    assert.match(res.json().error.message, field);
  }
  assert.equal((await progress()).state, 'idle');
});

test('a run searches and clicks through the engine: /stats counts every query by style, 409 while it runs', async () => {
  const queries = 120;
  const started = await app.inject({ method: 'POST', url: '/simulate', payload: { queries, seed: 3, flushEvery: 10 } });
  assert.equal(started.statusCode, 202);
  assert.equal(started.json().state, 'generating');
  assert.deepEqual(started.json().options, { queries, seed: 3, clickModel: 'pbm', k: 10, refind: 0.3, afterClick: true, flushEvery: 10 });

  const again = await app.inject({ method: 'POST', url: '/simulate', payload: {} });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().error.code, 'SIMULATE_RUNNING');

  const seen = await untilEnded();
  const last = seen[seen.length - 1];
  assert.equal(last.state, 'done', last.error ?? '');
  assert.equal(last.done, queries);
  assert.ok(last.clicks > 0, 'the simulated user clicked');
  assert.ok(last.finishedAt! >= last.startedAt!);
  // Requests were answered while it ran: progress was read between its queries, not only before and after.
  assert.ok(seen.some((p) => p.state === 'running' && p.done > 0 && p.done < queries), 'GET /simulate answered mid-run');

  const stats = (await app.inject({ method: 'GET', url: '/stats' })).json();
  assert.equal(stats.totals.searches, queries);
  assert.equal(stats.totals.closed, queries, 'every request closed (flushed at the end)');
  assert.equal(stats.totals.learned, queries, 'the policy learnt from every request');
  assert.equal(stats.pendingRequests, 0);
  const labelled = Object.values(stats.totals.byLabel as Record<string, { searches: number }>).reduce((s, l) => s + l.searches, 0);
  assert.equal(labelled, queries, 'each search is labelled with its query style');
  assert.ok(Object.keys(stats.totals.byLabel).includes('exact-title'));
  assert.ok(stats.totals.feedback.click >= last.clicks, 'every clicked search sent at least one click');
  // Each click is followed by a play (a target) or a skip (anything else); the other plays are refinds.
  const { click, play, skip } = stats.totals.feedback;
  assert.ok(skip > 0 && last.plays > 0, `skips ${skip}, refinds ${last.plays}`);
  assert.equal(play + skip, click + last.plays);
  assert.equal(stats.totals.unknownRequestFeedback, 0);
});

test("a second run after the first adds to the same engine's statistics", async () => {
  const before = (await app.inject({ method: 'GET', url: '/stats' })).json().totals.searches;
  const res = await app.inject({ method: 'POST', url: '/simulate', payload: { queries: 5, seed: 3 } });
  assert.equal(res.statusCode, 202);
  const last = (await untilEnded()).at(-1)!;
  assert.equal(last.state, 'done');
  assert.equal((await app.inject({ method: 'GET', url: '/stats' })).json().totals.searches, before + 5);
});

test('closing the server stops a run after its current query', async () => {
  const own = await createServer(new Engine(sampleIndex(), { ranker: 'heuristic', retrainEvery: 0 }), { ui: false, simulate: true });
  const res = await own.inject({ method: 'POST', url: '/simulate', payload: { queries: 2000 } });
  assert.equal(res.statusCode, 202);
  await own.close(); // resolves only once the loop has stopped
});

test('a server is not simulated unless asked: without the option /simulate does not exist', async () => {
  const plain = await createServer(new Engine(sampleIndex(), { ranker: 'heuristic', retrainEvery: 0 }), { ui: false });
  assert.equal((await plain.inject({ method: 'POST', url: '/simulate', payload: { queries: 5 } })).statusCode, 404);
  assert.equal((await plain.inject({ method: 'GET', url: '/simulate' })).statusCode, 404);
  await plain.close();
});
