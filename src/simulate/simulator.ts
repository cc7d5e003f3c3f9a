/**
 * The simulator: replays a query stream through the whole funnel (plan → strategies → union → ranker → the top
 * k shown), simulates the user with a click model on what was shown (the stream's targets are the relevant
 * results), and feeds the clicks back online to the planner and to every learner (memory, profiles, graph,
 * intent, tastes), exactly as the serving loop will. A user plays a clicked target and skips a clicked result
 * that is not one (`afterClick`). A user who engages with nothing may find a target another way and play it
 * (`refind`); the session ties that play to the failed search, so it is feedback for it too.
 * The user's draws for query t depend only on (seed, t) (`userCoins`), so planners replayed on one stream are
 * compared under common random numbers.
 * It reports what each query got:
 *
 * - candidate_recall: share of queries with a target among the candidates (before ranking);
 * - ndcg@k, mrr@k: of the shown list, targets relevant (grade 1);
 * - mean_candidates: candidates the strategies returned (summed over strategies, before deduplication);
 * - mean_strategies: strategies run; ms_per_query: plan + retrieve + rank + learn, wall clock;
 * - mean_reward: the mean realised plan reward, [the user engaged with a candidate] − costWeight · (candidates the
 *   strategies returned), the same for static plans and policies (a policy's outcome reward, which also charges
 *   its latency weight when it has one): the on-policy value that `quiver ope` estimates from other logs;
 * - strategy_use, overall and per label: per strategy, the share of searches it ran on, the candidates it
 *   returned per search, and the share of searches its list held a target on, and alone did (strategy-use.ts);
 * - regret: Σ_t (r*_t − r_t) with r_t = [a target among the candidates] − costWeight · Σ budgets, and r*_t the
 *   same for the cheapest single (strategy, grid budget) that would have covered a target (0 − the smallest
 *   budget's cost when none would): the plan an oracle knowing the targets would have run. Computing r*_t
 *   runs every strategy at the full budget once more per query, before the plan and outside the timing, so the
 *   oracle sees the state the plan ran in (not memory that has just learnt this query's click).
 *
 * Everything random (click draws, exploration, explore's sample) is seeded, so a run replays exactly.
 */
import { createError } from '../errors.js';
import { engagedEntities, type FeedbackEvent } from '../feedback/event.js';
import { ndcgAt, reciprocalRankAt } from '../eval/metrics.js';
import type { StreamEvent } from '../eval/stream.js';
import { realisedCosts } from '../policy/cost-model.js';
import { planReward } from '../policy/plan.js';
import { FULL_BUDGET, type Planner, PolicyPlanner } from '../policy/planners.js';
import type { BudgetMode } from '../policy/candidate-price.js';
import { type CoverageCreditRule, DEFAULT_COST_WEIGHT, DEFAULT_CREDIT, DEFAULT_GRID, type RetrievalDecision, type RetrievalOutcome } from '../policy/retrieval-policy.js';
import { createQueryContext } from '../query/query-context.js';
import type { Ranker } from '../rank/ranker.js';
import { LearningRanker } from '../rank/learning-ranker.js';
import { DEFAULT_UNSHOWN_NEGATIVES, type RankingImpression } from '../rank/lifecycle/ranking-log.js';
import { retrainRanker, type RetrainOptions } from '../rank/lifecycle/retrain.js';
import { retrieveUnion } from '../retrieval/registry.js';
import type { RetrievalResources } from '../retrieval/resources.js';
import type { Strategy } from '../retrieval/strategy.js';
import { hashString, mulberry32 } from '../util/random.js';
import { type StrategyUse, StrategyUseTally } from './strategy-use.js';

export interface SimulatedUser {
  readonly name: string;
  /** 0-based positions clicked, given which shown results are relevant. */
  clicks(relevant: readonly boolean[], random: () => number): number[];
}

export interface Scores {
  queries: number;
  candidate_recall: number;
  [metric: `ndcg@${number}` | `mrr@${number}`]: number;
  mean_candidates: number;
  mean_strategies: number;
  ms_per_query: number;
  mean_reward: number;
  regret: number;
  /** Per strategy: how often it ran, what it returned, how often it found a target and how often only it did. */
  strategy_use: Record<string, StrategyUse>;
}

/** One window of the stream (the queries since the previous point); regret is cumulative. */
export interface CurvePoint {
  t: number;
  candidate_recall: number;
  [metric: `ndcg@${number}`]: number;
  /** Candidates per query in the window: how a learned plan's spending moves as it learns. */
  mean_candidates: number;
  regret: number;
}

export interface SimulationReport extends Scores {
  policy: string;
  kind: 'static' | 'learned';
  /** Cumulative regret after the first half of the stream (sublinear growth: regret < 2 × this). */
  regret_half: number;
  by_label: Record<string, Scores>;
  curve: CurvePoint[];
  /** A learned plan's holdback: the share of its requests served by every strategy at full budget (before it fades). */
  holdback?: number;
  /** The share of a learned plan's requests that were held back (the warm start and the fading included). */
  held_back?: number;
  /**
   * A learned plan's candidate budget, when it has one (in candidates at the end; with `share`, given as that share
   * of the full draw), its mode and the price factor it ended at (RetrievalPolicyOptions.candidateBudget, budgetMode).
   */
  candidate_budget?: { budget: number; share?: number; mode: BudgetMode; price_factor: number };
  /** A learned plan's credit rule, when it is not the default (DEFAULT_CREDIT, 'share'): RetrievalPolicyOptions.credit. */
  credit?: CoverageCreditRule;
  /** The ranker that ranked (its state at the end), and its retrainings when it learns. */
  ranker: string;
  ranker_training?: RankerTraining[];
}

/** One line of the decision log: what off-policy evaluation reads. */
export interface LoggedDecision {
  t: number;
  query: string;
  label: string;
  plan: Record<string, number>;
  propensity: number;
  epsilon: number;
  /** Query features (with the bias) and each strategy's action features, as the policy saw them. */
  features: number[];
  actions: Record<string, number[]>;
  clicked: boolean;
  /** The user found nothing wanted on the page, then found a target another way (see `refind`). */
  refound: boolean;
  covered: boolean;
  /** Per strategy run: whether it returned an entity the user engaged with (semi-bandit feedback). */
  credited: Record<string, boolean>;
  reward: number;
  /** What the runs actually cost (candidates returned + latencyWeight · ms): reward = covered − costWeight · cost. */
  cost: number;
  /** Per strategy run, what it actually cost. */
  costs: Record<string, number>;
}

export const DEFAULT_REFIND = 0.3;
/** How long the simulated user plays a clicked target: a whole song, past every minimum play length. */
export const PLAYED_SECONDS = 180;
export const DEFAULT_RETRAIN_EVERY = 1000;

/** One retraining of a learned ranker during the run: which version it made and whether it was promoted. */
export interface RankerTraining {
  t: number;
  version: number | null;
  promoted: boolean;
  reason: string;
}

export interface SimulationOptions {
  k?: number;
  seed?: number;
  costWeight?: number;
  /**
   * Share of searches that end with no engagement after which the user finds a target another way (a refined
   * query, browsing) and plays it, the play attributed to the failed search by its session (default 0.3). 0 is
   * a user who never does.
   */
  refind?: number;
  /**
   * After a click the user plays a target (a full PLAYED_SECONDS listen) and skips anything else, as a listener
   * who clicked the wrong result does (default true). false: clicks only, the user before session 22 (BENCHMARKS,
   * "A user who plays what they wanted").
   */
  afterClick?: boolean;
  /** With a LearningRanker: retrain it from the impressions logged so far every this many queries (default 1000). */
  retrainEvery?: number;
  retrain?: RetrainOptions;
  /** With a LearningRanker: unshown candidates of the union logged per impression as soft negatives (default 10). */
  unshownNegatives?: number;
  /** Points on the curve (default 50). */
  points?: number;
  /** Compute the oracle regret (default true; costs one more full retrieval per query). */
  regret?: boolean;
  onProgress?: (done: number) => void;
  onDecision?: (entry: LoggedDecision) => void;
  /** Called with each query's nDCG@k as it is scored (t: its place in the stream): paired comparisons need it. */
  onScored?: (t: number, ndcg: number) => void;
}

interface Tally {
  queries: number;
  hits: number;
  ndcg: number;
  mrr: number;
  candidates: number;
  strategies: number;
  ms: number;
  reward: number;
  regret: number;
}

const emptyTally = (): Tally => ({ queries: 0, hits: 0, ndcg: 0, mrr: 0, candidates: 0, strategies: 0, ms: 0, reward: 0, regret: 0 });

export function simulate(
  planner: Planner,
  ranker: Ranker,
  resources: RetrievalResources,
  strategies: ReadonlyMap<string, Strategy>,
  events: readonly StreamEvent[],
  user: SimulatedUser,
  options: SimulationOptions = {},
): SimulationReport {
  const k = options.k ?? 10;
  const seed = options.seed ?? 1;
  const costWeight = options.costWeight ?? DEFAULT_COST_WEIGHT;
  const rank = planner.ranker ?? ranker;
  const refind = options.refind ?? DEFAULT_REFIND;
  const afterClick = options.afterClick ?? true;
  const retrainEvery = options.retrainEvery ?? DEFAULT_RETRAIN_EVERY;
  const impressions: RankingImpression[] = [];
  const trainings: RankerTraining[] = [];
  if (!(refind >= 0 && refind <= 1)) throw createError('SIMULATE_BAD_INPUT', 'refind', `a share in [0, 1], got ${refind}`);
  const negativeRandom = mulberry32(hashString('negatives', seed));
  const unshownNegatives = options.unshownNegatives ?? DEFAULT_UNSHOWN_NEGATIVES;
  const total = emptyTally();
  const byLabel = new Map<string, Tally>();
  const curve: CurvePoint[] = [];
  const every = Math.max(1, Math.floor(events.length / (options.points ?? 50)));
  let window = emptyTally();
  let regretHalf = 0;
  let heldBack = 0;
  const use = new StrategyUseTally();
  warmUp(planner, strategies, events, seed);

  events.forEach((event, t) => {
    const query = createQueryContext(event.query, { context: event.context, seed: seed + t });
    const targets = new Set(event.targets);
    // The oracle sees the state the plan runs in: after this query's clicks, memory would know the target.
    const best = options.regret === false ? undefined : oracleReward(strategies, query, targets, costWeight);
    const started = process.hrtime.bigint();
    const planned = planner.plan(query);
    if (planned.decision?.heldBack) heldBack++;
    const retrieval = retrieveUnion(strategies, planned.plan, query);
    const shown = rank.rank(query, retrieval.candidates, { strategiesRun: planned.plan.keys(), trust: planned.trust }).slice(0, k);
    const engagements = simulatedEngagement(shown.map((r) => r.id), event.targets, user, userCoins(seed, t), refind, afterClick);
    const clicked = engagements.some((e) => e.type === 'click');
    const refound = engagements.some(isRefind);
    const feedback: FeedbackEvent[] = engagements.map((e) => ({
      query: event.query, entityId: e.entityId, type: e.type, time: query.time, user: event.context.user,
      ...(e.position !== undefined && { position: e.position }), ...(e.value !== undefined && { value: e.value }),
    }));
    const outcome = planner.learn(planned, retrieval, feedback);
    const engaged = engagedEntities(feedback);
    for (const e of feedback) resources.learn(e);
    if (rank instanceof LearningRanker) {
      const impression = rank.impression(query, shown, engaged, { count: unshownNegatives, random: negativeRandom });
      if (impression) impressions.push(impression);
      if ((t + 1) % retrainEvery === 0) {
        const report = retrainRanker(rank.registry, impressions, rank.featureSet.names, options.retrain);
        trainings.push({ t: t + 1, version: report.version?.version ?? null, promoted: report.promoted, reason: report.reason });
      }
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;

    const hit = retrieval.candidates.some((c) => targets.has(c.id));
    const reward = planReward(hit, sum(planned.plan.values()), costWeight);
    const qrels = new Map(event.targets.map((id) => [id, 1]));
    const ids = shown.map((r) => r.id);
    const one: Tally = {
      queries: 1,
      hits: hit ? 1 : 0,
      ndcg: ndcgAt(ids, qrels, k),
      mrr: reciprocalRankAt(ids, qrels, k),
      candidates: retrieval.runs.reduce((s, r) => s + r.count, 0),
      strategies: planned.plan.size,
      ms,
      reward: outcome?.reward ?? planReward(retrieval.candidates.some((c) => engaged.has(c.id)), sum(realisedCosts(retrieval.runs).values()), costWeight),
      regret: best === undefined ? 0 : best - reward,
    };
    options.onScored?.(t, one.ndcg);
    add(total, one);
    add(window, one);
    let labelled = byLabel.get(event.label);
    if (!labelled) byLabel.set(event.label, (labelled = emptyTally()));
    add(labelled, one);
    use.add(event.label, retrieval.runs, retrieval.candidates, targets);
    if (t + 1 === Math.floor(events.length / 2)) regretHalf = total.regret;
    if ((t + 1) % every === 0 || t + 1 === events.length) {
      curve.push({
        t: t + 1,
        candidate_recall: window.hits / window.queries,
        [`ndcg@${k}`]: window.ndcg / window.queries,
        mean_candidates: window.candidates / window.queries,
        regret: total.regret,
      });
      window = emptyTally();
    }
    if (planned.decision && options.onDecision) options.onDecision(logEntry(t, event, planned.decision, clicked, refound, outcome));
    options.onProgress?.(t + 1);
  });

  return {
    policy: planner.name,
    kind: planner.kind,
    ...scores(total, k, use.overall()),
    regret_half: regretHalf,
    ...(planner.kind === 'learned' && planner instanceof PolicyPlanner && {
      holdback: planner.policy.holdback,
      held_back: heldBack / Math.max(1, events.length),
      ...(planner.policy.credit !== DEFAULT_CREDIT && { credit: planner.policy.credit }),
      ...(planner.policy.candidateBudget !== undefined && { candidate_budget: { budget: planner.policy.candidateBudget, ...(planner.policy.candidateShare !== undefined && { share: planner.policy.candidateShare }), mode: planner.policy.budgetMode, price_factor: planner.policy.priceFactor } }),
    }),
    ranker: rank.name,
    ...(rank instanceof LearningRanker && { ranker_training: trainings }),
    by_label: Object.fromEntries([...byLabel].sort(([a], [b]) => a.localeCompare(b)).map(([label, tally]) => [label, scores(tally, k, use.label(label))])),
    curve,
  };
}

/**
 * One thing a simulated user did after a search: a click on a shown result (position 1-based), the play or skip
 * that followed it (same position), or a play of a target found another way (no position).
 */
export interface SimulatedEngagement {
  entityId: string;
  type: 'click' | 'play' | 'skip';
  position?: number;
  /** Seconds played, for a play. */
  value?: number;
}

/** Whether an engagement is the play of a target found another way (a refind): the only one with no position. */
export function isRefind(engagement: SimulatedEngagement): boolean {
  return engagement.position === undefined;
}

/**
 * The simulated user's coins for the query at position t of a stream: generators seeded by (seed, t), not one
 * stream shared by the whole run. Every planner replayed on a stream then meets the same user at query t (common
 * random numbers): the same draws position by position and the same refind draw, so two planners' difference on
 * a query is theirs, not the luck of one random stream that drifted apart at the first page they showed differently.
 */
export function userCoins(seed: number, t: number): { clicks: () => number; refind: () => number } {
  return { clicks: mulberry32(hashString(`clicks ${t}`, seed)), refind: mulberry32(hashString(`refind ${t}`, seed)) };
}

/**
 * What a simulated user does with a shown list: clicks drawn by the click model on which results are targets;
 * with `afterClick`, each click followed by a play of a target (PLAYED_SECONDS) or a skip of anything else; then,
 * when nothing wanted was found (no click on a target; no click at all without `afterClick`), with probability
 * `refind` a play of a target found another way (a refined query, browsing), which the session attributes to
 * this search. The offline simulator and the live one (live-simulation.ts) share it.
 */
export function simulatedEngagement(
  shown: readonly string[],
  targets: readonly string[],
  user: SimulatedUser,
  random: { clicks: () => number; refind: () => number },
  refind: number,
  afterClick = true,
): SimulatedEngagement[] {
  const wanted = new Set(targets);
  const clicks: SimulatedEngagement[] = user.clicks(shown.map((id) => wanted.has(id)), random.clicks).map((at) => ({ entityId: shown[at], type: 'click', position: at + 1 }));
  const out = [...clicks];
  if (afterClick) {
    for (const c of clicks) out.push(wanted.has(c.entityId) ? { ...c, type: 'play', value: PLAYED_SECONDS } : { ...c, type: 'skip' });
  }
  const found = afterClick ? clicks.some((c) => wanted.has(c.entityId)) : clicks.length > 0;
  if (!found && refind > 0 && targets.length > 0 && random.refind() < refind) {
    out.push({ entityId: targets[Math.floor(random.refind() * targets.length)], type: 'play' });
  }
  return out;
}

/** Builds every lazily built structure before the clock starts, so ms_per_query is the steady state. */
function warmUp(planner: Planner, strategies: ReadonlyMap<string, Strategy>, events: readonly StreamEvent[], seed: number): void {
  if (events.length === 0) return;
  const query = createQueryContext(events[0].query, { context: events[0].context, seed });
  for (const strategy of strategies.values()) strategy.retrieve(query, 1);
  planner.plan(query);
}

/** The reward of the cheapest single arm covering a target: what a plan could have earned knowing the targets. */
function oracleReward(strategies: ReadonlyMap<string, Strategy>, query: ReturnType<typeof createQueryContext>, targets: ReadonlySet<string>, costWeight: number): number {
  let cheapest = Infinity;
  for (const strategy of strategies.values()) {
    const found = strategy.retrieve(query, FULL_BUDGET).find((c) => targets.has(c.id));
    // The smallest budget of the default grid reaching the target's rank.
    if (found) cheapest = Math.min(cheapest, DEFAULT_GRID.find((b) => b >= found.rank) ?? FULL_BUDGET);
  }
  return cheapest === Infinity ? planReward(false, DEFAULT_GRID[0], costWeight) : planReward(true, cheapest, costWeight);
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function add(into: Tally, one: Tally): void {
  for (const key of Object.keys(one) as Array<keyof Tally>) into[key] += one[key];
}

function scores(t: Tally, k: number, strategyUse: Record<string, StrategyUse>): Scores {
  const n = Math.max(1, t.queries);
  return {
    queries: t.queries,
    candidate_recall: t.hits / n,
    [`ndcg@${k}`]: t.ndcg / n,
    [`mrr@${k}`]: t.mrr / n,
    mean_candidates: t.candidates / n,
    mean_strategies: t.strategies / n,
    ms_per_query: t.ms / n,
    mean_reward: t.reward / n,
    regret: t.regret,
    strategy_use: strategyUse,
  } as Scores;
}

function logEntry(t: number, event: StreamEvent, decision: RetrievalDecision, clicked: boolean, refound: boolean, outcome: RetrievalOutcome | undefined): LoggedDecision {
  return {
    t, query: event.query, label: event.label, plan: Object.fromEntries(decision.plan), propensity: decision.propensity, epsilon: decision.epsilon,
    features: [...decision.features], actions: Object.fromEntries(decision.actions), clicked, refound, covered: outcome?.covered ?? false,
    credited: Object.fromEntries(outcome?.credited ?? []), reward: outcome?.reward ?? 0, cost: outcome?.cost ?? 0, costs: Object.fromEntries(outcome?.costs ?? []),
  };
}
