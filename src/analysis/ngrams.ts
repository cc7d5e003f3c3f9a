/**
 * Character n-grams of a term, padded with boundary markers so that prefixes and suffixes are distinct grams
 * ("love" → "$lo", "lov", "ove", "ve$" for n = 3). The fuzzy strategy generates typo candidates from these.
 */
export function charNgrams(term: string, n = 3, pad = '$'): string[] {
  const chars = Array.from(`${pad}${term}${pad}`);
  if (chars.length <= n) return [chars.join('')];
  const out: string[] = [];
  for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(''));
  return out;
}
