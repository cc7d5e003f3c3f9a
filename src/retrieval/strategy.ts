/**
 * The retrieval strategy interface: every candidate generator in the quiver implements it, and every one must
 * pass the shared conformance suite (test/retrieval/conformance.ts).
 */
import { createError } from '../errors.js';
import type { Explanation } from '../index/explain.js';
import type { QueryContext } from '../query/query-context.js';

/** What kind of generator a strategy is; the retrieval policy uses it as an action feature. */
export type StrategyKind =
  | 'lexical'
  | 'fuzzy'
  | 'structured'
  | 'semantic'
  | 'memory'
  | 'related'
  | 'popular'
  | 'fresh'
  | 'personalised'
  | 'explore';

export interface Candidate {
  id: string;
  /** The strategy's own score: comparable within one strategy's results, not across strategies. */
  score: number;
  /** 1-based. */
  rank: number;
}

export interface Strategy {
  readonly name: string;
  readonly kind: StrategyKind;
  /**
   * At most `budget` candidates, best first, with distinct ids, honouring the query's type and filter
   * restrictions. Deterministic for the same query (seed included) and catalogue.
   */
  retrieve(query: QueryContext, budget: number): Candidate[];
  /**
   * Why `id` gets the score it gets for this query: the root value equals the candidate's score when retrieve
   * returns it, and is 0 when the strategy would not return it at any budget. Throws ENTITY_UNKNOWN for an id
   * that is not in the catalogue.
   */
  explain(query: QueryContext, id: string): Explanation;
  /**
   * Estimated cost of `retrieve(query, budget)` in abstract work units (postings or entities touched), for the
   * retrieval policy's cost model. Non-negative and non-decreasing in the budget.
   */
  cost(query: QueryContext, budget: number): number;
}

/** Checks a budget at the boundary so every strategy fails the same clear way. */
export function checkBudget(strategy: string, budget: number): void {
  if (!Number.isInteger(budget) || budget < 0) throw createError('STRATEGY_BAD_BUDGET', strategy, budget);
}

/** Turns scored ids (best first) into ranked candidates. */
export function ranked(scored: Array<{ id: string; score: number }>): Candidate[] {
  return scored.map((c, i) => ({ id: c.id, score: c.score, rank: i + 1 }));
}
