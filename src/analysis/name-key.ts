/**
 * Name keys: the one form in which entity names (titles, artists) and query spans are compared by the fuzzy
 * name index. Case- and diacritic-folded (normalize.ts), apostrophes dropped ("don't" → "dont", as the
 * tokeniser does), every other run of non-letters/digits turned into one space. Unlike the analyser it neither
 * stems nor splits compounds: "Jay-Z" is "jay z", and typos are measured on what people actually type.
 *
 * A title's *core* drops what catalogues append to a name: bracketed parts and a " - " suffix
 * ("Bohemian Rhapsody - Remastered 2011" → "Bohemian Rhapsody", "Shape of You (Galantis Remix)" →
 * "Shape of You"), so a query for the song can match the name without the edition.
 */
import { normalizeText } from './normalize.js';

const APOSTROPHES = /['’]/g;
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;
const BRACKETED = /[([{][^)\]}]*[)\]}]/g;
const DASH_SUFFIX = /\s[-–—]\s.*$/s;

export function nameKey(text: string): string {
  return normalizeText(text).replace(APOSTROPHES, '').replace(NOT_WORD, ' ').trim();
}

/** The title without brackets and " - " suffix, or undefined when that leaves nothing new. */
export function titleCore(title: string): string | undefined {
  const core = title.replace(DASH_SUFFIX, '').replace(BRACKETED, ' ');
  return core === title || core.trim() === '' ? undefined : core;
}

/** The tokens of a name key (split on its single spaces). */
export function nameTokens(key: string): string[] {
  return key === '' ? [] : key.split(' ');
}
