/**
 * The engine's learnt state as one JSON document, what a checkpoint saves: every stateful learner by key, the
 * retrieval policy's sums, the requests still waiting for feedback (with their events and logged feature rows),
 * the recently closed ones late feedback may still name (query, context, time), how many requests have closed
 * (the retraining schedule) and how many impressions the ranker's log holds (read back from the event log's
 * impression table, not copied here). `seq` is the log position it corresponds to.
 */
import { createError } from '../errors.js';
import type { FeedbackEvent } from '../feedback/event.js';
import type { RetrievalPolicyState } from '../policy/policy-state.js';
import type { FeatureRow, ServedRequest } from './served-request.js';

export const ENGINE_STATE_FORMAT = 'quiver.engine-state';
export const ENGINE_STATE_VERSION = 1;

export interface SavedPending {
  record: ServedRequest;
  events: Array<{ entityId: string; type: FeedbackEvent['type']; time: number; value?: number; position?: number }>;
  /** [id, fallback score, the row's float32 values in base64]. */
  rows: Array<[string, number, string]>;
}

/** What late feedback needs of a closed request: the query and context it was served for, and when. */
export interface ClosedRequest {
  query: string;
  context?: ServedRequest['context'];
  servedAt: number;
}

export function closedRequest(record: ServedRequest): ClosedRequest {
  return { query: record.query, ...(record.context && { context: record.context }), servedAt: record.servedAt };
}

export interface EngineState {
  format: typeof ENGINE_STATE_FORMAT;
  version: number;
  seq: number;
  closed: number;
  learners: Record<string, unknown>;
  policy?: RetrievalPolicyState;
  pending: SavedPending[];
  /** Oldest first; absent in checkpoints written before late feedback was learnt from. */
  recentlyClosed?: Array<ClosedRequest & { requestId: string }>;
  impressions: number;
}

export function savedPending(p: { record: ServedRequest; events: readonly FeedbackEvent[]; rows: ReadonlyMap<string, FeatureRow> }): SavedPending {
  return {
    record: p.record,
    events: p.events.map((e) => ({ entityId: e.entityId, type: e.type, time: e.time.getTime(), ...(e.value !== undefined && { value: e.value }), ...(e.position !== undefined && { position: e.position }) })),
    rows: [...p.rows].map(([id, { row, fallback }]) => [id, fallback, Buffer.from(row.buffer, row.byteOffset, row.byteLength).toString('base64')]),
  };
}

export function restoredPending(saved: SavedPending): { record: ServedRequest; events: FeedbackEvent[]; rows: Map<string, FeatureRow> } {
  const { record } = saved;
  return {
    record,
    events: saved.events.map((e) => ({
      query: record.query, entityId: e.entityId, type: e.type, time: new Date(e.time), user: record.context?.user,
      ...(e.value !== undefined && { value: e.value }), ...(e.position !== undefined && { position: e.position }),
    })),
    rows: new Map(saved.rows.map(([id, fallback, base64]) => {
      const bytes = Buffer.from(base64, 'base64');
      return [id, { fallback, row: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) }];
    })),
  };
}

/** The state, once its header and shape are right (a wrong one is refused whole, naming the field). */
export function checkEngineState(input: unknown): EngineState {
  const fail = (field: string, detail: string) => createError('CHECKPOINT_INVALID', `engine state ${field}`, detail);
  const s = input as Partial<EngineState> | null;
  if (s === null || typeof s !== 'object') throw fail('', 'not an object');
  if (s.format !== ENGINE_STATE_FORMAT) throw fail('format', `expected "${ENGINE_STATE_FORMAT}", got ${JSON.stringify(s.format)}`);
  if (s.version !== ENGINE_STATE_VERSION) throw fail('version', `this Quiver reads version ${ENGINE_STATE_VERSION}, got ${JSON.stringify(s.version)}`);
  for (const field of ['seq', 'closed', 'impressions'] as const) {
    if (!Number.isInteger(s[field]) || s[field]! < 0) throw fail(field, 'an integer ≥ 0');
  }
  if (s.learners === null || typeof s.learners !== 'object') throw fail('learners', 'an object of states by key');
  if (!Array.isArray(s.pending)) throw fail('pending', 'an array');
  s.pending.forEach((p, i) => {
    if (typeof p?.record?.requestId !== 'string' || !Array.isArray(p.events) || !Array.isArray(p.rows)) throw fail(`pending[${i}]`, 'expected record, events and rows');
  });
  if (s.recentlyClosed !== undefined && !Array.isArray(s.recentlyClosed)) throw fail('recentlyClosed', 'an array');
  s.recentlyClosed?.forEach((c, i) => {
    if (typeof c?.requestId !== 'string' || typeof c.query !== 'string' || !Number.isFinite(c.servedAt)) throw fail(`recentlyClosed[${i}]`, 'expected requestId, query and servedAt');
  });
  return s as EngineState;
}
