/**
 * Live catalogue changes: a batch of entity rows upserted, or one entity deleted, all or nothing. A batch is
 * checked whole before anything is written: every row through the validation a catalogue file gets
 * (catalog/validate.ts; problems named `entities[i].field`), no id twice, every relation naming an entity that is
 * in the index or in the batch. So a refused batch leaves the index untouched. The index tells the structures
 * derived from it (fuzzy names, lexicon, vectors, graph, category postings) of every add and remove, so the next
 * search sees the change.
 *
 * A delete keeps the invariant loadCatalog enforces, that every relation names an entity in the catalogue: the
 * deleted id is taken out of the relations of the entities that named it (found through the entity graph's
 * reverse edges, not a catalogue scan), and they are re-indexed. So the catalogue reloads after deletes, and an
 * update of a track cannot fail because its artist was deleted earlier. What was learnt about the deleted
 * entity (memory, co-engagement, profiles) stays; strategies only return ids the index still has, and an
 * entity upserted again under the same id finds it.
 */
import type { Entity } from '../catalog/entity.js';
import { validateEntity } from '../catalog/validate.js';
import { createError, type QuiverError } from '../errors.js';
import { EntityGraph } from '../retrieval/entity-graph.js';
import type { RetrievalResources } from '../retrieval/resources.js';

/** One change as the engine applies it (and as an event log would record it): entities already checked. */
export type CatalogChange = { op: 'upsert'; entities: Entity[] } | { op: 'delete'; id: string };

export interface UpsertResult {
  created: number;
  updated: number;
}

export interface DeleteResult {
  deleted: boolean;
  /** Entities whose relations named the deleted one, re-indexed without it. */
  unlinked: number;
}

export type CatalogChangeResult<C extends CatalogChange> = C extends { op: 'upsert' } ? UpsertResult : DeleteResult;

/** A problem with a batch, named by its path in the batch (`entities[2].relations.artist`). */
export interface ChangeIssue {
  field: string;
  message: string;
}

/** Rows → entities, or ENTITIES_INVALID (with every problem in `.issues`) when any row or relation is bad. */
export function checkEntityRows(rows: unknown, has: (id: string) => boolean): Entity[] {
  if (!Array.isArray(rows)) throw refusal([{ field: 'entities', message: 'must be an array of entity objects' }]);
  const issues: ChangeIssue[] = [];
  const valid: Array<{ entity: Entity; where: string }> = [];
  const firstAt = new Map<string, string>();
  rows.forEach((row, i) => {
    const where = `entities[${i}]`;
    const { entity, issues: found } = validateEntity(row, where);
    for (const issue of found) issues.push({ field: issue.field === '(row)' ? where : `${where}.${issue.field}`, message: issue.message });
    if (!entity) return;
    const first = firstAt.get(entity.id);
    if (first !== undefined) issues.push({ field: `${where}.id`, message: `repeats "${entity.id}" (also at ${first})` });
    else firstAt.set(entity.id, where);
    valid.push({ entity, where });
  });
  for (const { entity, where } of valid) {
    for (const [relation, targets] of Object.entries(entity.relations ?? {})) {
      const missing = targets.find((t) => !firstAt.has(t) && !has(t));
      if (missing !== undefined) issues.push({ field: `${where}.relations.${relation}`, message: `names entity "${missing}", which is neither in the catalogue nor in this batch` });
    }
  }
  if (issues.length > 0) throw refusal(issues);
  return valid.map((v) => v.entity);
}

/** Applies a checked change to the index the resources are built on. */
export function changeCatalog<C extends CatalogChange>(resources: RetrievalResources, change: C): CatalogChangeResult<C> {
  const index = resources.index;
  if (change.op === 'upsert') {
    const result: UpsertResult = { created: 0, updated: 0 };
    for (const entity of change.entities) {
      if (index.has(entity.id)) result.updated++;
      else result.created++;
      index.add(entity);
    }
    return result as CatalogChangeResult<C>;
  }
  const result: DeleteResult = { deleted: false, unlinked: 0 };
  if (!index.has(change.id)) return result as CatalogChangeResult<C>;
  const referrers = EntityGraph.shared(resources).referrers(change.id);
  index.remove(change.id);
  result.deleted = true;
  for (const id of referrers) {
    const entity = index.get(id);
    if (!entity) continue;
    index.add(withoutTarget(entity, change.id)); // a new object: the index removes the old one by its own terms
    result.unlinked++;
  }
  return result as CatalogChangeResult<C>;
}

/** The entity with `target` taken out of its relations (a relation left empty is dropped). */
function withoutTarget(entity: Entity, target: string): Entity {
  const relations: Record<string, string[]> = {};
  for (const [name, targets] of Object.entries(entity.relations ?? {})) {
    const kept = targets.filter((t) => t !== target);
    if (kept.length > 0) relations[name] = kept;
  }
  const { relations: _dropped, ...rest } = entity;
  return Object.keys(relations).length > 0 ? { ...rest, relations } : rest;
}

function refusal(issues: ChangeIssue[]): QuiverError {
  const err = createError('ENTITIES_INVALID', issues.length, `${issues[0].field} ${issues[0].message}`);
  return Object.assign(err, { issues });
}
