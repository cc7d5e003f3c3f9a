/**
 * What every click model fitted from a log offers (after PyClick's ClickModel and Chuklin, Markov & de Rijke,
 * "Click Models for Web Search", 2015, ch. 3–5), the fitting options they share, and the Beta-smoothed
 * probability table every model keeps its parameters in.
 *
 * Smoothing: each probability is the MAP estimate under a Beta prior written as pseudo-observations,
 * (successes + priorMean·priorStrength) / (trials + priorStrength). A (query, document) pair never seen in
 * training gets priorMean. The default (0.5, 2) is (successes + 1) / (trials + 2), the same start PyClick gives
 * its parameters; priorStrength 0 is plain maximum likelihood (0/0 also falls back to priorMean).
 */
import { resolveOptions, type OptionSpecs, type ResolvedOptions } from '../../options.js';
import type { ClickSession } from './session.js';

export interface FittedClickModel {
  readonly name: string;
  /**
   * P(C_r = 1 | the clicks observed above r) for every rank r of the session: what log-likelihood is computed
   * from. Depends on the session's own clicks (above each rank only).
   */
  conditionalClickProbabilities(session: ClickSession): number[];
  /** The marginal P(C_r = 1) for every rank, from the shown list alone (clicks ignored): what perplexity uses. */
  fullClickProbabilities(session: ClickSession): number[];
}

export const CLICK_FIT_OPTIONS = {
  iterations: { kind: 'number', default: 50, min: 0, max: 100_000, integer: true, description: 'EM iterations at most (MLE models ignore it)' },
  tolerance: {
    kind: 'number', default: 1e-9, min: 0, max: 1,
    description: 'EM stops once the objective (log-likelihood + log-prior per session-document) gains less than this in one iteration',
  },
  priorMean: { kind: 'number', default: 0.5, min: 0, max: 1, description: 'prior mean of every probability; what an unseen (query, document) pair gets' },
  priorStrength: { kind: 'number', default: 2, min: 0, max: 1e9, description: 'pseudo-observations behind the prior (0: maximum likelihood)' },
} as const satisfies OptionSpecs;

export type ClickFitOptions = Partial<ResolvedOptions<typeof CLICK_FIT_OPTIONS>>;
export type ResolvedClickFitOptions = ResolvedOptions<typeof CLICK_FIT_OPTIONS>;

export function resolveClickFitOptions(options: ClickFitOptions = {}, prefix = 'click model.'): ResolvedClickFitOptions {
  return resolveOptions(CLICK_FIT_OPTIONS, { ...options }, prefix);
}

/** How an EM fit went: the objective per session-document after each M-step (index 0: the starting point). */
export interface FitTrace {
  objective: number[];
  iterations: number;
  converged: boolean;
}

/** A table of Beta-smoothed probabilities: accumulate (success weight, trials) per entry, then `estimate`. */
export class SmoothedProbabilities {
  readonly values: Float64Array;
  private readonly successes: Float64Array;
  private readonly trials: Float64Array;

  constructor(
    size: number,
    private readonly prior: { priorMean: number; priorStrength: number },
  ) {
    this.values = new Float64Array(size).fill(prior.priorMean);
    this.successes = new Float64Array(size);
    this.trials = new Float64Array(size);
  }

  get size(): number {
    return this.values.length;
  }

  reset(): void {
    this.successes.fill(0);
    this.trials.fill(0);
  }

  /** One observation of entry i: `success` is 1, 0, or a posterior probability in between. */
  add(i: number, success: number): void {
    this.successes[i] += success;
    this.trials[i] += 1;
  }

  /** Sets every value to its smoothed estimate from what was added since `reset`. */
  estimate(): void {
    const { priorMean, priorStrength } = this.prior;
    for (let i = 0; i < this.values.length; i++) {
      const trials = this.trials[i] + priorStrength;
      this.values[i] = trials > 0 ? (this.successes[i] + priorMean * priorStrength) / trials : priorMean;
    }
  }

  /** The prior's log-density (up to a constant) at the current values, so that MAP-EM's objective is monotone. */
  logPrior(): number {
    const a = this.prior.priorMean * this.prior.priorStrength;
    const b = (1 - this.prior.priorMean) * this.prior.priorStrength;
    let sum = 0;
    for (const v of this.values) sum += (a > 0 ? a * Math.log(v) : 0) + (b > 0 ? b * Math.log(1 - v) : 0);
    return sum;
  }
}
