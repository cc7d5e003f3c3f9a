/**
 * The HTTP API: a thin Fastify layer over the Engine. Every body is validated against a JSON schema (unknown
 * fields refused); a bad request gets 400 with a machine-readable code and a message naming the field, an
 * oversized body 413, an unknown route 404, always as `{"error": {"code", "message"}}` (http-errors.ts maps codes
 * to statuses). The schemas are the OpenAPI document served at /openapi.json. Live catalogue changes are in
 * entity-routes.ts, /stats and /metrics in stats-routes.ts; this layer keeps no state of its own beyond the
 * Prometheus counters of its requests (metrics.ts).
 */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Engine, FeedbackInput, FeedbackReceipt } from '../engine/engine.js';
import { QuiverError } from '../errors.js';
import { parseFilter } from '../index/filters.js';
import { FEEDBACK_TYPES } from '../feedback/event.js';
import { registerEntityRoutes } from './entity-routes.js';
import { errorBody, errorReply, formatSchemaErrors, statusOf } from './http-errors.js';
import { ServerMetrics } from './metrics.js';
import { registerSimulateRoutes } from './simulate-routes.js';
import { registerStatsRoutes } from './stats-routes.js';
import { DEFAULT_UI_DIR, registerWebUi } from './web-ui.js';

export interface ServerOptions {
  /** Largest request body accepted, in bytes (default 1 MiB); larger ones get 413. */
  bodyLimit?: number;
  /** Most entities one POST /entities takes (default 10,000). */
  maxEntityBatch?: number;
  logger?: boolean;
  /**
   * Serve POST/GET /simulate: generated traffic through the live engine, which the engine learns from like real
   * traffic (default false: a demo switch, never for a production engine).
   */
  simulate?: boolean;
  /** The built web UI to serve at / and /dashboard (default: the package's dist/web); false serves none. */
  ui?: string | false;
  /** Takes POST /feedback's events (default: the engine's feedback; a cluster worker routes them, cluster.ts). */
  feedback?: (events: FeedbackInput[]) => FeedbackReceipt | Promise<FeedbackReceipt>;
}

const context = {
  type: 'object',
  additionalProperties: false,
  properties: { user: { type: 'string' }, time: { type: 'string' }, locale: { type: 'string' }, device: { type: 'string' } },
} as const;

const searchBody = {
  type: 'object',
  additionalProperties: false,
  required: ['query'],
  properties: {
    query: { type: 'string', maxLength: 1000 },
    context,
    k: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
    types: { type: 'array', items: { type: 'string' }, maxItems: 20 },
    filters: { type: 'array', items: { type: 'string' }, maxItems: 50, description: 'genre=pop, genre=pop@0.5, tempo>=120, released>=2010' },
    explain: { type: 'boolean', default: false },
    label: { type: 'string', minLength: 1, maxLength: 64, description: 'a tag for this query (e.g. its style); /stats counts labels apart' },
  },
} as const;

const feedbackEvent = {
  type: 'object',
  additionalProperties: false,
  required: ['requestId', 'entityId', 'type'],
  properties: {
    requestId: { type: 'string', minLength: 1 },
    entityId: { type: 'string', minLength: 1 },
    type: { type: 'string', enum: [...FEEDBACK_TYPES] },
    value: { type: 'number', minimum: 0 },
    position: { type: 'integer', minimum: 1 },
    ts: { type: 'string' },
    eventId: { type: 'string', minLength: 1 },
  },
} as const;

const feedbackBody = {
  oneOf: [feedbackEvent, { type: 'array', items: feedbackEvent, minItems: 1, maxItems: 10_000 }],
} as const;

export async function createServer(engine: Engine, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimit ?? 1024 * 1024, ajv: { customOptions: { removeAdditional: false, coerceTypes: false } }, schemaErrorFormatter: formatSchemaErrors });
  const metrics = new ServerMetrics(engine);
  await app.register(swagger, {
    openapi: { info: { title: 'Quiver', description: 'learning-to-rank-and-retrieve search', version: '0.1.0' } },
  });

  app.setErrorHandler((err, _request, reply) => {
    const e = err as Error & { validation?: unknown; validationContext?: string; statusCode?: number; code?: string };
    if (e instanceof QuiverError) return reply.code(statusOf(e.code)).send(errorBody(e));
    if (e.validation) return reply.code(400).send({ error: { code: 'BAD_REQUEST', message: e.message } });
    if (e.statusCode === 413) return reply.code(413).send({ error: { code: 'BODY_TOO_LARGE', message: `the body is larger than ${options.bodyLimit ?? 1024 * 1024} bytes` } });
    if (e.statusCode && e.statusCode < 500) return reply.code(e.statusCode).send({ error: { code: e.code ?? 'BAD_REQUEST', message: e.message } });
    app.log.error(err);
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
  // A callback hook, not an async one: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` } }));

  app.post('/search', { schema: { body: searchBody, response: { 400: errorReply } } }, async (request) => {
    const body = request.body as { query: string; context?: Record<string, string>; k: number; types?: string[]; filters?: string[]; explain: boolean; label?: string };
    const filters = (body.filters ?? []).map((text, i) => {
      try {
        return parseFilter(text);
      } catch (err) {
        throw new QuiverError((err as QuiverError).code ?? 'QUERY_BAD_CONTEXT', `body/filters/${i}: ${(err as Error).message}`);
      }
    });
    // Grouped: the records of the requests read in one turn are committed together, each answered once committed.
    const response = await engine.searchGrouped({ query: body.query, context: body.context, k: body.k, types: body.types, filters, explain: body.explain, label: body.label });
    metrics.observeSearch(response.timings);
    return response;
  });

  app.post('/feedback', { schema: { body: feedbackBody, response: { 400: errorReply } } }, async (request) => {
    const events = (Array.isArray(request.body) ? request.body : [request.body]) as FeedbackInput[];
    return options.feedback ? options.feedback(events) : engine.feedbackGrouped(events);
  });

  registerEntityRoutes(app, engine, options.maxEntityBatch);
  registerStatsRoutes(app, engine, metrics);
  if (options.simulate) registerSimulateRoutes(app, engine);
  app.get('/health', async () => ({ status: 'ok', entities: engine.index.size, pendingRequests: engine.pendingRequests, ranker: engine.ranker.name, simulate: options.simulate === true }));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  if (options.ui !== false) await registerWebUi(app, options.ui ?? DEFAULT_UI_DIR);
  await app.ready();
  return app;
}
