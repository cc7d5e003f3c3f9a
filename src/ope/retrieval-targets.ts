/**
 * Target policies for off-policy evaluation of retrieval plans: what a planner would do in a logged decision's
 * context, as a plan distribution. Every Quiver planner's distribution is an equal-weight mixture of components
 * in which each strategy's budget is independent (`PlanMixture`), which gives P(logged plan) and the reward
 * model's expectation exactly:
 *
 * - a static plan (a strategy alone at the full budget, always-all, or any fixed "lexical=100,fuzzy=25"): one
 *   component of point masses, so P(plan) is 1 when the logged plan is exactly that plan and 0 otherwise;
 * - uniform: one component, each strategy uniform over {0} ∪ grid;
 * - a learned policy restored from a saved state and frozen: RetrievalPolicy.planDistribution, one component
 *   per greedy plan drawn (exact for deterministic scores, 1 + propensitySamples seeded draws for Thompson).
 */
import { createError } from '../errors.js';
import type { SearchIndex } from '../index/search-index.js';
import { createPlanner, PolicyPlanner } from '../policy/planners.js';
import { type RetrievalPolicyState, restorePolicy } from '../policy/policy-state.js';
import type { RetrievalPolicy } from '../policy/retrieval-policy.js';
import { createStrategies } from '../retrieval/registry.js';
import { RetrievalResources } from '../retrieval/resources.js';
import type { DecisionLogLine } from './decision-log.js';

/** Equal-weight components; in each, strategy → (budget → probability), a strategy left out runs at budget 0. */
export type PlanMixture = ReadonlyArray<ReadonlyMap<string, ReadonlyMap<number, number>>>;

export interface RetrievalTarget {
  readonly name: string;
  /** Strategies the target may run: every logged decision needs their action features. */
  readonly strategies: readonly string[];
  /** The target's plan distribution in a logged decision's context; `seed` seeds any draws it needs. */
  distribution(line: DecisionLogLine, seed: number): PlanMixture;
}

/** P(plan) under a mixture. */
export function planProbability(mixture: PlanMixture, plan: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const component of mixture) {
    let p = 1;
    for (const strategy of Object.keys(plan)) if (!component.has(strategy)) p = 0; // runs what the target never runs
    for (const [strategy, distribution] of component) p *= distribution.get(plan[strategy] ?? 0) ?? 0;
    total += p;
  }
  return total / mixture.length;
}

/** A fixed plan: strategy → budget (> 0). */
export function staticTarget(name: string, plan: ReadonlyMap<string, number>): RetrievalTarget {
  const component = new Map([...plan].map(([strategy, budget]) => [strategy, new Map([[budget, 1]])]));
  return { name, strategies: [...plan.keys()], distribution: () => [component] };
}

/** Each strategy's budget uniform over {0} ∪ grid, independently (the `uniform` planner). */
export function uniformTarget(strategies: readonly string[], grid: readonly number[]): RetrievalTarget {
  const choices = [0, ...grid];
  const component = new Map(strategies.map((s) => [s, new Map(choices.map((b) => [b, 1 / choices.length]))]));
  return { name: 'uniform', strategies, distribution: () => [component] };
}

/** A retrieval policy as it stands (frozen: evaluation asks, never teaches). */
export function policyTarget(policy: RetrievalPolicy): RetrievalTarget {
  return {
    name: policy.name,
    strategies: [...policy.strategies.keys()],
    distribution: (line, seed) => policy.planDistribution(line.features, new Map(Object.entries(line.actions)), seed),
  };
}

/**
 * A saved policy state as a frozen RetrievalPolicy over this index. The index is what names the policy's
 * context features (query understanding's genres and types come from the catalogue): restoring checks the
 * saved names against it, so a state is never read against features that mean something else.
 */
export function frozenPolicy(index: SearchIndex, state: RetrievalPolicyState): RetrievalPolicy {
  const resources = new RetrievalResources(index);
  const planner = createPlanner(state.policy, resources, createStrategies(resources, state.strategies), { grid: state.grid, costWeight: state.costWeight, frozen: true });
  if (!(planner instanceof PolicyPlanner)) throw createError('OPE_BAD_TARGET', state.policy, 'the saved state is not a retrieval policy');
  if (planner.policy.policy.exploration.name !== state.exploration) {
    throw createError('LEARNER_STATE_INVALID', 'quiver.retrieval-policy', 'exploration', `saved ${state.exploration}, a new ${state.policy} explores by ${planner.policy.policy.exploration.name}`);
  }
  restorePolicy(planner.policy, state);
  return planner.policy;
}
