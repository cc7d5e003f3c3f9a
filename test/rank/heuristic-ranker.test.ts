// The heuristic ranker (weighted RRF, best evidence + agreement): every score explains itself, plain RRF is the
// special case it claims to be, a lone strong find is not buried, ties are deterministic, and a learned plan's
// trust scales each strategy's evidence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createQueryContext } from '../../src/query/query-context.js';
import { HEURISTIC_WEIGHTS, HeuristicRanker, rrfRanker } from '../../src/rank/heuristic-ranker.js';
import type { UnionCandidate } from '../../src/retrieval/union.js';

const query = createQueryContext('anything');
const STRATEGIES = [...Object.keys(HEURISTIC_WEIGHTS), 'unknown-strategy'];

/** Union candidates: distinct ids, each found by a set of distinct strategies at ranks 1–200. */
const candidates = fc
  .array(fc.uniqueArray(fc.record({ strategy: fc.constantFrom(...STRATEGIES), rank: fc.integer({ min: 1, max: 200 }) }), { selector: (p) => p.strategy, minLength: 1, maxLength: 5 }), { maxLength: 30 })
  .map((lists): UnionCandidate[] => lists.map((provenance, i) => ({ id: `e:${i}`, provenance: provenance.map((p) => ({ ...p, score: 1 / p.rank })) })));

const candidate = (id: string, ...found: Array<[string, number]>): UnionCandidate => ({ id, provenance: found.map(([strategy, rank]) => ({ strategy, rank, score: 1 })) });

test("explain's value is the score the ranking used, and its details are each strategy's evidence", () => {
  const rankers = [new HeuristicRanker(), rrfRanker(), new HeuristicRanker({ agreement: 0.7, k: 3, otherWeight: 0.1 })];
  fc.assert(
    fc.property(candidates, fc.constantFrom(...rankers), (union, ranker) => {
      const ranked = ranker.rank(query, union);
      assert.equal(ranked.length, union.length);
      for (const r of ranked) {
        const explanation = ranker.explain(query, r.candidate);
        assert.equal(explanation.value, r.score);
        const evidence = explanation.details.map((d) => d.value);
        const best = Math.max(...evidence);
        const sum = evidence.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(explanation.value - (best + ranker.agreement * (sum - best))) <= 1e-12 * explanation.value);
      }
      for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1].score >= ranked[i].score);
    }),
    { numRuns: 200, seed: 7 },
  );
});

test('with equal weights and agreement 1 it is plain reciprocal rank fusion, computed by hand', () => {
  const rrf = rrfRanker();
  const [a, b, c] = [candidate('a', ['lexical', 1], ['semantic', 3]), candidate('b', ['semantic', 1]), candidate('c', ['lexical', 2], ['memory', 2], ['fuzzy', 40])];
  const expected = { a: 1 / 61 + 1 / 63, b: 1 / 61, c: 2 / 62 + 1 / 100 };
  const ranked = rrf.rank(query, [b, a, c]);
  assert.deepEqual(ranked.map((r) => r.id), ['c', 'a', 'b']);
  for (const r of ranked) assert.ok(Math.abs(r.score - expected[r.id as 'a' | 'b' | 'c']) < 1e-15, `${r.id}: ${r.score}`);
  // Any k, any provenance: the sum of 1 / (k + rank).
  fc.assert(
    fc.property(candidates, fc.integer({ min: 0, max: 100 }), (union, k) => {
      const ranker = new HeuristicRanker({ weights: {}, otherWeight: 1, agreement: 1, k });
      const byHand = new Map(union.map((u) => [u.id, u.provenance.reduce((s, p) => s + 1 / (k + p.rank), 0)]));
      for (const r of ranker.rank(query, union)) assert.ok(Math.abs(r.score - byHand.get(r.id)!) <= 1e-12 * byHand.get(r.id)!);
    }),
    { numRuns: 100, seed: 8 },
  );
});

test('under the default weights, a find of memory alone at rank 1 outranks a lexical find at rank 5, even one other strategies agree on', () => {
  const ranker = new HeuristicRanker();
  const memory = candidate('memory-only', ['memory', 1]);
  const lexical = candidate('lexical-5', ['lexical', 5]);
  const agreed = candidate('agreed', ['lexical', 5], ['fuzzy', 5], ['structured', 5]);
  assert.deepEqual(ranker.rank(query, [lexical, agreed, memory]).map((r) => r.id), ['memory-only', 'agreed', 'lexical-5']);
  // Plain RRF buries it: the agreement of three strategies wins.
  assert.deepEqual(rrfRanker().rank(query, [lexical, agreed, memory]).map((r) => r.id), ['agreed', 'memory-only', 'lexical-5']);
  // The unconditioned lists fill gaps without pushing a match down.
  assert.deepEqual(ranker.rank(query, [candidate('popular-1', ['popular', 1]), candidate('lexical-20', ['lexical', 20])]).map((r) => r.id), ['lexical-20', 'popular-1']);
});

test('ties keep the order of the union, so the ranking is deterministic', () => {
  const ranker = new HeuristicRanker();
  // lexical and structured weigh the same: equal scores.
  const x = candidate('x', ['lexical', 3]);
  const y = candidate('y', ['structured', 3]);
  const z = candidate('z', ['lexical', 3]);
  assert.deepEqual(ranker.rank(query, [x, y, z]).map((r) => r.id), ['x', 'y', 'z']);
  assert.deepEqual(ranker.rank(query, [z, y, x]).map((r) => r.id), ['z', 'y', 'x']);
  fc.assert(
    fc.property(candidates, (union) => {
      const first = ranker.rank(query, union).map((r) => r.id);
      assert.deepEqual(ranker.rank(query, union.map((u) => ({ ...u }))).map((r) => r.id), first);
      // Among equal scores, input order.
      const ranked = ranker.rank(query, union);
      const position = new Map(union.map((u, i) => [u.id, i]));
      for (let i = 1; i < ranked.length; i++) {
        if (ranked[i].score === ranked[i - 1].score) assert.ok(position.get(ranked[i - 1].id)! < position.get(ranked[i].id)!);
      }
    }),
    { numRuns: 100, seed: 9 },
  );
});

test("a plan's trust scales each strategy's evidence: trust 1 changes nothing, and the trusted strategy's order leads", () => {
  const ranker = new HeuristicRanker();
  const trusts = fc.dictionary(fc.constantFrom(...STRATEGIES), fc.double({ min: 0.01, max: 1, noNaN: true }));
  fc.assert(
    fc.property(candidates, trusts, (union, given) => {
      const trust = new Map(Object.entries(given));
      // Against a by-hand oracle: weight · trust / (k + rank), best + agreement · rest.
      for (const r of ranker.rank(query, union, { trust })) {
        const evidence = r.candidate.provenance.map((p) => ((HEURISTIC_WEIGHTS[p.strategy] ?? 0.5) * (trust.get(p.strategy) ?? 1)) / (10 + p.rank));
        const best = Math.max(...evidence);
        const expected = best + 0.3 * (evidence.reduce((a, b) => a + b, 0) - best);
        assert.ok(Math.abs(r.score - expected) <= 1e-12 * expected, `${r.id}: ${r.score} vs ${expected}`);
        const explanation = ranker.explain(query, r.candidate, { trust });
        assert.equal(explanation.value, r.score);
        for (const [i, p] of r.candidate.provenance.entries()) {
          if (trust.has(p.strategy)) assert.match(explanation.details[i].description, new RegExp(`× trust ${trust.get(p.strategy)}`));
        }
      }
      const ones = new Map(STRATEGIES.map((s) => [s, 1]));
      assert.deepEqual(ranker.rank(query, union, { trust: ones }), ranker.rank(query, union));
    }),
    { numRuns: 200, seed: 10 },
  );
  // "new albums": lexical's best "new" title and structured's newest album. Untrusted, the fixed weights tie
  // them and lexical's agreement with fuzzy wins; trusting structured for this query puts its find first.
  const lexical = candidate('new-in-title', ['lexical', 1], ['fuzzy', 3]);
  const structured = candidate('newest-album', ['structured', 1]);
  assert.deepEqual(ranker.rank(query, [lexical, structured]).map((r) => r.id), ['new-in-title', 'newest-album']);
  const trust = new Map([['structured', 0.8], ['lexical', 0.2], ['fuzzy', 0.2]]);
  assert.deepEqual(ranker.rank(query, [lexical, structured], { trust }).map((r) => r.id), ['newest-album', 'new-in-title']);
});
