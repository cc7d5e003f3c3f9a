/**
 * The retrieval policy: for one request, which strategies to run and how many candidates to draw from each,
 * learnt from engagement (see DESIGN.md, "Learning to retrieve", for the exact reward).
 *
 * Arms are (strategy, budget) pairs on the budget grid. An arm's context x is query understanding's feature
 * vector (with a bias) followed by the strategy's action features (src/policy/action-features.ts); the hybrid
 * model also gets z = the action features, log(budget) and a bias, with coefficients shared by every arm. The
 * policy's model estimates each arm's coverage (P(the entity the user will engage with is among its first
 * `budget` candidates), each engagement discounted by the page position it was shown at: `shownGain`); its
 * exploration turns estimates into scores; `greedyPlan` picks the plan maximising P(covered) − costWeight · cost.
 * Then uniform exploration: each strategy's budget is, with probability ε, replaced by a uniform draw from
 * {0} ∪ grid. Every decision carries the probability of its plan and of each
 * strategy's budget (closed form for deterministic scores, from further seeded draws for Thompson sampling),
 * which is what off-policy evaluation needs. Randomness comes from the request's seed, so a decision replays.
 */
import { createError } from '../errors.js';
import { DEFAULT_ENGAGEMENT, type EngagementWeights, engagedEntities, type FeedbackEvent } from '../feedback/event.js';
import type { QueryContext } from '../query/query-context.js';
import { understandingOf } from '../query/understanding.js';
import type { StrategyRun } from '../retrieval/registry.js';
import type { RetrievalResources } from '../retrieval/resources.js';
import type { Strategy } from '../retrieval/strategy.js';
import type { UnionCandidate } from '../retrieval/union.js';
import { hashString, mulberry32 } from '../util/random.js';
import { ACTION_FEATURE_NAMES, ActionFeatures } from './action-features.js';
import type { ArmEstimate, ArmInput } from './arm-model.js';
import { type BudgetMode, type CandidateBudget, CandidatePrice } from './candidate-price.js';
import { CostModel } from './cost-model.js';
import { type CoverageHit, coverageCredit, GreedyPlanner, planReward, shownGain } from './plan.js';
import type { Policy, ScoredArm } from './policy.js';

/**
 * Coverage one candidate costs: 100 candidates are worth 0.005 of P(covered). Until session 6 it was 0.0002,
 * which kept plans at ~10% of always-all's candidates and just short of its recall; a quarter of it bought
 * 0.6–2.3 points of recall and up to 0.026 nDCG@10 for ~18% more candidates (BENCHMARKS, "The cost weight").
 */
export const DEFAULT_COST_WEIGHT = 0.00005;

/** How an arm is credited when a request engaged with several entities (RetrievalPolicyOptions.credit). */
export const COVERAGE_CREDIT_RULES = ['best', 'share'] as const;
export type CoverageCreditRule = (typeof COVERAGE_CREDIT_RULES)[number];
/**
 * 'share' since session 25: over eleven paired streams it added 0.0026 nDCG@10 on average (nine of eleven up,
 * 0.03–0.04 on topical queries with ten answers) and a little recall, for 3–24% more candidates (BENCHMARKS,
 * "Share credit by default").
 */
export const DEFAULT_CREDIT: CoverageCreditRule = 'share';

/**
 * The least trust a planned strategy gets: a strategy the policy expects to cover nothing still ran (explored,
 * or for its depth), and its finds still rank, behind every trusted strategy's.
 */
export const TRUST_FLOOR = 0.01;

/** Budgets a strategy may run at by default; not running it is budget 0. */
export const DEFAULT_GRID: readonly number[] = [10, 25, 50, 100];

export interface RetrievalPolicyOptions {
  /** Budgets a strategy may run at (default 10, 25, 50, 100); not running it is budget 0. */
  grid?: number[];
  /** Coverage one unit of cost is worth (default DEFAULT_COST_WEIGHT, 0.00005: 100 candidates cost 0.005 coverage). */
  costWeight?: number;
  /** Candidates one millisecond of measured latency costs (default 0: cost is candidates only). */
  latencyWeight?: number;
  engagement?: EngagementWeights;
  /**
   * Arms learn discounted coverage (default true): an engaged entity is worth `shownGain` of the page position
   * it was shown at (1 at the top, 0.29 at 10; 1 when the event has no position), so a plan whose candidates let
   * the ranker put what the user wanted higher is worth more. false: every engaged entity is worth 1.
   */
  positionDiscount?: boolean;
  /**
   * What an arm earns when the user engaged with several entities (default 'share', DEFAULT_CREDIT): the
   * worth-weighted share of the engaged entities the arm's list held ('share': depth pays where a query has many
   * answers, as CISI's ~40 judged documents per query or a topical query's ten songs), or the best-placed one's
   * worth ('best': one answer satisfies the query; the default until session 25). With one engaged entity the
   * two agree.
   */
  credit?: CoverageCreditRule;
  /**
   * Decide and report outcomes but learn nothing (arm model, action-feature counts, cost model, rounds): a fixed
   * policy, e.g. a saved state run on-policy to measure the value off-policy evaluation estimates.
   */
  frozen?: boolean;
  /**
   * Share of requests, in [0, 1), served by every strategy at the grid's largest budget (default 0): a holdback.
   * Those requests give every arm feedback, and a learned ranker can lift a deep find to the page there, which is
   * the only way arms that draw deep learn what they cover (BENCHMARKS, "Two worlds the defaults were not tuned
   * on"). Drawn per request from its own seeded stream; logged propensities include it. It fades past
   * `holdbackDecay` requests, and the warm start raises it while the policy is new (`holdbackNow`).
   */
  holdback?: number;
  /**
   * Requests over which a new policy's holdback is raised (default 0: not raised): the share held back is
   * h + (1 − h) · warmStart / (warmStart + max(rounds learnt, requests decided)), h as faded (`holdbackDecay`),
   * so a policy with no feedback yet runs everything and learns every arm at once, and the extra share fades as it
   * decides and learns (BENCHMARKS, "A warm start").
   */
  warmStart?: number;
  /**
   * Requests after which the holdback fades (default 0: it never does): past τ the share held back is
   * h · √(τ / t), t the larger of the rounds learnt and the requests decided, so what the holdback costs grows as
   * √T instead of T once the arms have learnt from it (BENCHMARKS, "A holdback that fades").
   */
  holdbackDecay?: number;
  /**
   * Mean candidates per request (the strategies' returned counts, summed) the policy keeps under (default none:
   * the cost weight alone prices them). Plans then price a candidate at costWeight · `priceFactor`, the factor
   * rising while requests draw more than the budget and falling back, never below 1 (a ceiling; `budgetMode`),
   * while they draw less: dual ascent on the budget constraint, so the long-run mean, held-back requests
   * included, stays at or under the budget, and the candidates it allows go where the arms expect most coverage
   * (BENCHMARKS, "A candidate budget"). The exchange rate says what a candidate is worth; a budget says how many
   * an operator can afford. A percentage ("35%") is a share of the full draw: what a request running every
   * strategy at the grid's largest budget draws, as the cost model measures it (candidate-price.ts).
   */
  candidateBudget?: CandidateBudget;
  /**
   * What the candidate budget is (default 'ceiling'): 'ceiling' keeps the mean at or under it, the price never
   * below costWeight; 'target' spends it, the factor also falling below 1 (to MIN_PRICE_FACTOR) while requests
   * draw less, so a policy the cost weight keeps cheaper than the budget draws deeper until its mean meets it,
   * the extra candidates going where the arms expect most coverage (candidate-price.ts; BENCHMARKS, "A skip that
   * unlinks, and a budget that is spent").
   */
  budgetMode?: BudgetMode;
}

export interface RetrievalDecision {
  query: QueryContext;
  /** Strategy → budget, strategies with budget 0 left out. */
  plan: Map<string, number>;
  /** The plan before uniform exploration. */
  greedy: Map<string, number>;
  /**
   * Per strategy of the plan, how far the ranker should trust its order for this query: the policy's estimate
   * (the mean, not the exploration score) of the strategy's discounted coverage at the smallest budget on the
   * grid, clipped to [TRUST_FLOOR, 1]. That is the chance its first few candidates hold what the user will
   * engage with, shown high: what the arms learn, read for the top of the list. Rounded to 0.001 (`roundTrust`).
   */
  trust: Map<string, number>;
  /** P(this plan | context) under the policy in its current state (computed on first read). */
  readonly propensity: number;
  /** Per strategy, P(budget = b) for b in [0, ...grid] (computed on first read). */
  readonly marginals: Map<string, number[]>;
  epsilon: number;
  /** Query understanding's features, with a leading bias: the first part of every arm's x. */
  features: Float64Array;
  /** Each strategy's action features: the rest of its arms' x. */
  actions: Map<string, number[]>;
  /** Every arm's context and score. */
  arms: ArmInput[];
  scores: ScoredArm[];
  cost: number;
  /** True when the request was held back: every strategy at the grid's largest budget, whatever the policy chose. */
  heldBack?: boolean;
}

export interface RetrievalOutcome {
  covered: boolean;
  /** planReward(covered, cost): what the request earned. */
  reward: number;
  /** What the runs actually cost (candidates returned + latencyWeight · ms), summed over strategies. */
  cost: number;
  /** Per strategy run, whether it covered a positively engaged entity. */
  credited: Map<string, boolean>;
  /** Per strategy run, what it actually cost. */
  costs: Map<string, number>;
}

export class RetrievalPolicy {
  readonly grid: number[];
  /** Where the grid's smallest budget is: the arm trust is read from. */
  private readonly smallestBudgetAt: number;
  /** The grid's largest budget, what a held-back request runs every strategy at, and its column in a marginals row ([0, …grid]). */
  private readonly largestBudget: number;
  private readonly largestBudgetColumn: number;
  readonly costWeight: number;
  readonly actions: ActionFeatures;
  readonly costs: CostModel;
  readonly frozen: boolean;
  readonly positionDiscount: boolean;
  readonly credit: CoverageCreditRule;
  readonly holdback: number;
  readonly warmStart: number;
  readonly holdbackDecay: number;
  /** The candidate's price over costWeight (RetrievalPolicyOptions.candidateBudget, budgetMode); 1 without a budget. */
  readonly price: CandidatePrice;
  /** Requests this instance has decided (not saved: a reloaded policy's rounds stand for them). */
  private decided = 0;
  private readonly engagement: EngagementWeights;
  private columns?: number[];
  /** The greedy search over this policy's arms (strategies × grid), its strategy names and coverage buffer: built once, reused by every plan. */
  private layout?: { planner: GreedyPlanner; names: string[]; coverage: Float64Array };

  constructor(
    private readonly resources: RetrievalResources,
    readonly strategies: ReadonlyMap<string, Strategy>,
    readonly policy: Policy,
    options: RetrievalPolicyOptions = {},
  ) {
    this.grid = options.grid ?? [...DEFAULT_GRID];
    this.smallestBudgetAt = this.grid.indexOf(Math.min(...this.grid));
    this.largestBudget = Math.max(...this.grid);
    this.largestBudgetColumn = 1 + this.grid.indexOf(this.largestBudget);
    this.costWeight = options.costWeight ?? DEFAULT_COST_WEIGHT;
    this.costs = new CostModel(options.latencyWeight ?? 0);
    this.engagement = options.engagement ?? DEFAULT_ENGAGEMENT;
    this.frozen = options.frozen ?? false;
    this.positionDiscount = options.positionDiscount ?? true;
    this.credit = options.credit ?? DEFAULT_CREDIT;
    if (!COVERAGE_CREDIT_RULES.includes(this.credit)) throw createError('POLICY_BAD_INPUT', 'credit', `"${this.credit}"; expected one of ${COVERAGE_CREDIT_RULES.join(', ')}`);
    this.holdback = options.holdback ?? 0;
    if (!(this.holdback >= 0 && this.holdback < 1)) throw createError('POLICY_BAD_INPUT', 'holdback', `a share in [0, 1), got ${options.holdback}`);
    this.warmStart = options.warmStart ?? 0;
    if (!(this.warmStart >= 0 && Number.isFinite(this.warmStart))) throw createError('POLICY_BAD_INPUT', 'warmStart', `a number of requests ≥ 0, got ${options.warmStart}`);
    this.holdbackDecay = options.holdbackDecay ?? 0;
    if (!(this.holdbackDecay >= 0 && Number.isFinite(this.holdbackDecay))) throw createError('POLICY_BAD_INPUT', 'holdbackDecay', `a number of requests ≥ 0, got ${options.holdbackDecay}`);
    this.price = new CandidatePrice(options.candidateBudget, options.budgetMode, () => this.fullDraw());
    this.actions = new ActionFeatures(resources.index);
  }

  /** Mean candidates per request the policy keeps under or spends now (RetrievalPolicyOptions.candidateBudget); undefined without one. */
  get candidateBudget(): number | undefined {
    return this.price.candidates;
  }

  /** The candidate budget as a share of the full draw, when it was given as one ("35%" → 0.35). */
  get candidateShare(): number | undefined {
    return this.price.share;
  }

  /** What a request running every strategy at the grid's largest budget draws, as measured so far (CostModel.fullDraw). */
  fullDraw(): number {
    return this.costs.fullDraw(this.strategies.keys(), this.largestBudget);
  }

  get budgetMode(): BudgetMode {
    return this.price.mode;
  }

  /** What a candidate's price is over costWeight now: 1 without a candidate budget; with one, learnt (CandidatePrice). */
  get priceFactor(): number {
    return this.price.factor;
  }

  get name(): string {
    return this.policy.name;
  }

  /** The names of an arm's x: the bias, query understanding's features the policy reads, the action features. */
  featureNames(): string[] {
    const names = understandingOf(this.resources).featureNames;
    return ['bias', ...this.contextColumns().map((i) => names[i]), ...ACTION_FEATURE_NAMES];
  }

  /**
   * Which of query understanding's features the policy reads: all but the weekday and time-of-day one-hots,
   * which the hour's sine and cosine and the weekend flag already carry. Every feature costs O(d²) per arm per
   * request, and redundant ones slow learning.
   */
  private contextColumns(): number[] {
    if (!this.columns) {
      const names = understandingOf(this.resources).featureNames;
      this.columns = names.flatMap((name, i) => (/^ctx\.(weekday|time)\./.test(name) ? [] : [i]));
    }
    return this.columns;
  }

  /** The contexts of every arm for this query, and the parts they are made of. */
  contexts(query: QueryContext): Pick<RetrievalDecision, 'features' | 'actions' | 'arms'> {
    const understanding = understandingOf(this.resources).understand(query);
    const columns = this.contextColumns();
    const features = new Float64Array(1 + columns.length);
    features[0] = 1;
    columns.forEach((column, i) => (features[i + 1] = understanding.features.values[column]));
    const actions = new Map<string, number[]>();
    for (const [name, strategy] of this.strategies) actions.set(name, this.actions.features(query, name, strategy, understanding.intent));
    return { features, actions, arms: this.armsOf(features, actions) };
  }

  /** Arms from a query's features and its strategies' action features (also how a logged decision is re-scored). */
  armsOf(features: ArrayLike<number>, actions: ReadonlyMap<string, readonly number[]>): ArmInput[] {
    const arms: ArmInput[] = [];
    for (const name of this.strategies.keys()) {
      const a = actions.get(name);
      if (!a) throw createError('POLICY_BAD_INPUT', `strategy ${name}`, 'no action features');
      const x = armContext(features, a);
      for (const budget of this.grid) {
        arms.push({ arm: armName(name, budget), x, z: Float64Array.of(...a, Math.log(budget) / Math.log(100), 1) });
      }
    }
    return arms;
  }

  decide(query: QueryContext): RetrievalDecision {
    const random = mulberry32(hashString(query.text, query.seed));
    const { features, actions, arms } = this.contexts(query);
    const scores = this.policy.score(arms, random);
    const costs = this.armCosts();
    const greedy = this.planFrom(scores.map((s) => s.score), costs);
    const epsilon = this.policy.epsilon;
    const choices = [0, ...this.grid];
    const plan = new Map<string, number>();
    for (const name of this.strategies.keys()) {
      let budget = greedy.get(name) ?? 0;
      if (epsilon > 0 && random() < epsilon) budget = choices[Math.min(choices.length - 1, Math.floor(random() * choices.length))];
      if (budget > 0) plan.set(name, budget);
    }
    const h = this.holdbackNow();
    this.decided++;
    const heldBack = h > 0 && mulberry32(hashString(query.text, query.seed ^ HOLDBACK_STREAM))() < h;
    if (heldBack) for (const name of this.strategies.keys()) plan.set(name, this.largestBudget);
    let cost = 0;
    for (const [name, budget] of plan) cost += this.costs.cost(name, budget);
    const trust = this.trustOf(plan, scores);
    // Propensities are computed when first read (the log reads them; a plain search need not pay for the
    // draws), from their own seeded stream so the answer does not depend on when they are read.
    let probabilities: { joint: number; marginals: Map<string, number[]> } | undefined;
    const compute = () => {
      probabilities ??= this.withHoldback(h, plan, this.probabilities(plan, this.greedies(greedy, scores, costs, hashString(query.text, query.seed ^ PROPENSITY_STREAM)), epsilon));
      return probabilities;
    };
    return {
      query, plan, greedy, trust, epsilon, features, actions, arms, scores, cost, heldBack,
      get propensity() {
        return compute().joint;
      },
      get marginals() {
        return compute().marginals;
      },
    };
  }

  /**
   * P(plan | a logged context) under this policy in its current state: what off-policy evaluation needs of a
   * target policy. `seed` seeds the draws that estimate it for Thompson sampling. The holdback is a logging
   * device, not part of the policy evaluated: it is left out here and in `planDistribution`.
   */
  probabilityOf(plan: ReadonlyMap<string, number>, features: ArrayLike<number>, actions: ReadonlyMap<string, readonly number[]>, seed: number): number {
    return this.probabilities(plan, this.greediesOf(features, actions, seed), this.policy.epsilon).joint;
  }

  /**
   * The policy's plan distribution in a logged context, as an equal-weight mixture with one component per
   * greedy plan drawn (one for deterministic scores; 1 + propensitySamples seeded draws for Thompson sampling).
   * Within a component each strategy's budget is independent: its greedy budget with probability 1 − ε, plus
   * ε/(G + 1) on each of {0} ∪ grid. So P(plan), and any expectation that factorises over strategies (the
   * reward model's, for DM and DR), follow exactly from it, for the same draws `probabilityOf` makes.
   */
  planDistribution(features: ArrayLike<number>, actions: ReadonlyMap<string, readonly number[]>, seed: number): Array<Map<string, Map<number, number>>> {
    const epsilon = this.policy.epsilon;
    const choices = [0, ...this.grid];
    return this.greediesOf(features, actions, seed).map((greedy) => new Map([...this.strategies.keys()].map((name) => {
      const g = greedy.get(name) ?? 0;
      return [name, new Map(choices.map((b) => [b, budgetProbability(b, g, epsilon, choices.length)]))];
    })));
  }

  private greediesOf(features: ArrayLike<number>, actions: ReadonlyMap<string, readonly number[]>, seed: number): Map<string, number>[] {
    const estimates = this.policy.model.estimate(this.armsOf(features, actions));
    const random = mulberry32(seed);
    const costs = this.armCosts();
    const greedy = this.planFrom(estimates.map((e) => this.policy.exploration.score(e, random)), costs);
    return this.greedies(greedy, estimates, costs, seed ^ PROPENSITY_STREAM);
  }

  /**
   * Learns from what the user did with this request's results. `events` may be empty: the user engaged with
   * nothing, which counts as not covered for every strategy that ran.
   */
  learn(decision: RetrievalDecision, retrieval: { candidates: readonly UnionCandidate[]; runs: readonly StrategyRun[] }, events: readonly FeedbackEvent[]): RetrievalOutcome {
    const engaged = engagedEntities(events, this.engagement);
    // The best (highest) page position each engaged entity was shown at, when the events say.
    const shownAt = new Map<string, number>();
    if (this.positionDiscount) {
      for (const e of events) if (e.position !== undefined && engaged.has(e.entityId)) shownAt.set(e.entityId, Math.min(e.position, shownAt.get(e.entityId) ?? Infinity));
    }
    // Per strategy, the engaged entities it returned (rank and worth), and everything it returned.
    const hits = new Map<string, CoverageHit[]>();
    const returned = new Map<string, string[]>();
    const topScore = new Map<string, number>();
    for (const c of retrieval.candidates) {
      const value = engaged.has(c.id) ? shownGain(shownAt.get(c.id)) : 0;
      for (const p of c.provenance) {
        if (p.rank === 1) topScore.set(p.strategy, p.score);
        let list = returned.get(p.strategy);
        if (!list) returned.set(p.strategy, (list = []));
        list.push(c.id);
        if (value === 0) continue;
        let found = hits.get(p.strategy);
        if (!found) hits.set(p.strategy, (found = []));
        found.push({ rank: p.rank, value });
      }
    }
    const credited = new Map<string, boolean>();
    for (const [strategy, budget] of decision.plan) credited.set(strategy, (hits.get(strategy) ?? []).some((h) => h.rank <= budget));
    const costs = this.costs.spent(retrieval.runs);
    if (!this.frozen) {
      const byArm = new Map(decision.arms.map((a) => [a.arm, a]));
      const runs = [...decision.plan].map(([strategy, budget]) => ({ strategy, budget }));
      for (const { strategy, budget, value } of coverageCredit(runs, (s) => hits.get(s), this.grid, this.credit === 'share' ? engaged.size : undefined)) {
        this.policy.model.update(byArm.get(armName(strategy, budget))!, value);
      }
      this.policy.rounds++;
      for (const [strategy, covered] of credited) this.actions.observe(decision.query, strategy, covered, returned.get(strategy) ?? [], topScore.get(strategy));
      this.costs.observe(retrieval.runs);
      // After the costs: a budget given as a share of the full draw is measured with this request's runs.
      let drawn = 0;
      for (const run of retrieval.runs) drawn += run.count;
      if (decision.heldBack) this.costs.observeFull(drawn);
      this.price.observe(drawn);
    }
    const covered = [...credited.values()].some(Boolean);
    let cost = 0;
    for (const c of costs.values()) cost += c;
    return { covered, reward: planReward(covered, cost, this.costWeight), cost, credited, costs };
  }

  /**
   * The share of requests held back now, with t = max(rounds learnt, requests decided): the holdback h, faded
   * past τ = holdbackDecay to h_t = h · √(τ / t), and raised while the policy is new by the warm start n to
   * h_t + (1 − h_t) · n / (n + t). The first request draws everything, and the extra share halves by round n: an
   * arm that has never run has no estimate a plan could trust, and a request that runs everything teaches every
   * arm at once. Later the arms have learnt what the held-back requests teach, and a constant share would cost h
   * of always-all's candidates for ever (regret linear in T); fading as 1/√t it costs O(√T).
   */
  holdbackNow(): number {
    // A frozen policy learns nothing from what it holds back, so its share stays put. A server learns a request
    // when its feedback window closes, minutes after deciding it, so requests decided count too: the warm start
    // lasts n·ln(T/n) requests either way, not a whole window.
    if (this.frozen) return this.holdback;
    const t = Math.max(this.policy.rounds, this.decided);
    const tau = this.holdbackDecay;
    const h = tau > 0 && t > tau ? this.holdback * Math.sqrt(tau / t) : this.holdback;
    const n = this.warmStart;
    return n > 0 ? h + ((1 - h) * n) / (n + t) : h;
  }

  /**
   * The logging policy's probabilities, holdback mixed in: with probability h every strategy runs at the largest
   * budget, so P(plan) = (1 − h) · P_policy(plan) + h · [plan is that one], and per strategy likewise.
   */
  private withHoldback(h: number, plan: ReadonlyMap<string, number>, p: { joint: number; marginals: Map<string, number[]> }): { joint: number; marginals: Map<string, number[]> } {
    if (h === 0) return p;
    const full = plan.size === this.strategies.size && [...plan.values()].every((b) => b === this.largestBudget);
    const marginals = new Map([...p.marginals].map(([name, row]) => [name, row.map((q, i) => (1 - h) * q + (i === this.largestBudgetColumn ? h : 0))]));
    return { joint: (1 - h) * p.joint + (full ? h : 0), marginals };
  }

  /** Each planned strategy's trust: its smallest-budget arm's mean estimate (arms are strategy-major, grid-minor). */
  private trustOf(plan: ReadonlyMap<string, number>, scores: readonly ArmEstimate[]): Map<string, number> {
    const trust = new Map<string, number>();
    let s = 0;
    for (const name of this.strategies.keys()) {
      if (plan.has(name)) trust.set(name, roundTrust(scores[s * this.grid.length + this.smallestBudgetAt].mean));
      s++;
    }
    return trust;
  }

  /** Every arm's cost, in `arms` order: looked up once per decision, not once per greedy plan drawn. */
  private armCosts(): Float64Array {
    const costs = new Float64Array(this.strategies.size * this.grid.length);
    let at = 0;
    for (const name of this.strategies.keys()) for (const budget of this.grid) costs[at++] = this.costs.cost(name, budget);
    return costs;
  }

  /** The greedy plan for these arm scores (in `arms` order); never empty: at worst the best single arm. */
  private planFrom(scores: readonly number[], costs: Float64Array): Map<string, number> {
    const g = this.grid.length;
    if (!this.layout) {
      const names = [...this.strategies.keys()];
      const planner = new GreedyPlanner(names.flatMap((_, s) => this.grid.map(() => s)), names.flatMap(() => this.grid));
      this.layout = { planner, names, coverage: new Float64Array(names.length * g) };
    }
    const { planner, names, coverage } = this.layout;
    // Coverage cannot fall as the budget grows (a larger budget extends a smaller one), but separately fitted
    // arms can say so; the running maximum over the grid restores the order.
    for (let s = 0; s < names.length; s++) {
      let running = -Infinity;
      for (let b = 0; b < g; b++) coverage[s * g + b] = running = Math.max(running, scores[s * g + b]);
    }
    const w = this.costWeight * this.price.factor;
    const chosen = planner.plan(coverage, costs, { costWeight: w });
    if (chosen.length === 0) {
      let best = 0;
      for (let a = 1; a < coverage.length; a++) if (coverage[a] - w * costs[a] > coverage[best] - w * costs[best]) best = a;
      return new Map([[names[Math.floor(best / g)], this.grid[best % g]]]);
    }
    return new Map(chosen.map((a) => [names[Math.floor(a / g)], this.grid[a % g]]));
  }

  /** The greedy plan drawn, and for stochastic scores `propensitySamples` more from a stream seeded by `seed`. */
  private greedies(greedy: Map<string, number>, scores: readonly ArmEstimate[], costs: Float64Array, seed: number): Map<string, number>[] {
    const out = [greedy];
    if (this.policy.exploration.stochastic) {
      const redraw = mulberry32(seed);
      for (let s = 0; s < this.policy.propensitySamples; s++) out.push(this.planFrom(scores.map((e) => this.policy.exploration.score(e, redraw)), costs));
    }
    return out;
  }

  /** P(plan) and per-strategy P(budget), averaged over the greedy plans the scores could give. */
  private probabilities(plan: ReadonlyMap<string, number>, greedies: ReadonlyArray<ReadonlyMap<string, number>>, epsilon: number) {
    const choices = [0, ...this.grid];
    const marginals = new Map<string, number[]>();
    let joint = 0;
    for (const greedy of greedies) {
      let p = 1;
      for (const name of this.strategies.keys()) {
        const g = greedy.get(name) ?? 0;
        p *= budgetProbability(plan.get(name) ?? 0, g, epsilon, choices.length);
        let row = marginals.get(name);
        if (!row) marginals.set(name, (row = choices.map(() => 0)));
        choices.forEach((b, i) => (row[i] += budgetProbability(b, g, epsilon, choices.length) / greedies.length));
      }
      joint += p / greedies.length;
    }
    return { joint, marginals };
  }
}

const PROPENSITY_STREAM = 0x5bd1e995;
/** Seeds the holdback draw apart from the policy's own randomness, so a holdback never changes what the policy chose. */
const HOLDBACK_STREAM = 0x5eed;

/**
 * A mean estimate as trust: clipped to [TRUST_FLOOR, 1] and rounded to 0.001. The rounding is for replicas: an
 * engine replaying a log keeps its inverses through a different history of updates and reloads, so its
 * estimates differ from the original's in the last bits; rounded, both trust alike and rank to the bit.
 */
export function roundTrust(mean: number): number {
  return Math.round(Math.min(1, Math.max(TRUST_FLOOR, mean)) * 1000) / 1000;
}

export function armName(strategy: string, budget: number): string {
  return `${strategy}@${budget}`;
}

/** An arm's x: the query's features (bias first) followed by the strategy's action features. */
export function armContext(features: ArrayLike<number>, action: readonly number[]): Float64Array {
  const x = new Float64Array(features.length + action.length);
  x.set(features, 0);
  x.set(action, features.length);
  return x;
}

/** P(budget b) for a strategy whose greedy budget is g, under uniform exploration ε over `choices` budgets. */
function budgetProbability(b: number, g: number, epsilon: number, choices: number): number {
  return (b === g ? 1 - epsilon : 0) + epsilon / choices;
}
