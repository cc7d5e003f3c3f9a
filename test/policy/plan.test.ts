// The retrieval plan: greedy selection of strategies and budgets against brute force, and semi-bandit credit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CoverageHit, coverageCredit, greedyPlan, type PlanArm, planReward, planValue, shownGain } from '../../src/policy/plan.js';
import { mulberry32 } from '../../src/util/random.js';
import fc from 'fast-check';
import { referenceGreedyPlan } from '../helpers/greedy-plan-reference.js';

const GRID = [10, 25, 50, 100];

/** Random instances: coverage rising with budget (concave), cost proportional to budget. */
function instance(seed: number, strategies = 4): PlanArm[] {
  const random = mulberry32(seed);
  const arms: PlanArm[] = [];
  for (let s = 0; s < strategies; s++) {
    const ceiling = random() * 0.9;
    const speed = 5 + random() * 60;
    const unit = 0.5 + random() * 3;
    for (const budget of GRID) arms.push({ strategy: `s${s}`, budget, coverage: ceiling * (1 - Math.exp(-budget / speed)), cost: unit * budget });
  }
  return arms;
}

/** Every assignment of one budget (or none) per strategy: the exact optimum. */
function bruteForce(arms: PlanArm[], costWeight: number): number {
  const strategies = [...new Set(arms.map((a) => a.strategy))];
  let best = 0;
  const walk = (i: number, plan: PlanArm[]) => {
    if (i === strategies.length) {
      best = Math.max(best, planValue(plan, costWeight));
      return;
    }
    walk(i + 1, plan);
    for (const arm of arms.filter((a) => a.strategy === strategies[i])) walk(i + 1, [...plan, arm]);
  };
  walk(0, []);
  return best;
}

test('plans come within 5% of the brute-force optimum and no one-strategy change gains', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const arms = instance(seed);
    const costWeight = 0.0005 * (seed % 5);
    const plan = greedyPlan(arms, { costWeight });
    const value = planValue(plan, costWeight);
    assert.ok(value >= 0.95 * bruteForce(arms, costWeight) - 1e-12, `seed ${seed}`);
    // Local optimality: no single strategy's budget can be changed (added, raised, lowered, dropped) for a gain.
    const strategies = [...new Set(arms.map((a) => a.strategy))];
    for (const strategy of strategies) {
      const others = plan.filter((p) => p.strategy !== strategy);
      assert.ok(planValue(others, costWeight) <= value + 1e-9, `seed ${seed}: dropping ${strategy} would gain`);
      for (const arm of arms.filter((a) => a.strategy === strategy)) {
        assert.ok(planValue([...others, arm], costWeight) <= value + 1e-9, `seed ${seed}: ${strategy}@${arm.budget} would gain`);
      }
    }
  }
});

test('free candidates take every useful strategy at its largest budget; dear ones take none; a cap holds', () => {
  const arms = instance(7);
  const free = greedyPlan(arms, { costWeight: 0 });
  assert.deepEqual(free.map((p) => p.budget), free.map(() => 100));
  assert.equal(free.length, new Set(arms.filter((a) => a.coverage > 0).map((a) => a.strategy)).size);
  assert.deepEqual(greedyPlan(arms, { costWeight: 1 }), []);
  assert.ok(greedyPlan(arms, { costWeight: 0, maxStrategies: 2 }).length === 2);
});

test('the array-based greedy plan equals the original Map-based one to the bit, ties and odd coverages included', () => {
  // Coverages from a small set force ties; values outside [0, 1] and falling with budget exercise the clipping and
  // the coordinate-ascent moves (lower a budget, drop a strategy).
  const coverage = fc.oneof(fc.constantFrom(-0.2, 0, 0.1, 0.3, 0.5, 1, 1.3), fc.double({ min: -0.5, max: 1.5, noNaN: true }));
  const arm = fc.record({ strategy: fc.constantFrom('a', 'b', 'c', 'd', 'e'), budget: fc.constantFrom(10, 25, 50, 100), coverage, cost: fc.constantFrom(0, 1, 5, 20, 80) });
  fc.assert(fc.property(
    fc.array(arm, { maxLength: 24 }), fc.constantFrom(0, 0.0005, 0.002, 0.01), fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    (arms, costWeight, maxStrategies) => {
      assert.deepEqual(greedyPlan(arms, { costWeight, maxStrategies }), referenceGreedyPlan(arms, { costWeight, maxStrategies }));
    },
  ), { seed: 42, numRuns: 3000 });
  for (let seed = 1; seed <= 200; seed++) {
    const arms = instance(seed, 10);
    assert.deepEqual(greedyPlan(arms, { costWeight: 0.0002 }), referenceGreedyPlan(arms, { costWeight: 0.0002 }), `seed ${seed}`);
  }
});

test('semi-bandit credit: a run at budget B answers every grid budget up to B, at the best worth within each budget', () => {
  const runs = [{ strategy: 'lexical', budget: 50 }, { strategy: 'fuzzy', budget: 25 }];
  // lexical returned two engaged entities: one at rank 12 shown at position 3, one at rank 40 shown first.
  const hits: Record<string, CoverageHit[] | undefined> = { lexical: [{ rank: 12, value: shownGain(3) }, { rank: 40, value: shownGain(1) }], fuzzy: undefined };
  const credit = coverageCredit(runs, (s) => hits[s], GRID);
  assert.deepEqual(credit, [
    { strategy: 'lexical', budget: 10, covered: false, value: 0 },
    { strategy: 'lexical', budget: 25, covered: true, value: 0.5 },
    { strategy: 'lexical', budget: 50, covered: true, value: 1 },
    { strategy: 'fuzzy', budget: 10, covered: false, value: 0 },
    { strategy: 'fuzzy', budget: 25, covered: false, value: 0 },
  ]);
  assert.equal(planReward(true, 75, 0.002), 1 - 0.15);
  assert.equal(planReward(false, 75, 0.002), -0.15);
});

test('share credit: an arm earns its hits\' worth over the engaged entities, so holding more of them pays', () => {
  const runs = [{ strategy: 'lexical', budget: 50 }, { strategy: 'fuzzy', budget: 25 }];
  // Three entities engaged with: lexical held two (rank 12 shown third, rank 40 shown first), fuzzy one (rank 3).
  const hits: Record<string, CoverageHit[] | undefined> = { lexical: [{ rank: 12, value: shownGain(3) }, { rank: 40, value: shownGain(1) }], fuzzy: [{ rank: 3, value: 1 }] };
  const credit = coverageCredit(runs, (s) => hits[s], GRID, 3);
  assert.deepEqual(credit.map((c) => [c.strategy, c.budget, c.covered, Number(c.value.toFixed(12))]), [
    ['lexical', 10, false, 0],
    ['lexical', 25, true, Number((0.5 / 3).toFixed(12))],
    ['lexical', 50, true, 0.5],
    ['fuzzy', 10, true, Number((1 / 3).toFixed(12))],
    ['fuzzy', 25, true, Number((1 / 3).toFixed(12))],
  ]);
  // With one engaged entity the rules agree.
  const one = { lexical: [{ rank: 7, value: shownGain(2) }] };
  assert.deepEqual(coverageCredit(runs.slice(0, 1), (s) => one[s as 'lexical'], GRID, 1), coverageCredit(runs.slice(0, 1), (s) => one[s as 'lexical'], GRID));
  assert.throws(() => coverageCredit(runs, (s) => hits[s], GRID, 1), RangeError);
});

test('shownGain is DCG\'s discount of the page position, and 1 when the position is unknown', () => {
  assert.equal(shownGain(1), 1);
  assert.equal(shownGain(3), 0.5);
  assert.ok(Math.abs(shownGain(10) - 1 / Math.log2(11)) < 1e-15);
  assert.equal(shownGain(undefined), 1);
  assert.equal(shownGain(0), 1);
});
