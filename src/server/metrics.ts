/**
 * GET /metrics: the Prometheus text exposition (format 0.0.4) through prom-client, on a registry of its own, never
 * the global one, so two servers in one process (or the application embedding Quiver) keep their metrics apart.
 *
 * Two sources. HTTP facts are observed as they happen: requests by method, route and status, their duration,
 * and each search's stage latencies (from the response's timings). Engine facts are read at scrape time from
 * the engine's statistics totals and state, so they are counted once, in one place, whoever calls the engine:
 * searches, strategy selections, candidates drawn, closed and covered requests, feedback by type, catalogue
 * changes; gauges for pending requests (and the feature rows they hold), entities, the current model version
 * and its held-out NDCG. Node's process metrics (CPU, memory, event-loop lag, GC) come with prom-client's default
 * collectors.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine, SearchResponse } from '../engine/engine.js';
import { STAGES, type StatsBucket } from '../engine/stats-bucket.js';
import { FEEDBACK_TYPES } from '../feedback/event.js';
import { LearningRanker } from '../rank/learning-ranker.js';

/** Seconds, from 100 µs (a cached lexical plan) to 10 s. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly durations: Histogram<'method' | 'route'>;
  private readonly stages: Histogram<'stage'>;
  /** The engine's totals, read once per scrape for every metric that needs them. */
  private totals?: StatsBucket;
  /**
   * Label children looked up once: prom-client hashes a label object on every labelled call, a cost paid on
   * every request otherwise. Keyed by method, route and status; the routes are patterns, so the set is small.
   */
  private readonly requestChildren = new Map<string, { requests: Counter.Internal; durations: Histogram.Internal<'method' | 'route'> }>();
  private readonly stageChildren: Array<Histogram.Internal<'stage'>>;

  constructor(private readonly engine: Engine) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'quiver_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers });
    this.durations = new Histogram({ name: 'quiver_http_request_duration_seconds', help: 'HTTP request duration, by method and route', labelNames: ['method', 'route'], buckets: LATENCY_BUCKETS, registers });
    this.stages = new Histogram({ name: 'quiver_search_stage_duration_seconds', help: 'search latency per stage (plan, retrieve, rank, total)', labelNames: ['stage'], buckets: LATENCY_BUCKETS, registers });
    this.stageChildren = STAGES.map((stage) => this.stages.labels({ stage }));

    const totals = () => this.totals ?? engine.stats.totals();
    const strategies = engine.stats.strategies;
    const counter = (name: string, help: string, read: (t: StatsBucket) => number) =>
      new Counter({ name, help, registers, collect() { this.reset(); this.inc(read(totals())); } });
    counter('quiver_searches_total', 'searches served', (t) => t.all.searches);
    counter('quiver_held_back_searches_total', "searches the policy's holdback served with every strategy at full budget", (t) => t.all.heldBack);
    counter('quiver_candidates_drawn_total', 'candidates the strategies returned, before the union', (t) => t.all.drawn);
    counter('quiver_requests_closed_total', 'requests closed (their feedback window over, or flushed)', (t) => t.all.closed);
    counter('quiver_requests_covered_total', 'closed requests in which a strategy that ran found what the user engaged with', (t) => t.all.covered);
    new Counter({
      name: 'quiver_strategy_selections_total', help: 'searches that ran each strategy', labelNames: ['strategy'], registers,
      collect() {
        this.reset();
        const t = totals();
        strategies.forEach((strategy, i) => this.inc({ strategy }, t.all.selected[i]));
      },
    });
    new Counter({
      name: 'quiver_feedback_events_total', help: 'feedback events accepted, by type', labelNames: ['type'], registers,
      collect() {
        this.reset();
        const t = totals();
        FEEDBACK_TYPES.forEach((type, i) => this.inc({ type }, t.feedback[i]));
      },
    });
    new Counter({
      name: 'quiver_catalog_changes_total', help: 'entities upserted and deleted through the engine', labelNames: ['op'], registers,
      collect() {
        this.reset();
        const t = totals();
        this.inc({ op: 'upsert' }, t.upserted);
        this.inc({ op: 'delete' }, t.deleted);
      },
    });
    const gauge = (name: string, help: string, read: () => number) => new Gauge({ name, help, registers, collect() { this.set(read()); } });
    gauge('quiver_pending_requests', 'requests waiting for feedback', () => engine.pendingRequests);
    gauge('quiver_pending_feature_rows', 'feature rows pending requests hold for their feedback to log (page, next page, soft negatives)', () => engine.pendingFeatureRows);
    gauge('quiver_entities', 'entities in the catalogue', () => engine.index.size);
    gauge('quiver_ranker_model_version', 'the current ranker model version (0: the fallback ranks)', () => this.currentModel()?.version ?? 0);
    gauge('quiver_ranker_model_ndcg', 'held-out NDCG@k of the current ranker model (0: none)', () => this.currentModel()?.holdout.ndcg ?? 0);
    gauge('quiver_ranker_retraining', '1 while the ranker is being retrained', () => (engine.retraining ? 1 : 0));
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** One HTTP request answered; `route` is the route's pattern (`/entities/:id`), not the URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let children = this.requestChildren.get(key);
    if (!children) {
      children = { requests: this.requests.labels({ method, route, status: String(status) }), durations: this.durations.labels({ method, route }) };
      this.requestChildren.set(key, children);
    }
    children.requests.inc();
    children.durations.observe(seconds);
  }

  observeSearch(timings: SearchResponse['timings']): void {
    for (let i = 0; i < STAGES.length; i++) this.stageChildren[i].observe(timings[STAGES[i]] / 1000);
  }

  /** The exposition text, with the engine's totals read once for all the metrics that need them. */
  async text(): Promise<string> {
    this.totals = this.engine.stats.totals();
    try {
      return await this.registry.metrics();
    } finally {
      this.totals = undefined;
    }
  }

  private currentModel() {
    const ranker = this.engine.ranker;
    if (!(ranker instanceof LearningRanker) || ranker.registry.current === null) return undefined;
    return ranker.registry.versions().find((v) => v.version === ranker.registry.current);
  }
}
