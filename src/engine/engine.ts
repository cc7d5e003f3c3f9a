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
 * policy, nothing for the ranker. An event that comes after its request closed (a like an hour later) still
 * teaches the single-event learners, within `lateFeedbackMs` of the search and while the request is among the
 * `maxLate` most recently closed; the plan and the ranker's impression were settled at close. Every
 * `retrainEvery` closed requests the ranker is retrained on a worker thread (one training at a time), so
 * searches are never blocked by it. The server and the CLI are thin layers
 * over this class. Catalogue changes apply at once, all or nothing (catalog-changes.ts); EngineStats counts
 * searches, outcomes, feedback and changes for /stats and /metrics (engine-stats.ts).
 *
 * With an event log every state-changing call (a search served, a feedback batch, a catalogue change, a flush)
 * is appended before it takes effect, and takes effect through one method, `apply`, that a replay of the log
 * calls too. Learning reads only what the log holds (served-request.ts), so a replay reaches the live state
 * exactly; `state()`/`restore()` checkpoint it (durable-engine.ts). `searchGrouped` and `feedbackGrouped` (the
 * server's) commit the records of one event-loop turn together (src/store/group-commit.ts).
 */
import { randomUUID } from 'node:crypto';
import { createError } from '../errors.js';
import { FEEDBACK_TYPES, type FeedbackEvent, type FeedbackType } from '../feedback/event.js';
import type { Explanation } from '../index/explain.js';
import type { Entity } from '../catalog/entity.js';
import type { Filter } from '../index/filters.js';
import type { SearchIndex } from '../index/search-index.js';
import { createPlanner, DEFAULT_HOLDBACK_DECAY, DEFAULT_WARM_START, defaultHoldback, type PlannedRetrieval, type Planner, PolicyPlanner } from '../policy/planners.js';
import type { BudgetMode, CandidateBudget } from '../policy/candidate-price.js';
import { type CoverageCreditRule, DEFAULT_CREDIT, type RetrievalOutcome } from '../policy/retrieval-policy.js';
import { createQueryContext, type QueryContext, type RequestContext } from '../query/query-context.js';
import { createFeatureSet } from '../rank/features/quiver-features.js';
import { HeuristicRanker } from '../rank/heuristic-ranker.js';
import { LearningRanker } from '../rank/learning-ranker.js';
import { ModelRegistry } from '../rank/lifecycle/model-registry.js';
import { DEFAULT_UNSHOWN_NEGATIVES, type RankingImpression } from '../rank/lifecycle/ranking-log.js';
import { retrainRankerInWorker, type RetrainOptions, type RetrainReport } from '../rank/lifecycle/retrain.js';
import type { RankedResult, Ranker } from '../rank/ranker.js';
import type { Provenance, UnionCandidate } from '../retrieval/union.js';
import { createStrategies, retrieveUnion, type StrategyRun } from '../retrieval/registry.js';
import { RetrievalResources } from '../retrieval/resources.js';
import { hashString, mulberry32 } from '../util/random.js';
import { MemoryIndex } from '../retrieval/memory-index.js';
import { UserProfiles } from '../retrieval/user-profiles.js';
import { EntityGraph } from '../retrieval/entity-graph.js';
import { understandingOf } from '../query/understanding.js';
import { policyState, restorePolicy } from '../policy/policy-state.js';
import type { AppendOptions, EventLog, StoredRecord } from '../store/event-log.js';
import { GroupCommit } from '../store/group-commit.js';
import { checkEngineState, type ClosedRequest, closedRequest, ENGINE_STATE_FORMAT, ENGINE_STATE_VERSION, type EngineState, restoredPending, savedPending } from './engine-state.js';
import { decodeEntry, decodeImpression, encodeEntry, encodeImpression, type LogEntry, type LoggedEvent, type LoggedRows } from './log-entry.js';
import { type FeatureRow, learningInputs, positionedEvents, rankingImpression, recordQuery, type ServedRequest, servedRequest } from './served-request.js';
import { type CatalogChange, type CatalogChangeResult, changeCatalog, checkEntityRows, type DeleteResult, type UpsertResult } from './catalog-changes.js';
import { explainRetrieval } from './retrieval-explanations.js';
import { EngineStats, type EngineStatsOptions, type StatsQuery, type StatsSnapshot } from './engine-stats.js';

export interface EngineOptions {
  /** The retrieval planner: a learned policy (default thompson) or a static plan name. */
  policy?: string;
  /**
   * Share of a learned policy's requests served by every strategy at full budget (default 0.1 with the lambdamart
   * ranker, 0 with the heuristic): the holdback that lets arms drawing deep learn what they cover, because a
   * learned ranker can lift deep finds (DESIGN, "Holdback").
   */
  holdback?: number;
  /** Requests over which a new policy's holdback fades from 1 (RetrievalPolicyOptions.warmStart; default DEFAULT_WARM_START). */
  warmStart?: number;
  /** Requests after which the holdback fades as √(τ / t) (RetrievalPolicyOptions.holdbackDecay; default DEFAULT_HOLDBACK_DECAY; 0: never). */
  holdbackDecay?: number;
  /** Mean candidates per search the learned plan keeps under, or a share of the full draw ("35%") (RetrievalPolicyOptions.candidateBudget; default none). */
  candidateBudget?: CandidateBudget;
  /** 'ceiling' (default): the plan keeps under the candidate budget; 'target': it spends it (RetrievalPolicyOptions.budgetMode). */
  budgetMode?: BudgetMode;
  /**
   * What a learned policy's arm earns when a request engaged with several results (default 'share', the share of
   * them its list held; 'best': the best-placed one: RetrievalPolicyOptions.credit). A data directory keeps the
   * rule it was made with (a replay learns under the rule in force); one made before the rule was stored has 'best'.
   */
  credit?: CoverageCreditRule;
  /** `lambdamart` (default: the heuristic ranks until a model is promoted) or `heuristic`. */
  ranker?: 'lambdamart' | 'heuristic';
  /** Where model versions live (default: in memory). */
  modelsDirectory?: string;
  /** Retrain the ranker every this many closed requests (default 1000; 0: never). */
  retrainEvery?: number;
  /** How the ranker is retrained (hold-out share, LambdaMART parameters, minimum impressions). */
  retrain?: RetrainOptions;
  /** Unshown candidates of a request's union logged with its first feedback as the ranker's soft negatives (default 10). */
  unshownNegatives?: number;
  /** A request closes this long after it was served (default 10 minutes). */
  feedbackWindowMs?: number;
  /** At most this many requests wait for feedback; the oldest closes first (default 10,000). */
  maxPending?: number;
  /** Feedback this long after its search, its request closed, still teaches memory, profiles, graph and intent (default 24 hours). */
  lateFeedbackMs?: number;
  /** Closed requests remembered for late feedback (query, user, time): the newest this many (default 100,000). */
  maxLate?: number;
  /** The ranker learns from at most this many of the newest impressions (default 100,000: about 0.5 GB). */
  maxImpressions?: number;
  /** Request ids (default random UUIDs); tests pass a counter. */
  requestId?: () => string;
  /** The clock (default Date.now). */
  now?: () => number;
  /** The event log every state-changing call is appended to before it takes effect (default: none). */
  log?: EventLog;
  /** Time buckets and label limit of the statistics (engine-stats.ts). */
  stats?: Partial<EngineStatsOptions>;
  /**
   * Other engines (replicas in other processes) append to the same log: before every call this one applies the
   * records they appended since it last looked, and re-reads the model registry if it changed, so
   * every replica learns from all the traffic in one order, the log's (default false).
   */
  sharedLog?: boolean;
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
  /** The entity's searchable fields, popularity and release date, so a page can show the result without a lookup. */
  fields?: Entity['fields'];
  popularity?: number;
  released?: string;
  provenance: Provenance[];
  /** With `explain`: the ranker's explanation of `score`. */
  explanation?: Explanation;
  /** With `explain`: each strategy's explanation of its score (those that found it, plus lexical and memory). */
  retrievalExplanations?: Record<string, Explanation>;
}

export interface SearchResponse {
  requestId: string;
  query: string;
  results: SearchResult[];
  plan: Record<string, number>;
  /** Milliseconds per stage: plan (understanding included), retrieve, rank, and the total. */
  timings: { plan: number; retrieve: number; rank: number; total: number };
  /** With `explain`: per strategy P(budget = b) over [0, …grid], the plan's probability, its trust in each strategy's order, each run's count. */
  explanation?: { propensity?: number; budgets?: Record<string, Record<string, number>>; trust?: Record<string, number>; runs: StrategyRun[]; ranker: string };
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
  /** Events for request ids this engine does not know (never served, or closed too long ago): accepted, not learnt from. */
  unknownRequests: string[];
  /** Events for requests already closed, within the late window: memory, profiles, graph and intent learnt from them; the plan and the ranker did not. */
  lateRequests: string[];
}

interface Pending {
  record: ServedRequest;
  events: FeedbackEvent[];
  /** Feature rows logged for this request (shown results, then candidates feedback named). */
  rows: Map<string, FeatureRow>;
  /** The query context it was ranked with: only in the live process, where the ranker still holds its rows. */
  live?: QueryContext;
}

const MAX_EVENT_IDS = 1_000_000;
const UNKNOWN_STATS_KEY = { type: 'unknown' };
/** Seeds the draw of a request's soft negatives apart from its other streams. */
const UNSHOWN_SAMPLE_STREAM = 0x5eed;
/** Pages past the one shown whose feature rows a pending request keeps, for candidates found there (refound). */
const REFOUND_PAGES = 1;

interface Applied {
  unknownRequests: string[];
  lateRequests: string[];
  changed?: UpsertResult | DeleteResult;
}
const RESCUE_STRATEGIES = ['lexical', 'fuzzy'];

export class Engine {
  readonly resources: RetrievalResources;
  readonly planner: Planner;
  readonly ranker: Ranker;
  /** Where every state-changing call is logged before it takes effect (absent: nothing is durable). */
  readonly log?: EventLog;
  readonly stats: EngineStats;
  private readonly strategies;
  private readonly pending = new Map<string, Pending>();
  /** Closed requests that late feedback may still name, oldest first. */
  private readonly recentlyClosed = new Map<string, ClosedRequest>();
  private readonly seenEvents = new Set<string>();
  private impressions: RankingImpression[] = [];
  private closed = 0;
  /** The log record being applied (0 without a log): impressions are filed under it. */
  private applying = 0;
  /** Sequence number of the last record applied: a checkpoint's position in the log. */
  private appliedSeq = 0;
  private replaying = false;
  /** With a shared log, appends catch up under the log's lock first. */
  private readonly appendOptions: AppendOptions;
  /** Commits the grouped calls' records together (not with a shared log, whose appends catch up one by one). */
  private readonly group?: GroupCommit;
  private training: Promise<RetrainReport> | undefined;
  private readonly options: Required<Omit<EngineOptions, 'modelsDirectory' | 'retrain' | 'log' | 'stats' | 'sharedLog' | 'candidateBudget' | 'budgetMode'>> & { retrain?: RetrainOptions; sharedLog: boolean; candidateBudget?: CandidateBudget; budgetMode?: BudgetMode };

  constructor(
    readonly index: SearchIndex,
    options: EngineOptions = {},
  ) {
    this.options = {
      policy: options.policy ?? 'thompson', holdback: options.holdback ?? defaultHoldback(options.ranker ?? 'lambdamart'), warmStart: options.warmStart ?? DEFAULT_WARM_START, holdbackDecay: options.holdbackDecay ?? DEFAULT_HOLDBACK_DECAY, credit: options.credit ?? DEFAULT_CREDIT, ranker: options.ranker ?? 'lambdamart', retrainEvery: options.retrainEvery ?? 1000,
      feedbackWindowMs: options.feedbackWindowMs ?? 10 * 60_000, maxPending: options.maxPending ?? 10_000,
      lateFeedbackMs: options.lateFeedbackMs ?? 24 * 3_600_000, maxLate: options.maxLate ?? 100_000, maxImpressions: options.maxImpressions ?? 100_000,
      requestId: options.requestId ?? randomUUID, now: options.now ?? Date.now, retrain: options.retrain, candidateBudget: options.candidateBudget, budgetMode: options.budgetMode,
      unshownNegatives: options.unshownNegatives ?? DEFAULT_UNSHOWN_NEGATIVES, sharedLog: options.sharedLog === true && options.log !== undefined,
    };
    this.log = options.log;
    this.appendOptions = this.options.sharedLog ? { before: () => this.applyOthers() } : {};
    if (this.log && !this.options.sharedLog) this.group = new GroupCommit(this.log);
    this.resources = new RetrievalResources(index);
    this.strategies = createStrategies(this.resources);
    this.planner = createPlanner(this.options.policy, this.resources, this.strategies, {
      holdback: this.options.holdback, warmStart: this.options.warmStart, holdbackDecay: this.options.holdbackDecay, credit: this.options.credit, candidateBudget: this.options.candidateBudget,
      budgetMode: this.options.budgetMode,
    });
    this.stats = new EngineStats([...this.strategies.keys()], this.resources, this.options.now, options.stats);
    this.ranker = this.options.ranker === 'heuristic'
      ? new HeuristicRanker()
      : new LearningRanker(createFeatureSet(this.resources), ModelRegistry.open(options.modelsDirectory));
    // Every learner listens from the first event, so none misses what a replay would give it.
    MemoryIndex.shared(this.resources);
    UserProfiles.shared(this.resources);
    EntityGraph.shared(this.resources);
    understandingOf(this.resources);
  }

  search(request: SearchRequest): SearchResponse {
    const served = this.serveSearch(request);
    this.commit(served.entry, served.query);
    return served.answer(performance.now());
  }

  /**
   * `search`, its record committed with those of the other calls made in this turn of the event loop, in one
   * transaction (group-commit.ts): answered, as `search` is, once the record is committed and applied. Its
   * `timings.total` ends where the append is asked for: the wait for the group's commit is not the search's.
   * Without a log, or with a shared one (each append catches up on the others first), it is `search`.
   */
  async searchGrouped(request: SearchRequest): Promise<SearchResponse> {
    if (!this.group) return this.search(request);
    const served = this.serveSearch(request);
    const ended = performance.now();
    return this.group.append({ eventIds: [], build: () => encodeEntry(served.entry) }, (result) => {
      this.apply(served.entry, result.seq!, served.query);
      return served.answer(ended);
    });
  }

  feedback(inputs: readonly FeedbackInput[]): FeedbackReceipt {
    const call = this.takeFeedback(inputs);
    let seq = 0;
    if (this.log) seq = this.log.append(call.eventIds, call.build, this.appendOptions).seq ?? 0;
    else call.build(this.claimInMemory(call.events));
    return call.receipt(seq);
  }

  /** `feedback`, its record committed with the other calls of this turn (as `searchGrouped`). */
  async feedbackGrouped(inputs: readonly FeedbackInput[]): Promise<FeedbackReceipt> {
    if (!this.group) return this.feedback(inputs);
    const call = this.takeFeedback(inputs);
    return this.group.append({ eventIds: call.eventIds, build: call.build }, (result) => call.receipt(result.seq ?? 0));
  }

  /** Closes every pending request now (the policy and the ranker's log learn from them); logged, so a replay does too. */
  flush(): void {
    this.commit({ kind: 'flush', time: this.options.now() });
  }

  /** Adds or replaces entities, all or nothing: every row is checked (problems named `entities[i].field`) first. */
  upsertEntities(rows: unknown[]): UpsertResult {
    return this.applyCatalogChange({ op: 'upsert', entities: checkEntityRows(rows, (id) => this.index.has(id)) });
  }

  /** Removes an entity; the entities whose relations named it lose that relation (catalog-changes.ts). */
  deleteEntity(id: string): DeleteResult {
    if (!this.index.has(id)) return { deleted: false, unlinked: 0 }; // changes nothing: not logged, not counted
    return this.applyCatalogChange({ op: 'delete', id });
  }

  /** Serving and learning statistics (GET /stats): totals and a series of time buckets. */
  statsSnapshot(query?: StatsQuery): StatsSnapshot {
    this.catchUp();
    const { name, kind } = this.planner;
    const learned = kind === 'learned' && this.planner instanceof PolicyPlanner ? this.planner.policy : undefined;
    const budget = learned?.candidateBudget !== undefined && {
      candidateBudget: learned.candidateBudget, ...(learned.candidateShare !== undefined && { candidateShare: learned.candidateShare }), budgetMode: learned.budgetMode, priceFactor: learned.priceFactor,
    };
    const planner = { name, kind, ...(learned && { rounds: learned.policy.rounds, holdback: learned.holdbackNow(), ...budget }) };
    const sources = { planner, ranker: this.ranker, entities: this.index.size, pendingRequests: this.pending.size, loggedImpressions: this.impressions.length, retraining: this.training !== undefined };
    return this.stats.snapshot(sources, query);
  }

  /**
   * Builds what the funnel builds on first use (the semantic vectors and their ANN graph, fuzzy names, the
   * speller, category postings, feature structures) with one search through every strategy that is neither
   * logged nor learnt from, so the first real request does not wait for them (at 100k entities, seconds). A
   * server calls it before it listens. Returns the milliseconds it took.
   */
  warmUp(): number {
    const started = performance.now();
    const entity = this.index.entities.find((e) => e !== undefined);
    if (!entity) return 0;
    const query = createQueryContext(entity.title, { seed: 1, now: new Date(this.options.now()) });
    const plan = new Map([...this.strategies.keys()].map((name) => [name, 10]));
    const retrieval = retrieveUnion(this.strategies, plan, query);
    this.planner.plan(query);
    this.ranker.rank(query, retrieval.candidates, { strategiesRun: retrieval.runs.map((r) => r.strategy) });
    return performance.now() - started;
  }

  /** The ranker retraining under way, if any (tests and shutdown wait for it). */
  get retraining(): Promise<RetrainReport> | undefined {
    return this.training;
  }

  /**
   * Feature rows (float32, one per candidate, the feature set's width) that pending requests hold for their
   * feedback to log: the page, the next page and the soft negatives of each (boundRows).
   */
  get pendingFeatureRows(): number {
    if (!(this.ranker instanceof LearningRanker)) return 0;
    let rows = 0;
    for (const request of this.pending.values()) if (request.live) rows += this.ranker.heldRows(request.live);
    return rows;
  }

  get pendingRequests(): number {
    return this.pending.size;
  }

  /** Impressions kept for the ranker's next retraining. */
  get loggedImpressions(): number {
    return this.impressions.length;
  }

  /** The log position this engine's state corresponds to (0 before any record). */
  get seq(): number {
    return this.appliedSeq;
  }

  /**
   * Applies log records after this engine's position, as if the calls they record were made again: the state
   * they lead to is the one the engine that wrote them had. Retraining is not repeated (models are on disk), and
   * the statistics do not count them again: /stats is this process's traffic, a restart's replay is not traffic.
   */
  replay(records: Iterable<StoredRecord>): number {
    let n = 0;
    this.replaying = true;
    try {
      for (const record of records) {
        if (record.seq <= this.appliedSeq) continue;
        this.apply(decodeEntry(record), record.seq);
        n++;
      }
    } finally {
      this.replaying = false;
    }
    return n;
  }

  /**
   * With a shared log (`sharedLog`), applies the records other engines appended since this one last looked, and
   * re-reads the model registry if its file changed (another replica retrains). Returns the records applied;
   * without a shared log, 0. Every call does this first; call it to bring an idle replica up to date.
   */
  catchUp(): number {
    if (!this.options.sharedLog) return 0;
    if (this.ranker instanceof LearningRanker) this.ranker.registry.reload(); // a stat of one file when nothing changed
    return this.applyOthers();
  }

  /** The records other engines appended since this one last looked (shared logs only), applied in the log's order. */
  private applyOthers(): number {
    if (!this.options.sharedLog || !this.log) return 0;
    if (this.log.othersWrote?.() === false) return 0; // nobody else wrote: nothing to read
    let n = 0;
    for (const record of this.log.records(this.appliedSeq)) {
      this.apply(decodeEntry(record), record.seq);
      n++;
    }
    return n;
  }

  /** Everything learnt, as of `seq`: what a checkpoint saves (src/engine/checkpoint.ts). */
  state(): EngineState {
    return {
      format: ENGINE_STATE_FORMAT, version: ENGINE_STATE_VERSION, seq: this.appliedSeq, closed: this.closed,
      learners: this.resources.learnerStates(),
      ...(this.planner instanceof PolicyPlanner && { policy: policyState(this.planner.policy) }),
      pending: [...this.pending.values()].map(savedPending),
      recentlyClosed: [...this.recentlyClosed].map(([id, closed]) => ({ requestId: id, ...closed })),
      impressions: this.impressions.length,
    };
  }

  /** Restores a saved state into this fresh engine; impressions come back from the log's impression table. */
  restore(input: unknown): void {
    const state = checkEngineState(input);
    if (state.policy && !(this.planner instanceof PolicyPlanner)) throw createError('CHECKPOINT_INVALID', 'engine state', `it has a learnt policy; this engine plans with ${this.planner.name}`);
    this.resources.restoreLearners(state.learners);
    if (state.policy && this.planner instanceof PolicyPlanner) restorePolicy(this.planner.policy, state.policy);
    this.pending.clear();
    for (const p of state.pending) this.pending.set(p.record.requestId, restoredPending(p));
    this.recentlyClosed.clear();
    for (const { requestId, ...closed } of state.recentlyClosed ?? []) this.recentlyClosed.set(requestId, closed);
    this.closed = state.closed;
    this.appliedSeq = state.seq;
    this.impressions = this.log && state.impressions > 0 ? this.log.impressions(state.seq, state.impressions).map(decodeImpression) : [];
  }

  /**
   * A search up to its log entry: planned, retrieved, ranked and its results built (before the append, so the
   * answer shows the catalogue as searched). `answer(end)` counts it once its entry is applied.
   */
  private serveSearch(request: SearchRequest): { entry: LogEntry & { kind: 'search' }; query: QueryContext; answer: (end: number) => SearchResponse } {
    const started = performance.now();
    const now = this.options.now();
    this.beforeCall(now);
    const k = request.k ?? 10;
    if (!Number.isInteger(k) || k < 1 || k > 1000) throw createError('QUERY_BAD_CONTEXT', 'k', k, 'an integer in [1, 1000]');
    const requestId = this.options.requestId();
    const query = createQueryContext(request.query, {
      context: request.context, types: request.types, filters: request.filters, seed: hashString(requestId, 1), now: new Date(now),
    });
    const planned = this.planner.plan(query);
    const planDone = performance.now();
    const retrieval = this.retrieve(planned.plan, query, k);
    const retrieveDone = performance.now();
    const rankOptions = { strategiesRun: retrieval.runs.map((r) => r.strategy), trust: planned.trust };
    const ranking = this.ranker.rank(query, retrieval.candidates, rankOptions);
    const shown = ranking.slice(0, k);
    const rankDone = performance.now();
    const statsKey = this.stats.keyOf(query, request.label);
    // The statistics count the plan: a rescue (the plan found nothing) is not the policy's choice or draw.
    const planRuns = retrieval.runs.filter((r) => planned.plan.has(r.strategy));
    const counted = planRuns.length < retrieval.runs.length ? 0 : retrieval.candidates.length;
    const stages = { plan: planDone - started, retrieve: retrieveDone - planDone, rank: rankDone - retrieveDone };
    const served = this.options.sharedLog ? { ...stages, total: performance.now() - started, candidates: counted } : undefined;
    const record = { ...servedRequest(requestId, now, query, planned, retrieval, shown.map((r) => r.id)), stats: statsKey, ...(served && { served }) };
    const results = shown.map((r) => {
      const doc = this.index.get(r.id)!;
      return {
        id: r.id, score: r.score, type: doc.type, title: doc.title, fields: doc.fields, popularity: doc.popularity, released: doc.released,
        provenance: r.candidate.provenance,
        ...(request.explain && {
          explanation: this.ranker.explain(query, r.candidate, rankOptions),
          retrievalExplanations: explainRetrieval(this.strategies, query, r.id, r.candidate.provenance),
        }),
      };
    });
    if (this.ranker instanceof LearningRanker) this.boundRows(this.ranker, query, requestId, ranking, k);
    const answer = (end: number): SearchResponse => {
      const timings = { ...stages, total: end - started };
      // With a shared log, the timings logged (to the commit) are counted, so every replica counts the same.
      this.stats.searched(statsKey, { candidates: counted, runs: planRuns, heldBack: planned.decision?.heldBack }, served ?? timings);
      return {
        requestId, query: query.raw, results, plan: Object.fromEntries(planned.plan), timings,
        ...(request.explain && { explanation: this.explainPlan(planned, retrieval.runs) }),
      };
    };
    return { entry: { kind: 'search', time: now, record }, query, answer };
  }

  /**
   * A feedback call up to its append: the events checked and timed, and the record's builder, which keeps the
   * fresh events (and logs the feature rows they need). `receipt(seq)` applies what was built.
   */
  private takeFeedback(inputs: readonly FeedbackInput[]) {
    const checked = inputs.map((input, i) => checkFeedback(input, `feedback[${i}]`));
    const now = this.options.now();
    this.beforeCall(now);
    const events: LoggedEvent[] = checked.map((e) => ({
      requestId: e.requestId, entityId: e.entityId, type: e.type, time: e.ts ? new Date(e.ts).getTime() : now,
      ...(e.value !== undefined && { value: e.value }), ...(e.position !== undefined && { position: e.position }), ...(e.eventId !== undefined && { eventId: e.eventId }),
    }));
    let entry: LogEntry | undefined;
    const build = (fresh: readonly boolean[]) => {
      const kept = events.filter((_, i) => fresh[i]);
      entry = kept.length > 0 ? { kind: 'feedback', time: now, events: kept, rows: this.rowsToLog(kept) } : undefined;
      return entry && encodeEntry(entry);
    };
    const receipt = (seq: number): FeedbackReceipt => {
      const { unknownRequests, lateRequests } = entry ? this.apply(entry, seq) : { unknownRequests: [], lateRequests: [] };
      const accepted = entry?.kind === 'feedback' ? entry.events.length : 0;
      return { accepted, duplicates: events.length - accepted, unknownRequests, lateRequests };
    };
    return { events, eventIds: events.map((e) => e.eventId), build, receipt };
  }

  /**
   * Runs the plan. A plan that finds nothing (an exploring policy may draw one) is rescued by lexical and fuzzy
   * at budget k, so a user never gets an empty page the catalogue could fill; they are logged as runs outside
   * the plan, which the policy still learns missed (and pays their cost).
   */
  private retrieve(plan: ReadonlyMap<string, number>, query: QueryContext, k: number): { candidates: UnionCandidate[]; runs: StrategyRun[] } {
    const planned = retrieveUnion(this.strategies, plan, query);
    if (planned.candidates.length > 0) return planned;
    const rescue = new Map(RESCUE_STRATEGIES.filter((s) => this.strategies.has(s) && !plan.has(s)).map((s) => [s, Math.max(k, 10)]));
    if (rescue.size === 0) return planned;
    const rescued = retrieveUnion(this.strategies, rescue, query);
    return { candidates: rescued.candidates, runs: [...planned.runs, ...rescued.runs] };
  }

  /** A checked catalogue change, logged and applied. */
  private applyCatalogChange<C extends CatalogChange>(change: C): CatalogChangeResult<C> {
    return this.commit({ kind: 'catalog', time: this.options.now(), change }).changed as CatalogChangeResult<C>;
  }

  /** Logs an entry (if there is a log) and applies it. */
  private commit(entry: LogEntry, live?: QueryContext): Applied {
    const seq = this.log ? this.log.append([], () => encodeEntry(entry), this.appendOptions).seq! : 0;
    return this.apply(entry, seq, live);
  }

  /**
   * Before a search or a feedback call: requests past their window close (and are learnt from) first. With a
   * shared log they close in `apply` only, where every replica closes them at the same point of the log; closing
   * them here, on this process's clock, would learn in an order the log does not hold.
   */
  private beforeCall(now: number): void {
    if (this.options.sharedLog) this.catchUp();
    else this.closeExpired(now);
  }

  /** The one place state changes: live calls and replayed records both come through here. */
  private apply(entry: LogEntry, seq: number, live?: QueryContext): Applied {
    this.applying = seq;
    this.closeExpired(entry.time);
    const unknown: string[] = [];
    const late: string[] = [];
    let changed: Applied['changed'];
    switch (entry.kind) {
      case 'search':
        this.pending.set(entry.record.requestId, { record: entry.record, events: [], rows: new Map(), live });
        if (this.options.sharedLog && !live && !this.replaying) this.countServedElsewhere(entry.record);
        while (this.pending.size > this.options.maxPending) this.close(this.pending.keys().next().value!);
        break;
      case 'feedback':
        for (const rows of entry.rows) {
          const request = this.pending.get(rows.requestId);
          const width = rows.ids.length === 0 ? 0 : rows.features.length / rows.ids.length;
          rows.ids.forEach((id, r) => request?.rows.set(id, { row: rows.features.slice(r * width, (r + 1) * width), fallback: rows.fallback[r] }));
        }
        for (const e of entry.events) {
          const request = this.pending.get(e.requestId);
          const closed = request ? undefined : this.closedFor(e.requestId, entry.time);
          if (!this.replaying) this.stats.feedback(e.type, request ? 'pending' : closed ? 'late' : 'unknown');
          const served = request?.record ?? closed;
          if (!served) {
            unknown.push(e.requestId);
            continue;
          }
          const event: FeedbackEvent = {
            query: served.query, entityId: e.entityId, type: e.type, time: new Date(e.time), user: served.context?.user,
            ...(e.value !== undefined && { value: e.value }), ...(e.position !== undefined && { position: e.position }),
          };
          if (request) request.events.push(event);
          else late.push(e.requestId);
          this.resources.learn(event);
        }
        break;
      case 'flush':
        for (const id of [...this.pending.keys()]) this.close(id);
        break;
      case 'catalog':
        changed = changeCatalog(this.resources, entry.change);
        if (!this.replaying) this.stats.catalogChanged(entry.change, changed);
        break;
    }
    if (seq > 0) this.appliedSeq = seq;
    return { unknownRequests: unknown, lateRequests: late, changed };
  }

  /**
   * A closed request late feedback may still teach from: remembered, and the feedback call (the log's time, not
   * the client's) within the late window of the search.
   */
  private closedFor(requestId: string, time: number): ClosedRequest | undefined {
    const closed = this.recentlyClosed.get(requestId);
    return closed && time - closed.servedAt <= this.options.lateFeedbackMs ? closed : undefined;
  }

  /** Another replica's search, counted by this one's statistics as it catches up (so each worker's /stats sees all). */
  private countServedElsewhere(record: ServedRequest): void {
    if (!record.served) return;
    const { candidates, ...timings } = record.served;
    const plan = new Set(record.plan.map(([strategy]) => strategy));
    const runs = record.runs.filter((r) => plan.has(r.strategy));
    this.stats.searched(record.stats ?? UNKNOWN_STATS_KEY, { candidates, runs, heldBack: record.decision?.heldBack }, timings);
  }

  /** Without a log, event ids are remembered here (bounded: the log is what dedupes for good). */
  private claimInMemory(events: readonly LoggedEvent[]): boolean[] {
    return events.map((e) => {
      if (e.eventId === undefined) return true;
      if (this.seenEvents.has(e.eventId)) return false;
      if (this.seenEvents.size >= MAX_EVENT_IDS) this.seenEvents.clear();
      this.seenEvents.add(e.eventId);
      return true;
    });
  }

  /**
   * What a pending request keeps of its ranking's feature rows (float32, width × candidates): the page, the next
   * REFOUND_PAGES pages (where a user may find what the page did not show) and `unshownNegatives` soft negatives
   * drawn now from the whole union (seeded by the request id, excluding the page: the draw the first feedback
   * logs). Bounded by k, not by the union, which a held-back search makes four to five times larger.
   */
  private boundRows(ranker: LearningRanker, query: QueryContext, requestId: string, ranking: readonly RankedResult[], k: number): void {
    const shown = new Set(ranking.slice(0, k).map((r) => r.id));
    const random = mulberry32(hashString(requestId, UNSHOWN_SAMPLE_STREAM));
    const negatives = ranker.unshownSample(query, (id) => shown.has(id), this.options.unshownNegatives, random);
    ranker.retain(query, ranking.slice(0, k * (1 + REFOUND_PAGES)).map((r) => r.id), negatives);
  }

  /**
   * The feature rows a feedback batch needs logged: with a request's first feedback its shown rows and the soft
   * negatives drawn when it was served (boundRows; ranking-log.ts), then any other candidate named whose row
   * was kept (the next pages').
   */
  private rowsToLog(events: readonly LoggedEvent[]): LoggedRows[] {
    if (!(this.ranker instanceof LearningRanker)) return [];
    const wanted = new Map<string, Set<string>>();
    for (const e of events) {
      const request = this.pending.get(e.requestId);
      if (!request?.live) continue;
      let ids = wanted.get(e.requestId);
      if (!ids) {
        wanted.set(e.requestId, (ids = new Set()));
        for (const id of request.record.shown) if (!request.rows.has(id)) ids.add(id);
        if (request.rows.size === 0) for (const id of this.ranker.negativesOf(request.live)) ids.add(id);
      }
      if (!request.rows.has(e.entityId)) ids.add(e.entityId);
    }
    const out: LoggedRows[] = [];
    for (const [requestId, ids] of wanted) {
      if (ids.size === 0) continue;
      const rows = this.ranker.rowsOf(this.pending.get(requestId)!.live!, [...ids]);
      if (rows.ids.length > 0) out.push({ requestId, ...rows });
    }
    return out;
  }

  private closeExpired(now: number): void {
    const cutoff = now - this.options.feedbackWindowMs;
    for (const [id, request] of this.pending) {
      if (request.record.servedAt > cutoff) break; // insertion order is serving order
      this.close(id);
    }
  }

  private close(requestId: string): void {
    const request = this.pending.get(requestId);
    if (!request) return;
    this.pending.delete(requestId);
    this.recentlyClosed.set(requestId, closedRequest(request.record));
    if (this.recentlyClosed.size > this.options.maxLate) this.recentlyClosed.delete(this.recentlyClosed.keys().next().value!);
    const query = recordQuery(request.record);
    let outcome: RetrievalOutcome | undefined;
    if (this.planner instanceof PolicyPlanner) {
      const { planned, retrieval } = learningInputs(request.record, query, this.planner.policy);
      outcome = this.planner.learn(planned, retrieval, positionedEvents(request.events, request.record.shown));
    }
    if (!this.replaying) this.stats.closed(request.record.stats ?? UNKNOWN_STATS_KEY, outcome);
    if (this.ranker instanceof LearningRanker) {
      const impression = rankingImpression(request.record, query.text, request.events, request.rows, this.ranker.featureSet.names.length);
      if (impression) {
        this.impressions.push(impression);
        this.log?.saveImpression({ requestId, seq: this.applying, ...encodeImpression(impression) });
        // Bounded memory: drop the oldest quarter at once rather than one at a time.
        if (this.impressions.length > this.options.maxImpressions) this.impressions.splice(0, Math.ceil(this.options.maxImpressions / 4));
      }
    }
    this.closed++;
    if (!this.replaying && this.options.retrainEvery > 0 && this.closed % this.options.retrainEvery === 0) this.retrain();
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
    const trust = planned.trust && Object.fromEntries(planned.trust);
    return { propensity: decision?.propensity, budgets, ...(trust && { trust }), runs, ranker: this.ranker.name };
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
