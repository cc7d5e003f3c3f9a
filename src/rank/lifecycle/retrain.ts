/**
 * Retraining the ranker from its log, and the promotion rule. The log is split by time: the older
 * (1 − holdout) share trains a LambdaMART model on IPS-weighted clicks (ranking-log.ts), the newest share is
 * held out. The new model is promoted only if its NDCG@k on the held-out impressions is not worse than that of
 * what is current (the current model, or the fallback ranker's logged scores when there is none): a model
 * that would rank yesterday's clicks worse never serves. Every trained model is kept as a version either way.
 *
 * `retrainRanker` trains on this thread (the simulator: deterministic, in step with the stream);
 * `retrainRankerInWorker` trains on a worker thread so a server keeps answering searches meanwhile.
 */
import { mean, meanDifference } from '../../eval/metrics.js';
import type { IpsOptions } from '../clicks/ips.js';
import { type RankDataset, selectQueries } from '../ltr/dataset.js';
import { weightedNdcgMetric } from '../ltr/metric.js';
import type { LambdaMartModel } from '../ltr/model.js';
import type { LambdaMartParamsInput } from '../ltr/params.js';
import { trainLambdaMart } from '../ltr/train.js';
import type { ModelRegistry, ModelVersion } from './model-registry.js';
import { clickDataset, learnable, positionPropensities, type RankingImpression } from './ranking-log.js';
import { trainInWorker } from './train-worker.js';

export interface RetrainOptions {
  params?: LambdaMartParamsInput;
  /** Share of the newest impressions held out to judge the model (default 0.2). */
  holdout?: number;
  /** NDCG@k judged on the hold-out (default 10). */
  k?: number;
  /** Fewer learnable impressions than this: no training (default 100). */
  minImpressions?: number;
  ips?: IpsOptions;
  /**
   * A new model is refused only when its hold-out NDCG@k is below the current ranker's by more than this many
   * standard errors of the per-query difference (default 2; 0: refused when lower at all).
   */
  promotionZ?: number;
}

export const DEFAULT_PROMOTION_Z = 2;

export interface RetrainReport {
  /** The version trained (absent when there was too little to learn from). */
  version?: ModelVersion;
  promoted: boolean;
  reason: string;
  propensities?: number[];
}

interface Prepared {
  train: RankDataset;
  holdout: RankDataset;
  /** The fallback ranker's scores of the hold-out rows, when logged. */
  fallback?: Float64Array;
  trainImpressions: number;
  /** Examination per position fitted to the training impressions (absent for ready-made rows). */
  propensities?: number[];
}

/** The training and hold-out data sets, or a reason there are none. */
function prepare(impressions: readonly RankingImpression[], featureNames: readonly string[], options: RetrainOptions): Prepared | string {
  const usable = impressions.filter(learnable);
  const minimum = options.minImpressions ?? 100;
  if (usable.length < minimum) return `${usable.length} impressions with clicks, fewer than ${minimum}`;
  const cut = Math.floor(usable.length * (1 - (options.holdout ?? 0.2)));
  const older = usable.slice(0, cut);
  const newer = usable.slice(cut);
  if (older.length === 0 || newer.length === 0) return 'the hold-out split left one side empty';
  const depth = Math.max(...older.map((i) => i.shown));
  const propensities = positionPropensities(older, depth);
  const fallback = new Float64Array(newer.reduce((n, i) => n + i.ids.length, 0));
  let at = 0;
  for (const i of newer) {
    fallback.set(i.fallbackScores, at);
    at += i.ids.length;
  }
  return {
    train: clickDataset(older, featureNames, propensities, options.ips),
    holdout: clickDataset(newer, featureNames, propensities, options.ips),
    fallback, trainImpressions: older.length, propensities,
  };
}

/**
 * Registers the trained model and promotes it unless the hold-out shows it is worse than what is current: its
 * IPS-weighted NDCG@k (clicks deeper down count as the examination they needed) is below the current's by more
 * than `promotionZ` standard errors of the per-query paired difference. A newer model has learnt from more
 * traffic; a hold-out of a few hundred impressions ranked by the current ranker is noisy and leans its way (it
 * chose what was shown), so a difference within the noise does not keep the older model serving.
 */
function judge(registry: ModelRegistry, prepared: Prepared, model: LambdaMartModel, options: RetrainOptions): RetrainReport {
  const k = options.k ?? 10;
  const z = options.promotionZ ?? DEFAULT_PROMOTION_Z;
  const metric = weightedNdcgMetric(k);
  const { holdout } = prepared;
  const mine = metric.perQuery(holdout, model.scoreDataset(holdout));
  const ndcg = mean(mine);
  const current = registry.currentModel();
  const currentScores = current ? current.scoreDataset(holdout) : prepared.fallback;
  const theirs = currentScores ? metric.perQuery(holdout, currentScores) : null;
  const currentNdcg = theirs ? mean(theirs) : null;
  const against = registry.current !== null ? `v${registry.current}` : prepared.fallback ? 'fallback' : 'nothing (no model, no logged fallback scores)';
  const version = registry.add(model, {
    trainedOn: { impressions: prepared.trainImpressions, rows: prepared.train.rowCount },
    holdout: { impressions: holdout.groupOffsets.length - 1, k, ndcg, currentNdcg, against },
  });
  const standardError = theirs ? meanDifference(mine, theirs).standardError : Number.NaN;
  const margin = Number.isFinite(standardError) ? z * standardError : 0;
  const promoted = currentNdcg === null || ndcg >= currentNdcg - margin;
  const verdict = currentNdcg === null ? '' : ndcg >= currentNdcg ? ' ≥ ' : promoted ? ` within ${z} s.e. (${margin.toFixed(4)}) of ` : ` < (by more than ${z} s.e., ${margin.toFixed(4)}) `;
  const reason = `hold-out weighted NDCG@${k} ${ndcg.toFixed(4)}${verdict}${currentNdcg?.toFixed(4) ?? ''} (${against})`;
  if (promoted) registry.promote(version.version, reason);
  return { version: registry.versions().find((v) => v.version === version.version), promoted, reason, ...(prepared.propensities && { propensities: prepared.propensities }) };
}

export function retrainRanker(registry: ModelRegistry, impressions: readonly RankingImpression[], featureNames: readonly string[], options: RetrainOptions = {}): RetrainReport {
  const prepared = prepare(impressions, featureNames, options);
  if (typeof prepared === 'string') return { promoted: false, reason: prepared };
  return judge(registry, prepared, trainLambdaMart(prepared.train, options.params).model, options);
}

export async function retrainRankerInWorker(
  registry: ModelRegistry,
  impressions: readonly RankingImpression[],
  featureNames: readonly string[],
  options: RetrainOptions = {},
): Promise<RetrainReport> {
  const prepared = prepare(impressions, featureNames, options);
  if (typeof prepared === 'string') return { promoted: false, reason: prepared };
  return judge(registry, prepared, await trainInWorker(prepared.train, options.params), options);
}

/**
 * Retraining from ranking rows already made (svmlight from `TrainingRowsWriter`): the last `holdout` share of
 * the queries is held out, training runs on a worker thread. With no current model there is nothing logged to
 * compare with, so the first model is promoted.
 */
export async function retrainFromRows(registry: ModelRegistry, rows: RankDataset, options: RetrainOptions = {}): Promise<RetrainReport> {
  const queries = rows.groupOffsets.length - 1;
  const cut = Math.floor(queries * (1 - (options.holdout ?? 0.2)));
  if (cut === 0 || cut === queries) return { promoted: false, reason: `${queries} queries cannot be split into training and hold-out` };
  const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
  const prepared: Prepared = { train: selectQueries(rows, range(0, cut)), holdout: selectQueries(rows, range(cut, queries)), trainImpressions: cut };
  return judge(registry, prepared, await trainInWorker(prepared.train, options.params), options);
}
