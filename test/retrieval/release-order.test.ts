import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SearchIndex } from '../../src/index/search-index.js';
import { releaseOrderOf, releaseTime } from '../../src/retrieval/release-order.js';

test('the release window is newest first, 0 ≤ age < window, and follows catalogue changes', () => {
  const track = (id: string, released?: string) => ({ id, type: 'track', title: id, released });
  const index = SearchIndex.build([track('a', '2020-01-10'), track('b', '2020-01-20'), track('c', '2020-02-05'), track('d'), track('e', '2020-01-11')]);
  const order = releaseOrderOf(index);
  assert.equal(releaseOrderOf(index), order, 'one per index');
  const ids = (now: string, days: number) => [...order.window(Date.parse(now), days * 86_400_000)].map((doc) => index.entities[doc]!.id);
  assert.deepEqual(ids('2020-02-01T00:00:00Z', 22), ['b', 'e']); // a is exactly 22 days old; c is in the future
  assert.deepEqual(ids('2020-01-20T00:00:00Z', 10), ['b', 'e']); // age 0 is in; a, 10 days old, is out
  assert.ok(Number.isNaN(order.time(index.docId('d')!)));
  index.add(track('f', '2020-01-31'));
  assert.deepEqual(ids('2020-02-01T00:00:00Z', 22), ['f', 'b', 'e']);
  assert.equal(releaseTime('2020-05'), Date.UTC(2020, 4, 1));
});
