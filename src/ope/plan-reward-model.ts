/**
 * The reward model DM and DR need on retrieval decision logs, fitted on the log itself. The plan reward is
 * r = [covered] − costWeight · cost, so the model predicts its two parts per (strategy, budget) arm and combines
 * them as the policy does (src/policy/plan.ts, planValue):
 *
 *   r̂(plan) = g · (1 − Π_s (1 − ĉ_s(b_s) / g)) − costWeight · Σ_s ĉost_s(b_s)
 *
 * ĉ_s(b) is a ridge regression per arm (DisjointLinearModel) of the logged semi-bandit credit (did strategy s,
 * run at budget b, return what the user engaged with); ĉost_s(b) the same of the run's logged cost. Coverage is
 * made non-decreasing in the budget by a running maximum over the strategy's observed budgets (a larger budget
 * extends a smaller one), as the policy does. An arm the log never ran has coverage 0 and costs its budget.
 *
 * g is the chance the user engages at all when some strategy has what they want. Credits are correlated through
 * it (no click, no strategy is credited), so strategies are taken as independent given engagement, not
 * outright: the policy's 1 − Π(1 − c) (g = 1) put always-all at 0.91 where the simulator measured 0.61. g is
 * fitted by least squares of the logged coverage over a grid of values (q_s = ĉ_s / g is capped at 1).
 *
 * Because strategies enter independently, the expectation of r̂ under a target whose budgets are independent
 * given a mixture component (every Quiver planner: src/ope/retrieval-targets.ts) is r̂ of the expected
 * coverages and costs, exactly: E[Π(1 − q_s)] = Π(1 − E q_s). So DM needs no sampling of plans.
 */
import { DisjointLinearModel } from '../policy/arm-model.js';
import { type PlanArm, planValue } from '../policy/plan.js';
import { armContext, armName } from '../policy/retrieval-policy.js';
import type { DecisionLogLine } from './decision-log.js';
import type { PlanMixture } from './retrieval-targets.js';

/** Which context the arm regressions read: the strategy's action features only, or the policy's whole x. */
export const REWARD_CONTEXTS = ['actions', 'full'] as const;
export type RewardContext = (typeof REWARD_CONTEXTS)[number];

export interface PlanRewardModel {
  /** r̂ of a plan in a logged decision's context. */
  value(line: DecisionLogLine, plan: Readonly<Record<string, number>>): number;
  /** E r̂ over a target's plan distribution in that context (exact; see the file comment). */
  expectation(line: DecisionLogLine, mixture: PlanMixture): number;
}

const clip = (p: number) => Math.min(1, Math.max(0, p));

export function fitPlanRewardModel(lines: readonly DecisionLogLine[], costWeight: number, context: RewardContext = 'actions', ridge = 1): PlanRewardModel {
  const coverage = new DisjointLinearModel(ridge);
  const costs = new DisjointLinearModel(ridge);
  const budgets = new Map<string, Set<number>>();
  const contextOf = (line: DecisionLogLine, strategy: string) => armContext(context === 'full' ? line.features : [1], line.actions[strategy]);
  for (const line of lines) {
    for (const [strategy, budget] of Object.entries(line.plan)) {
      const input = { arm: armName(strategy, budget), x: contextOf(line, strategy) };
      coverage.update(input, line.credited[strategy] ? 1 : 0);
      costs.update(input, line.costs[strategy]);
      if (!budgets.has(strategy)) budgets.set(strategy, new Set());
      budgets.get(strategy)!.add(budget);
    }
  }
  const observed = new Map([...budgets].map(([s, set]) => [s, [...set].sort((a, b) => a - b)]));
  const estimate = (model: DisjointLinearModel, line: DecisionLogLine, strategy: string, budget: number) =>
    model.estimate([{ arm: armName(strategy, budget), x: contextOf(line, strategy) }])[0].mean;

  // Callers go line by line, asking for many arms of one line (a Thompson target's mixture has 65 components).
  let memoLine: DecisionLogLine | undefined;
  const memo = new Map<string, PlanArm>();
  /** The arm's (coverage, cost) in this context; budget 0 is not running the strategy. */
  const arm = (line: DecisionLogLine, strategy: string, budget: number): PlanArm => {
    if (budget === 0) return { strategy, budget, coverage: 0, cost: 0 };
    if (line !== memoLine) {
      memo.clear();
      memoLine = line;
    }
    const key = armName(strategy, budget);
    let found = memo.get(key);
    if (!found) {
      let c = 0;
      for (const b of observed.get(strategy) ?? []) if (b <= budget) c = Math.max(c, clip(estimate(coverage, line, strategy, b)));
      // Estimating an arm creates it, so ask the cost model only about arms the log ran.
      const cost = coverage.arms.has(key) ? Math.max(0, estimate(costs, line, strategy, budget)) : budget;
      memo.set(key, (found = { strategy, budget, coverage: c, cost }));
    }
    return found;
  };

  // planValue of the arms with q = c / g and no cost is 1 − Π(1 − q): the chance some strategy has it.
  const found = (arms: readonly PlanArm[], g: number) => planValue(arms.map((a) => ({ ...a, coverage: a.coverage / g, cost: 0 })), 0);
  const costOf = (arms: readonly PlanArm[]) => arms.reduce((total, a) => total + a.cost, 0);
  const engagement = fitEngagement(lines.map((line) => ({ arms: Object.entries(line.plan).map(([s, b]) => arm(line, s, b)), covered: line.covered })), found);
  const valueOf = (arms: readonly PlanArm[]) => engagement * found(arms, engagement) - costWeight * costOf(arms);

  return {
    value: (line, plan) => valueOf(Object.entries(plan).map(([s, b]) => arm(line, s, b))),
    expectation(line, mixture) {
      let total = 0;
      for (const component of mixture) {
        const expected: PlanArm[] = [];
        for (const [strategy, distribution] of component) {
          let c = 0;
          let cost = 0;
          for (const [budget, p] of distribution) {
            if (p === 0 || budget === 0) continue;
            const a = arm(line, strategy, budget);
            c += p * Math.min(a.coverage, engagement); // capped before averaging, as q = c / g is, so E q stays exact
            cost += p * a.cost;
          }
          expected.push({ strategy, budget: 0, coverage: c, cost });
        }
        total += valueOf(expected);
      }
      return total / mixture.length;
    },
  };
}

/** The g in [0.05, 1] (steps of 0.01) whose r̂ fits the logged coverage best in squared error. */
function fitEngagement(lines: ReadonlyArray<{ arms: PlanArm[]; covered: boolean }>, found: (arms: readonly PlanArm[], g: number) => number): number {
  let best = 1;
  let bestError = Infinity;
  for (let step = 5; step <= 100; step++) {
    const g = step / 100;
    let error = 0;
    for (const { arms, covered } of lines) error += ((covered ? 1 : 0) - g * found(arms, g)) ** 2;
    if (error < bestError - 1e-12) {
      best = g;
      bestError = error;
    }
  }
  return best;
}
