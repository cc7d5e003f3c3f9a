/**
 * UBM, the user browsing model (Dupret & Piwowarski 2008; Chuklin et al. 2015, §3.5, §4.3.1): a result is
 * clicked iff attractive (α_qd) and examined, and examination γ_{r,r'} depends on the rank r and the rank r' of
 * the previous click (or none). Fitted by the shared examination EM with slots by (rank, previous click).
 * Conditional click probabilities read r' off the session's clicks; full ones sum over where the previous click
 * was (a small dynamic programme over ranks).
 */
import { createError } from '../../errors.js';
import { resolveClickFitOptions, type ClickFitOptions, type FitTrace, type FittedClickModel } from './click-model.js';
import { BY_RANK_AND_PREVIOUS_CLICK, fitExaminationEm, ubmSlot, type RelevanceFit } from './examination-em.js';
import { tableRelevance } from './relevance-models.js';
import type { ClickSession } from './session.js';

export class UbmModel implements FittedClickModel {
  readonly name = 'ubm';
  constructor(
    /** γ_{r,r'} packed by `ubmSlot(r, r')` (0-based ranks; r' = −1 when no click above r). */
    private readonly gamma: Float64Array,
    private readonly depth: number,
    private readonly attractivenessModel: RelevanceFit<ClickSession>,
    readonly trace: FitTrace,
  ) {}

  /** γ_{r,r'}: P(rank r examined | the last click above it was at r'), 0-based, r' = −1 for none. */
  examination(rank: number, previousClick: number): number {
    return this.gamma[ubmSlot(rank, previousClick)];
  }

  attractiveness(session: ClickSession, rank: number): number {
    return this.attractivenessModel.predict(session, rank);
  }

  conditionalClickProbabilities(session: ClickSession): number[] {
    this.checkDepth(session);
    let previous = -1;
    return session.documents.map((_, r) => {
      const p = this.attractiveness(session, r) * this.examination(r, previous);
      if (session.clicks[r]) previous = r;
      return p;
    });
  }

  fullClickProbabilities(session: ClickSession): number[] {
    this.checkDepth(session);
    const n = session.documents.length;
    const alpha = session.documents.map((_, r) => this.attractiveness(session, r));
    const marginal: number[] = [];
    // reach[j + 1] = P(the last click so far was at j), j = −1 for none; updated as ranks go by.
    const reach = new Float64Array(n + 1);
    reach[0] = 1;
    for (let r = 0; r < n; r++) {
      let click = 0;
      for (let j = -1; j < r; j++) {
        const p = alpha[r] * this.examination(r, j);
        click += reach[j + 1] * p;
        reach[j + 1] *= 1 - p;
      }
      reach[r + 1] = click;
      marginal.push(click);
    }
    return marginal;
  }

  private checkDepth(session: ClickSession): void {
    if (session.documents.length > this.depth) {
      throw createError('CLICKS_BAD_INPUT', 'ubm', `the session shows ${session.documents.length} results, the model was fitted on at most ${this.depth}`);
    }
  }
}

export function fitUbm(sessions: readonly ClickSession[], options: ClickFitOptions = {}): UbmModel {
  const fit = fitExaminationEm(sessions, BY_RANK_AND_PREVIOUS_CLICK, tableRelevance(resolveClickFitOptions(options, 'ubm.')), options, 'ubm');
  return new UbmModel(fit.examination, fit.depth, fit.relevance, fit.trace);
}
