/**
 * The index benchmark's report: a table of every engine's figures, their ratios over Quiver's (other/quiver, so
 * larger means Quiver is faster or smaller), the targets checked, or all of it as one JSON object.
 */
import type { LatencySummary } from './stats.js';

export interface EngineResult {
  name: string;
  notes: string;
  buildS: number;
  memMb: number;
  warmup: number;
  latency: LatencySummary;
  hitsPerQuery: number;
  /** Top-k ids of the first queries, for the agreement check. */
  sampleTop: string[][];
}

export interface ReportInput {
  n: number;
  seed: number;
  k: number;
  queries: number;
  queriesSlow: number;
  corpus: Record<string, number | string>;
  results: EngineResult[];
  json: boolean;
}

type Ratios = { build: number; mem: number; mean: number; p50: number; p99: number };

/** The targets for Quiver, as minimum ratios other/quiver (they are stated for 1M documents). */
const TARGETS: Array<{ engine: string; metric: keyof Ratios; min: number }> = [
  { engine: 'minisearch', metric: 'mean', min: 100 },
  { engine: 'minisearch', metric: 'p99', min: 100 },
  { engine: 'minisearch', metric: 'build', min: 3 },
  { engine: 'minisearch', metric: 'mem', min: 2 },
  { engine: 'xapian', metric: 'mean', min: 2 },
  { engine: 'xapian', metric: 'p99', min: 2 },
  { engine: 'xapian-inmemory', metric: 'mean', min: 2 },
  { engine: 'xapian-inmemory', metric: 'p99', min: 2 },
];

function ratios(r: EngineResult, q: EngineResult): Ratios {
  return {
    build: r.buildS / q.buildS,
    mem: r.memMb / q.memMb,
    mean: r.latency.meanMs / q.latency.meanMs,
    p50: r.latency.p50Ms / q.latency.p50Ms,
    p99: r.latency.p99Ms / q.latency.p99Ms,
  };
}

/** Mean share of Quiver's top-k that the engine also returns. Scoring differs, so this only shows comparable work. */
function agreement(r: EngineResult, q: EngineResult): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < Math.min(r.sampleTop.length, q.sampleTop.length); i++) {
    const mine = new Set(r.sampleTop[i]);
    if (q.sampleTop[i].length === 0) continue;
    sum += q.sampleTop[i].filter((id) => mine.has(id)).length / q.sampleTop[i].length;
    count++;
  }
  return count > 0 ? sum / count : Number.NaN;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

const f = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const x = (v: number) => (Number.isFinite(v) ? `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}×` : '–');

export function printReport(input: ReportInput): void {
  const quiver = input.results.find((r) => r.name === 'quiver');
  const others = quiver ? input.results.filter((r) => r !== quiver) : [];
  const ratioBy = Object.fromEntries(others.map((r) => [r.name, ratios(r, quiver!)]));
  const agreeBy = Object.fromEntries(others.map((r) => [r.name, agreement(r, quiver!)]));
  const targets = TARGETS.filter((t) => ratioBy[t.engine]).map((t) => {
    const value = ratioBy[t.engine][t.metric];
    return { ...t, value, met: value >= t.min };
  });

  if (input.json) {
    const engines = input.results.map(({ sampleTop: _sampleTop, ...r }) => ({ ...r, agreementWithQuiver: agreeBy[r.name] }));
    const config = { n: input.n, seed: input.seed, k: input.k, queries: input.queries, queriesSlow: input.queriesSlow, node: process.version };
    console.log(JSON.stringify({ config, corpus: input.corpus, engines, ratios: ratioBy, targets }, null, 2));
    return;
  }
  const c = input.corpus;
  console.log(`\nCorpus: ${c.docs} docs from ${c.source} (seed ${input.seed}); ${c.distinctDocs} distinct; ${c.distinctWords} distinct words, ` +
    `${c.wordsInOneDocOnly} in one doc only; ${f(Number(c.titleWordsPerDoc), 1)} title words/doc; ${f(Number(c.termsPerQuery), 2)} terms/query; k=${input.k}\n`);
  console.log(table(
    ['engine', 'queries', 'warm-up', 'build s', 'mem MB', 'mean ms', 'p50 ms', 'p99 ms', 'hits/q', 'agree@10'],
    input.results.map((r) => [r.name, String(r.latency.count), String(r.warmup), f(r.buildS, 2), f(r.memMb, 1), f(r.latency.meanMs), f(r.latency.p50Ms), f(r.latency.p99Ms), f(r.hitsPerQuery, 1), r === quiver ? '–' : f(agreeBy[r.name], 2)]),
  ));
  if (quiver) {
    console.log(`\nRatios other/quiver (above 1× means Quiver is faster / smaller):\n`);
    console.log(table(['engine', 'build', 'memory', 'mean', 'p50', 'p99'], others.map((r) => {
      const q = ratioBy[r.name];
      return [r.name, x(q.build), x(q.mem), x(q.mean), x(q.p50), x(q.p99)];
    })));
    console.log(`\nIssue targets (stated for 1M docs; this run has ${input.n}):`);
    for (const t of targets) console.log(`  ${t.met ? 'met    ' : 'NOT met'}  ${t.engine} ${t.metric}: ${x(t.value)} (need ≥ ${t.min}×)`);
  }
  console.log('\nEngines:');
  for (const r of input.results) console.log(`  ${r.name}: ${r.notes}`);
}
