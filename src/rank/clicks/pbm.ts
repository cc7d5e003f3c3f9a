/**
 * PBM fitted from a log (Craswell et al. 2008; Chuklin et al. 2015, §3.3, §4.2): P(C_r = 1) = γ_r · α_qd,
 * examination by rank times attractiveness by (query, document), by EM. It is the position-bias estimator with
 * its default (query, document) table, wrapped as a click model: one EM, not two. Clicks are independent
 * across ranks, so the conditional and the full click probabilities are the same.
 */
import { createError } from '../../errors.js';
import type { ClickFitOptions, FitTrace, FittedClickModel } from './click-model.js';
import type { RelevanceFit } from './examination-em.js';
import { estimatePositionBias } from './position-bias.js';
import type { ClickSession } from './session.js';

export class PbmModel implements FittedClickModel {
  readonly name = 'pbm';
  constructor(
    /** γ_r per rank, rank 1 first. */
    readonly examination: readonly number[],
    private readonly attractivenessModel: RelevanceFit<ClickSession>,
    readonly trace: FitTrace,
  ) {}

  /** α_qd of the result at `rank` (the prior mean for a pair never seen in training). */
  attractiveness(session: ClickSession, rank: number): number {
    return this.attractivenessModel.predict(session, rank);
  }

  fullClickProbabilities(session: ClickSession): number[] {
    if (session.documents.length > this.examination.length) {
      throw createError('CLICKS_BAD_INPUT', 'pbm', `the session shows ${session.documents.length} results, the model was fitted on at most ${this.examination.length}`);
    }
    return session.documents.map((_, r) => this.examination[r] * this.attractiveness(session, r));
  }

  conditionalClickProbabilities(session: ClickSession): number[] {
    return this.fullClickProbabilities(session);
  }
}

export function fitPbm(sessions: readonly ClickSession[], options: ClickFitOptions = {}): PbmModel {
  const bias = estimatePositionBias(sessions, options);
  return new PbmModel(bias.propensities, bias.relevance, bias.trace);
}
