/**
 * The serving load test (issue 6): `quiver serve` started as a child process on loopback over the demo catalogue
 * scaled to N entities, warmed up, then driven by autocannon (in this process) with mixed search + feedback
 * traffic (bench/load-traffic.ts). Reported per configuration, searches and feedback apart: requests/s,
 * p50/p90/p99/max latency, non-2xx and connection errors; the server's RSS sampled every second (start, mid,
 * end, max) and its CPU time per request (user + system, from /proc: on a shared machine the fairest measure).
 * Configurations run one after another on the same stream, the learned funnel first and then the baseline
 * (default: the static lexical plan with the heuristic ranker, plain BM25F behind the same HTTP stack), and
 * ratios are printed. A configuration is policy:ranker[:holdback] (`--holdback` for the learned one; without it,
 * the server's default).
 *
 *   npm run build
 *   npx tsx bench/load-test.ts [--entities 100000] [--duration 120] [--connections 8] [--feedback-share 0.3]
 *     [--policy thompson] [--ranker lambdamart] [--holdback h] [--baseline lexical:heuristic[:h] | none] [--rate 0] [--warmup 300]
 *     [--queries 10000] [--seed 42] [--work /tmp/quiver-load] [--server-args="--cpu-prof --cpu-prof-dir=/tmp/p"]
 *     [--data /tmp/quiver-load-data [--sync normal|full] [--workers 2]]
 *     [--json out.json]
 *
 * --data serves durably (quiver serve --data, every search and feedback batch appended to the SQLite event log
 * before it is answered), each configuration in a fresh directory under it; --sync and --workers (serving
 * processes sharing the log; RSS and CPU are then summed over them) are passed along. --server-args
 * are Node's flags for the server process. --rate caps the overall request rate (0: as fast as the connections go; then latency includes queueing). The
 * catalogue (bench/scale-catalog.ts) and its index (`quiver index` with the demo's index options) are written
 * under --work once and reused. The warm-up sends --warmup searches one at a time (the first builds the lazily
 * built structures: LSA, HNSW, the fuzzy names) with feedback on each, untimed.
 */
import autocannon from 'autocannon';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/load.js';
import { DEMO_INDEX_OPTIONS } from '../src/demo.js';
import { generateStream } from '../src/eval/stream-generator.js';
import { intFlag } from './args.js';
import { type KindStats, Traffic } from './load-traffic.js';
import { writeScaledCatalog } from './scale-catalog.js';
import { percentile } from './stats.js';

const { values: args } = parseArgs({
  options: {
    entities: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '120' },
    connections: { type: 'string', default: '8' },
    'feedback-share': { type: 'string', default: '0.3' },
    policy: { type: 'string', default: 'thompson' },
    holdback: { type: 'string' },
    ranker: { type: 'string', default: 'lambdamart' },
    baseline: { type: 'string', default: 'lexical:heuristic' },
    rate: { type: 'string', default: '0' },
    warmup: { type: 'string', default: '300' },
    queries: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '42' },
    work: { type: 'string', default: '/tmp/quiver-load' },
    'server-args': { type: 'string', default: '' },
    workers: { type: 'string', default: '1' },
    data: { type: 'string' },
    sync: { type: 'string', default: 'normal' },
    json: { type: 'string' },
  },
});
const entitiesWanted = intFlag('entities', args.entities, 1);
const duration = intFlag('duration', args.duration, 1);
const connections = intFlag('connections', args.connections, 1);
const workers = intFlag('workers', args.workers, 1);
const rate = intFlag('rate', args.rate, 0);
const warmup = intFlag('warmup', args.warmup, 1);
const queries = intFlag('queries', args.queries, 1);
const seed = intFlag('seed', args.seed, 0);
const feedbackShare = Number(args['feedback-share']);
if (!['normal', 'full'].includes(args.sync!)) throw new Error(`--sync: normal or full, not ${args.sync}`);
if (args.data) mkdirSync(args.data, { recursive: true });
if (!(feedbackShare >= 0 && feedbackShare < 1)) throw new Error(`--feedback-share must be in [0, 1), got ${args['feedback-share']}`);
const configs = [`${args.policy}:${args.ranker}${args.holdback === undefined ? '' : `:${args.holdback}`}`, ...(args.baseline === 'none' ? [] : [args.baseline])].map((c) => {
  const [policy, ranker = 'heuristic', holdback] = c.split(':');
  if (holdback !== undefined && !(Number(holdback) >= 0 && Number(holdback) < 1)) throw new Error(`${c}: the holdback must be in [0, 1), got ${holdback}`);
  return { policy, ranker, holdback, name: `${policy} + ${ranker}${holdback === undefined ? '' : ` (holdback ${holdback})`}` };
});
const log = (line: string) => console.error(line);
const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin/quiver.js');
if (!existsSync(join(root, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first (the server runs the compiled CLI)');

// The catalogue and its index, made once per (N, seed).
mkdirSync(args.work, { recursive: true });
const catalogPath = join(args.work, `catalog-${entitiesWanted}-${seed}.jsonl`);
const indexDir = join(args.work, `index-${entitiesWanted}-${seed}`);
if (!existsSync(catalogPath)) writeScaledCatalog(entitiesWanted, seed, catalogPath);
if (!existsSync(indexDir)) {
  const config = join(args.work, 'demo-index-options.json');
  writeFileSync(config, JSON.stringify(DEMO_INDEX_OPTIONS));
  execFileSync(process.execPath, [cli, 'index', catalogPath, '--out', indexDir, '--config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const { entities } = loadCatalog(catalogPath);
let started = Date.now();
const { events } = generateStream(entities, { n: warmup + queries, seed });
log(`${entities.length} entities (${catalogPath}); ${warmup} warm-up + ${queries} queries generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);

interface RunReport {
  config: string;
  startupS: number;
  warmupS: number;
  search: Summary;
  feedback: Summary;
  errors: number;
  timeouts: number;
  unknownRequests: number;
  rssMb: { start: number; mid: number; end: number; max: number };
  cpuMsPerRequest: number;
  health: unknown;
}

interface Summary {
  requests: number;
  perSecond: number;
  non2xx: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

const reports: RunReport[] = [];
for (const config of configs) reports.push(await runConfig(config));
print(reports);
if (args.json) writeFileSync(args.json, JSON.stringify({ entities: entities.length, duration, connections, workers, rate, feedbackShare, seed, node: process.version, reports }, null, 2));

async function runConfig(config: { policy: string; ranker: string; holdback?: string; name: string }): Promise<RunReport> {
  log(`\n== ${config.name}`);
  started = Date.now();
  const extra = args['server-args'].split(' ').filter(Boolean);
  const durable = args.data ? ['--data', mkdtempSync(join(args.data, `${config.policy}-${config.ranker}-`)), '--sync', args.sync!] : [];
  const server = spawn(process.execPath, [...extra, cli, 'serve', '--index', indexDir, '--port', '0', '--policy', config.policy, '--ranker', config.ranker, ...(config.holdback === undefined ? [] : ['--holdback', config.holdback]), ...durable, ...(workers > 1 ? ['--workers', String(workers)] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await listening(server);
    const startupS = (Date.now() - started) / 1000;
    log(`listening at ${url} after ${startupS.toFixed(1)} s`);
    const traffic = new Traffic(events.slice(warmup), feedbackShare, seed);
    started = Date.now();
    const warm = new Traffic(events.slice(0, warmup), 1, seed);
    for (let i = 0; i < warmup; i++) {
      const event = warm.nextEvent();
      warm.remember(await post(`${url}/search`, warm.searchBody(event)), event.targets);
      const feedback = warm.feedbackBody();
      if (feedback !== undefined) await post(`${url}/feedback`, feedback);
    }
    const warmupS = (Date.now() - started) / 1000;
    log(`warm-up: ${warmup} searches + feedback in ${warmupS.toFixed(1)} s; running ${duration} s with ${connections} connections${rate ? ` at ${rate} requests/s` : ''}`);
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(rssMb(server.pid!)), 1000);
    const cpuBefore = cpuSeconds(server.pid!);
    const result = await autocannon({
      url, connections, duration, requests: [traffic.request()], ...(rate > 0 && { overallRate: rate }), timeout: 30,
    });
    clearInterval(sampler);
    const cpu = cpuSeconds(server.pid!) - cpuBefore;
    const health = await (await fetch(`${url}/health`)).json();
    const seconds = result.duration;
    const total = traffic.stats.search.latencies.length + traffic.stats.feedback.latencies.length;
    return {
      config: config.name, startupS, warmupS,
      search: summarise(traffic.stats.search, seconds), feedback: summarise(traffic.stats.feedback, seconds),
      errors: result.errors, timeouts: result.timeouts, unknownRequests: traffic.unknownRequests,
      rssMb: { start: rss[0], mid: rss[Math.floor(rss.length / 2)], end: rss[rss.length - 1], max: Math.max(...rss) },
      cpuMsPerRequest: (1000 * cpu) / total, health,
    };
  } finally {
    await stop(server);
  }
}

function listening(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /at (http:\/\/\S+)/.exec(out);
      if (found) resolve(found[1]);
    });
    server.once('exit', (code) => reject(new Error(`the server exited (code ${code}) before listening`)));
  });
}

async function post(url: string, body: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text}`);
  return text;
}

function stop(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}

/** Resident set size from /proc (Linux), in MB. */
/** The server's processes: the one started and, with --workers, its children (from /proc). */
function serverPids(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // no children file: a single process
  }
  return [pid, ...children];
}

/** Resident memory of the server's processes together, MB. */
function rssMb(pid: number): number {
  let total = 0;
  for (const p of serverPids(pid)) {
    const found = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
    if (found) total += Number(found[1]) / 1024;
  }
  return total;
}

/** User + system CPU time of the server's processes so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  let total = 0;
  for (const p of serverPids(pid)) {
    const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
    total += (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return total;
}

function summarise(stats: KindStats, seconds: number): Summary {
  const sorted = Float64Array.from(stats.latencies).sort();
  let total = 0;
  for (const v of sorted) total += v;
  return {
    requests: sorted.length, perSecond: sorted.length / seconds, non2xx: stats.non2xx,
    p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? Number.NaN, mean: total / sorted.length,
  };
}

function print(all: RunReport[]): void {
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');
  console.log(`\n${entities.length.toLocaleString('en')} entities, ${duration} s per configuration, ${connections} connections${rate ? `, ${rate} requests/s` : ''}, feedback share ${feedbackShare}, seed ${seed}, Node ${process.version}\n`);
  console.log('| configuration | kind | requests | per s | mean ms | p50 ms | p90 ms | p99 ms | max ms | non-2xx |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of all) {
    for (const kind of ['search', 'feedback'] as const) {
      const s = r[kind];
      console.log(`| ${r.config} | ${kind} | ${s.requests} | ${s.perSecond.toFixed(1)} | ${ms(s.mean)} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | ${s.non2xx} |`);
    }
  }
  console.log('\n| configuration | connection errors | timeouts | unknown request ids | server CPU ms / request | RSS start / mid / end / max MB | start-up s | warm-up s |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
  for (const r of all) {
    const m = r.rssMb;
    console.log(`| ${r.config} | ${r.errors} | ${r.timeouts} | ${r.unknownRequests} | ${r.cpuMsPerRequest.toFixed(2)} | ${[m.start, m.mid, m.end, m.max].map((v) => v.toFixed(0)).join(' / ')} | ${r.startupS.toFixed(1)} | ${r.warmupS.toFixed(1)} |`);
  }
  if (all.length > 1) {
    const [main, base] = all;
    console.log(`\n${main.config} against ${base.config}: searches/s ${(main.search.perSecond / base.search.perSecond).toFixed(2)}×, ` +
      `search p50 ${(main.search.p50 / base.search.p50).toFixed(2)}×, p99 ${(main.search.p99 / base.search.p99).toFixed(2)}×, ` +
      `server CPU per request ${(main.cpuMsPerRequest / base.cpuMsPerRequest).toFixed(2)}×`);
  }
  for (const r of all) console.log(`health after ${r.config}: ${JSON.stringify(r.health)}`);
}
