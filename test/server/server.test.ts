// The HTTP API over a real socket: search and feedback round trips, the OpenAPI document, and every kind of bad
// request answered with 400 (a code and the field named), 413 or 404, never a crash.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Engine } from '../../src/engine/engine.js';
import { createServer } from '../../src/server/server.js';
import { DEMO_TIME, demoIndex } from '../helpers/demo-index.js';

let app: FastifyInstance;
let base: string;
const index = demoIndex();

before(async () => {
  app = await createServer(new Engine(index, { ranker: 'heuristic' }), { bodyLimit: 4096 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(() => app.close());

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
};

test('POST /search answers with results, provenance, plan, timings and a request id; POST /feedback takes one event or a batch', async () => {
  const r = await post('/search', { query: 'queen', context: { user: 'u1', time: DEMO_TIME }, k: 3, filters: ['genre=rock'], explain: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.results.length, 3);
  assert.equal(typeof r.body.requestId, 'string');
  for (const result of r.body.results) {
    assert.ok(result.provenance.length > 0);
    assert.ok(Math.abs(result.explanation.value - result.score) <= 1e-9 * Math.max(1, Math.abs(result.score)));
  }
  assert.ok(r.body.timings.total >= 0 && r.body.explanation.runs.length > 0);
  const one = await post('/feedback', { requestId: r.body.requestId, entityId: r.body.results[0].id, type: 'click', position: 1, eventId: 'a' });
  assert.deepEqual(one, { status: 200, body: { accepted: 1, duplicates: 0, unknownRequests: [], lateRequests: [] } });
  const batch = await post('/feedback', [
    { requestId: r.body.requestId, entityId: r.body.results[0].id, type: 'click', eventId: 'a' },
    { requestId: 'unknown', entityId: r.body.results[1].id, type: 'play', value: 40 },
  ]);
  assert.deepEqual(batch.body, { accepted: 1, duplicates: 1, unknownRequests: ['unknown'], lateRequests: [] });
});

test('GET /health and /openapi.json', async () => {
  const health = (await (await fetch(`${base}/health`)).json()) as { status: string; entities: number };
  assert.equal(health.status, 'ok');
  assert.equal(health.entities, index.size);
  const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, { post?: unknown }> };
  assert.match(doc.openapi, /^3\./);
  assert.ok(doc.paths['/search'].post && doc.paths['/feedback'].post);
});

test('bad requests get 400 naming the field, oversized bodies 413, unknown routes 404', async () => {
  const bad = async (path: string, body: unknown, status: number, message: RegExp) => {
    const r = await post(path, body);
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(typeof r.body.error.code, 'string');
    assert.match(r.body.error.message, message);
  };
  await bad('/search', {}, 400, /must have required property 'query'/);
  await bad('/search', { query: 'x', k: 0 }, 400, /body\/k must be >= 1/);
  await bad('/search', { query: 'x', colour: 'red' }, 400, /must NOT have additional properties/);
  await bad('/search', { query: 'x', context: { time: 'yesterday' } }, 400, /query context "time" is "yesterday"/);
  await bad('/search', { query: 'x', filters: ['genre~pop'] }, 400, /body\/filters\/0/);
  await bad('/search', '{"query": ', 400, /JSON/);
  await bad('/feedback', { requestId: 'r', entityId: 'e', type: 'hug' }, 400, /must be equal to one of the allowed values|must match/);
  await bad('/search', { query: 'x'.repeat(5000) }, 413, /larger than 4096 bytes/);
  await bad('/nowhere', {}, 404, /no route POST \/nowhere/);
  const health = (await (await fetch(`${base}/health`)).json()) as { status: string; entities: number };
  assert.equal(health.status, 'ok', 'the server is still up');
});
