/**
 * What predicts P(R = 1) inside the examination EM (src/rank/clicks/examination-em.ts):
 *
 * - `tableRelevance`: one Beta-smoothed probability per (query, document) pair: the attractiveness α_qd of
 *   PBM and UBM. Unseen pairs get the prior mean.
 * - `logisticRelevance`: P(R = 1) = σ(w·x + b) over a feature vector per (session, rank), fitted at each M-step
 *   to the soft labels P(R = 1 | clicks) by Newton's method with step halving, L2 penalty on w (not b). This is
 *   Wang et al. 2018's regression EM with a logistic model instead of their GBDT: relevance generalises to
 *   pairs never clicked (or never seen) through their features, and the propensities are learned jointly.
 *   Fitting to the soft labels directly (rather than to labels sampled from them, as the paper does for its
 *   trees) is the same expected objective without the sampling noise.
 */
import { createError } from '../../errors.js';
import { resolveOptions, type OptionSpecs, type ResolvedOptions } from '../../options.js';
import { cholesky, solve } from '../../util/cholesky.js';
import { SmoothedProbabilities } from './click-model.js';
import type { RelevanceFactory, RelevanceFit } from './examination-em.js';
import { pairKey, type ClickSession } from './session.js';

export function tableRelevance(prior: { priorMean: number; priorStrength: number }): RelevanceFactory<ClickSession> {
  return (sessions, offsets) => {
    const idOf = new Map<string, number>();
    const idOfRow = new Int32Array(offsets[sessions.length]);
    sessions.forEach((s, i) => {
      s.documents.forEach((doc, r) => {
        const key = pairKey(s.query, doc);
        let id = idOf.get(key);
        if (id === undefined) idOf.set(key, (id = idOf.size));
        idOfRow[offsets[i] + r] = id;
      });
    });
    const table = new SmoothedProbabilities(idOf.size, prior);
    return {
      name: 'table',
      rowRelevance: (row) => table.values[idOfRow[row]],
      update(targets) {
        table.reset();
        for (let row = 0; row < idOfRow.length; row++) table.add(idOfRow[row], targets[row]);
        table.estimate();
      },
      logPrior: () => table.logPrior(),
      predict(session, rank) {
        const id = idOf.get(pairKey(session.query, session.documents[rank]));
        return id === undefined ? prior.priorMean : table.values[id];
      },
    };
  };
}

export const LOGISTIC_RELEVANCE_OPTIONS = {
  l2: { kind: 'number', default: 1, min: 0, max: 1e9, description: 'L2 penalty λ/2·‖w‖² on the feature weights (not the intercept)' },
  newtonSteps: { kind: 'number', default: 1, min: 1, max: 100, integer: true, description: 'Newton steps per M-step (warm-started from the last)' },
} as const satisfies OptionSpecs;
export type LogisticRelevanceOptions = Partial<ResolvedOptions<typeof LOGISTIC_RELEVANCE_OPTIONS>>;

/** A fitted logistic relevance model: the weights of each feature, then the intercept. */
export interface LogisticRelevanceFit<S extends ClickSession> extends RelevanceFit<S> {
  readonly weights: Float64Array;
}

/** `features(session, rank)` gives the same number of finite features for every result. */
export function logisticRelevance<S extends ClickSession>(
  features: (session: S, rank: number) => readonly number[],
  options: LogisticRelevanceOptions = {},
): RelevanceFactory<S> {
  const o = resolveOptions(LOGISTIC_RELEVANCE_OPTIONS, { ...options }, 'logistic relevance.');
  return (sessions, offsets) => {
    const rows = offsets[sessions.length];
    const width = checkedFeatures(features, sessions[0], 0).length;
    const d = width + 1; // + intercept
    const x = new Float64Array(rows * d);
    sessions.forEach((s, i) => {
      for (let r = 0; r < s.documents.length; r++) {
        const row = offsets[i] + r;
        const f = checkedFeatures(features, s, r, width, `session ${i}, rank ${r + 1}`);
        x.set(f, row * d);
        x[row * d + width] = 1;
      }
    });
    const w = new Float64Array(d);
    const margin = new Float64Array(rows); // x·w per row, kept in step with w
    const penalty = (weights: Float64Array): number => {
      let sum = 0;
      for (let j = 0; j < width; j++) sum += weights[j] * weights[j];
      return (o.l2 / 2) * sum;
    };
    const objective = (m: Float64Array, weights: Float64Array, targets: Float64Array): number => {
      let sum = 0;
      for (let row = 0; row < rows; row++) sum += targets[row] * m[row] - softplus(m[row]);
      return sum - penalty(weights);
    };
    const fit: LogisticRelevanceFit<S> = {
      name: 'logistic',
      weights: w,
      rowRelevance: (row) => sigmoid(margin[row]),
      update(targets) {
        for (let step = 0; step < o.newtonSteps; step++) {
          const direction = newtonDirection(x, d, width, margin, w, targets, o.l2);
          const before = objective(margin, w, targets);
          const trial = new Float64Array(d);
          const trialMargin = new Float64Array(rows);
          // Halve the step until the objective does not drop: the M-step then never lowers the EM objective.
          for (let scale = 1; scale > 1e-6; scale /= 2) {
            for (let j = 0; j < d; j++) trial[j] = w[j] + scale * direction[j];
            for (let row = 0; row < rows; row++) trialMargin[row] = dotRow(x, row, d, trial);
            if (objective(trialMargin, trial, targets) >= before) {
              w.set(trial);
              margin.set(trialMargin);
              break;
            }
          }
        }
      },
      logPrior: () => -penalty(w),
      predict: (session, rank) => {
        const f = checkedFeatures(features, session, rank, width, `rank ${rank + 1}`);
        let m = w[width];
        for (let j = 0; j < width; j++) m += w[j] * f[j];
        return sigmoid(m);
      },
    };
    return fit;
  };
}

function newtonDirection(x: Float64Array, d: number, width: number, margin: Float64Array, w: Float64Array, targets: Float64Array, l2: number): Float64Array {
  const gradient = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  for (let row = 0; row < margin.length; row++) {
    const p = sigmoid(margin[row]);
    const residual = targets[row] - p;
    const curvature = p * (1 - p);
    const base = row * d;
    for (let j = 0; j < d; j++) {
      const xj = x[base + j];
      if (xj === 0) continue;
      gradient[j] += residual * xj;
      for (let k = 0; k <= j; k++) hessian[j * d + k] += curvature * xj * x[base + k];
    }
  }
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < j; k++) hessian[k * d + j] = hessian[j * d + k];
    // The intercept is not penalised; a tiny ridge keeps the factorisation defined when a feature never varies.
    const ridge = j < width ? l2 : 0;
    gradient[j] -= ridge * w[j];
    hessian[j * d + j] += ridge + 1e-9;
  }
  return solve(cholesky(hessian, d), d, gradient);
}

function checkedFeatures<S>(features: (session: S, rank: number) => readonly number[], session: S, rank: number, width?: number, where = 'the first result'): readonly number[] {
  const f = features(session, rank);
  if (!Array.isArray(f) && !ArrayBuffer.isView(f)) throw createError('CLICKS_BAD_INPUT', `logistic relevance, ${where}`, 'features must be an array of numbers');
  if (width !== undefined && f.length !== width) throw createError('CLICKS_BAD_INPUT', `logistic relevance, ${where}`, `has ${f.length} features; the first result had ${width}`);
  for (let j = 0; j < f.length; j++) {
    if (!Number.isFinite(f[j])) throw createError('CLICKS_BAD_INPUT', `logistic relevance, ${where}`, `feature ${j} is ${f[j]}; expected a finite number`);
  }
  return f;
}

function dotRow(x: Float64Array, row: number, d: number, w: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < d; j++) sum += x[row * d + j] * w[j];
  return sum;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
