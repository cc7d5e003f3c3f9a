/**
 * What /stats costs a search. Records the same simulated searches (a plan of 1–4 of 10 strategies, four stage
 * latencies drawn log-normally) three ways side by side in one process: EngineStats (the engine's hook: time
 * buckets of sums + log histograms), prom-client (the usual way: a labelled histogram per stage and a counter per
 * strategy selection, observed per request), and exact (every latency pushed into arrays, sorted at read time).
 * Reports ns per recorded search, the cost of one read (snapshot / exposition / sort), and heap growth; then the
 * hook's cost as a share of a real search (the engine over the demo catalogue with the cheapest plan, lexical).
 *
 *   npx tsx --expose-gc bench/engine-stats-bench.ts [--searches 1000000] [--engine-searches 3000]
 */
import { parseArgs } from 'node:util';
import { Counter, Histogram, Registry } from 'prom-client';
import { Engine } from '../src/engine/engine.js';
import { EngineStats } from '../src/engine/engine-stats.js';
import { STAGES } from '../src/engine/stats-bucket.js';
import { loadCatalog } from '../src/catalog/load.js';
import { demoCatalogPath } from '../src/demo.js';
import { SearchIndex } from '../src/index/search-index.js';
import { createQueryContext } from '../src/query/query-context.js';
import type { StrategyRun } from '../src/retrieval/registry.js';
import { RetrievalResources } from '../src/retrieval/resources.js';
import { mulberry32 } from '../src/util/random.js';
import { heapBytes, intFlag, requireGc } from './args.js';
import { percentile } from './stats.js';

const { values: flags } = parseArgs({ options: { searches: { type: 'string', default: '1000000' }, 'engine-searches': { type: 'string', default: '3000' } } });
const N = intFlag('searches', flags.searches, 1000);
const ENGINE_N = intFlag('engine-searches', flags['engine-searches'], 0);
requireGc();

const STRATEGIES = ['lexical', 'fuzzy', 'popular', 'fresh', 'explore', 'structured', 'semantic', 'memory', 'related', 'personalised'];
const random = mulberry32(42);
const logNormal = (medianMs: number) => medianMs * Math.exp(0.6 * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random()));

// The simulated searches, made before any timing so every recorder sees the same input.
const SAMPLES = 4096;
const searches = Array.from({ length: SAMPLES }, () => {
  const size = 1 + Math.floor(random() * 4);
  const runs: StrategyRun[] = [];
  for (let i = 0; i < size; i++) runs.push({ strategy: STRATEGIES[Math.floor(random() * STRATEGIES.length)], budget: 25, count: 20, ms: logNormal(0.1) });
  const timings = { plan: logNormal(0.05), retrieve: logNormal(0.3), rank: logNormal(0.1), total: 0 };
  timings.total = timings.plan + timings.retrieve + timings.rank;
  return { retrieval: { candidates: 40, runs }, timings };
});

interface Recorder {
  name: string;
  record(i: number): void;
  read(): Promise<unknown> | unknown;
}

function engineStats(): Recorder {
  const stats = new EngineStats(STRATEGIES, new RetrievalResources(new SearchIndex()));
  const key = stats.keyOf(createQueryContext('x'));
  const sources = { planner: { name: 'bench', kind: 'static' }, ranker: { name: 'none' } as never, entities: 0, pendingRequests: 0, loggedImpressions: 0, retraining: false };
  return { name: 'EngineStats', record: (i) => stats.searched(key, searches[i].retrieval, searches[i].timings), read: () => stats.snapshot(sources) };
}

function promClient(): Recorder {
  const registry = new Registry();
  const stages = new Histogram({ name: 'stage_seconds', help: 'h', labelNames: ['stage'], buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  const selections = new Counter({ name: 'selections_total', help: 'c', labelNames: ['strategy'], registers: [registry] });
  return {
    name: 'prom-client',
    record(i) {
      const s = searches[i];
      for (const stage of STAGES) stages.observe({ stage }, s.timings[stage] / 1000);
      for (const run of s.retrieval.runs) selections.inc({ strategy: run.strategy });
    },
    read: () => registry.metrics(),
  };
}

function exact(): Recorder {
  const values = STAGES.map(() => [] as number[]);
  const selections = new Map<string, number>();
  return {
    name: 'exact arrays',
    record(i) {
      const s = searches[i];
      STAGES.forEach((stage, j) => values[j].push(s.timings[stage]));
      for (const run of s.retrieval.runs) selections.set(run.strategy, (selections.get(run.strategy) ?? 0) + 1);
    },
    read: () => values.map((v) => { const sorted = Float64Array.from(v).sort(); return [0.5, 0.9, 0.99].map((p) => percentile(sorted, p)); }),
  };
}

const rows: string[] = [];
let engineStatsNs = 0;
for (const make of [engineStats, promClient, exact]) {
  const heap = heapBytes();
  const recorder = make();
  for (let i = 0; i < 10_000; i++) recorder.record(i % SAMPLES); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) recorder.record(i % SAMPLES);
  const ns = Number(process.hrtime.bigint() - started) / N;
  const readStarted = process.hrtime.bigint();
  await recorder.read();
  const readMs = Number(process.hrtime.bigint() - readStarted) / 1e6;
  const grown = (heapBytes() - heap) / 1024 / 1024;
  if (recorder.name === 'EngineStats') engineStatsNs = ns;
  rows.push(`| ${recorder.name} | ${ns.toFixed(0)} | ${(ns / engineStatsNs).toFixed(2)} | ${readMs.toFixed(2)} | ${grown.toFixed(1)} |`);
}
console.log(`${N.toLocaleString('en')} simulated searches, recorded three ways\n`);
console.log('| recorder | ns / search | × EngineStats | one read (ms) | heap growth (MiB) |\n| --- | ---: | ---: | ---: | ---: |');
console.log(rows.join('\n'));

if (ENGINE_N > 0) {
  const index = SearchIndex.build(loadCatalog(demoCatalogPath()).entities, { popularityWeight: 1 });
  const engine = new Engine(index, { policy: 'lexical', ranker: 'heuristic', retrainEvery: 0 });
  const words = ['love', 'queen', 'rock', 'happy', 'night', 'dance', 'blue', 'summer', 'heart', 'girl'];
  const latencies = new Float64Array(ENGINE_N);
  for (let i = 0; i < ENGINE_N + 500; i++) {
    const started = process.hrtime.bigint();
    engine.search({ query: `${words[i % 10]} ${words[(i * 7) % 10]}`, context: { user: `u${i % 50}` } });
    if (i >= 500) latencies[i - 500] = Number(process.hrtime.bigint() - started);
    if (i % 1000 === 0) engine.flush();
  }
  latencies.sort();
  const p50 = percentile(latencies, 0.5);
  console.log(`\nengine.search (demo catalogue, plan "lexical", heuristic ranker): p50 ${(p50 / 1e3).toFixed(0)} µs, p99 ${(percentile(latencies, 0.99) / 1e3).toFixed(0)} µs;`);
  console.log(`the EngineStats hook is ${((100 * engineStatsNs) / p50).toFixed(2)}% of the median search.`);
}
