/**
 * Confidence intervals for off-policy estimates by the seeded percentile bootstrap (Efron 1979): resample the
 * log with replacement, re-estimate, and take the empirical quantiles. It needs no variance formula, so one
 * routine serves every estimator (SNIPS and DR have none simple). The reward model inside DM/DR samples is held
 * fixed across resamples, so their intervals leave out the model's own fitting noise.
 */
import { percentile } from '../eval/latency.js';
import { resolveOptions } from '../options.js';
import { mulberry32 } from '../util/random.js';
import { checkSamples, type OpeEstimator, type OpeSample } from './estimators.js';

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
  const o = resolveOptions(BOOTSTRAP_OPTIONS, { ...options }, 'bootstrap.');
  checkSamples(samples, estimator.needsModel, estimator.name);
  const estimate = estimator.estimate(samples);
  const random = mulberry32(o.seed);
  const n = samples.length;
  const resample: OpeSample[] = new Array<OpeSample>(n);
  const estimates = new Float64Array(o.resamples);
  for (let b = 0; b < o.resamples; b++) {
    for (let i = 0; i < n; i++) resample[i] = samples[Math.floor(random() * n)];
    estimates[b] = estimator.estimate(resample);
  }
  estimates.sort();
  const tail = (1 - o.level) / 2;
  // Nearest-rank quantiles, the definition the latency summaries use.
  return { estimate, lower: percentile(estimates, tail), upper: percentile(estimates, 1 - tail), level: o.level };
}
