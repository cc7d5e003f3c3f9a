/**
 * MiniSearch adapter: fields title/artist/album/genre, nothing stored (storeFields empty), default search
 * options (OR of terms, no prefix, no fuzzy, no boosts). MiniSearch has no top-k: it scores and sorts every
 * match, and slicing the first k is part of its timed cost.
 */
import MiniSearch from 'minisearch';
import type { Entity } from '../../src/catalog/entity.js';
import { type Engine, FIELDS, fieldText } from './engine.js';

export function miniSearchEngine(): Engine {
  let index: MiniSearch<Entity> | undefined;
  return {
    name: 'minisearch',
    notes: 'fields title/artist/album/genre, no storeFields, default search (OR, no prefix/fuzzy/boost)',
    build(docs) {
      index = new MiniSearch<Entity>({ fields: [...FIELDS], storeFields: [], extractField: (doc, field) => (field === 'id' ? doc.id : fieldText(doc, field)) });
      index.addAll(docs);
    },
    search(query, k) {
      const results = index!.search(query);
      const ids: string[] = new Array(Math.min(k, results.length));
      for (let i = 0; i < ids.length; i++) ids[i] = results[i].id as string;
      return ids;
    },
  };
}
