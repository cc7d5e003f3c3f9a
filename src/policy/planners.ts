/**
 * Planners: everything that can decide a retrieval plan for a request, under one interface, so the simulator,
 * the engine and off-policy evaluation treat static plans and learned policies alike.
 *
 * Static: each strategy alone at the full budget (named by the strategy), `always-all` (every strategy at the
 * full budget), `rrf-lexical-semantic` (lexical + semantic fused by plain reciprocal rank fusion, the usual
 * hybrid) and `uniform` (each strategy's budget drawn uniformly from {0} ∪ grid: random subsets). Learned: the
 * retrieval policy with each named bandit policy.
 */
import { createError } from '../errors.js';
import type { FeedbackEvent } from '../feedback/event.js';
import type { QueryContext } from '../query/query-context.js';
import { rrfRanker } from '../rank/heuristic-ranker.js';
import type { Ranker } from '../rank/ranker.js';
import type { StrategyRun } from '../retrieval/registry.js';
import type { RetrievalResources } from '../retrieval/resources.js';
import type { Strategy } from '../retrieval/strategy.js';
import type { UnionCandidate } from '../retrieval/union.js';
import type { BaseRatePrior } from './arm-model.js';
import { createPolicy, POLICY_NAMES, type PolicyOptions } from './policy.js';
import { type RetrievalDecision, type RetrievalOutcome, RetrievalPolicy, type RetrievalPolicyOptions } from './retrieval-policy.js';

export type PlannerKind = 'static' | 'learned';

/**
 * The holdback a learned plan runs with when none is given: 0.1 under LambdaMART, which can lift the deep finds a
 * held-back request draws (and so teach the deep arms what they cover), 0 under the fallback ranker, which cannot
 * (BENCHMARKS, "Holdback"; DESIGN, "Holdback").
 */
export function defaultHoldback(ranker: 'lambdamart' | 'heuristic'): number {
  return ranker === 'lambdamart' ? 0.1 : 0;
}

export interface PlannedRetrieval {
  plan: Map<string, number>;
  /** How far the ranker should trust each planned strategy's order for this query (a learned plan's; none: all alike). */
  trust?: Map<string, number>;
  /** Present when a policy decided (with its propensities). */
  decision?: RetrievalDecision;
}

export interface Planner {
  readonly name: string;
  readonly kind: PlannerKind;
  /** A ranker this planner is defined with (the RRF hybrid); otherwise the funnel's. */
  readonly ranker?: Ranker;
  plan(query: QueryContext): PlannedRetrieval;
  learn(planned: PlannedRetrieval, retrieval: { candidates: readonly UnionCandidate[]; runs: readonly StrategyRun[] }, events: readonly FeedbackEvent[]): RetrievalOutcome | undefined;
}

export const FULL_BUDGET = 100;
export const LEARNED_PLANNERS = POLICY_NAMES.filter((name) => name !== 'uniform');

export class StaticPlanner implements Planner {
  readonly kind = 'static';
  constructor(
    readonly name: string,
    private readonly fixed: ReadonlyMap<string, number>,
    readonly ranker?: Ranker,
  ) {}
  plan(): PlannedRetrieval {
    return { plan: new Map(this.fixed) };
  }
  learn(): undefined {
    return undefined;
  }
}

export class PolicyPlanner implements Planner {
  constructor(
    readonly policy: RetrievalPolicy,
    readonly kind: PlannerKind,
  ) {}
  get name(): string {
    return this.policy.name;
  }
  plan(query: QueryContext): PlannedRetrieval {
    const decision = this.policy.decide(query);
    // `uniform` is a static baseline: random subsets, ranked as every static plan is.
    return { plan: decision.plan, ...(this.kind === 'learned' && { trust: decision.trust }), decision };
  }
  learn(planned: PlannedRetrieval, retrieval: { candidates: readonly UnionCandidate[]; runs: readonly StrategyRun[] }, events: readonly FeedbackEvent[]): RetrievalOutcome | undefined {
    return planned.decision && this.policy.learn(planned.decision, retrieval, events);
  }
}

/** Every planner name for these strategies: the single strategies, always-all, the RRF hybrid, uniform, the learned. */
export function plannerNames(strategies: Iterable<string>): string[] {
  const names = [...strategies];
  const hybrid = names.includes('lexical') && names.includes('semantic') ? ['rrf-lexical-semantic'] : [];
  return [...names, 'always-all', ...hybrid, 'uniform', ...LEARNED_PLANNERS];
}

/**
 * The learned plans' prior at the base rate (arm-model.ts, BaseRatePrior): memory's arms only, σ = 0.4 (a 0/1
 * reward's spread), τ = 0.3, chosen before measuring. +0.0015 nDCG@10 on average over seven runs, higher on six,
 * and recall up on all seven; on the playlist world Thompson with it is −0.004, +0.012 and +0.002 over three click
 * seeds (BENCHMARKS, "Why the plan leaves memory out", "A fifth world").
 */
export const DEFAULT_BASE_RATE: BaseRatePrior = { strategies: ['memory'], tau: 0.3, sigma: 0.4 };

/**
 * The learned plans' warm start (RetrievalPolicyOptions.warmStart): a new policy holds back every request at
 * first, 10 more being enough to halve the extra share.
 */
export const DEFAULT_WARM_START = 10;

/**
 * The learned plans' holdback fades past this many requests (RetrievalPolicyOptions.holdbackDecay), as
 * h · √(τ / t): over 5,000 requests 0.7 of the share held back, 2–4 points fewer of always-all's candidates at
 * level nDCG@10; 500 saved more but took one world below 97% of always-all's recall (BENCHMARKS, "A holdback that fades").
 */
export const DEFAULT_HOLDBACK_DECAY = 1000;

export interface PlannerOptions extends RetrievalPolicyOptions {
  policy?: PolicyOptions;
}

/** The fixed plan a static planner name stands for over these strategies (undefined for any other name). */
export function staticPlan(name: string, strategies: Iterable<string>): Map<string, number> | undefined {
  const names = [...strategies];
  if (names.includes(name)) return new Map([[name, FULL_BUDGET]]);
  if (name === 'always-all') return new Map(names.map((s) => [s, FULL_BUDGET]));
  if (name === 'rrf-lexical-semantic' && names.includes('lexical') && names.includes('semantic')) return new Map([['lexical', FULL_BUDGET], ['semantic', FULL_BUDGET]]);
  return undefined;
}

export function createPlanner(
  name: string,
  resources: RetrievalResources,
  strategies: ReadonlyMap<string, Strategy>,
  options: PlannerOptions = {},
): Planner {
  const fixed = staticPlan(name, strategies.keys());
  if (fixed) return new StaticPlanner(name, fixed, name === 'rrf-lexical-semantic' ? rrfRanker() : undefined);
  if (POLICY_NAMES.includes(name)) {
    // Uniform is a static baseline: a holdback, warm start or fading would change the baseline, not teach it anything.
    const policy = new RetrievalPolicy(resources, strategies, createPolicy(name, { baseRate: DEFAULT_BASE_RATE, ...options.policy }), name === 'uniform'
      ? { ...options, holdback: 0, warmStart: 0, holdbackDecay: 0 }
      : { ...options, warmStart: options.warmStart ?? DEFAULT_WARM_START, holdbackDecay: options.holdbackDecay ?? DEFAULT_HOLDBACK_DECAY });
    return new PolicyPlanner(policy, name === 'uniform' ? 'static' : 'learned');
  }
  throw createError('POLICY_UNKNOWN', name, plannerNames(strategies.keys()).join(', '));
}
