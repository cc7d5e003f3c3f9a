/**
 * Writes a seeded random subset of a catalogue (JSONL), e.g. the 20k-entity catalogue the simulator's speed
 * target is measured on:
 *
 *   npx tsx bench/sample-catalog.ts --n 20000 --seed 1 --out /tmp/catalog-20k.jsonl [--catalog data/demo/catalog.jsonl.gz]
 */
import { writeFileSync } from 'node:fs';
import { loadCatalog } from '../src/catalog/load.js';
import { demoCatalogPath } from '../src/demo.js';
import { hashString, mulberry32, shuffled } from '../src/util/random.js';
import { intFlag } from './args.js';

const args = process.argv.slice(2);
const at = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const n = intFlag('n', at('--n') ?? '20000', 1);
const seed = intFlag('seed', at('--seed') ?? '1', 0);
const out = at('--out') ?? `/tmp/catalog-${n}.jsonl`;
const { entities } = loadCatalog(at('--catalog') ?? demoCatalogPath());
const kept = shuffled(entities, mulberry32(hashString('sample', seed))).slice(0, n);
// Relations to entities left out are dropped, so the subset is a valid catalogue on its own.
const ids = new Set(kept.map((e) => e.id));
const rows = kept.map((e) => {
  if (!e.relations) return e;
  const relations = Object.fromEntries(Object.entries(e.relations).map(([name, targets]) => [name, targets.filter((id) => ids.has(id))]).filter(([, t]) => t.length > 0));
  return { ...e, relations: Object.keys(relations).length > 0 ? relations : undefined };
});
writeFileSync(out, rows.map((e) => JSON.stringify(e)).join('\n') + '\n');
console.error(`${kept.length} of ${entities.length} entities written to ${out}`);
