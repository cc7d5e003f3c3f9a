// The trigram index reports exactly the strings a brute-force scan finds within k edits, bulk-built or grown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { boundedOsaDistance } from '../../src/analysis/string-distance.js';
import { TrigramIndex } from '../../src/index/trigram-index.js';

const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', ' '), minLength: 1, maxLength: 14 });

/** A string and a typo'd copy of it (so queries have close matches), or an unrelated one. */
const typo = (s: string, at: number, kind: number): string => {
  const i = at % (s.length + 1);
  if (kind === 0) return s.slice(0, i) + 'x' + s.slice(i + 1);
  if (kind === 1) return s.slice(0, i) + s.slice(i + 1);
  if (kind === 2) return s.slice(0, i) + 'b' + s.slice(i);
  return i + 1 < s.length ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s;
};

function search(index: TrigramIndex, q: string, k: number): string[] {
  const out: string[] = [];
  index.search(q, k, (id, d) => {
    assert.equal(d, boundedOsaDistance(q, index.text(id), k));
    out.push(index.text(id));
  });
  return out.sort();
}

const bruteForce = (strings: Iterable<string>, q: string, k: number) => [...new Set(strings)].filter((s) => boundedOsaDistance(q, s, k) <= k).sort();

test('search equals a brute-force scan, with count filtering and with the fallback scan', () => {
  fc.assert(
    fc.property(
      fc.array(word, { minLength: 1, maxLength: 60 }),
      fc.array(word, { maxLength: 30 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 })), { minLength: 1, maxLength: 10 }),
      fc.boolean(),
      (bulk, live, queries, probe) => {
        const index = new TrigramIndex();
        if (probe) index.probeCost = 0; // probe every long list it may, to test that path too
        for (const s of bulk) index.addBulk(s);
        index.compact();
        for (const s of live) index.add(s);
        const all = [...bulk, ...live];
        for (const [pick, at, kind, k] of queries) {
          const q = typo(all[pick % all.length], at, kind);
          if (q === '') continue; // an empty query matches nothing by definition
          assert.deepEqual(search(index, q, k), bruteForce(all, q, k), `"${q}" k=${k}`);
          const safe = index.safeEdits(q);
          assert.deepEqual(search(index, q, safe), bruteForce(all, q, safe), `"${q}" safe k=${safe}`);
        }
      },
    ),
    { seed: 1234, numRuns: 300 },
  );
});

test('strings added one by one are found before and after the chains are merged', () => {
  const index = new TrigramIndex();
  const words = Array.from({ length: 2000 }, (_, i) => `name ${i.toString(36)} swift`);
  for (const w of words) index.add(w);
  assert.deepEqual(search(index, 'name 1a swfit', 1), ['name 1a swift']);
  assert.deepEqual(search(index, 'name 1a swfit', 2), bruteForce(words, 'name 1a swfit', 2));
  index.compact();
  assert.deepEqual(search(index, 'name 1a swfit', 1), ['name 1a swift']);
  assert.deepEqual(search(index, 'name 1a swfit', 2), bruteForce(words, 'name 1a swfit', 2));
  assert.equal(index.add('name 1a swift'), index.id('name 1a swift'));
  assert.equal(index.add(''), -1);
  assert.equal(index.add('x'.repeat(300)), -1);
});

test('safeEdits leaves a positive count threshold: ⌊(distinct trigrams − 1) / 4⌋', () => {
  const index = new TrigramIndex();
  assert.equal(index.safeEdits('love'), 0);
  assert.equal(index.safeEdits('queen'), 1);
  assert.equal(index.safeEdits('tayler swift'), 2);
  assert.equal(index.safeEdits('aaaaaaaaa'), 0); // $aa, aaa, aa$
});
