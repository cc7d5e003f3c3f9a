/**
 * `quiver ope --log <decisions.jsonl> --policy <name|plan> [--state <policy.json> --catalog <file>]
 *  [--logger <name>] [--grid 10,25,50,100] [--resamples N] [--seed S] [--json]`: estimates from a decision log
 * (`quiver simulate --log`) the mean plan reward a target planner would have earned on the logged requests
 * (src/ope/retrieval-ope.ts): IPS, SNIPS, DM and DR with bootstrap intervals, and the effective sample size.
 *
 * A static target (a strategy's name, always-all, uniform, or a fixed plan "lexical=100,fuzzy=25") needs only
 * the log. A learned target is a saved state (`quiver simulate --save-policy`), evaluated frozen; it needs the
 * catalogue (and the index flags) it learnt on, because the policy's context features are named by the
 * catalogue and restoring the state checks those names.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadCatalog } from '../../catalog/load.js';
import { createError } from '../../errors.js';
import { SearchIndex } from '../../index/search-index.js';
import { readDecisionLog } from '../../ope/decision-log.js';
import { evaluateRetrievalOpe, selectLogger } from '../../ope/retrieval-ope.js';
import { frozenPolicy, policyTarget, type RetrievalTarget, staticTarget, uniformTarget } from '../../ope/retrieval-targets.js';
import { LEARNED_PLANNERS, plannerNames, staticPlan } from '../../policy/planners.js';
import { readPolicyState } from '../../policy/policy-state.js';
import { DEFAULT_GRID } from '../../policy/retrieval-policy.js';
import { type IndexFlags, indexOptionsFromFlags, numberFlag, withIndexFlags } from '../flags.js';
import { table } from '../output.js';
import { gridFlag } from './simulate-command.js';

/** "lexical=100,fuzzy=25" → a fixed plan, or undefined when the text is not of that form. */
function fixedPlan(text: string): Map<string, number> | undefined {
  if (!text.includes('=')) return undefined;
  const plan = new Map<string, number>();
  for (const part of text.split(',')) {
    const [strategy, budget] = part.split('=').map((s) => s.trim());
    const b = Number(budget);
    if (!strategy || !Number.isInteger(b) || b < 1) throw new InvalidArgumentError(`--policy: a fixed plan is strategy=budget pairs with integer budgets ≥ 1, got "${part}"`);
    if (plan.has(strategy)) throw new InvalidArgumentError(`--policy: a fixed plan names each strategy once, "${strategy}" is given twice in "${text}"`);
    plan.set(strategy, b);
  }
  return plan;
}

function targetFrom(flags: IndexFlags & { policy?: string; state?: string; catalog?: string; grid?: readonly number[] }, logStrategies: string[]): RetrievalTarget {
  if (flags.state !== undefined) {
    const state = readPolicyState(flags.state);
    if (flags.policy !== undefined && flags.policy !== state.policy) throw createError('CLI_BAD_FLAGS', `--policy ${flags.policy} but --state holds a ${state.policy} policy`);
    if (flags.catalog === undefined) throw createError('CLI_BAD_FLAGS', '--state needs --catalog <file>: the catalogue (and index flags) the policy learnt on name its context features');
    const { entities } = loadCatalog(flags.catalog);
    return policyTarget(frozenPolicy(SearchIndex.build(entities, indexOptionsFromFlags(flags)), state));
  }
  const name = flags.policy;
  if (name === undefined) throw createError('CLI_BAD_FLAGS', 'give --policy <name|plan>, or --state <policy.json> for a learned policy');
  if (name === 'uniform') return uniformTarget(logStrategies, flags.grid ?? DEFAULT_GRID);
  if (name === 'rrf-lexical-semantic') throw createError('OPE_BAD_TARGET', name, 'it ranks with its own RRF ranker, and the logged rewards came from the logging funnel\'s ranker');
  if (LEARNED_PLANNERS.includes(name)) throw createError('OPE_BAD_TARGET', name, 'a learned policy is evaluated from its saved state: give --state <policy.json> (quiver simulate --save-policy)');
  const plan = fixedPlan(name) ?? staticPlan(name, logStrategies);
  if (!plan) throw createError('POLICY_UNKNOWN', name, `${plannerNames(logStrategies).filter((n) => !LEARNED_PLANNERS.includes(n)).join(', ')}, a plan like lexical=100,fuzzy=25, or --state <file>`);
  return staticTarget(name, plan);
}

export function opeCommand(): Command {
  return withIndexFlags(
    new Command('ope')
      .description('off-policy evaluation: estimate from a decision log what another retrieval planner would have earned')
      .requiredOption('--log <file>', 'decision log (JSONL from `quiver simulate --log`)')
      .option('--policy <name>', 'target: a strategy alone at the full budget, always-all, uniform, or a plan like lexical=100,fuzzy=25')
      .option('--state <file>', 'target: a saved learned policy (quiver simulate --save-policy), evaluated frozen; needs --catalog')
      .option('--catalog <file>', 'the catalogue the saved policy learnt on (with the same index flags)')
      .option('--logger <name>', 'evaluate only the decisions of this logging planner (a log may hold several)')
      .option('--grid <list>', 'the budget grid of the uniform target (default 10,25,50,100)', gridFlag)
      .option('--resamples <n>', 'bootstrap resamples', numberFlag('--resamples', { min: 10, max: 1_000_000, integer: true }), 1000)
      .option('--seed <n>', 'seed of the bootstrap, the reward model\'s folds and a Thompson target\'s draws', numberFlag('--seed', { min: 0, max: 2 ** 31 - 1, integer: true }), 1)
      .option('--json', 'print one JSON object'),
  ).action((flags) => {
    const { logger, lines } = selectLogger(readDecisionLog(flags.log), flags.logger, flags.log);
    const target = targetFrom(flags, Object.keys(lines[0].actions));
    const report = evaluateRetrievalOpe(lines, logger, target, { resamples: flags.resamples, seed: flags.seed });
    if (flags.json) {
      console.log(JSON.stringify(report));
      return;
    }
    const f = (v: number) => v.toFixed(4);
    console.log(table(Object.entries(report.estimators).map(([estimator, { estimate, lower, upper }]) => ({ estimator, estimate: f(estimate), '95% CI': `[${f(lower)}, ${f(upper)}]` }))));
    console.log(`\n${report.policy} from ${report.decisions} decisions of ${logger}: ${report.matched} logged plans the target could have chosen, ` +
      `effective sample size ${report.ess.toFixed(1)}, largest weight ${report.maxWeight.toFixed(1)}. Value = mean of [engaged] − ${report.costWeight} × candidates.`);
    if (report.matched === 0) {
      console.log('No logged plan is one the target could have chosen (a budget off the logger\'s grid, or strategies it never ran together): ' +
        'IPS and SNIPS have no support here (their 0 is not an estimate); DM and DR rest on the reward model alone.');
    }
  });
}
