/**
 * Index benchmark: Quiver's SearchIndex against MiniSearch and Orama (same process, same corpus objects) and
 * Xapian (C++ via python3-xapian, out of process, on the same corpus written to bench/out/): build time, memory
 * after build, and top-10 query latency (mean, p50, p99), with every engine's figures as a ratio over Quiver's.
 *
 *   npx tsx --expose-gc bench/index-bench.ts --n 100000 --queries 2000 [--engines quiver,minisearch,orama,xapian]
 *     [--queries-slow 200] [--warmup 300] [--seed 42] [--json]
 *   (at 1M add --max-old-space-size=16384 after --expose-gc: MiniSearch and Orama need more than the default heap)
 *
 * Memory is heapUsed + arrayBuffers after a full GC, minus the same before the build: the corpus itself is
 * resident throughout and not counted, so engines that keep references to the entities (Quiver, Orama) are not
 * charged for their text. Xapian reports RSS growth and its on-disk size instead (see xapian_bench.py).
 */
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import type { Entity } from '../src/catalog/entity.js';
import { generateCorpus, generateQueries, loadVocabulary, queryWords, writeCorpusFiles } from './corpus.js';
import { heapBytes, intFlag as int, requireGc } from './args.js';
import type { Engine } from './engines/engine.js';
import { miniSearchEngine } from './engines/minisearch.js';
import { oramaEngine } from './engines/orama.js';
import { quiverEngine } from './engines/quiver.js';
import { runXapian } from './engines/xapian.js';
import { printReport, type EngineResult } from './report.js';
import { summarise } from './stats.js';

const K = 10;
/** Agreement with Quiver's top-10 is computed over this many leading queries (a sanity check, not quality). */
const SAMPLE_TOP = 200;
const IN_PROCESS: Record<string, () => Engine | Promise<Engine>> = { quiver: quiverEngine, minisearch: miniSearchEngine, orama: oramaEngine };
const SLOW = new Set(['minisearch', 'orama']);
const ALL = ['quiver', 'minisearch', 'orama', 'xapian', 'xapian-inmemory'];

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '2000' },
    'queries-slow': { type: 'string' },
    warmup: { type: 'string', default: '300' },
    engines: { type: 'string', default: ALL.join(',') },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: 'bench/out' },
    json: { type: 'boolean', default: false },
  },
});

const n = int('n', args.n, 1);
const queryCount = int('queries', args.queries, 1);
const slowCap = args['queries-slow'] === undefined ? queryCount : int('queries-slow', args['queries-slow'], 1);
const warmupCount = int('warmup', args.warmup, 0);
const seed = int('seed', args.seed, 0);
const engines = args.engines!.split(',').map((e) => e.trim()).filter(Boolean);
for (const e of engines) if (!ALL.includes(e)) throw new Error(`unknown engine "${e}" (known: ${ALL.join(', ')})`);

requireGc();
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

async function measure(make: () => Engine | Promise<Engine>, docs: Entity[], queries: string[], warmup: string[], limit: number): Promise<EngineResult> {
  let engine: Engine | undefined = await make();
  const before = heapBytes();
  const t0 = process.hrtime.bigint();
  await engine.build(docs);
  const buildS = Number(process.hrtime.bigint() - t0) / 1e9;
  const memMb = (heapBytes() - before) / 2 ** 20;
  log(`${engine.name}: built in ${buildS.toFixed(2)} s, ${memMb.toFixed(1)} MB`);

  // A capped (slow) engine warms up in proportion, so that warming does not dominate its run time.
  const warm = limit < queries.length ? warmup.slice(0, Math.max(20, Math.floor(limit / 4))) : warmup;
  for (const q of warm) await engine.search(q, K);
  const latencies = new Float64Array(Math.min(limit, queries.length));
  const sampleTop: string[][] = [];
  let returned = 0;
  let lastLog = Date.now();
  for (let i = 0; i < latencies.length; i++) {
    const t = process.hrtime.bigint();
    let ids = engine.search(queries[i], K);
    if (ids instanceof Promise) ids = await ids;
    latencies[i] = Number(process.hrtime.bigint() - t);
    returned += ids.length; // uses the result, so no engine's work can be skipped
    if (i < SAMPLE_TOP) sampleTop.push(ids);
    if (Date.now() - lastLog > 60_000) {
      log(`${engine.name}: ${i + 1}/${latencies.length} queries`); // Orama at 1M runs for many minutes
      lastLog = Date.now();
    }
  }
  const { name, notes } = engine;
  engine = undefined; // drop the index before the next engine is measured
  log(`${name}: ${latencies.length} queries, mean ${summarise(latencies).meanMs.toFixed(3)} ms`);
  return { name, notes, buildS, memMb, warmup: warm.length, latency: summarise(latencies), hitsPerQuery: returned / latencies.length, sampleTop };
}

async function main(): Promise<void> {
  const heapLimitGb = getHeapStatistics().heap_size_limit / 2 ** 30;
  if (n >= 500_000 && heapLimitGb < 12 && engines.some((e) => SLOW.has(e))) {
    log(`warning: heap limit is ${heapLimitGb.toFixed(1)} GB; MiniSearch/Orama at ${n} docs may need --max-old-space-size=16384`);
  }
  let t = Date.now();
  const vocab = loadVocabulary();
  const docs = generateCorpus(vocab, n, seed);
  const queries = generateQueries(docs, queryCount, seed + 1);
  const warmup = generateQueries(docs, warmupCount, seed + 2);
  const corpus = describeCorpus(vocab.source, docs, queries);
  log(`corpus: ${n} docs from ${vocab.source} (${corpus.distinctDocs} distinct, ${corpus.distinctWords} distinct words) in ${Date.now() - t} ms`);

  const results: EngineResult[] = [];
  for (const name of engines.filter((e) => e in IN_PROCESS)) {
    results.push(await measure(IN_PROCESS[name], docs, queries, warmup, SLOW.has(name) ? slowCap : queryCount));
  }
  const xapians = engines.filter((e) => e.startsWith('xapian'));
  if (xapians.length > 0) {
    t = Date.now();
    const tag = seed === 42 ? String(n) : `${n}-s${seed}`;
    const files = writeCorpusFiles(args.out!, tag, docs, queries, warmup);
    log(`wrote ${files.corpus} in ${Date.now() - t} ms`);
    for (const name of xapians) {
      const backend = name === 'xapian' ? 'glass' : 'inmemory';
      const r = runXapian(files, { backend, k: K, sampleTop: SAMPLE_TOP });
      const { count, mean_ms, p50_ms, p99_ms } = r.latency;
      results.push({
        name,
        notes: `Xapian ${r.version} ${backend} via Python; RSS growth shown; ${backend === 'glass' ? `on-disk DB ${r.disk_mb.toFixed(1)} MB (page cache)` : 'index in process memory'}`,
        buildS: r.build_s,
        memMb: r.mem_mb,
        warmup: warmup.length,
        latency: { count, meanMs: mean_ms, p50Ms: p50_ms, p99Ms: p99_ms },
        hitsPerQuery: r.sample_top.reduce((s, ids) => s + ids.length, 0) / Math.max(1, r.sample_top.length),
        sampleTop: r.sample_top,
      });
      log(`${name}: built in ${r.build_s.toFixed(2)} s, mean ${mean_ms.toFixed(3)} ms`);
    }
  }
  printReport({ n, seed, k: K, queries: queryCount, queriesSlow: slowCap, corpus, results, json: args.json! });
}

/** How realistic the corpus is: distinct documents, vocabulary size, and query lengths. */
function describeCorpus(source: string, docs: Entity[], queries: string[]) {
  const distinct = new Set<string>();
  const words = new Map<string, number>();
  let wordCount = 0;
  for (const d of docs) {
    distinct.add(`${d.title}\u0001${Object.values(d.fields ?? {}).join('\u0001')}`);
    for (const w of queryWords(d)) words.set(w, (words.get(w) ?? 0) + 1);
    wordCount += d.title.split(/\s+/).length;
  }
  let hapax = 0;
  for (const c of words.values()) if (c === 1) hapax++;
  const termsPerQuery = queries.reduce((s, q) => s + q.split(' ').length, 0) / queries.length;
  return { source, docs: docs.length, distinctDocs: distinct.size, distinctWords: words.size, wordsInOneDocOnly: hapax, titleWordsPerDoc: wordCount / docs.length, termsPerQuery };
}

await main();
