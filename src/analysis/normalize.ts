/**
 * Text normalisation: Unicode NFKC (so full-width and ligature forms match their plain forms), case folding and
 * diacritic folding ("Beyoncé" → "beyonce"). Only Latin-range combining marks are stripped: the marks of scripts
 * such as Devanagari or Thai carry vowels, and removing them would merge different words.
 */

const LATIN_COMBINING = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

// Letters that do not decompose under NFD but that people type without their stroke or ligature.
const SPECIAL_FOLDS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ł: 'l', ı: 'i', ĸ: 'k', ŋ: 'n', ħ: 'h',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL_FOLDS).join('')}]`, 'g');
// Fast path: plain ASCII needs only lower-casing.
export const NON_ASCII = /[^\x00-\x7f]/;

export interface NormalizeOptions {
  foldCase: boolean;
  foldDiacritics: boolean;
}

export function normalizeText(text: string, options: NormalizeOptions = { foldCase: true, foldDiacritics: true }): string {
  if (!NON_ASCII.test(text)) return options.foldCase ? text.toLowerCase() : text;
  let out = text.normalize('NFKC');
  if (options.foldCase) out = out.toLowerCase();
  if (options.foldDiacritics) {
    out = out.normalize('NFD').replace(LATIN_COMBINING, '').normalize('NFC');
    out = out.replace(SPECIAL_RE, (ch) => SPECIAL_FOLDS[ch] ?? ch);
  }
  return out;
}
