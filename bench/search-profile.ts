/**
 * Where a learned search's CPU goes, in process (no HTTP): an Engine over the load test's scaled catalogue
 * (bench/load-test.ts writes it under --work), with the durable SQLite log or none, warmed up with searches and
 * feedback, then timed search by search. Reports per-stage p50/p99 and searches per CPU-second; with
 * `--cpu-prof` under node the profile shows the functions.
 *
 *   npx tsx bench/search-profile.ts [--work /tmp/quiver-load] [--entities 100000] [--warmup 2000] [--searches 3000]
 *     [--policy thompson] [--ranker lambdamart] [--log none|normal|full] [--profile out.cpuprofile]
 *
 * --profile writes a V8 CPU profile of the timed searches only (not the warm-up, which builds LSA and HNSW).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/load.js';
import { Engine } from '../src/engine/engine.js';
import { generateStream } from '../src/eval/stream-generator.js';
import { loadSnapshot } from '../src/index/snapshot.js';
import { SqliteEventLog } from '../src/store/sqlite-event-log.js';
import { mulberry32 } from '../src/util/random.js';
import { intFlag } from './args.js';
import { percentile } from './stats.js';

const { values: args } = parseArgs({
  options: {
    work: { type: 'string', default: '/tmp/quiver-load' },
    entities: { type: 'string', default: '100000' },
    warmup: { type: 'string', default: '2000' },
    searches: { type: 'string', default: '3000' },
    policy: { type: 'string', default: 'thompson' },
    ranker: { type: 'string', default: 'lambdamart' },
    log: { type: 'string', default: 'normal' },
    profile: { type: 'string' },
  },
});
const warmup = intFlag('warmup', args.warmup, 0);
const searches = intFlag('searches', args.searches, 1);
const entities = intFlag('entities', args.entities, 1);
if (!['none', 'normal', 'full'].includes(args.log!)) throw new Error(`--log: none, normal or full, not ${args.log}`);

const index = loadSnapshot(join(args.work!, `index-${entities}-42`));
const catalog = loadCatalog(join(args.work!, `catalog-${entities}-42.jsonl`)).entities;
const stream = generateStream(catalog, { n: warmup + searches, seed: 42, users: 500 }).events;
const log = args.log === 'none' ? undefined : SqliteEventLog.open(join(mkdtempSync(join(tmpdir(), 'quiver-profile-')), 'events.sqlite'), { sync: args.log as 'normal' | 'full' });
const engine = new Engine(index, { policy: args.policy, ranker: args.ranker as 'lambdamart' | 'heuristic', log, retrainEvery: 1000, maxPending: 500 });
const random = mulberry32(7);
const session = args.profile ? new Session() : undefined;
session?.connect();

const stages = { plan: [] as number[], retrieve: [] as number[], rank: [] as number[], 'log + record': [] as number[], total: [] as number[], feedback: [] as number[] };
let cpuStart = process.cpuUsage();
let wallStart = performance.now();
for (let i = 0; i < stream.length; i++) {
  if (i === warmup) {
    if (session) {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    cpuStart = process.cpuUsage();
    wallStart = performance.now();
  }
  // Let the ranker's retraining (a worker thread) report back, as a server's event loop would.
  if (i % 100 === 0) await new Promise(setImmediate);
  const event = stream[i];
  const response = engine.search({ query: event.query, context: event.context });
  const shown = response.results.map((r) => r.id);
  let position = shown.findIndex((id) => event.targets.includes(id));
  if (position < 0 && shown.length > 0 && random() < 0.3) position = Math.floor(random() * shown.length);
  const started = performance.now();
  if (position >= 0) engine.feedback([{ requestId: response.requestId, entityId: shown[position], type: 'click', position: position + 1 }]);
  if (i < warmup) continue;
  stages.feedback.push(performance.now() - started);
  for (const stage of ['plan', 'retrieve', 'rank', 'total'] as const) stages[stage].push(response.timings[stage]);
  const { plan, retrieve, rank, total } = response.timings;
  stages['log + record'].push(total - plan - retrieve - rank);
}
const cpu = process.cpuUsage(cpuStart);
if (session) writeFileSync(args.profile!, JSON.stringify((await session.post('Profiler.stop')).profile));
const cpuMs = (cpu.user + cpu.system) / 1000;
const wallMs = performance.now() - wallStart;
console.log(`${args.policy} + ${args.ranker}, log ${args.log}, ${entities} entities, ${searches} searches after ${warmup} warm-up (ranker ${engine.ranker.name})`);
console.log('| stage | mean ms | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: |');
for (const [stage, values] of Object.entries(stages)) {
  const sorted = Float64Array.from(values).sort();
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  console.log(`| ${stage} | ${mean.toFixed(3)} | ${percentile(sorted, 0.5).toFixed(3)} | ${percentile(sorted, 0.99).toFixed(3)} |`);
}
console.log(`CPU ${(cpuMs / searches).toFixed(3)} ms per search+feedback (wall ${(wallMs / searches).toFixed(3)}); ${(searches / (cpuMs / 1000)).toFixed(0)} searches per CPU-second`);
log?.close();
