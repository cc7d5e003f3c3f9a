/**
 * BM25F (Robertson & Zaragoza 2009, "simple BM25F"): per-field weighted, per-field length-normalised term
 * frequencies are summed into one pseudo-frequency, then saturated once:
 *
 *   tf~(t,d) = Σ_f w_f · tf_f(t,d) / (1 − b_f + b_f · len_f(d) / avglen_f)
 *   score(q,d) = Σ_{t∈q} qtf(t) · idf(t) · (k1 + 1) · tf~ / (k1 + tf~)   [+ popularity prior]
 *   idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5))
 *
 * Saturating once across fields is the point of BM25F: a term repeated in title and album is not counted as two
 * independent pieces of evidence. So k1 is one per index, while weight and b are per field.
 */
import type { InvertedIndex } from './inverted-index.js';

export interface FieldParams {
  weight: number;
  b: number;
}

export interface Bm25fParams {
  k1: number;
  /** Parameters of each field, by field number of the index. */
  fields: FieldParams[];
  popularityWeight: number;
}

export function idf(liveCount: number, df: number): number {
  return Math.log(1 + (liveCount - df + 0.5) / (df + 0.5));
}

export function saturate(k1: number, pseudoTf: number): number {
  return ((k1 + 1) * pseudoTf) / (k1 + pseudoTf);
}

/** The length-normalisation denominator of one field. */
export function lengthNorm(b: number, length: number, averageLength: number): number {
  return averageLength > 0 ? 1 - b + (b * length) / averageLength : 1;
}

/**
 * Per-field lookup tables w_f / norm(len) for every length up to the longest seen (Lucene's trick of caching the
 * norm for each encoded length): scoring an entry is then one multiply and one load. Rebuilt only when the
 * collection statistics change.
 */
export class NormTables {
  private tables: Float64Array[] = [];
  private builtFor = -1;
  private builtParams: Bm25fParams | undefined;

  get(index: InvertedIndex, params: Bm25fParams): Float64Array[] {
    if (this.builtFor === index.version && this.builtParams === params && this.tables.length === index.fieldCount) {
      return this.tables;
    }
    this.tables = [];
    for (let f = 0; f < index.fieldCount; f++) {
      const { weight, b } = params.fields[f];
      const avg = index.averageLength(f);
      const table = new Float64Array(index.maxLengths[f] + 1);
      for (let len = 0; len < table.length; len++) table[len] = weight / lengthNorm(b, len, avg);
      this.tables.push(table);
    }
    this.builtFor = index.version;
    this.builtParams = params;
    return this.tables;
  }
}

/**
 * An upper bound of tf~ for a term over every document. Always valid: each field's largest tf at that field's
 * shortest length (both kept per (term, field) as documents are added). Tighter when the term has no entries
 * outside the base segment: the exact maximum found when the blocks were built, scaled for drift since.
 */
export function pseudoTfBound(index: InvertedIndex, term: number, norms: Float64Array[], blockScale: number): number {
  const stride = index.fieldCount;
  let bound = 0;
  for (let f = 0; f < stride; f++) {
    const maxTf = index.termFieldMaxTf[term * stride + f];
    if (maxTf > 0) bound += maxTf * norms[f][index.termFieldMinLen[term * stride + f]];
  }
  const blocks = index.base.blocks;
  if (index.delta[term] === undefined && term < blocks.termMaxPseudoTf.length) {
    const exact = blocks.termMaxPseudoTf[term] * blockScale;
    if (exact < bound) return exact;
  }
  return bound;
}

/** The popularity prior's share of a score: w · ln(1 + pop) / ln(1 + maxPop), in [0, w]. */
export function popularityPrior(weight: number, popularity: number, maxPopularity: number): number {
  if (weight === 0 || maxPopularity <= 0) return 0;
  return (weight * Math.log1p(popularity)) / Math.log1p(maxPopularity);
}
