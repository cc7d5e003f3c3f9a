/**
 * Topical precision of the LSA embedder on the demo catalogue, for choosing its defaults: for queries that name
 * a mood or genre ("sad love songs", "latin dance"), the share of the top 50 tracks (and of the top 50 entities
 * of any type) that carry it, next to the share in the whole catalogue (chance). The demo has no relevance
 * judgements; its mood and genre labels are the signal available. The lexical strategy (BM25F over the same
 * catalogue, tracks only) runs beside it: the words of these queries are mostly not in the titles.
 *
 *   npx tsx bench/lsa-topical.ts ['{"singularValuePower": -1, "dimensions": 128}']   (LSA options as JSON)
 */
import { Analyzer } from '../src/analysis/analyzer.js';
import type { Entity } from '../src/catalog/entity.js';
import { loadCatalog } from '../src/catalog/load.js';
import { demoCatalogPath } from '../src/demo.js';
import { SearchIndex } from '../src/index/search-index.js';
import { dot } from '../src/semantic/embedder.js';
import { LsaEmbedder } from '../src/semantic/lsa-embedder.js';

const entities = loadCatalog(demoCatalogPath()).entities;
const started = performance.now();
const model = LsaEmbedder.train(entities, JSON.parse(process.argv[2] ?? '{}') as object, new Analyzer());
console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s: ${model.model.features.length} features, ${model.dimensions} dimensions`);
const vectors = entities.map((e) => model.embedEntity(e));
const weight = (e: Entity, attribute: string, value: string) => (e.attributes?.[attribute] as Record<string, number> | undefined)?.[value] ?? 0;

const CASES: Array<[string, (e: Entity) => boolean]> = [
  ['sad love songs', (e) => weight(e, 'mood', 'sad') > 0],
  ['chill songs', (e) => weight(e, 'mood', 'chill') > 0],
  ['chill workout songs', (e) => weight(e, 'mood', 'chill') > 0 || weight(e, 'mood', 'energetic') > 0],
  ['latin dance', (e) => weight(e, 'genre', 'latin') > 0],
  ['happy dance music', (e) => weight(e, 'mood', 'happy') > 0 && weight(e, 'mood', 'danceable') > 0],
  ['reggaeton', (e) => weight(e, 'subgenre', 'reggaeton') > 0],
  ['hard rock', (e) => weight(e, 'subgenre', 'hard rock') > 0],
];

const index = SearchIndex.build(entities);
console.log('| query | LSA, tracks: precision@50 | lexical BM25F, tracks: precision@50 (hits) | chance | LSA, any type: precision@50 | chance |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [text, relevant] of CASES) {
  const q = model.embedQuery(text);
  const cells = ['track', undefined].map((type) => {
    const pool = entities.map((_, i) => i).filter((i) => !type || entities[i].type === type);
    const top = pool.map((i) => ({ i, s: dot(q, vectors[i]) })).sort((a, b) => b.s - a.s || a.i - b.i).slice(0, 50);
    const precision = top.filter(({ i }) => relevant(entities[i])).length / top.length;
    const chance = pool.filter((i) => relevant(entities[i])).length / pool.length;
    return { precision: precision.toFixed(2), chance: chance.toFixed(2) };
  });
  const lexical = index.search(text, { k: 50, type: 'track' });
  const lexicalPrecision = lexical.filter((hit) => relevant(index.get(hit.id)!)).length / Math.max(1, lexical.length);
  const [tracks, all] = cells;
  console.log(`| ${text} | ${tracks.precision} | ${lexicalPrecision.toFixed(2)} (${lexical.length}) | ${tracks.chance} | ${all.precision} | ${all.chance} |`);
}
