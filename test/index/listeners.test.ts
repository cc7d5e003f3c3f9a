import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Entity } from '../../src/catalog/entity.js';
import { SearchIndex } from '../../src/index/search-index.js';

const entity = (id: string, title: string): Entity => ({ id, type: 'track', title });

test('listeners hear adds, replaces (remove then add) and removes, and stop after unsubscribing', () => {
  const index = SearchIndex.build([entity('t:1', 'one')]);
  const heard: string[] = [];
  const stop = index.subscribe({ added: (e) => heard.push(`+${e.id}:${e.title}`), removed: (e) => heard.push(`-${e.id}:${e.title}`) });
  index.add(entity('t:2', 'two'));
  index.add(entity('t:1', 'uno'));
  index.remove('t:2');
  index.remove('t:missing');
  stop();
  index.add(entity('t:3', 'three'));
  assert.deepEqual(heard, ['+t:2:two', '-t:1:one', '+t:1:uno', '-t:2:two']);
});

test('the popularity prior is ln(1 + pop) / ln(1 + max pop), and 0 in a catalogue without popularity', () => {
  const index = SearchIndex.build([{ ...entity('t:1', 'one'), popularity: 9 }, { ...entity('t:2', 'two'), popularity: 99 }, entity('t:3', 'three')]);
  assert.equal(index.prior(index.docId('t:1')!), Math.log(10) / Math.log(100));
  assert.equal(index.prior(index.docId('t:2')!), 1);
  assert.equal(index.prior(index.docId('t:3')!), 0);
  const flat = SearchIndex.build([entity('t:1', 'one')]);
  assert.equal(flat.prior(0), 0);
});
