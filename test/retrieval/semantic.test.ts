// The semantic strategy: the shared conformance suite (exact scan over the demo catalogue, HNSW over a sample of
// it), topical queries against the demo's mood and genre labels, and vectors that follow index changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Entity } from '../../src/catalog/entity.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { demoCatalogPath } from '../../src/demo.js';
import { QuiverError } from '../../src/errors.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { createStrategies } from '../../src/retrieval/registry.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { semanticPool, SemanticStrategy } from '../../src/retrieval/semantic.js';
import { LsaEmbedder } from '../../src/semantic/lsa-embedder.js';
import { strategyConformance } from './conformance.js';

const entities = loadCatalog(demoCatalogPath()).entities;
const index = SearchIndex.build(entities, { popularityWeight: 1 });
const queries = ['love', 'taylor swift', 'chill workout songs', 'queen bohemian rhapsody', 'zzzz-no-match'];
const options = { context: { time: '2020-02-01T00:00:00Z' } };
// Trained once and handed to every instance; each instance still embeds and indexes on its own resources.
const embedder = LsaEmbedder.train(entities, {}, index.analyzer);

strategyConformance({ make: () => new SemanticStrategy(new RetrievalResources(index), { embedder, exactBelow: 1e9 }), index, queries, options });

const sample = SearchIndex.build(entities.filter((_, i) => i % 8 === 0), { popularityWeight: 1 });
strategyConformance({ make: () => new SemanticStrategy(new RetrievalResources(sample), { embedder, exactBelow: 0, name: 'semantic-hnsw' }), index: sample, queries, options });

const weight = (e: Entity, attribute: string, value: string) => (e.attributes?.[attribute] as Record<string, number> | undefined)?.[value] ?? 0;

test('topical queries retrieve tracks with the matching mood or genre far above chance', () => {
  const strategy = new SemanticStrategy(new RetrievalResources(index), { embedder, exactBelow: 1e9 });
  const tracks = entities.filter((e) => e.type === 'track');
  const cases: Array<[string, (e: Entity) => boolean]> = [
    ['sad love songs', (e) => weight(e, 'mood', 'sad') > 0],
    ['chill songs', (e) => weight(e, 'mood', 'chill') > 0],
    ['latin dance', (e) => weight(e, 'genre', 'latin') > 0],
    ['reggaeton', (e) => weight(e, 'subgenre', 'reggaeton') > 0],
    ['happy dance music', (e) => weight(e, 'mood', 'happy') > 0 && weight(e, 'mood', 'danceable') > 0],
  ];
  for (const [text, relevant] of cases) {
    const chance = tracks.filter(relevant).length / tracks.length;
    const got = strategy.retrieve(createQueryContext(text, { ...options, types: ['track'] }), 50);
    assert.equal(got.length, 50);
    const precision = got.filter((c) => relevant(index.get(c.id)!)).length / got.length;
    // At least 1.8× chance and 0.3 above it (chance ranges from 3% to 48%).
    assert.ok(precision >= Math.max(1.8 * chance, chance + 0.3), `"${text}": precision@50 ${precision} vs chance ${chance.toFixed(3)}`);
  }
});

test('is registered as "semantic" and builds its vectors once per resources', () => {
  const resources = new RetrievalResources(sample);
  const strategy = createStrategies(resources, ['semantic']).get('semantic')!;
  assert.equal(strategy.kind, 'semantic');
  assert.equal(resources.built('semantic'), false, 'nothing is built before the first query');
  strategy.retrieve(createQueryContext('love', options), 5);
  assert.ok(resources.built('semantic'));
});

for (const exactBelow of [1e9, 0]) {
  test(`vectors follow adds, replaces and removes (${exactBelow === 0 ? 'HNSW' : 'exact'})`, () => {
    const own = SearchIndex.build(entities.filter((_, i) => i % 20 === 0));
    const strategy = new SemanticStrategy(new RetrievalResources(own), { embedder, exactBelow });
    const q = createQueryContext('sad love songs', options);
    const first = strategy.retrieve(q, 10);
    const original = own.get(first[0].id)!;
    // A copy under a new id (folded into the model, which never saw it) lands next to the original.
    own.add({ ...original, id: 'copy:1' });
    const copy = strategy.retrieve(q, 10).find((c) => c.id === 'copy:1');
    assert.ok(copy);
    assert.equal(copy.score, strategy.explain(q, 'copy:1').value);
    // Replaced by something unrelated, it drops out; removed, it is gone for good.
    own.add({ id: 'copy:1', type: 'track', title: 'qqqqxxyy' });
    assert.ok(!strategy.retrieve(q, 50).some((c) => c.id === 'copy:1'));
    own.add({ ...original, id: 'copy:1' });
    assert.ok(strategy.retrieve(q, 10).some((c) => c.id === 'copy:1'));
    own.remove('copy:1');
    assert.ok(!strategy.retrieve(q, 50).some((c) => c.id === 'copy:1'));
    assert.deepEqual(strategy.retrieve(q, 10), first);
  });
}

test('explains with the model and the query words it knows; 0 for entities it cannot place', () => {
  const strategy = new SemanticStrategy(new RetrievalResources(sample), { embedder });
  const q = createQueryContext('sad love songs', options);
  const [top] = strategy.retrieve(q, 1);
  const explained = strategy.explain(q, top.id);
  assert.equal(explained.value, top.score);
  assert.ok(explained.details.some((d) => d.description.includes('"sad"')));
  assert.equal(strategy.explain(createQueryContext('qqqqxxyy', options), top.id).value, 0);
  assert.equal(strategy.explain(createQueryContext('sad', { ...options, types: ['nothing'] }), top.id).value, 0);
});

test('the pool is fixed for budgets up to 100, then doubles', () => {
  assert.deepEqual([0, 1, 50, 100, 101, 200, 201, 1000].map(semanticPool), [100, 100, 100, 100, 200, 200, 400, 1600]);
});

// User taste: the semantic strategy after one user engaged with some rock tracks.
const rock = entities.filter((e) => e.type === 'track' && weight(e, 'genre', 'rock') === 1).slice(0, 12);
function withTaste(name: string) {
  return () => {
    const resources = new RetrievalResources(index);
    const strategy = new SemanticStrategy(resources, { embedder, exactBelow: 1e9, name });
    rock.forEach((e, i) => resources.learn({ query: 'rock', entityId: e.id, type: 'play', value: 200, time: new Date(Date.UTC(2020, 0, 20, 10, i)), user: 'rocker' }));
    return strategy;
  };
}
const asRocker = { context: { time: '2020-02-01T00:00:00Z', user: 'rocker' } };
strategyConformance({ make: withTaste('semantic (user taste)'), index, queries: [...queries, '', 'play something'], options: asRocker });

test('a user\'s taste embedding answers a query the model does not know, and tilts one it does', () => {
  const strategy = withTaste('taste')();
  const vague = strategy.retrieve(createQueryContext('qzxv', asRocker), 50).map((c) => index.get(c.id)!);
  assert.ok(vague.length === 50);
  const rockShare = vague.filter((e) => weight(e, 'genre', 'rock') > 0).length / vague.length;
  assert.ok(rockShare > 0.8, `rock share ${rockShare}`);
  // Nobody else gets anything for it.
  assert.deepEqual(strategy.retrieve(createQueryContext('qzxv', { context: { time: '2020-02-01T00:00:00Z', user: 'stranger' } }), 10), []);
  const share = (user?: string) => {
    const got = strategy.retrieve(createQueryContext('love songs', { context: { time: '2020-02-01T00:00:00Z', user } }), 50).map((c) => index.get(c.id)!);
    return got.filter((e) => weight(e, 'genre', 'rock') > 0).length / got.length;
  };
  assert.ok(share('rocker') > share(undefined), `${share('rocker')} vs ${share(undefined)}`);
  const explained = strategy.explain(createQueryContext('qzxv', asRocker), vague[0].id);
  assert.ok(JSON.stringify(explained).includes('taste of user \\"rocker\\" alone'));
});

test('taste state round-trips, and a wrong version or shape is refused', () => {
  const strategy = withTaste('taste')();
  const state = JSON.parse(JSON.stringify(strategy.tastes().toJSON()));
  const copy = new SemanticStrategy(new RetrievalResources(index), { embedder, exactBelow: 1e9 });
  copy.tastes().restore(state);
  const q = createQueryContext('qzxv', asRocker);
  assert.deepEqual(copy.retrieve(q, 20), strategy.retrieve(q, 20));
  assert.throws(() => copy.tastes().restore({ ...state, version: 7 }), (e: QuiverError) => e.code === 'LEARNER_STATE_VERSION');
  assert.throws(() => copy.tastes().restore({ ...state, users: [['u', [1, 2], 0, 1]] }), (e: QuiverError) => e.code === 'LEARNER_STATE_INVALID' && e.message.includes('users[0]'));
});
