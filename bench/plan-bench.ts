/**
 * The greedy retrieval plan (src/policy/plan.ts) against the Map-based original it replaced (kept as the test
 * oracle, test/helpers/greedy-plan-reference.ts), on the instances a search meets: 10 strategies × 4 budgets,
 * coverages drawn like a Thompson policy's sampled scores. A learned search runs it 65 times (the greedy plan and
 * 64 draws for the propensity). Same instances, same order, interleaved rounds; the plans are checked equal.
 *
 *   npx tsx bench/plan-bench.ts [--instances 2000] [--rounds 7]
 */
import { parseArgs } from 'node:util';
import { greedyPlan, GreedyPlanner, type PlanArm } from '../src/policy/plan.js';
import { mulberry32 } from '../src/util/random.js';
import { referenceGreedyPlan } from '../test/helpers/greedy-plan-reference.js';
import { intFlag } from './args.js';
import { percentile } from './stats.js';

const { values: args } = parseArgs({ options: { instances: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '7' } } });
const count = intFlag('instances', args.instances, 1);
const rounds = intFlag('rounds', args.rounds, 1);

const GRID = [10, 25, 50, 100];
const random = mulberry32(1);
const instances: PlanArm[][] = Array.from({ length: count }, () => {
  const arms: PlanArm[] = [];
  for (let s = 0; s < 10; s++) {
    const ceiling = random() * 0.8;
    for (const budget of GRID) arms.push({ strategy: `s${s}`, budget, coverage: ceiling * Math.sqrt(budget / 100) + (random() - 0.5) * 0.2, cost: budget * (0.5 + random()) });
  }
  return arms;
});
const options = { costWeight: 0.0005 };
for (const arms of instances) {
  if (JSON.stringify(greedyPlan(arms, options)) !== JSON.stringify(referenceGreedyPlan(arms, options))) throw new Error('the plans differ');
}

// As the retrieval policy runs it: one planner over the fixed layout (10 strategies × 4 budgets), reused by
// every draw, with the coverages and costs as typed arrays.
const planner = new GreedyPlanner(instances[0].map((arm) => Number(arm.strategy.slice(1))), instances[0].map((arm) => arm.budget));
const arrays = new Map(instances.map((arms) => [arms, { coverage: Float64Array.from(arms, (a) => a.coverage), cost: Float64Array.from(arms, (a) => a.cost) }]));
const reused = (arms: PlanArm[], o: typeof options) => planner.plan(arrays.get(arms)!.coverage, arrays.get(arms)!.cost, o);
for (const arms of instances) {
  const steps = reused(arms, options).map((a) => `${arms[a].strategy}@${arms[a].budget}`).join();
  if (steps !== referenceGreedyPlan(arms, options).map((p) => `${p.strategy}@${p.budget}`).join()) throw new Error('the reused planner differs');
}
const implementations = { 'GreedyPlanner, reused (the policy)': reused, 'greedyPlan (builds a planner per call)': greedyPlan, 'Map-based original': referenceGreedyPlan };
const perCall: Record<string, number[]> = Object.fromEntries(Object.keys(implementations).map((k) => [k, []]));
let sink = 0;
for (let round = 0; round < rounds; round++) {
  for (const [name, plan] of Object.entries(implementations)) {
    const started = process.hrtime.bigint();
    for (const arms of instances) sink += plan(arms, options).length;
    perCall[name].push(Number(process.hrtime.bigint() - started) / 1000 / count);
  }
}
console.log(`${count} instances × ${rounds} rounds (sink ${sink}); µs per plan, per round:`);
console.log('| implementation | p50 µs | min µs | max µs | per search (×65) µs | × reused |\n| --- | ---: | ---: | ---: | ---: | ---: |');
const base = percentile(Float64Array.from(perCall['GreedyPlanner, reused (the policy)'].slice(1)).sort(), 0.5);
for (const [name, values] of Object.entries(perCall)) {
  const sorted = Float64Array.from(values.slice(1)).sort(); // the first round warms the JIT
  const p50 = percentile(sorted, 0.5);
  console.log(`| ${name} | ${p50.toFixed(2)} | ${sorted[0].toFixed(2)} | ${sorted[sorted.length - 1].toFixed(2)} | ${(65 * p50).toFixed(0)} | ${(p50 / base).toFixed(2)} |`);
}
