/**
 * Phrase keys: how catalogue names and query spans are compared for slot tagging. The fuzzy name index's name
 * key (folded, apostrophes dropped, other non-word runs to one space: "Don't" → "dont", "Hip-Hop" → "hip hop"),
 * so exact and fuzzy slots live in one key space.
 */
import { nameKey, nameTokens } from '../analysis/name-key.js';

export function phraseWords(text: string): string[] {
  return nameTokens(nameKey(text));
}

export function phraseKey(text: string): string {
  return nameKey(text);
}
