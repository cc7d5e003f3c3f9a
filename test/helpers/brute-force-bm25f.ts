/**
 * A naive BM25F oracle: re-analyses every live entity and scores it straight from the formula, with no index
 * structures at all. The inverted index's MaxScore top-k must agree with it.
 */
import type { Entity } from '../../src/catalog/entity.js';
import { searchableFields } from '../../src/catalog/entity.js';
import { matchesFilters, type Filter } from '../../src/index/filters.js';
import type { SearchIndex } from '../../src/index/search-index.js';

export interface OracleHit {
  id: string;
  doc: number;
  score: number;
}

export function bruteForceSearch(index: SearchIndex, live: Entity[], query: string, k: number, filters: Filter[] = [], type?: string): OracleHit[] {
  const opts = index.options;
  const analyzed = live.map((e) => {
    const fields: Record<string, string[]> = {};
    for (const [name, text] of Object.entries(searchableFields(e))) {
      const fo = opts.fields[name] ?? opts.defaultField;
      if (fo.weight > 0) fields[name] = index.analyzeField(name, text);
    }
    return { entity: e, fields };
  });
  const N = live.length;
  const totals = new Map<string, number>();
  for (const { fields } of analyzed) for (const [f, terms] of Object.entries(fields)) totals.set(f, (totals.get(f) ?? 0) + Math.min(terms.length, 65535));
  const df = new Map<string, number>();
  for (const { fields } of analyzed) {
    const seen = new Set(Object.values(fields).flat());
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const queryCounts = new Map<string, number>();
  // The query is analysed once per analyser group (fields sharing an analyser share a prefix).
  const groups = new Map([...totals.keys()].map((f) => [index.analyzerFor(f).prefix, f] as const));
  for (const field of groups.values()) {
    const { analyzer, prefix } = index.analyzerFor(field);
    for (const t of analyzer.analyze(query).map((x) => prefix + x)) if (df.has(t)) queryCounts.set(t, (queryCounts.get(t) ?? 0) + 1);
  }
  let maxPop = 0;
  // The index keeps the largest popularity ever added (a documented property), so the oracle reads it from there.
  maxPop = index.maxPopularity;

  const hits: OracleHit[] = [];
  for (const { entity, fields } of analyzed) {
    if (type !== undefined && entity.type !== type) continue;
    if (!matchesFilters(entity, filters)) continue;
    let score = 0;
    let matched = false;
    for (const [term, qtf] of queryCounts) {
      let pseudo = 0;
      for (const [f, terms] of Object.entries(fields)) {
        const tf = terms.filter((x) => x === term).length;
        if (tf === 0) continue;
        const fo = opts.fields[f] ?? opts.defaultField;
        const len = Math.min(terms.length, 65535);
        const avg = totals.get(f)! / N;
        pseudo += (fo.weight * tf) / (avg > 0 ? 1 - fo.b + (fo.b * len) / avg : 1);
      }
      if (pseudo === 0) continue;
      matched = true;
      const d = df.get(term)!;
      const idf = Math.log(1 + (N - d + 0.5) / (d + 0.5));
      score += qtf * idf * ((opts.k1 + 1) * pseudo) / (opts.k1 + pseudo);
    }
    if (!matched) continue;
    if (opts.popularityWeight > 0 && maxPop > 0) score += (opts.popularityWeight * Math.log1p(entity.popularity ?? 0)) / Math.log1p(maxPop);
    hits.push({ id: entity.id, doc: index.docId(entity.id)!, score });
  }
  hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return hits.slice(0, k);
}
