/**
 * Retrieval OPE validated on the simulator (src/ope/simulator-validation.ts): log a logging planner with full
 * support on a generated stream over the demo catalogue, estimate each target's mean plan reward from the log,
 * and compare with the target's on-policy mean reward on the same stream and seed. Targets: each strategy alone
 * at the full budget, always-all, and learned policies trained on another stream (seed + 1000) and run frozen.
 *
 *   npx tsx bench/ope-simulator.ts [--queries 2000] [--train 2000] [--strategies lexical,fuzzy,structured,memory]
 *     [--grid 10,100] [--logger uniform] [--learned linucb,thompson] [--resamples 500] [--seed 1] [--json]
 */
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/load.js';
import { markdownTable } from '../src/cli/output.js';
import { demoCatalogPath } from '../src/demo.js';
import { generateStream } from '../src/eval/stream-generator.js';
import { SearchIndex } from '../src/index/search-index.js';
import { logDecisions, type SimulationSetup, trainPolicy, validateTarget, type ValidationResult, type ValidationTarget } from '../src/ope/simulator-validation.js';
import { createClickModel } from '../src/simulate/click-models.js';
import { intFlag } from './args.js';

const { values: args } = parseArgs({
  options: {
    queries: { type: 'string', default: '2000' },
    train: { type: 'string', default: '2000' },
    strategies: { type: 'string', default: 'lexical,fuzzy,structured,memory' },
    grid: { type: 'string', default: '10,100' },
    logger: { type: 'string', default: 'uniform' },
    learned: { type: 'string', default: 'linucb,thompson' },
    context: { type: 'string', default: 'actions' },
    resamples: { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const queries = intFlag('queries', args.queries, 10);
const train = intFlag('train', args.train, 10);
const resamples = intFlag('resamples', args.resamples, 10);
const seed = intFlag('seed', args.seed, 0);
const strategies = args.strategies!.split(',');
const grid = args.grid!.split(',').map(Number);
const learned = args.learned!.split(',').filter(Boolean);

const started = Date.now();
const { entities } = loadCatalog(demoCatalogPath());
const index = SearchIndex.build(entities, { popularityWeight: 1 });
const events = generateStream(entities, { n: queries, seed }).events;
const setup: SimulationSetup = { strategies, grid, user: createClickModel('pbm'), seed };
const log = logDecisions(index, events, args.logger!, setup);
const targets: ValidationTarget[] = [...strategies.map((name) => ({ name })), { name: 'always-all' }];
if (learned.length > 0) {
  const trainingEvents = generateStream(entities, { n: train, seed: seed + 1000 }).events;
  for (const name of learned) targets.push({ state: trainPolicy(index, trainingEvents, name, { ...setup, seed: seed + 1000 }) });
}
const results: ValidationResult[] = targets.map((t) => validateTarget(index, events, log.lines, t, setup, { resamples, seed, rewardContext: args.context }));
const seconds = (Date.now() - started) / 1000;

if (args.json) {
  console.log(JSON.stringify({ config: { queries, train, strategies, grid, logger: args.logger, resamples, seed, node: process.version, seconds }, loggerReward: log.meanReward, results }, null, 2));
} else {
  const f = (v: number, digits = 4) => v.toFixed(digits);
  const rows = results.flatMap((r) => Object.entries(r.report.estimators).map(([estimator, { estimate, lower, upper }]) => ({
    target: r.target,
    truth: f(r.truth),
    estimator,
    estimate: f(estimate),
    '95% CI': `[${f(lower)}, ${f(upper)}]`,
    'rel. error': f(r.errors[estimator].relativeError, 3),
    covers: r.errors[estimator].covers ? 'yes' : 'no',
    'matched / ESS': `${r.report.matched} / ${r.report.ess.toFixed(1)}`,
  })));
  console.log(`${args.logger} log of ${queries} queries over ${strategies.join(', ')}, grid ${grid.join(', ')}; logger's own mean reward ${f(log.meanReward)}; ${seconds.toFixed(0)} s\n`);
  console.log(markdownTable(rows));
}
