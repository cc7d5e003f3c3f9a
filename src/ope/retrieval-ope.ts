/**
 * Off-policy evaluation of retrieval plans from a decision log (`quiver ope`): the mean plan reward a target
 * planner would have earned on the logged requests, estimated by IPS, SNIPS, DM and DR with bootstrap intervals.
 *
 * One OpeSample per logged decision: reward = the logged reward, [the user engaged with a candidate] −
 * costWeight · (what the runs cost); loggedPropensity = the logged P(plan); targetProbability = the target's
 * P(logged plan | logged context); modelLogged / modelTarget = the plan reward model (plan-reward-model.ts),
 * cross-fitted on two seeded folds of the log, at the logged plan and in expectation under the target.
 *
 * What the estimates assume (DESIGN.md): the logger gave every plan the target can choose a positive
 * probability (with uniform logging over S strategies and G budgets, each plan has (G + 1)^−S, so a small grid
 * and few strategies are what give a deterministic target support); and the logged context is the target's.
 * Part of it is not: the action features' history counts and the learners' state (memory, profiles) grew from
 * the logger's own plans, and a target run on-policy would have seen its own. The simulator measures how much
 * that matters (bench/ope-simulator.ts).
 */
import { createError } from '../errors.js';
import { resolveOptions } from '../options.js';
import { hashString } from '../util/random.js';
import { BOOTSTRAP_OPTIONS, bootstrapIntervals } from './bootstrap.js';
import { crossFit } from './cross-fit.js';
import type { DecisionLogLine } from './decision-log.js';
import { effectiveSampleSize, importanceWeight, type OpeEstimator, type OpeSample, STANDARD_ESTIMATORS } from './estimators.js';
import { fitPlanRewardModel, REWARD_CONTEXTS, type RewardContext } from './plan-reward-model.js';
import { planProbability, type RetrievalTarget } from './retrieval-targets.js';

export const RETRIEVAL_OPE_OPTIONS = {
  folds: { kind: 'number', default: 2, min: 2, max: 20, integer: true, description: 'cross-fitting folds of the reward model' },
  rewardContext: { kind: 'enum', default: 'actions', values: REWARD_CONTEXTS, description: 'what the reward model reads: each strategy\'s action features, or the policy\'s whole context' },
  ridge: { kind: 'number', default: 1, min: 1e-6, max: 1e6, description: 'ridge prior λ of the reward model\'s regressions' },
  ...BOOTSTRAP_OPTIONS,
} as const;

export type RetrievalOpeOptions = Partial<Record<keyof typeof RETRIEVAL_OPE_OPTIONS, unknown>>;

/** The lines of one logging planner; without a name the log must hold only one. */
export function selectLogger(lines: readonly DecisionLogLine[], logger?: string, where = ''): { logger: string; lines: DecisionLogLine[] } {
  const planners = [...new Set(lines.map((l) => l.policy))];
  if (logger === undefined) {
    if (planners.length > 1) throw createError('OPE_LOG_MISMATCH', where, `holds the decisions of several planners (${planners.join(', ')}); choose one with --logger`);
    return { logger: planners[0], lines: [...lines] };
  }
  const chosen = lines.filter((l) => l.policy === logger);
  if (chosen.length === 0) throw createError('OPE_LOG_MISMATCH', where, `has no decisions of planner "${logger}" (it holds ${planners.join(', ')})`);
  return { logger, lines: chosen };
}

/**
 * The cost weight λ the log's rewards were computed with: reward = covered − λ·cost on every line, so any line
 * with a cost gives λ, and every other line must agree (else the rewards are not one quantity). 0 if no line
 * has a cost.
 */
export function logCostWeight(lines: readonly DecisionLogLine[]): number {
  let weight: number | undefined;
  for (const line of lines) {
    if (line.cost === 0) continue;
    const w = ((line.covered ? 1 : 0) - line.reward) / line.cost;
    weight ??= w;
    if (Math.abs(w - weight) > 1e-9 * Math.max(1, Math.abs(weight))) {
      throw createError('OPE_LOG_MISMATCH', `decision t=${line.t}`, `its reward implies cost weight ${w}, earlier lines ${weight}: the rewards were not computed alike`);
    }
  }
  // Rounded to 12 significant digits: the division brings back 0.00005 as 0.00004999999999999449.
  return weight === undefined ? 0 : Number(weight.toPrecision(12));
}

/** Every line must have action features for the target's strategies (what a target's plan is chosen from). */
function checkSupportable(lines: readonly DecisionLogLine[], target: RetrievalTarget): void {
  for (const line of lines) {
    const missing = target.strategies.find((s) => !(s in line.actions));
    if (missing !== undefined) throw createError('OPE_LOG_MISMATCH', `decision t=${line.t}`, `has no action features for "${missing}", which ${target.name} can run: the logger's quiver did not hold it`);
  }
}

/** One OpeSample per logged decision, seen from `target`. */
export function retrievalOpeSamples(lines: readonly DecisionLogLine[], target: RetrievalTarget, options: RetrievalOpeOptions = {}): OpeSample[] {
  const o = resolveOptions(RETRIEVAL_OPE_OPTIONS, options, 'ope.');
  checkSupportable(lines, target);
  const costWeight = logCostWeight(lines);
  const models = crossFit(lines, o.folds, o.seed, (training) => fitPlanRewardModel(training, costWeight, o.rewardContext as RewardContext, o.ridge));
  return lines.map((line, i) => {
    const mixture = target.distribution(line, hashString(`${line.t}:${line.query}`, o.seed));
    return {
      reward: line.reward,
      loggedPropensity: line.propensity,
      targetProbability: planProbability(mixture, line.plan),
      modelLogged: models[i].value(line, line.plan),
      modelTarget: models[i].expectation(line, mixture),
    };
  });
}

export interface RetrievalOpeReport {
  policy: string;
  logger: string;
  decisions: number;
  costWeight: number;
  estimators: Record<string, { estimate: number; lower: number; upper: number }>;
  /** Kish's effective sample size of the importance weights. */
  ess: number;
  /** Decisions whose logged plan the target could have chosen (weight > 0). */
  matched: number;
  maxWeight: number;
}

export function evaluateRetrievalOpe(
  lines: readonly DecisionLogLine[],
  logger: string,
  target: RetrievalTarget,
  options: RetrievalOpeOptions = {},
  estimators: readonly OpeEstimator[] = STANDARD_ESTIMATORS,
): RetrievalOpeReport {
  const o = resolveOptions(RETRIEVAL_OPE_OPTIONS, options, 'ope.');
  const samples = retrievalOpeSamples(lines, target, options);
  const intervals = bootstrapIntervals(samples, estimators, { resamples: o.resamples, level: o.level, seed: o.seed });
  return {
    policy: target.name,
    logger,
    decisions: lines.length,
    costWeight: logCostWeight(lines),
    estimators: Object.fromEntries(estimators.map((e, i) => [e.name, { estimate: intervals[i].estimate, lower: intervals[i].lower, upper: intervals[i].upper }])),
    ess: effectiveSampleSize(samples),
    matched: samples.filter((s) => s.targetProbability > 0).length,
    maxWeight: samples.reduce((max, s) => Math.max(max, importanceWeight(s)), 0),
  };
}
