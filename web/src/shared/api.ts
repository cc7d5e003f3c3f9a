// The page's view of the HTTP API: typed fetches of the engine's routes. The types come straight from the engine
// (type-only imports, erased by the bundler), so the UI cannot drift from what the server sends.
import type { FeedbackInput, FeedbackReceipt, SearchRequest, SearchResponse } from '../../../src/engine/engine.js';

export type { FeedbackInput, FeedbackReceipt, SearchResponse };

/** What POST /search takes over the wire (filters as text, as the server parses them). */
export type SearchBody = Omit<SearchRequest, 'filters'> & { filters?: string[] };

/** An error the server answered with: its machine-readable code and message. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? 'UNKNOWN', json?.error?.message ?? res.statusText);
  return json as T;
}

export const search = (body: SearchBody) => call<SearchResponse>('POST', '/search', body);
export const sendFeedback = (events: FeedbackInput | FeedbackInput[]) => call<FeedbackReceipt>('POST', '/feedback', events);
export const getJson = <T>(path: string) => call<T>('GET', path);
