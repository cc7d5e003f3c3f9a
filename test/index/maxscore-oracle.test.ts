// Property test: exact top-k with dynamic pruning equals a brute-force BM25F scan, through adds, replaces,
// removes and compactions, for random options, queries, filters and k.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Entity } from '../../src/catalog/entity.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { bruteForceSearch } from '../helpers/brute-force-bm25f.js';

const WORDS = ['love', 'loving', 'story', 'night', 'swift', 'taylor', 'rock', 'the', 'blue', 'moon', 'dance', 'fire', 'rain', 'you', 'me', 'gold'];
const word = fc.constantFrom(...WORDS);
const text = fc.array(word, { minLength: 0, maxLength: 12 }).map((w) => w.join(' '));
const entityArb = (id: string) =>
  fc.record({
    type: fc.constantFrom('track', 'artist', 'album'),
    title: fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
    artist: text,
    album: fc.option(text, { nil: undefined }),
    popularity: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
    genre: fc.constantFrom('pop', 'rock', 'jazz'),
  }).map((r): Entity => ({
    id,
    type: r.type,
    title: r.title,
    fields: r.album === undefined ? { artist: r.artist } : { artist: r.artist, album: r.album },
    attributes: { genre: { [r.genre]: 0.8 } },
    popularity: r.popularity,
  }));

type Op = { kind: 'add' | 'remove' | 'compact'; n: number };

function checkAgainstOracle(index: SearchIndex, live: Map<string, Entity>, query: string, k: number, type?: string) {
  const got = index.search(query, { k, type });
  // The full ranking, so that a tie across the k-th place is seen as a tie.
  const want = bruteForceSearch(index, [...live.values()], query, Infinity, [], type);
  assert.equal(got.length, Math.min(k, want.length), `hit count for "${query}"`);
  for (let i = 0; i < got.length; i++) {
    const tol = 1e-9 * Math.max(1, Math.abs(want[i].score));
    assert.ok(Math.abs(got[i].score - want[i].score) <= tol, `score ${i} for "${query}": ${got[i].score} vs ${want[i].score}`);
    const tiedBefore = i > 0 && Math.abs(want[i - 1].score - want[i].score) <= tol;
    const tiedAfter = i + 1 < want.length && Math.abs(want[i + 1].score - want[i].score) <= tol;
    if (!tiedBefore && !tiedAfter) assert.equal(got[i].id, want[i].id, `rank ${i} for "${query}"`);
  }
  // A document's score must not depend on k: top-k is exactly a prefix of top-(k + 7).
  assert.deepEqual(index.search(query, { k: k + 7, type }).slice(0, got.length), got, `prefix property for "${query}"`);
  for (const hit of got.slice(0, 3)) {
    const explained = index.explain(query, hit.id).value;
    assert.ok(Math.abs(explained - hit.score) <= 1e-9 * Math.max(1, hit.score), 'explain agrees with the score');
  }
}

test('MaxScore top-k equals brute-force BM25F through updates', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 60 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => entityArb(`e${i}`)))),
      fc.array(fc.record({ kind: fc.constantFrom('add', 'remove', 'compact'), n: fc.nat(200) }) as fc.Arbitrary<Op>, { maxLength: 30 }),
      fc.array(fc.array(fc.constantFrom(...WORDS, 'zzz'), { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')), { minLength: 1, maxLength: 5 }),
      fc.record({
        k1: fc.double({ min: 0.1, max: 3, noNaN: true }),
        b: fc.double({ min: 0, max: 1, noNaN: true }),
        titleWeight: fc.double({ min: 0.5, max: 5, noNaN: true }),
        popularityWeight: fc.constantFrom(0, 0.5, 3),
        stem: fc.constantFrom('none', 'english' as const),
        artistAnalyzer: fc.constantFrom(undefined, { stem: 'none' as const }, { stem: 'english' as const, stopWords: 'english' as const }),
      }),
      fc.integer({ min: 1, max: 25 }),
      fc.option(fc.constantFrom('track', 'artist'), { nil: undefined }),
      (entities, ops, queries, o, k, type) => {
        const index = SearchIndex.build(entities, {
          k1: o.k1,
          popularityWeight: o.popularityWeight,
          analyzer: { stem: o.stem as 'none' | 'english' },
          defaultField: { b: o.b },
          fields: { title: { weight: o.titleWeight, b: o.b }, artist: { analyzer: o.artistAnalyzer } },
        });
        const live = new Map(entities.map((e) => [e.id, e]));
        let fresh = 0;
        for (const op of ops) {
          const ids = [...live.keys()];
          if (op.kind === 'compact') index.compact();
          else if (op.kind === 'remove' && ids.length > 0) {
            const id = ids[op.n % ids.length];
            index.remove(id);
            live.delete(id);
          } else if (op.kind === 'add') {
            // Half the adds replace an existing entity, half are new.
            const id = op.n % 2 === 0 && ids.length > 0 ? ids[op.n % ids.length] : `new${fresh++}`;
            const source = entities[op.n % entities.length];
            const entity = { ...source, id, title: `${source.title} ${WORDS[op.n % WORDS.length]}` };
            index.add(entity);
            live.set(id, entity);
          }
        }
        for (const q of queries) checkAgainstOracle(index, live, q, k, type);
      },
    ),
    { numRuns: 250, seed: 42 },
  );
});

test('filters restrict results exactly as the oracle does', () => {
  const entities: Entity[] = WORDS.map((w, i) => ({
    id: `t${i}`,
    type: i % 2 ? 'track' : 'album',
    title: `${w} ${WORDS[(i * 7) % WORDS.length]}`,
    attributes: { genre: i % 3 ? ({ pop: 0.3 + i / 40 } as Record<string, number>) : { rock: 1 }, tempo: 80 + i * 5 },
    popularity: i,
  }));
  const index = SearchIndex.build(entities, { popularityWeight: 1 });
  const filters = [{ name: 'genre', op: '=' as const, values: ['pop'], minWeight: 0.5 }, { name: 'tempo', op: '>=' as const, values: ['100'] }];
  const got = index.search('love story night moon', { k: 20, filters });
  const want = bruteForceSearch(index, entities, 'love story night moon', 20, filters);
  assert.deepEqual(got.map((h) => h.id), want.map((h) => h.id));
  assert.ok(got.length > 0);
});

test('block-max skipping stays exact on larger corpora while average lengths drift after compaction', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(1, 3, 10), (seed, k) => {
      // A Zipf-like vocabulary so head terms span dozens of blocks and ties abound.
      let state = seed;
      const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const zipfWord = () => WORDS[Math.min(WORDS.length - 1, Math.floor(WORDS.length * rand() ** 2.5))];
      const phrase = (max: number) => Array.from({ length: 1 + Math.floor(rand() * max) }, zipfWord).join(' ');
      const make = (id: string, titleMax: number): Entity => ({
        id, type: 'track', title: phrase(titleMax), fields: { artist: phrase(3), album: phrase(4) }, popularity: Math.floor(rand() * 100),
      });
      const entities = Array.from({ length: 1500 }, (_, i) => make(`e${i}`, 4));
      const index = SearchIndex.build(entities, { popularityWeight: rand() < 0.5 ? 0 : 1, fields: { title: { weight: 2 } } });
      const live = new Map(entities.map((e) => [e.id, e]));
      // Drift: long-titled additions raise the title average; removals of short ones too.
      for (let i = 0; i < 200; i++) {
        const e = make(`n${i}`, 12);
        index.add(e);
        live.set(e.id, e);
        const victim = `e${Math.floor(rand() * 1500)}`;
        index.remove(victim);
        live.delete(victim);
      }
      for (const q of ['love', 'the', 'love story', 'night moon the', 'you me gold fire', 'swift']) checkAgainstOracle(index, live, q, k);
    }),
    { numRuns: 12, seed: 7 },
  );
});

test('a field with its own analyser is scored as its own BM25F group', () => {
  const entities: Entity[] = [
    { id: 'a', type: 'track', title: 'Running Up That Hill', fields: { artist: 'Kate Bush' } },
    { id: 'b', type: 'track', title: 'Run', fields: { artist: 'The Running Men' } },
  ];
  const index = SearchIndex.build(entities, { fields: { artist: { analyzer: { stem: 'none' } } } });
  // Title is stemmed ("running" → "run"), artist is not: "running" matches both titles and b's artist, "run"
  // matches both titles only.
  assert.deepEqual(index.search('running', { k: 5 }).map((h) => h.id), ['b', 'a']);
  const explained = JSON.stringify(index.explain('running', 'b'));
  assert.match(explained, /weight\(run\)/);
  assert.match(explained, /weight\(running\)/);
  assert.throws(() => SearchIndex.build([], { fields: { artist: { analyzer: { stem: 'porter' as never } } } }), /fields.artist.analyzer.stem/);
});
