/**
 * The ranking stage's extension point: order the union of candidates for a query. LambdaMART (issue 5) will be
 * one; until a model exists, `HeuristicRanker` (src/rank/heuristic-ranker.ts) orders by provenance. Every score
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

export interface Ranker {
  readonly name: string;
  /** Every candidate, best first; ties keep the union's order, so ranking is deterministic. */
  rank(query: QueryContext, candidates: readonly UnionCandidate[]): RankedResult[];
  explain(query: QueryContext, candidate: UnionCandidate): Explanation;
}

/** Sorts scored candidates best first, stable on ties. */
export function byScore(scored: RankedResult[]): RankedResult[] {
  return scored.map((r, i) => ({ r, i })).sort((a, b) => b.r.score - a.r.score || a.i - b.i).map(({ r }) => r);
}
