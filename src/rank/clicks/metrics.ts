/**
 * How well a fitted click model predicts held-out clicks, computed as Chuklin, Markov & de Rijke (2015, §5.1–5.2)
 * and PyClick's Evaluation.py do:
 *
 * - log-likelihood per session-document: the mean over every (session, rank) of ln P(C_r = c_r | C_<r), from
 *   the conditional click probabilities (natural log; PyClick averages per session, then over sessions, which
 *   is the same when every session shows the same number of results);
 * - perplexity at rank r: p_r = 2^(−(1/N) Σ_sessions log2 P(C_r = c_r)), from the full (marginal) click
 *   probabilities, N the sessions showing rank r; overall perplexity is the mean of p_r over ranks. 1 is
 *   perfect prediction, 2 a coin toss.
 *
 * Every probability is kept within [PROBABILITY_FLOOR, 1 − PROBABILITY_FLOOR] (PyClick's PROB_MIN), so that a
 * model that says "impossible" (the cascade model after the first click) costs a large finite penalty.
 */
import { createError } from '../../errors.js';
import type { FittedClickModel } from './click-model.js';
import { checkSessions, maxDepth, type ClickSession } from './session.js';

export const PROBABILITY_FLOOR = 1e-6;

export interface ClickModelEvaluation {
  model: string;
  sessions: number;
  logLikelihood: number;
  perplexity: number;
  /** Rank 1 first. */
  perplexityAtRank: number[];
}

/** P(C_r = c_r) from P(C_r = 1), floored. */
export function observedProbability(clickProbability: number, clicked: boolean): number {
  const p = clicked ? clickProbability : 1 - clickProbability;
  return Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, p));
}

export function evaluateClickModel(model: FittedClickModel, sessions: readonly ClickSession[]): ClickModelEvaluation {
  checkSessions(sessions, `evaluating ${model.name}`);
  const depth = maxDepth(sessions);
  const log2AtRank = new Float64Array(depth);
  const sessionsAtRank = new Float64Array(depth);
  let logLikelihood = 0;
  let rows = 0;
  for (const s of sessions) {
    const conditional = model.conditionalClickProbabilities(s);
    const full = model.fullClickProbabilities(s);
    for (let r = 0; r < s.documents.length; r++) {
      const pc = conditional[r];
      const pf = full[r];
      if (!(pc >= 0 && pc <= 1) || !(pf >= 0 && pf <= 1)) {
        throw createError('CLICKS_BAD_INPUT', `evaluating ${model.name}`, `query ${s.query}, rank ${r + 1}: click probabilities ${pc} and ${pf} are not both in [0, 1]`);
      }
      logLikelihood += Math.log(observedProbability(pc, s.clicks[r]));
      log2AtRank[r] += Math.log2(observedProbability(pf, s.clicks[r]));
      sessionsAtRank[r]++;
      rows++;
    }
  }
  const perplexityAtRank = Array.from(log2AtRank, (sum, r) => 2 ** (-sum / sessionsAtRank[r]));
  return {
    model: model.name,
    sessions: sessions.length,
    logLikelihood: logLikelihood / rows,
    perplexity: perplexityAtRank.reduce((a, b) => a + b, 0) / depth,
    perplexityAtRank,
  };
}
