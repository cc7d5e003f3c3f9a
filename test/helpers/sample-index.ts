// A sample of the demo catalogue in an index of its own, for tests that change the catalogue (the shared demo index
// must not change under other tests): every 8th entity, its relations kept to entities in the sample.
import type { Entity } from '../../src/catalog/entity.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { demoCatalogPath } from '../../src/demo.js';
import { SearchIndex } from '../../src/index/search-index.js';

export function sampleIndex(every = 8): SearchIndex {
  const kept = loadCatalog(demoCatalogPath()).entities.filter((_, i) => i % every === 0);
  const ids = new Set(kept.map((e) => e.id));
  const closed = kept.map((e): Entity => {
    const relations = Object.entries(e.relations ?? {}).map(([name, targets]) => [name, targets.filter((t) => ids.has(t))] as const).filter(([, t]) => t.length > 0);
    return { ...e, relations: relations.length > 0 ? Object.fromEntries(relations) : undefined };
  });
  return SearchIndex.build(closed, { popularityWeight: 1 });
}
