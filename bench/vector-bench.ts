/**
 * Vector search benchmark: the semantic strategy's candidates (top-k by dot product over unit vectors) from
 * Quiver's JS exact scan, usearch's SIMD exact search and usearch's HNSW, side by side in one process on the
 * same vectors: build time, p50/p99 latency at k = 10 and 100, recall@k against the JS exact scan (a returned
 * vector counts if it scores at least the k-th exact score, less 1e-6, so ties count as ann-benchmarks counts them), and ratios
 * over the JS scan. Two vector sets: LSA embeddings (the model trained on the generated corpus of
 * bench/corpus.ts, whose training time is reported too) and random unit vectors of 384 dimensions (the size of
 * MiniLM-class sentence embeddings). Random vectors get two query sets: uniform random queries, the worst case
 * for HNSW (every vector is almost equally far: the best cosine is ~0.18 against a typical ~0.05), and queries
 * near a stored vector (cosine ~0.8 to it), the case of a query that has a real answer.
 *
 *   npx tsx bench/vector-bench.ts --n 100000 --queries 200 [--sets lsa,random384] [--hnsw-threads 1]
 *     [--engines js-exact,usearch-exact,hnsw] [--lsa-demo] [--seed 42] [--json]
 *   npx tsx --max-old-space-size=8192 bench/vector-bench.ts --lsa-train-n 1000000 --sets ''   (LSA training alone)
 *
 * Every engine runs single-threaded at query time (usearch's exactSearch with threads = 1), as the JS scan does.
 */
import { parseArgs } from 'node:util';
import { exactSearch, MetricKind } from 'usearch';
import { loadCatalog } from '../src/catalog/load.js';
import { demoCatalogPath } from '../src/demo.js';
import { dot, isZeroVector, normalizeInPlace } from '../src/semantic/embedder.js';
import { semanticPool } from '../src/retrieval/semantic.js';
import { HnswVectorIndex } from '../src/semantic/hnsw-index.js';
import { LsaEmbedder } from '../src/semantic/lsa-embedder.js';
import { ExactVectorIndex } from '../src/semantic/vector-index.js';
import { gaussianMatrix } from '../src/semantic/dense.js';
import { intFlag } from './args.js';
import { generateCorpus, generateQueries, loadVocabulary } from './corpus.js';
import { summarise, type LatencySummary } from './stats.js';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '200' },
    sets: { type: 'string', default: 'lsa,random384' },
    engines: { type: 'string', default: 'js-exact,usearch-exact,hnsw' },
    'hnsw-threads': { type: 'string', default: '1' },
    'lsa-demo': { type: 'boolean', default: false },
    'lsa-train-n': { type: 'string' },
    seed: { type: 'string', default: '42' },
    json: { type: 'boolean', default: false },
  },
});
const n = intFlag('n', args.n, 1);
const queryCount = intFlag('queries', args.queries, 1);
const seed = intFlag('seed', args.seed, 0);
const hnswThreads = intFlag('hnsw-threads', args['hnsw-threads'], 1);
const engines = args.engines!.split(',');
const KS = [10, 100];

interface VectorSet {
  name: string;
  dimensions: number;
  /** n × dimensions, row-major, byteOffset 0 (usearch's exactSearch ignores a view's offset). */
  data: Float32Array;
  queryGroups: Array<{ name: string; queries: Float32Array[] }>;
  notes: string;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const log = (line: string) => process.stderr.write(`${line}\n`);

function lsaSet(): { set: VectorSet; trainS: number } {
  const vocab = loadVocabulary();
  const docs = generateCorpus(vocab, n, seed);
  const started = process.hrtime.bigint();
  const model = LsaEmbedder.train(docs);
  const trainS = seconds(started);
  const d = model.dimensions;
  const data = new Float32Array(n * d);
  docs.forEach((doc, i) => data.set(model.embedEntity(doc), i * d));
  const queries = generateQueries(docs, queryCount * 2, seed + 1).map((q) => model.embedQuery(q)).filter((q) => !isZeroVector(q)).slice(0, queryCount);
  return { set: { name: `LSA ${d}-d`, dimensions: d, data, queryGroups: [{ name: 'generated corpus queries', queries }], notes: `LSA trained on the ${n}-document generated corpus in ${trainS.toFixed(1)} s` }, trainS };
}

function randomSet(dimensions: number): VectorSet {
  const data = Float32Array.from(gaussianMatrix(n, dimensions, seed));
  for (let i = 0; i < n; i++) normalizeInPlace(data.subarray(i * dimensions, (i + 1) * dimensions));
  const q = Float32Array.from(gaussianMatrix(queryCount, dimensions, seed + 1));
  const uniform = Array.from({ length: queryCount }, (_, i) => normalizeInPlace(q.slice(i * dimensions, (i + 1) * dimensions)));
  // Stored vector + noise of norm 0.75: cosine ~0.8 to its source.
  const near = uniform.map((noise, i) => {
    const source = ((i * 2654435761) >>> 0) % n;
    return normalizeInPlace(Float32Array.from(noise, (x, j) => data[source * dimensions + j] + 0.75 * x));
  });
  return {
    name: `random ${dimensions}-d`, dimensions, data, notes: 'Gaussian, normalised',
    queryGroups: [{ name: 'queries near a stored vector', queries: near }, { name: 'uniform random queries', queries: uniform }],
  };
}

interface EngineRun {
  engine: string;
  group: string;
  buildS: number;
  byK: Record<number, { latency: LatencySummary; recall: number }>;
}

type Searcher = (q: Float32Array, k: number) => ArrayLike<number>;
/** The vectors of the set being measured, for scoring what an engine returns. */
let currentData: Float32Array = new Float32Array(0);

/** Per query group, per k, per query: the k-th best exact score (recall counts ties, as ann-benchmarks does). */
type Truth = Map<string, Map<number, number[]>>;
/** A returned vector counts as a true neighbour if it scores at least the k-th exact score minus this. */
const RECALL_EPSILON = 1e-6;

function measure(engine: string, buildS: number, search: Searcher, truth: Truth | undefined, set: VectorSet): EngineRun[] {
  return set.queryGroups.map(({ name, queries }) => measureGroup(engine, name, buildS, search, truth?.get(name), queries));
}

function measureGroup(engine: string, group: string, buildS: number, search: Searcher, truth: Map<number, number[]> | undefined, queries: Float32Array[]): EngineRun {
  const byK: EngineRun['byK'] = {};
  for (const k of KS) {
    for (const q of queries.slice(0, 20)) search(q, k); // warm-up
    const times = new Float64Array(queries.length);
    let found = 0;
    let wanted = 0;
    queries.forEach((q, i) => {
      const started = process.hrtime.bigint();
      const keys = search(q, k);
      times[i] = Number(process.hrtime.bigint() - started);
      const kth = truth?.get(k)?.[i];
      if (kth !== undefined) {
        wanted += k;
        for (const key of Array.from(keys, Number)) if (dot(q, currentData, key * q.length) >= kth - RECALL_EPSILON) found++;
      }
    });
    byK[k] = { latency: summarise(times), recall: wanted > 0 ? found / wanted : 1 };
  }
  return { engine, group, buildS, byK };
}

function runSet(set: VectorSet): EngineRun[] {
  const { dimensions: d, data } = set;
  const count = data.length / d;
  const runs: EngineRun[] = [];
  // The JS exact scan is the reference: its answers are the truth for recall.
  let started = process.hrtime.bigint();
  const exact = new ExactVectorIndex(d);
  for (let i = 0; i < count; i++) exact.set(i, data.subarray(i * d, (i + 1) * d));
  const exactBuild = seconds(started);
  currentData = data;
  const truth: Truth = new Map(set.queryGroups.map(({ name, queries }) => [name, new Map(KS.map((k) => [k, queries.map((q) => exact.search(q, k).at(-1)!.score)]))]));
  if (engines.includes('js-exact')) {
    log(`  ${set.name}: js-exact`);
    runs.push(...measure('Quiver JS exact scan', exactBuild, (q, k) => exact.search(q, k).map((h) => h.key), undefined, set));
  }
  if (engines.includes('usearch-exact')) {
    log(`  ${set.name}: usearch-exact`);
    runs.push(...measure('usearch exactSearch (SIMD, 1 thread)', 0, (q, k) => exactSearch(data, q, d, k, MetricKind.IP, 1).keys as unknown as ArrayLike<number>, truth, set));
  }
  if (engines.includes('hnsw')) {
    log(`  ${set.name}: hnsw build`);
    started = process.hrtime.bigint();
    const hnsw = new HnswVectorIndex(d, { threads: hnswThreads });
    hnsw.addBatch(Uint32Array.from({ length: count }, (_, i) => i), data);
    const buildS = seconds(started);
    log(`  ${set.name}: hnsw built in ${buildS.toFixed(1)} s`);
    const { connectivity, expansionSearch } = hnsw.options;
    const label = `Quiver HNSW (usearch M=${connectivity} ef=${expansionSearch}, build threads ${hnswThreads}, exact rescoring)`;
    runs.push(...measure(label, buildS, (q, k) => hnsw.search(q, k).map((h) => h.key), truth, set));
    // The semantic strategy asks for a pool of at least 100 and cuts it to the budget.
    runs.push(...measure(`${label}, pool of 100 cut to k, as the strategy searches`, buildS, (q, k) => hnsw.search(q, semanticPool(k)).slice(0, k).map((h) => h.key), truth, set));
  }
  return runs;
}

function table(set: VectorSet, runs: EngineRun[]): string {
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3));
  const lines = [`### ${set.name}, ${set.data.length / set.dimensions} vectors, ${set.queryGroups[0].queries.length} queries per group (${set.notes})`, ''];
  lines.push('| engine | queries | build s | k=10 p50 ms | k=10 p99 ms | recall@10 | k=100 p50 ms | k=100 p99 ms | recall@100 | p50 ratio JS/engine (k=10, 100) |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of runs) {
    const base = runs.find((b) => b.engine.startsWith('Quiver JS') && b.group === r.group);
    const ratio = base ? KS.map((k) => (base.byK[k].latency.p50Ms / r.byK[k].latency.p50Ms).toFixed(1)).join(', ') : '';
    lines.push(`| ${r.engine} | ${r.group} | ${r.buildS.toFixed(1)} | ${KS.map((k) => `${f(r.byK[k].latency.p50Ms)} | ${f(r.byK[k].latency.p99Ms)} | ${r.byK[k].recall.toFixed(3)}`).join(' | ')} | ${ratio} |`);
  }
  return lines.join('\n');
}

const report: Record<string, unknown> = { n, queries: queryCount, seed, hnswThreads };
if (args['lsa-demo']) {
  const entities = loadCatalog(demoCatalogPath()).entities;
  const started = process.hrtime.bigint();
  const model = LsaEmbedder.train(entities);
  report.lsaDemo = { entities: entities.length, features: model.model.features.length, dimensions: model.dimensions, trainS: seconds(started) };
  log(`LSA on the demo catalogue: ${JSON.stringify(report.lsaDemo)}`);
}
if (args['lsa-train-n']) {
  const count = intFlag('lsa-train-n', args['lsa-train-n'], 1);
  const docs = generateCorpus(loadVocabulary(), count, seed);
  const heapBefore = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const model = LsaEmbedder.train(docs);
  const trainS = seconds(started);
  const embedStarted = process.hrtime.bigint();
  for (const doc of docs) model.embedEntity(doc);
  report.lsaTrain = {
    documents: count, features: model.model.features.length, dimensions: model.dimensions, trainS,
    embedAllS: seconds(embedStarted), rssGrowthMb: Math.round((process.memoryUsage().rss - heapBefore) / 2 ** 20),
  };
  log(`LSA on ${count} generated documents: ${JSON.stringify(report.lsaTrain)}`);
}
const out: string[] = [];
for (const name of args.sets!.split(',').filter(Boolean)) {
  log(`set ${name}`);
  const set = name === 'lsa' ? lsaSet().set : randomSet(Number(name.replace('random', '')) || 384);
  const runs = runSet(set);
  report[set.name] = runs;
  out.push(table(set, runs));
}
if (args.json) console.log(JSON.stringify(report, null, 2));
else {
  const lsa = [report.lsaDemo && `LSA on the demo catalogue: ${JSON.stringify(report.lsaDemo)}`, report.lsaTrain && `LSA on the generated corpus: ${JSON.stringify(report.lsaTrain)}`];
  console.log([...lsa.filter(Boolean), ...out].join('\n\n'));
}
