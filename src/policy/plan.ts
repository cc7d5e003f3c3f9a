/**
 * The retrieval plan: which strategies to run and how many candidates to draw from each. Arms are (strategy,
 * budget) pairs from a budget grid; a policy estimates each arm's coverage (the chance the entity the user will
 * engage with is among that strategy's first `budget` candidates) and the plan is chosen greedily:
 *
 *   value(plan) = P(covered) − costWeight · Σ cost,   P(covered) = 1 − Π_s (1 − coverage_s)
 *
 * treating strategies as independent (they are not: lexical and fuzzy overlap; the learned coverages absorb some
 * of it, and the simulator measures the rest). Each step adds a strategy or raises a chosen strategy's budget,
 * whichever gains most; it stops when no move gains. Coverage is submodular in the set of strategies, so greedy
 * is the standard approximation.
 *
 * Feedback is semi-bandit: every strategy that ran is observed to have, or not have, the engaged entity, and at
 * which rank. A larger budget extends a smaller one (the conformance suite guarantees it), so a run at budget B
 * also answers, for every smaller budget on the grid, whether it would have covered: `coverageCredit`.
 */

export interface PlanArm {
  strategy: string;
  budget: number;
  /** Estimated coverage in [0, 1] (a policy's score, clipped). */
  coverage: number;
  cost: number;
}

export interface PlanStep extends PlanArm {
  /** The value the move that set this budget added. */
  gain: number;
}

export interface PlanOptions {
  /** Value of one unit of cost, in coverage (e.g. 0.001 per candidate drawn). */
  costWeight: number;
  /** At most this many strategies (default: no limit). */
  maxStrategies?: number;
}

/**
 * The greedy plan: one step per strategy, at its final budget, in the order strategies entered. Greedy moves
 * add a strategy or raise a budget; once none gains, coordinate ascent tries every other single change (lower a
 * budget, drop a strategy) and keeps any that gains, so the result is a local optimum over one-strategy changes
 * (greedy alone fell 14% short of the optimum on some instances; the test compares with brute force).
 */
export function greedyPlan(arms: readonly PlanArm[], options: PlanOptions): PlanStep[] {
  const chosen = new Map<string, PlanStep>();
  const clip = (p: number) => Math.min(1, Math.max(0, p));
  // P(not covered by the chosen strategies other than s), for every s, recomputed once per move.
  const missOthers = new Map<string, number>();
  let missAll = 1;
  const refresh = () => {
    missAll = 1;
    for (const step of chosen.values()) missAll *= 1 - clip(step.coverage);
    missOthers.clear();
    for (const strategy of chosen.keys()) {
      let miss = 1;
      for (const [other, step] of chosen) if (other !== strategy) miss *= 1 - clip(step.coverage);
      missOthers.set(strategy, miss);
    }
  };
  const gainOf = (strategy: string, next: PlanArm | undefined) => {
    const current = chosen.get(strategy);
    const miss = current ? missOthers.get(strategy)! : missAll;
    return miss * (clip(next?.coverage ?? 0) - clip(current?.coverage ?? 0)) - options.costWeight * ((next?.cost ?? 0) - (current?.cost ?? 0));
  };
  const allowed = (arm: PlanArm) => chosen.has(arm.strategy) || options.maxStrategies === undefined || chosen.size < options.maxStrategies;
  const improve = (raiseOnly: boolean): boolean => {
    refresh();
    let best: { strategy: string; arm?: PlanArm; gain: number } | undefined;
    for (const arm of arms) {
      const current = chosen.get(arm.strategy)?.budget ?? 0;
      if ((raiseOnly ? arm.budget <= current : arm.budget === current) || !allowed(arm)) continue;
      const gain = gainOf(arm.strategy, arm);
      if (gain > 1e-12 && (!best || gain > best.gain)) best = { strategy: arm.strategy, arm, gain };
    }
    if (!raiseOnly) {
      for (const strategy of chosen.keys()) {
        const gain = gainOf(strategy, undefined);
        if (gain > 1e-12 && (!best || gain > best.gain)) best = { strategy, gain };
      }
    }
    if (!best) return false;
    if (best.arm) chosen.set(best.strategy, { ...best.arm, gain: best.gain });
    else chosen.delete(best.strategy);
    return true;
  };
  while (improve(true));
  while (improve(false));
  return [...chosen.values()];
}

/** The plan's value under the model: P(covered) − costWeight · Σ cost. */
export function planValue(plan: readonly PlanArm[], costWeight: number): number {
  let miss = 1;
  let cost = 0;
  for (const step of plan) {
    miss *= 1 - Math.min(1, Math.max(0, step.coverage));
    cost += step.cost;
  }
  return 1 - miss - costWeight * cost;
}

export interface CoverageObservation {
  strategy: string;
  budget: number;
  covered: boolean;
}

/**
 * What one engagement teaches about each (strategy, budget) arm: a strategy run at budget B that returned the
 * engaged entity at rank r covered every grid budget ≥ r up to B, and missed every smaller one; one that did not
 * return it missed every grid budget up to B. Budgets above B are not observed.
 */
export function coverageCredit(
  runs: ReadonlyArray<{ strategy: string; budget: number }>,
  rankOf: (strategy: string) => number | undefined,
  grid: readonly number[],
): CoverageObservation[] {
  const out: CoverageObservation[] = [];
  for (const run of runs) {
    const rank = rankOf(run.strategy);
    for (const budget of grid) {
      if (budget <= 0 || budget > run.budget) continue;
      out.push({ strategy: run.strategy, budget, covered: rank !== undefined && rank <= budget });
    }
  }
  return out;
}

/** The plan's reward: 1 if any strategy run returned the engaged entity, minus costWeight · the cost spent. */
export function planReward(covered: boolean, cost: number, costWeight: number): number {
  return (covered ? 1 : 0) - costWeight * cost;
}
