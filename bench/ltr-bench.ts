/**
 * LambdaMART, side by side: Quiver's trainer against XGBoost's rank:ndcg (Debian's python3-xgboost, through
 * bench/xgb_rank.py, one thread) on the same svmlight files. The runs alternate, Quiver then XGBoost, `--repeats`
 * times, so both see the same machine load; each side's training time excludes reading the data. Both models'
 * test scores are judged by Quiver's metric code (NDCG@1/3/5/10, MAP).
 *
 *   npx tsx bench/ltr-bench.ts [--train F --train-group G --valid F --valid-group G --test F --test-group G]
 *       [--trees 100] [--repeats 7] [--params '{"leaves":15}'] [--xgb-depth 6] [--xgb-eta 0.1]
 *       [--xgb-method hist] [--json]
 *
 * Defaults: the LightGBM lambdarank example (../shared/data/lightgbm-lambdarank-example). With --valid, Quiver
 * reports validation NDCG every round (early stopping only if --params sets earlyStop).
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { table } from '../src/cli/output.js';
import { percentile } from '../src/eval/latency.js';
import { evaluateRanking } from '../src/rank/ltr/metric.js';
import { trainLambdaMart } from '../src/rank/ltr/train.js';
import { intFlag } from './args.js';
import { DATA_FLAGS, dataPaths, findXgboostPython, readSets } from './ltr-data.js';

const { values } = parseArgs({
  options: {
    ...DATA_FLAGS,
    trees: { type: 'string', default: '100' },
    repeats: { type: 'string', default: '7' },
    params: { type: 'string', default: '{}' },
    'xgb-depth': { type: 'string', default: '6' },
    'xgb-eta': { type: 'string', default: '0.1' },
    'xgb-method': { type: 'string', default: 'hist' },
    json: { type: 'boolean', default: false },
  },
});
const paths = dataPaths(values);
const trees = intFlag('trees', values.trees, 1);
const repeats = intFlag('repeats', values.repeats, 1);
const params = { trees, ...JSON.parse(values.params!) };
const { train, valid, test } = readSets(paths);
const python = findXgboostPython();
if (!python) throw new Error('no python3 with the xgboost module (apt-get install python3-xgboost, or set QUIVER_BENCH_PYTHON)');
const script = fileURLToPath(new URL('./xgb_rank.py', import.meta.url));

function xgboostOnce(): { version: string; seconds: number; scores: number[] } {
  const args = [script, '--train', paths.train, '--test', paths.test, '--trees', String(trees), '--repeats', '1'];
  args.push('--depth', values['xgb-depth']!, '--eta', values['xgb-eta']!, '--tree-method', values['xgb-method']!);
  if (paths.trainGroup) args.push('--train-group', paths.trainGroup);
  if (paths.testGroup) args.push('--test-group', paths.testGroup);
  const run = spawnSync(python!, args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`xgb_rank.py exited with ${run.status ?? run.signal}`);
  const out = JSON.parse(run.stdout);
  return { version: out.version, seconds: out.train_s[0], scores: out.test_scores };
}

const load = loadavg()[0];
const quiverMs: number[] = [];
const xgboostMs: number[] = [];
let quiverMetrics: Record<string, number> = {};
let xgboostMetrics: Record<string, number> = {};
let xgboostVersion = '';
let quiverTrees = 0;
let validNdcg: number | undefined;
for (let r = 0; r < repeats; r++) {
  const started = performance.now();
  const result = trainLambdaMart(train, params, { valid });
  quiverMs.push(performance.now() - started);
  quiverMetrics = evaluateRanking(test, result.model.scoreDataset(test));
  quiverTrees = result.model.treeCount;
  validNdcg = result.validNdcg;
  const xgb = xgboostOnce();
  xgboostMs.push(xgb.seconds * 1000);
  xgboostMetrics = evaluateRanking(test, xgb.scores);
  xgboostVersion = xgb.version;
}

const summary = (ms: number[]) => {
  const sorted = Float64Array.from(ms).sort();
  return { median_ms: Math.round(percentile(sorted, 0.5)), p90_ms: Math.round(percentile(sorted, 0.9)) };
};
const round4 = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v * 10000) / 10000]));
const rows = [
  { engine: 'quiver lambdamart', config: JSON.stringify(params), trees: quiverTrees, ...round4(quiverMetrics), ...summary(quiverMs) },
  { engine: `xgboost ${xgboostVersion} rank:ndcg`, config: `depth ${values['xgb-depth']}, eta ${values['xgb-eta']}, ${values['xgb-method']}, 1 thread`, trees, ...round4(xgboostMetrics), ...summary(xgboostMs) },
];
const ratio = summary(quiverMs).median_ms / summary(xgboostMs).median_ms;
const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.versions.node}, load average ${load.toFixed(2)} → ${loadavg()[0].toFixed(2)}`;
if (values.json) console.log(JSON.stringify({ paths, repeats, rows, time_ratio: ratio, valid_ndcg: validNdcg, machine }));
else {
  console.log(`train ${paths.train} (${train.rowCount} rows, ${train.groupOffsets.length - 1} queries), test ${paths.test} (${test.rowCount} rows, ${test.groupOffsets.length - 1} queries); ${repeats} alternating repeats`);
  console.log(table(rows));
  console.log(`\nQuiver / XGBoost median training time: ${ratio.toFixed(2)}×${validNdcg !== undefined ? `; Quiver validation NDCG: ${validNdcg.toFixed(4)}` : ''}\n${machine}`);
}
