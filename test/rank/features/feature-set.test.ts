// quiver.features over the demo catalogue: names and vector agree, no NaN or Infinity over hundreds of queries,
// determinism, explain = compute, and each group's values against a naive oracle computed from the raw data
// (entities, raw vectors, the learners' own answers, brute-force edit distances).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { nameKey, nameTokens, titleCore } from '../../../src/analysis/name-key.js';
import { jaroWinkler } from '../../../src/analysis/string-distance.js';
import { attributeWeight } from '../../../src/catalog/entity.js';
import { generateStream } from '../../../src/eval/stream-generator.js';
import { fuzzyNamesOf, nameSimilarity } from '../../../src/index/fuzzy-names.js';
import { createQueryContext, type QueryContext } from '../../../src/query/query-context.js';
import { HeuristicRanker } from '../../../src/rank/heuristic-ranker.js';
import { understandingOf } from '../../../src/query/understanding.js';
import { createFeatureSet } from '../../../src/rank/features/quiver-features.js';
import type { FeatureSet } from '../../../src/rank/features/feature-set.js';
import { MemoryIndex, queryKeys } from '../../../src/retrieval/memory-index.js';
import { createStrategies, retrieveUnion } from '../../../src/retrieval/registry.js';
import { releaseTime } from '../../../src/retrieval/release-order.js';
import { RetrievalResources } from '../../../src/retrieval/resources.js';
import { SemanticStrategy } from '../../../src/retrieval/semantic.js';
import type { UnionCandidate } from '../../../src/retrieval/union.js';
import { UserProfiles } from '../../../src/retrieval/user-profiles.js';
import { editDistance } from '../../helpers/edit-distance.js';
import { DEMO_TIME, demoIndex, feedback } from '../../helpers/demo-index.js';
import { refusal } from '../../helpers/refusal.js';

const index = demoIndex();
const EVENTS = [
  feedback('love', 't:0W4NhJhcqKCqEP2GIpDCDq', 'click', '2020-01-30T10:00:00Z', 'u1'),
  feedback('taylor swift', 't:1u8c2t2Cy7UBoG4ArRcF5g', 'favorite', '2020-01-30T10:05:00Z', 'u1'),
  feedback('queen bohemian rhapsody', 't:4u7EnebtmKWzUH433cf5Qv', 'play', '2020-01-30T10:10:00Z', 'u1'),
  feedback('love songs', 't:5tyznRXlcIx0XlQ7S8iCMW', 'like', '2020-01-30T10:13:00Z', 'u1'),
  feedback('love', 't:5tyznRXlcIx0XlQ7S8iCMW', 'skip', '2020-01-30T10:14:00Z', 'u2'),
];

/** Resources with the strategies, the feature set and the same feedback learnt. */
function setUp(): { resources: RetrievalResources; set: FeatureSet; run: (q: QueryContext, budget?: number) => UnionCandidate[] } {
  const resources = new RetrievalResources(index);
  const strategies = createStrategies(resources);
  const set = createFeatureSet(resources);
  for (const e of EVENTS) resources.learn(e);
  const run = (q: QueryContext, budget = 10) => retrieveUnion(strategies, new Map([...strategies.keys()].map((s) => [s, budget])), q).candidates;
  return { resources, set, run };
}

const { resources, set, run } = setUp();
const asUser = (text: string, user = 'u1', time = DEMO_TIME) => createQueryContext(text, { context: { time, user } });
const close = (actual: number, expected: number, what: string, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

test('the set is named and versioned, and its names are unique, described and as long as the vector', () => {
  assert.equal(set.name, 'quiver.features');
  assert.equal(set.version, 1);
  assert.equal(new Set(set.names).size, set.names.length);
  for (const f of set.features) assert.ok(f.description.length > 10, f.name);
  const q = asUser('love');
  const m = set.compute(q, run(q));
  assert.equal(m.width, set.names.length);
  assert.equal(m.values.length, m.rows * set.names.length);
  assert.deepEqual(set.describe().features.map((f) => f.name), set.names);
  assert.equal(set.compute(q, []).rows, 0);
});

test('no NaN or Infinity over 240 generated and random queries', () => {
  const { events } = generateStream(index.entities.filter((e) => e !== undefined), { n: 120, seed: 3, users: 20 });
  const random = fc.sample(fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('', '   ', '!!!', '90s', 'new', 'by')), { numRuns: 120, seed: 4 });
  const queries = [
    ...events.map((e) => createQueryContext(e.query, { context: e.context })),
    ...random.map((text, i) => (i % 2 === 0 ? asUser(text, 'u1', `2020-01-${String(1 + (i % 28)).padStart(2, '0')}T0${i % 10}:00:00-05:00`) : createQueryContext(text))),
  ];
  for (const q of queries) {
    const m = set.compute(q, run(q, 5));
    for (let k = 0; k < m.values.length; k++) {
      assert.ok(Number.isFinite(m.values[k]), `"${q.raw}": ${m.names[k % m.width]} of ${m.ids[Math.floor(k / m.width)]} is ${m.values[k]}`);
    }
  }
});

test('deterministic: the same bits twice, and from fresh resources that learnt the same', () => {
  const other = setUp();
  for (const text of ['queen', 'tayler swift', 'chill rock playlist', 'love']) {
    const q = asUser(text);
    const candidates = run(q);
    const a = set.compute(q, candidates).values;
    assert.deepEqual(set.compute(q, candidates).values, a);
    const q2 = asUser(text);
    assert.deepEqual(other.set.compute(q2, candidates).values, a);
  }
});

test('explain names every value of the row compute gives', () => {
  const q = asUser('taylor swift');
  const candidates = run(q);
  const m = set.compute(q, candidates);
  const i = 3;
  const values = set.explain(q, candidates, candidates[i].id);
  assert.deepEqual(values.map((v) => v.name), set.names);
  assert.deepEqual(Float64Array.from(values, (v) => v.value), m.row(i));
  assert.ok(values.every((v) => v.group && v.description));
});

test('dense cosine from the raw vectors', () => {
  const vectors = new SemanticStrategy(resources).vectors;
  for (const text of ['sad love songs', 'latin dance', 'queen']) {
    const q = asUser(text, 'nobody');
    const candidates = run(q);
    const m = set.compute(q, candidates);
    const qv = vectors.embedder.embedQuery(text);
    candidates.forEach((c, i) => {
      const v = vectors.vectorOf(c.id);
      let dot = 0, nq = 0, nv = 0;
      for (let d = 0; d < qv.length; d++) [dot, nq, nv] = [dot + qv[d] * (v?.[d] ?? 0), nq + qv[d] ** 2, nv + (v?.[d] ?? 0) ** 2];
      const cosine = nq > 0 && nv > 0 ? dot / Math.sqrt(nq * nv) : 0;
      close(m.get(i, 'dense.cosine'), cosine, `${text} / ${c.id}`, 1e-6);
      assert.equal(m.get(i, 'dense.entity_known'), v ? 1 : 0);
      assert.equal(m.get(i, 'dense.has_taste'), 0);
    });
  }
  const q = asUser('love');
  assert.ok(set.compute(q, run(q)).get(0, 'dense.has_taste') === 1, 'u1 has a taste after its engagements');
});

test('popularity, freshness and type from the entities themselves', () => {
  const live = index.entities.filter((e) => e !== undefined);
  const maxPop = Math.max(...live.map((e) => e.popularity ?? 0));
  const newest = Math.max(...live.map((e) => releaseTime(e.released) ?? -Infinity));
  const q = asUser('new albums');
  const candidates = run(q, 20);
  const m = set.compute(q, candidates);
  candidates.forEach((c, i) => {
    const e = index.get(c.id)!;
    close(m.get(i, 'popularity.prior'), Math.log(1 + (e.popularity ?? 0)) / Math.log(1 + maxPop), c.id);
    const released = releaseTime(e.released);
    assert.equal(m.get(i, 'fresh.has_release'), released === undefined ? 0 : 1);
    if (released !== undefined) {
      close(m.get(i, 'fresh.log_age'), Math.log(1 + (newest - released) / 86_400_000), c.id);
      close(m.get(i, 'fresh.log_request_age'), Math.log(1 + Math.max(0, q.time.getTime() - released) / 86_400_000), c.id);
    }
    for (const t of index.typeNames) assert.equal(m.get(i, `type.${t}`), e.type === t ? 1 : 0);
  });
});

test('memory and user affinity are what the learners answer', () => {
  const memory = MemoryIndex.shared(resources);
  const profiles = UserProfiles.shared(resources);
  for (const text of ['love', 'Love Songs', 'taylor swift']) {
    const q = asUser(text);
    const candidates = run(q, 20);
    const m = set.compute(q, candidates);
    const keys = queryKeys(q.tokens);
    const known = memory.entities(keys);
    const profile = profiles.at('u1', q.time.getTime())!;
    candidates.forEach((c, i) => {
      const s = memory.score(keys, c.id, q.time.getTime());
      close(m.get(i, 'memory.observed'), s.value, c.id);
      close(m.get(i, 'memory.exact'), s.exact, c.id);
      close(m.get(i, 'memory.others'), s.others, c.id);
      assert.equal(m.get(i, 'memory.has_observed'), known.includes(c.id) ? 1 : 0);
      close(m.get(i, 'memory.query_entities'), Math.log1p(known.length), c.id);
      const e = index.get(c.id)!;
      close(m.get(i, 'user.affinity'), profile.affinity(e), c.id);
      const families = ['artist', 'genre', 'subgenre', 'mood'].map((f) => m.get(i, `user.affinity.${f}`));
      close(families.reduce((a, b) => a + b, 0), profile.affinity(e), `${c.id} families add up`);
      assert.equal(m.get(i, 'user.has_profile'), 1);
    });
    assert.ok(known.length === 0 || candidates.some((c, i) => known.includes(c.id) && m.get(i, 'memory.observed') !== 0));
  }
  const anonymous = createQueryContext('love', { context: { time: DEMO_TIME } });
  const m = set.compute(anonymous, run(anonymous));
  for (let i = 0; i < m.rows; i++) for (const n of ['user.has_profile', 'user.affinity', 'dense.has_taste']) assert.equal(m.get(i, n), 0);
});

test("provenance: found, 1/rank and score per strategy, which strategies ran, and the plan's trust in each", () => {
  const q = asUser('queen');
  const candidates = run(q, 10);
  const plan = ['lexical', 'fuzzy', 'memory', 'explore', 'popular', 'fresh', 'structured', 'semantic', 'related', 'personalised'];
  const m = set.compute(q, candidates, { strategiesRun: plan });
  candidates.forEach((c, i) => {
    for (const s of plan) {
      const p = c.provenance.find((x) => x.strategy === s);
      assert.equal(m.get(i, `prov.${s}.ran`), 1);
      assert.equal(m.get(i, `prov.${s}.found`), p ? 1 : 0);
      assert.equal(m.get(i, `prov.${s}.rr`), p ? 1 / p.rank : 0);
      assert.equal(m.get(i, `prov.${s}.score`), p ? p.score : 0);
    }
    assert.equal(m.get(i, 'prov.count'), c.provenance.length);
  });
  const narrow = set.compute(q, candidates, { strategiesRun: ['lexical'] });
  assert.equal(narrow.get(0, 'prov.fuzzy.ran'), 0);
  assert.equal(narrow.get(0, 'prov.fuzzy.trust'), 0);
  // No trust given: every strategy that ran is trusted fully, and fused is the heuristic ranker's score.
  const fallback = new HeuristicRanker();
  candidates.forEach((c, i) => {
    for (const s of plan) assert.equal(m.get(i, `prov.${s}.trust`), 1);
    close(m.get(i, 'prov.fused'), fallback.rank(q, [c])[0].score, c.id);
  });
  // A learned plan's trust: the column per strategy that ran, and the heuristic ranker's score under it.
  const trust = new Map(plan.map((s, j) => [s, (j + 1) / plan.length]));
  const trusted = set.compute(q, candidates, { strategiesRun: plan.slice(0, 5), trust });
  candidates.forEach((c, i) => {
    plan.forEach((s, j) => assert.equal(trusted.get(i, `prov.${s}.trust`), j < 5 ? trust.get(s) : 0));
    close(trusted.get(i, 'prov.fused'), fallback.rank(q, [c], { trust })[0].score, c.id);
  });
});

test('context: hour and weekday where the request was made', () => {
  const q = asUser('love', 'u1', '2020-02-01T23:30:00+09:00'); // Saturday 23:30 in Tokyo, 14:30 UTC
  const m = set.compute(q, run(q, 3));
  for (let i = 0; i < m.rows; i++) {
    assert.equal(m.get(i, 'ctx.hour'), 23.5);
    assert.equal(m.get(i, 'ctx.weekday'), 6);
    assert.equal(m.get(i, 'ctx.weekend'), 1);
    close(m.get(i, 'ctx.hour_sin'), Math.sin((2 * Math.PI * 23.5) / 24), 'sin');
  }
});

test('name features against brute-force edit distances over every span', () => {
  const names = fuzzyNamesOf(resources);
  for (const text of ['tayler swift', 'bohemian rapsody queen', 'shape of you', 'love', 'ed sheren perfect']) {
    const q = asUser(text);
    const candidates = run(q, 10);
    const m = set.compute(q, candidates);
    const words = nameTokens(nameKey(text));
    const whole = words.join(' ');
    candidates.forEach((c, i) => {
      const e = index.get(c.id)!;
      const title = nameKey(e.title);
      const core = titleCore(e.title);
      const titles = [{ key: title, share: 1 }, ...(core ? [{ key: nameKey(core), share: Math.min(1, nameKey(core).length / title.length) }] : [])];
      const artistValue = e.fields?.artist;
      const artists = (artistValue === undefined ? [] : Array.isArray(artistValue) ? artistValue : [artistValue]).map((a) => ({ key: nameKey(a), share: 1 }));
      const best = (own: Array<{ key: string; share: number }>) => {
        let value = 0;
        for (let s = 0; s < words.length; s++) {
          for (let t = s + 1; t <= Math.min(words.length, s + 6); t++) {
            const span = words.slice(s, t).join(' ');
            const coverage = words.slice(s, t).join('').length / words.join('').length;
            for (const n of own) {
              const d = editDistance(span, n.key);
              if (d > names.maxEditsFor(span)) continue;
              const sim = nameSimilarity(span, n.key, d);
              if (sim >= 0.8) value = Math.max(value, coverage * sim * (0.5 + 0.5 * n.share));
            }
          }
        }
        return value;
      };
      close(m.get(i, 'fuzzy.title'), best(titles), `${text} / ${e.title}`);
      close(m.get(i, 'fuzzy.artist'), best(artists), `${text} / ${e.title} (artist)`);
      close(m.get(i, 'name.jaro_winkler'), Math.max(...titles.map((t) => jaroWinkler(whole, t.key))), `${text} / ${e.title} (jw)`);
      assert.equal(m.get(i, 'name.exact_title'), titles.some((t) => t.key === whole) ? 1 : 0);
      assert.equal(m.get(i, 'name.exact_artist'), artists.some((a) => a.key === whole) ? 1 : 0);
    });
  }
});

test('understanding: slot matches weighted by reading, intent, query-level values shared', () => {
  const understanding = understandingOf(resources);
  for (const text of ['songs by queen', 'chill latin pop songs', '90s rock playlist', 'love', 'new albums']) {
    const q = asUser(text);
    const candidates = run(q, 15);
    const m = set.compute(q, candidates);
    const u = understanding.understand(q);
    candidates.forEach((c, i) => {
      const e = index.get(c.id)!;
      const doc = index.docId(c.id)!;
      let artist = 0, title = 0, type = 0, genre = 0;
      for (const r of u.interpretations) {
        const has = (kind: string, fits: (s: (typeof r.slots)[number]) => boolean) => r.slots.some((s) => s.kind === kind && fits(s));
        if (has('artist', (s) => (s.docs ?? []).includes(doc))) artist += r.probability;
        if (has('title', (s) => (s.docs ?? []).includes(doc))) title += r.probability;
        if (has('type', (s) => s.value === e.type)) type += r.probability;
        const genres = r.slots.filter((s) => s.kind === 'attribute' && s.attribute === 'genre');
        if (genres.length > 0) genre += (r.probability * genres.reduce((a, s) => a + attributeWeight(e, 'genre', s.value), 0)) / genres.length;
      }
      close(m.get(i, 'qu.artist'), artist, `${text} / ${c.id} artist`);
      close(m.get(i, 'qu.title'), title, `${text} / ${c.id} title`);
      close(m.get(i, 'qu.type'), type, `${text} / ${c.id} type`);
      close(m.get(i, 'qu.attr.genre'), genre, `${text} / ${c.id} genre`);
      close(m.get(i, 'intent.match'), u.intent[e.type] ?? 0, `${text} / ${c.id} intent`);
      for (const t of ['known-item', 'topical', 'navigational', 'broad'] as const) assert.equal(m.get(i, `query.type.${t}`), u.queryTypeScores[t]);
    });
    if (text === 'songs by queen') assert.ok(candidates.some((_, i) => m.get(i, 'qu.artist') > 0.5), 'a Queen work fits the artist slot');
  }
});

test('bad input is refused by name', () => {
  const q = asUser('love');
  assert.equal(refusal(() => set.compute(q, [{ id: 'no-such-id', provenance: [] }])).code, 'ENTITY_UNKNOWN');
  const c = run(q, 2)[0];
  assert.equal(refusal(() => set.compute(q, [c, c])).code, 'FEATURES_BAD_INPUT');
  assert.equal(refusal(() => set.explain(q, [c], 'a:taylor-swift')).code, 'FEATURES_BAD_INPUT');
  set.checkCompatible({ name: set.name, version: set.version, names: set.names }, 'model.json');
  const err = refusal(() => set.checkCompatible({ name: set.name, version: set.version, names: [...set.names.slice(0, 3), 'other'] }, 'model.json'));
  assert.equal(err.code, 'FEATURES_MISMATCH');
  assert.match(err.message, /model\.json.*feature 4 is "other"/);
  assert.equal(refusal(() => set.checkCompatible({ name: set.name, version: 0, names: set.names }, 'model.json')).code, 'FEATURES_MISMATCH');
});
