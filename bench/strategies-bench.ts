/**
 * Strategy benchmark: latency (mean, p50, p99) of every registered retrieval strategy, alone and all together,
 * at budget k over a generated query stream, on a music catalogue of N entities (bench/catalog-corpus.ts: the
 * demo catalogue and varied copies of it), with candidate recall alongside, as `quiver eval strategies`
 * measures it (src/eval/strategies-eval.ts, which this drives: learners learn online from each query's click).
 * Ratios are over the lexical strategy, the baseline every other strategy is an alternative to.
 *
 *   npx tsx bench/strategies-bench.ts --n 100000 --queries 2000 [--k 100] [--seed 42] [--warmup 200]
 *     [--strategies a,b] [--json]
 *   (at 1M: npx tsx --max-old-space-size=12288 bench/strategies-bench.ts --n 1000000 …)
 *
 * It imports Quiver's source through tsx, not dist/, so strategies merged into src/ are measured without a
 * build; retrieval is the same JIT-compiled code either way (tsx only transforms modules as they load). One
 * stream is generated: its first --warmup events are replayed untimed (learners learn from them, and every
 * lazily built structure gets built), then the next --queries are timed.
 */
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/load.js';
import { DEMO_INDEX_OPTIONS, demoCatalogPath } from '../src/demo.js';
import { evaluateStrategies, type StrategyScore } from '../src/eval/strategies-eval.js';
import { generateStream } from '../src/eval/stream-generator.js';
import { SearchIndex } from '../src/index/search-index.js';
import { RetrievalResources } from '../src/retrieval/resources.js';
import { intFlag as int } from './args.js';
import { scaledCatalog } from './catalog-corpus.js';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '200' },
    k: { type: 'string', default: '100' },
    seed: { type: 'string', default: '42' },
    strategies: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const n = int('n', args.n, 1);
const queries = int('queries', args.queries, 1);
const warmup = int('warmup', args.warmup, 0);
const k = int('k', args.k, 1);
const seed = int('seed', args.seed, 0);
const strategies = args.strategies?.split(',').map((s) => s.trim()).filter(Boolean);
const log = (line: string) => console.error(line);
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

let started = process.hrtime.bigint();
const entities = scaledCatalog(loadCatalog(demoCatalogPath()).entities, n, seed);
log(`catalogue: ${entities.length} entities in ${seconds(started).toFixed(1)} s`);
started = process.hrtime.bigint();
const index = SearchIndex.build(entities, DEMO_INDEX_OPTIONS);
const buildS = seconds(started);
log(`index: built in ${buildS.toFixed(1)} s`);
started = process.hrtime.bigint();
const { events } = generateStream(entities, { n: warmup + queries, seed });
const warm = events.slice(0, warmup);
log(`stream: ${warm.length} warm-up + ${queries} timed queries generated in ${seconds(started).toFixed(1)} s`);

const resources = new RetrievalResources(index);
started = process.hrtime.bigint();
if (warm.length > 0) evaluateStrategies(resources, warm, { k, strategies });
log(`warm-up: ${seconds(started).toFixed(1)} s`);
const report = evaluateStrategies(resources, events.slice(warmup), { k, strategies, seed: warmup });

if (args.json) {
  console.log(JSON.stringify({ config: { n: entities.length, queries, warmup: warm.length, k, seed, node: process.version, buildS }, report }, null, 2));
} else {
  const lexical = report.strategies.lexical;
  const ratio = (a: number, b: number | undefined) => (b && b > 0 ? `${(a / b).toFixed(2)}×` : '–');
  const row = (name: string, s: StrategyScore) =>
    `| ${name} | ${s.mean_ms.toFixed(3)} | ${s.p50_ms.toFixed(3)} | ${s.p99_ms.toFixed(3)} | ${ratio(s.mean_ms, lexical?.mean_ms)} | ${ratio(s.p99_ms, lexical?.p99_ms)} | ${s.recall.toFixed(3)} |`;
  console.log(`\n${entities.length.toLocaleString('en')} entities, ${queries} queries (seed ${seed}) after ${warm.length} warm-up, k = ${k}, Node ${process.version}\n`);
  console.log('| strategy | mean ms | p50 ms | p99 ms | mean ÷ lexical | p99 ÷ lexical | recall |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, s] of Object.entries(report.strategies)) console.log(row(name, s));
  console.log(row('all (union)', report.all));
}
