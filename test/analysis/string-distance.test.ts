// The bounded OSA distance and Jaro–Winkler against plain textbook implementations (fast-check, seeded).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { boundedOsaDistance, CharBag, jaroWinkler } from '../../src/analysis/string-distance.js';
import { editDistance } from '../helpers/edit-distance.js';

/** Jaro–Winkler as usually written, with arrays. */
function jaroWinklerReference(a: string, b: string): number {
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const usedA = new Array<boolean>(a.length).fill(false);
  const usedB = new Array<boolean>(b.length).fill(false);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j <= Math.min(b.length - 1, i + window); j++) {
      if (!usedB[j] && a[i] === b[j]) {
        usedA[i] = usedB[j] = true;
        m++;
        break;
      }
    }
  }
  if (m === 0) return 0;
  const ma = [...a].filter((_, i) => usedA[i]);
  const mb = [...b].filter((_, j) => usedB[j]);
  const t = ma.filter((c, i) => c !== mb[i]).length / 2;
  const jaro = (m / a.length + m / b.length + (m - t) / m) / 3;
  let l = 0;
  while (l < 4 && l < a.length && l < b.length && a[l] === b[l]) l++;
  return jaro + 0.1 * l * (1 - jaro);
}

// Small alphabets make near-misses, repeats and transpositions common.
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', ' '), maxLength: 12 });

test('bounded OSA equals min(full OSA, bound + 1) for every bound', () => {
  fc.assert(
    fc.property(word, word, fc.integer({ min: 0, max: 6 }), (a, b, k) => {
      assert.equal(boundedOsaDistance(a, b, k), Math.min(editDistance(a, b), k + 1));
    }),
    { seed: 42, numRuns: 3000 },
  );
});

test('bounded OSA: known values (a transposition is one edit, OSA is not a metric)', () => {
  assert.equal(boundedOsaDistance('tayler swift', 'taylor swift', 3), 1);
  assert.equal(boundedOsaDistance('beyonse', 'beyonce', 2), 1);
  assert.equal(boundedOsaDistance('teh', 'the', 1), 1);
  assert.equal(boundedOsaDistance('ca', 'abc', 5), 3); // true Damerau–Levenshtein gives 2
  assert.equal(boundedOsaDistance('kitten', 'sitting', 1), 2);
  assert.equal(boundedOsaDistance('', 'abc', 3), 3);
  assert.equal(boundedOsaDistance('long string here', 'x', 2), 3);
});

test('Jaro–Winkler equals the reference, lies in [0, 1], and is symmetric', () => {
  fc.assert(
    fc.property(word, word, (a, b) => {
      const jw = jaroWinkler(a, b);
      assert.ok(Math.abs(jw - jaroWinklerReference(a, b)) < 1e-12, `${a} / ${b}`);
      assert.ok(jw >= 0 && jw <= 1);
      assert.ok(Math.abs(jw - jaroWinkler(b, a)) < 1e-12);
    }),
    { seed: 7, numRuns: 3000 },
  );
  assert.ok(Math.abs(jaroWinkler('martha', 'marhta') - 0.9611111111) < 1e-9);
  assert.equal(jaroWinkler('same', 'same'), 1);
});

test('the bag distance is the multiset difference and never exceeds the OSA distance', () => {
  const bag = new CharBag();
  fc.assert(
    fc.property(word, word, (a, b) => {
      bag.set(a);
      const rest = [...b];
      let common = 0;
      for (const c of a) {
        const at = rest.indexOf(c);
        if (at >= 0) {
          rest.splice(at, 1);
          common++;
        }
      }
      assert.equal(bag.lowerBound(b), Math.max(a.length - common, b.length - common));
      assert.ok(bag.lowerBound(b) <= editDistance(a, b));
      assert.equal(bag.lowerBound(b), bag.lowerBound(b), 'the bag is unchanged by a look-up');
    }),
    { seed: 11, numRuns: 2000 },
  );
});
