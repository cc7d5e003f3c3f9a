/**
 * A policy = an arm model (what is known: src/policy/arm-model.ts) + an exploration rule (how estimates become
 * scores: src/policy/exploration.ts) + a uniform-exploration rate ε_t = ε₀ / (1 + decay·t), t the rounds learnt.
 * Randomness is a seeded uniform source passed in, never drawn from a global, so a logged decision replays.
 *
 * `choose` picks one arm (the classic contextual bandit, which the shared test suite runs); the retrieval policy
 * (src/policy/retrieval-policy.ts) uses the same scores to choose a whole plan. Every choice carries its
 * propensity, the probability this policy in this state makes it for this context: closed form for deterministic
 * scores ((1 − ε)·[greedy] + ε/K), estimated from further seeded draws for Thompson sampling.
 *
 * The named policies: uniform, epsilon-greedy, linucb (disjoint), hybrid-linucb (Li et al. 2010) and thompson
 * (Agrawal & Goyal 2013).
 */
import { createError } from '../errors.js';
import { type ArmEstimate, type ArmInput, type ArmModel, type BaseRatePrior, DisjointLinearModel, NoModel } from './arm-model.js';
import { type Exploration, GREEDY, posteriorSampling, upperConfidence } from './exploration.js';
import { HybridLinearModel } from './hybrid-model.js';

export type { ArmInput } from './arm-model.js';

export interface ScoredArm extends ArmEstimate {
  arm: string;
  score: number;
}

export interface Decision {
  arm: string;
  propensity: number;
  estimates: ScoredArm[];
}

export interface PolicyOptions {
  /** Uniform exploration rate at the start (ε₀). */
  epsilon?: number;
  /** ε_t = ε₀ / (1 + decay·t). */
  decay?: number;
  /** LinUCB's α. */
  alpha?: number;
  /** Thompson sampling's posterior scale v. */
  v?: number;
  /** Ridge prior λ. */
  lambda?: number;
  /** Further draws used to estimate a Thompson decision's propensity. */
  propensitySamples?: number;
  /** The disjoint model's prior at the base rate for some strategies' arms (arm-model.ts, BaseRatePrior). */
  baseRate?: BaseRatePrior;
}

export class Policy {
  /** Rounds learnt so far (the t of ε_t). */
  rounds = 0;

  constructor(
    readonly name: string,
    readonly model: ArmModel,
    readonly exploration: Exploration,
    readonly epsilon0 = 0,
    readonly decay = 0,
    readonly propensitySamples = 64,
  ) {}

  get epsilon(): number {
    return this.epsilon0 / (1 + this.decay * this.rounds);
  }

  /** Each arm's estimate and score (one draw from `random` per arm when exploration is stochastic). */
  score(arms: readonly ArmInput[], random: () => number): ScoredArm[] {
    return this.model.estimate(arms).map((e, i) => ({ arm: arms[i].arm, ...e, score: this.exploration.score(e, random) }));
  }

  choose(arms: readonly ArmInput[], random: () => number): Decision {
    if (arms.length === 0) throw createError('POLICY_BAD_INPUT', 'choose', 'no arms to choose from');
    const estimates = this.score(arms, random);
    const k = arms.length;
    const epsilon = this.epsilon;
    const greedy = argmax(estimates);
    const at = epsilon > 0 && random() < epsilon ? Math.min(k - 1, Math.floor(random() * k)) : greedy;
    let pGreedy = at === greedy ? 1 : 0;
    if (this.exploration.stochastic) {
      // P(this arm wins a draw), counting the draw made, so it is never 0 for the arm chosen.
      let wins = pGreedy;
      for (let s = 0; s < this.propensitySamples; s++) {
        if (argmax(estimates.map((e) => ({ score: this.exploration.score(e, random) }))) === at) wins++;
      }
      pGreedy = wins / (this.propensitySamples + 1);
    }
    return { arm: arms[at].arm, propensity: (1 - epsilon) * pGreedy + epsilon / k, estimates };
  }

  update(input: ArmInput, reward: number, weight = 1): void {
    this.model.update(input, reward, weight);
    this.rounds++;
  }
}

/** Index of the best score; ties to the first arm, so choices are deterministic. */
export function argmax(scores: ReadonlyArray<{ score: number }>): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i].score > scores[best].score) best = i;
  return best;
}

const FACTORIES: Record<string, (o: PolicyOptions) => Policy> = {
  uniform: () => new Policy('uniform', new NoModel(), GREEDY, 1),
  'epsilon-greedy': (o) => new Policy('epsilon-greedy', new DisjointLinearModel(o.lambda, o.baseRate), GREEDY, o.epsilon ?? 0.1, o.decay ?? 0.001),
  linucb: (o) => new Policy('linucb', new DisjointLinearModel(o.lambda, o.baseRate), upperConfidence(o.alpha ?? 0.1), o.epsilon ?? 0, o.decay ?? 0),
  'hybrid-linucb': (o) => new Policy('hybrid-linucb', new HybridLinearModel(o.lambda), upperConfidence(o.alpha ?? 0.1), o.epsilon ?? 0, o.decay ?? 0),
  thompson: (o) => new Policy('thompson', new DisjointLinearModel(o.lambda, o.baseRate), posteriorSampling(o.v ?? 0.1), o.epsilon ?? 0, o.decay ?? 0, o.propensitySamples),
};

export const POLICY_NAMES = Object.keys(FACTORIES);

export function createPolicy(name: string, options: PolicyOptions = {}): Policy {
  const factory = FACTORIES[name];
  if (!factory) throw createError('POLICY_UNKNOWN', name, POLICY_NAMES.join(', '));
  return factory(options);
}
