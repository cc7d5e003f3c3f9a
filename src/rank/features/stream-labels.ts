/**
 * Graded relevance labels for a generated query stream (src/eval/stream-generator.ts), whose events name the
 * entities that would satisfy the user (targets) but no grades. The scheme, for offline judged sets:
 *
 *   4  a target;
 *   1  not a target, but by an artist of a target, or the artist of a target, or a target artist's work
 *      (the user asked for "Bohemian Rhapsody": Queen, and Queen's other songs, are not wrong, just not it);
 *   0  anything else.
 *
 * Artists are known by id: an artist entity is its own artist; other entities name theirs in the `artist`
 * relation. An entity without either is only ever 4 or 0.
 */
import type { Entity } from '../../catalog/entity.js';
import type { SearchIndex } from '../../index/search-index.js';

export const TARGET_GRADE = 4;
export const SAME_ARTIST_GRADE = 1;

function artistsOf(entity: Entity | undefined): readonly string[] {
  if (!entity) return [];
  return entity.type === 'artist' ? [entity.id] : (entity.relations?.artist ?? []);
}

/** One grade per id, by the scheme above. */
export function streamGrades(index: SearchIndex, targets: readonly string[], ids: readonly string[]): Float64Array {
  const targetSet = new Set(targets);
  const targetArtists = new Set(targets.flatMap((t) => artistsOf(index.get(t))));
  return Float64Array.from(ids, (id) => {
    if (targetSet.has(id)) return TARGET_GRADE;
    return artistsOf(index.get(id)).some((a) => targetArtists.has(a)) ? SAME_ARTIST_GRADE : 0;
  });
}
