import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Entity } from '../../src/catalog/entity.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { loadSnapshot, saveSnapshot } from '../../src/index/snapshot.js';
import { tempDir } from '../helpers/tmp.js';

const entities: Entity[] = [
  { id: 't:1', type: 'track', title: 'Love Story', fields: { artist: 'Taylor Swift' }, popularity: 87, attributes: { genre: { pop: 0.6 } } },
  { id: 't:2', type: 'track', title: 'Shake It Off', fields: { artist: 'Taylor Swift' }, popularity: 90 },
  { id: 'a:1', type: 'artist', title: 'Taylor Swift', popularity: 95 },
  { id: 't:3', type: 'track', title: 'Crazy in Love', fields: { artist: 'Beyoncé' }, popularity: 80 },
];

test('a saved snapshot loads into an index that answers exactly as the original, and keeps accepting changes', () => {
  const index = SearchIndex.build(entities, { popularityWeight: 0.5, fields: { title: { weight: 2 } } });
  index.remove('t:2');
  index.add({ id: 't:4', type: 'track', title: 'Love Me Like You Do', fields: { artist: 'Ellie Goulding' } });
  const dir = join(tempDir(), 'idx');
  saveSnapshot(index, dir);
  const loaded = loadSnapshot(dir);
  for (const q of ['love', 'taylor swift', 'beyonce', 'shake']) assert.deepEqual(loaded.search(q, { k: 5 }), index.search(q, { k: 5 }));
  assert.deepEqual(loaded.explain('love', 't:1'), index.explain('love', 't:1'));
  assert.equal(loaded.get('t:2'), undefined);
  assert.equal(loaded.options.popularityWeight, 0.5);
  loaded.add({ id: 't:5', type: 'track', title: 'Lovesong', fields: { artist: 'The Cure' } });
  assert.equal(loaded.search('lovesong', { k: 1 })[0].id, 't:5');
  assert.equal(loaded.search('love', { k: 10, type: 'artist' }).length, 0);
});

test('a snapshot of another format version is refused with a clear message', () => {
  const dir = join(tempDir(), 'idx');
  saveSnapshot(SearchIndex.build(entities), dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, version: 99 }));
  assert.throws(() => loadSnapshot(dir), /format version 99 is not supported by this Quiver \(reads version 2\); rebuild it/);
});

test('a damaged snapshot is refused, not half-loaded', () => {
  const dir = join(tempDir(), 'idx');
  saveSnapshot(SearchIndex.build(entities), dir);
  const bin = readFileSync(join(dir, 'columns.bin'));
  bin[bin.length - 1] ^= 0xff;
  writeFileSync(join(dir, 'columns.bin'), bin);
  assert.throws(() => loadSnapshot(dir), /columns.bin does not match its checksum/);
  assert.throws(() => loadSnapshot(join(dir, 'nope')), /no index snapshot here/);
});

test('a bulk build keeps the last of duplicate ids, as adding them one by one does', () => {
  const dup = { id: 't:1', type: 'track', title: 'Love Story (Taylor’s Version)', fields: { artist: 'Taylor Swift' } };
  const bulk = SearchIndex.build([...entities, dup]);
  const oneByOne = new SearchIndex();
  for (const e of [...entities, dup]) oneByOne.add(e);
  assert.equal(bulk.size, entities.length);
  assert.equal(bulk.get('t:1')!.title, dup.title);
  for (const q of ['love story', 'taylor', 'version']) assert.deepEqual(bulk.search(q), oneByOne.search(q));
});

test('a snapshot that cannot be written fails naming its directory, and leaves no temporary directory behind', () => {
  const dir = tempDir();
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a directory');
  assert.throws(() => saveSnapshot(SearchIndex.build(entities), join(file, 'snapshot')), (e: Error & { code?: string }) => e.code === 'FILE_UNWRITABLE' && /a-file\/snapshot: cannot be written/.test(e.message));
  assert.deepEqual(readdirSync(dir), ['a-file']);
});
