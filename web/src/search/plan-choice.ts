// The policy's choice for one strategy in one search, read from the response: the budget it drew (0: not run),
// the probability of that budget, the probability it runs at all, and how many candidates it returned. Shared by
// the plan panel and each result's "why" panel.
import type { SearchResponse } from '../shared/api.js';

export interface StrategyChoice {
  strategy: string;
  budget: number;
  /** P(budget = the drawn budget); undefined for a static plan. */
  probability?: number;
  /** P(budget > 0). */
  runProbability?: number;
  /** Candidates it returned (undefined if it did not run). */
  found?: number;
  /** It ran although the plan left it out: the rescue of a plan that found nothing. */
  rescue: boolean;
}

export function strategyChoice(response: SearchResponse, strategy: string): StrategyChoice {
  const budget = response.plan[strategy] ?? 0;
  const marginal = response.explanation?.budgets?.[strategy];
  const run = response.explanation?.runs.find((r) => r.strategy === strategy);
  return {
    strategy, budget,
    probability: marginal?.[String(budget)],
    runProbability: marginal && 1 - (marginal['0'] ?? 0),
    found: run?.count,
    rescue: run !== undefined && !(strategy in response.plan),
  };
}

/** Every strategy the response knows of: the plan's first (in plan order), then the others. */
export function allChoices(response: SearchResponse): StrategyChoice[] {
  const names = new Set([...Object.keys(response.plan), ...(response.explanation?.runs ?? []).map((r) => r.strategy), ...Object.keys(response.explanation?.budgets ?? {})]);
  return [...names].map((name) => strategyChoice(response, name));
}
