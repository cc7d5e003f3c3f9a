/**
 * Orama adapter: schema title + fields.{artist,album,genre} (nested, so the entities go in as they are),
 * insertMultiple, search with limit k and otherwise Orama's defaults: OR of terms (threshold 1), no stemming,
 * no stop words, and prefix matching, which Orama cannot switch off without its case-sensitive `exact`
 * post-filter. Orama keeps the inserted documents in its own store (by reference to the corpus objects here).
 */
import { create, insertMultiple, search, type AnyOrama, type Results } from '@orama/orama';
import type { Engine } from './engine.js';

const SCHEMA = { title: 'string', fields: { artist: 'string', album: 'string', genre: 'string' } } as const;

export function oramaEngine(): Engine {
  let db: AnyOrama | undefined;
  const ids = (r: Results<unknown>): string[] => r.hits.map((h) => h.id);
  return {
    name: 'orama',
    notes: 'nested schema title/fields.*, insertMultiple, search limit k, defaults (OR, prefix match, no stemming/stop words)',
    async build(docs) {
      db = create({ schema: SCHEMA });
      // The corpus' `fields` is typed as a generic record; its keys are the schema's.
      await insertMultiple(db, docs as unknown as Parameters<typeof insertMultiple>[1]);
    },
    search(query, k) {
      const r = search(db!, { term: query, limit: k });
      return r instanceof Promise ? r.then(ids) : ids(r);
    },
  };
}
