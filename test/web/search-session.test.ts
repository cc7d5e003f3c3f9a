// The search page's request logic without a browser: only the newest search's answer (or error) reaches the page,
// whatever order the answers arrive in; the body carries explain, types and context only when set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SearchBody, SearchResponse } from '../../web/src/shared/api.js';
import { SearchSession, type SearchListener } from '../../web/src/search/search-session.js';

function deferredServer() {
  const calls: Array<{ body: SearchBody; resolve: (r: SearchResponse) => void; reject: (e: unknown) => void }> = [];
  const run = (body: SearchBody) => new Promise<SearchResponse>((resolve, reject) => calls.push({ body, resolve, reject }));
  const answer = (query: string) => ({ requestId: query, query, results: [], plan: {}, timings: { plan: 0, retrieve: 0, rank: 0, total: 0 } });
  return { calls, run, answer };
}

function recorder(): SearchListener & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    loading: (input) => log.push(`loading ${input.query}`),
    results: (response) => log.push(`results ${response.query}`),
    failed: (error) => log.push(`failed ${(error as Error).message}`),
    cleared: () => log.push('cleared'),
  };
}

test('a stale answer arriving last is dropped: the last query typed wins', async () => {
  const server = deferredServer();
  const listener = recorder();
  const session = new SearchSession(listener, server.run);
  const first = session.search({ query: 'lo', context: {} });
  const second = session.search({ query: 'love', context: {} });
  server.calls[1].resolve(server.answer('love'));
  await second;
  server.calls[0].resolve(server.answer('lo'));
  await first;
  assert.deepEqual(listener.log, ['loading lo', 'loading love', 'results love']);
});

test('a stale error is dropped too, and clearing the box drops the search in flight', async () => {
  const server = deferredServer();
  const listener = recorder();
  const session = new SearchSession(listener, server.run);
  const first = session.search({ query: 'lo', context: {} });
  const cleared = session.search({ query: '  ', context: {} });
  server.calls[0].reject(new Error('boom'));
  await Promise.all([first, cleared]);
  assert.deepEqual(listener.log, ['loading lo', 'cleared']);
  assert.equal(server.calls.length, 1, 'an empty query asks the server nothing');
});

test('the body asks for explanations and carries types and context only when set', async () => {
  const server = deferredServer();
  const session = new SearchSession(recorder(), server.run);
  void session.search({ query: 'queen', context: {} });
  void session.search({ query: 'queen', types: ['artist'], context: { user: 'u1', locale: 'de-DE' } });
  assert.deepEqual(server.calls.map((c) => c.body), [
    { query: 'queen', k: 10, explain: true },
    { query: 'queen', k: 10, explain: true, types: ['artist'], context: { user: 'u1', locale: 'de-DE' } },
  ]);
});
