/**
 * Builds a learning-to-rank data set from the funnel's own features: a generated query stream (known targets)
 * over the demo catalogue (or a sample of it, bench/sample-catalog.ts) is replayed in time order; each query
 * runs every strategy at one budget, the union is featurised by quiver.features (the function serving uses),
 * labelled by the stream scheme of src/rank/features/stream-labels.ts (target 4, same artist 1, else 0), and
 * written as svmlight. Then the simulated user clicks the first target the union holds (as `quiver eval
 * strategies` does), so memory, profiles and tastes learn online and later queries' features carry it.
 *
 * Split by time: the first 60% of the stream is train, the next 20% valid, the last 20% test (a model is judged
 * on traffic after what it learned from). Queries whose union holds no target are left out of the files (all
 * their labels would be 0 or 1: no target to rank) and counted. Deterministic by seed.
 *
 *   npx tsx bench/ltr-dataset.ts --queries 3000 --seed 1 --budget 20 --out /tmp/ltr-demo [--catalog file]
 *
 * Writes <out>/{train,valid,test}.svm (+ .query, .features.json) and <out>/stats.json, with reference points
 * for the trained rankers: the test split's NDCG@10 (over the rows written, as an svmlight evaluation sees them)
 * of the heuristic ranker, plain RRF, and the lexical score alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../src/catalog/load.js';
import { DEMO_INDEX_OPTIONS, demoCatalogPath } from '../src/demo.js';
import { generateStream } from '../src/eval/stream-generator.js';
import { SearchIndex } from '../src/index/search-index.js';
import { mean, ndcgAt } from '../src/eval/metrics.js';
import { createQueryContext } from '../src/query/query-context.js';
import { HeuristicRanker, rrfRanker } from '../src/rank/heuristic-ranker.js';
import { createFeatureSet } from '../src/rank/features/quiver-features.js';
import { streamGrades, TARGET_GRADE } from '../src/rank/features/stream-labels.js';
import { TrainingRowsWriter, type TrainingRowsSummary } from '../src/rank/features/training-rows.js';
import { createStrategies, retrieveUnion } from '../src/retrieval/registry.js';
import { RetrievalResources } from '../src/retrieval/resources.js';
import { intFlag } from './args.js';

const args = process.argv.slice(2);
const at = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const queries = intFlag('queries', at('--queries') ?? '3000', 10);
const seed = intFlag('seed', at('--seed') ?? '1', 0);
const budget = intFlag('budget', at('--budget') ?? '20', 1);
const out = at('--out') ?? '/tmp/ltr-demo';
const catalogPath = at('--catalog') ?? demoCatalogPath();

const started = Date.now();
const { entities } = loadCatalog(catalogPath);
const index = SearchIndex.build(entities, DEMO_INDEX_OPTIONS);
const { events } = generateStream(entities, { n: queries, seed });
const resources = new RetrievalResources(index);
const strategies = createStrategies(resources);
const featureSet = createFeatureSet(resources);
const plan = new Map([...strategies.keys()].map((s) => [s, budget]));
console.error(`${entities.length} entities, ${events.length} queries, ${featureSet.names.length} features; setting up took ${((Date.now() - started) / 1000).toFixed(1)} s`);

mkdirSync(out, { recursive: true });
const splits = [
  { name: 'train', until: Math.floor(events.length * 0.6) },
  { name: 'valid', until: Math.floor(events.length * 0.8) },
  { name: 'test', until: events.length },
];
const writers = splits.map((s) => new TrainingRowsWriter(join(out, `${s.name}.svm`), featureSet.describe()));
const dropped: Record<string, number> = {};
const byLabel: Record<string, number> = {};
const references = { heuristic: new HeuristicRanker(), rrf: rrfRanker(), bm25f: undefined };
const testNdcg: Record<keyof typeof references, number[]> = { heuristic: [], rrf: [], bm25f: [] };
let candidatesTotal = 0;
let featureMs = 0;
const replayStarted = Date.now();
try {
  events.forEach((event, i) => {
    const q = createQueryContext(event.query, { context: event.context, seed: seed + i });
    const { candidates } = retrieveUnion(strategies, plan, q);
    candidatesTotal += candidates.length;
    const t = process.hrtime.bigint();
    const features = featureSet.compute(q, candidates, { strategiesRun: plan.keys() });
    featureMs += Number(process.hrtime.bigint() - t) / 1e6;
    const labels = streamGrades(index, event.targets, features.ids);
    const split = splits.findIndex((s) => i < s.until);
    if (labels.includes(TARGET_GRADE)) {
      writers[split].add({ qid: i + 1, features, labels });
      byLabel[event.label] = (byLabel[event.label] ?? 0) + 1;
      if (splits[split].name === 'test') {
        const qrels = new Map(features.ids.map((id, r) => [id, labels[r]]));
        for (const name of ['heuristic', 'rrf'] as const) testNdcg[name].push(ndcgAt(references[name].rank(q, candidates).map((r) => r.id), qrels, 10));
        const byBm25f = features.ids.map((id, r) => ({ id, r, score: features.get(r, 'bm25f') })).sort((a, b) => b.score - a.score || a.r - b.r);
        testNdcg.bm25f.push(ndcgAt(byBm25f.map((x) => x.id), qrels, 10));
      }
    } else dropped[splits[split].name] = (dropped[splits[split].name] ?? 0) + 1;
    const targets = new Set(event.targets);
    const found = candidates.findIndex((c) => targets.has(c.id));
    const clicked = found >= 0 ? { entityId: candidates[found].id, position: found + 1 } : { entityId: event.targets[0] };
    resources.learn({ query: event.query, ...clicked, type: 'click', time: q.time, user: event.context.user });
    if ((i + 1) % 500 === 0) console.error(`${i + 1} / ${events.length} queries`);
  });
} catch (err) {
  for (const w of writers) w.abort();
  throw err;
}
const summaries: TrainingRowsSummary[] = writers.map((w) => w.close());
const stats = {
  command: `npx tsx bench/ltr-dataset.ts --queries ${queries} --seed ${seed} --budget ${budget} --out ${out}${at('--catalog') ? ` --catalog ${catalogPath}` : ''}`,
  catalog: catalogPath,
  entities: entities.length,
  queries: events.length,
  budget,
  strategies: [...plan.keys()],
  features: featureSet.names.length,
  featureSet: `${featureSet.name} v${featureSet.version}`,
  meanCandidates: +(candidatesTotal / events.length).toFixed(1),
  meanFeatureMs: +(featureMs / events.length).toFixed(3),
  replaySeconds: +((Date.now() - replayStarted) / 1000).toFixed(1),
  splits: Object.fromEntries(summaries.map((s, k) => [splits[k].name, { queries: s.queries, rows: s.rows, labels: s.labels, droppedNoTarget: dropped[splits[k].name] ?? 0 }])),
  queriesByStyle: byLabel,
  testNdcg10: Object.fromEntries(Object.entries(testNdcg).map(([name, values]) => [name, +mean(values).toFixed(4)])),
};
writeFileSync(join(out, 'stats.json'), JSON.stringify(stats, null, 2) + '\n');
console.log(JSON.stringify(stats, null, 2));
