import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQueryContext } from '../../src/query/query-context.js';
import { unionCandidates } from '../../src/retrieval/union.js';

test('the union dedupes and keeps every strategy\'s rank and score', () => {
  const union = unionCandidates([
    { strategy: 'lexical', candidates: [{ id: 'a', score: 9, rank: 1 }, { id: 'b', score: 5, rank: 2 }] },
    { strategy: 'fuzzy', candidates: [{ id: 'c', score: 0.9, rank: 1 }, { id: 'a', score: 0.8, rank: 2 }] },
    { strategy: 'popular', candidates: [{ id: 'd', score: 1, rank: 3 }] },
  ]);
  assert.deepEqual(union.map((u) => u.id), ['a', 'c', 'b', 'd']);
  assert.deepEqual(union[0].provenance, [
    { strategy: 'lexical', rank: 1, score: 9 },
    { strategy: 'fuzzy', rank: 2, score: 0.8 },
  ]);
  assert.deepEqual(unionCandidates([]), []);
});

test('query contexts are checked once, with clear errors', () => {
  const q = createQueryContext('  Beyoncé LOVE  ', { context: { time: '2026-03-01T20:00:00Z', user: 'u1' } });
  assert.equal(q.text, 'beyonce love');
  assert.deepEqual(q.tokens, ['beyonce', 'love']);
  assert.equal(q.time.toISOString(), '2026-03-01T20:00:00.000Z');
  assert.throws(() => createQueryContext('x', { context: { time: 'yesterday' } }), /query context "time" is "yesterday"; expected an ISO 8601 time/);
  assert.throws(() => createQueryContext('x', { context: { user: 42 as never } }), /"user" is 42; expected a string/);
  assert.throws(() => createQueryContext(undefined as never), /"query" is undefined; expected a string/);
  assert.equal(createQueryContext('x'.repeat(5000)).text.length, 1000);
});
