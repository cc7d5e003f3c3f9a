/**
 * Reads one or more `quiver simulate --policy all --json` outputs and checks them against the learning-to-retrieve
 * targets (issue 4): every planner's nDCG@10 overall and per label, with a learned planner's label in bold where
 * it is above every static plan; candidate recall and candidates as shares of always-all's; and per learned
 * planner, on how many labels it is above every static plan at once, its paired difference from always-all, and
 * the fewest labels it wins against any one static plan.
 *
 *   npx tsx bench/simulate-summary.ts /tmp/world-a-heuristic.json [more.json …] [--across]
 *
 * Where the run says so (`labels`, from `quiver simulate` since session 16), each learned planner's labels are
 * also read with the paired intervals: above every static plan (each interval above 0) or below one. With
 * `--across`, the files are taken as one stream under different click seeds, and a last table gives each
 * planner's spread over them: nDCG@10, the gap to always-all, and recall and candidates as shares of its.
 *
 * bench/unseen-worlds.sh makes such files for two worlds the defaults were not tuned on.
 */
import { readFileSync } from 'node:fs';
import { markdownTable } from '../src/cli/output.js';
import type { LabelVerdict } from '../src/simulate/versus.js';

interface Metrics {
  'ndcg@10': number;
  candidate_recall: number;
  mean_candidates: number;
}
interface Planner extends Metrics {
  policy: string;
  kind: 'static' | 'learned';
  by_label: Record<string, Metrics>;
}
interface Paired {
  against: string;
  overall: { delta: number; low: number; high: number };
  labels_won: number;
}
interface Run {
  policies: Planner[];
  versus: Record<string, Paired[]>;
  labels?: Record<string, Record<string, LabelVerdict>>;
}

const usage = 'usage: npx tsx bench/simulate-summary.ts <quiver simulate --policy all --json output> … [--across]';
const argv = process.argv.slice(2);
const across = argv.includes('--across');
const files = argv.filter((a) => a !== '--across');
if (files.length === 0 || files.some((f) => f === '--help' || f === '-h')) {
  console.log(usage);
  process.exit(files.length === 0 ? 1 : 0);
}
const runs = files.map((file) => {
  const run = readRun(file);
  if (!Array.isArray(run.policies) || !run.versus) throw new Error(`${file}: not the output of quiver simulate --policy all --json`);
  console.log(`\n${file}\n`);
  console.log(summarise(run).join('\n'));
  return run;
});
if (across) console.log(`\nAcross the ${runs.length} runs (one stream, different click seeds)\n\n${markdownTable(spread(runs))}`);

function readRun(file: string): Run {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read it (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text) as Run;
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
}

function summarise(run: Run): string[] {
  const all = run.policies.find((p) => p.policy === 'always-all');
  if (!all) throw new Error('the run has no always-all plan');
  const statics = run.policies.filter((p) => p.kind === 'static');
  const labels = Object.keys(all.by_label).sort();
  const bestStatic = new Map(labels.map((l) => [l, Math.max(...statics.map((s) => s.by_label[l]?.['ndcg@10'] ?? 0))]));
  const share = (p: Planner, key: 'candidate_recall' | 'mean_candidates') => `${((100 * p[key]) / all[key]).toFixed(1)}%`;
  const rows = run.policies.map((p) => ({
    planner: p.policy,
    'nDCG@10': p['ndcg@10'].toFixed(3),
    ...Object.fromEntries(labels.map((l) => {
      const v = p.by_label[l]?.['ndcg@10'] ?? 0;
      return [l, p.kind === 'learned' && v > bestStatic.get(l)! ? `**${v.toFixed(3)}**` : v.toFixed(3)];
    })),
    'recall ÷ always-all': share(p, 'candidate_recall'),
    'candidates ÷ always-all': share(p, 'mean_candidates'),
  }));
  const out = [markdownTable(rows)];
  const best = statics.reduce((a, b) => (b['ndcg@10'] > a['ndcg@10'] ? b : a));
  out.push('', `Best static plan overall: ${best.policy} ${best['ndcg@10'].toFixed(3)}.`, '');
  for (const p of run.policies.filter((q) => q.kind === 'learned')) {
    const paired = run.versus[p.policy] ?? [];
    const vsAll = paired.find((x) => x.against === 'always-all')?.overall;
    const fewest = paired.reduce<Paired | undefined>((a, b) => (!a || b.labels_won < a.labels_won ? b : a), undefined);
    const above = labels.filter((l) => (p.by_label[l]?.['ndcg@10'] ?? 0) > bestStatic.get(l)!).length;
    const beatsAll = paired.length > 0 && paired.every((x) => x.overall.delta > 0);
    const interval = vsAll ? `${sign(vsAll.delta)} [${sign(vsAll.low)}, ${sign(vsAll.high)}]` : 'n/a';
    out.push(
      `- ${p.policy}: above every static plan overall: ${beatsAll ? 'yes' : 'no'}; against always-all ${interval}; ` +
        `above every static plan at once on ${above} of ${labels.length} labels; ` +
        `fewest labels won against one static plan: ${fewest ? `${fewest.labels_won} (${fewest.against})` : 'n/a'}; ` +
        `recall ${share(p, 'candidate_recall')} of always-all's with ${share(p, 'mean_candidates')} of its candidates.`,
    );
    const verdicts = Object.entries(run.labels?.[p.policy] ?? {});
    if (verdicts.length === 0) continue;
    const named = (v: LabelVerdict['verdict']) => verdicts.filter(([, x]) => x.verdict === v).map(([l, x]) => `${l} (${x.against} ${sign(x.difference.delta)})`);
    out.push(`  with intervals: above every static plan on ${named('won').length} of ${verdicts.length} labels${named('won').length > 0 ? ` (${named('won').join(', ')})` : ''}; ` +
      `below one on ${named('lost').length}${named('lost').length > 0 ? ` (${named('lost').join(', ')})` : ''}.`);
  }
  return out;
}

/** Per planner over runs of one stream: the mean and range of nDCG@10, of its gap to always-all, and of its shares of always-all's recall and candidates. */
function spread(all: readonly Run[]): Array<Record<string, string>> {
  // The planners every run has (a run of a few planners may sit beside a --policy all run).
  const names = all[0].policies.map((p) => p.policy).filter((name) => all.every((run) => run.policies.some((q) => q.policy === name)));
  const range = (xs: number[], f: (x: number) => string) => `${f(xs.reduce((a, b) => a + b, 0) / xs.length)} (${f(Math.min(...xs))} … ${f(Math.max(...xs))})`;
  return names.map((name) => {
    const per = all.map((run) => {
      const p = run.policies.find((q) => q.policy === name);
      const base = run.policies.find((q) => q.policy === 'always-all');
      if (!p || !base) throw new Error('every run needs always-all');
      return { ndcg: p['ndcg@10'], gap: p['ndcg@10'] - base['ndcg@10'], recall: p.candidate_recall / base.candidate_recall, candidates: p.mean_candidates / base.mean_candidates };
    });
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    return {
      planner: name,
      'nDCG@10': range(per.map((r) => r.ndcg), (x) => x.toFixed(3)),
      'Δ always-all': range(per.map((r) => r.gap), sign),
      'recall ÷ always-all': range(per.map((r) => r.recall), pct),
      'candidates ÷ always-all': range(per.map((r) => r.candidates), pct),
    };
  });
}

function sign(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
}
