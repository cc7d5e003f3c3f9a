import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { charNgrams } from '../../src/analysis/ngrams.js';
import { normalizeText } from '../../src/analysis/normalize.js';
import fc from 'fast-check';
import { tokenize, tokenizeAnyScript } from '../../src/analysis/tokenize.js';

test('normalisation folds width, case and Latin diacritics but keeps other scripts intact', () => {
  assert.equal(normalizeText('Beyoncé ＬＯＶＥ Straße Øresund'), 'beyonce love strasse oresund');
  assert.equal(normalizeText('हिन्दी'), 'हिन्दी'); // Devanagari vowel signs are letters' parts, not accents
  assert.equal(normalizeText('Ελληνικά'), 'ελληνικα');
});

test('tokenisation handles apostrophes, hyphens, digits and CJK', () => {
  assert.deepEqual(tokenize("don't stop believin'"), ['dont', 'stop', 'believin']);
  assert.deepEqual(tokenize('jay-z'), ['jay', 'z', 'jayz']);
  assert.deepEqual(tokenize('1,000 ways 2.0 24k'), ['1000', 'ways', '2.0', '24k']);
  assert.deepEqual(tokenize('東京事変'), ['東京', '京事', '事変']);
  assert.deepEqual(tokenize('москва, 2020!'), ['москва', '2020']);
  assert.deepEqual(tokenize('  ...  '), []);
});

test('stemming and stop words are options, each checked at set-up', () => {
  assert.deepEqual(new Analyzer().analyze('The Running Runners'), ['the', 'run', 'runner']);
  assert.deepEqual(new Analyzer({ stem: 'none', stopWords: 'english' }).analyze('The Running Runners'), ['running', 'runners']);
  assert.throws(() => new Analyzer({ stem: 'klingon' as never }), /option "analyzer.stem" is "klingon"; it must be one of "none", "english"/);
});

test('character n-grams are padded at the boundaries', () => {
  assert.deepEqual(charNgrams('love'), ['$lo', 'lov', 'ove', 've$']);
  assert.deepEqual(charNgrams('a'), ['$a$']);
});

test('the ASCII fast path tokenises exactly like the general path', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'ab9Z \'-.,!?_/&()"\t\n'.split('')), maxLength: 40 }), (text) => {
      assert.deepEqual(tokenize(text), tokenizeAnyScript(text));
    }),
    { numRuns: 3000, seed: 1 },
  );
});
