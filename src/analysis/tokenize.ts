/**
 * Tokenisation of normalised text into index terms.
 * - Words are runs of letters, marks and digits in any script.
 * - Apostrophes inside a word are dropped ("don't" → "dont"), so queries typed without them still match.
 * - Hyphenated words give their parts and the joined form ("jay-z" → "jay", "z", "jayz").
 * - Digit groups: "1,000" → "1000"; a decimal point between digits is kept ("2.0").
 * - Han, Hiragana and Katakana are written without spaces, so their runs become overlapping character bigrams
 *   (the CJK analyser approach of Lucene), a lone character becoming a unigram.
 */

import { NON_ASCII } from './normalize.js';

const TOKEN_RE = /[\p{L}\p{M}\p{N}]+(?:['’\-.,][\p{L}\p{M}\p{N}]+)*/gu;
const CJK_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/u;
const CJK_SPLIT_RE = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+)/u;
const HAS_SEPARATOR = /['’\-.,]/;

/** `ascii`: the caller already knows whether the text is pure ASCII (saves a scan). */
export function tokenize(normalized: string, out: string[] = [], ascii = !NON_ASCII.test(normalized)): string[] {
  return ascii ? tokenizeAscii(normalized, out) : tokenizeAnyScript(normalized, out);
}

/** The general path, for text in any script (and the oracle the ASCII fast path is tested against). */
export function tokenizeAnyScript(normalized: string, out: string[] = []): string[] {
  for (const match of normalized.matchAll(TOKEN_RE)) {
    const raw = match[0];
    if (!HAS_SEPARATOR.test(raw)) {
      if (CJK_RE.test(raw)) pushCjk(raw, out);
      else out.push(raw);
      continue;
    }
    pushCompound(raw, out);
  }
  return out;
}

// Character classes for the ASCII fast path: 1 = letter or digit, 2 = a separator that may join two words.
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[a-zA-Z0-9]/.test(ch)) ASCII_CLASS[c] = 1;
  else if ("'-.,".includes(ch)) ASCII_CLASS[c] = 2;
}

/** The same tokens as the regular-expression path, for ASCII text, without allocating match objects. */
function tokenizeAscii(text: string, out: string[]): string[] {
  scanAscii(
    text,
    (start, end) => out.push(text.slice(start, end)),
    (raw) => pushCompound(raw, out),
  );
  return out;
}

/** ASCII tokens as character ranges (for the index's range look-ups); compounds become strings in `extra`. */
export function tokenizeAsciiRanges(text: string, bounds: number[], extra: string[]): void {
  scanAscii(
    text,
    (start, end) => bounds.push(start, end),
    (raw) => pushCompound(raw, extra),
  );
}

/** Finds ASCII words: a plain word is reported as a range, one with inner separators as a compound. */
function scanAscii(text: string, onWord: (start: number, end: number) => void, onCompound: (raw: string) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && ASCII_CLASS[text.charCodeAt(i)] !== 1) i++;
    if (i >= n) break;
    const start = i;
    let compound = false;
    for (;;) {
      while (i < n && ASCII_CLASS[text.charCodeAt(i)] === 1) i++;
      // A separator joins only when a letter or digit follows it.
      if (i + 1 < n && ASCII_CLASS[text.charCodeAt(i)] === 2 && ASCII_CLASS[text.charCodeAt(i + 1)] === 1) {
        compound = true;
        i++;
        continue;
      }
      break;
    }
    if (compound) onCompound(text.slice(start, i));
    else onWord(start, i);
  }
}

const SPLITTING_SEPARATOR = /[\-.,]/;

function pushCompound(raw: string, out: string[]): void {
  // The common case, "don't": apostrophes only, which just join.
  if (!SPLITTING_SEPARATOR.test(raw)) {
    const word = raw.replace(/['’]/g, '');
    if (CJK_RE.test(word)) pushCjk(word, out);
    else out.push(word);
    return;
  }
  // Apostrophes join; digit separators join; what remains is split on hyphens and stray dots/commas.
  const joined = raw
    .replace(/['’]/g, '')
    .replace(/(\p{N}),(?=\p{N})/gu, '$1')
    .replace(/(\p{N})\.(?=\p{N})/gu, '$1\u0000');
  const parts = joined.split(/[\-.,]+/).filter((p) => p.length > 0).map((p) => p.replace(/\u0000/g, '.'));
  for (const part of parts) {
    if (CJK_RE.test(part)) pushCjk(part, out);
    else out.push(part);
  }
  if (parts.length > 1 && raw.includes('-')) out.push(parts.join(''));
}

function pushCjk(word: string, out: string[]): void {
  for (const segment of word.split(CJK_SPLIT_RE)) {
    if (segment.length === 0) continue;
    if (!CJK_RE.test(segment)) {
      out.push(segment);
      continue;
    }
    const chars = Array.from(segment);
    if (chars.length === 1) out.push(chars[0]);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  }
}
