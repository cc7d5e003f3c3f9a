/**
 * Filters on entity type and attributes, parsed from the CLI/HTTP form `name=value[,value…]`, `name>=x`,
 * `name<=x`, `name>x`, `name<x`. `genre=pop` keeps entities whose genre includes pop with any weight > 0 (or
 * at least `genre=pop@0.5`). Ranges compare numbers, and `released` compares dates as ISO strings.
 */
import { attributeWeights, type Entity } from '../catalog/entity.js';
import { createError } from '../errors.js';

export type FilterOp = '=' | '>=' | '<=' | '>' | '<';

export interface Filter {
  name: string;
  op: FilterOp;
  /** For '=', any of these matches; for ranges, exactly one. */
  values: string[];
  /** For '=' on weighted attributes: the smallest weight that counts. */
  minWeight?: number;
}

const FILTER_RE = /^\s*([^=<>\s]+)\s*(>=|<=|=|>|<)\s*(.+?)\s*$/;

export function parseFilter(text: string): Filter {
  const m = FILTER_RE.exec(text);
  if (!m) throw createError('QUERY_BAD_FILTER', text, 'expected name=value, name>=x, name<=x, name>x or name<x');
  const [, name, op, rest] = m;
  if (op !== '=') {
    if (name !== 'released' && !Number.isFinite(Number(rest))) {
      throw createError('QUERY_BAD_FILTER', text, `"${rest}" is not a number`);
    }
    return { name, op: op as FilterOp, values: [rest] };
  }
  let valuesText = rest;
  let minWeight: number | undefined;
  const at = rest.lastIndexOf('@');
  if (at > 0) {
    minWeight = Number(rest.slice(at + 1));
    if (!Number.isFinite(minWeight) || minWeight < 0 || minWeight > 1) {
      throw createError('QUERY_BAD_FILTER', text, `weight "${rest.slice(at + 1)}" must be a number in [0, 1]`);
    }
    valuesText = rest.slice(0, at);
  }
  const values = valuesText.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  if (values.length === 0) throw createError('QUERY_BAD_FILTER', text, 'no value given');
  return { name, op: '=', values, minWeight };
}

/** Does the entity pass every filter? */
export function matchesFilters(entity: Entity, filters: readonly Filter[]): boolean {
  for (const filter of filters) if (!matchesFilter(entity, filter)) return false;
  return true;
}

function matchesFilter(entity: Entity, filter: Filter): boolean {
  const value = filterTarget(entity, filter.name);
  if (value === undefined) return false;
  if (filter.op === '=') {
    if (typeof value === 'number' || typeof value === 'boolean') return filter.values.some((v) => String(value) === v);
    const weights = attributeWeights(value);
    const min = filter.minWeight ?? 0;
    return filter.values.some((v) => {
      const w = weights[v];
      return w !== undefined && w > 0 && w >= min;
    });
  }
  const bound = filter.values[0];
  let cmp: number;
  if (filter.name === 'released' && typeof value === 'string') cmp = value < bound ? -1 : value.startsWith(bound) ? 0 : value > bound ? 1 : 0;
  else if (typeof value === 'number') cmp = value - Number(bound);
  else return false;
  switch (filter.op) {
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
  }
}

function filterTarget(entity: Entity, name: string) {
  if (name === 'type') return entity.type;
  if (name === 'popularity') return entity.popularity;
  if (name === 'released') return entity.released;
  return entity.attributes?.[name];
}
