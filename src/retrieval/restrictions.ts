/** The query's type and filter restrictions, which every strategy honours, and the shared unknown-id check. */
import type { Entity } from '../catalog/entity.js';
import { createError } from '../errors.js';
import { matchesFilters } from '../index/filters.js';
import type { SearchIndex } from '../index/search-index.js';
import type { QueryContext } from '../query/query-context.js';

export function passesRestrictions(entity: Entity, query: QueryContext): boolean {
  if (query.types && query.types.length > 0 && !query.types.includes(entity.type)) return false;
  return !query.filters || query.filters.length === 0 || matchesFilters(entity, query.filters);
}

export function requireEntity(index: SearchIndex, id: string): Entity {
  const entity = index.get(id);
  if (!entity) throw createError('ENTITY_UNKNOWN', id);
  return entity;
}
