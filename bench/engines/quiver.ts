/**
 * Quiver adapter: SearchIndex.build over the entities, then search(q, { k }). Options are the index defaults
 * (BM25F k1 1.2, b 0.75, every field weight 1, case and diacritic folding, no stop words) except stemming, which
 * is off so that Quiver matches exactly the terms the other engines match (music titles and names gain little
 * from it). The index module is imported lazily so that runs of the other engines do not depend on it.
 */
import type { SearchIndexOptionsInput } from '../../src/index/options.js';
import type { Engine } from './engine.js';

export const QUIVER_OPTIONS: SearchIndexOptionsInput = { analyzer: { stem: 'none' } };

export async function quiverEngine(): Promise<Engine> {
  const { SearchIndex } = await import('../../src/index/search-index.js');
  let index: InstanceType<typeof SearchIndex> | undefined;
  return {
    name: 'quiver',
    notes: 'SearchIndex defaults (BM25F k1=1.2, b=0.75, field weights 1, block-max MaxScore top-k), stemming off',
    build(docs) {
      index = SearchIndex.build(docs, QUIVER_OPTIONS);
    },
    search(query, k) {
      const hits = index!.search(query, { k });
      const ids: string[] = new Array(hits.length);
      for (let i = 0; i < hits.length; i++) ids[i] = hits[i].id;
      return ids;
    },
  };
}
