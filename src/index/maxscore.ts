/**
 * Exact top-k by MaxScore (Turtle & Flood 1995), document at a time. Query terms are ordered by their score
 * upper bound; once the k-th best score θ exceeds the summed bounds of the weakest terms, those terms become
 * "non-essential": no document containing only them can enter the top k, so candidates come from the essential
 * terms alone and the others are only probed (by skipping) for documents that may still make it.
 */
import { idf, NormTables, popularityPrior, pseudoTfBound, saturate, type Bm25fParams } from './bm25f.js';
import { NO_MORE_DOCS, TermCursor } from './cursor.js';
import type { InvertedIndex } from './inverted-index.js';
import { TopK } from './top-k.js';

export interface QueryTerm {
  term: number;
  /** How often the term occurs in the query. */
  count: number;
}

export interface TopKRequest {
  terms: QueryTerm[];
  k: number;
  /** Only documents for which this returns true are scored. */
  accept?: (doc: number) => boolean;
}

export interface ScoringContext {
  index: InvertedIndex;
  params: Bm25fParams;
  norms: NormTables;
  popularity: Float64Array;
  maxPopularity: number;
}

// Bounds and scores are sums of the same terms in different orders; the slack keeps rounding from pruning a tie.
const SLACK = 1e-9;

export function topKMaxScore(ctx: ScoringContext, request: TopKRequest): Array<{ doc: number; score: number }> {
  const { index, params } = ctx;
  const heap = new TopK(request.k);
  if (request.k === 0 || request.terms.length === 0) return [];
  const norms = ctx.norms.get(index, params);
  const k1 = params.k1;

  const terms = request.terms
    .map(({ term, count }) => {
      const weight = count * idf(index.liveCount, index.df[term]);
      return { cursor: new TermCursor(index.base, term, index.delta[term]), weight, bound: weight * saturate(k1, pseudoTfBound(index, term, norms)) };
    })
    .sort((a, b) => a.bound - b.bound);
  const n = terms.length;
  const cursors = terms.map((t) => t.cursor);
  const weights = terms.map((t) => t.weight);
  // prefix[i]: the most terms 0..i can add together.
  const prefix = new Float64Array(n);
  for (let i = 0, sum = 0; i < n; i++) prefix[i] = sum += terms[i].bound;

  const priorWeight = params.popularityWeight;
  const priorBound = priorWeight > 0 && ctx.maxPopularity > 0 ? priorWeight : 0;
  const { live, lengths } = index;
  const accept = request.accept;
  let firstEssential = 0;
  let threshold = -Infinity;

  while (firstEssential < n) {
    let doc = NO_MORE_DOCS;
    for (let i = firstEssential; i < n; i++) if (cursors[i].doc < doc) doc = cursors[i].doc;
    if (doc === NO_MORE_DOCS) break;

    if (!live[doc] || (accept && !accept(doc))) {
      for (let i = firstEssential; i < n; i++) if (cursors[i].doc === doc) cursors[i].nextDoc();
      continue;
    }
    let score = priorBound > 0 ? popularityPrior(priorWeight, ctx.popularity[doc], ctx.maxPopularity) : 0;
    for (let i = firstEssential; i < n; i++) {
      const cursor = cursors[i];
      if (cursor.doc === doc) {
        score += weights[i] * saturate(k1, cursor.pseudoTf(norms, lengths));
        cursor.nextDoc();
      }
    }
    let pruned = false;
    for (let i = firstEssential - 1; i >= 0; i--) {
      if (score + prefix[i] < threshold - SLACK * Math.abs(threshold)) {
        pruned = true;
        break;
      }
      const cursor = cursors[i];
      cursor.advance(doc);
      if (cursor.doc === doc) score += weights[i] * saturate(k1, cursor.pseudoTf(norms, lengths));
    }
    if (pruned || !heap.offer(score, doc) || !heap.full) continue;
    threshold = heap.threshold;
    const bar = threshold - SLACK * Math.abs(threshold);
    while (firstEssential < n && prefix[firstEssential] + priorBound < bar) firstEssential++;
  }
  return heap.sorted();
}
