/**
 * Quiver adapter: SearchIndex.build over the entities, then search(q, { k }). Options are the index defaults
 * (BM25F k1 1.2, b 0.75, every field weight 1, case and diacritic folding, no stop words) except stemming, which
 * is off so that Quiver matches exactly the terms the other engines match (music titles and names gain little
 * from it). The index module is imported lazily so that runs of the other engines do not depend on it.
 *
 * Quiver is measured as its users run it, and as MiniSearch and Orama are measured here: the compiled package
 * (dist/, which `npm ci` builds; `npm run build` after changing src/). Run through tsx's on-the-fly transform,
 * the same code builds about 40% slower.
 */
import type { SearchIndexOptionsInput } from '../../src/index/options.js';
import { existsSync } from 'node:fs';
import type { Engine } from './engine.js';

export const QUIVER_OPTIONS: SearchIndexOptionsInput = { analyzer: { stem: 'none' } };

export async function quiverEngine(): Promise<Engine> {
  const dist = new URL('../../dist/index.js', import.meta.url);
  if (!existsSync(dist)) throw new Error('dist/ is missing: run `npm run build` first (npm ci does it too)');
  const { SearchIndex } = (await import(dist.href)) as typeof import('../../src/index.js');
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
