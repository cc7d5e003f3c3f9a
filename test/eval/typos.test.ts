import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyTypo, misspell, type TypoKind } from '../../src/eval/typos.js';
import { mulberry32 } from '../../src/util/random.js';
import { editDistance } from '../helpers/edit-distance.js';

const words = fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));

test('a misspelling differs by 1–2 edits per typo, keeps every first letter and the word count', () => {
  fc.assert(
    fc.property(words, fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(1, 2), (text, seed, edits) => {
      const out = misspell(text, mulberry32(seed), edits);
      if (out === undefined) return; // no word of four letters or more, or two typos that cancelled out
      const distance = editDistance(text, out);
      assert.ok(distance >= 1 && distance <= 2 * edits, `${text} → ${out}: ${distance}`);
      const [before, after] = [text.split(' '), out.split(' ')];
      assert.equal(after.length, before.length);
      before.forEach((w, i) => assert.equal(after[i][0], w[0]));
    }),
    { numRuns: 2000 },
  );
});

test('each kind of typo makes the error it names', () => {
  const random = () => 0.5;
  const cases: Array<[TypoKind, string, string]> = [
    ['adjacent', 'swift', 'switt'], // f → t, a key above it
    ['transpose', 'swift', 'switf'],
    ['drop', 'swift', 'swit'],
    ['double', 'swift', 'swifft'],
    ['phonetic', 'swift', 'swyft'],
    ['phonetic', 'phoenix', 'phoeniks'],
  ];
  for (const [kind, word, expected] of cases) assert.equal(applyTypo(word, kind, random), expected, kind);
  assert.equal(applyTypo('taylor', 'phonetic', () => 0.99), 'tayler');
  assert.equal(misspell('a bc def', Math.random), undefined);
});
