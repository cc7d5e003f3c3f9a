/**
 * Which writing system a query is in, and for Latin-script queries a guess at the language from function words.
 * Cheap signals for the policy and the ranker: a Japanese query wants different strategies than an English one,
 * and the analyser's English stemming means less for Spanish. Deliberately small: a wrong guess says "unknown".
 */

export type Script = 'latin' | 'cyrillic' | 'greek' | 'arabic' | 'hebrew' | 'devanagari' | 'han' | 'kana' | 'hangul' | 'thai' | 'other' | 'none';

const SCRIPT_TESTS: Array<[Exclude<Script, 'other' | 'none'>, RegExp]> = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['han', /\p{Script=Han}/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['thai', /\p{Script=Thai}/u],
];

/** The script most of the query's letters are written in; 'none' when it has no letters. */
export function detectScript(text: string): Script {
  const counts = new Map<Script, number>();
  let letters = 0;
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    letters++;
    const found = SCRIPT_TESTS.find(([, re]) => re.test(ch));
    const script = found ? found[0] : 'other';
    counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  if (letters === 0) return 'none';
  // Japanese mixes kana and Han: any kana makes it Japanese rather than Chinese.
  if ((counts.get('kana') ?? 0) > 0) return 'kana';
  let best: Script = 'other';
  let bestCount = 0;
  for (const [script, count] of counts) if (count > bestCount) [best, bestCount] = [script, count];
  return best;
}

/** Function words that mark a Latin-script language; the words in the query vote. */
const FUNCTION_WORDS: Record<string, readonly string[]> = {
  en: ['the', 'and', 'of', 'my', 'you', 'me', 'for', 'by', 'to', 'in', 'songs', 'love', 'your', 'with', 'i'],
  es: ['el', 'la', 'los', 'las', 'de', 'y', 'mi', 'que', 'con', 'por', 'para', 'canciones', 'amor', 'tu', 'del'],
  fr: ['le', 'la', 'les', 'de', 'et', 'mon', 'ma', 'des', 'pour', 'avec', 'chansons', 'amour', 'du', 'je'],
  de: ['der', 'die', 'das', 'und', 'mein', 'ich', 'mit', 'für', 'von', 'lieder', 'liebe', 'ein', 'nicht'],
  pt: ['o', 'a', 'os', 'as', 'de', 'e', 'meu', 'minha', 'com', 'para', 'musicas', 'amor', 'do', 'da', 'voce'],
  it: ['il', 'lo', 'la', 'gli', 'di', 'e', 'mio', 'con', 'per', 'canzoni', 'amore', 'che', 'del'],
};

/**
 * An ISO 639-1 guess for a Latin-script query from its function words ('unknown' on no votes or a tie), or the
 * script's usual language for scripts that have one.
 */
export function guessLanguage(tokens: readonly string[], script: Script): string {
  const byScript: Partial<Record<Script, string>> = { cyrillic: 'ru', greek: 'el', arabic: 'ar', hebrew: 'he', devanagari: 'hi', kana: 'ja', han: 'zh', hangul: 'ko', thai: 'th' };
  if (script !== 'latin') return byScript[script] ?? 'unknown';
  let best = 'unknown';
  let bestVotes = 0;
  let tie = false;
  for (const [language, words] of Object.entries(FUNCTION_WORDS)) {
    const votes = tokens.filter((t) => words.includes(t)).length;
    if (votes > bestVotes) [best, bestVotes, tie] = [language, votes, false];
    else if (votes === bestVotes && votes > 0) tie = true;
  }
  return tie ? 'unknown' : best;
}
