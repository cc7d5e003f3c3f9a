// BM25F per field against a brute-force oracle that re-analyses every entity's text and scores it from the
// formula, with no index structures: random catalogues and queries (fast-check), fields with their own weight
// and b, live updates (the delta segment) and deletions included. On the demo, the total equals explain's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type Entity, searchableFields } from '../../../src/catalog/entity.js';
import { SearchIndex } from '../../../src/index/search-index.js';
import { createQueryContext } from '../../../src/query/query-context.js';
import { Bm25fFeatures } from '../../../src/rank/features/bm25f-features.js';
import { FeatureSet } from '../../../src/rank/features/feature-set.js';
import { RetrievalResources } from '../../../src/retrieval/resources.js';
import { demoIndex } from '../../helpers/demo-index.js';

const WORDS = ['love', 'loves', 'song', 'night', 'blue', 'moon', 'queen', 'rock', 'the', 'river', 'dance', 'summer'];
const FIELDS = { title: { weight: 2, b: 0.75 }, artist: { weight: 1.5, b: 0.3 }, album: { weight: 0.75, b: 1 } };

interface Oracle {
  total: number;
  share: Record<string, number>;
  alone: Record<string, number>;
  match: Record<string, number>;
  coverage: number;
}

/** Scores every live entity from its text: df, N and average lengths counted from the entities themselves. */
function oracle(index: SearchIndex, live: Entity[], query: string, id: string): Oracle {
  const opts = index.options;
  const analysed = live.map((e) => ({ id: e.id, fields: Object.fromEntries(Object.entries(searchableFields(e)).map(([f, text]) => [f, index.analyzeField(f, text)])) }));
  const N = analysed.length;
  const totals: Record<string, number> = {};
  const df = new Map<string, number>();
  for (const { fields } of analysed) {
    for (const [f, terms] of Object.entries(fields)) totals[f] = (totals[f] ?? 0) + terms.length;
    for (const t of new Set(Object.values(fields).flat())) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const qtf = new Map<string, number>();
  for (const t of index.analyzer.analyze(query)) if (df.has(t)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
  const doc = analysed.find((a) => a.id === id)!;
  const out: Oracle = { total: 0, share: {}, alone: {}, match: {}, coverage: 0 };
  for (const f of Object.keys(FIELDS)) [out.share[f], out.alone[f], out.match[f]] = [0, 0, 0];
  const sat = (x: number) => ((opts.k1 + 1) * x) / (opts.k1 + x);
  for (const [term, count] of qtf) {
    const d = df.get(term)!;
    const weight = count * Math.log(1 + (N - d + 0.5) / (d + 0.5));
    const parts: Record<string, number> = {};
    let pseudo = 0;
    for (const [f, terms] of Object.entries(doc.fields)) {
      const tf = terms.filter((t) => t === term).length;
      if (tf === 0) continue;
      const { weight: w, b } = FIELDS[f as keyof typeof FIELDS];
      parts[f] = (w * tf) / (1 - b + (b * terms.length) / (totals[f] / N));
      pseudo += parts[f];
    }
    if (pseudo === 0) continue;
    out.total += weight * sat(pseudo);
    out.coverage += 1 / qtf.size;
    for (const [f, part] of Object.entries(parts)) {
      out.share[f] += (weight * sat(pseudo) * part) / pseudo;
      out.alone[f] += weight * sat(part);
      out.match[f] += 1 / qtf.size;
    }
  }
  return out;
}

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs oracle ${expected}`);

const phrase = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
const entity = (i: number) =>
  fc.record({ title: phrase, artist: fc.option(phrase, { nil: undefined }), album: fc.option(phrase, { nil: undefined }) }).map(
    ({ title, artist, album }): Entity => ({ id: `e${i}`, type: 'track', title, fields: { ...(artist ? { artist } : {}), ...(album ? { album } : {}) }, popularity: i % 7 }),
  );

test('bm25f features equal the brute-force per-field BM25F for every entity', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 3, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => entity(i)))),
      fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 3 }),
      phrase,
      (entities, removals, query) => {
        // Half the entities in the bulk build, the rest added live (the delta), then some removed.
        const half = Math.ceil(entities.length / 2);
        const index = SearchIndex.build(entities.slice(0, half), { popularityWeight: 1, fields: FIELDS });
        for (const e of entities.slice(half)) index.add(e);
        for (const r of removals) if (entities.length > 1) index.remove(entities[r % entities.length].id);
        const live = entities.filter((e) => index.has(e.id));
        const group = new Bm25fFeatures(index, Object.keys(FIELDS));
        const set = new FeatureSet(new RetrievalResources(index), [group]);
        // Candidates in an order unlike doc order, to exercise the cursor walk.
        const candidates = [...live].reverse().map((e) => ({ id: e.id, provenance: [] }));
        const m = set.compute(createQueryContext(query), candidates);
        candidates.forEach((c, i) => {
          const o = oracle(index, live, query, c.id);
          close(m.get(i, 'bm25f'), o.total, `${c.id} bm25f`);
          close(m.get(i, 'bm25f.coverage'), o.coverage, `${c.id} coverage`);
          let shares = 0;
          for (const f of Object.keys(FIELDS)) {
            close(m.get(i, `bm25f.${f}`), o.share[f], `${c.id} bm25f.${f}`);
            close(m.get(i, `bm25.${f}`), o.alone[f], `${c.id} bm25.${f}`);
            close(m.get(i, `match.${f}`), o.match[f], `${c.id} match.${f}`);
            shares += m.get(i, `bm25f.${f}`);
          }
          close(shares, m.get(i, 'bm25f'), `${c.id} shares add up`);
        });
      },
    ),
    { numRuns: 60, seed: 5 },
  );
});

test('on the demo, bm25f is explain’s score without the popularity prior', () => {
  const index = demoIndex();
  const set = new FeatureSet(new RetrievalResources(index), [new Bm25fFeatures(index, ['title', 'artist', 'album'])]);
  for (const query of ['queen bohemian rhapsody', 'love love songs', 'the weeknd blinding lights', 'zzzz']) {
    const hits = index.search(query, { k: 30 });
    const m = set.compute(createQueryContext(query), hits.map((h) => ({ id: h.id, provenance: [] })));
    hits.forEach((h, i) => {
      const prior = index.prior(h.doc); // the demo index's prior weight is 1
      close(m.get(i, 'bm25f'), h.score - prior, `${query} / ${h.id}`);
    });
  }
});
