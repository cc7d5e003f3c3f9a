// The fuzzy strategy and the speller on the demo catalogue: typo'd names find their entities.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalog } from '../../src/catalog/load.js';
import { demoCatalogPath } from '../../src/demo.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { Speller, spellerOf } from '../../src/index/speller.js';
import { createQueryContext, type QueryOptions } from '../../src/query/query-context.js';
import { createFuzzyStrategy } from '../../src/retrieval/fuzzy.js';
import { createStrategies } from '../../src/retrieval/registry.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';

const index = SearchIndex.build(loadCatalog(demoCatalogPath()).entities, { popularityWeight: 1 });
const resources = new RetrievalResources(index);
const fuzzy = createFuzzyStrategy(resources);
const top = (text: string, k = 20, options: QueryOptions = {}) => fuzzy.retrieve(createQueryContext(text, options), k).map((c) => c.id);

test('"tayler swift" finds the artist first and her tracks in the top 20', () => {
  const ids = top('tayler swift');
  assert.equal(ids[0], 'a:taylor-swift');
  const tracks = ids.filter((id) => index.get(id)!.type === 'track' && index.get(id)!.fields?.artist === 'Taylor Swift');
  assert.ok(tracks.length >= 5, `${tracks.length} Taylor Swift tracks`);
});

test('"beyonse" finds Beyoncé; an exact name still comes first', () => {
  assert.equal(top('beyonse')[0], 'a:beyonce');
  assert.equal(top('beyoncé')[0], 'a:beyonce');
  assert.equal(top('taylor swift')[0], 'a:taylor-swift');
});

test('"bohemian rapsody" finds the Queen track, with or without the artist', () => {
  for (const q of ['bohemian rapsody', 'bohemian rapsody queen']) {
    const first = index.get(top(q)[0])!;
    assert.equal(first.type, 'track');
    assert.match(first.title, /^Bohemian Rhapsody/);
    assert.equal(first.fields?.artist, 'Queen');
  }
});

test('"ed sheren shape of you" finds the track (artist span + title span)', () => {
  const ids = top('ed sheren shape of you', 3);
  assert.ok(ids.includes('t:0FE9t6xYkqWXU2ahLh6D8X'), ids.join(', '));
  const explained = fuzzy.explain(createQueryContext('ed sheren shape of you'), 't:0FE9t6xYkqWXU2ahLh6D8X');
  assert.deepEqual(
    explained.details.slice(0, 2).map((d) => d.description.split(' for ')[0]),
    ['title name "shape of you"', 'artist name "ed sheeran"'],
  );
});

test('honours types, and is registered as "fuzzy"', () => {
  for (const id of top('tayler swift', 20, { types: ['track'] })) assert.equal(index.get(id)!.type, 'track');
  const strategies = createStrategies(resources, ['fuzzy']);
  assert.equal(strategies.get('fuzzy')!.kind, 'fuzzy');
  assert.deepEqual(strategies.get('fuzzy')!.retrieve(createQueryContext('beyonse'), 5), fuzzy.retrieve(createQueryContext('beyonse'), 5));
});

test('finds entities added after it was built, and forgets removed ones', () => {
  const local = SearchIndex.build([{ id: 'a:1', type: 'artist', title: 'Adele' }]);
  const strategy = createFuzzyStrategy(new RetrievalResources(local));
  assert.deepEqual(strategy.retrieve(createQueryContext('rihana'), 5), []);
  local.add({ id: 'a:2', type: 'artist', title: 'Rihanna' });
  assert.deepEqual(strategy.retrieve(createQueryContext('rihana'), 5).map((c) => c.id), ['a:2']);
  local.remove('a:2');
  assert.deepEqual(strategy.retrieve(createQueryContext('rihana'), 5), []);
});

test('the speller corrects a word to index terms, fewest edits then most documents', () => {
  const speller = spellerOf(resources);
  const rhapsody = speller.correct('rapsody').find((c) => c.term === 'rhapsodi'); // English stemming
  assert.deepEqual(rhapsody && { distance: rhapsody.distance, df: rhapsody.df > 0 }, { distance: 1, df: true });
  assert.equal(speller.correct('tayler')[0].term, 'taylor');
  const unstemmed = SearchIndex.build([{ id: 't:1', type: 'track', title: 'Bohemian Rhapsody' }], { analyzer: { stem: 'none' } });
  const plain = new Speller(unstemmed);
  assert.deepEqual(plain.correct('rapsody'), [{ term: 'rhapsody', distance: 1, df: 1 }]);
  unstemmed.add({ id: 't:2', type: 'track', title: 'Rhapsody in Blue' });
  assert.deepEqual(plain.correct('rapsody'), [{ term: 'rhapsody', distance: 1, df: 2 }]);
  assert.deepEqual(plain.correct('two words'), []);
});
