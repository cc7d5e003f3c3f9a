// Live catalogue changes through the Engine, over a sample of the demo catalogue of its own: an upserted entity is found at once (lexical and fuzzy), an update changes
// what is found, a delete takes an entity out of every strategy's results and out of the relations that named it
// (checked against a brute-force scan), and a bad batch is refused whole, naming the field, with the index untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Entity } from '../../src/catalog/entity.js';
import { Engine } from '../../src/engine/engine.js';
import type { QuiverError } from '../../src/errors.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { createStrategies } from '../../src/retrieval/registry.js';
import { DEMO_TIME } from '../helpers/demo-index.js';
import { refusal } from '../helpers/refusal.js';
import { sampleIndex } from '../helpers/sample-index.js';

const index = sampleIndex();
const context = { user: 'fan', time: DEMO_TIME };
let n = 0;
const engine = new Engine(index, { policy: 'always-all', ranker: 'heuristic', retrainEvery: 0, requestId: () => `r${++n}`, now: () => Date.parse(DEMO_TIME) });
const strategies = createStrategies(engine.resources);

/** The strategies whose provenance a result carries for this query (all of them run: always-all). */
function foundBy(query: string, id: string): string[] {
  const result = engine.search({ query, context, k: 1000 }).results.find((r) => r.id === id);
  return result ? result.provenance.map((p) => p.strategy).sort() : [];
}

/** Which strategies return `id` for `query`, asked one by one at a generous budget. */
function strategiesReturning(query: string, id: string): string[] {
  const q = createQueryContext(query, { context });
  return [...strategies].filter(([, s]) => s.retrieve(q, 200).some((c) => c.id === id)).map(([name]) => name);
}

const quokka = { id: 't:quokka', type: 'track', title: 'Quokka Lullaby', fields: { artist: 'Zephyrine Okonkwo' }, attributes: { genre: { pop: 1 } }, popularity: 0.6, released: '2020-01-20' };

test('an upserted entity is found at once, by lexical and fuzzy; an update changes what is found', () => {
  assert.deepEqual(foundBy('quokka lullaby', quokka.id), []);
  assert.deepEqual(engine.upsertEntities([quokka]), { created: 1, updated: 0 });
  assert.ok(foundBy('quokka lullaby', quokka.id).includes('lexical'));
  assert.ok(foundBy('quoka lulaby', quokka.id).includes('fuzzy'), 'a misspelling finds it through the fuzzy strategy');
  assert.deepEqual(engine.upsertEntities([{ ...quokka, title: 'Wombat Serenade' }]), { created: 0, updated: 1 });
  assert.equal(index.get(quokka.id)!.title, 'Wombat Serenade');
  assert.ok(foundBy('wombat serenade', quokka.id).includes('lexical'));
  assert.ok(!foundBy('quokka lullaby', quokka.id).includes('lexical'), 'the old title no longer matches');
});

test('a batch may relate its entities to each other and to the catalogue', () => {
  const artist = [...index.entities].find((e) => e?.type === 'artist')!;
  const result = engine.upsertEntities([
    { id: 'al:new', type: 'album', title: 'Brand New Album', relations: { artist: [artist.id], tracks: ['t:new1', 't:new2'] } },
    { id: 't:new1', type: 'track', title: 'First New Song', relations: { album: ['al:new'] } },
    { id: 't:new2', type: 'track', title: 'Second New Song', relations: { album: ['al:new'] } },
  ]);
  assert.deepEqual(result, { created: 3, updated: 0 });
  assert.ok(index.has('t:new2'));
});

test('a delete takes the entity out of every strategy and out of the relations that named it', () => {
  // The artist with the most entities naming it; engagement makes memory and the profile-based strategies know it.
  const namedBy = new Map<string, number>();
  for (const e of index.entities) for (const targets of Object.values(e?.relations ?? {})) for (const t of targets) if (t.startsWith('a:')) namedBy.set(t, (namedBy.get(t) ?? 0) + 1);
  const [artistId] = [...namedBy].sort((a, b) => b[1] - a[1])[0];
  const artist = index.get(artistId)!;
  for (let i = 0; i < 3; i++) {
    const r = engine.search({ query: artist.title, context, k: 1000 });
    const at = r.results.findIndex((x) => x.id === artistId);
    assert.ok(at >= 0, `"${artist.title}" finds the artist`);
    engine.feedback([{ requestId: r.requestId, entityId: artistId, type: 'play', value: 120, position: at + 1 }]);
  }
  engine.flush();
  const before = strategiesReturning(artist.title, artistId);
  for (const name of ['lexical', 'fuzzy', 'memory', 'related', 'personalised']) assert.ok(before.includes(name), `${name} returns the artist before the delete (${before})`);
  assert.ok(before.length >= strategies.size - 1, `nearly every strategy returns it before the delete (${before})`);
  const referrers = index.entities.filter((e): e is Entity => !!e && e.id !== artistId && Object.values(e.relations ?? {}).some((t) => t.includes(artistId)));
  assert.ok(referrers.length > 0);

  assert.deepEqual(engine.deleteEntity(artistId), { deleted: true, unlinked: referrers.length });
  assert.ok(!index.has(artistId));
  assert.deepEqual(strategiesReturning(artist.title, artistId), []);
  assert.deepEqual(foundBy(artist.title, artistId), []);
  for (const { id } of referrers) {
    const now = index.get(id)!;
    assert.ok(!Object.values(now.relations ?? {}).some((t) => t.includes(artistId)), `${id} no longer names the artist`);
  }
  const dangling = index.entities.filter((e) => e && Object.values(e.relations ?? {}).some((t) => t.some((x) => !index.has(x))));
  assert.deepEqual(dangling, [], 'every relation still names an entity in the catalogue');
  assert.deepEqual(engine.deleteEntity(artistId), { deleted: false, unlinked: 0 });
  // Re-adding under the same id is an ordinary create.
  assert.deepEqual(engine.upsertEntities([artist]), { created: 1, updated: 0 });
  assert.ok(foundBy(artist.title, artistId).includes('lexical'));
});

test('a bad batch is refused whole, naming the row and field, and the index is untouched', () => {
  const size = index.size;
  const fresh = { id: 't:fresh', type: 'track', title: 'Fresh Song' };
  const refused = (rows: unknown, message: RegExp) => {
    const err = refusal(() => engine.upsertEntities(rows as unknown[])) as QuiverError & { issues: Array<{ field: string; message: string }> };
    assert.equal(err.code, 'ENTITIES_INVALID');
    assert.match(err.message, message);
    assert.ok(err.issues.length > 0 && err.issues.every((i) => typeof i.field === 'string' && typeof i.message === 'string'));
    assert.equal(index.size, size);
    assert.ok(!index.has('t:fresh'), 'the valid row of a refused batch is not written');
    return err;
  };
  refused([fresh, { ...fresh, id: 't:bad', popularity: -1 }], /entities\[1\]\.popularity must be a number ≥ 0/);
  refused([fresh, { id: 't:x', type: 'track' }], /entities\[1\]\.title is required/);
  refused([fresh, fresh], /entities\[1\]\.id repeats "t:fresh" \(also at entities\[0\]\)/);
  refused([{ ...fresh, relations: { artist: ['a:nobody'] } }], /entities\[0\]\.relations\.artist names entity "a:nobody", which is neither in the catalogue nor in this batch/);
  refused([fresh, 'text'], /entities\[1\] must be a JSON object/);
  refused([{ ...fresh, colour: 'red' }], /entities\[0\]\.colour is not a catalogue field/);
  refused({ entities: [fresh] }, /entities must be an array/);
  const many = refused([{ id: '', type: 'track', title: 'x' }, { id: 'y', type: 'track', title: 'y', released: 'soon' }], /2 problems/);
  assert.deepEqual(many.issues.map((i) => i.field), ['entities[0].id', 'entities[1].released']);
  // Updating an entity with a bad row leaves the old version in place.
  const existing = index.get(quokka.id)!;
  refused([{ ...existing, popularity: 'high' }], /entities\[0\]\.popularity/);
  assert.equal(index.get(quokka.id), existing);
});
