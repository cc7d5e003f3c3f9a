// The related strategy and entity graph: catalogue expansion, co-engagement learnt from sessions, the seed
// rule, the seed hook, exact scores against brute-force path enumeration, and saved state.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Entity } from '../../src/catalog/entity.js';
import type { QuiverError } from '../../src/errors.js';
import { SearchIndex } from '../../src/index/search-index.js';
import { createQueryContext } from '../../src/query/query-context.js';
import { EntityGraph } from '../../src/retrieval/entity-graph.js';
import { RelatedStrategy } from '../../src/retrieval/related.js';
import { RetrievalResources } from '../../src/retrieval/resources.js';
import { mulberry32 } from '../../src/util/random.js';
import { DEMO_TIME, demoIndex, feedback } from '../helpers/demo-index.js';

const index = demoIndex();
const q = (text: string, user?: string) => createQueryContext(text, { context: { time: DEMO_TIME, user } });
const NOW = Date.parse(DEMO_TIME);

describe('related strategy', () => {
  test('"taylor swift" brings her tracks and related artists', () => {
    const related = new RelatedStrategy(new RetrievalResources(index));
    const got = related.retrieve(q('taylor swift'), 60).map((c) => index.get(c.id)!);
    const tracks = got.filter((e) => e.relations?.artist?.includes('a:taylor-swift'));
    assert.ok(tracks.length >= 10, `${tracks.length} of her tracks`);
    const relatedArtists = new Set(index.get('a:taylor-swift')!.relations!.related);
    assert.ok(got.filter((e) => relatedArtists.has(e.id)).length >= 3);
  });

  test('a seed is returned only when another seed leads to it', () => {
    const one = new RelatedStrategy(new RetrievalResources(index), { seeds: 1 });
    const seed = index.search('taylor swift', { k: 1 })[0].id;
    assert.ok(!one.retrieve(q('taylor swift'), 200).some((c) => c.id === seed));
    assert.equal(one.explain(q('taylor swift'), seed).value, 0);
  });

  test('the seed hook adds seeds; a bad hook seed is refused', () => {
    const hooked = new RelatedStrategy(new RetrievalResources(index), { seedHook: () => [{ id: 'a:queen', score: 1 }] });
    assert.ok(hooked.retrieve(q('zzzz-no-match'), 20).some((c) => index.get(c.id)!.relations?.artist?.includes('a:queen')));
    const bad = new RelatedStrategy(new RetrievalResources(index), { seedHook: () => [{ id: 'a:queen', score: 2 }] });
    assert.throws(() => bad.retrieve(q('x'), 5), (e: QuiverError) => e.code === 'QUERY_BAD_CONTEXT');
  });

  test('co-engagement edges form within a session of one user, not across users or sessions', () => {
    const resources = new RetrievalResources(index);
    const graph = EntityGraph.shared(resources);
    const related = new RelatedStrategy(resources);
    const query = q('bohemian rhapsody 2011 mix');
    const [a, b, c, d] = ['t:4u7EnebtmKWzUH433cf5Qv', 't:1u8c2t2Cy7UBoG4ArRcF5g', 't:0W4NhJhcqKCqEP2GIpDCDq', 't:5tyznRXlcIx0XlQ7S8iCMW'];
    assert.equal(related.explain(query, b).value, 0);
    resources.learn(feedback('x', a, 'play', '2020-01-30T10:00:00Z', 'u1'));
    resources.learn(feedback('y', b, 'click', '2020-01-30T10:10:00Z', 'u1'));
    resources.learn(feedback('z', c, 'click', '2020-01-30T10:11:00Z', 'u2'));
    resources.learn(feedback('w', d, 'click', '2020-01-30T12:00:00Z', 'u1'));
    const co = (from: string, to: string) => graph.neighbours(from, NOW).find((e) => e.id === to)?.coEngagement ?? 0;
    assert.ok(co(a, b) > 0 && co(b, a) > 0 && Math.abs(co(a, b) - co(b, a)) < 1e-15);
    assert.equal(co(a, c), 0);
    assert.equal(co(b, d), 0);
    assert.equal(related.seedsOf(query)[0].id, a);
    assert.ok(related.explain(query, b).value > 0, 'the co-engaged track is now related to the seed');
  });

  test('a skip takes back the links its engagement made, and no more', () => {
    const resources = new RetrievalResources(index);
    const graph = EntityGraph.shared(resources);
    const [a, b, c, d, e] = ['t:4u7EnebtmKWzUH433cf5Qv', 't:1u8c2t2Cy7UBoG4ArRcF5g', 't:0W4NhJhcqKCqEP2GIpDCDq', 't:5tyznRXlcIx0XlQ7S8iCMW', 'a:queen'];
    const co = (from: string, to: string) => graph.neighbours(from, NOW).find((n) => n.id === to)?.coEngagement ?? 0;
    // A stray click taken back: b links to nothing, before or after.
    resources.learn(feedback('x', a, 'play', '2020-01-30T10:00:00Z', 'u1'));
    resources.learn(feedback('x', b, 'click', '2020-01-30T10:01:00Z', 'u1'));
    assert.ok(co(a, b) > 0);
    resources.learn(feedback('x', b, 'skip', '2020-01-30T10:01:05Z', 'u1'));
    assert.equal(co(a, b), 0);
    assert.equal(co(b, a), 0);
    resources.learn(feedback('y', c, 'click', '2020-01-30T10:02:00Z', 'u1'));
    assert.ok(co(a, c) > 0);
    assert.equal(co(b, c), 0);
    assert.equal(graph.coEdges, 2, 'a ↔ c only');
    // A like (2) linked to a click (1) by min(2, 1): one skip leaves the link whole, a second takes it.
    resources.learn(feedback('z', d, 'like', '2020-01-30T11:00:00Z', 'u2'));
    resources.learn(feedback('z', e, 'click', '2020-01-30T11:01:00Z', 'u2'));
    const linked = co(d, e);
    resources.learn(feedback('z', d, 'skip', '2020-01-30T11:02:00Z', 'u2'));
    assert.ok(Math.abs(co(d, e) - linked) < 1e-12);
    resources.learn(feedback('z', d, 'skip', '2020-01-30T11:03:00Z', 'u2'));
    assert.equal(co(d, e), 0);
    // Skips of what the user never engaged with, or by nobody, change nothing.
    const edges = graph.coEdges;
    resources.learn(feedback('w', c, 'skip', '2020-01-30T10:03:00Z', 'u2'));
    resources.learn(feedback('w', a, 'skip', '2020-01-30T10:03:00Z'));
    assert.equal(graph.coEdges, edges);
    assert.ok(co(a, c) > 0);
  });

  test('sessions of users who do not come back are forgotten a day past their window; a saved state does not depend on when', () => {
    const [a, b] = ['t:4u7EnebtmKWzUH433cf5Qv', 't:1u8c2t2Cy7UBoG4ArRcF5g'];
    const at = (hours: number) => new Date(Date.parse('2020-01-01T00:00:00Z') + hours * 3_600_000).toISOString();
    const click = (user: string, id: string, hours: number) => feedback('q', id, 'click', at(hours), user);
    // 3,000 users at hour 0; a late user's first click at hour 0 too.
    const early = [...Array.from({ length: 3000 }, (_, i) => click(`early${i}`, a, 0)), click('late', a, 0)];
    // 1,100 users at hour 20 (the 4,096th event sweeps, inside everyone's slack), then 4,092 at hour 50.
    const mid = Array.from({ length: 1100 }, (_, i) => click(`mid${i}`, b, 20));
    const later = Array.from({ length: 4092 }, (_, i) => click(`later${i}`, b, 50));
    const whole = new EntityGraph(index);
    for (const e of [...early, ...mid]) whole.learn(e);
    assert.equal(whole.openSessions, 4101, 'the sweep at hour 20 kept the hour-0 sessions: they are inside the day');
    const restored = EntityGraph.fromJSON(index, JSON.parse(JSON.stringify(whole.toJSON())));
    // The late user's second click, made 10 minutes after the first, arrives after that sweep: it finds the session.
    whole.learn(click('late', b, 1 / 6));
    restored.learn(click('late', b, 1 / 6));
    assert.ok(whole.neighbours(a, NOW).some((n) => n.id === b && n.coEngagement > 0));
    for (const e of later) {
      whole.learn(e);
      restored.learn(e);
    }
    // The next sweep, 4,096 events on at hour 50, forgot every session last used before hour 50 − 30 min − 24 h;
    // the restored graph counts from its restore and has not swept yet, but saves the same state.
    assert.equal(whole.openSessions, 4092);
    assert.equal(restored.openSessions, 3001 + 1100 + 4092);
    assert.deepEqual(restored.toJSON(), whole.toJSON());
    assert.equal((whole.toJSON().sessions as unknown[]).length, 4092);
    assert.throws(() => EntityGraph.fromJSON(index, { ...whole.toJSON(), newest: 'soon' }), (e: QuiverError) => e.code === 'LEARNER_STATE_INVALID' && /newest/.test(e.message));
  });

  test('scores equal a brute-force sum over paths (random graphs)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const rand = mulberry32(seed);
      const n = 30;
      const entities: Entity[] = Array.from({ length: n }, (_, i) => ({ id: `e${i}`, type: i % 3 === 0 ? 'artist' : 'track', title: `word${i % 4} title${i}`, popularity: rand() }));
      for (const e of entities) {
        const targets = new Set(Array.from({ length: 3 }, () => `e${Math.floor(rand() * n)}`));
        targets.delete(e.id);
        e.relations = { [['artist', 'tracks', 'related', 'other'][Math.floor(rand() * 4)]]: [...targets] };
      }
      const small = SearchIndex.build(entities);
      const related = new RelatedStrategy(new RetrievalResources(small), { seeds: 3, hops: 2, frontier: 1000 });
      const query = createQueryContext('word1', { context: { time: DEMO_TIME } });
      const expected = new Map<string, number>();
      for (const s of related.seedsOf(query)) {
        for (const e1 of related.graph.neighbours(s.id, NOW)) {
          if (e1.id === s.id) continue;
          expected.set(e1.id, (expected.get(e1.id) ?? 0) + s.score * e1.weight);
          for (const e2 of related.graph.neighbours(e1.id, NOW)) {
            if (e2.id !== s.id) expected.set(e2.id, (expected.get(e2.id) ?? 0) + s.score * e1.weight * e2.weight * 0.5);
          }
        }
      }
      const got = related.retrieve(query, 1000);
      assert.equal(got.length, [...expected.values()].filter((v) => v > 0).length);
      for (const c of got) assert.ok(Math.abs(c.score - expected.get(c.id)!) <= 1e-12, `${c.id}: ${c.score} vs ${expected.get(c.id)}`);
    }
  });

  test('graph state round-trips; a wrong version is refused', () => {
    const resources = new RetrievalResources(index);
    const graph = EntityGraph.shared(resources);
    resources.learn(feedback('x', 't:4u7EnebtmKWzUH433cf5Qv', 'play', '2020-01-30T10:00:00Z', 'u1'));
    resources.learn(feedback('y', 't:1u8c2t2Cy7UBoG4ArRcF5g', 'click', '2020-01-30T10:10:00Z', 'u1'));
    const saved = JSON.parse(JSON.stringify(graph));
    const copy = EntityGraph.fromJSON(index, saved);
    assert.deepEqual(copy.neighbours('t:4u7EnebtmKWzUH433cf5Qv', NOW), graph.neighbours('t:4u7EnebtmKWzUH433cf5Qv', NOW));
    assert.deepEqual(copy.toJSON(), graph.toJSON());
    assert.throws(() => copy.restore({ ...saved, version: 0 }), (e: QuiverError) => e.code === 'LEARNER_STATE_VERSION');
    assert.throws(() => copy.restore({ ...saved, format: 'quiver.memory-index' }), (e: QuiverError) => e.code === 'LEARNER_STATE_INVALID');
  });
});
