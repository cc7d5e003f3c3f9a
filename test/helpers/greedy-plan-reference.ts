// The original, Map-based greedy plan (session 2), kept as the oracle of src/policy/plan.ts's array-based
// greedyPlan: the two must return the same steps, in the same order, to the bit (test/policy/plan.test.ts), and
// bench/plan-bench.ts times one against the other.
import type { PlanArm, PlanOptions, PlanStep } from '../../src/policy/plan.js';

/**
 * The greedy plan: one step per strategy, at its final budget, in the order strategies entered. Greedy moves
 * add a strategy or raise a budget; once none gains, coordinate ascent tries every other single change (lower a
 * budget, drop a strategy) and keeps any that gains, so the result is a local optimum over one-strategy changes
 * (greedy alone fell 14% short of the optimum on some instances; the test compares with brute force).
 */
export function referenceGreedyPlan(arms: readonly PlanArm[], options: PlanOptions): PlanStep[] {
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

