/**
 * The demo: the music catalogue that ships in data/demo, indexed with settings suited to short titled entities
 * (title and artist weighted above the rest, a popularity prior). Shared by `npm start` and the tests.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from './catalog/load.js';
import type { SearchIndexOptionsInput } from './index/options.js';
import { SearchIndex } from './index/search-index.js';
import { loadSnapshot, saveSnapshot, SNAPSHOT_VERSION } from './index/snapshot.js';
import { QuiverError } from './errors.js';


export const DEMO_INDEX_OPTIONS: SearchIndexOptionsInput = {
  popularityWeight: 1,
  fields: { title: { weight: 2 }, artist: { weight: 1.5 }, album: { weight: 0.75 } },
};

/** Loads the demo index from `dir`, building and saving it first if it is missing or of an older format. */
export function demoIndex(dir: string, log: (line: string) => void = () => {}): SearchIndex {
  if (existsSync(dir)) {
    try {
      return loadSnapshot(dir);
    } catch (err) {
      if (!(err instanceof QuiverError)) throw err;
      log(`rebuilding the demo index (${err.message})`);
    }
  }
  const started = Date.now();
  const { entities } = loadCatalog(demoCatalogPath());
  const index = SearchIndex.build(entities, DEMO_INDEX_OPTIONS);
  saveSnapshot(index, dir);
  log(`built the demo index (${entities.length} entities, format v${SNAPSHOT_VERSION}) in ${((Date.now() - started) / 1000).toFixed(1)} s → ${dir}`);
  return index;
}

/** The shipped catalogue, found from both src/ (tsx) and dist/ (compiled). */
export function demoCatalogPath(): string {
  for (const rel of ['../data/demo/catalog.jsonl.gz', '../../data/demo/catalog.jsonl.gz']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('the demo catalogue data/demo/catalog.jsonl.gz is missing from this checkout');
}
