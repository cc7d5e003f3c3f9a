import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeWeights, type Entity } from '../../src/catalog/entity.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { demoCatalogPath } from '../../src/demo.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { StructuredStrategy } from '../../src/retrieval/structured.js';

const index = SearchIndex.build(loadCatalog(demoCatalogPath()).entities, { popularityWeight: 1 });
const structured = new StructuredStrategy(new RetrievalResources(index));
const top = (text: string, k = 10) => structured.retrieve(createQueryContext(text, { context: { time: '2020-02-01T00:00:00Z' } }), k).map((c) => index.get(c.id)!);
const weight = (e: ReturnType<typeof top>[number], attribute: string, value: string) => attributeWeights(e.attributes?.[attribute] ?? {})[value] ?? 0;

test('"songs by X" returns X\'s tracks', () => {
  for (const e of top('songs by taylor swift')) {
    assert.equal(e.type, 'track');
    assert.equal(e.fields?.artist, 'Taylor Swift');
  }
});

test('an artist name finds the artist first, then their works', () => {
  const [first, ...rest] = top('queen');
  assert.equal(first.id, 'a:queen');
  assert.ok(rest.filter((e) => e.fields?.artist === 'Queen').length >= 5);
});

test('attribute slots become constraints, decade aliases included, weighted by the entity\'s weight', () => {
  for (const e of top('80s rock')) {
    assert.equal(e.attributes?.decade, '1980s');
    assert.ok(weight(e, 'genre', 'rock') > 0, e.id);
  }
  const chill = top('chill songs', 50);
  assert.ok(chill.every((e) => e.type === 'track' && weight(e, 'mood', 'chill') > 0));
  const meanTop = chill.slice(0, 10).reduce((a, e) => a + weight(e, 'mood', 'chill'), 0) / 10;
  assert.ok(meanTop > 0.8, `top chill weight ${meanTop}`);
});

test('a type word restricts; "new" with only a type asks for recent releases', () => {
  for (const e of top('rock playlists')) assert.equal(e.type, 'playlist');
  const fresh = top('new albums');
  assert.ok(fresh.length === 10);
  for (const e of fresh) {
    assert.equal(e.type, 'album');
    // Query understanding also reads "new" as a title word (albums called "New"), at a lower probability.
    assert.ok(e.released! >= '2019-02-01' || /^new\b/i.test(e.title), `${e.id} released ${e.released}`);
  }
  assert.ok(fresh.filter((e) => e.released! >= '2020-01-01').length >= 8);
});

test('"new" recency halves every 7 days, or over the span of the 50 newest releases of the type if longer', () => {
  const time = '2020-02-01T00:00:00Z';
  const now = Date.parse(time);
  const day = 86_400_000;
  // Oracle: the 50th newest album released by the request time, by brute force over the catalogue.
  const albums = index.entities.filter((e) => e?.type === 'album' && e.released && Date.parse(e.released) <= now).map((e) => Date.parse(e!.released!)).sort((a, b) => b - a);
  const halfLife = Math.max(7 * day, now - albums[49]);
  assert.ok(halfLife > 7 * day, 'the demo catalogue releases fewer than 50 albums a week');
  const query = createQueryContext('new albums', { context: { time } });
  let checked = 0;
  for (const c of structured.retrieve(query, 100)) {
    const entity = index.get(c.id)!;
    const age = now - Date.parse(entity.released!);
    if (age >= 365 * day) continue;
    const readings = structured.explain(query, c.id).details.slice(1);
    const factor = readings.flatMap((r) => r.details[1].details).find((d) => d.description.startsWith('"new": recency'))!;
    assert.ok(Math.abs(factor.value - Math.pow(0.5, age / halfLife)) < 1e-9, `${c.id}: ${factor.value} at ${age / day} days`);
    checked++;
  }
  assert.ok(checked >= 50);
  // With releases every day (a week's 50 albums), recency halves every 7 days.
  const weekly = SearchIndex.build(Array.from({ length: 60 }, (_, i) => ({ id: `al:${i}`, type: 'album', title: `Record ${i}`, released: new Date(now - (i * 7 * day) / 50).toISOString().slice(0, 10) })), {});
  const recent = new StructuredStrategy(new RetrievalResources(weekly));
  const [first] = recent.retrieve(query, 60);
  const age = now - Date.parse(weekly.get(first.id)!.released!);
  const factor = recent.explain(query, first.id).details.slice(1).flatMap((r) => r.details[1].details).find((d) => d.description.startsWith('"new": recency'))!;
  assert.match(factor.description, /halving every 7 days/);
  assert.ok(Math.abs(factor.value - Math.pow(0.5, age / (7 * day))) < 1e-9);
});

test('a title with its artist finds the known item first', () => {
  const [first] = top('bohemian rhapsody queen');
  assert.match(first.title, /^Bohemian Rhapsody/);
  assert.equal(first.fields?.artist, 'Queen');
});

test('a word beside an artist picks the work whose names hold it: "blank taylor swift" is Blank Space', () => {
  const query = createQueryContext('blank taylor swift', { context: { time: '2020-02-01T00:00:00Z' } });
  const ranked = structured.retrieve(query, 10);
  assert.match(index.get(ranked[0].id)!.title, /^Blank Space/);
  // Her other works keep half of the reading's match: the free-word factor is in their explanation.
  const other = ranked.find((c) => index.get(c.id)!.fields?.artist === 'Taylor Swift' && !/blank/i.test(index.get(c.id)!.title))!;
  const factor = (id: string) => JSON.stringify(structured.explain(query, id)).match(/"value":([0-9.]+),"description":"free words \\"blank\\"/)?.[1];
  assert.equal(Number(factor(ranked[0].id)), 1);
  assert.equal(Number(factor(other.id)), 0.5);
  assert.equal(structured.explain(query, ranked[0].id).value, ranked[0].score);
  // Beside attributes only, free words are not weighed: of the readings of "80s rock anthems", only those with
  // a name slot ("rock" as a title) weigh "anthems".
  const attributes = createQueryContext('80s rock anthems', { context: { time: '2020-02-01T00:00:00Z' } });
  const [best] = structured.retrieve(attributes, 1);
  const readings = structured.explain(attributes, best.id).details.filter((d) => d.description.startsWith('reading'));
  assert.ok(readings.length >= 3);
  for (const r of readings) assert.equal(JSON.stringify(r).includes('free words'), /title=|artist=/.test(r.description), r.description);
});

test('explain names the readings and the slot weights', () => {
  const query = createQueryContext('80s rock', { context: { time: '2020-02-01T00:00:00Z' } });
  const [best] = structured.retrieve(query, 1);
  const explained = structured.explain(query, best.id);
  assert.equal(explained.value, best.score);
  const text = JSON.stringify(explained);
  assert.ok(text.includes('decade') && text.includes('1980s') && text.includes('probability of the reading'));
});

test('bucket ordering is a permutation in non-increasing bound order, each reported bound at least the true one', async () => {
  const fc = (await import('fast-check')).default;
  const { bucketByBound } = await import('../../src/retrieval/structured.js');
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 300 }), (values) => {
      const docs = values.map((_, i) => i * 3 + 1);
      const truth = new Map(docs.map((d, i) => [d, values[i]]));
      const { docs: out, bounds } = bucketByBound(docs, Float64Array.from(values));
      assert.deepEqual([...out].sort((a, b) => a - b), docs);
      for (let i = 0; i < out.length; i++) {
        assert.ok(bounds[i] >= truth.get(out[i])!);
        if (i > 0) assert.ok(bounds[i] <= bounds[i - 1]);
        // No doc is reported after one with a lower true bound by more than a bucket.
        if (i > 0) assert.ok(truth.get(out[i])! <= bounds[i - 1]);
      }
    }),
    { seed: 42, numRuns: 200 },
  );
});

test('posting intersection equals a brute-force join, weights multiplied', async () => {
  const fc = (await import('fast-check')).default;
  const { intersect } = await import('../../src/retrieval/structured.js');
  const posting = fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }).chain((docs) =>
    fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: docs.length, maxLength: docs.length }).map((weights) => {
      const sorted = [...docs].sort((a, b) => a - b);
      return { attribute: 'a', value: 'v', docs: sorted, weights };
    }),
  );
  fc.assert(
    fc.property(fc.array(posting, { minLength: 1, maxLength: 4 }), (postings) => {
      const got = intersect(postings);
      const expected = postings[0].docs.filter((d) => postings.every((p) => p.docs.includes(d)));
      assert.deepEqual(got.docs, expected);
      got.docs.forEach((d, i) => {
        const product = postings.reduce((w, p) => w * p.weights[p.docs.indexOf(d)], 1);
        assert.ok(Math.abs(got.weights[i] - product) <= 1e-12 * product);
      });
    }),
    { seed: 7, numRuns: 200 },
  );
});

test('a reading whose rarest slot is a one-entity tag beside a name does not break the walk (Last.fm: "a flock of seagulls")', () => {
  // Catalogues with thousands of tags have categories rarer than a name; the walk then intersects the postings
  // and match() checks the name. Against a brute-force match of every entity, nothing is lost.
  const entities: Entity[] = [
    { id: 'a:flock', type: 'artist', title: 'A Flock of Seagulls', attributes: { genre: { 'new wave': 1 } }, popularity: 0.6 },
    { id: 'a:a', type: 'artist', title: 'A', attributes: { genre: { pop: 1 } }, popularity: 0.2 },
    { id: 'a:tagged', type: 'artist', title: 'Tagged', attributes: { genre: { a: 1, seagulls: 0.5 } }, popularity: 0.3 },
    ...Array.from({ length: 30 }, (_, i) => ({ id: `a:${i}`, type: 'artist', title: `Band ${i}`, attributes: { genre: { 'new wave': 0.5 } }, popularity: i / 40 })),
  ];
  const small = new StructuredStrategy(new RetrievalResources(SearchIndex.build(entities, {})));
  const all = entities.length;
  for (const text of ['a flock of seagulls', 'a seagulls', 'a new wave']) {
    const query = createQueryContext(text);
    const found = small.retrieve(query, all);
    assert.equal(new Set(found.map((c) => c.id)).size, found.length);
    for (const c of found) assert.equal(small.explain(query, c.id).value, c.score, `${text}: ${c.id}`);
    const matching = entities.filter((e) => small.explain(query, e.id).value > 0).map((e) => e.id).sort();
    assert.deepEqual(found.map((c) => c.id).sort(), matching, text);
  }
  assert.equal(small.retrieve(createQueryContext('a flock of seagulls'), 5)[0].id, 'a:flock');
});
