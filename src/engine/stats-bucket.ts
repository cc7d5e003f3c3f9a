/**
 * The counts behind GET /stats for one stretch of time. A SearchSlice counts one group of requests (all, one
 * query type, one caller label): searches, which strategies ran at which budgets, candidates drawn, and, when a
 * request closes, what the retrieval policy earned (covered, reward, cost, which strategies were credited). A
 * StatsBucket holds the slices of one time bucket, feedback by type, catalogue changes and latency histograms per
 * stage and per strategy. Everything is sums held in fixed-size arrays indexed by strategy, so recording a search is
 * a few increments, and buckets add exactly into longer windows and the totals.
 */
import { FEEDBACK_TYPES, type FeedbackType } from '../feedback/event.js';
import type { RetrievalOutcome } from '../policy/retrieval-policy.js';
import type { StrategyRun } from '../retrieval/registry.js';
import { LogHistogram, type Percentiles } from '../util/log-histogram.js';

/** The search's stages, as SearchResponse.timings names them. */
export const STAGES = ['plan', 'retrieve', 'rank', 'total'] as const;
export type Stage = (typeof STAGES)[number];

export class SearchSlice {
  searches = 0;
  /** Union candidates (after dedupe), summed over searches. */
  candidates = 0;
  /** Candidates the strategies returned before the union (the plan's cost in candidates). */
  drawn = 0;
  closed = 0;
  /**
   * Searches the policy's holdback served, counted in everything above too. A held-back plan runs every strategy,
   * so each strategy's count of the policy's own choices is selected − heldBack.
   */
  heldBack = 0;
  /** Closed requests the planner learnt from (a static plan learns nothing and reports no outcome). */
  learned = 0;
  covered = 0;
  reward = 0;
  cost = 0;
  /** Per strategy (engine order): searches that ran it, budget summed, closed runs, credited runs. */
  readonly selected: Float64Array;
  readonly budget: Float64Array;
  readonly ran: Float64Array;
  readonly credited: Float64Array;

  constructor(strategies: number) {
    this.selected = new Float64Array(strategies);
    this.budget = new Float64Array(strategies);
    this.ran = new Float64Array(strategies);
    this.credited = new Float64Array(strategies);
  }

  searched(runs: readonly StrategyRun[], slots: ArrayLike<number>, candidates: number, heldBack: boolean): void {
    this.searches++;
    this.candidates += candidates;
    if (heldBack) this.heldBack++;
    for (let i = 0; i < runs.length; i++) {
      this.selected[slots[i]]++;
      this.budget[slots[i]] += runs[i].budget;
      this.drawn += runs[i].count;
    }
  }

  closedWith(outcome: RetrievalOutcome | undefined, slotOf: (strategy: string) => number): void {
    this.closed++;
    if (!outcome) return;
    this.learned++;
    if (outcome.covered) this.covered++;
    this.reward += outcome.reward;
    this.cost += outcome.cost;
    for (const [strategy, credited] of outcome.credited) {
      const slot = slotOf(strategy);
      if (slot < 0) continue;
      this.ran[slot]++;
      if (credited) this.credited[slot]++;
    }
  }

  add(other: SearchSlice): void {
    this.searches += other.searches;
    this.candidates += other.candidates;
    this.drawn += other.drawn;
    this.closed += other.closed;
    this.heldBack += other.heldBack;
    this.learned += other.learned;
    this.covered += other.covered;
    this.reward += other.reward;
    this.cost += other.cost;
    for (let i = 0; i < this.selected.length; i++) {
      this.selected[i] += other.selected[i];
      this.budget[i] += other.budget[i];
      this.ran[i] += other.ran[i];
      this.credited[i] += other.credited[i];
    }
  }

  toJSON(strategies: readonly string[]): SliceStats {
    const perStrategy = (value: (i: number) => number) => {
      const out: Record<string, number> = {};
      strategies.forEach((name, i) => {
        if (this.selected[i] > 0 || this.ran[i] > 0) out[name] = value(i);
      });
      return out;
    };
    return {
      searches: this.searches,
      selections: perStrategy((i) => this.selected[i]),
      selectionRate: perStrategy((i) => ratio(this.selected[i], this.searches) ?? 0),
      meanBudget: perStrategy((i) => ratio(this.budget[i], this.selected[i]) ?? 0),
      heldBack: this.heldBack,
      policySelectionRate: perStrategy((i) => ratio(this.selected[i] - this.heldBack, this.searches - this.heldBack) ?? 0),
      candidatesPerSearch: ratio(this.candidates, this.searches),
      drawnPerSearch: ratio(this.drawn, this.searches),
      closed: this.closed,
      learned: this.learned,
      covered: this.covered,
      coverage: ratio(this.covered, this.learned),
      meanReward: ratio(this.reward, this.learned),
      meanCost: ratio(this.cost, this.learned),
      credited: perStrategy((i) => this.credited[i]),
      creditRate: perStrategy((i) => ratio(this.credited[i], this.ran[i]) ?? 0),
    };
  }
}

export interface SliceStats {
  searches: number;
  /** Per strategy that ran: searches that ran it, their share of all searches, its mean budget when it ran. */
  selections: Record<string, number>;
  selectionRate: Record<string, number>;
  meanBudget: Record<string, number>;
  /**
   * Searches the holdback served with every strategy at full budget (they count above as what ran), and each
   * strategy's share of the other searches: what the policy itself chose.
   */
  heldBack: number;
  policySelectionRate: Record<string, number>;
  /** Candidates after the union, and drawn from the strategies before it, per search (null: no searches). */
  candidatesPerSearch: number | null;
  drawnPerSearch: number | null;
  /** Requests closed here; `learned` of them with a policy outcome, `covered` of those. */
  closed: number;
  learned: number;
  covered: number;
  /** covered / learned, and the mean reward and cost per learned request (null: none). */
  coverage: number | null;
  meanReward: number | null;
  meanCost: number | null;
  /** Per strategy: closed runs that covered an engaged entity, and their share of its closed runs. */
  credited: Record<string, number>;
  creditRate: Record<string, number>;
}

export type LatencyStats = { [K in keyof Percentiles]: number | null };

export interface BucketStats extends SliceStats {
  /** Start of the bucket (epoch ms) and the seconds it covers (up to now for the current one). */
  start: number;
  seconds: number;
  feedback: Record<FeedbackType, number>;
  /** Feedback events for request ids never served or closed too long ago: counted, not learnt from. */
  unknownRequestFeedback: number;
  /** Feedback events for requests already closed, within the late window: learnt by memory, profiles, graph and intent only. */
  lateRequestFeedback: number;
  catalog: { upserted: number; deleted: number };
  latencyMs: Record<Stage, LatencyStats>;
  strategyLatencyMs: Record<string, LatencyStats>;
  byType: Record<string, SliceStats>;
  byLabel: Record<string, SliceStats>;
}

export class StatsBucket {
  readonly all: SearchSlice;
  readonly byType = new Map<string, SearchSlice>();
  readonly byLabel = new Map<string, SearchSlice>();
  readonly feedback = new Float64Array(FEEDBACK_TYPES.length);
  unknownRequestFeedback = 0;
  lateRequestFeedback = 0;
  upserted = 0;
  deleted = 0;
  readonly stages = STAGES.map(() => new LogHistogram());
  /** Allocated for the strategies that ran in this bucket only. */
  readonly strategyMs: Array<LogHistogram | undefined>;
  /** Anything recorded at all (empty buckets are not kept). */
  touched = false;

  constructor(
    readonly start: number,
    readonly strategies: number,
  ) {
    this.all = new SearchSlice(strategies);
    this.strategyMs = new Array(strategies).fill(undefined);
  }

  slice(group: Map<string, SearchSlice>, key: string): SearchSlice {
    let slice = group.get(key);
    if (!slice) group.set(key, (slice = new SearchSlice(this.strategies)));
    return slice;
  }

  strategyHistogram(slot: number): LogHistogram {
    return (this.strategyMs[slot] ??= new LogHistogram());
  }

  add(other: StatsBucket): this {
    this.touched ||= other.touched;
    this.all.add(other.all);
    for (const [key, slice] of other.byType) this.slice(this.byType, key).add(slice);
    for (const [key, slice] of other.byLabel) this.slice(this.byLabel, key).add(slice);
    for (let i = 0; i < this.feedback.length; i++) this.feedback[i] += other.feedback[i];
    this.unknownRequestFeedback += other.unknownRequestFeedback;
    this.lateRequestFeedback += other.lateRequestFeedback;
    this.upserted += other.upserted;
    this.deleted += other.deleted;
    this.stages.forEach((h, i) => h.add(other.stages[i]));
    other.strategyMs.forEach((h, slot) => h && this.strategyHistogram(slot).add(h));
    return this;
  }

  toJSON(strategies: readonly string[], seconds: number): BucketStats {
    const group = (slices: Map<string, SearchSlice>) => Object.fromEntries([...slices].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, s]) => [k, s.toJSON(strategies)]));
    const strategyLatencyMs: Record<string, LatencyStats> = {};
    this.strategyMs.forEach((h, slot) => {
      if (h) strategyLatencyMs[strategies[slot]] = latency(h);
    });
    return {
      start: this.start, seconds, ...this.all.toJSON(strategies),
      feedback: Object.fromEntries(FEEDBACK_TYPES.map((type, i) => [type, this.feedback[i]])) as Record<FeedbackType, number>,
      unknownRequestFeedback: this.unknownRequestFeedback,
      lateRequestFeedback: this.lateRequestFeedback,
      catalog: { upserted: this.upserted, deleted: this.deleted },
      latencyMs: Object.fromEntries(STAGES.map((stage, i) => [stage, latency(this.stages[i])])) as Record<Stage, LatencyStats>,
      strategyLatencyMs, byType: group(this.byType), byLabel: group(this.byLabel),
    };
  }
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** A histogram's summary with NaN (nothing recorded) as null, which JSON can carry. */
function latency(histogram: LogHistogram): LatencyStats {
  const s = histogram.summary();
  const clean = (x: number) => (Number.isNaN(x) ? null : x);
  return { count: s.count, mean: clean(s.mean), p50: clean(s.p50), p90: clean(s.p90), p99: clean(s.p99), max: histogram.count > 0 ? s.max : null };
}
