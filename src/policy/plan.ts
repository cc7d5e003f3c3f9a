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
 * also answers, for every smaller budget on the grid, whether it would have covered: `coverageCredit`. An
 * engagement is worth `shownGain` of where it was shown, so coverage is discounted like DCG: a strategy whose
 * candidates the user engaged with at the top of the page earns more than one whose find was shown tenth.
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
  const indexOf = new Map<string, number>();
  const strategyOf = arms.map((arm) => {
    let s = indexOf.get(arm.strategy);
    if (s === undefined) indexOf.set(arm.strategy, (s = indexOf.size));
    return s;
  });
  const planner = new GreedyPlanner(strategyOf, arms.map((arm) => arm.budget));
  const chosen = planner.plan(Float64Array.from(arms, (arm) => arm.coverage), Float64Array.from(arms, (arm) => arm.cost), options);
  return chosen.map((a) => ({ ...arms[a], gain: planner.gainOf(strategyOf[a]) }));
}

/**
 * `greedyPlan` over one fixed layout of arms (each arm's strategy and budget), reusable across calls in which
 * only the coverages and costs change. A Thompson decision plans 65 times (its draw and 64 more to estimate the
 * propensity), so it works on typed arrays indexed by strategy, without allocating per move. Products are taken
 * in the order strategies entered, as the Map-based original did, so both give the same plan to the bit (the
 * test keeps the original as its oracle; bench/plan-bench.ts times them).
 */
export class GreedyPlanner {
  private readonly strategyOf: Int32Array;
  private readonly budget: Float64Array;
  private readonly coverage: Float64Array;
  private readonly chosenArm: Int32Array;
  private readonly stepGain: Float64Array;
  private readonly missOthers: Float64Array;
  /** Chosen strategies, in the order they entered. */
  private readonly order: number[] = [];

  /** `strategyOf[a]`: arm a's strategy, numbered 0, 1, … in order of first appearance. */
  constructor(strategyOf: ArrayLike<number>, budgets: ArrayLike<number>) {
    this.strategyOf = Int32Array.from(strategyOf);
    this.budget = Float64Array.from(budgets);
    this.coverage = new Float64Array(this.strategyOf.length);
    const strategies = this.strategyOf.reduce((max, s) => Math.max(max, s + 1), 0);
    this.chosenArm = new Int32Array(strategies);
    this.stepGain = new Float64Array(strategies);
    this.missOthers = new Float64Array(strategies);
  }

  /** The arms chosen (one per strategy, in the order strategies entered) for these coverages and costs. */
  plan(coverage: ArrayLike<number>, cost: ArrayLike<number>, options: PlanOptions): number[] {
    const n = this.strategyOf.length;
    for (let a = 0; a < n; a++) this.coverage[a] = Math.min(1, Math.max(0, coverage[a]));
    this.chosenArm.fill(-1);
    this.order.length = 0;
    const maxStrategies = options.maxStrategies ?? Infinity;
    while (this.improve(true, cost, options.costWeight, maxStrategies));
    while (this.improve(false, cost, options.costWeight, maxStrategies));
    return this.order.map((s) => this.chosenArm[s]);
  }

  /** The gain of the move that set strategy s's budget in the last plan. */
  gainOf(s: number): number {
    return this.stepGain[s];
  }

  private improve(raiseOnly: boolean, cost: ArrayLike<number>, w: number, maxStrategies: number): boolean {
    const { strategyOf, budget, coverage, chosenArm, order, missOthers } = this;
    let missAll = 1;
    for (const s of order) missAll *= 1 - coverage[chosenArm[s]];
    for (const s of order) {
      let miss = 1;
      for (const o of order) if (o !== s) miss *= 1 - coverage[chosenArm[o]];
      missOthers[s] = miss;
    }
    // The value of moving strategy s from its current arm to arm `next` (-1: dropping it).
    const gainOf = (s: number, next: number) => {
      const current = chosenArm[s];
      const miss = current >= 0 ? missOthers[s] : missAll;
      const coverageChange = (next >= 0 ? coverage[next] : 0) - (current >= 0 ? coverage[current] : 0);
      const costChange = (next >= 0 ? cost[next] : 0) - (current >= 0 ? cost[current] : 0);
      return miss * coverageChange - w * costChange;
    };
    let bestStrategy = -1;
    let bestArm = -1;
    let bestGain = 0;
    for (let a = 0; a < strategyOf.length; a++) {
      const s = strategyOf[a];
      const current = chosenArm[s];
      const currentBudget = current >= 0 ? budget[current] : 0;
      if (raiseOnly ? budget[a] <= currentBudget : budget[a] === currentBudget) continue;
      if (current < 0 && order.length >= maxStrategies) continue;
      const gain = gainOf(s, a);
      if (gain > 1e-12 && (bestStrategy < 0 || gain > bestGain)) {
        bestStrategy = s;
        bestArm = a;
        bestGain = gain;
      }
    }
    if (!raiseOnly) {
      for (const s of order) {
        const gain = gainOf(s, -1);
        if (gain > 1e-12 && (bestStrategy < 0 || gain > bestGain)) {
          bestStrategy = s;
          bestArm = -1;
          bestGain = gain;
        }
      }
    }
    if (bestStrategy < 0) return false;
    if (bestArm >= 0) {
      if (chosenArm[bestStrategy] < 0) order.push(bestStrategy);
      chosenArm[bestStrategy] = bestArm;
      this.stepGain[bestStrategy] = bestGain;
    } else {
      order.splice(order.indexOf(bestStrategy), 1);
      chosenArm[bestStrategy] = -1;
    }
    return true;
  }
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

/** An engaged entity a strategy returned: its rank in the strategy's list, and what the engagement is worth. */
export interface CoverageHit {
  rank: number;
  /** In (0, 1]: `shownGain` of the position the entity was shown at (1 when unknown). */
  value: number;
}

export interface CoverageObservation {
  strategy: string;
  budget: number;
  covered: boolean;
  /** What the arm learns: the best value of the hits within the budget, or their share (0: not covered). */
  value: number;
}

/**
 * The gain of an engagement shown at a 1-based page position: DCG's 1 / log2(1 + position), so an entity the
 * user engaged with first on the page is worth 1 and one at position 10 about 0.29; unknown position: 1.
 */
export function shownGain(position: number | undefined): number {
  return position === undefined || !(position >= 1) ? 1 : 1 / Math.log2(1 + position);
}

/**
 * What one request teaches each (strategy, budget) arm: a strategy run at budget B that returned engaged
 * entities at ranks r₁, r₂, … covered every grid budget ≥ the smallest rᵢ up to B, and earns there the best
 * value among the hits within that budget; one that returned none missed every grid budget up to B (value 0).
 * Budgets above B are not observed.
 *
 * With `shareOf` (the number of distinct entities the request engaged with), an arm earns instead the sum of its
 * hits' values over that number: the worth-weighted share of the engagement it covered, still in [0, 1]. One
 * engagement gives the same credit either way; with several (a query with many answers), a deeper draw that
 * held more of them earns more, where the best hit alone is satisfied by the first.
 */
export function coverageCredit(
  runs: ReadonlyArray<{ strategy: string; budget: number }>,
  hitsOf: (strategy: string) => readonly CoverageHit[] | undefined,
  grid: readonly number[],
  shareOf?: number,
): CoverageObservation[] {
  const out: CoverageObservation[] = [];
  for (const run of runs) {
    const hits = hitsOf(run.strategy) ?? [];
    if (shareOf !== undefined && hits.length > shareOf) throw new RangeError(`coverageCredit: ${hits.length} hits for ${run.strategy} but ${shareOf} engaged entities`);
    for (const budget of grid) {
      if (budget <= 0 || budget > run.budget) continue;
      let covered = false;
      let value = 0;
      for (const hit of hits) {
        if (hit.rank > budget) continue;
        covered = true;
        if (shareOf !== undefined) value += hit.value / shareOf;
        else if (hit.value > value) value = hit.value;
      }
      out.push({ strategy: run.strategy, budget, covered, value });
    }
  }
  return out;
}

/** The plan's reward: 1 if any strategy run returned the engaged entity, minus costWeight · the cost spent. */
export function planReward(covered: boolean, cost: number, costWeight: number): number {
  return (covered ? 1 : 0) - costWeight * cost;
}
