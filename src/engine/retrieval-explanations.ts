/**
 * Why each strategy scored a result the way it did, for `explain` searches: the explanation of every strategy
 * that found the result (its root value equals that strategy's score in the provenance), plus lexical's and
 * memory's even when they did not run or did not find it. Lexical's is the per-field BM25F of the text match and
 * memory's is what feedback taught about this query, so a page can show both whatever plan the policy drew.
 */
import type { Explanation } from '../index/explain.js';
import type { QueryContext } from '../query/query-context.js';
import type { Strategy } from '../retrieval/strategy.js';
import type { Provenance } from '../retrieval/union.js';

/** Strategies explained for every result, found by them or not. */
export const ALWAYS_EXPLAINED = ['lexical', 'memory'] as const;

export function explainRetrieval(
  strategies: ReadonlyMap<string, Strategy>,
  query: QueryContext,
  id: string,
  provenance: readonly Provenance[],
): Record<string, Explanation> {
  const names = new Set([...provenance.map((p) => p.strategy), ...ALWAYS_EXPLAINED]);
  const out: Record<string, Explanation> = {};
  for (const name of names) {
    const strategy = strategies.get(name);
    if (strategy) out[name] = strategy.explain(query, id);
  }
  return out;
}
