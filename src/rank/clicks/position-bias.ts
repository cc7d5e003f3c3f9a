/**
 * Position bias for unbiased learning to rank: examination propensities per rank, estimated by regression EM
 * (Wang, Golbandi, Bendersky, Metzler & Najork, "Position Bias Estimation for Unbiased Learning to Rank in
 * Personal Search", WSDM 2018). Clicks and non-clicks both inform it: a result is clicked iff examined
 * (θ_k, by rank k alone) and relevant (γ, from a relevance model: a (query, document) table by default, or a
 * regression over features via `logisticRelevance`, which is what lets sparse logs share strength).
 * The propensities feed `ipsWeights` (src/rank/clicks/ips.ts).
 */
import { createError } from '../../errors.js';
import { resolveClickFitOptions, type ClickFitOptions, type FitTrace } from './click-model.js';
import { BY_RANK, fitExaminationEm, type RelevanceFactory, type RelevanceFit } from './examination-em.js';
import { tableRelevance } from './relevance-models.js';
import type { ClickSession } from './session.js';

export interface PositionBiasOptions<S extends ClickSession> extends ClickFitOptions {
  /** What predicts relevance; default `tableRelevance` with the same prior as the propensities. */
  relevance?: RelevanceFactory<S>;
}

export interface PositionBias<S extends ClickSession> {
  /** θ_k = P(examined at rank k), rank 1 first. */
  propensities: number[];
  /** θ_k / θ_1: what IPS needs (the scale of θ and γ is not identified by clicks alone, their ratios are). */
  relative: number[];
  relevance: RelevanceFit<S>;
  trace: FitTrace;
}

export function estimatePositionBias<S extends ClickSession>(sessions: readonly S[], options: PositionBiasOptions<S> = {}): PositionBias<S> {
  const { relevance, ...fitOptions } = options;
  const prior = resolveClickFitOptions(fitOptions, 'position bias.');
  const fit = fitExaminationEm(sessions, BY_RANK, relevance ?? (tableRelevance(prior) as RelevanceFactory<S>), fitOptions, 'position bias');
  const propensities = Array.from(fit.examination);
  if (!(propensities[0] > 0)) throw createError('CLICKS_BAD_INPUT', 'position bias', 'rank 1 was never examined (no clicks at all?); propensities are undefined');
  return { propensities, relative: propensities.map((p) => p / propensities[0]), relevance: fit.relevance, trace: fit.trace };
}
