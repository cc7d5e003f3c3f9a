/**
 * Lexical features read straight from the inverted index for each candidate (no search is re-run): one cursor per
 * query term walks the candidates in doc order (galloping `advance`), and each hit's per-field term frequencies
 * give, with the index's own idf, k1 and length-normalisation tables (src/index/bm25f.ts):
 *
 *   bm25f          Σ_t qtf · idf · sat(tf~): the index's BM25F score without the popularity prior, summed in the
 *                  order explain sums it, so it equals explain's value minus the prior;
 *   bm25f.<field>  the field's share of it: each term's value split in proportion to the field's part of tf~
 *                  (the shares add up to bm25f: "how much of the score came from the title");
 *   bm25.<field>   the field scored alone, Σ_t qtf · idf · sat(w_f · tf_f / norm_f): what the field says on its
 *                  own, unsaturated by the other fields (BM25F saturates once across fields, so the share of a
 *                  field that repeats another's words is small even when it matches fully);
 *   match.<field>  the share of the query's terms the field holds;
 *   bm25f.coverage the share of the query's terms the entity holds anywhere.
 * Fields are fixed when the set is built (the index's at that time); a field added later is not a feature.
 */
import { idf, saturate } from '../../index/bm25f.js';
import { NO_MORE_DOCS, TermCursor } from '../../index/cursor.js';
import type { SearchIndex } from '../../index/search-index.js';
import type { FeatureBatch, FeatureDef, FeatureGroup, FeatureSink } from './feature-group.js';

export class Bm25fFeatures implements FeatureGroup {
  readonly name = 'bm25f';
  readonly features: FeatureDef[];

  constructor(
    private readonly index: SearchIndex,
    readonly fields: readonly string[],
  ) {
    this.features = [
      { name: 'bm25f', description: "the index's BM25F score, without the popularity prior" },
      { name: 'bm25f.coverage', description: "share of the query's index terms the entity holds in any field" },
      ...fields.flatMap((f) => [
        { name: `bm25f.${f}`, description: `the ${f} field's share of the BM25F score (the shares add up to bm25f)` },
        { name: `bm25.${f}`, description: `BM25 of the ${f} field alone (its weight, b and the index's k1 and idf)` },
        { name: `match.${f}`, description: `share of the query's index terms found in the ${f} field` },
      ]),
    ];
  }

  fill(batch: FeatureBatch, sink: FeatureSink): void {
    const index = this.index;
    const terms = index.queryTerms(batch.query.raw);
    if (terms.length === 0) return; // every value stays 0
    const ctx = index.scoringContext();
    const inv = ctx.index;
    const norms = ctx.norms.get(inv, ctx.params);
    const k1 = ctx.params.k1;
    // Column of each index field (−1: not a feature).
    const column = inv.fieldNames.map((name) => {
      const at = this.fields.indexOf(name);
      return at < 0 ? -1 : 2 + 3 * at;
    });
    const n = batch.docs.length;
    const order = Array.from(batch.docs.keys()).sort((a, b) => batch.docs[a] - batch.docs[b]);
    const fieldCount = inv.fieldCount;
    const partial = new Float64Array(fieldCount); // per-field w_f · tf_f / norm_f of the current (term, doc)
    const total = new Float64Array(n);
    const matchedTerms = new Float64Array(n);
    const { values, stride, offset } = sink;
    for (const { term, count } of terms) {
      const weight = count * idf(inv.liveCount, inv.df[term]);
      const cursor = new TermCursor(inv.base, term, inv.delta[term]);
      for (const i of order) {
        const doc = batch.docs[i];
        cursor.advance(doc);
        if (cursor.doc === NO_MORE_DOCS) break;
        if (cursor.doc !== doc) continue;
        partial.fill(0);
        for (const { field, tf } of cursor.fieldTfs()) partial[field] += tf * norms[field][inv.lengths[field][doc]];
        const pseudoTf = cursor.pseudoTf(norms);
        const value = weight * saturate(k1, pseudoTf);
        total[i] += value;
        matchedTerms[i]++;
        const base = i * stride + offset;
        for (let f = 0; f < fieldCount; f++) {
          if (partial[f] === 0 || column[f] < 0) continue;
          values[base + column[f]] += (value * partial[f]) / pseudoTf;
          values[base + column[f] + 1] += weight * saturate(k1, partial[f]);
          values[base + column[f] + 2] += 1 / terms.length;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      values[i * stride + offset] = total[i];
      values[i * stride + offset + 1] = matchedTerms[i] / terms.length;
    }
  }
}
