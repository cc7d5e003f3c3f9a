/**
 * EngineStats: what GET /stats shows (and GET /metrics exports) of the engine's serving and learning, fed by
 * one-line calls from the Engine: a search served, a request closed, a feedback event, a catalogue change.
 *
 * Memory is bounded whatever the traffic: a ring of fine time buckets (default 10 s × 360, the last hour), a
 * ring of coarse ones (default 1 min × 1440, the last day) and the totals since start, each a StatsBucket of sums
 * (stats-bucket.ts); latencies go into log-spaced histograms, never a growing array. The hot path writes the
 * current fine bucket only (a few increments per search); when that bucket ends it is added into the current
 * coarse bucket and the totals. Buckets with nothing in them are not kept. A request's outcome counts in the
 * bucket in which it closed (feedbackWindowMs after it was served, unless flushed earlier).
 *
 * The query type is the one query understanding already computed for the request (learned policies compute it
 * to decide); a search no one asked it of counts as "unknown", so statistics never add work to a search. A
 * caller's label (e.g. the simulator's query style) splits the counts too; the first `maxLabels` distinct labels
 * are kept apart, later ones count as "other".
 */
import { createError } from '../errors.js';
import { FEEDBACK_TYPES, type FeedbackType } from '../feedback/event.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import type { BudgetMode } from '../policy/candidate-price.js';
import type { RetrievalOutcome } from '../policy/retrieval-policy.js';
import type { QueryContext } from '../query/query-context.js';
import { understandingOf } from '../query/understanding.js';
import { LearningRanker } from '../rank/learning-ranker.js';
import type { RegistryChange } from '../rank/lifecycle/model-registry.js';
import type { Ranker } from '../rank/ranker.js';
import type { StrategyRun } from '../retrieval/registry.js';
import type { RetrievalResources } from '../retrieval/resources.js';
import type { CatalogChange, DeleteResult, UpsertResult } from './catalog-changes.js';
import { type BucketStats, STAGES, type Stage, StatsBucket } from './stats-bucket.js';

export const ENGINE_STATS_OPTIONS = {
  bucketSeconds: { kind: 'number', default: 10, min: 1, max: 3600, integer: true, description: 'width of a fine time bucket, in seconds' },
  buckets: { kind: 'number', default: 360, min: 1, max: 100_000, integer: true, description: 'fine buckets kept (default: the last hour)' },
  coarseBucketSeconds: { kind: 'number', default: 60, min: 1, max: 86_400, integer: true, description: 'width of a coarse time bucket, in seconds (a multiple of bucketSeconds)' },
  coarseBuckets: { kind: 'number', default: 1440, min: 1, max: 100_000, integer: true, description: 'coarse buckets kept (default: the last day)' },
  maxLabels: { kind: 'number', default: 16, min: 0, max: 1000, integer: true, description: 'distinct request labels counted apart; later ones count as "other"' },
} as const;

export type EngineStatsOptions = ResolvedOptions<typeof ENGINE_STATS_OPTIONS>;

export const UNKNOWN_QUERY_TYPE = 'unknown';
export const OTHER_LABEL = 'other';
const MAX_LABEL_LENGTH = 64;

/** Which slices a request counts in; kept with the pending request until it closes. */
export interface StatsKey {
  type: string;
  label?: string;
}

export interface StatsQuery {
  /** `fine` (default) or `coarse` buckets in the series. */
  resolution?: 'fine' | 'coarse';
  /** Only buckets starting at or after this time (epoch ms): a dashboard polls for what changed. */
  since?: number;
}

/**
 * The planner in a snapshot; a learned one also says the rounds it has learnt and the share of requests it holds
 * back now (its holdback, raised by the warm start and faded: RetrievalPolicy.holdbackNow), and with a candidate
 * budget, the budget (in candidates now, and as a share of the full draw when it was given as one), whether it is a
 * ceiling or a target, and the price factor that keeps it (RetrievalPolicy.priceFactor).
 */
export interface PlannerSummary {
  name: string;
  kind: string;
  rounds?: number;
  holdback?: number;
  candidateBudget?: number;
  candidateShare?: number;
  budgetMode?: BudgetMode;
  priceFactor?: number;
}

/** What the engine knows that the statistics read at snapshot time. */
export interface StatsSources {
  planner: PlannerSummary;
  ranker: Ranker;
  entities: number;
  pendingRequests: number;
  loggedImpressions: number;
  retraining: boolean;
}

export interface ModelSummary {
  version: number;
  createdAt: string;
  trees: number;
  trainedOn: { impressions: number; rows: number };
  /** Held-out NDCG@k of this model and of what was current when it was judged (null: nothing to compare). */
  k: number;
  ndcg: number;
  currentNdcg: number | null;
  promoted: boolean;
}

export interface StatsSnapshot {
  /** Epoch ms of this snapshot and of the statistics' start. */
  at: number;
  startedAt: number;
  planner: PlannerSummary;
  ranker: string;
  strategies: string[];
  entities: number;
  pendingRequests: number;
  loggedImpressions: number;
  retraining: boolean;
  totals: BucketStats;
  series: { resolution: 'fine' | 'coarse'; bucketSeconds: number; buckets: BucketStats[] };
  /** The ranker's model versions and promotions (null: a ranker without a registry). */
  models: { current: number | null; versions: ModelSummary[]; history: RegistryChange[] } | null;
}

export class EngineStats {
  readonly options: EngineStatsOptions;
  readonly startedAt: number;
  private readonly slots: Map<string, number>;
  private readonly fineMs: number;
  private readonly coarseMs: number;
  private fine: StatsBucket;
  private coarse: StatsBucket;
  private readonly fineRing: StatsBucket[] = [];
  private readonly coarseRing: StatsBucket[] = [];
  /** Every fine bucket that has ended, summed. */
  private readonly ended: StatsBucket;
  private readonly labels = new Set<string>();
  private readonly scratch: Int32Array;

  constructor(
    readonly strategies: readonly string[],
    private readonly resources: RetrievalResources,
    private readonly now: () => number = Date.now,
    options: Partial<EngineStatsOptions> = {},
  ) {
    this.options = resolveOptions(ENGINE_STATS_OPTIONS, options, 'stats.');
    const { bucketSeconds, coarseBucketSeconds } = this.options;
    if (coarseBucketSeconds % bucketSeconds !== 0) {
      throw createError('OPTION_OUT_OF_RANGE', 'stats.coarseBucketSeconds', coarseBucketSeconds, `a multiple of stats.bucketSeconds (${bucketSeconds})`);
    }
    this.slots = new Map(strategies.map((name, i) => [name, i]));
    this.scratch = new Int32Array(strategies.length);
    this.fineMs = bucketSeconds * 1000;
    this.coarseMs = coarseBucketSeconds * 1000;
    this.startedAt = now();
    this.ended = new StatsBucket(this.startedAt, strategies.length);
    this.fine = new StatsBucket(floorTo(this.startedAt, this.fineMs), strategies.length);
    this.coarse = new StatsBucket(floorTo(this.startedAt, this.coarseMs), strategies.length);
  }

  /** The slices a request counts in: its query type if already understood, and its label. */
  keyOf(query: QueryContext, label?: string): StatsKey {
    const understood = this.resources.built('understanding') ? understandingOf(this.resources).cached(query) : undefined;
    const key: StatsKey = { type: understood?.queryType ?? UNKNOWN_QUERY_TYPE };
    if (label === undefined) return key;
    if (typeof label !== 'string' || label === '' || label.length > MAX_LABEL_LENGTH) {
      throw createError('QUERY_BAD_CONTEXT', 'label', label, `a non-empty string of at most ${MAX_LABEL_LENGTH} characters`);
    }
    if (!this.labels.has(label) && this.labels.size < this.options.maxLabels) this.labels.add(label);
    key.label = this.labels.has(label) ? label : OTHER_LABEL;
    return key;
  }

  searched(key: StatsKey, retrieval: { candidates: number; runs: readonly StrategyRun[]; heldBack?: boolean }, timings: Readonly<Record<Stage, number>>): void {
    const bucket = this.recording();
    const runs = retrieval.runs;
    const slots = this.scratch; // reused: no allocation per search
    for (let i = 0; i < runs.length; i++) slots[i] = this.slots.get(runs[i].strategy) ?? -1;
    const candidates = retrieval.candidates;
    const heldBack = retrieval.heldBack === true;
    bucket.all.searched(runs, slots, candidates, heldBack);
    bucket.slice(bucket.byType, key.type).searched(runs, slots, candidates, heldBack);
    if (key.label !== undefined) bucket.slice(bucket.byLabel, key.label).searched(runs, slots, candidates, heldBack);
    for (let i = 0; i < STAGES.length; i++) bucket.stages[i].record(timings[STAGES[i]]);
    for (let i = 0; i < runs.length; i++) if (slots[i] >= 0) bucket.strategyHistogram(slots[i]).record(runs[i].ms);
  }

  /** A request closed; `outcome` is what the planner learnt from it (undefined for a static plan). */
  closed(key: StatsKey, outcome: RetrievalOutcome | undefined): void {
    const bucket = this.recording();
    const slotOf = (strategy: string) => this.slots.get(strategy) ?? -1;
    bucket.all.closedWith(outcome, slotOf);
    bucket.slice(bucket.byType, key.type).closedWith(outcome, slotOf);
    if (key.label !== undefined) bucket.slice(bucket.byLabel, key.label).closedWith(outcome, slotOf);
  }

  /** An accepted feedback event, by its request: still pending (learnt by all), closed within the late window (by the single-event learners), or unknown (by none). */
  feedback(type: FeedbackType, request: 'pending' | 'late' | 'unknown'): void {
    const bucket = this.recording();
    bucket.feedback[FEEDBACK_TYPES.indexOf(type)]++;
    if (request === 'unknown') bucket.unknownRequestFeedback++;
    if (request === 'late') bucket.lateRequestFeedback++;
  }

  /** A catalogue change applied; a delete of an id that was not there changes nothing and is not counted. */
  catalogChanged(change: CatalogChange, result: UpsertResult | DeleteResult): void {
    if (change.op === 'delete' && !(result as DeleteResult).deleted) return;
    const bucket = this.recording();
    if (change.op === 'upsert') bucket.upserted += change.entities.length;
    else bucket.deleted++;
  }

  /** Everything since start, summed (a new bucket: the caller may keep it). */
  totals(): StatsBucket {
    this.current();
    return new StatsBucket(this.startedAt, this.strategies.length).add(this.ended).add(this.fine);
  }

  snapshot(sources: StatsSources, query: StatsQuery = {}): StatsSnapshot {
    const now = this.now();
    this.current();
    const coarse = query.resolution === 'coarse';
    const [ring, width, keep] = coarse
      ? [[...this.coarseRing, ...this.coarseNow()], this.coarseMs, this.options.coarseBuckets]
      : [[...this.fineRing, this.fine], this.fineMs, this.options.buckets];
    const oldest = Math.max(floorTo(now, width) - (keep - 1) * width, query.since ?? -Infinity);
    const buckets = ring.filter((b) => b.touched && b.start >= oldest).map((b) => b.toJSON(this.strategies, Math.min(width, now - b.start) / 1000));
    const registry = sources.ranker instanceof LearningRanker ? sources.ranker.registry : undefined;
    return {
      at: now, startedAt: this.startedAt, planner: { ...sources.planner }, ranker: sources.ranker.name,
      strategies: [...this.strategies], entities: sources.entities, pendingRequests: sources.pendingRequests,
      loggedImpressions: sources.loggedImpressions, retraining: sources.retraining,
      totals: this.totals().toJSON(this.strategies, (now - this.startedAt) / 1000),
      series: { resolution: coarse ? 'coarse' : 'fine', bucketSeconds: width / 1000, buckets },
      models: registry ? {
        current: registry.current,
        versions: registry.versions().map((v) => ({
          version: v.version, createdAt: v.createdAt, trees: v.trees, trainedOn: { ...v.trainedOn },
          k: v.holdout.k, ndcg: v.holdout.ndcg, currentNdcg: v.holdout.currentNdcg, promoted: v.promoted,
        })),
        history: registry.history().map((h) => ({ ...h })),
      } : null,
    };
  }

  /** The coarse buckets not in the ring yet: the current one with the current fine bucket added (copies). */
  private coarseNow(): StatsBucket[] {
    const fineIn = floorTo(this.fine.start, this.coarseMs);
    const copy = (start: number) => new StatsBucket(start, this.strategies.length);
    if (fineIn === this.coarse.start) return [copy(this.coarse.start).add(this.coarse).add(this.fine)];
    return [this.coarse, copy(fineIn).add(this.fine)];
  }

  private recording(): StatsBucket {
    const bucket = this.current();
    bucket.touched = true;
    return bucket;
  }

  /** The fine bucket for now; an ended one goes into the rings, the coarse bucket and the totals first. */
  private current(): StatsBucket {
    const now = this.now();
    if (now < this.fine.start + this.fineMs) return this.fine; // a clock that steps back keeps the current bucket
    const ended = this.fine;
    if (ended.touched) {
      push(this.fineRing, ended, this.options.buckets, this.fineMs);
      this.ended.add(ended);
      const coarseStart = floorTo(ended.start, this.coarseMs);
      if (coarseStart !== this.coarse.start) {
        if (this.coarse.touched) push(this.coarseRing, this.coarse, this.options.coarseBuckets, this.coarseMs);
        this.coarse = new StatsBucket(coarseStart, this.strategies.length);
      }
      this.coarse.add(ended);
    }
    this.fine = new StatsBucket(floorTo(now, this.fineMs), this.strategies.length);
    return this.fine;
  }
}

/** Appends a bucket to a ring, dropping those that are `keep` widths older than it. */
function push(ring: StatsBucket[], bucket: StatsBucket, keep: number, width: number): void {
  ring.push(bucket);
  while (ring[0].start <= bucket.start - keep * width) ring.shift();
}

function floorTo(time: number, width: number): number {
  return Math.floor(time / width) * width;
}
