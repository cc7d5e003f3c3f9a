/**
 * Why does a planner's nDCG@10 on a label fall short? Runs one planner through the simulator (as `quiver
 * simulate` does) with the chosen ranker and, per query, records where the targets ended up: in the union or not
 * (a retrieval miss: the policy's problem), and if in it, the best target's rank in the served ranking (ranked
 * below the page: the ranker's problem). Per label it also asks of each strategy that ran and ranked a target
 * first ("s top-1") how often the ranker kept a target first: a specialist whose own top hit is right but is
 * overruled is what a learned ranker should learn to trust.
 *
 *   npx tsx bench/ltr-label-diagnostic.ts --catalog /tmp/catalog-20k.jsonl [--stream queries.jsonl] [--queries 5000]
 *     [--policy thompson] [--ranker lambdamart] [--click-model pbm] [--seed 1] [--from 0] [--negatives 10] [--no-position-discount]
 *     [--holdback share] [--examples label [--explain]] [--per-query out.jsonl] [--json]
 *
 * A learned plan runs with the holdback `quiver simulate` would give it (0.1 under LambdaMART; `--holdback` sets it).
 * `--from t` counts only queries from t on (the steady state after the ranker's first models); `--negatives n`
 * logs n unshown candidates per impression as soft negatives (the simulator's default 10; 0 logs none);
 * `--examples label` prints that label's first 20 queries (from t on) whose first result was not a target (with
 * `--explain`, the ranker's six largest feature contributions to the first result's score and the target's);
 * `--per-query file` writes one JSON line per counted query (t, label, query, nDCG@10, the best target's rank and
 * provenance, the strategies whose first hit was the served first), for pairing two runs of the same stream query by query.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/load.js';
import { markdownTable } from '../src/cli/output.js';
import { ndcgAt } from '../src/eval/metrics.js';
import { readStream } from '../src/eval/stream.js';
import { generateStream } from '../src/eval/stream-generator.js';
import { SearchIndex } from '../src/index/search-index.js';
import { createPlanner, defaultHoldback } from '../src/policy/planners.js';
import type { QueryContext } from '../src/query/query-context.js';
import { createFeatureSet } from '../src/rank/features/quiver-features.js';
import { HeuristicRanker } from '../src/rank/heuristic-ranker.js';
import { LearningRanker } from '../src/rank/learning-ranker.js';
import { ModelRegistry } from '../src/rank/lifecycle/model-registry.js';
import type { RankedResult, RankOptions, Ranker } from '../src/rank/ranker.js';
import { createStrategies } from '../src/retrieval/registry.js';
import { RetrievalResources } from '../src/retrieval/resources.js';
import type { UnionCandidate } from '../src/retrieval/union.js';
import { createClickModel } from '../src/simulate/click-models.js';
import { simulate } from '../src/simulate/simulator.js';
import { intFlag } from './args.js';

const { values: args } = parseArgs({
  options: {
    catalog: { type: 'string' },
    stream: { type: 'string' },
    'click-model': { type: 'string', default: 'pbm' },
    queries: { type: 'string', default: '5000' },
    policy: { type: 'string', default: 'thompson' },
    ranker: { type: 'string', default: 'lambdamart' },
    seed: { type: 'string', default: '1' },
    from: { type: 'string', default: '0' },
    negatives: { type: 'string', default: '10' },
    'no-position-discount': { type: 'boolean', default: false },
    holdback: { type: 'string' },
    examples: { type: 'string' },
    explain: { type: 'boolean', default: false },
    'per-query': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
if (!args.catalog) throw new Error('--catalog <file> is required');
const queries = intFlag('queries', args.queries, 1);
const seed = intFlag('seed', args.seed, 0);
const from = intFlag('from', args.from, 0);
// A learned plan's holdback as `quiver simulate` gives it: 0.1 under LambdaMART unless told.
const holdback = args.holdback === undefined ? defaultHoldback(args.ranker === 'lambdamart' ? 'lambdamart' : 'heuristic') : Number(args.holdback);
if (!(holdback >= 0 && holdback < 1)) throw new Error(`--holdback is a share in [0, 1), got ${args.holdback}`);

/** The last full ranking served, whichever ranker served it. */
interface Served {
  ranking: RankedResult[];
  ran: string[];
  query?: QueryContext;
  options?: RankOptions;
}
function recording<R extends Ranker>(ranker: R, served: Served): R {
  const rank = ranker.rank.bind(ranker);
  ranker.rank = (query: QueryContext, candidates: readonly UnionCandidate[], options?: RankOptions) => {
    // strategiesRun may be an iterator (a plan's keys): read it once and pass the copy on.
    served.ran = [...(options?.strategiesRun ?? [])];
    served.query = query;
    served.options = { ...options, strategiesRun: served.ran };
    return (served.ranking = rank(query, candidates, served.options));
  };
  return ranker;
}

const { entities } = loadCatalog(args.catalog);
const index = SearchIndex.build(entities, {});
const events = args.stream ? readStream(args.stream).slice(0, queries) : generateStream(entities, { n: queries, seed }).events;
const resources = new RetrievalResources(index);
const strategies = createStrategies(resources);
const planner = createPlanner(args.policy!, resources, strategies, { positionDiscount: !args['no-position-discount'], holdback });
const served: Served = { ranking: [], ran: [] };
// The plan of the request being served (strategy → budget), for the budgets column.
let lastPlan = new Map<string, number>();
const plan = planner.plan.bind(planner);
planner.plan = (query) => {
  const planned = plan(query);
  lastPlan = planned.plan;
  return planned;
};
const ranker = recording(args.ranker === 'lambdamart' ? new LearningRanker(createFeatureSet(resources), ModelRegistry.open()) : new HeuristicRanker(), served);

interface LabelTally {
  queries: number;
  ndcg: number;
  inUnion: number;
  first: number;
  onPage: number;
  /** Σ over queries of the share of min(10, |targets|) targets in the union, and on the page. */
  unionShare: number;
  pageShare: number;
  /** strategy → [queries where it ranked a target first, of those the ranker also put a target first]. */
  specialists: Map<string, [number, number]>;
  /** strategy → queries it ran for. */
  ran: Map<string, number>;
  /** strategy → Σ of the budgets it ran at. */
  budgets: Map<string, number>;
  /** Σ of union sizes. */
  candidates: number;
  /** strategy → queries where it ranked the wrong first result first (the target in the union but not first). */
  wrongFirst: Map<string, number>;
}
const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
const tallies = new Map<string, LabelTally>();
const examples: string[] = [];
const perQuery: string[] = [];
const report = simulate(planner, ranker, resources, strategies, events, createClickModel(args['click-model']!), {
  seed, regret: false, unshownNegatives: intFlag('negatives', args.negatives, 0),
  onProgress: (done) => {
    const t = done - 1;
    if (t < from) return;
    const event = events[t];
    const targets = new Set(event.targets);
    let tally = tallies.get(event.label);
    if (!tally) tallies.set(event.label, (tally = { queries: 0, ndcg: 0, inUnion: 0, first: 0, onPage: 0, unionShare: 0, pageShare: 0, specialists: new Map(), ran: new Map(), budgets: new Map(), candidates: 0, wrongFirst: new Map() }));
    tally.queries++;
    const ndcg = ndcgAt(served.ranking.slice(0, 10).map((r) => r.id), new Map(event.targets.map((id) => [id, 1])), 10);
    tally.ndcg += ndcg;
    for (const s of served.ran) bump(tally.ran, s);
    for (const [s, b] of lastPlan) tally.budgets.set(s, (tally.budgets.get(s) ?? 0) + b);
    tally.candidates += served.ranking.length;
    const ideal = Math.min(10, targets.size);
    tally.unionShare += Math.min(ideal, served.ranking.filter((r) => targets.has(r.id)).length) / ideal;
    tally.pageShare += served.ranking.slice(0, 10).filter((r) => targets.has(r.id)).length / ideal;
    const at = served.ranking.findIndex((r) => targets.has(r.id));
    if (args['per-query']) {
      const firstOf = served.ranking[0]?.candidate.provenance.filter((p) => p.rank === 1).map((p) => p.strategy) ?? [];
      const found = at < 0 ? [] : served.ranking[at].candidate.provenance.map((p) => `${p.strategy}#${p.rank}`);
      perQuery.push(JSON.stringify({ t, label: event.label, query: event.query, ndcg, at: at < 0 ? null : at + 1, found, first: served.ranking[0]?.id ?? null, firstOf, ran: served.ran }));
    }
    if (args.examples === event.label && at !== 0 && examples.filter((line) => !line.startsWith(' ')).length < 20) {
      const title = (id: string) => `${index.get(id)?.type} "${index.get(id)?.title}"`;
      const where = (r: RankedResult | undefined) => r ? `${title(r.id)} [${r.candidate.provenance.map((p) => `${p.strategy}#${p.rank}`).join(' ')}]` : 'none';
      examples.push(`"${event.query}": first ${where(served.ranking[0])}; best target at ${at + 1}: ${where(served.ranking[at])}; plan ${[...lastPlan].map(([s, b]) => `${s}@${b}`).join(' ')}`);
      if (args.explain && served.query && served.ranking[0]) {
        const why = (r: RankedResult | undefined) => {
          if (!r) return 'none';
          const e = ranker.explain(served.query!, r.candidate, served.options);
          return `${e.value.toFixed(3)}: ${e.details.slice(0, 7).map((d) => `${d.description.replace(/ = (-?\d+\.\d{3})\d*/, ' = $1')} ${d.value >= 0 ? '+' : ''}${d.value.toFixed(3)}`).join('; ')}`;
        };
        examples.push(`    first  ${why(served.ranking[0])}`, `    target ${why(at >= 0 ? served.ranking[at] : undefined)}`);
      }
    }
    if (at < 0) return;
    tally.inUnion++;
    if (at === 0) tally.first++;
    else for (const p of served.ranking[0].candidate.provenance) if (p.rank === 1) bump(tally.wrongFirst, p.strategy);
    if (at < 10) tally.onPage++;
    const topOf = new Set<string>();
    for (const r of served.ranking) for (const p of r.candidate.provenance) if (p.rank === 1 && targets.has(r.id)) topOf.add(p.strategy);
    for (const s of topOf) {
      const pair = tally.specialists.get(s) ?? [0, 0];
      pair[0]++;
      if (at === 0) pair[1]++;
      tally.specialists.set(s, pair);
    }
  },
});

/** The four most frequent keys, as shares of n. */
const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([s, c]) => `${s} ${(c / n).toFixed(2)}`).join(', ');
const rows = [...tallies].sort(([a], [b]) => a.localeCompare(b)).map(([label, t]) => ({
  label,
  queries: t.queries,
  'ndcg@10': (t.ndcg / t.queries).toFixed(3),
  'in union': (t.inUnion / t.queries).toFixed(3),
  'targets in union / on page': `${(t.unionShare / t.queries).toFixed(2)} / ${(t.pageShare / t.queries).toFixed(2)}`,
  'target 1st | in union': (t.first / Math.max(1, t.inUnion)).toFixed(3),
  'on page | in union': (t.onPage / Math.max(1, t.inUnion)).toFixed(3),
  'specialist top-1 → kept 1st': [...t.specialists].sort((a, b) => b[1][0] - a[1][0]).slice(0, 4)
    .map(([s, [n, kept]]) => `${s} ${(n / t.queries).toFixed(2)} → ${(kept / n).toFixed(2)}`).join(', '),
  ran: top(t.ran, t.queries),
  candidates: (t.candidates / t.queries).toFixed(0),
  'mean budget when run': [...t.ran].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([s, n]) => `${s} ${((t.budgets.get(s) ?? 0) / n).toFixed(0)}`).join(', '),
  'wrong first was top-1 of': top(t.wrongFirst, t.queries),
}));
if (args['per-query']) writeFileSync(args['per-query'], perQuery.map((line) => `${line}\n`).join(''));
if (args.json) console.log(JSON.stringify({ policy: args.policy, ranker: ranker.name, queries, from, rows, training: report.ranker_training }, null, 1));
else {
  console.log(`${args.policy} with ${args.ranker} (${ranker.name} at the end), ${queries} queries, counted from ${from}; overall nDCG@10 ${report['ndcg@10'].toFixed(3)}, recall ${report.candidate_recall.toFixed(3)}, ${report.mean_candidates.toFixed(0)} candidates per query\n`);
  console.log(markdownTable(rows));
  for (const line of examples) console.log(`- ${line}`);
  for (const t of report.ranker_training ?? []) console.log(`retrain at ${t.t}: v${t.version} ${t.promoted ? 'promoted' : 'kept'} (${t.reason})`);
}
