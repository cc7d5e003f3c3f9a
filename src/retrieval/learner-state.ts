/**
 * What every learner shares at its boundaries: checking a feedback event before it changes any state, and
 * reading saved state, which starts with its format name and version (refused with a clear error when the
 * version differs) and whose decayed sums are written as [key, value, time] triples.
 */
import { createError } from '../errors.js';
import { FEEDBACK_TYPES, type FeedbackEvent } from '../feedback/event.js';
import type { DecayedSum } from './decay.js';

/** The event's time in epoch ms, after checking the fields every learner reads. */
export function checkedEventTime(learner: string, event: FeedbackEvent): number {
  if (!event || typeof event !== 'object') throw createError('LEARNER_BAD_EVENT', learner, 'event', event, 'an object');
  if (typeof event.entityId !== 'string' || event.entityId === '') throw createError('LEARNER_BAD_EVENT', learner, 'entityId', event.entityId, 'a non-empty string');
  if (typeof event.query !== 'string') throw createError('LEARNER_BAD_EVENT', learner, 'query', event.query, 'a string');
  if (!FEEDBACK_TYPES.includes(event.type)) throw createError('LEARNER_BAD_EVENT', learner, 'type', event.type, `one of ${FEEDBACK_TYPES.join(', ')}`);
  if (event.user !== undefined && typeof event.user !== 'string') throw createError('LEARNER_BAD_EVENT', learner, 'user', event.user, 'a string');
  const time = event.time instanceof Date ? event.time.getTime() : Number.NaN;
  if (!Number.isFinite(time)) throw createError('LEARNER_BAD_EVENT', learner, 'time', event.time, 'a valid Date');
  return time;
}

export interface StateHeader {
  format: string;
  version: number;
}

/** The saved state as an object, once its format and version are the expected ones. */
export function checkStateHeader(state: unknown, format: string, version: number): Record<string, unknown> {
  if (!state || typeof state !== 'object' || Array.isArray(state)) throw createError('LEARNER_STATE_INVALID', format, 'the top level', 'not an object');
  const s = state as Record<string, unknown>;
  if (s.format !== format) throw createError('LEARNER_STATE_INVALID', format, 'format', `found ${JSON.stringify(s.format)}, expected "${format}"`);
  if (s.version !== version) throw createError('LEARNER_STATE_VERSION', format, s.version, version);
  return s;
}

/** An array field of the saved state. */
export function stateArray(format: string, where: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw createError('LEARNER_STATE_INVALID', format, where, 'not an array');
  return value;
}

/** Decayed sums keyed by name, written as [key, value, time] triples. */
export function writeSums(sums: ReadonlyMap<string, DecayedSum>): Array<[string, number, number]> {
  return [...sums].map(([key, s]) => [key, s.value, s.time]);
}

export function readSums(format: string, where: string, value: unknown): Map<string, DecayedSum> {
  const out = new Map<string, DecayedSum>();
  stateArray(format, where, value).forEach((entry, i) => {
    const ok = Array.isArray(entry) && entry.length === 3 && typeof entry[0] === 'string' && Number.isFinite(entry[1]) && Number.isFinite(entry[2]);
    if (!ok) throw createError('LEARNER_STATE_INVALID', format, `${where}[${i}]`, 'expected [key, value, time] with finite numbers');
    out.set(entry[0], { value: entry[1], time: entry[2] });
  });
  return out;
}

/** Maps of decayed sums keyed by an outer name ([outer, triples] pairs), e.g. query → entity → sum. */
export function writeNestedSums(nested: ReadonlyMap<string, ReadonlyMap<string, DecayedSum>>): Array<[string, Array<[string, number, number]>]> {
  return [...nested].map(([key, sums]) => [key, writeSums(sums)]);
}

export function readNestedSums(format: string, where: string, value: unknown): Map<string, Map<string, DecayedSum>> {
  const out = new Map<string, Map<string, DecayedSum>>();
  stateArray(format, where, value).forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw createError('LEARNER_STATE_INVALID', format, `${where}[${i}]`, 'expected [key, [[key, value, time], …]]');
    }
    out.set(entry[0], readSums(format, `${where}[${i}][1]`, entry[1]));
  });
  return out;
}
