/**
 * Retrieval policies: given a context vector per arm (a strategy, or a strategy at a budget), score the arms and
 * choose, logging the choice's probability (propensity) for off-policy evaluation. Scoring (each arm's linear
 * estimate and its uncertainty), exploration (ε, UCB bonus, posterior sampling) and randomness (a seeded
 * uniform source passed in) are kept apart, so a logged decision replays exactly from its seed.
 */
import { fillStandardNormal } from '../util/random.js';
import { dotProduct, LinearStats } from './linear-stats.js';

export interface ArmInput {
  arm: string;
  x: Float64Array;
}

export interface ArmEstimate {
  arm: string;
  /** The model's expected reward. */
  mean: number;
  /** What exploration adds (UCB bonus, sample − mean); 0 for greedy scores. */
  bonus: number;
  score: number;
}

export interface Decision {
  arm: string;
  /** Probability that this policy, in this state, chooses this arm for this context. */
  propensity: number;
  estimates: ArmEstimate[];
}

export interface Policy {
  readonly name: string;
  choose(arms: readonly ArmInput[], random: () => number): Decision;
  update(arm: string, x: Float64Array, reward: number): void;
}

/** Index of the best score; ties to the first arm, so choices are deterministic. */
export function argmax(estimates: readonly ArmEstimate[]): number {
  let best = 0;
  for (let i = 1; i < estimates.length; i++) if (estimates[i].score > estimates[best].score) best = i;
  return best;
}

/** Shared by the linear policies: one ridge regression per arm, created when the arm is first seen. */
abstract class LinearArms implements Policy {
  abstract readonly name: string;
  readonly arms = new Map<string, LinearStats>();

  constructor(readonly lambda = 1) {}

  protected stats(arm: string, d: number): LinearStats {
    let stats = this.arms.get(arm);
    if (!stats) {
      stats = new LinearStats(d, this.lambda);
      this.arms.set(arm, stats);
    }
    return stats;
  }

  protected mean(input: ArmInput): number {
    return dotProduct(this.stats(input.arm, input.x.length).theta(), input.x);
  }

  update(arm: string, x: Float64Array, reward: number): void {
    this.stats(arm, x.length).add(x, reward);
  }

  abstract choose(arms: readonly ArmInput[], random: () => number): Decision;
}

export class UniformPolicy implements Policy {
  readonly name = 'uniform';

  choose(arms: readonly ArmInput[], random: () => number): Decision {
    const estimates = arms.map(({ arm }) => ({ arm, mean: 0, bonus: 0, score: 0 }));
    const at = Math.min(arms.length - 1, Math.floor(random() * arms.length));
    return { arm: arms[at].arm, propensity: 1 / arms.length, estimates };
  }

  update(): void {}
}

/** ε-greedy with ε_t = ε₀ / (1 + decay · t), t the number of updates so far. */
export class EpsilonGreedyPolicy extends LinearArms {
  readonly name = 'epsilon-greedy';
  private updates = 0;

  constructor(
    readonly epsilon0 = 0.1,
    readonly decay = 0,
    lambda = 1,
  ) {
    super(lambda);
  }

  get epsilon(): number {
    return this.epsilon0 / (1 + this.decay * this.updates);
  }

  choose(arms: readonly ArmInput[], random: () => number): Decision {
    const estimates = arms.map((input) => {
      const mean = this.mean(input);
      return { arm: input.arm, mean, bonus: 0, score: mean };
    });
    const greedy = argmax(estimates);
    const explore = random() < this.epsilon;
    const at = explore ? Math.min(arms.length - 1, Math.floor(random() * arms.length)) : greedy;
    const propensity = (at === greedy ? 1 - this.epsilon : 0) + this.epsilon / arms.length;
    return { arm: arms[at].arm, propensity, estimates };
  }

  override update(arm: string, x: Float64Array, reward: number): void {
    super.update(arm, x, reward);
    this.updates++;
  }
}

/** Disjoint LinUCB (Li et al. 2010): mean + α·√(xᵀA⁻¹x), deterministic. */
export class LinUcbPolicy extends LinearArms {
  readonly name = 'linucb';

  constructor(
    readonly alpha = 1,
    lambda = 1,
  ) {
    super(lambda);
  }

  choose(arms: readonly ArmInput[]): Decision {
    const estimates = arms.map((input) => {
      const mean = this.mean(input);
      const bonus = this.alpha * Math.sqrt(this.stats(input.arm, input.x.length).uncertainty(input.x));
      return { arm: input.arm, mean, bonus, score: mean + bonus };
    });
    return { arm: arms[argmax(estimates)].arm, propensity: 1, estimates };
  }
}

/**
 * Linear Thompson sampling (Agrawal & Goyal 2013): each arm's θ drawn from N(θ̂, v²A⁻¹), the best draw wins.
 * Its propensity has no closed form; it is estimated from `propensitySamples` further seeded draws.
 */
export class LinearThompsonPolicy extends LinearArms {
  readonly name = 'thompson';

  constructor(
    readonly v = 0.5,
    readonly propensitySamples = 100,
    lambda = 1,
  ) {
    super(lambda);
  }

  private draw(arms: readonly ArmInput[], random: () => number): ArmEstimate[] {
    return arms.map((input) => {
      const stats = this.stats(input.arm, input.x.length);
      const z = fillStandardNormal(new Float64Array(input.x.length), random);
      const mean = this.mean(input);
      const score = dotProduct(stats.sample(this.v, z), input.x);
      return { arm: input.arm, mean, bonus: score - mean, score };
    });
  }

  choose(arms: readonly ArmInput[], random: () => number): Decision {
    const estimates = this.draw(arms, random);
    const chosen = argmax(estimates);
    let wins = 1;
    for (let s = 0; s < this.propensitySamples; s++) if (argmax(this.draw(arms, random)) === chosen) wins++;
    return { arm: arms[chosen].arm, propensity: wins / (this.propensitySamples + 1), estimates };
  }
}
