/**
 * Can any plan reach the target on this world? The target asks a learned plan for ≥ 97% of always-all's
 * candidate recall at ≤ 40% of its candidates. This replays always-all once (LambdaMART, as `quiver simulate`),
 * records every strategy's full list per search, and then answers exactly, for every static plan (a budget per
 * strategy from {0} ∪ the policy's grid; a smaller budget is a prefix of a larger one, as the conformance suite
 * guarantees):
 * - the best static plan's recall at the candidate cap, and the fewest candidates a static plan needs for 97%;
 * - the same for an oracle that knows each search's label and picks a static plan per label (the budget shared
 *   across labels), a bound on what a policy that reads the label from its context could do with fixed plans;
 * - where the learned policy (`--policy`, run on the same stream and seed) stands.
 * Memory and personalised are recorded as they answered in always-all's run (their lists depend on feedback).
 * Candidates are counted as the simulator counts them: the sum of each strategy's returned count.
 *
 *   npx tsx bench/plan-frontier.ts --catalog c.jsonl --stream s.jsonl [--click-model pbm] [--seed 1]
 *     [--policy thompson|none] [--cap 0.4] [--target 0.97] [--save table.jsonl] [--json]
 *
 * `--save` writes the recorded table, one line per search: label, and per strategy its count at the full budget
 * and the rank of its first target (0: none), for analyses of which strategies overlap.
 *
 * Every static plan is enumerated (5 budgets ^ strategies): a depth-first walk over strategies that keeps the
 * union of covered searches as a bitset per level, so the answer is exact, not a heuristic search.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/load.js';
import { markdownTable } from '../src/cli/output.js';
import { readStream } from '../src/eval/stream.js';
import { SearchIndex } from '../src/index/search-index.js';
import { createPlanner, DEFAULT_HOLDBACK_DECAY, defaultHoldback } from '../src/policy/planners.js';
import { DEFAULT_GRID } from '../src/policy/retrieval-policy.js';
import { createFeatureSet } from '../src/rank/features/quiver-features.js';
import { LearningRanker } from '../src/rank/learning-ranker.js';
import { ModelRegistry } from '../src/rank/lifecycle/model-registry.js';
import { createStrategies } from '../src/retrieval/registry.js';
import { RetrievalResources } from '../src/retrieval/resources.js';
import type { Strategy } from '../src/retrieval/strategy.js';
import { createClickModel } from '../src/simulate/click-models.js';
import { simulate, type SimulationReport } from '../src/simulate/simulator.js';
import { intFlag } from './args.js';

const { values: args } = parseArgs({
  options: {
    catalog: { type: 'string' },
    stream: { type: 'string' },
    'click-model': { type: 'string', default: 'pbm' },
    seed: { type: 'string', default: '1' },
    policy: { type: 'string', default: 'thompson' },
    cap: { type: 'string', default: '0.4' },
    target: { type: 'string', default: '0.97' },
    save: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
if (!args.catalog || !args.stream) throw new Error('--catalog <file> and --stream <file> are required');
const seed = intFlag('seed', args.seed, 0);
const cap = Number(args.cap);
const target = Number(args.target);
if (!(cap > 0 && cap <= 1)) throw new Error(`--cap is a share of always-all's candidates in (0, 1], got ${args.cap}`);
if (!(target > 0 && target <= 1)) throw new Error(`--target is a share of always-all's recall in (0, 1], got ${args.target}`);

const { entities } = loadCatalog(args.catalog);
const index = SearchIndex.build(entities, {});
const events = readStream(args.stream);
const grid = [0, ...DEFAULT_GRID];
const full = grid[grid.length - 1];

/** One simulation on fresh resources (memory and personalisation learn from this run only). */
function run(policy: string, record?: (strategy: Strategy, ids: readonly string[]) => void, onProgress?: (done: number) => void): SimulationReport {
  const resources = new RetrievalResources(index);
  const strategies = new Map([...createStrategies(resources)].map(([name, strategy]) => [name, record ? recording(strategy, record) : strategy]));
  const planner = createPlanner(policy, resources, strategies, { holdback: defaultHoldback('lambdamart') });
  const ranker = new LearningRanker(createFeatureSet(resources), ModelRegistry.open());
  return simulate(planner, ranker, resources, strategies, events, createClickModel(args['click-model']!), { seed, regret: false, onProgress });
}

/** The strategy, reporting every full-budget list it returns (the simulator's warm-up asks for one candidate). */
function recording(strategy: Strategy, record: (strategy: Strategy, ids: readonly string[]) => void): Strategy {
  const retrieve = strategy.retrieve.bind(strategy);
  return Object.assign(Object.create(strategy) as Strategy, {
    retrieve(query: Parameters<Strategy['retrieve']>[0], budget: number) {
      const found = retrieve(query, budget);
      if (budget === full) record(strategy, found.map((c) => c.id));
      return found;
    },
  });
}

// Always-all, recording per search each strategy's count and the rank of its first target (0: none).
const names = [...createStrategies(new RetrievalResources(index)).keys()];
const S = names.length;
const T = events.length;
const count = new Int32Array(T * S);
const firstTarget = new Int32Array(T * S);
let pending = new Map<string, readonly string[]>();
let recorded = 0;
const always = run('always-all', (strategy, ids) => pending.set(strategy.name, ids), (done) => {
  const t = done - 1;
  const targets = new Set(events[t].targets);
  for (const [name, ids] of pending) {
    const s = names.indexOf(name);
    count[t * S + s] = ids.length;
    firstTarget[t * S + s] = ids.findIndex((id) => targets.has(id)) + 1;
  }
  if (pending.size !== S) throw new Error(`search ${t}: ${pending.size} of ${S} strategies ran at ${full}`);
  pending = new Map();
  recorded++;
});
if (recorded !== T) throw new Error(`recorded ${recorded} searches of ${T}`);
if (args.save) {
  const rows = events.map((event, t) => JSON.stringify({ label: event.label, count: Object.fromEntries(names.map((name, s) => [name, count[t * S + s]])), first: Object.fromEntries(names.map((name, s) => [name, firstTarget[t * S + s]])) }));
  writeFileSync(args.save, `${rows.join('\n')}\n`);
}

/** Searches (bit per search) strategy s covers at grid budget g, and what it costs there. */
const words = (T + 31) >>> 5;
const covers: Uint32Array[][] = names.map((_, s) => grid.map((budget) => {
  const bits = new Uint32Array(words);
  for (let t = 0; t < T; t++) {
    const r = firstTarget[t * S + s];
    if (r > 0 && r <= budget) bits[t >>> 5] |= 1 << (t & 31);
  }
  return bits;
}));
const costOf = (s: number, budget: number, searches: readonly number[]) => searches.reduce((sum, t) => sum + Math.min(budget, count[t * S + s]), 0);

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

interface Point {
  candidates: number;
  hits: number;
  plan: number[];
}

/**
 * Every static plan's (candidates, searches covered) over `searches` (indices into the stream); returns the
 * Pareto frontier (fewest candidates for each number of searches covered, covered rising with candidates).
 */
function frontier(searches: readonly number[]): Point[] {
  const mask = new Uint32Array(words);
  for (const t of searches) mask[t >>> 5] |= 1 << (t & 31);
  const cost = names.map((_, s) => grid.map((budget) => costOf(s, budget, searches)));
  const levels = Array.from({ length: S + 1 }, () => new Uint32Array(words));
  // best[h]: fewest candidates of a plan covering exactly h searches, and that plan.
  const best = new Float64Array(searches.length + 1).fill(Infinity);
  const bestPlan: number[][] = [];
  const plan = new Array<number>(S).fill(0);
  const walk = (s: number, candidates: number) => {
    const union = levels[s];
    if (s === S) {
      let hits = 0;
      for (let w = 0; w < words; w++) hits += popcount(union[w] & mask[w]);
      if (candidates < best[hits]) {
        best[hits] = candidates;
        bestPlan[hits] = plan.slice();
      }
      return;
    }
    const next = levels[s + 1];
    for (let g = 0; g < grid.length; g++) {
      const bits = covers[s][g];
      for (let w = 0; w < words; w++) next[w] = union[w] | bits[w];
      plan[s] = grid[g];
      walk(s + 1, candidates + cost[s][g]);
    }
  };
  walk(0, 0);
  const points: Point[] = [];
  for (let h = searches.length; h >= 0; h--) {
    if (best[h] === Infinity) continue;
    if (points.length === 0 || best[h] < points[points.length - 1].candidates) points.push({ candidates: best[h], hits: h, plan: bestPlan[h] });
  }
  return points.reverse();
}

/** The most searches covered within `budget` candidates, one frontier point per label (multiple-choice knapsack). */
function perLabel(frontiers: Point[][], budget: number): { hits: number; candidates: number; plans: Point[] } {
  // Costs in buckets of `unit` candidates, rounded up, so a combination found is within the budget.
  const unit = Math.max(1, Math.ceil(budget / 4000));
  const B = Math.floor(budget / unit);
  let dp = new Float64Array(B + 1).fill(-Infinity);
  let spent = new Float64Array(B + 1);
  dp[0] = 0;
  // choice[l][b]: the point label l took to reach bucket b, and the bucket it came from.
  const choice: Array<{ point: Int32Array; from: Int32Array }> = [];
  for (const points of frontiers) {
    const next = new Float64Array(B + 1).fill(-Infinity);
    const nextSpent = new Float64Array(B + 1);
    const took = { point: new Int32Array(B + 1), from: new Int32Array(B + 1) };
    for (let b = 0; b <= B; b++) {
      if (dp[b] === -Infinity) continue;
      points.forEach((p, i) => {
        const c = b + Math.ceil(p.candidates / unit);
        if (c <= B && dp[b] + p.hits > next[c]) {
          next[c] = dp[b] + p.hits;
          nextSpent[c] = spent[b] + p.candidates;
          took.point[c] = i;
          took.from[c] = b;
        }
      });
    }
    choice.push(took);
    dp = next;
    spent = nextSpent;
  }
  let bestB = 0;
  for (let b = 0; b <= B; b++) if (dp[b] > dp[bestB]) bestB = b;
  const plans: Point[] = [];
  for (let l = frontiers.length - 1, b = bestB; l >= 0; b = choice[l].from[b], l--) plans[l] = frontiers[l][choice[l].point[b]];
  return { hits: dp[bestB], candidates: spent[bestB], plans };
}

const all = Array.from({ length: T }, (_, t) => t);
const alwaysHits = all.filter((t) => names.some((_, s) => firstTarget[t * S + s] > 0)).length;
const alwaysCandidates = count.reduce((a, b) => a + b, 0);
if (Math.abs(alwaysHits / T - always.candidate_recall) > 1e-9) throw new Error(`recorded recall ${alwaysHits / T} is not the simulator's ${always.candidate_recall}`);
const budget = cap * alwaysCandidates;
const need = Math.ceil(target * alwaysHits);

const started = Date.now();
const whole = frontier(all);
const labels = [...new Set(events.map((e) => e.label))].sort();
const byLabel = labels.map((label) => frontier(all.filter((t) => events[t].label === label)));
const enumerateSeconds = (Date.now() - started) / 1000;

const staticAtCap = whole.filter((p) => p.candidates <= budget).pop()!;
const staticFor97 = whole.find((p) => p.hits >= need);
const labelAtCap = perLabel(byLabel, budget);
// The fewest candidates the per-label oracle needs for the target: bisect the budget.
let lo = 0;
let hi = alwaysCandidates;
for (let i = 0; i < 30; i++) {
  const mid = (lo + hi) / 2;
  if (perLabel(byLabel, mid).hits >= need) hi = mid;
  else lo = mid;
}
const learned = args.policy === 'none' ? undefined : run(args.policy!);
// At the learned policy's own candidates: is it above or below what hindsight-tuned fixed plans cover?
const learnedBudget = learned ? (learned.mean_candidates / always.mean_candidates) * alwaysCandidates : 0;
const staticAtLearned = whole.filter((p) => p.candidates <= learnedBudget).pop();
const labelAtLearned = learned ? perLabel(byLabel, learnedBudget) : undefined;

const share = (x: number, of: number) => `${((100 * x) / of).toFixed(1)}%`;
const planText = (p: Point) => p.plan.map((b, s) => (b > 0 ? `${names[s]} ${b}` : '')).filter(Boolean).join(', ');
const rows = [
  { plan: 'always-all', 'recall ÷ always-all': '100%', 'candidates ÷ always-all': '100%', detail: `recall ${(alwaysHits / T).toFixed(3)}, ${(alwaysCandidates / T).toFixed(0)} candidates per search` },
  { plan: `best static plan within ${share(budget, alwaysCandidates)} of the candidates`, 'recall ÷ always-all': share(staticAtCap.hits, alwaysHits), 'candidates ÷ always-all': share(staticAtCap.candidates, alwaysCandidates), detail: planText(staticAtCap) },
  { plan: `fewest candidates for ${share(need, alwaysHits)} of the recall, static`, 'recall ÷ always-all': share(staticFor97!.hits, alwaysHits), 'candidates ÷ always-all': share(staticFor97!.candidates, alwaysCandidates), detail: planText(staticFor97!) },
  { plan: `best static plan per label (knowing the label) within ${share(budget, alwaysCandidates)}`, 'recall ÷ always-all': share(labelAtCap.hits, alwaysHits), 'candidates ÷ always-all': share(labelAtCap.candidates, alwaysCandidates), detail: labels.map((label, l) => `${label}: ${planText(labelAtCap.plans[l])}`).join('; ') },
  { plan: `fewest candidates for ${share(need, alwaysHits)} of the recall, per label`, 'recall ÷ always-all': share(need, alwaysHits), 'candidates ÷ always-all': share(hi, alwaysCandidates), detail: '' },
  ...(learned ? [
    { plan: `best static plan within the learned policy's ${share(learnedBudget, alwaysCandidates)}`, 'recall ÷ always-all': share(staticAtLearned!.hits, alwaysHits), 'candidates ÷ always-all': share(staticAtLearned!.candidates, alwaysCandidates), detail: planText(staticAtLearned!) },
    { plan: `best static plan per label within the learned policy's ${share(learnedBudget, alwaysCandidates)}`, 'recall ÷ always-all': share(labelAtLearned!.hits, alwaysHits), 'candidates ÷ always-all': share(labelAtLearned!.candidates, alwaysCandidates), detail: '' },
    { plan: `${learned.policy} (learned, holdback ${defaultHoldback('lambdamart')} fading past request ${DEFAULT_HOLDBACK_DECAY}, held back ${learned.held_back?.toFixed(3)})`, 'recall ÷ always-all': share(learned.candidate_recall, always.candidate_recall), 'candidates ÷ always-all': share(learned.mean_candidates, always.mean_candidates), detail: `nDCG@10 ${learned['ndcg@10'].toFixed(4)} (always-all ${always['ndcg@10'].toFixed(4)})` },
  ] : []),
];
if (args.json) {
  console.log(JSON.stringify({ searches: T, strategies: names, grid, cap, target, enumerateSeconds, rows }, null, 1));
} else {
  console.log(`${T} searches, ${S} strategies, budgets ${grid.join('/')}: ${grid.length ** S} static plans enumerated (${enumerateSeconds.toFixed(1)} s, whole stream and each of ${labels.length} labels)\n`);
  console.log(markdownTable(rows));
}
