/**
 * The ranking stage's extension point: order the union of candidates for a query. `LearningRanker`
 * (LambdaMART over the funnel's features) is one; until it has a model, `HeuristicRanker` orders by provenance. Every score
 * comes with its explanation: the root value equals the score.
 */
import type { Explanation } from '../index/explain.js';
import type { QueryContext } from '../query/query-context.js';
import type { UnionCandidate } from '../retrieval/union.js';

export interface RankedResult {
  id: string;
  score: number;
  candidate: UnionCandidate;
}

export interface RankOptions {
  /** The strategies this request ran (the plan's keys): a strategy that ran and found nothing is evidence too. */
  strategiesRun?: Iterable<string>;
  /**
   * How far to trust each strategy's order for this query, in (0, 1] (a learned plan's `trust`); a strategy not
   * in the map, or no map, is trusted fully. The fallback ranker weighs each strategy's evidence by it, the
   * learned ranker sees it as features.
   */
  trust?: ReadonlyMap<string, number>;
}

export interface Ranker {
  readonly name: string;
  /** Every candidate, best first; ties keep the union's order, so ranking is deterministic. */
  rank(query: QueryContext, candidates: readonly UnionCandidate[], options?: RankOptions): RankedResult[];
  /** Why `candidate` scored what it did; pass the options it was ranked with. */
  explain(query: QueryContext, candidate: UnionCandidate, options?: RankOptions): Explanation;
}

/** Sorts scored candidates best first, stable on ties. */
export function byScore(scored: RankedResult[]): RankedResult[] {
  return scored.map((r, i) => ({ r, i })).sort((a, b) => b.r.score - a.r.score || a.i - b.i).map(({ r }) => r);
}
