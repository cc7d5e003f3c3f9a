/**
 * Phrase keys: how catalogue names and query spans are compared for slot tagging. Folded text split into
 * words at anything that is not a letter or digit, apostrophes dropped ("Don't" → "dont", "Hip-Hop" → "hip hop"),
 * so a name and a query span match exactly when their words do.
 */
import { normalizeText } from '../analysis/normalize.js';

const APOSTROPHES = /['’ʼ`]/g;
const NON_WORD = /[^\p{L}\p{N}]+/u;

export function phraseWords(text: string): string[] {
  return normalizeText(text).replace(APOSTROPHES, '').split(NON_WORD).filter((w) => w.length > 0);
}

export function phraseKey(text: string): string {
  return phraseWords(text).join(' ');
}
