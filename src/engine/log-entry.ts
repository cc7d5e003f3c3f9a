/**
 * The engine's log entries and their encoding as event-log records (src/store/event-log.ts): JSON bodies, with
 * feature rows as a binary float32 part. Decoding checks each entry's shape and names the record that is wrong.
 */
import { createError } from '../errors.js';
import { FEEDBACK_TYPES, type FeedbackType } from '../feedback/event.js';
import type { RankingImpression } from '../rank/lifecycle/ranking-log.js';
import type { LogRecord, StoredImpression, StoredRecord } from '../store/event-log.js';
import { type CatalogChange, checkEntityRows } from './catalog-changes.js';
import type { ServedRequest } from './served-request.js';

/** A feedback event as logged: checked, its time resolved (epoch ms). */
export interface LoggedEvent {
  requestId: string;
  entityId: string;
  type: FeedbackType;
  time: number;
  value?: number;
  position?: number;
  eventId?: string;
}

/** Feature rows of one request's candidates, logged with the feedback that first needed them. */
export interface LoggedRows {
  requestId: string;
  ids: string[];
  fallback: number[];
  /** ids.length × width values, row-major. */
  features: Float32Array;
}

export type LogEntry =
  | { kind: 'search'; time: number; record: ServedRequest }
  | { kind: 'feedback'; time: number; events: LoggedEvent[]; rows: LoggedRows[] }
  | { kind: 'flush'; time: number }
  | { kind: 'catalog'; time: number; change: CatalogChange };

export function encodeEntry(entry: LogEntry): LogRecord {
  switch (entry.kind) {
    case 'search':
      return { kind: entry.kind, time: entry.time, body: JSON.stringify(entry.record) };
    case 'flush':
      return { kind: entry.kind, time: entry.time, body: '{}' };
    case 'catalog':
      return { kind: entry.kind, time: entry.time, body: JSON.stringify(entry.change) };
    case 'feedback': {
      const total = entry.rows.reduce((n, r) => n + r.features.length, 0);
      const blob = new Float32Array(total);
      let at = 0;
      for (const r of entry.rows) {
        blob.set(r.features, at);
        at += r.features.length;
      }
      const rows = entry.rows.map(({ requestId, ids, fallback }) => ({ requestId, ids, fallback }));
      return { kind: entry.kind, time: entry.time, body: JSON.stringify({ events: entry.events, rows }), ...(total > 0 && { blob: new Uint8Array(blob.buffer) }) };
    }
  }
}

export function decodeEntry(record: StoredRecord): LogEntry {
  const where = `#${record.seq}`;
  const fail = (detail: string) => createError('STORE_CORRUPT', where, detail);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(record.body);
  } catch (err) {
    throw fail(`body is not JSON: ${(err as Error).message}`);
  }
  if (!Number.isFinite(record.time)) throw fail('time is not a number');
  switch (record.kind) {
    case 'search':
      return { kind: 'search', time: record.time, record: checkServed(body, fail) };
    case 'flush':
      return { kind: 'flush', time: record.time };
    case 'catalog':
      return { kind: 'catalog', time: record.time, change: checkChange(body, fail) };
    case 'feedback':
      return { kind: 'feedback', time: record.time, ...checkFeedback(body, record.blob, fail) };
    default:
      throw fail(`unknown kind "${record.kind}"`);
  }
}

type Fail = (detail: string) => Error;

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isPairs = (v: unknown, second: (x: unknown) => boolean) => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && second(p[1]));
const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

function checkServed(body: Record<string, unknown>, fail: Fail): ServedRequest {
  if (typeof body.requestId !== 'string' || typeof body.query !== 'string' || !Number.isFinite(body.servedAt)) throw fail('a search needs requestId, query and servedAt');
  if (!isPairs(body.plan, Number.isFinite)) throw fail('plan: expected [strategy, budget] pairs');
  if (!isPairs(body.returned, isStringArray)) throw fail('returned: expected [strategy, ids] pairs');
  if (!isStringArray(body.shown)) throw fail('shown: expected ids');
  if (!Array.isArray(body.runs)) throw fail('runs: expected an array');
  const d = body.decision as Record<string, unknown> | undefined;
  if (d !== undefined && !(isNumberArray(d.features) && isPairs(d.actions, isNumberArray) && isPairs(d.greedy, Number.isFinite) && typeof d.epsilon === 'number' && typeof d.propensity === 'number')) {
    throw fail('decision: expected features, actions, greedy, epsilon and propensity');
  }
  if (d !== undefined && d.heldBack !== undefined && d.heldBack !== true) throw fail('decision.heldBack: expected true or absent');
  const served = body.served as Record<string, unknown> | undefined;
  if (served !== undefined && !['plan', 'retrieve', 'rank', 'total', 'candidates'].every((k) => Number.isFinite(served?.[k]))) {
    throw fail('served: expected plan, retrieve, rank, total and candidates as numbers');
  }
  return body as unknown as ServedRequest;
}

/** A logged change was checked before it was logged; here only its shape is (the rows are re-checked whole). */
function checkChange(body: Record<string, unknown>, fail: Fail): CatalogChange {
  if (body.op === 'delete' && typeof body.id === 'string') return { op: 'delete', id: body.id };
  if (body.op === 'upsert' && Array.isArray(body.entities)) {
    try {
      return { op: 'upsert', entities: checkEntityRows(body.entities, () => true) }; // relations were checked against the index when logged
    } catch (err) {
      throw fail(`catalogue change: ${(err as Error).message}`);
    }
  }
  throw fail('a catalogue change needs op "upsert" with entities or op "delete" with an id');
}

function checkFeedback(body: Record<string, unknown>, blob: Uint8Array | undefined, fail: Fail): { events: LoggedEvent[]; rows: LoggedRows[] } {
  if (!Array.isArray(body.events) || !Array.isArray(body.rows)) throw fail('a feedback entry needs events and rows');
  body.events.forEach((e: Record<string, unknown>, i) => {
    if (typeof e?.requestId !== 'string' || typeof e.entityId !== 'string' || !FEEDBACK_TYPES.includes(e.type as FeedbackType) || !Number.isFinite(e.time)) {
      throw fail(`events[${i}]: expected requestId, entityId, type and time`);
    }
  });
  const values = blob && blob.byteLength > 0 ? new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength)) : new Float32Array(0);
  const totalIds = (body.rows as Array<{ ids?: unknown }>).reduce((n, r) => n + (Array.isArray(r?.ids) ? r.ids.length : 0), 0);
  const width = totalIds === 0 ? 0 : values.length / totalIds;
  if (!Number.isInteger(width)) throw fail(`${values.length} feature values do not divide into ${totalIds} rows`);
  let at = 0;
  const rows = (body.rows as Array<Record<string, unknown>>).map((r, i) => {
    if (typeof r?.requestId !== 'string' || !isStringArray(r.ids) || !isNumberArray(r.fallback) || r.fallback.length !== r.ids.length) throw fail(`rows[${i}]: expected requestId, ids and a fallback score per id`);
    const features = values.subarray(at, at + r.ids.length * width);
    at += r.ids.length * width;
    return { requestId: r.requestId, ids: r.ids, fallback: r.fallback, features };
  });
  return { events: body.events as LoggedEvent[], rows };
}

/** A ranking impression as the log's impression table keeps it: JSON, with the feature rows as float32 bytes. */
export function encodeImpression(impression: RankingImpression): { body: string; blob: Uint8Array } {
  const { query, ids, shown, engaged, fallbackScores, features } = impression;
  return { body: JSON.stringify({ query, ids, shown, engaged, fallbackScores: [...fallbackScores] }), blob: new Uint8Array(features.buffer, features.byteOffset, features.byteLength) };
}

export function decodeImpression(stored: StoredImpression): RankingImpression {
  const fail = (detail: string) => createError('STORE_CORRUPT', `impression of request ${stored.requestId}`, detail);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(stored.body);
  } catch (err) {
    throw fail(`body is not JSON: ${(err as Error).message}`);
  }
  const { query, ids, shown, engaged, fallbackScores } = body;
  if (typeof query !== 'string' || !isStringArray(ids) || !Number.isInteger(shown) || !Array.isArray(engaged) || !isNumberArray(fallbackScores) || fallbackScores.length !== ids.length) {
    throw fail('expected query, ids, shown, engaged and a fallback score per id');
  }
  const blob = stored.blob ?? new Uint8Array(0);
  const features = new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
  return { query, ids, shown: shown as number, engaged: engaged as boolean[], fallbackScores: Float64Array.from(fallbackScores), features };
}
