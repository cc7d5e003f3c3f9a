/**
 * Query streams: the replayable input of `quiver eval strategies`. One JSON object per line,
 *
 *   {"query":"tayler swift","context":{"user":"u1","time":"2026-03-01T20:00:00Z","locale":"en-US"},
 *    "targets":["a:1"],"label":"misspelled"}
 *
 * `query` is what the user typed; `targets` the entities that would satisfy them (at least one); `label` the
 * query style, for reporting by style (default "unlabelled"); `context` the request context of
 * src/query/query-context.ts. Reading checks every line (JSON, each property's type, a parseable time, and with
 * a catalogue every target id) and refuses the whole stream naming each bad line as file:line and field, as the
 * catalogue loader does; a stream is never half-read.
 */
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { jsonLines } from '../catalog/jsonl.js';
import { formatIssue } from '../catalog/load.js';
import { readTextFile } from '../catalog/read-text.js';
import type { RowIssue } from '../catalog/validate.js';
import { createError } from '../errors.js';
import type { RequestContext } from '../query/query-context.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export interface StreamEvent {
  query: string;
  context: RequestContext;
  targets: string[];
  label: string;
}

export const UNLABELLED = 'unlabelled';
const KNOWN_KEYS = new Set(['query', 'context', 'targets', 'label']);
const CONTEXT_KEYS = new Set(['user', 'time', 'locale', 'device']);

export interface ReadStreamOptions {
  /** When given, every target must be a known entity id. */
  isKnownId?: (id: string) => boolean;
}

/** Reads a stream file (`.gz` is gunzipped; "-" reads standard input). */
export function readStream(path: string, options: ReadStreamOptions = {}): StreamEvent[] {
  const text = path === '-' ? readFileSync(0, 'utf8') : readTextFile(path);
  return parseStream(text, path === '-' ? 'stdin' : basename(path), options);
}

export function parseStream(text: string, file: string, options: ReadStreamOptions = {}): StreamEvent[] {
  const events: StreamEvent[] = [];
  const issues: RowIssue[] = [];
  for (const { where, value, error } of jsonLines(text, file)) {
    if (error) {
      issues.push({ where, field: '(row)', message: `is ${error}` });
      continue;
    }
    const before = issues.length;
    const event = validateEvent(value, where, issues, options);
    if (event && issues.length === before) events.push(event);
  }
  if (issues.length > 0) {
    const err = createError('STREAM_INVALID', issues.length, formatIssue(issues[0]));
    (err as Error & { issues?: RowIssue[] }).issues = issues;
    throw err;
  }
  if (events.length === 0) throw createError('STREAM_EMPTY', file);
  return events;
}

function validateEvent(value: unknown, where: string, issues: RowIssue[], options: ReadStreamOptions): StreamEvent | undefined {
  const bad = (field: string, message: string) => issues.push({ where, field, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    bad('(row)', 'must be a JSON object with "query" and "targets"');
    return undefined;
  }
  const row = value as Record<string, unknown>;
  for (const key of Object.keys(row)) if (!KNOWN_KEYS.has(key)) bad(key, `is not a stream field (known: ${[...KNOWN_KEYS].join(', ')})`);
  if (row.query === undefined) bad('query', 'is required');
  else if (typeof row.query !== 'string') bad('query', 'must be a string');

  const targets = row.targets;
  if (targets === undefined) bad('targets', 'is required');
  else if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string' && t !== '')) {
    bad('targets', 'must be a non-empty array of entity ids');
  } else if (options.isKnownId) {
    const unknown = targets.find((t) => !options.isKnownId!(t as string));
    if (unknown !== undefined) bad('targets', `names entity "${unknown}", which is not in the catalogue`);
  }

  if (row.label !== undefined && (typeof row.label !== 'string' || row.label.trim() === '')) bad('label', 'must be a non-empty string');

  const context = row.context ?? {};
  if (typeof context !== 'object' || context === null || Array.isArray(context)) bad('context', 'must be an object (user, time, locale, device)');
  else {
    for (const [key, v] of Object.entries(context)) {
      if (!CONTEXT_KEYS.has(key)) bad(`context.${key}`, `is not a context field (known: ${[...CONTEXT_KEYS].join(', ')})`);
      else if (typeof v !== 'string') bad(`context.${key}`, 'must be a string');
    }
    const time = (context as RequestContext).time;
    if (typeof time === 'string' && Number.isNaN(new Date(time).getTime())) bad('context.time', `"${time}" is not an ISO 8601 time such as 2026-03-01T20:00:00Z`);
  }
  return {
    query: row.query as string,
    context: context as RequestContext,
    targets: targets as string[],
    label: (row.label as string | undefined) ?? UNLABELLED,
  };
}

/** One line per event, keys in the documented order. */
export function formatStream(events: readonly StreamEvent[]): string {
  return events.map((e) => JSON.stringify({ query: e.query, context: e.context, targets: e.targets, label: e.label })).join('\n') + '\n';
}

export function writeStream(path: string, events: readonly StreamEvent[]): void {
  writeFileAtomic(path, formatStream(events));
}
