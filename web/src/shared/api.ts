// The page's view of the HTTP API: typed fetches of the engine's routes. The types come straight from the engine
// (type-only imports, erased by the bundler), so the UI cannot drift from what the server sends.
import type { Entity } from '../../../src/catalog/entity.js';
import type { FeedbackInput, FeedbackReceipt, SearchRequest, SearchResponse, SearchResult } from '../../../src/engine/engine.js';
import type { Explanation } from '../../../src/index/explain.js';
import type { RequestContext } from '../../../src/query/query-context.js';

export type { Entity, Explanation, FeedbackInput, FeedbackReceipt, RequestContext, SearchResponse, SearchResult };

/** What POST /search takes over the wire (filters as text, as the server parses them). */
export type SearchBody = Omit<SearchRequest, 'filters'> & { filters?: string[] };

/** GET /health. */
export interface Health {
  status: string;
  entities: number;
  pendingRequests: number;
  /** Whether the server takes POST /simulate (quiver serve --simulate). */
  simulate: boolean;
  ranker: string;
}

/** An error the server answered with: its machine-readable code and message. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', `the server did not answer (${(err as Error).message})`);
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ?? res.statusText);
  }
  return json as T;
}

export const search = (body: SearchBody) => call<SearchResponse>('POST', '/search', body);
export const sendFeedback = (events: FeedbackInput | FeedbackInput[]) => call<FeedbackReceipt>('POST', '/feedback', events);
export const getEntity = (id: string) => call<Entity>('GET', `/entities/${encodeURIComponent(id)}`);
export const getHealth = () => call<Health>('GET', '/health');
export const getJson = <T>(path: string) => call<T>('GET', path);
