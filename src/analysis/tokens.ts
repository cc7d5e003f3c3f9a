/**
 * One field's analysed tokens, in either of two forms: plain strings, or character ranges of one (lower-cased)
 * text plus the few tokens that are not a range of it (joined compounds such as "dont" from "don't"). The range
 * form lets the index look terms up without allocating a string per token.
 */
export interface RangeTokens {
  text: string;
  /** start, end pairs: token i is text.slice(bounds[2i], bounds[2i + 1]). */
  bounds: number[];
  extra: string[];
}

export type FieldTokens = string[] | RangeTokens;

export function tokenCount(tokens: FieldTokens): number {
  return Array.isArray(tokens) ? tokens.length : tokens.bounds.length / 2 + tokens.extra.length;
}

export function tokenStrings(tokens: FieldTokens): string[] {
  if (Array.isArray(tokens)) return tokens;
  const out: string[] = [];
  for (let i = 0; i < tokens.bounds.length; i += 2) out.push(tokens.text.slice(tokens.bounds[i], tokens.bounds[i + 1]));
  return out.concat(tokens.extra);
}
