/**
 * GET /stats (the engine's serving and learning statistics as JSON, for the dashboard) and GET /metrics (the
 * Prometheus text). The /stats schema spells out the whole snapshot (engine-stats.ts, stats-bucket.ts), so the
 * OpenAPI document tells a dashboard what it gets; it also serialises the reply, so a field missing here would be
 * missing from the reply (the server test compares the two).
 */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../engine/engine.js';
import { FEEDBACK_TYPES } from '../feedback/event.js';
import { STAGES } from '../engine/stats-bucket.js';
import type { ServerMetrics } from './metrics.js';
import { errorReply } from './http-errors.js';

const count = { type: 'number' } as const;
const maybe = { type: ['number', 'null'] } as const;
const byStrategy = { type: 'object', additionalProperties: count } as const;

const latency = {
  type: 'object',
  properties: { count, mean: maybe, p50: maybe, p90: maybe, p99: maybe, max: maybe },
} as const;

const sliceProperties = {
  searches: count,
  selections: { ...byStrategy, description: 'searches that ran each strategy' },
  selectionRate: { ...byStrategy, description: 'share of searches that ran each strategy' },
  meanBudget: { ...byStrategy, description: 'mean candidate budget of each strategy when it ran' },
  heldBack: { ...count, description: "searches the policy's holdback served with every strategy at full budget (counted above as what ran)" },
  policySelectionRate: { ...byStrategy, description: 'share of the searches not held back that ran each strategy: what the policy itself chose' },
  candidatesPerSearch: { ...maybe, description: 'candidates after the union, per search' },
  drawnPerSearch: { ...maybe, description: 'candidates the strategies returned before the union, per search (the cost)' },
  closed: { ...count, description: 'requests closed in this bucket' },
  learned: { ...count, description: 'closed requests with a policy outcome (static plans have none)' },
  covered: { ...count, description: 'learned requests in which a strategy found what the user engaged with' },
  coverage: maybe,
  meanReward: maybe,
  meanCost: maybe,
  credited: { ...byStrategy, description: 'closed runs of each strategy that covered an engaged entity' },
  creditRate: byStrategy,
} as const;

const slice = { type: 'object', properties: sliceProperties } as const;

const bucket = {
  type: 'object',
  properties: {
    start: { ...count, description: 'epoch ms' },
    seconds: { ...count, description: 'seconds covered (up to now for the current bucket)' },
    ...sliceProperties,
    feedback: { type: 'object', properties: Object.fromEntries(FEEDBACK_TYPES.map((t) => [t, count])) },
    unknownRequestFeedback: count,
    lateRequestFeedback: { ...count, description: 'feedback for requests already closed, learnt by memory, profiles, graph and intent only' },
    catalog: { type: 'object', properties: { upserted: count, deleted: count } },
    latencyMs: { type: 'object', properties: Object.fromEntries(STAGES.map((s) => [s, latency])) },
    strategyLatencyMs: { type: 'object', additionalProperties: latency },
    byType: { type: 'object', additionalProperties: slice, description: 'by query type (unknown: not understood)' },
    byLabel: { type: 'object', additionalProperties: slice, description: 'by the label the caller gave the search' },
  },
} as const;

const modelVersion = {
  type: 'object',
  properties: {
    version: count, createdAt: { type: 'string' }, trees: count,
    trainedOn: { type: 'object', properties: { impressions: count, rows: count } },
    k: count, ndcg: count, currentNdcg: maybe, promoted: { type: 'boolean' },
  },
} as const;

const statsReply = {
  type: 'object',
  properties: {
    at: count,
    startedAt: count,
    planner: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        kind: { type: 'string' },
        rounds: { ...count, description: 'a learned planner: requests it has learnt from' },
        holdback: { ...count, description: 'a learned planner: the share of requests it holds back now (the holdback, raised by the warm start, faded past holdbackDecay)' },
        candidateBudget: { ...count, description: 'a learned planner with a candidate budget: the mean candidates per search it keeps under (ceiling) or spends (target)' },
        candidateShare: { type: 'number', minimum: 0, maximum: 1, description: 'a learned planner whose candidate budget is a share of the full draw (every strategy at the largest budget): that share; candidateBudget is it in candidates now' },
        budgetMode: { type: 'string', enum: ['ceiling', 'target'], description: 'a learned planner with a candidate budget: whether the budget is a ceiling or a target' },
        priceFactor: { ...count, description: "a learned planner with a candidate budget: a candidate's price now, over the cost weight (≥ 1 under a ceiling, ≥ 0.01 under a target)" },
      },
    },
    ranker: { type: 'string' },
    strategies: { type: 'array', items: { type: 'string' } },
    entities: count,
    pendingRequests: count,
    loggedImpressions: count,
    retraining: { type: 'boolean' },
    totals: bucket,
    series: {
      type: 'object',
      properties: { resolution: { type: 'string' }, bucketSeconds: count, buckets: { type: 'array', items: bucket } },
    },
    models: {
      type: ['object', 'null'],
      properties: {
        current: maybe,
        versions: { type: 'array', items: modelVersion },
        history: { type: 'array', items: { type: 'object', properties: { at: { type: 'string' }, current: maybe, reason: { type: 'string' } } } },
      },
    },
  },
} as const;

const statsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    resolution: { type: 'string', enum: ['fine', 'coarse'], description: 'fine (default: 10 s buckets, the last hour) or coarse (1 min, the last day)' },
    since: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'only buckets starting at or after this epoch ms' },
  },
} as const;

export function registerStatsRoutes(app: FastifyInstance, engine: Engine, metrics: ServerMetrics): void {
  app.get('/stats', { schema: { querystring: statsQuery, response: { 200: statsReply, 400: errorReply } } }, async (request) => {
    const query = request.query as { resolution?: 'fine' | 'coarse'; since?: string };
    return engine.statsSnapshot({ resolution: query.resolution, since: query.since === undefined ? undefined : Number(query.since) });
  });
  app.get('/metrics', { schema: { description: 'Prometheus text exposition format 0.0.4' } }, async (_request, reply) => {
    const text = await metrics.text();
    return reply.type(metrics.contentType).send(text);
  });
}
