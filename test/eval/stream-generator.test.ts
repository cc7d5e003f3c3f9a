// The query-stream generator over the demo catalogue: reproducible by seed, every style present, and each
// style's promise (see the header of src/eval/stream-generator.ts) kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeText } from '../../src/analysis/normalize.js';
import type { Entity } from '../../src/catalog/entity.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { demoCatalogPath } from '../../src/demo.js';
import type { QuiverError } from '../../src/errors.js';
import { formatStream } from '../../src/eval/stream.js';
import { cleanTitle } from '../../src/eval/stream-catalog.js';
import { generateStream, STREAM_LABELS } from '../../src/eval/stream-generator.js';
import { releaseTime } from '../../src/retrieval/release-order.js';
import { editDistance } from '../helpers/edit-distance.js';

const { entities } = loadCatalog(demoCatalogPath());
const byId = new Map(entities.map((e) => [e.id, e]));
const { events, dropped } = generateStream(entities, { n: 1500, seed: 7 });
const DAY = 86_400_000;

test('the same seed gives the same stream, byte for byte; another seed another stream', () => {
  const sample = entities.filter((_, i) => i % 6 === 0); // a tenth of the work, every type and style still there
  const first = formatStream(generateStream(sample, { n: 500, seed: 7 }).events);
  assert.equal(formatStream(generateStream(sample, { n: 500, seed: 7 }).events), first);
  assert.notEqual(formatStream(generateStream(sample, { n: 500, seed: 8 }).events), first);
});

test('every style is present, every target exists, events are in time order within the window', () => {
  assert.deepEqual(dropped, []);
  assert.deepEqual(new Set(events.map((e) => e.label)), new Set(STREAM_LABELS));
  const end = Date.parse('2020-01-30T00:00:00Z'); // the day after the newest release (2020-01-29)
  let previous = -Infinity;
  for (const e of events) {
    assert.ok(e.query.trim().length > 0);
    assert.ok(e.targets.length > 0 && e.targets.every((id) => byId.has(id)), JSON.stringify(e));
    assert.equal(new Set(e.targets).size, e.targets.length);
    const t = Date.parse(e.context.time!);
    assert.ok(t >= previous && t < end && t >= end - 90 * DAY, e.context.time);
    previous = t;
    assert.match(e.context.user!, /^u\d+$/);
    assert.match(e.context.locale!, /^[a-z]{2}-[A-Z]{2}$/);
  }
});

test('misspellings are a few edits away from the title or name of a target', () => {
  const typed = (e: Entity) => (e.type === 'artist' ? normalizeText(e.title).trim() : cleanTitle(e.title));
  const misspelled = events.filter((e) => e.label === 'misspelled');
  assert.ok(misspelled.length > 100);
  for (const e of misspelled) {
    const distance = Math.min(...e.targets.map((id) => editDistance(typed(byId.get(id)!), e.query)));
    assert.ok(distance >= 1 && distance <= 4, `${e.query}: ${distance}`);
  }
});

test('an ambiguous query has one hidden intent, the same whenever it recurs, and head words recur Zipf-like', () => {
  const intent = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const e of events.filter((x) => x.label === 'ambiguous')) {
    assert.equal(e.targets.length, 1);
    assert.ok(!e.query.includes(' '));
    assert.equal(intent.get(e.query) ?? e.targets[0], e.targets[0], `"${e.query}" changed intent`);
    intent.set(e.query, e.targets[0]);
    counts.set(e.query, (counts.get(e.query) ?? 0) + 1);
    assert.ok(cleanTitle(byId.get(e.targets[0])!.title).split(' ').includes(e.query));
  }
  const sorted = [...counts.values()].sort((a, b) => b - a);
  assert.ok(sorted[0] >= 5 * sorted[Math.floor(sorted.length / 2)], `head ${sorted[0]}, median ${sorted[Math.floor(sorted.length / 2)]}`);
});

test('fresh targets were released within 14 days before the query; topical targets share one type', () => {
  for (const e of events.filter((x) => x.label === 'fresh')) {
    const t = Date.parse(e.context.time!);
    for (const id of e.targets) {
      const released = releaseTime(byId.get(id)!.released)!;
      assert.ok(released <= t && released > t - 14 * DAY, `${e.query}: ${id} released ${byId.get(id)!.released}`);
    }
  }
  for (const e of events.filter((x) => x.label === 'topical')) {
    assert.ok(e.targets.length >= 3 && e.targets.length <= 20);
    assert.equal(new Set(e.targets.map((id) => byId.get(id)!.type)).size, 1);
  }
});

test('users have consistent tastes: their personal queries always want the same things', () => {
  const wanted = new Map<string, string>();
  for (const e of events.filter((x) => x.label === 'personal')) {
    const key = e.targets.join(',');
    assert.equal(wanted.get(e.context.user!) ?? key, key);
    wanted.set(e.context.user!, key);
  }
  assert.ok(wanted.size > 10);
});

test('the mix picks the styles; styles a catalogue cannot make are dropped from the default mix, refused when asked for', () => {
  const only = generateStream(entities, { n: 50, seed: 1, mix: { artist: 1, fresh: 1 } }).events;
  assert.deepEqual(new Set(only.map((e) => e.label)), new Set(['artist', 'fresh']));
  const undated = entities.filter((e) => e.type !== 'playlist').slice(0, 3000).map(({ released: _, ...rest }) => rest);
  const generated = generateStream(undated, { n: 50, seed: 1 });
  assert.deepEqual(generated.dropped, ['fresh']);
  assert.throws(() => generateStream(undated, { n: 5, mix: { fresh: 1 } }), (e: QuiverError) => e.code === 'STREAM_STYLE_IMPOSSIBLE' && /"fresh"/.test(e.message));
  assert.throws(() => generateStream(undated, { n: 5, mix: { typo: 1 } }), (e: QuiverError) => e.code === 'OPTION_UNKNOWN');
  assert.throws(() => generateStream(undated, { n: 0 }), (e: QuiverError) => e.code === 'OPTION_OUT_OF_RANGE' && /"n" is 0/.test(e.message));
});

test('a catalogue of artists only (like Last.fm\'s) gets the styles it can make, users with tastes from the artists', () => {
  const artists = entities.filter((e) => e.type === 'artist').map(({ relations: _, ...rest }) => rest);
  const generated = generateStream(artists, { n: 300, seed: 2 });
  assert.deepEqual(new Set(generated.events.map((e) => e.label)), new Set(['artist', 'misspelled', 'topical', 'personal']));
  assert.deepEqual(new Set(generated.dropped), new Set(['exact-title', 'partial', 'ambiguous', 'fresh']));
  const ids = new Set(artists.map((e) => e.id));
  for (const e of generated.events) assert.ok(e.targets.every((t) => ids.has(t)), `${e.query}: ${e.targets}`);
  // Without items, a personal query wants the user's favourite artists themselves.
  const personal = generated.events.filter((e) => e.label === 'personal');
  assert.ok(personal.length > 0 && personal.every((e) => e.targets.length > 0 && e.targets.every((t) => t.startsWith('a:'))));
});
