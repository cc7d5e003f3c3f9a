/**
 * Fuzzy benchmark: Quiver's fuzzy strategy against MiniSearch's fuzzy search (fuzzy: 0.2, prefix: true), the
 * strongest typo-tolerant in-process alternative, on the same corpus objects in one process. Queries are a
 * random track's title, alone or with its artist, with one or two realistic typos from src/eval/typos.ts (the
 * stream generator's: a keyboard neighbour, a dropped, doubled or swapped letter, a sound-alike spelling) in
 * words of 4+ letters. Reported: build time and memory of the fuzzy structures (Quiver's on top of its
 * SearchIndex, whose own build is reported separately), latency per query (mean, p50, p99) and recall@10 of the
 * intended track (a hit is any top-10 result with the same title, and the same artist when the query names it:
 * recombined titles repeat).
 *
 *   npx tsx --expose-gc bench/fuzzy-bench.ts --n 100000 --queries 1000 [--queries-minisearch 1000] [--seed 42] [--json]
 *   (at 1M add --max-old-space-size=8192 after --expose-gc, and cap MiniSearch with --queries-minisearch 200)
 *
 * Quiver is imported from src/ through tsx (not the compiled dist/), so its build times carry tsx's transform
 * overhead (about 40% on the index build, see BENCHMARKS.md); query latency is unaffected once code is hot.
 */
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { nameKey } from '../src/analysis/name-key.js';
import type { Entity } from '../src/catalog/entity.js';
import { fuzzyNamesOf } from '../src/index/fuzzy-names.js';
import { SearchIndex } from '../src/index/search-index.js';
import { createQueryContext } from '../src/query/query-context.js';
import { createFuzzyStrategy } from '../src/retrieval/fuzzy.js';
import { RetrievalResources } from '../src/retrieval/resources.js';
import { misspell } from '../src/eval/typos.js';
import { mulberry32 } from '../src/util/random.js';
import { generateCorpus, loadVocabulary } from './corpus.js';
import { FIELDS, fieldText } from './engines/engine.js';
import { heapBytes, intFlag as int, requireGc } from './args.js';
import { type LatencySummary, summarise } from './stats.js';

const K = 10;
const WARMUP = 100;

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '1000' },
    'queries-minisearch': { type: 'string' },
    seed: { type: 'string', default: '42' },
    json: { type: 'boolean', default: false },
  },
});

const n = int('n', args.n, 1);
const queryCount = int('queries', args.queries, 1);
const miniCount = args['queries-minisearch'] === undefined ? queryCount : int('queries-minisearch', args['queries-minisearch'], 1);
const seed = int('seed', args.seed, 0);
const gc = requireGc();
const log = (msg: string) => process.stderr.write(`[fuzzy-bench] ${msg}\n`);

interface TypoQuery {
  text: string;
  title: string;
  /** Set when the query names the artist. */
  artist?: string;
}

/** Title (60%) or title + artist (40%) of random tracks, with one typo (70%) or two, as the stream generator makes them. */
function typoQueries(docs: readonly Entity[], m: number, querySeed: number): TypoQuery[] {
  const rand = mulberry32(querySeed);
  const out: TypoQuery[] = [];
  while (out.length < m) {
    const doc = docs[Math.floor(rand() * docs.length)];
    const title = nameKey(doc.title);
    const artist = nameKey(fieldText(doc, 'artist'));
    const withArtist = rand() < 0.4 && artist !== '';
    const clean = withArtist ? `${title} ${artist}` : title;
    if (clean.split(' ').length > 8) continue;
    const text = misspell(clean, rand, rand() < 0.7 ? 1 : 2);
    if (text !== undefined) out.push({ text, title, artist: withArtist ? artist : undefined });
  }
  return out;
}

interface Result {
  name: string;
  notes: string;
  buildS: number;
  memMb: number;
  latency: LatencySummary;
  recallAt10: number;
}

function run(name: string, notes: string, buildS: number, memMb: number, search: (q: string) => string[], queries: TypoQuery[], byId: Map<string, Entity>): Result {
  for (let i = 0; i < Math.min(WARMUP, queries.length); i++) search(queries[i].text);
  const latencies = new Float64Array(queries.length);
  let hits = 0;
  queries.forEach((q, i) => {
    const t0 = process.hrtime.bigint();
    const ids = search(q.text);
    latencies[i] = Number(process.hrtime.bigint() - t0);
    const found = ids.some((id) => {
      const doc = byId.get(id)!;
      return nameKey(doc.title) === q.title && (q.artist === undefined || nameKey(fieldText(doc, 'artist')) === q.artist);
    });
    if (found) hits++;
  });
  const result = { name, notes, buildS, memMb, latency: summarise(latencies), recallAt10: hits / queries.length };
  log(`${name}: p50 ${result.latency.p50Ms.toFixed(3)} ms, p99 ${result.latency.p99Ms.toFixed(3)} ms, recall@10 ${result.recallAt10.toFixed(3)}`);
  const slowest = [...latencies.keys()].sort((a, b) => latencies[b] - latencies[a]).slice(0, 5);
  log(`${name}: slowest ${slowest.map((i) => `"${queries[i].text}" ${(latencies[i] / 1e6).toFixed(1)} ms`).join(', ')}`);
  return result;
}

function timed<T>(fn: () => T): { value: T; seconds: number; mb: number } {
  const before = heapBytes();
  const t0 = process.hrtime.bigint();
  const value = fn();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { value, seconds, mb: (heapBytes() - before) / 2 ** 20 };
}

const vocab = loadVocabulary();
log(`corpus: ${n} tracks from ${vocab.source}, seed ${seed}`);
const docs = generateCorpus(vocab, n, seed);
const byId = new Map(docs.map((d) => [d.id, d]));
const queries = typoQueries(docs, queryCount, seed + 1);
const results: Result[] = [];

{
  const index = timed(() => SearchIndex.build(docs));
  log(`quiver SearchIndex: ${index.seconds.toFixed(2)} s, ${index.mb.toFixed(1)} MB (not counted below)`);
  const resources = new RetrievalResources(index.value);
  const names = timed(() => fuzzyNamesOf(resources));
  log(`quiver fuzzy names: ${names.value.nameCount} names in ${names.seconds.toFixed(2)} s, ${names.mb.toFixed(1)} MB`);
  const strategy = createFuzzyStrategy(resources);
  const search = (q: string) => strategy.retrieve(createQueryContext(q), K).map((c) => c.id);
  results.push(run('quiver fuzzy', 'names: titles, title cores, artists; spans of the query; OSA ≤ k(q), similarity ≥ 0.8', names.seconds, names.mb, search, queries, byId));
}
gc();
{
  const built = timed(() => {
    const mini = new MiniSearch<Entity>({
      fields: [...FIELDS],
      storeFields: [],
      extractField: (doc, field) => (field === 'id' ? doc.id : fieldText(doc, field)),
      searchOptions: { fuzzy: 0.2, prefix: true },
    });
    mini.addAll(docs);
    return mini;
  });
  log(`minisearch: built in ${built.seconds.toFixed(2)} s, ${built.mb.toFixed(1)} MB`);
  const search = (q: string) => {
    const hits = built.value.search(q);
    const ids: string[] = new Array(Math.min(K, hits.length));
    for (let i = 0; i < ids.length; i++) ids[i] = hits[i].id as string;
    return ids;
  };
  results.push(run('minisearch 7 (fuzzy 0.2, prefix)', 'fields title/artist/album/genre, OR, fuzzy: 0.2, prefix: true', built.seconds, built.mb, search, queries.slice(0, miniCount), byId));
}

if (args.json) {
  process.stdout.write(JSON.stringify({ n, seed, k: K, queries: queryCount, queriesMinisearch: miniCount, source: vocab.source, results }, null, 2) + '\n');
} else {
  const [q, m] = results;
  const row = (r: Result) =>
    `| ${r.name} | ${r.buildS.toFixed(2)} | ${r.memMb.toFixed(1)} | ${r.latency.meanMs.toFixed(3)} | ${r.latency.p50Ms.toFixed(3)} | ${r.latency.p99Ms.toFixed(3)} | ${r.recallAt10.toFixed(3)} | ${r.latency.count} |`;
  console.log(`\nFuzzy search, ${n} tracks (seed ${seed}), top ${K}, queries with typos\n`);
  console.log('| engine | build s | memory MB | mean ms | p50 ms | p99 ms | recall@10 | queries |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(row(q));
  console.log(row(m));
  console.log(
    `\nRatios minisearch ÷ quiver: build ${(m.buildS / q.buildS).toFixed(2)}×, memory ${(m.memMb / q.memMb).toFixed(2)}×, ` +
      `mean ${(m.latency.meanMs / q.latency.meanMs).toFixed(1)}×, p50 ${(m.latency.p50Ms / q.latency.p50Ms).toFixed(1)}×, p99 ${(m.latency.p99Ms / q.latency.p99Ms).toFixed(1)}×`,
  );
}
