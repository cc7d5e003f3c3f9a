/**
 * Writes the demo catalogue scaled to N entities as JSONL, for the load test and anything else that needs a
 * bigger catalogue on disk (`quiver index`, `quiver serve --catalog`):
 *
 *   npx tsx bench/scale-catalog.ts [--n 100000] [--seed 42] [--out /tmp/catalog-100000.jsonl]
 *
 * The variants are bench/catalog-corpus.ts's (the one the strategy benchmark measures on): seeded copies of
 * the demo with new ids, renamed artists, titles with a word swapped or added, jittered popularity, earlier
 * release dates, and relations kept inside each copy, so every relation resolves and search cost grows with N
 * as it would with real data sharing the demo's vocabulary. Below 62,058 it is a prefix of the demo.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Entity } from '../src/catalog/entity.js';
import { loadCatalog } from '../src/catalog/load.js';
import { demoCatalogPath } from '../src/demo.js';
import { intFlag } from './args.js';
import { scaledCatalog } from './catalog-corpus.js';

/** The scaled catalogue written to `out` as JSONL (one entity per line); returns the entities. */
export function writeScaledCatalog(n: number, seed: number, out: string): Entity[] {
  const entities = scaledCatalog(loadCatalog(demoCatalogPath()).entities, n, seed);
  writeFileSync(out, entities.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return entities;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values: args } = parseArgs({ options: { n: { type: 'string', default: '100000' }, seed: { type: 'string', default: '42' }, out: { type: 'string' } } });
  const n = intFlag('n', args.n, 1);
  const seed = intFlag('seed', args.seed, 0);
  const out = args.out ?? `/tmp/catalog-${n}.jsonl`;
  const started = Date.now();
  const entities = writeScaledCatalog(n, seed, out);
  console.error(`${entities.length} entities (seed ${seed}) written to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
