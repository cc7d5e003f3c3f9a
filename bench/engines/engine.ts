/**
 * The one interface every in-process engine adapter implements, so the driver builds and times them all the
 * same way. Xapian runs out of process (bench/engines/xapian.ts) and reports its own measurements instead.
 */
import type { Entity } from '../../src/catalog/entity.js';

export interface Engine {
  readonly name: string;
  /** How the engine is configured, for the report (tokenisation, matching, what it stores). */
  readonly notes: string;
  build(docs: readonly Entity[]): void | Promise<void>;
  /** Ids of the top k documents, best first. May return a promise (Orama); the driver awaits only then. */
  search(query: string, k: number): string[] | Promise<string[]>;
}

/** Searchable text fields, the same four for every engine. */
export const FIELDS = ['title', 'artist', 'album', 'genre'] as const;

/** A field's text: `title` is top-level on an Entity, the others sit under `fields`. */
export function fieldText(doc: Entity, field: string): string {
  if (field === 'title') return doc.title;
  const v = doc.fields?.[field];
  return Array.isArray(v) ? v.join(' ') : (v ?? '');
}
