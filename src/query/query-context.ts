/**
 * QueryContext: what every retrieval strategy, the retrieval policy and the ranker see of one request: the raw
 * query, its normalised text and tokens, and the request context (user, time, locale, device) resolved and
 * checked once. What the query means (slots, readings, query type, intent, features) is query understanding's
 * answer about it: `understandingOf(resources).understand(query)` (understanding.ts), cached per QueryContext.
 */
import { normalizeText } from '../analysis/normalize.js';
import { tokenize } from '../analysis/tokenize.js';
import { createError } from '../errors.js';
import type { Filter } from '../index/filters.js';

export interface RequestContext {
  user?: string;
  /** ISO 8601 time of the request; defaults to now. */
  time?: string;
  locale?: string;
  device?: string;
}

export interface QueryContext {
  raw: string;
  /** Case- and diacritic-folded text. */
  text: string;
  tokens: string[];
  context: RequestContext;
  /** The request time, parsed. */
  time: Date;
  /** Restrictions the caller asked for; every strategy honours them. */
  types?: string[];
  filters?: Filter[];
  /** Seeds the randomised strategies (explore), so a request can be replayed exactly. */
  seed: number;
}

export interface QueryOptions {
  context?: RequestContext;
  types?: string[];
  filters?: Filter[];
  seed?: number;
  /** Used when context.time is absent (tests and replays pass a fixed clock). */
  now?: Date;
}

const MAX_QUERY_LENGTH = 1000;

export function createQueryContext(raw: string, options: QueryOptions = {}): QueryContext {
  if (typeof raw !== 'string') throw createError('QUERY_BAD_CONTEXT', 'query', raw, 'a string');
  const context = options.context ?? {};
  for (const key of ['user', 'time', 'locale', 'device'] as const) {
    if (context[key] !== undefined && typeof context[key] !== 'string') throw createError('QUERY_BAD_CONTEXT', key, context[key], 'a string');
  }
  let time = options.now ?? new Date();
  if (context.time !== undefined) {
    time = new Date(context.time);
    if (Number.isNaN(time.getTime())) throw createError('QUERY_BAD_CONTEXT', 'time', context.time, 'an ISO 8601 time such as 2026-03-01T20:00:00Z');
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw createError('QUERY_BAD_CONTEXT', 'seed', seed, 'an integer');
  // Very long inputs are cut: no catalogue title needs more, and it bounds the work one request can cause.
  const clipped = raw.length > MAX_QUERY_LENGTH ? raw.slice(0, MAX_QUERY_LENGTH) : raw;
  const text = normalizeText(clipped).trim();
  return { raw, text, tokens: tokenize(text), context, time, types: options.types, filters: options.filters, seed };
}
