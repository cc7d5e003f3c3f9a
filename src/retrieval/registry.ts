/**
 * The quiver: every strategy by name, built over one index, and `retrieveUnion`, which runs a plan (strategy →
 * budget) and unions the results with provenance. Strategies run one after another: each is synchronous and
 * CPU-bound on one index, so running them "in parallel" on one thread would only interleave them.
 */
import { createError } from '../errors.js';
import type { SearchIndex } from '../index/search-index.js';
import type { QueryContext } from '../query/query-context.js';
import { ExploreStrategy } from './explore.js';
import { FreshStrategy } from './fresh.js';
import { LexicalStrategy } from './lexical.js';
import { PopularStrategy } from './popular.js';
import { RetrievalResources } from './resources.js';
import { SemanticStrategy } from './semantic.js';
import type { Strategy } from './strategy.js';
import { type UnionCandidate, unionCandidates } from './union.js';

export type StrategyFactory = (resources: RetrievalResources) => Strategy;

/** Every strategy in the quiver, by name, in the order they are listed to users. */
export const STRATEGY_FACTORIES: Record<string, StrategyFactory> = {
  lexical: (r) => new LexicalStrategy(r.index),
  popular: (r) => new PopularStrategy(r.index),
  fresh: (r) => new FreshStrategy(r.index),
  explore: (r) => new ExploreStrategy(r.index),
  semantic: (r) => new SemanticStrategy(r),
};

/**
 * Builds the named strategies (all by default) over shared resources. Pass an index for a fresh set of
 * resources, or the resources to share them (and their learners) with other components.
 */
export function createStrategies(
  source: SearchIndex | RetrievalResources,
  names: readonly string[] = Object.keys(STRATEGY_FACTORIES),
): Map<string, Strategy> {
  const resources = source instanceof RetrievalResources ? source : new RetrievalResources(source);
  const out = new Map<string, Strategy>();
  for (const name of names) {
    const factory = STRATEGY_FACTORIES[name];
    if (!factory) throw createError('STRATEGY_UNKNOWN', name, Object.keys(STRATEGY_FACTORIES).join(', '));
    out.set(name, factory(resources));
  }
  return out;
}

export interface StrategyRun {
  strategy: string;
  budget: number;
  count: number;
  ms: number;
}

/** Runs each strategy of the plan with its budget and unions the candidates, keeping provenance and timings. */
export function retrieveUnion(
  strategies: ReadonlyMap<string, Strategy>,
  plan: ReadonlyMap<string, number>,
  query: QueryContext,
): { candidates: UnionCandidate[]; runs: StrategyRun[] } {
  const results = [];
  const runs: StrategyRun[] = [];
  for (const [name, budget] of plan) {
    const strategy = strategies.get(name);
    if (!strategy) throw createError('STRATEGY_UNKNOWN', name, [...strategies.keys()].join(', '));
    const started = process.hrtime.bigint();
    const candidates = strategy.retrieve(query, budget);
    runs.push({ strategy: name, budget, count: candidates.length, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    results.push({ strategy: name, candidates });
  }
  return { candidates: unionCandidates(results), runs };
}
