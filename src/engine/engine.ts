/**
 * The Engine: the whole funnel behind two calls. `search` runs query understanding and the retrieval policy's
 * plan, the planned strategies, their union and the ranker, and answers with a request id, results with
 * provenance and scores, and per-stage timings (`explain` adds the plan's probabilities and each result's
 * ranker explanation). `feedback` takes what the user then did, by request id.
 *
 * Learning is per request. Every event goes at once to the learners that take single events (memory, profiles,
 * graph, intent); the retrieval policy and the ranker's impression log learn from a request's events together,
 * when the request closes: `feedbackWindowMs` after it was served (checked on every call), when the pending set
 * is full (oldest first), or on `flush()`. A request closed without feedback is an abandonment: a miss for the
 * policy, nothing for the ranker. Every `retrainEvery` closed requests the ranker is retrained on a worker
 * thread (one training at a time), so searches are never blocked by it. The server and the CLI are thin layers
 * over this class. Catalogue changes apply at once, all or nothing (catalog-changes.ts); EngineStats counts
 * searches, outcomes, feedback and changes for /stats and /metrics (engine-stats.ts).
 */
import { randomUUID } from 'node:crypto';
import { createError } from '../errors.js';
import { engagedEntities, FEEDBACK_TYPES, type FeedbackEvent, type FeedbackType } from '../feedback/event.js';
import type { Explanation } from '../index/explain.js';
import type { Filter } from '../index/filters.js';
import type { SearchIndex } from '../index/search-index.js';
import { createPlanner, type PlannedRetrieval, type Planner, PolicyPlanner } from '../policy/planners.js';
import { createQueryContext, type QueryContext, type RequestContext } from '../query/query-context.js';
import { createFeatureSet } from '../rank/features/quiver-features.js';
import { HeuristicRanker } from '../rank/heuristic-ranker.js';
import { LearningRanker } from '../rank/learning-ranker.js';
import { ModelRegistry } from '../rank/lifecycle/model-registry.js';
import type { RankingImpression } from '../rank/lifecycle/ranking-log.js';
import { retrainRankerInWorker, type RetrainOptions, type RetrainReport } from '../rank/lifecycle/retrain.js';
import type { RankedResult, Ranker } from '../rank/ranker.js';
import { createStrategies, retrieveUnion, type StrategyRun } from '../retrieval/registry.js';
import { RetrievalResources } from '../retrieval/resources.js';
import type { Provenance, UnionCandidate } from '../retrieval/union.js';
import { hashString } from '../util/random.js';
import { type CatalogChange, type CatalogChangeResult, changeCatalog, checkEntityRows, type DeleteResult, type UpsertResult } from './catalog-changes.js';
import { EngineStats, type EngineStatsOptions, type StatsKey, type StatsQuery, type StatsSnapshot } from './engine-stats.js';

export interface EngineOptions {
  /** The retrieval planner: a learned policy (default thompson) or a static plan name. */
  policy?: string;
  /** `lambdamart` (default: the heuristic ranks until a model is promoted) or `heuristic`. */
  ranker?: 'lambdamart' | 'heuristic';
  /** Where model versions live (default: in memory). */
  modelsDirectory?: string;
  /** Retrain the ranker every this many closed requests (default 1000; 0: never). */
  retrainEvery?: number;
  /** How the ranker is retrained (hold-out share, LambdaMART parameters, minimum impressions). */
  retrain?: RetrainOptions;
  /** A request closes this long after it was served (default 10 minutes). */
  feedbackWindowMs?: number;
  /** At most this many requests wait for feedback; the oldest closes first (default 10,000). */
  maxPending?: number;
  /** The ranker learns from at most this many of the newest impressions (default 100,000: about 0.5 GB). */
  maxImpressions?: number;
  /** Request ids (default random UUIDs); tests pass a counter. */
  requestId?: () => string;
  /** The clock (default Date.now). */
  now?: () => number;
  /** Time buckets and label limit of the statistics (engine-stats.ts). */
  stats?: Partial<EngineStatsOptions>;
}

export interface SearchRequest {
  query: string;
  context?: RequestContext;
  k?: number;
  types?: string[];
  filters?: Filter[];
  explain?: boolean;
  /** The caller's tag for this query (e.g. its style), counted apart by the statistics. */
  label?: string;
}

export interface SearchResult {
  id: string;
  score: number;
  type: string;
  title: string;
  provenance: Provenance[];
  explanation?: Explanation;
}

export interface SearchResponse {
  requestId: string;
  query: string;
  results: SearchResult[];
  plan: Record<string, number>;
  /** Milliseconds per stage: plan (understanding included), retrieve, rank, and the total. */
  timings: { plan: number; retrieve: number; rank: number; total: number };
  /** With `explain`: per strategy P(budget = b) over [0, …grid], the plan's probability, each run's count. */
  explanation?: { propensity?: number; budgets?: Record<string, Record<string, number>>; runs: StrategyRun[]; ranker: string };
}

export interface FeedbackInput {
  requestId: string;
  entityId: string;
  type: FeedbackType;
  value?: number;
  position?: number;
  /** ISO 8601; default now. */
  ts?: string;
  /** Makes the event idempotent: one with a seen id is acknowledged and ignored. */
  eventId?: string;
}

export interface FeedbackReceipt {
  accepted: number;
  duplicates: number;
  /** Events for request ids this engine does not know (expired or never served): accepted, not learnt from. */
  unknownRequests: string[];
}

interface Pending {
  query: QueryContext;
  planned: PlannedRetrieval;
  retrieval: { candidates: UnionCandidate[]; runs: StrategyRun[] };
  shown: RankedResult[];
  events: FeedbackEvent[];
  servedAt: number;
  statsKey: StatsKey;
}

const MAX_EVENT_IDS = 1_000_000;

export class Engine {
  readonly resources: RetrievalResources;
  readonly planner: Planner;
  readonly ranker: Ranker;
  readonly stats: EngineStats;
  private readonly strategies;
  private readonly pending = new Map<string, Pending>();
  private readonly seenEvents = new Set<string>();
  private readonly impressions: RankingImpression[] = [];
  private closed = 0;
  private training: Promise<RetrainReport> | undefined;
  private readonly options: Required<Omit<EngineOptions, 'modelsDirectory' | 'retrain' | 'stats'>> & { retrain?: RetrainOptions };

  constructor(
    readonly index: SearchIndex,
    options: EngineOptions = {},
  ) {
    this.options = {
      policy: options.policy ?? 'thompson', ranker: options.ranker ?? 'lambdamart', retrainEvery: options.retrainEvery ?? 1000,
      feedbackWindowMs: options.feedbackWindowMs ?? 10 * 60_000, maxPending: options.maxPending ?? 10_000, maxImpressions: options.maxImpressions ?? 100_000,
      requestId: options.requestId ?? randomUUID, now: options.now ?? Date.now, retrain: options.retrain,
    };
    this.resources = new RetrievalResources(index);
    this.strategies = createStrategies(this.resources);
    this.planner = createPlanner(this.options.policy, this.resources, this.strategies);
    this.stats = new EngineStats([...this.strategies.keys()], this.resources, this.options.now, options.stats);
    this.ranker = this.options.ranker === 'heuristic'
      ? new HeuristicRanker()
      : new LearningRanker(createFeatureSet(this.resources), ModelRegistry.open(options.modelsDirectory));
  }

  search(request: SearchRequest): SearchResponse {
    const started = performance.now();
    this.closeExpired();
    const k = request.k ?? 10;
    if (!Number.isInteger(k) || k < 1 || k > 1000) throw createError('QUERY_BAD_CONTEXT', 'k', k, 'an integer in [1, 1000]');
    const requestId = this.options.requestId();
    const query = createQueryContext(request.query, {
      context: request.context, types: request.types, filters: request.filters, seed: hashString(requestId, 1), now: new Date(this.options.now()),
    });
    const planned = this.planner.plan(query);
    const planDone = performance.now();
    const retrieval = retrieveUnion(this.strategies, planned.plan, query);
    const retrieveDone = performance.now();
    const shown = this.ranker.rank(query, retrieval.candidates, { strategiesRun: planned.plan.keys() }).slice(0, k);
    const rankDone = performance.now();
    const statsKey = this.stats.keyOf(query, request.label);
    this.pending.set(requestId, { query, planned, retrieval, shown, events: [], servedAt: this.options.now(), statsKey });
    while (this.pending.size > this.options.maxPending) this.close(this.pending.keys().next().value!);
    const results = shown.map((r) => {
      const doc = this.index.get(r.id)!;
      return {
        id: r.id, score: r.score, type: doc.type, title: doc.title, provenance: r.candidate.provenance,
        ...(request.explain && { explanation: this.ranker.explain(query, r.candidate) }),
      };
    });
    const timings = { plan: planDone - started, retrieve: retrieveDone - planDone, rank: rankDone - retrieveDone, total: performance.now() - started };
    this.stats.searched(statsKey, retrieval, timings);
    return {
      requestId, query: query.raw, results, plan: Object.fromEntries(planned.plan), timings,
      ...(request.explain && { explanation: this.explainPlan(planned, retrieval.runs) }),
    };
  }

  feedback(inputs: readonly FeedbackInput[]): FeedbackReceipt {
    const checked = inputs.map((input, i) => checkFeedback(input, `feedback[${i}]`));
    const receipt: FeedbackReceipt = { accepted: 0, duplicates: 0, unknownRequests: [] };
    for (const input of checked) {
      if (input.eventId !== undefined) {
        if (this.seenEvents.has(input.eventId)) {
          receipt.duplicates++;
          continue;
        }
        if (this.seenEvents.size >= MAX_EVENT_IDS) this.seenEvents.clear(); // bounded memory; the store dedupes for good
        this.seenEvents.add(input.eventId);
      }
      receipt.accepted++;
      const request = this.pending.get(input.requestId);
      this.stats.feedback(input.type, request !== undefined);
      if (!request) {
        receipt.unknownRequests.push(input.requestId);
        continue;
      }
      const event: FeedbackEvent = {
        query: request.query.raw, entityId: input.entityId, type: input.type, time: input.ts ? new Date(input.ts) : new Date(this.options.now()),
        user: request.query.context.user, value: input.value, position: input.position,
      };
      request.events.push(event);
      this.resources.learn(event);
    }
    this.closeExpired();
    return receipt;
  }

  /** Closes every pending request now (the policy and the ranker's log learn from them). */
  flush(): void {
    for (const id of [...this.pending.keys()]) this.close(id);
  }

  /** Adds or replaces entities, all or nothing: every row is checked (problems named `entities[i].field`) first. */
  upsertEntities(rows: unknown[]): UpsertResult {
    return this.applyCatalogChange({ op: 'upsert', entities: checkEntityRows(rows, (id) => this.index.has(id)) });
  }

  /** Removes an entity; the entities whose relations named it lose that relation (catalog-changes.ts). */
  deleteEntity(id: string): DeleteResult {
    return this.applyCatalogChange({ op: 'delete', id });
  }

  /** Serving and learning statistics (GET /stats): totals and a series of time buckets. */
  statsSnapshot(query?: StatsQuery): StatsSnapshot {
    const sources = { planner: this.planner, ranker: this.ranker, entities: this.index.size, pendingRequests: this.pending.size, loggedImpressions: this.impressions.length, retraining: this.training !== undefined };
    return this.stats.snapshot(sources, query);
  }

  /** The ranker retraining under way, if any (tests and shutdown wait for it). */
  get retraining(): Promise<RetrainReport> | undefined {
    return this.training;
  }

  get pendingRequests(): number {
    return this.pending.size;
  }

  /** Impressions kept for the ranker's next retraining. */
  get loggedImpressions(): number {
    return this.impressions.length;
  }

  private closeExpired(): void {
    const cutoff = this.options.now() - this.options.feedbackWindowMs;
    for (const [id, request] of this.pending) {
      if (request.servedAt > cutoff) break; // insertion order is serving order
      this.close(id);
    }
  }

  private close(requestId: string): void {
    const request = this.pending.get(requestId);
    if (!request) return;
    this.pending.delete(requestId);
    this.stats.closed(request.statsKey, this.planner.learn(request.planned, request.retrieval, request.events));
    if (this.ranker instanceof LearningRanker) {
      const impression = this.ranker.impression(request.query, request.shown, engagedEntities(request.events));
      if (impression) this.impressions.push(impression);
      // Bounded memory: drop the oldest quarter at once rather than one at a time.
      if (this.impressions.length > this.options.maxImpressions) this.impressions.splice(0, Math.ceil(this.options.maxImpressions / 4));
    }
    this.closed++;
    if (this.options.retrainEvery > 0 && this.closed % this.options.retrainEvery === 0) this.retrain();
  }

  /** Every catalogue change, checked, passes here: the one place it is applied (and can be logged). */
  private applyCatalogChange<C extends CatalogChange>(change: C): CatalogChangeResult<C> {
    const result = changeCatalog(this.resources, change);
    this.stats.catalogChanged(change, result);
    return result;
  }

  private retrain(): void {
    if (this.training || !(this.ranker instanceof LearningRanker)) return;
    const ranker = this.ranker;
    this.training = retrainRankerInWorker(ranker.registry, [...this.impressions], ranker.featureSet.names, this.options.retrain).finally(() => {
      this.training = undefined;
    });
  }

  private explainPlan(planned: PlannedRetrieval, runs: StrategyRun[]): NonNullable<SearchResponse['explanation']> {
    const decision = planned.decision;
    const choices = this.planner instanceof PolicyPlanner ? [0, ...this.planner.policy.grid] : [];
    const budgets = decision && Object.fromEntries([...decision.marginals].map(([name, p]) => [name, Object.fromEntries(p.map((q, i) => [String(choices[i]), q]))]));
    return { propensity: decision?.propensity, budgets, runs, ranker: this.ranker.name };
  }
}

function checkFeedback(input: FeedbackInput, where: string): FeedbackInput {
  const fail = (field: string, detail: string) => createError('FEEDBACK_BAD_EVENT', `${where}.${field}`, detail);
  if (input === null || typeof input !== 'object') throw createError('FEEDBACK_BAD_EVENT', where, 'not an object');
  if (typeof input.requestId !== 'string' || input.requestId === '') throw fail('requestId', 'a non-empty string is required');
  if (typeof input.entityId !== 'string' || input.entityId === '') throw fail('entityId', 'a non-empty string is required');
  if (!FEEDBACK_TYPES.includes(input.type)) throw fail('type', `must be one of ${FEEDBACK_TYPES.join(', ')}, got ${JSON.stringify(input.type)}`);
  if (input.value !== undefined && !(typeof input.value === 'number' && Number.isFinite(input.value) && input.value >= 0)) throw fail('value', 'a finite number ≥ 0');
  if (input.position !== undefined && !(Number.isInteger(input.position) && input.position >= 1)) throw fail('position', 'an integer ≥ 1');
  if (input.ts !== undefined && (typeof input.ts !== 'string' || Number.isNaN(new Date(input.ts).getTime()))) throw fail('ts', 'an ISO 8601 time');
  if (input.eventId !== undefined && (typeof input.eventId !== 'string' || input.eventId === '')) throw fail('eventId', 'a non-empty string');
  return input;
}
