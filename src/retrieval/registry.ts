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
import { createFuzzyStrategy } from './fuzzy.js';
import { LexicalStrategy } from './lexical.js';
import { MemoryStrategy } from './memory.js';
import { PersonalisedStrategy } from './personalised.js';
import { PopularStrategy } from './popular.js';
import { RelatedStrategy } from './related.js';
import { RetrievalResources } from './resources.js';
import { slotSeeds } from './slot-seeds.js';
import { SemanticStrategy } from './semantic.js';
import type { Strategy } from './strategy.js';
import { StructuredStrategy } from './structured.js';
import { type UnionCandidate, unionCandidates } from './union.js';

export type StrategyFactory = (resources: RetrievalResources) => Strategy;

/** Every strategy in the quiver, by name, in the order they are listed to users. */
export const STRATEGY_FACTORIES: Record<string, StrategyFactory> = {
  lexical: (r) => new LexicalStrategy(r.index),
  fuzzy: (r) => createFuzzyStrategy(r),
  popular: (r) => new PopularStrategy(r.index),
  fresh: (r) => new FreshStrategy(r.index),
  explore: (r) => new ExploreStrategy(r.index),
  structured: (r) => new StructuredStrategy(r),
  semantic: (r) => new SemanticStrategy(r),
  memory: (r) => new MemoryStrategy(r),
  related: (r) => new RelatedStrategy(r, { seedHook: slotSeeds(r) }),
  personalised: (r) => new PersonalisedStrategy(r),
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
