// The catalogue, /stats and /metrics routes over a real socket, on a sample catalogue of their own: entities
// created, read, replaced and deleted live (and found or no longer found by search), every refusal with its status,
// code and field; /stats equal to the engine's snapshot and consistent with the searches made; /metrics parsed as
// Prometheus text, with the expected metrics moving as searches and feedback arrive.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Engine } from '../../src/engine/engine.js';
import { createServer } from '../../src/server/server.js';
import { DEMO_TIME } from '../helpers/demo-index.js';
import { sampleIndex } from '../helpers/sample-index.js';

let app: FastifyInstance;
let base: string;
let engine: Engine;
const context = { user: 'u1', time: DEMO_TIME };

before(async () => {
  engine = new Engine(sampleIndex(), { ranker: 'heuristic', retrainEvery: 0, now: () => Date.parse(DEMO_TIME) });
  app = await createServer(engine, { bodyLimit: 16 * 1024, maxEntityBatch: 5 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(() => app.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; type: string; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: type.startsWith('application/json') ? JSON.parse(text) : text };
}

const refused = async (method: string, path: string, body: unknown, status: number, code: string, message: RegExp) => {
  const r = await call(method, path, body);
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.error.code, code);
  assert.match(r.body.error.message, message);
  return r.body.error;
};

/** Whether the live index finds `id` for `query` (the policy may not run lexical on every request). */
const found = async (query: string, id: string) => engine.index.search(query, { k: 50 }).some((hit) => hit.id === id);

test('PUT creates (201) and replaces (200) an entity, GET reads it, search finds it at once; DELETE removes it', async () => {
  const otter = { type: 'track', title: 'Otter Nocturne', fields: { artist: 'Philippa Quenby' }, popularity: 0.5 };
  assert.deepEqual((await call('PUT', '/entities/t:otter', otter)), { status: 201, type: 'application/json; charset=utf-8', body: { id: 't:otter', created: true } });
  assert.deepEqual((await call('GET', '/entities/t:otter')).body, { id: 't:otter', ...otter });
  assert.ok(await found('otter nocturne', 't:otter'));
  const replaced = await call('PUT', '/entities/t:otter', { id: 't:otter', ...otter, title: 'Badger Aubade' });
  assert.deepEqual([replaced.status, replaced.body], [200, { id: 't:otter', created: false }]);
  assert.ok(await found('badger aubade', 't:otter'));
  assert.ok(!(await found('otter nocturne', 't:otter')));
  assert.deepEqual((await call('DELETE', '/entities/t:otter')).body, { id: 't:otter', deleted: true, unlinked: 0 });
  assert.ok(!(await found('badger aubade', 't:otter')));
  await refused('DELETE', '/entities/t:otter', undefined, 404, 'ENTITY_NOT_FOUND', /no entity with id "t:otter"/);
  await refused('GET', '/entities/t:otter', undefined, 404, 'ENTITY_NOT_FOUND', /t:otter/);
});

test('POST /entities upserts a batch all or nothing; every bad request names its field', async () => {
  const rows = [
    { id: 'al:heron', type: 'album', title: 'Heron Songs', relations: { tracks: ['t:heron1'] } },
    { id: 't:heron1', type: 'track', title: 'Grey Heron Waltz', relations: { album: ['al:heron'] } },
  ];
  assert.deepEqual((await call('POST', '/entities', { entities: rows })).body, { created: 2, updated: 0 });
  assert.deepEqual((await call('POST', '/entities', { entities: rows.slice(1) })).body, { created: 0, updated: 1 });
  assert.ok(await found('grey heron waltz', 't:heron1'));

  const fresh = { id: 't:fresh', type: 'track', title: 'Fresh' };
  const error = await refused('POST', '/entities', { entities: [fresh, { id: 't:neg', type: 'track', title: 'Neg', popularity: -2 }] }, 400, 'ENTITIES_INVALID', /entities\[1\]\.popularity must be a number ≥ 0/);
  assert.deepEqual(error.issues, [{ field: 'entities[1].popularity', message: 'must be a number ≥ 0' }]);
  await refused('POST', '/entities', { entities: [{ ...fresh, relations: { artist: ['a:ghost'] } }] }, 400, 'ENTITIES_INVALID', /entities\[0\]\.relations\.artist names entity "a:ghost"/);
  await refused('POST', '/entities', { entities: [fresh, { ...fresh, attributes: { genre: { pop: 2 } } }] }, 400, 'ENTITIES_INVALID', /entities\[1\]\.attributes\.genre weight of "pop" must be a number in \[0, 1\]/);
  await refused('GET', '/entities/t:fresh', undefined, 404, 'ENTITY_NOT_FOUND', /t:fresh/);
  await refused('POST', '/entities', { entities: [{ ...fresh, colour: 'red' }] }, 400, 'BAD_REQUEST', /body\/entities\/0 must NOT have additional properties: colour/);
  await refused('POST', '/entities', { entities: [{ id: 'x', type: 'track' }] }, 400, 'BAD_REQUEST', /body\/entities\/0 must have required property 'title'/);
  await refused('POST', '/entities', { entities: [] }, 400, 'BAD_REQUEST', /body\/entities must NOT have fewer than 1 items/);
  await refused('POST', '/entities', { entities: Array.from({ length: 6 }, (_, i) => ({ ...fresh, id: `t:${i}` })) }, 400, 'BAD_REQUEST', /body\/entities must NOT have more than 5 items/);
  await refused('POST', '/entities', { entities: [{ ...fresh, title: 'x'.repeat(20_000) }] }, 413, 'BODY_TOO_LARGE', /larger than 16384 bytes/);
  await refused('PUT', '/entities/t:a', { id: 't:b', type: 'track', title: 'B' }, 400, 'ENTITY_ID_MISMATCH', /the path names entity "t:a" but the body's id is "t:b"/);
  await refused('PUT', '/entities/t:a', { type: 'track', title: 'A', released: 'someday' }, 400, 'ENTITIES_INVALID', /entities\[0\]\.released must be an ISO date/);
  await refused('PUT', '/entities/t:a', { type: 'track', title: 'A', popularity: 'high' }, 400, 'BAD_REQUEST', /body\/popularity must be number/);
  await refused('GET', '/entities/t:a', undefined, 404, 'ENTITY_NOT_FOUND', /t:a/);
});

test('GET /stats is the engine snapshot, with selections consistent with the searches made', async () => {
  const before = engine.statsSnapshot().totals;
  const plans: Array<Record<string, number>> = [];
  for (const [i, query] of ['love', 'queen', 'rock', 'happy', 'love songs', 'chill'].entries()) {
    const r = await call('POST', '/search', { query, context, label: i % 2 === 0 ? 'even' : 'odd' });
    plans.push(r.body.plan);
  }
  const stats = await call('GET', '/stats');
  assert.equal(stats.status, 200);
  assert.deepEqual(stats.body, JSON.parse(JSON.stringify(engine.statsSnapshot())), 'the schema serialises every field');
  // A learned planner says what it has learnt and the share it holds back now.
  assert.equal(stats.body.planner.kind, 'learned');
  assert.ok(Number.isInteger(stats.body.planner.rounds) && stats.body.planner.holdback > 0 && stats.body.planner.holdback <= 1, JSON.stringify(stats.body.planner));
  const totals = stats.body.totals;
  assert.equal(totals.searches - before.searches, 6);
  for (const name of stats.body.strategies) {
    const ran = plans.filter((p) => name in p).length;
    assert.equal((totals.selections[name] ?? 0) - (before.selections[name] ?? 0), ran, name);
  }
  assert.deepEqual([totals.byLabel.even.searches, totals.byLabel.odd.searches], [3, 3]);
  assert.equal(stats.body.series.resolution, 'fine');
  assert.ok(stats.body.series.buckets.length >= 1);
  assert.deepEqual(stats.body.totals.catalog, { upserted: 5, deleted: 1 }, 'the changes of the catalogue tests (a refused one changes nothing)');
  const coarse = await call('GET', `/stats?resolution=coarse&since=${Date.parse(DEMO_TIME)}`);
  assert.deepEqual([coarse.status, coarse.body.series.bucketSeconds], [200, 60]);
  await refused('GET', '/stats?resolution=weekly', undefined, 400, 'BAD_REQUEST', /querystring\/resolution must be equal to one of the allowed values/);
  await refused('GET', '/stats?since=yesterday', undefined, 400, 'BAD_REQUEST', /querystring\/since must match pattern/);
});

/** Prometheus text → value by `name{labels}`, checking that every sample's metric has HELP and TYPE lines. */
function parsePrometheus(text: string): Map<string, number> {
  const declared = new Set<string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\w+) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') assert.match(meta[3], /^(counter|gauge|histogram|summary|untyped)$/);
      declared.add(meta[2]);
      continue;
    }
    const sample = /^([a-zA-Z_:][\w:]*)(\{(?:[a-zA-Z_]\w*="(?:[^"\\]|\\.)*",?)*\})? (-?[\d.e+-]+|[Nn]a[Nn]|[+-]Inf)$/.exec(line); // prom-client writes NaN as "Nan", which Prometheus parses
    assert.ok(sample, `not a Prometheus sample line: ${line}`);
    const base = sample[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(declared.has(sample[1]) || declared.has(base), `no HELP/TYPE for ${sample[1]}`);
    samples.set(sample[1] + (sample[2] ?? ''), Number(sample[3]));
  }
  return samples;
}

test('GET /metrics is Prometheus text whose counters move with searches and feedback', async () => {
  const scrape = async () => {
    const r = await call('GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.type, /^text\/plain; version=0\.0\.4/);
    return parsePrometheus(r.body);
  };
  const first = await scrape();
  for (const name of ['quiver_searches_total', 'quiver_pending_requests', 'quiver_entities', 'quiver_ranker_model_version', 'quiver_requests_closed_total', 'process_cpu_user_seconds_total']) {
    assert.ok(first.has(name), `${name} is exported`);
  }
  assert.equal(first.get('quiver_entities'), engine.index.size);
  const plans: Array<Record<string, number>> = [];
  for (const query of ['love', 'queen', 'rock']) {
    const r = await call('POST', '/search', { query, context });
    plans.push(r.body.plan);
    await call('POST', '/feedback', { requestId: r.body.requestId, entityId: r.body.results[0].id, type: 'click' });
  }
  const second = await scrape();
  const delta = (key: string) => (second.get(key) ?? 0) - (first.get(key) ?? 0);
  assert.equal(delta('quiver_searches_total'), 3);
  assert.equal(delta('quiver_feedback_events_total{type="click"}'), 3);
  assert.equal(delta('quiver_http_requests_total{method="POST",route="/search",status="200"}'), 3);
  assert.equal(delta('quiver_http_request_duration_seconds_count{method="POST",route="/search"}'), 3);
  assert.equal(delta('quiver_search_stage_duration_seconds_count{stage="total"}'), 3);
  assert.equal(delta('quiver_pending_requests'), 3);
  // The heuristic ranker logs no feature rows, so none are held (test/engine/engine.test.ts bounds LambdaMART's).
  assert.equal(second.get('quiver_pending_feature_rows'), 0);
  for (const name of engine.stats.strategies) {
    assert.equal(delta(`quiver_strategy_selections_total{strategy="${name}"}`), plans.filter((p) => name in p).length, name);
  }
  assert.equal(second.get('quiver_catalog_changes_total{op="delete"}'), 1);
  assert.ok((second.get('quiver_http_requests_total{method="GET",route="unmatched",status="404"}') ?? 0) === 0);
  await call('GET', '/nowhere');
  assert.equal((await scrape()).get('quiver_http_requests_total{method="GET",route="unmatched",status="404"}'), 1);
});

test('the OpenAPI document describes the new routes', async () => {
  const doc = (await call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  assert.ok(doc.paths['/entities/{id}'].put && doc.paths['/entities/{id}'].delete && doc.paths['/entities/{id}'].get);
  assert.ok(doc.paths['/entities'].post && doc.paths['/stats'].get && doc.paths['/metrics'].get);
});
