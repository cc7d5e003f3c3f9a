/**
 * Ad-hoc retrieval evaluation: index a BEIR collection, run every judged query, and average nDCG@10, MAP
 * (over the top 1000), MRR@10 and Recall@100, with the time per query.
 */
import { SearchIndex } from '../index/search-index.js';
import type { SearchIndexOptionsInput } from '../index/options.js';
import { readBeir } from './beir.js';
import { averagePrecision, mean, ndcgAt, recallAt, reciprocalRankAt } from './metrics.js';

export interface AdhocReport {
  queries: number;
  'ndcg@10': number;
  map: number;
  'mrr@10': number;
  'recall@100': number;
  ms_per_query: number;
}

export function evaluateAdhoc(dir: string, fields: string[] = ['title', 'text'], options: SearchIndexOptionsInput = {}): AdhocReport {
  const { docs, queries, qrels } = readBeir(dir, fields);
  const index = SearchIndex.build(docs, options);
  const ndcg: number[] = [];
  const ap: number[] = [];
  const rr: number[] = [];
  const recall: number[] = [];
  let elapsed = 0;
  for (const [qid, judged] of qrels) {
    const text = queries.get(qid);
    if (text === undefined || ![...judged.values()].some((g) => g > 0)) continue;
    const start = process.hrtime.bigint();
    const ranked = index.search(text, { k: 1000 }).map((h) => h.id);
    elapsed += Number(process.hrtime.bigint() - start) / 1e6;
    ndcg.push(ndcgAt(ranked, judged, 10));
    ap.push(averagePrecision(ranked, judged));
    rr.push(reciprocalRankAt(ranked, judged, 10));
    recall.push(recallAt(ranked, judged, 100));
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return {
    queries: ndcg.length,
    'ndcg@10': round(mean(ndcg)),
    map: round(mean(ap)),
    'mrr@10': round(mean(rr)),
    'recall@100': round(mean(recall)),
    ms_per_query: round(elapsed / Math.max(1, ndcg.length)),
  };
}
