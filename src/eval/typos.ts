/**
 * Realistic misspellings for generated queries: the errors people make typing names on a QWERTY keyboard
 * (a key next to the intended one, two letters swapped, a letter dropped or doubled) and spelling by ear
 * (ph/f, c/k, ie/ei, y/i, …). Each operation costs at most two single-character edits, never touches a word's
 * first letter (people rarely get that wrong, and fuzzy matchers rely on it too) and only edits ASCII words of
 * four letters or more, chosen with probability proportional to their length (long words get misspelled).
 */

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Letters next to each letter on a QWERTY keyboard (same row and the rows above and below). */
const ADJACENT: Record<string, string> = (() => {
  const out: Record<string, string> = {};
  KEYBOARD_ROWS.forEach((row, r) => {
    for (let c = 0; c < row.length; c++) {
      let near = (row[c - 1] ?? '') + (row[c + 1] ?? '');
      // Rows are staggered: a key touches the keys at c and c+1 of the row above, c−1 and c of the row below.
      const above = KEYBOARD_ROWS[r - 1];
      const below = KEYBOARD_ROWS[r + 1];
      if (above) near += (above[c] ?? '') + (above[c + 1] ?? '');
      if (below) near += (below[c - 1] ?? '') + (below[c] ?? '');
      out[row[c]] = near;
    }
  });
  return out;
})();

/** Sound-alike spellings, each way round. */
const PHONETIC: ReadonlyArray<[string, string]> = [
  ['ph', 'f'], ['f', 'ph'], ['ck', 'k'], ['c', 'k'], ['k', 'c'], ['ie', 'ei'], ['ei', 'ie'], ['y', 'i'], ['i', 'y'],
  ['s', 'z'], ['z', 's'], ['or', 'er'], ['er', 'or'], ['ee', 'ea'], ['ea', 'ee'], ['ou', 'ow'], ['x', 'ks'],
];

export type TypoKind = 'adjacent' | 'transpose' | 'drop' | 'double' | 'phonetic';
const KINDS: TypoKind[] = ['adjacent', 'transpose', 'drop', 'double', 'phonetic'];

const EDITABLE = /^[a-z]{4,}$/;

/** One typo of the given kind in `word` (position ≥ 1), or undefined when that kind cannot apply. */
export function applyTypo(word: string, kind: TypoKind, random: () => number): string | undefined {
  const at = 1 + Math.floor(random() * (word.length - 1));
  switch (kind) {
    case 'adjacent': {
      const near = ADJACENT[word[at]];
      if (!near) return undefined;
      return word.slice(0, at) + near[Math.floor(random() * near.length)] + word.slice(at + 1);
    }
    case 'transpose': {
      const i = Math.min(at, word.length - 2);
      if (i < 1 || word[i] === word[i + 1]) return undefined;
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    }
    case 'drop':
      return word.slice(0, at) + word.slice(at + 1);
    case 'double':
      return word.slice(0, at) + word[at] + word.slice(at);
    case 'phonetic': {
      const options: Array<[number, string, string]> = [];
      for (const [from, to] of PHONETIC) {
        for (let i = word.indexOf(from, 1); i >= 1; i = word.indexOf(from, i + 1)) options.push([i, from, to]);
      }
      if (options.length === 0) return undefined;
      const [i, from, to] = options[Math.floor(random() * options.length)];
      return word.slice(0, i) + to + word.slice(i + from.length);
    }
  }
}

/**
 * `text` (lower-case words separated by spaces) with `edits` typos (1 or 2) in its long ASCII words, or
 * undefined when it has no such word. The result always differs from `text`.
 */
export function misspell(text: string, random: () => number, edits = 1): string | undefined {
  const words = text.split(' ');
  for (let e = 0; e < edits; e++) {
    const editable = words.map((w, i) => [w, i] as const).filter(([w]) => EDITABLE.test(w));
    if (editable.length === 0) return undefined;
    let r = random() * editable.reduce((sum, [w]) => sum + w.length, 0);
    let chosen = editable[editable.length - 1][1];
    for (const [w, i] of editable) {
      r -= w.length;
      if (r < 0) {
        chosen = i;
        break;
      }
    }
    // Try kinds in a random order until one applies and changes the word.
    const start = Math.floor(random() * KINDS.length);
    for (let k = 0; k < KINDS.length; k++) {
      const typo = applyTypo(words[chosen], KINDS[(start + k) % KINDS.length], random);
      if (typo !== undefined && typo !== words[chosen]) {
        words[chosen] = typo;
        break;
      }
    }
  }
  const out = words.join(' ');
  return out === text ? undefined : out;
}
