/**
 * Off-policy estimators on the Open Bandit Dataset sample (src/ope/open-bandit.ts): per campaign and estimator,
 * the estimated click rate of one policy from the other's log, its bootstrap CI, the relative error against that
 * policy's on-policy click rate, and the effective sample size of the weights. Both directions; then the
 * relative errors under each way of reading the target policy off its log.
 *
 *   npx tsx bench/ope-obd.ts [--data ../shared/data/open-bandit-dataset-sample] [--resamples 1000] [--seed 1] [--json]
 */
import { parseArgs } from 'node:util';
import { markdownTable } from '../src/cli/output.js';
import { clippedIps, SNDR, STANDARD_ESTIMATORS } from '../src/ope/estimators.js';
import { POLICY_READINGS } from '../src/ope/logged-policy.js';
import { evaluateObd, OBD_CAMPAIGNS, readObdCampaign, type ObdEvaluation, type ObdLogs, type ObdPolicy } from '../src/ope/open-bandit.js';
import { intFlag } from './args.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/open-bandit-dataset-sample' },
    resamples: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const resamples = intFlag('resamples', args.resamples, 10);
const seed = intFlag('seed', args.seed, 0);
// Clipping at 10× keeps random→bts nearly untouched (its largest weight is ~44) and tames bts→random (up to ~10⁴).
const estimators = [...STANDARD_ESTIMATORS, SNDR, clippedIps(10)];
const logs = Object.fromEntries(OBD_CAMPAIGNS.map((c) => [c, readObdCampaign(args.data!, c)])) as Record<string, ObdLogs>;

const f = (v: number, digits = 4) => v.toFixed(digits);
const runs: Array<{ campaign: string; reading: string; result: ObdEvaluation }> = [];
for (const reading of POLICY_READINGS) {
  for (const target of ['bts', 'random'] as ObdPolicy[]) {
    for (const campaign of OBD_CAMPAIGNS) runs.push({ campaign, reading, result: evaluateObd(logs[campaign], target, { reading, resamples, seed }, estimators) });
  }
}

if (args.json) {
  console.log(JSON.stringify({ config: { resamples, seed, node: process.version }, runs }, null, 2));
} else {
  for (const target of ['bts', 'random'] as ObdPolicy[]) {
    const main = runs.filter((r) => r.reading === 'period-mean' && r.result.target === target);
    console.log(`\n${target}'s click rate estimated from the ${main[0].result.logged} log (target policy read as "period-mean"):\n`);
    console.log(markdownTable(main.flatMap(({ campaign, result: r }) => r.estimates.map((e) => ({
      campaign,
      estimator: e.estimator,
      'truth (on-policy)': f(r.truth),
      estimate: f(e.estimate),
      '95% CI': `[${f(e.lower)}, ${f(e.upper)}]`,
      'rel. error': f(e.relativeError, 3),
      ESS: `${r.effectiveSampleSize.toFixed(0)} / ${r.rows}`,
      'max w': r.maxWeight.toFixed(1),
    })))));
  }
  console.log('\nRelative error by how the target policy is read off its own log:\n');
  console.log(markdownTable(runs.map(({ campaign, reading, result: r }) => ({
    direction: `${r.logged} log → ${r.target}`,
    campaign,
    reading,
    ...Object.fromEntries(r.estimates.map((e) => [e.estimator, f(e.relativeError, 3)])),
    ESS: r.effectiveSampleSize.toFixed(0),
  }))));
}
