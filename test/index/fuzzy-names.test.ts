// The fuzzy name index against a brute-force scan of every live name, through adds, replaces and removes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Entity } from '../../src/catalog/entity.js';
import { QuiverError } from '../../src/errors.js';
import { FuzzyNames } from '../../src/index/fuzzy-names.js';
import { SearchIndex } from '../../src/index/search-index.js';

// Few, similar words: many near-miss names, repeated names, and titles with cores.
const WORDS = ['taylor', 'tayler', 'swift', 'swfit', 'love', 'lover', 'story', 'stori', 'queen', 'bohemian', 'rhapsody', 'rapsody', 'ed', 'sheeran'];
const phrase = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const title = fc.tuple(phrase, fc.constantFrom('', ' - 2011 Mix', ' (Remix)')).map(([p, suffix]) => p + suffix);
const entityArb = fc.record({
  id: fc.integer({ min: 0, max: 40 }).map((i) => `e:${i}`),
  title,
  artist: fc.oneof(phrase, fc.array(phrase, { maxLength: 2 })),
});
const toEntity = (e: { id: string; title: string; artist: string | string[] }): Entity => ({ id: e.id, type: 'track', title: e.title, fields: { artist: e.artist } });

/** Every live name of the catalogue that matches `key`, found by comparing it with each one. */
function bruteForce(names: FuzzyNames, index: SearchIndex, key: string): string[] {
  const all = new Set<string>();
  for (const e of index.entities) if (e) for (const n of names.namesOf(e)) all.add(n.key);
  return [...all].filter((n) => names.similarityOf(key, n) !== undefined).sort();
}

test('matchName returns exactly what a brute-force scan with the same threshold returns, as the catalogue changes', () => {
  fc.assert(
    fc.property(
      fc.array(entityArb, { minLength: 1, maxLength: 30 }),
      fc.array(fc.oneof(entityArb.map((e) => ({ add: e })), fc.integer({ min: 0, max: 40 }).map((i) => ({ remove: `e:${i}` }))), { maxLength: 20 }),
      fc.array(phrase, { minLength: 1, maxLength: 5 }),
      fc.double({ min: 0.5, max: 0.95, noNaN: true }),
      (initial, changes, queries, minSimilarity) => {
        const index = SearchIndex.build(initial.map(toEntity));
        const names = new FuzzyNames(index, { minSimilarity });
        const check = () => {
          for (const q of queries) {
            const got = names.matchName(q).map((m) => m.text).sort();
            assert.deepEqual(got, bruteForce(names, index, q), `"${q}"`);
          }
        };
        check();
        for (const change of changes) {
          if ('add' in change) index.add(toEntity(change.add));
          else index.remove(change.remove);
        }
        check();
        names.dispose();
      },
    ),
    { seed: 99, numRuns: 150 },
  );
});

test('a name matches with its similarity ½(1 − d/maxLength) + ½·JW; short words must be exact', () => {
  const index = SearchIndex.build([toEntity({ id: 'a', title: 'Taylor Swift', artist: [] }), toEntity({ id: 'b', title: 'Love', artist: 'Lover' })]);
  const names = new FuzzyNames(index);
  const [m] = names.matchName('tayler swift');
  assert.equal(m.text, 'taylor swift');
  assert.equal(m.distance, 1);
  assert.ok(m.similarity > 0.9 && m.similarity < 1);
  assert.equal(names.matchName('taylor swift')[0].similarity, 1);
  assert.deepEqual(names.matchName('lvoe'), []); // 4 letters: no edit allowed
  assert.deepEqual(names.maxEditsFor('love'), 0);
  assert.deepEqual(names.maxEditsFor('tayler'), 1);
  assert.deepEqual(names.maxEditsFor('tayler swift'), 2);
});

test('names are titles, title cores and name-field values; spans of the query find them', () => {
  const index = SearchIndex.build([
    { id: 't:1', type: 'track', title: 'Bohemian Rhapsody - 2011 Mix', fields: { artist: 'Queen', album: 'A Night at the Opera' } },
    { id: 't:2', type: 'track', title: 'Shape of You (Galantis Remix)', fields: { artist: ['Ed Sheeran', 'Galantis'] } },
  ]);
  const names = new FuzzyNames(index);
  const t1 = names.namesOf(index.get('t:1')!);
  assert.deepEqual(
    t1.map((n) => [n.key, names.fields[n.field]]),
    [
      ['bohemian rhapsody 2011 mix', 'title'],
      ['bohemian rhapsody', 'title'],
      ['queen', 'artist'],
    ],
  );
  assert.equal(t1[1].share, 'bohemian rhapsody'.length / 'bohemian rhapsody 2011 mix'.length);
  const spans = names.matchQuery('bohemian rapsody queen').map((m) => [m.text, m.start, m.end, m.coverage]);
  assert.deepEqual(spans, [
    ['bohemian rhapsody', 0, 2, 15 / 20],
    ['queen', 2, 3, 5 / 20],
  ]);
  const carriers: string[] = [];
  const galantis = names.matchName('galantis')[0].name;
  names.forEachCarrier(galantis, (doc, field) => carriers.push(`${index.entities[doc]!.id}:${names.fields[field]}`));
  assert.deepEqual(carriers, ['t:2:artist']);
  index.remove('t:2');
  assert.deepEqual(names.matchName('galantis'), []);
});

test('follows the catalogue after many removals (carriers re-chained) and refuses bad options', () => {
  const index = SearchIndex.build([]);
  const names = new FuzzyNames(index);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 15_000; i++) index.add({ id: `t:${i}`, type: 'track', title: `song ${round} ${i}` });
  }
  assert.equal(names.matchName('song 2 14999')[0].text, 'song 2 14999');
  assert.equal(names.matchName('song 2 14999')[0].similarity, 1);
  assert.ok(!names.matchName('song 0 14999').some((m) => m.text.startsWith('song 0')));
  index.add({ id: 't:new', type: 'track', title: 'song 0 14999' });
  assert.equal(names.matchName('song 0 14999')[0].text, 'song 0 14999');
  for (const bad of [{ maxEdits: -1 }, { minSimilarity: 2 }, { nameFields: ['title'] }, { nameFields: 'artist' as unknown as string[] }]) {
    assert.throws(() => new FuzzyNames(index, bad), (e: QuiverError) => e.code === 'OPTION_OUT_OF_RANGE' || e.code === 'OPTION_UNKNOWN');
  }
});
