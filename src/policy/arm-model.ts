/**
 * Arm models: the scoring half of a policy. Given each arm's context, a model returns its expected reward and
 * the variance of that estimate; exploration (src/policy/exploration.ts) turns the two into a score. Models hold
 * only sufficient statistics that add up, so replicas merge and a saved state reloads exactly.
 *
 * - `DisjointLinearModel`: one ridge regression per arm over the arm's own context x (LinUCB's disjoint model,
 *   Li et al. 2010).
 * - `HybridLinearModel` (src/policy/hybrid-model.ts): the same plus coefficients shared by every arm over the
 *   arm's action features z, so what one arm learns (a strategy with no work to do covers nothing) helps the rest.
 */
import { createError } from '../errors.js';
import { dotProduct, LinearStats, type LinearStatsState, multiply } from './linear-stats.js';

export interface ArmInput {
  arm: string;
  /** The arm's own context: query understanding's features and the strategy's action features. */
  x: Float64Array;
  /** Features whose coefficients every arm shares (hybrid model only). */
  z?: Float64Array;
}

export interface ArmEstimate {
  mean: number;
  /** Variance of the mean under the ridge posterior (up to the noise scale): xᵀA⁻¹x for the disjoint model. */
  variance: number;
}

export type ModelState =
  | { kind: 'disjoint'; lambda: number; arms: Record<string, LinearStatsState> }
  | { kind: 'hybrid'; lambda: number; shared: LinearStatsState; arms: Record<string, { x: LinearStatsState; xz: number[] }> };

export interface ArmModel {
  readonly kind: ModelState['kind'];
  /** Every arm's estimate, in input order. Arms not seen before start from the prior. */
  estimate(inputs: readonly ArmInput[]): ArmEstimate[];
  update(input: ArmInput, reward: number, weight?: number): void;
  /** Adds another replica's statistics (same kind, λ and dimensions). */
  merge(other: ArmModel): void;
  toJSON(): ModelState;
  /** Observations so far, summed over arms. */
  readonly observations: number;
}

/** Refuses a context or reward that is not finite: one NaN would poison an arm's statistics for good. */
export function checkObservation(input: ArmInput, reward: number): void {
  if (!Number.isFinite(reward)) throw createError('POLICY_BAD_INPUT', `arm ${input.arm}`, `reward ${reward} is not a finite number`);
  for (const [name, v] of [['x', input.x], ['z', input.z]] as const) {
    const at = v ? v.findIndex((value) => !Number.isFinite(value)) : -1;
    if (at >= 0) throw createError('POLICY_BAD_INPUT', `arm ${input.arm}`, `${name}[${at}] is ${v![at]}, not a finite number`);
  }
}

/**
 * A prior at each arm's base rate for some strategies' arms, for contexts far from their data. There a per-arm
 * linear fit extrapolates, even below 0 (memory's coverage read −0.7 for head words it had answered before:
 * BENCHMARKS, "Why the plan leaves memory out"), and no Thompson draw lifts it back. So the fitted mean m, of
 * variance σ²·xᵀA⁻¹x, is blended with the arm's base rate μ = Σr / n under a prior of spread τ:
 *
 *   mean = w·m + (1 − w)·μ,   w = (1/σ²xᵀA⁻¹x) / (1/σ²xᵀA⁻¹x + 1/τ²)
 *
 * Near the arm's data w → 1 and the fit stands. μ reads the bias's sum, so x's first entry must be 1 (the
 * retrieval policy's contexts start with the bias). Only for arms named here: memory's are nearly free (it
 * returns a handful), so trying it where unsure costs nothing; for every arm, the plans ran a strategy more per
 * search and buried personalised's finds on one world.
 */
export interface BaseRatePrior {
  /** Strategies whose arms (`strategy@budget`) get the prior. */
  strategies: readonly string[];
  /** Spread of the prior around the base rate. */
  tau: number;
  /** Noise of one reward (0/1 coverage: about 0.4), turning xᵀA⁻¹x into the fitted mean's variance. */
  sigma: number;
}

export class DisjointLinearModel implements ArmModel {
  readonly kind = 'disjoint';
  readonly arms = new Map<string, LinearStats>();
  private readonly priorFor: (arm: string) => boolean;

  constructor(
    readonly lambda = 1,
    readonly baseRate?: BaseRatePrior,
  ) {
    const prefixes = (baseRate?.strategies ?? []).map((s) => `${s}@`);
    this.priorFor = (arm) => prefixes.some((p) => arm.startsWith(p));
    if (baseRate && !(baseRate.tau > 0 && baseRate.sigma > 0)) throw createError('POLICY_BAD_INPUT', 'baseRate', `tau and sigma must be > 0, got ${baseRate.tau} and ${baseRate.sigma}`);
  }

  get observations(): number {
    let n = 0;
    for (const stats of this.arms.values()) n += stats.n;
    return n;
  }

  stats(arm: string, d: number): LinearStats {
    let stats = this.arms.get(arm);
    if (!stats) {
      stats = new LinearStats(d, this.lambda);
      this.arms.set(arm, stats);
    } else if (stats.d !== d) throw createError('POLICY_BAD_INPUT', `arm ${arm}`, `context has ${d} features, the arm was learnt with ${stats.d}`);
    return stats;
  }

  estimate(inputs: readonly ArmInput[]): ArmEstimate[] {
    return inputs.map(({ arm, x }) => {
      const stats = this.stats(arm, x.length);
      const u = multiply(stats.inverse(), stats.d, x);
      const mean = dotProduct(u, stats.xr);
      const variance = dotProduct(u, x);
      if (!this.baseRate || stats.n <= 0 || !this.priorFor(arm)) return { mean, variance };
      const fitted = 1 / (this.baseRate.sigma ** 2 * variance);
      const w = fitted / (fitted + 1 / this.baseRate.tau ** 2);
      return { mean: w * mean + (1 - w) * (stats.xr[0] / stats.n), variance };
    });
  }

  update(input: ArmInput, reward: number, weight = 1): void {
    checkObservation(input, reward);
    this.stats(input.arm, input.x.length).add(input.x, reward, weight);
  }

  merge(other: ArmModel): void {
    if (!(other instanceof DisjointLinearModel) || other.lambda !== this.lambda) throw createError('POLICY_MERGE', 'models differ in kind or ridge λ');
    for (const [arm, stats] of other.arms) this.stats(arm, stats.d).merge(stats);
  }

  toJSON(): ModelState {
    // Canonical: arms by name, and only those that learnt something (one only scored holds the prior), so equal
    // learning saves equal bytes whatever was scored in between.
    const learnt = [...this.arms].filter(([, stats]) => stats.n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { kind: 'disjoint', lambda: this.lambda, arms: Object.fromEntries(learnt.map(([arm, stats]) => [arm, stats.toJSON()])) };
  }

  static fromJSON(state: Extract<ModelState, { kind: 'disjoint' }>): DisjointLinearModel {
    const model = new DisjointLinearModel(state.lambda);
    for (const [arm, stats] of Object.entries(state.arms)) model.arms.set(arm, LinearStats.fromJSON(stats));
    return model;
  }
}

/** Uniform random has no model: every arm scores 0 with no uncertainty. */
export class NoModel implements ArmModel {
  readonly kind = 'disjoint';
  readonly observations = 0;
  estimate(inputs: readonly ArmInput[]): ArmEstimate[] {
    return inputs.map(() => ({ mean: 0, variance: 0 }));
  }
  update(): void {}
  merge(): void {}
  toJSON(): ModelState {
    return { kind: 'disjoint', lambda: 1, arms: {} };
  }
}
