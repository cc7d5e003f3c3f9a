/**
 * What ranking features cost at serving time: quiver.features over the union of every strategy (budget chosen
 * so the union is about 200 candidates) for generated demo queries, timed per query (mean, p50, p99) and per
 * feature group, side by side in one process with
 *   - the retrieval it follows (all strategies, the same plan): the cost features add to the funnel;
 *   - the per-candidate alternative for the lexical part: the index's `explain` for each candidate (one tree per
 *     candidate, what a ranker would do without a batch feature extractor), against the bm25f group.
 *
 *   npx tsx bench/features-bench.ts --queries 300 --budget 30 --seed 1
 */
import { loadCatalog } from '../src/catalog/load.js';
import { DEMO_INDEX_OPTIONS, demoCatalogPath } from '../src/demo.js';
import { summariseMs } from '../src/eval/latency.js';
import { generateStream } from '../src/eval/stream-generator.js';
import { SearchIndex } from '../src/index/search-index.js';
import { createQueryContext } from '../src/query/query-context.js';
import { createFeatureSet } from '../src/rank/features/quiver-features.js';
import { createStrategies, retrieveUnion } from '../src/retrieval/registry.js';
import { RetrievalResources } from '../src/retrieval/resources.js';
import { intFlag } from './args.js';

const args = process.argv.slice(2);
const at = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const n = intFlag('queries', at('--queries') ?? '300', 10);
const budget = intFlag('budget', at('--budget') ?? '30', 1);
const seed = intFlag('seed', at('--seed') ?? '1', 0);

const { entities } = loadCatalog(demoCatalogPath());
const index = SearchIndex.build(entities, DEMO_INDEX_OPTIONS);
const { events } = generateStream(entities, { n, seed });
const resources = new RetrievalResources(index);
const strategies = createStrategies(resources);
const set = createFeatureSet(resources);
const plan = new Map([...strategies.keys()].map((s) => [s, budget]));
const elapsed = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

// Warm-up: lazily built structures (vectors, lexicon, predicted queries) are not timed.
for (const event of events.slice(0, 20)) {
  const q = createQueryContext(event.query, { context: event.context });
  set.compute(q, retrieveUnion(strategies, plan, q).candidates);
}

const retrievalMs: number[] = [];
const featureMs: number[] = [];
const explainMs: number[] = [];
const bm25fMs: number[] = [];
const groupMs = new Map<string, number>();
let candidates = 0;
events.forEach((event, i) => {
  const q = createQueryContext(event.query, { context: event.context, seed: seed + i });
  let t = process.hrtime.bigint();
  const union = retrieveUnion(strategies, plan, q).candidates;
  retrievalMs.push(elapsed(t));
  candidates += union.length;
  t = process.hrtime.bigint();
  set.compute(q, union, { strategiesRun: plan.keys() });
  featureMs.push(elapsed(t));
  // Per group, on the same batch (each group alone, into a scratch matrix).
  const batch = { query: q, candidates: union, docs: Int32Array.from(union, (c) => index.docId(c.id)!), entities: union.map((c) => index.get(c.id)!), strategiesRun: new Set(plan.keys()) };
  const values = new Float64Array(union.length * set.names.length);
  let offset = 0;
  for (const group of set.groups) {
    t = process.hrtime.bigint();
    group.fill(batch, { values, stride: set.names.length, offset });
    const ms = elapsed(t);
    groupMs.set(group.name, (groupMs.get(group.name) ?? 0) + ms);
    if (group.name === 'bm25f') bm25fMs.push(ms);
    offset += group.features.length;
  }
  t = process.hrtime.bigint();
  for (const c of union) index.explain(q.raw, c.id);
  explainMs.push(elapsed(t));
});

const row = (name: string, ms: number[]) => {
  const s = summariseMs(ms);
  return `| ${name} | ${s.meanMs.toFixed(3)} | ${s.p50Ms.toFixed(3)} | ${s.p99Ms.toFixed(3)} |`;
};
const mean = (ms: number[]) => summariseMs(ms).meanMs;
console.log(`${events.length} generated demo queries, every strategy at budget ${budget}: ${(candidates / events.length).toFixed(1)} candidates per query, ${set.names.length} features\n`);
console.log('| per query | mean ms | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |');
console.log(row('retrieval (all strategies + union)', retrievalMs));
console.log(row('quiver.features compute', featureMs));
console.log(row('bm25f group (batch, from the postings)', bm25fMs));
console.log(row('index.explain per candidate (the alternative for bm25f)', explainMs));
console.log(`\nfeatures / retrieval: ${(mean(featureMs) / mean(retrievalMs)).toFixed(3)} (mean); explain per candidate / bm25f group: ${(mean(explainMs) / mean(bm25fMs)).toFixed(1)}× (mean)`);
console.log('\n| group | mean ms per query |\n| --- | ---: |');
for (const [name, ms] of groupMs) console.log(`| ${name} | ${(ms / events.length).toFixed(3)} |`);
