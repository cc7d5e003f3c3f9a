/**
 * Exploration: how a policy turns each arm's estimate (mean, variance) into the score it acts on. Kept apart from
 * the model (what is known) and from the random source (passed in, seeded by the request), so one model can be
 * run greedily, optimistically or by posterior sampling, and a logged decision replays from its seed.
 * Uniform exploration on top (ε) is applied where the choice is made: a single arm in `Policy.choose`, a plan's
 * budgets in `RetrievalPolicy.decide`.
 */
import { gaussian } from '../util/random.js';
import type { ArmEstimate } from './arm-model.js';

export interface Exploration {
  readonly name: string;
  /** True when the score draws from the random source; propensities are then estimated by re-drawing. */
  readonly stochastic: boolean;
  score(estimate: ArmEstimate, random: () => number): number;
}

/** The mean: exploit only. */
export const GREEDY: Exploration = { name: 'greedy', stochastic: false, score: (e) => e.mean };

/** Optimism in the face of uncertainty (LinUCB): mean + α·√variance. */
export function upperConfidence(alpha: number): Exploration {
  return { name: `ucb(${alpha})`, stochastic: false, score: (e) => e.mean + alpha * Math.sqrt(Math.max(0, e.variance)) };
}

/**
 * Linear Thompson sampling (Agrawal & Goyal 2013): a draw from N(mean, v²·variance). Each arm is scored at one
 * context, so drawing the scalar xᵀθ̃ is the same as drawing θ̃ ~ N(θ̂, v²A⁻¹) and taking xᵀθ̃ (disjoint arms
 * have independent posteriors), at O(1) instead of a d × d factorisation per arm.
 */
export function posteriorSampling(v: number): Exploration {
  return { name: `thompson(${v})`, stochastic: true, score: (e, random) => e.mean + v * Math.sqrt(Math.max(0, e.variance)) * gaussian(random) };
}
