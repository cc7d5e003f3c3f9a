/**
 * `quiver simulate --catalog <file> [--stream <queries.jsonl> | --generate N] --policy <name|all> [--seed S]
 *  [--k 10] [--click-model pbm|cascade|dcm] [--refind 0.3] [--clicks-only] [--ranker heuristic|lambdamart [--retrain-every N]
 *  [--models dir]] [--json] [--curves <dir>] [--log <decisions.jsonl>]
 *  [--save-policy <state.json>] [--grid 10,25,50,100] [--holdback 0.1] [--warm-start 10] [--holdback-decay 1000] [--frozen-policy <state.json>]`: replays a query stream through the funnel with a simulated user and reports
 * what each planner achieved (src/simulate/simulator.ts defines every figure). `--policy all` runs every
 * planner on the same stream: a table, or with --json one object {"policies": [...]}. `--frozen-policy` runs a
 * saved policy state as a fixed policy (it decides but learns nothing): the on-policy truth `quiver ope` is
 * checked against.
 */
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadCatalog } from '../../catalog/load.js';
import { createError } from '../../errors.js';
import { readStream } from '../../eval/stream.js';
import { generateStream } from '../../eval/stream-generator.js';
import { SearchIndex } from '../../index/search-index.js';
import { DEFAULT_HOLDBACK_DECAY, DEFAULT_WARM_START, defaultHoldback, LEARNED_PLANNERS, PolicyPlanner, plannerNames } from '../../policy/planners.js';
import { policyState, readPolicyState, writePolicyState } from '../../policy/policy-state.js';
import { BUDGET_MODES } from '../../policy/candidate-price.js';
import { COVERAGE_CREDIT_RULES, DEFAULT_COST_WEIGHT, DEFAULT_CREDIT } from '../../policy/retrieval-policy.js';
import { STRATEGY_FACTORIES } from '../../retrieval/registry.js';
import { CLICK_MODELS, createClickModel } from '../../simulate/click-models.js';
import { comparePlanners, RANKERS, rankerFactory, writeCurves } from '../../simulate/compare.js';
import { DEFAULT_REFIND, DEFAULT_RETRAIN_EVERY, type SimulationReport } from '../../simulate/simulator.js';
import { type LabelVerdict, labelVerdicts, queryTextKey, type Versus, versusStatics } from '../../simulate/versus.js';
import { AtomicFileWriter } from '../../util/atomic-file.js';
import { candidateBudgetFlag, choiceFlag, indexOptionsFromFlags, numberFlag, withIndexFlags } from '../flags.js';
import { strategiesFlag } from './eval-strategies-command.js';
import { table } from '../output.js';

export function gridFlag(value: string): number[] {
  const budgets = value.split(',').map((b) => Number(b.trim()));
  if (budgets.length === 0 || budgets.some((b) => !Number.isInteger(b) || b < 1 || b > 10_000)) throw new InvalidArgumentError(`--grid takes budgets (integers in [1, 10000]) separated by commas, got "${value}"`);
  return [...new Set(budgets)].sort((a, b) => a - b);
}

export function summaryRow(r: SimulationReport, k: number): Record<string, string | number> {
  return {
    policy: r.policy,
    kind: r.kind,
    candidate_recall: r.candidate_recall,
    [`ndcg@${k}`]: r[`ndcg@${k}`],
    [`mrr@${k}`]: r[`mrr@${k}`],
    mean_candidates: r.mean_candidates.toFixed(1),
    mean_strategies: r.mean_strategies.toFixed(2),
    mean_reward: r.mean_reward.toFixed(4),
    ms_per_query: r.ms_per_query.toFixed(2),
    'regret N/2 → N': `${r.regret_half.toFixed(0)} → ${r.regret.toFixed(0)}`,
  };
}

/** One row per strategy a planner ran or found a target with: what it drew and what only it found. */
export function strategyUseRows(r: SimulationReport): Array<Record<string, string>> {
  const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
  return Object.entries(r.strategy_use)
    .filter(([, u]) => u.ran > 0 || u.found > 0)
    .map(([strategy, u]) => ({ strategy, ran: percent(u.ran), candidates: u.candidates.toFixed(1), 'found a target': percent(u.found), 'alone found one': percent(u.alone) }));
}

/** The planners a --policy list names, each known and named once (a side-by-side run of a few is much cheaper than all). */
export function plannerList(value: string, known: readonly string[]): string[] {
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) if (!known.includes(name)) throw createError('POLICY_UNKNOWN', name === '' ? value : name, `all, ${known.join(', ')}`);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw createError('CLI_BAD_FLAGS', `--policy names ${twice} twice`);
  return names;
}

/** One row per (learned, static) pair: the paired nDCG gap with its 95% interval, and the labels won. */
export function versusRows(versus: Record<string, Versus[]>, k: number): Array<Record<string, string | number>> {
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
  return Object.entries(versus).flatMap(([learned, rows]) => rows.map((v) => ({
    policy: learned,
    versus: v.against,
    [`Δ ndcg@${k}`]: signed(v.overall.delta),
    '95% interval': `${signed(v.overall.low)} … ${signed(v.overall.high)}`,
    'labels won': `${v.labels_won}/${Object.keys(v.by_label).length}`,
    'won (interval > 0)': v.labels_won_significantly,
    'lost (interval < 0)': v.labels_lost_significantly,
  })));
}

/** Per learned planner: the labels on which it is above every static plan, below one, or neither (level). */
export function labelVerdictRows(labels: Record<string, Record<string, LabelVerdict>>): Array<Record<string, string>> {
  return Object.entries(labels).map(([learned, byLabel]) => {
    const verdicts = Object.entries(byLabel);
    const named = (verdict: string) => verdicts.filter(([, v]) => v.verdict === verdict).map(([label, v]) => `${label} (${v.against} ${v.difference.delta >= 0 ? '+' : ''}${v.difference.delta.toFixed(3)})`);
    const won = named('won');
    const lost = named('lost');
    return {
      policy: learned,
      'above every static': `${won.length}/${verdicts.length}${won.length > 0 ? `: ${won.join(', ')}` : ''}`,
      level: String(verdicts.length - won.length - lost.length),
      'below a static': `${lost.length}${lost.length > 0 ? `: ${lost.join(', ')}` : ''}`,
    };
  });
}

export function simulateCommand(): Command {
  return withIndexFlags(
    new Command('simulate')
      .description('replay a query stream through the funnel with a simulated user; compare retrieval policies and static plans')
      .requiredOption('--catalog <file>', 'catalogue file (.jsonl, .csv, optionally .gz)')
      .option('--stream <file>', 'query stream (JSONL, see `quiver generate-stream`)')
      .option('--generate <n>', 'generate a stream of n queries from the catalogue instead', numberFlag('--generate', { min: 1, max: 10_000_000, integer: true }))
      .requiredOption('--policy <name>', 'a planner name, a comma-separated list of them (run side by side), or "all" (strategies alone, always-all, rrf-lexical-semantic, uniform, epsilon-greedy, linucb, hybrid-linucb, thompson)')
      .option('--seed <n>', 'seed of the generated stream, the clicks and the exploration', numberFlag('--seed', { min: 0, max: 2 ** 31 - 1, integer: true }), 1)
      .option('--k <n>', 'results shown to the simulated user', numberFlag('--k', { min: 1, max: 1000, integer: true }), 10)
      .option('--click-model <name>', `simulated user: ${CLICK_MODELS.join(', ')}`, choiceFlag('--click-model', CLICK_MODELS), 'pbm')
      .option('--ranker <name>', `the funnel's ranker: ${RANKERS.join(', ')} (lambdamart learns from the run's clicks; the heuristic ranks until its first model)`, choiceFlag('--ranker', RANKERS), 'heuristic')
      .option('--retrain-every <n>', 'with --ranker lambdamart: retrain every this many queries', numberFlag('--retrain-every', { min: 10, max: 1e9, integer: true }), DEFAULT_RETRAIN_EVERY)
      .option('--models <dir>', 'with --ranker lambdamart: keep the model versions here (one folder per planner) instead of in memory')
      .option('--refind <p>', 'share of searches that found nothing wanted after which the user finds a target another way and plays it (0: never)', numberFlag('--refind', { min: 0, max: 1 }), DEFAULT_REFIND)
      .option('--clicks-only', 'the simulated user only clicks (default: plays a clicked target, skips a clicked non-target; DESIGN.md "The simulator\'s user")')
      .option('--cost-weight <x>', 'coverage one candidate costs, for the learned plans and the regret', numberFlag('--cost-weight', { min: 0, max: 1 }), DEFAULT_COST_WEIGHT)
      .option('--holdback <share>', 'share of requests the learned plans serve with every strategy at full budget, so deep draws get feedback (default 0.1 with --ranker lambdamart, 0 with heuristic)', numberFlag('--holdback', { min: 0, max: 0.99 }))
      .option('--warm-start <n>', `requests over which a new learned plan's holdback is raised from 1, halving the extra share by the n-th (0: not raised)`, numberFlag('--warm-start', { min: 0, max: 1e9 }), DEFAULT_WARM_START)
      .option('--holdback-decay <n>', `requests after which the learned plans' holdback fades, as √(n / t) at request t (0: it never fades)`, numberFlag('--holdback-decay', { min: 0, max: 1e12 }), DEFAULT_HOLDBACK_DECAY)
      .option('--candidate-budget <n|p%>', 'mean candidates per query the learned plans keep under, or a share of the full draw (every strategy at the largest budget, as always-all draws) such as 35%: the price of a candidate rises above --cost-weight while they draw more (default: no budget)', candidateBudgetFlag('--candidate-budget'))
      .option('--budget-mode <mode>', 'ceiling: the learned plans keep under --candidate-budget; target: they spend it, the price also falling below --cost-weight while they draw less (default ceiling)', choiceFlag('--budget-mode', BUDGET_MODES))
      .option('--credit <rule>', `what a learned plan's arm earns when the user engaged with several results: ${COVERAGE_CREDIT_RULES.join(', ')} (share: the share of them its list held, so depth pays where queries have many answers; best: the best-placed one)`, choiceFlag('--credit', COVERAGE_CREDIT_RULES), DEFAULT_CREDIT)
      .option('--no-position-discount', 'learned plans credit an engagement 1 wherever it was shown (default: 1 / log2(1 + position), DESIGN.md "The reward")')
      .option('--strategies <list>', `strategies in the quiver (default all: ${Object.keys(STRATEGY_FACTORIES).join(', ')})`, strategiesFlag)
      .option('--no-regret', 'skip the oracle regret (saves one full retrieval per query)')
      .option('--curves <dir>', 'write recall, nDCG, candidates-per-query and regret curves there as SVG and PNG')
      .option('--log <file>', 'write every policy decision (with propensities, features and reward) as JSONL, for `quiver ope` (the file appears whole when the run ends)')
      .option('--save-policy <file>', 'save the learnt policy state (a single learned --policy)')
      .option('--grid <list>', 'budgets a policy may give a strategy (default 10,25,50,100); a smaller grid gives off-policy evaluation more support', gridFlag)
      .option('--frozen-policy <file>', 'run this saved policy state (of the --policy named) as a fixed policy that learns nothing')
      .option('--json', 'print one JSON object'),
  ).action((flags) => {
    if ((flags.stream === undefined) === (flags.generate === undefined)) throw createError('CLI_BAD_FLAGS', 'give exactly one of --stream <file> or --generate <n>');
    if (flags.budgetMode !== undefined && flags.candidateBudget === undefined) throw createError('CLI_BAD_FLAGS', '--budget-mode needs --candidate-budget');
    // Flags are checked before the catalogue is loaded: a typo fails at once.
    const known = plannerNames(flags.strategies ?? Object.keys(STRATEGY_FACTORIES));
    const planners = flags.policy === 'all' ? known : plannerList(flags.policy, known);
    const frozen = flags.frozenPolicy ? readPolicyState(flags.frozenPolicy) : undefined;
    if (frozen && (flags.policy !== frozen.policy || flags.savePolicy || flags.grid)) {
      throw createError('CLI_BAD_FLAGS', `--frozen-policy runs the saved ${frozen.policy} policy on its own grid: give --policy ${frozen.policy}, and neither --grid nor --save-policy`);
    }
    if (flags.savePolicy && (planners.length !== 1 || !LEARNED_PLANNERS.includes(planners[0]))) {
      throw createError('CLI_BAD_FLAGS', `--save-policy needs a single learned --policy (${LEARNED_PLANNERS.join(', ')})`);
    }
    // --save-policy is written when the run ends: a directory that is not there is found out before it starts.
    if (flags.savePolicy && !existsSync(dirname(resolve(flags.savePolicy)))) throw createError('FILE_UNWRITABLE', flags.savePolicy, 'its directory does not exist');
    const { entities } = loadCatalog(flags.catalog);
    const index = SearchIndex.build(entities, indexOptionsFromFlags(flags));
    const events = flags.stream !== undefined ? readStream(flags.stream, { isKnownId: (id) => index.has(id) }) : generateStream(entities, { n: flags.generate, seed: flags.seed }).events;
    // The decision log appears whole, only when the run finishes; opened now, so an unwritable path fails first.
    const log = flags.log ? new AtomicFileWriter(flags.log) : undefined;
    const bar = !flags.json && process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: '{planner} [{bar}] {value}/{total} queries', stream: process.stderr }, cliProgress.Presets.shades_classic)
      : undefined;
    let current = '';
    // Per planner, each query's nDCG@k: learned and static plans are compared query by query (versus.ts).
    const perQuery = new Map(planners.map((name) => [name, new Float64Array(events.length)]));
    try {
      const reports = comparePlanners(index, events, {
        planners, user: createClickModel(flags.clickModel), k: flags.k, seed: flags.seed, costWeight: flags.costWeight, refind: flags.refind, afterClick: !flags.clicksOnly,
        ranker: rankerFactory(flags.ranker, flags.models), retrainEvery: flags.retrainEvery,
        strategies: frozen?.strategies ?? flags.strategies, regret: flags.regret, restore: frozen,
        planner: frozen ? { frozen: true, grid: frozen.grid, costWeight: frozen.costWeight } : { grid: flags.grid, positionDiscount: flags.positionDiscount, credit: flags.credit, holdback: flags.holdback ?? defaultHoldback(flags.ranker), warmStart: flags.warmStart, holdbackDecay: flags.holdbackDecay, candidateBudget: flags.candidateBudget, budgetMode: flags.budgetMode },
        onDecision: log === undefined ? undefined : (planner, entry) => log.write(`${JSON.stringify({ policy: planner, ...entry })}\n`),
        onProgress: bar && ((planner, done) => {
          if (planner !== current) {
            if (current) bar.stop();
            bar.start(events.length, 0, { planner });
            current = planner;
          }
          bar.update(done);
        }),
        onScored: (planner, t, ndcg) => (perQuery.get(planner)![t] = ndcg),
        onDone: (planner) => {
          if (flags.savePolicy && planner instanceof PolicyPlanner) writePolicyState(flags.savePolicy, policyState(planner.policy));
        },
      });
      bar?.stop();
      log?.commit();
      const curves = flags.curves ? writeCurves(flags.curves, reports, flags.k) : [];
      const versus = versusStatics(reports.map((r) => ({ planner: r.policy, kind: r.kind, values: perQuery.get(r.policy)! })), events.map((e) => e.label), events.map((e) => queryTextKey(e.query)));
      const labels = Object.fromEntries(Object.entries(versus).filter(([, rows]) => rows.length > 0).map(([learned, rows]) => [learned, labelVerdicts(rows)]));
      if (flags.json) {
        console.log(JSON.stringify(reports.length === 1 ? reports[0] : { policies: reports, versus, labels }));
        return;
      }
      console.log(table(reports.map((r) => summaryRow(r, flags.k))));
      if (reports.length === 1) console.log(`\n${table(strategyUseRows(reports[0]))}\n(per search: the share it ran on, the candidates it returned, the share its list held a target on, and on which only its list did)`);
      if (Object.keys(labels).length > 0) {
        console.log(`\n${table(versusRows(versus, flags.k))}\n\n${table(labelVerdictRows(labels))}`);
        console.log("(95% intervals, clustered by query text: a text's repeats are not independent. A label is above every static plan when each interval is above 0, below a static plan when one is below 0)");
      }
      const holdback = reports.find((r) => r.holdback !== undefined)?.holdback ?? 0;
      const user = flags.clicksOnly ? 'a user who only clicks' : 'clicked targets played, other clicks skipped';
      console.log(`\n${events.length} queries, ${flags.clickModel} clicks on the top ${flags.k} (${user}), ${flags.refind} of searches that found nothing wanted refound; candidate_recall = share of queries with a target among the candidates; ` +
        'regret against the cheapest single strategy that would have covered a target.' +
        (holdback > 0 ? ` Learned plans served ${holdback} of their requests with every strategy at full budget (--holdback)${flags.holdbackDecay > 0 ? `, fading past request ${flags.holdbackDecay} (--holdback-decay)` : ''}; --json's held_back says what share they did.` : '') +
        (reports.some((r) => r.credit === 'best') ? ' Their arms earned the best-placed engaged result alone (--credit best), not the share of them they held.' : '') +
        (flags.candidateBudget !== undefined ? ` Learned plans ${flags.budgetMode === 'target' ? 'spent' : 'kept under'} ${typeof flags.candidateBudget === 'string' ? `${flags.candidateBudget} of the full draw` : `${flags.candidateBudget} candidates per query`} on average (--candidate-budget${flags.budgetMode === 'target' ? ' --budget-mode target' : ''}); --json's candidate_budget says the price they ended at.` : ''));
      if (curves.length > 0) console.log(`curves: ${curves.join(', ')}`);
    } finally {
      log?.abort();
    }
  });
}
