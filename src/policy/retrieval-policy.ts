/**
 * The retrieval policy: for one request, which strategies to run and at which budgets, learnt from engagement.
 * Each (strategy, budget) on the grid is an arm whose context is query understanding's feature vector (with a
 * bias); the scoring policy (LinUCB, Thompson, ε-greedy…) estimates each arm's coverage, optimistically or by
 * sampling, and `greedyPlan` turns the estimates into a plan under the cost model (cost = candidates drawn).
 * After the user engages, every arm the plan ran learns whether it covered the engaged entity (semi-bandit
 * credit, every grid budget up to the one run). Randomness is seeded by the request, so a decision replays.
 */
import { type QueryContext } from '../query/query-context.js';
import { understandingOf } from '../query/understanding.js';
import type { RetrievalResources } from '../retrieval/resources.js';
import type { UnionCandidate } from '../retrieval/union.js';
import { hashString, mulberry32 } from '../util/random.js';
import { coverageCredit, greedyPlan, type PlanStep } from './plan.js';
import type { Policy } from './policy.js';

export interface RetrievalPolicyOptions {
  /** Budgets a strategy may run at (default 10, 25, 50, 100). */
  grid?: number[];
  /** Coverage one candidate is worth spending (default 0.0005: 100 candidates cost 0.05 coverage). */
  costWeight?: number;
}

export interface RetrievalDecision {
  plan: Map<string, number>;
  steps: PlanStep[];
  /** The context vector every arm was scored with. */
  features: Float64Array;
}

export class RetrievalPolicy {
  readonly grid: number[];
  readonly costWeight: number;

  constructor(
    private readonly resources: RetrievalResources,
    readonly strategies: readonly string[],
    readonly scorer: Policy,
    options: RetrievalPolicyOptions = {},
  ) {
    this.grid = options.grid ?? [10, 25, 50, 100];
    this.costWeight = options.costWeight ?? 0.0005;
  }

  decide(query: QueryContext): RetrievalDecision {
    const features = Float64Array.of(1, ...understandingOf(this.resources).understand(query).features.values);
    const arms = this.strategies.flatMap((strategy) => this.grid.map((budget) => ({ arm: `${strategy}@${budget}`, x: features })));
    const { estimates } = this.scorer.choose(arms, mulberry32(hashString(query.text, query.seed)));
    const planArms = estimates.map((e) => {
      const [strategy, budget] = splitArm(e.arm);
      return { strategy, budget, coverage: e.score, cost: budget };
    });
    const steps = greedyPlan(planArms, { costWeight: this.costWeight });
    return { plan: new Map(steps.map((s) => [s.strategy, s.budget])), steps, features };
  }

  /** Teaches every arm the plan ran whether it covered the engaged entity. */
  learn(decision: RetrievalDecision, candidates: readonly UnionCandidate[], engaged: string): void {
    const found = candidates.find((c) => c.id === engaged);
    const rankOf = (strategy: string) => found?.provenance.find((p) => p.strategy === strategy)?.rank;
    const runs = [...decision.plan].map(([strategy, budget]) => ({ strategy, budget }));
    for (const { strategy, budget, covered } of coverageCredit(runs, rankOf, this.grid)) {
      this.scorer.update(`${strategy}@${budget}`, decision.features, covered ? 1 : 0);
    }
  }
}

function splitArm(arm: string): [string, number] {
  const at = arm.lastIndexOf('@');
  return [arm.slice(0, at), Number(arm.slice(at + 1))];
}
