/**
 * Validates one catalogue row into an Entity, collecting every problem with the field it concerns, so a bad
 * row is reported as "catalog.jsonl:12: field "popularity" must be a number ≥ 0" and not as a crash later.
 */
import type { AttributeValue, Entity } from './entity.js';

export interface RowIssue {
  /** "file:line". */
  where: string;
  field: string;
  message: string;
}

const KNOWN_KEYS = new Set(['id', 'type', 'title', 'fields', 'attributes', 'popularity', 'released', 'relations']);
const RELEASED_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function validateEntity(row: unknown, where: string): { entity?: Entity; issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ where, field, message });
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    bad('(row)', 'must be a JSON object');
    return { issues };
  }
  const r = row as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!KNOWN_KEYS.has(key)) bad(key, `is not a catalogue field (known: ${[...KNOWN_KEYS].join(', ')})`);
  for (const key of ['id', 'type', 'title'] as const) {
    if (r[key] === undefined) bad(key, 'is required');
    else if (typeof r[key] !== 'string' || (r[key] as string).trim() === '') bad(key, 'must be a non-empty string');
  }
  const entity: Entity = { id: r.id as string, type: r.type as string, title: r.title as string };

  if (r.fields !== undefined) {
    if (!isPlainObject(r.fields)) bad('fields', 'must be an object of field name → text');
    else {
      for (const [name, value] of Object.entries(r.fields)) {
        const ok = typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
        if (!ok) bad(`fields.${name}`, 'must be a string or an array of strings');
      }
      entity.fields = r.fields as Entity['fields'];
    }
  }
  if (r.attributes !== undefined) {
    if (!isPlainObject(r.attributes)) bad('attributes', 'must be an object of attribute name → value');
    else {
      for (const [name, value] of Object.entries(r.attributes)) {
        const problem = attributeProblem(value);
        if (problem) bad(`attributes.${name}`, problem);
      }
      entity.attributes = r.attributes as Record<string, AttributeValue>;
    }
  }
  if (r.popularity !== undefined) {
    if (typeof r.popularity !== 'number' || !Number.isFinite(r.popularity) || r.popularity < 0) bad('popularity', 'must be a number ≥ 0');
    else entity.popularity = r.popularity;
  }
  if (r.released !== undefined) {
    const released = normalizeReleased(r.released);
    if (released === undefined) bad('released', 'must be an ISO date (YYYY-MM-DD, YYYY-MM) or a year');
    else entity.released = released;
  }
  if (r.relations !== undefined) {
    if (!isPlainObject(r.relations)) bad('relations', 'must be an object of relation name → array of entity ids');
    else {
      for (const [name, value] of Object.entries(r.relations)) {
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) {
          bad(`relations.${name}`, 'must be an array of entity ids (non-empty strings)');
        }
      }
      entity.relations = r.relations as Record<string, string[]>;
    }
  }
  return issues.length > 0 ? { issues } : { entity, issues };
}

function attributeProblem(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'must be a finite number';
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? undefined : 'as a list must hold only strings';
  if (isPlainObject(value)) {
    for (const [key, weight] of Object.entries(value)) {
      if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) return `weight of "${key}" must be a number in [0, 1]`;
    }
    return undefined;
  }
  return 'must be a string, number, boolean, list of strings, or an object of value → weight in [0, 1]';
}

/** "2008", 2008, "2008-09" and "2008-09-12" (or an ISO timestamp, whose date part is kept) are accepted. */
export function normalizeReleased(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 9999 ? String(value).padStart(4, '0') : undefined;
  if (typeof value !== 'string') return undefined;
  const text = /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)) ? value.slice(0, 10) : value.trim();
  const m = RELEASED_RE.exec(text);
  if (!m) return undefined;
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
  return day <= daysInMonth ? text : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
