/**
 * The shared conformance suite for retrieval strategies (after Hono's common router tests): every strategy in
 * the quiver runs these same checks. Call `strategyConformance({...})` from a test file.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QuiverError } from '../../src/errors.js';
import type { SearchIndex } from '../../src/index/search-index.js';
import { createQueryContext, type QueryOptions } from '../../src/query/query-context.js';
import type { Candidate, Strategy } from '../../src/retrieval/strategy.js';

export interface ConformanceCase {
  make: () => Strategy;
  index: SearchIndex;
  /** Typical queries; the suite requires at least one of them to return candidates. */
  queries: string[];
  /** Request options for every query (a fixed clock, for instance). */
  options?: QueryOptions;
}

const BUDGETS = [0, 1, 7, 50];
const ODD_QUERIES = ['', '   ', '!!!', '💜💜', '東京', 'a'.repeat(5000), 'null', "'; DROP TABLE entities; --", '\u0000\u0001', 'ÀÉÎÕÜ'];

export function strategyConformance(c: ConformanceCase): void {
  const strategy = c.make();
  const q = (text: string, extra: QueryOptions = {}) => createQueryContext(text, { ...c.options, ...extra });

  const checkShape = (candidates: Candidate[], budget: number, where: string) => {
    assert.ok(candidates.length <= budget, `${where}: ${candidates.length} candidates for budget ${budget}`);
    const ids = new Set<string>();
    candidates.forEach((cand, i) => {
      assert.equal(cand.rank, i + 1, `${where}: ranks are 1..n`);
      assert.ok(Number.isFinite(cand.score), `${where}: finite score`);
      if (i > 0) assert.ok(cand.score <= candidates[i - 1].score, `${where}: scores do not increase`);
      assert.ok(!ids.has(cand.id), `${where}: ids are distinct`);
      ids.add(cand.id);
      assert.ok(c.index.get(cand.id), `${where}: ${cand.id} is in the catalogue`);
    });
  };

  describe(`strategy conformance: ${strategy.name} (${strategy.kind})`, () => {
    test('respects the budget, ranks 1..n, scores never increase, ids distinct and known', () => {
      let any = false;
      for (const text of c.queries) {
        for (const budget of BUDGETS) {
          const got = strategy.retrieve(q(text), budget);
          checkShape(got, budget, `"${text}" @${budget}`);
          any ||= got.length > 0;
        }
      }
      assert.ok(any, 'some query returns candidates');
    });

    test('a larger budget extends a smaller one', () => {
      for (const text of c.queries) {
        const small = strategy.retrieve(q(text), 7);
        assert.deepEqual(strategy.retrieve(q(text), 50).slice(0, small.length), small, `"${text}"`);
      }
    });

    test('is deterministic, across calls and across instances', () => {
      const other = c.make();
      for (const text of c.queries) {
        const first = strategy.retrieve(q(text, { seed: 7 }), 50);
        assert.deepEqual(strategy.retrieve(q(text, { seed: 7 }), 50), first);
        assert.deepEqual(other.retrieve(q(text, { seed: 7 }), 50), first);
      }
    });

    test('copes with empty and odd queries', () => {
      for (const text of ODD_QUERIES) checkShape(strategy.retrieve(q(text), 20), 20, JSON.stringify(text.slice(0, 20)));
    });

    test('honours type and filter restrictions', () => {
      for (const text of c.queries) {
        for (const cand of strategy.retrieve(q(text, { types: ['artist'] }), 30)) assert.equal(c.index.get(cand.id)!.type, 'artist');
        const filters = [{ name: 'genre', op: '=' as const, values: ['rock'] }];
        for (const cand of strategy.retrieve(q(text, { filters }), 30)) {
          const genre = c.index.get(cand.id)!.attributes?.genre;
          assert.ok(genre && typeof genre === 'object' && !Array.isArray(genre) && (genre as Record<string, number>).rock > 0, cand.id);
        }
      }
    });

    test('explains every candidate with its exact score, and refuses unknown ids', () => {
      for (const text of c.queries) {
        for (const cand of strategy.retrieve(q(text), 10)) {
          const explained = strategy.explain(q(text), cand.id);
          assert.ok(Math.abs(explained.value - cand.score) <= 1e-9 * Math.max(1, Math.abs(cand.score)), `${cand.id}: ${explained.value} vs ${cand.score}`);
          assert.ok(explained.description.length > 0);
        }
      }
      assert.throws(() => strategy.explain(q(c.queries[0]), 'no-such:entity'), (e: QuiverError) => e.code === 'ENTITY_UNKNOWN');
    });

    test('refuses bad budgets with a clear error', () => {
      for (const budget of [-1, 1.5, Number.NaN]) {
        assert.throws(() => strategy.retrieve(q(c.queries[0]), budget), (e: QuiverError) => e.code === 'STRATEGY_BAD_BUDGET' && e.message.includes(strategy.name));
      }
    });

    test('estimates a finite cost that does not fall as the budget grows', () => {
      for (const text of c.queries) {
        const costs = BUDGETS.map((b) => strategy.cost(q(text), b));
        costs.forEach((cost, i) => {
          assert.ok(Number.isFinite(cost) && cost >= 0);
          if (i > 0) assert.ok(cost >= costs[i - 1]);
        });
      }
    });
  });
}
