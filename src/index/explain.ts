/**
 * Score explanations in the Lucene/Tantivy shape: a tree of (value, description, details) whose root value is
 * the document's score, computed with the same arithmetic as the scorer so the two always agree.
 */
import { idf, lengthNorm, popularityPrior, saturate } from './bm25f.js';
import { TermCursor } from './cursor.js';
import type { QueryTerm, ScoringContext } from './maxscore.js';

export interface Explanation {
  value: number;
  description: string;
  details: Explanation[];
}

const leaf = (value: number, description: string): Explanation => ({ value, description, details: [] });

export function explainMatch(ctx: ScoringContext, terms: QueryTerm[], doc: number, termText: (t: number) => string): Explanation {
  const { index, params } = ctx;
  const norms = ctx.norms.get(index, params);
  const details: Explanation[] = [];
  let total = 0;
  let matched = false;
  const N = index.liveCount;
  for (const { term, count } of terms) {
    const cursor = new TermCursor(index.base, term, index.delta[term]);
    cursor.advance(doc);
    if (cursor.doc !== doc) continue;
    matched = true;
    const df = index.df[term];
    const termIdf = idf(N, df);
    const pseudoTf = cursor.pseudoTf(norms);
    const value = count * termIdf * saturate(params.k1, pseudoTf);
    total += value;
    const fieldDetails = cursor.fieldTfs().map(({ field, tf }) => {
      const { weight, b } = params.fields[field];
      const length = index.lengths[field][doc];
      const avg = index.averageLength(field);
      return {
        value: tf * norms[field][length],
        description: `field "${index.fieldNames[field]}": weight · tf / (1 − b + b · length / avgLength)`,
        details: [
          leaf(weight, 'weight, field boost'),
          leaf(tf, 'tf, occurrences of the term in the field'),
          leaf(b, 'b, length normalisation parameter'),
          leaf(length, 'length, terms in the field'),
          leaf(avg, 'avgLength, average field length'),
          leaf(lengthNorm(b, length, avg), 'norm, 1 − b + b · length / avgLength'),
        ],
      };
    });
    details.push({
      value,
      description: `weight(${termText(term).replace(/^\u0001.*\u0001/, '')}), BM25F: qtf · idf · (k1 + 1) · tf~ / (k1 + tf~)`,
      details: [
        leaf(count, 'qtf, occurrences of the term in the query'),
        {
          value: termIdf,
          description: 'idf, ln(1 + (N − df + 0.5) / (df + 0.5))',
          details: [leaf(N, 'N, live documents'), leaf(df, 'df, documents containing the term')],
        },
        leaf(params.k1, 'k1, term saturation parameter'),
        { value: pseudoTf, description: 'tf~, weighted length-normalised term frequency summed over fields', details: fieldDetails },
      ],
    });
  }
  if (!matched) return leaf(0, 'no query term matches this document');
  const prior = popularityPrior(params.popularityWeight, ctx.popularity[doc], ctx.maxPopularity);
  if (params.popularityWeight > 0) {
    details.push({
      value: prior,
      description: 'popularity prior, w · ln(1 + popularity) / ln(1 + maxPopularity)',
      details: [
        leaf(params.popularityWeight, 'w, prior weight'),
        leaf(ctx.popularity[doc], 'popularity'),
        leaf(ctx.maxPopularity, 'maxPopularity, largest in the index'),
      ],
    });
  }
  return { value: prior + total, description: 'sum of:', details };
}
