/**
 * The Open Bandit Pipeline's validation protocol for off-policy estimators (Saito et al. 2020): ZOZOTOWN ran a
 * uniform-random policy and a Bernoulli Thompson sampling (bts) policy side by side, so each one's click rate is
 * known on-policy (the mean click of its own log). Estimate bts's click rate from the random log, compare it with
 * the truth, and report the relative error |estimate − truth| / truth; or the reverse (random's rate from the bts
 * log, far harder: bts gave some cells probabilities near 10⁻⁶, so their weights are huge).
 *
 * Each impression (one slot of a three-slot slate) is one sample: its logged propensity is the logging policy's
 * probability of that item in that slot, and its target probability the other policy's, recovered from that
 * policy's own log (logged-policy.ts). Both are context-free, so DR's reward model is a cross-fitted cell CTR.
 * Read as its average over the week, the target is not quite the bts that ran (its posterior moved): the two
 * values agree only as far as click rates did not drift in step with bts's probabilities, a floor on the error.
 */
import { join } from 'node:path';
import { resolveOptions } from '../options.js';
import { BOOTSTRAP_OPTIONS, bootstrapIntervals } from './bootstrap.js';
import { crossFitCellModels, type CellModel } from './cell-reward-model.js';
import { effectiveSampleSize, importanceWeight, STANDARD_ESTIMATORS, type OpeEstimator, type OpeSample } from './estimators.js';
import { POLICY_READINGS, policyFromLog, type SlatePolicy } from './logged-policy.js';
import { readObdLog, type ObdRow } from './open-bandit-log.js';

export const OBD_CAMPAIGNS = ['men', 'women'] as const;
export type ObdCampaign = (typeof OBD_CAMPAIGNS)[number];
export type ObdPolicy = 'random' | 'bts';

export const OBD_OPTIONS = {
  reading: { kind: 'enum', default: 'period-mean', values: POLICY_READINGS, description: 'how the target policy is read off its own log' },
  priorStrength: { kind: 'number', default: 100, min: 0, max: 1e6, description: 'Beta prior of the cell CTR model, in pseudo-impressions' },
  folds: { kind: 'number', default: 2, min: 2, max: 20, integer: true, description: 'cross-fitting folds of the reward model' },
  ...BOOTSTRAP_OPTIONS,
} as const;

export interface ObdLogs {
  random: ObdRow[];
  bts: ObdRow[];
}

/** `root` is the dataset folder holding random/ and bts/ (e.g. ../shared/data/open-bandit-dataset-sample). */
export function readObdCampaign(root: string, campaign: ObdCampaign): ObdLogs {
  const read = (policy: ObdPolicy) => readObdLog(join(root, policy, campaign, `${campaign}.csv.gz`));
  return { random: read('random'), bts: read('bts') };
}

/** OpeSamples of a log seen from `target`; `models[i]` is row i's (cross-fitted) reward model. */
export function obdSamples(log: readonly ObdRow[], target: SlatePolicy, items: readonly number[], models: readonly CellModel[]): OpeSample[] {
  return log.map((row, i) => {
    let modelTarget = 0;
    for (const item of items) modelTarget += target.probability(item, row.position, row.time) * models[i](item, row.position);
    return {
      reward: row.click,
      loggedPropensity: row.propensity,
      targetProbability: target.probability(row.item, row.position, row.time),
      modelLogged: models[i](row.item, row.position),
      modelTarget,
    };
  });
}

export interface ObdEstimate {
  estimator: string;
  estimate: number;
  lower: number;
  upper: number;
  relativeError: number;
}

export interface ObdEvaluation {
  target: ObdPolicy;
  logged: ObdPolicy;
  /** Impressions and clicks in the evaluated (logged) log. */
  rows: number;
  clicks: number;
  /** The target policy's on-policy click rate: the mean click of its own log. */
  truth: number;
  effectiveSampleSize: number;
  maxWeight: number;
  estimates: ObdEstimate[];
}

export function evaluateObd(
  logs: ObdLogs,
  target: ObdPolicy,
  options: Partial<Record<keyof typeof OBD_OPTIONS, unknown>> = {},
  estimators: readonly OpeEstimator[] = STANDARD_ESTIMATORS,
): ObdEvaluation {
  const o = resolveOptions(OBD_OPTIONS, options, 'obd.');
  const logged: ObdPolicy = target === 'bts' ? 'random' : 'bts';
  const log = logs[logged];
  const policy = policyFromLog(logs[target], o.reading as (typeof POLICY_READINGS)[number]);
  const items = [...new Set([...logs.random, ...logs.bts].map((r) => r.item))].sort((a, b) => a - b);
  const samples = obdSamples(log, policy, items, crossFitCellModels(log, o.folds, o.priorStrength, o.seed));
  const truth = logs[target].reduce((sum, r) => sum + r.click, 0) / logs[target].length;
  const bootstrap = { resamples: o.resamples, level: o.level, seed: o.seed };
  return {
    target,
    logged,
    rows: log.length,
    clicks: log.reduce((sum, r) => sum + r.click, 0),
    truth,
    effectiveSampleSize: effectiveSampleSize(samples),
    maxWeight: samples.reduce((max, s) => Math.max(max, importanceWeight(s)), 0),
    estimates: bootstrapIntervals(samples, estimators, bootstrap).map(({ estimate, lower, upper }, e) => (
      { estimator: estimators[e].name, estimate, lower, upper, relativeError: Math.abs(estimate - truth) / truth })),
  };
}
