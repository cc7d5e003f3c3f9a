/**
 * Confidence intervals for off-policy estimates by the seeded percentile bootstrap (Efron 1979): resample the
 * log with replacement, re-estimate, and take the empirical quantiles. It needs no variance formula, so one
 * routine serves every estimator (SNIPS and DR have none simple). The reward model inside DM/DR samples is held
 * fixed across resamples, so their intervals leave out the model's own fitting noise.
 */
import { percentile } from '../eval/latency.js';
import { resolveOptions } from '../options.js';
import { mulberry32 } from '../util/random.js';
import { type OpeEstimator, type OpeSample } from './estimators.js';

export const BOOTSTRAP_OPTIONS = {
  resamples: { kind: 'number', default: 1000, min: 10, max: 1_000_000, integer: true, description: 'bootstrap resamples of the log' },
  level: { kind: 'number', default: 0.95, min: 0.5, max: 0.999, description: 'two-sided confidence level of the interval' },
  seed: { kind: 'number', default: 1, min: 0, max: 2 ** 32 - 1, integer: true, description: 'seed of the resampling' },
} as const;

export interface BootstrapOptions {
  resamples?: number;
  level?: number;
  seed?: number;
}

export interface OpeInterval {
  /** The estimator on the whole log (not the bootstrap mean). */
  estimate: number;
  lower: number;
  upper: number;
  level: number;
}

export function bootstrapInterval(samples: readonly OpeSample[], estimator: OpeEstimator, options: BootstrapOptions = {}): OpeInterval {
  return bootstrapIntervals(samples, [estimator], options)[0];
}

/**
 * Intervals for several estimators from the same resamples (common random numbers: their differences are not
 * blurred by independent resampling noise, and the log is drawn once instead of once per estimator).
 */
export function bootstrapIntervals(samples: readonly OpeSample[], estimators: readonly OpeEstimator[], options: BootstrapOptions = {}): OpeInterval[] {
  const o = resolveOptions(BOOTSTRAP_OPTIONS, { ...options }, 'bootstrap.');
  const estimates = estimators.map((estimator) => estimator.estimate(samples)); // checks the samples
  const columns = estimators.flatMap((estimator) => estimator.statistics.map((statistic) => Float64Array.from(samples, statistic)));
  const random = mulberry32(o.seed);
  const n = samples.length;
  const sums = new Float64Array(columns.length);
  const resampled = estimators.map(() => new Float64Array(o.resamples));
  for (let b = 0; b < o.resamples; b++) {
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const drawn = Math.floor(random() * n);
      for (let c = 0; c < columns.length; c++) sums[c] += columns[c][drawn];
    }
    let c = 0;
    estimators.forEach((estimator, e) => {
      const means = estimator.statistics.map(() => sums[c++] / n);
      resampled[e][b] = estimator.combine(means);
    });
  }
  const tail = (1 - o.level) / 2;
  return resampled.map((values, e) => {
    values.sort();
    // Nearest-rank quantiles, the definition the latency summaries use.
    return { estimate: estimates[e], lower: percentile(values, tail), upper: percentile(values, 1 - tail), level: o.level };
  });
}
