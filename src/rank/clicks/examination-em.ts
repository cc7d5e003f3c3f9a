/**
 * The one EM that PBM, UBM and the position-bias estimator share. All three say: a result is clicked iff it is
 * examined and relevant (attractive), independently, with P(E = 1) = θ[slot] and P(R = 1) = γ from a relevance
 * model. They differ only in what the examination slot is: the rank (PBM; Wang et al. 2018's propensities) or
 * the rank and the rank of the previous click (UBM, Dupret & Piwowarski 2008); and in what predicts γ: a
 * (query, document) table or a regression over features (Wang et al.'s "regression EM"). Because the slot only
 * looks at clicks above a rank, the observed clicks are independent given the slots and the E-step is exact:
 *
 *   click:    P(E = 1 | C) = P(R = 1 | C) = 1
 *   no click: P(E = 1 | C) = θ(1 − γ) / (1 − θγ),  P(R = 1 | C) = (1 − θ)γ / (1 − θγ)
 *
 * M-step: θ[slot] is the smoothed mean of P(E = 1 | C) over the slot's rows; the relevance model re-fits to
 * P(R = 1 | C). The objective (log-likelihood + log-prior) never decreases; `trace` records it.
 */
import { createError } from '../../errors.js';
import { resolveClickFitOptions, SmoothedProbabilities, type ClickFitOptions, type FitTrace } from './click-model.js';
import { checkSessions, maxDepth, type ClickSession } from './session.js';

/** Where the examination parameter of each (session, rank) lives, for lists up to `depth` long. */
export interface ExaminationSlots {
  readonly count: number;
  /** Depends on the session's clicks above `rank` only, never on the click at `rank`. */
  slot(session: ClickSession, rank: number): number;
}
export type ExaminationScheme = (depth: number) => ExaminationSlots;

/** PBM: one examination probability per rank. */
export const BY_RANK: ExaminationScheme = (depth) => ({ count: depth, slot: (_session, rank) => rank });

/** UBM: one per (rank, rank of the previous click above it, or none), packed triangularly. */
export const BY_RANK_AND_PREVIOUS_CLICK: ExaminationScheme = (depth) => ({
  count: (depth * (depth + 1)) / 2,
  slot: (session, rank) => ubmSlot(rank, previousClick(session.clicks, rank)),
});

/** The UBM slot of rank r after a click at `previous` (−1: no click above r). */
export function ubmSlot(rank: number, previous: number): number {
  return (rank * (rank + 1)) / 2 + previous + 1;
}

function previousClick(clicks: readonly boolean[], rank: number): number {
  for (let r = rank - 1; r >= 0; r--) if (clicks[r]) return r;
  return -1;
}

/**
 * Training rows are the (session, rank) pairs in order: row offsets[s] + r. A relevance model is built on them
 * once and re-fitted at every M-step.
 */
export interface RelevanceFit<S extends ClickSession> {
  readonly name: string;
  /** P(R = 1) of training row `row` under the current parameters. */
  rowRelevance(row: number): number;
  /** M-step: re-estimates from P(R = 1 | observed clicks) per row, never lowering Σ log-likelihood + logPrior. */
  update(targets: Float64Array): void;
  /** Log-prior (or −penalty) of the current parameters; 0 for maximum likelihood. */
  logPrior(): number;
  /** P(R = 1) of any session's result; what was never seen falls back to the prior. */
  predict(session: S, rank: number): number;
}
export type RelevanceFactory<S extends ClickSession> = (sessions: readonly S[], offsets: Int32Array) => RelevanceFit<S>;

export interface ExaminationFit<S extends ClickSession> {
  /** θ per slot. */
  examination: Float64Array;
  slots: ExaminationSlots;
  depth: number;
  relevance: RelevanceFit<S>;
  trace: FitTrace;
}

export function fitExaminationEm<S extends ClickSession>(
  sessions: readonly S[],
  scheme: ExaminationScheme,
  relevanceFactory: RelevanceFactory<S>,
  options: ClickFitOptions = {},
  what = 'EM',
): ExaminationFit<S> {
  checkSessions(sessions, what);
  const o = resolveClickFitOptions(options, `${what}.`);
  const depth = maxDepth(sessions);
  const slots = scheme(depth);
  const offsets = new Int32Array(sessions.length + 1);
  sessions.forEach((s, i) => (offsets[i + 1] = offsets[i] + s.documents.length));
  const rows = offsets[sessions.length];
  const slotOfRow = new Int32Array(rows);
  const clicked = new Uint8Array(rows);
  sessions.forEach((s, i) => {
    for (let r = 0; r < s.documents.length; r++) {
      slotOfRow[offsets[i] + r] = slots.slot(s, r);
      clicked[offsets[i] + r] = s.clicks[r] ? 1 : 0;
    }
  });
  const examination = new SmoothedProbabilities(slots.count, o);
  const relevance = relevanceFactory(sessions, offsets);
  const targets = new Float64Array(rows);
  const objective: number[] = [];
  let converged = false;
  let iteration = 0;
  for (; ; iteration++) {
    // E-step at the current parameters; it also yields their log-likelihood.
    examination.reset();
    let logLikelihood = 0;
    for (let row = 0; row < rows; row++) {
      const theta = examination.values[slotOfRow[row]];
      const gamma = relevance.rowRelevance(row);
      const click = theta * gamma;
      if (clicked[row]) {
        logLikelihood += Math.log(click);
        examination.add(slotOfRow[row], 1);
        targets[row] = 1;
      } else {
        const skip = 1 - click;
        logLikelihood += Math.log(skip);
        examination.add(slotOfRow[row], skip > 0 ? (theta * (1 - gamma)) / skip : 0);
        targets[row] = skip > 0 ? ((1 - theta) * gamma) / skip : 0;
      }
    }
    const value = (logLikelihood + examination.logPrior() + relevance.logPrior()) / rows;
    if (!Number.isFinite(value)) {
      throw createError('CLICKS_BAD_INPUT', what, `the objective became ${value} at iteration ${iteration}; use priorStrength > 0 so no probability reaches 0 or 1`);
    }
    const gain = objective.length > 0 ? value - objective[objective.length - 1] : Infinity;
    objective.push(value);
    if (gain < o.tolerance) {
      converged = true;
      break;
    }
    if (iteration === o.iterations) break;
    examination.estimate();
    relevance.update(targets);
  }
  return { examination: examination.values, slots, depth, relevance, trace: { objective, iterations: iteration, converged } };
}
