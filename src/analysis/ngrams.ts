/**
 * Character n-grams of a term, padded with boundary markers so that prefixes and suffixes are distinct grams
 * ("love" → "$lo", "lov", "ove", "ve$" for n = 3). The fuzzy name index and the speller generate typo
 * candidates from these (src/index/trigram-index.ts reads them as ranges of the padded text, no string each).
 */
export const NGRAM_PAD = '$';

/** The text whose windows of n characters are the term's padded n-grams (one marker on each side). */
export function padForNgrams(term: string, pad = NGRAM_PAD): string {
  return `${pad}${term}${pad}`;
}

/** The padded n-grams as strings, over code points (so a character outside the BMP stays one character). */
export function charNgrams(term: string, n = 3, pad = NGRAM_PAD): string[] {
  const chars = Array.from(padForNgrams(term, pad));
  if (chars.length <= n) return [chars.join('')];
  const out: string[] = [];
  for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(''));
  return out;
}
