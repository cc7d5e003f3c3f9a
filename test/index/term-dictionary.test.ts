// The term dictionary against a plain Map: string and range look-ups, through growth and rehashing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TermDictionary } from '../../src/index/term-dictionary.js';

test('the term dictionary agrees with a Map, by string and by character range', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', '東', '1'), maxLength: 6 }), { maxLength: 3000 }), (words) => {
      const dict = new TermDictionary();
      const oracle = new Map<string, number>();
      for (const w of words) {
        if (!oracle.has(w)) {
          assert.equal(dict.get(w), -1);
          oracle.set(w, dict.add(w));
        }
        assert.equal(dict.get(w), oracle.get(w));
        const text = `<${w}>`;
        assert.equal(dict.getRange(text, 1, 1 + w.length), oracle.get(w));
      }
      assert.equal(dict.size, oracle.size);
      for (const [w, id] of oracle) assert.equal(dict.texts[id], w);
      assert.equal(dict.getRange('xyz-not-there', 0, 13), -1);
    }),
    { numRuns: 60, seed: 3 },
  );
});

test('the term dictionary keeps every id through many rehashes', () => {
  const dict = new TermDictionary();
  for (let i = 0; i < 50_000; i++) assert.equal(dict.add(`t${i.toString(36)}`), i);
  for (let i = 0; i < 50_000; i += 7) {
    const term = `t${i.toString(36)}`;
    assert.equal(dict.get(term), i);
    assert.equal(dict.getRange(` ${term} `, 1, 1 + term.length), i);
  }
  assert.equal(dict.get('nope'), -1);
});
