// Reads the lexical strategy's explanation (src/index/explain.ts: a Lucene-style tree) into a per-term, per-field
// BM25F breakdown the why panel can show as tables. Anything it does not recognise is left to the generic tree.
import type { Explanation } from '../shared/api.js';

export interface FieldMatch {
  field: string;
  /** weight · tf / norm: this field's part of tf~. */
  value: number;
  weight?: number;
  tf?: number;
  length?: number;
  avgLength?: number;
  norm?: number;
}

export interface TermMatch {
  term: string;
  /** The term's BM25F score: qtf · idf · (k1 + 1) · tf~ / (k1 + tf~). */
  value: number;
  idf?: number;
  k1?: number;
  tfTilde?: number;
  fields: FieldMatch[];
}

export interface Bm25fBreakdown {
  total: number;
  terms: TermMatch[];
  /** The popularity prior added to the terms' sum. */
  prior?: number;
}

const part = (e: Explanation, prefix: string) => e.details.find((d) => d.description.startsWith(prefix));

function fieldMatch(e: Explanation): FieldMatch | undefined {
  const name = /^field "(.*)":/.exec(e.description)?.[1];
  if (name === undefined) return undefined;
  return {
    field: name, value: e.value, weight: part(e, 'weight,')?.value, tf: part(e, 'tf,')?.value,
    length: part(e, 'length,')?.value, avgLength: part(e, 'avgLength,')?.value, norm: part(e, 'norm,')?.value,
  };
}

function termMatch(e: Explanation): TermMatch | undefined {
  const term = /^weight\((.*)\), BM25F/.exec(e.description)?.[1];
  if (term === undefined) return undefined;
  const tfTilde = part(e, 'tf~');
  return {
    term, value: e.value, idf: part(e, 'idf')?.value, k1: part(e, 'k1')?.value, tfTilde: tfTilde?.value,
    fields: (tfTilde?.details ?? []).map(fieldMatch).filter((f): f is FieldMatch => f !== undefined),
  };
}

/** The breakdown, or undefined when the explanation is not a BM25F match (e.g. "no query term matches"). */
export function bm25fBreakdown(explanation: Explanation): Bm25fBreakdown | undefined {
  const terms = explanation.details.map(termMatch).filter((t): t is TermMatch => t !== undefined);
  if (terms.length === 0) return undefined;
  return { total: explanation.value, terms, prior: part(explanation, 'popularity prior')?.value };
}
