/**
 * Click models fitted on the Yandex WSCD 2012 sample's trainSample and evaluated on its testSample, as PyClick
 * does (test sessions kept only when their query was seen in training): log-likelihood per session-document
 * and perplexity (overall and per rank) for PBM, UBM, cascade and SDBN; then position bias three ways: PBM's
 * γ, regression EM with a logistic relevance model over listing features (no clicks in them), and raw CTR by
 * rank (which mixes examination with the relevance of what is shown there).
 *
 *   npx tsx bench/click-models.ts [--data ../shared/data/yandex-wscd2012-clicklog-sample] [--iterations 50] [--json]
 */
import { parseArgs } from 'node:util';
import { markdownTable } from '../src/cli/output.js';
import { fitCascade } from '../src/rank/clicks/cascade.js';
import type { FittedClickModel } from '../src/rank/clicks/click-model.js';
import { evaluateClickModel, type ClickModelEvaluation } from '../src/rank/clicks/metrics.js';
import { fitPbm } from '../src/rank/clicks/pbm.js';
import { estimatePositionBias } from '../src/rank/clicks/position-bias.js';
import { logisticRelevance } from '../src/rank/clicks/relevance-models.js';
import { fitSdbn } from '../src/rank/clicks/sdbn.js';
import { pairKey, type ClickSession } from '../src/rank/clicks/session.js';
import { fitUbm } from '../src/rank/clicks/ubm.js';
import { readClickLog } from '../src/rank/clicks/yandex-log.js';
import { intFlag } from './args.js';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/yandex-wscd2012-clicklog-sample' },
    iterations: { type: 'string', default: '50' },
    json: { type: 'boolean', default: false },
  },
});
const iterations = intFlag('iterations', args.iterations, 1);
const train = readClickLog(`${args.data}/trainSample.gz`);
const test = readClickLog(`${args.data}/testSample.gz`);
const trainQueries = new Set(train.sessions.map((s) => s.query));
const testSessions = test.sessions.filter((s) => trainQueries.has(s.query));

const fits: Array<[string, () => FittedClickModel]> = [
  ['pbm', () => fitPbm(train.sessions, { iterations })],
  ['ubm', () => fitUbm(train.sessions, { iterations })],
  ['cascade', () => fitCascade(train.sessions)],
  ['sdbn', () => fitSdbn(train.sessions)],
];
const results: Array<ClickModelEvaluation & { fitMs: number }> = [];
const models = new Map<string, FittedClickModel>();
for (const [name, fit] of fits) {
  const start = performance.now();
  const model = fit();
  const fitMs = performance.now() - start;
  models.set(name, model);
  results.push({ ...evaluateClickModel(model, testSessions), fitMs });
}

// Listing features per (query, document), from where the training log showed it (never from clicks): its mean
// rank, how often it was shown for the query, and whether it was ever at rank 1.
const listing = new Map<string, { rankSum: number; shown: number; top: number }>();
const sessionsOfQuery = new Map<string, number>();
for (const s of train.sessions) {
  sessionsOfQuery.set(s.query, (sessionsOfQuery.get(s.query) ?? 0) + 1);
  s.documents.forEach((d, r) => {
    const entry = listing.get(pairKey(s.query, d)) ?? { rankSum: 0, shown: 0, top: 0 };
    entry.rankSum += r + 1;
    entry.shown += 1;
    if (r === 0) entry.top = 1;
    listing.set(pairKey(s.query, d), entry);
  });
}
const features = (s: ClickSession, r: number): number[] => {
  const e = listing.get(pairKey(s.query, s.documents[r]))!;
  return [e.rankSum / e.shown / 10, e.shown / sessionsOfQuery.get(s.query)!, e.top];
};
const regression = estimatePositionBias(train.sessions, { relevance: logisticRelevance(features), iterations });
const pbmGamma = (models.get('pbm') as ReturnType<typeof fitPbm>).examination;
const ctr = new Array<number>(10).fill(0);
for (const s of train.sessions) s.clicks.forEach((c, r) => (ctr[r] += c ? 1 : 0));
const bias = pbmGamma.map((g, r) => ({
  rank: r + 1,
  'PBM γ_r / γ_1': g / pbmGamma[0],
  'regression EM θ_r / θ_1': regression.relative[r],
  'CTR_r / CTR_1': ctr[r] / ctr[0],
  'PBM γ_r': g,
  'regression EM θ_r': regression.propensities[r],
}));

const config = {
  train: { sessions: train.sessions.length, clicks: train.clicks, outsideClicks: train.outsideClicks },
  test: { sessions: test.sessions.length, kept: testSessions.length, clicks: test.clicks, outsideClicks: test.outsideClicks },
  iterations,
  node: process.version,
};
if (args.json) {
  console.log(JSON.stringify({ config, results, bias }, null, 2));
} else {
  console.log(`train ${JSON.stringify(config.train)}; test ${JSON.stringify(config.test)}; EM iterations ${iterations}\n`);
  console.log(markdownTable(results.map((r) => ({
    model: r.model,
    'log-likelihood': r.logLikelihood,
    perplexity: r.perplexity,
    ...Object.fromEntries(r.perplexityAtRank.map((p, i) => [`p@${i + 1}`, p.toFixed(3)])),
    'fit ms': Math.round(r.fitMs),
  }))));
  console.log(`\nPosition bias (regression EM: ${regression.trace.iterations} iterations; weights ${Array.from((regression.relevance as { weights?: Float64Array }).weights ?? [], (w) => w.toFixed(2)).join(', ')})\n`);
  console.log(markdownTable(bias.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, typeof v === 'number' && k !== 'rank' ? v.toFixed(3) : v])))));
}
