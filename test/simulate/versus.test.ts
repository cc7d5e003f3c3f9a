// The paired comparison of learned and static plans: the interval against hand-worked numbers, its coverage of a
// known true gap over many seeded samples, and the per-label bookkeeping against the plain means.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { studentT975 } from '../../src/eval/metrics.js';
import { labelVerdicts, pairedDifference, queryTextKey, versusStatics } from '../../src/simulate/versus.js';
import { gaussian, mulberry32 } from '../../src/util/random.js';

test('the paired difference: its mean, and mean ± 1.96 · sd / √n', () => {
  const d = pairedDifference([1, 2, 3, 4], [0, 0, 0, 0]);
  const halfWidth = 1.959964 * Math.sqrt(5 / 3 / 4); // sample variance of 1..4 is 5/3
  assert.equal(d.delta, 2.5);
  assert.ok(Math.abs(d.low - (2.5 - halfWidth)) < 1e-12 && Math.abs(d.high - (2.5 + halfWidth)) < 1e-12);
  assert.equal(d.queries, 4);
  // A gap that is the same on every query is certain; pairing removes what the two runs share.
  const shared = [0.1, 0.9, 0.4, 0.7, 0.3];
  const constant = pairedDifference(shared.map((x) => x + 0.05), shared);
  assert.ok(Math.abs(constant.delta - 0.05) < 1e-12 && constant.high - constant.low < 1e-12, JSON.stringify(constant));
  assert.deepEqual(pairedDifference([5, 1, 9], [0, 0, 0], [1]).delta, 1);
  assert.ok(Number.isNaN(pairedDifference([], []).delta));
  assert.throws(() => pairedDifference([1], [1, 2]), /differ in length/);
});

test('the 95% interval covers the true gap in about 95% of seeded samples', () => {
  const random = mulberry32(42);
  const trials = 600;
  let covered = 0;
  for (let trial = 0; trial < trials; trial++) {
    // Per-query scores with a large shared part (query difficulty) and a true gap of 0.02.
    const base = Array.from({ length: 300 }, () => random());
    const a = base.map((x) => x + 0.02 + 0.1 * gaussian(random));
    const b = base.map((x) => x + 0.1 * gaussian(random));
    const d = pairedDifference(a, b);
    if (d.low <= 0.02 && 0.02 <= d.high) covered++;
  }
  assert.ok(covered / trials > 0.93 && covered / trials < 0.97, `covered ${covered} of ${trials}`);
});

test('every learned planner against every static one, overall and per label', () => {
  const labels = ['x', 'y', 'x', 'y', 'x'];
  const runs = [
    { planner: 'learned', kind: 'learned' as const, values: [1, 0, 1, 0.5, 1] },
    { planner: 'one', kind: 'static' as const, values: [0, 1, 0, 0, 0] },
    { planner: 'two', kind: 'static' as const, values: [1, 0, 1, 0.5, 1] },
  ];
  const versus = versusStatics(runs, labels);
  assert.deepEqual(Object.keys(versus), ['learned']);
  const [one, two] = versus.learned;
  assert.equal(one.against, 'one');
  assert.equal(one.overall.delta, (3.5 - 1) / 5);
  assert.equal(one.by_label.x.delta, 1);
  assert.equal(one.by_label.y.delta, -0.25);
  assert.equal(one.by_label.x.queries, 3);
  assert.equal(one.labels_won, 1);
  assert.equal(one.labels_won_significantly, 1, 'x: won by 1 on every query');
  assert.equal(one.labels_lost_significantly, 0, 'y: two queries that disagree');
  assert.deepEqual([two.overall.delta, two.labels_won, two.labels_won_significantly, two.labels_lost_significantly], [0, 0, 0, 0]);
});

test('clustered by text: one query per text is the plain standard error; repeats of a text widen it', () => {
  const a = [0.9, 0.1, 0.5, 0.7, 0.2, 0.6];
  const b = [0.4, 0.3, 0.1, 0.2, 0.2, 0.1];
  const plain = pairedDifference(a, b);
  const unique = pairedDifference(a, b, undefined, ['a', 'b', 'c', 'd', 'e', 'f']);
  const t5 = studentT975(5);
  assert.ok(Math.abs((unique.high - unique.delta) / t5 - (plain.high - plain.delta) / 1.959964) < 1e-12, 'same standard error');
  assert.equal(unique.texts, 6);
  // Hand-worked: texts x = {0, 1, 2}, y = {3, 4, 5}; differences 0.5, −0.2, 0.4 | 0.5, 0, 0.5; mean 0.283…
  const twoTexts = pairedDifference(a, b, undefined, ['x', 'x', 'x', 'y', 'y', 'y']);
  const m = 1.7 / 6;
  const rx = 0.7 - 3 * m;
  const ry = 1.0 - 3 * m;
  const se = Math.sqrt(2 * (rx * rx + ry * ry)) / 6;
  assert.ok(Math.abs(twoTexts.delta - m) < 1e-12);
  assert.ok(Math.abs(twoTexts.high - (m + 12.706 * se)) < 1e-9, JSON.stringify(twoTexts));
  assert.equal(twoTexts.texts, 2);
  assert.ok(Number.isNaN(pairedDifference([1, 2], [0, 0], undefined, ['same', 'same']).low), 'one text: no interval');
  assert.throws(() => pairedDifference([1, 2], [0, 0], undefined, ['only one']), /differ in length/);
  assert.equal(queryTextKey('  Love   Songs '), 'love songs');
  assert.ok(Math.abs(studentT975(1000) - 1.9623) < 1e-3 && Math.abs(studentT975(31) - 2.0395) < 1e-3);
});

test('with texts that recur and share their luck, the clustered interval keeps 95% coverage where the per-query one does not', () => {
  const random = mulberry32(7);
  const trials = 400;
  let plainCovered = 0;
  let clusteredCovered = 0;
  for (let trial = 0; trial < trials; trial++) {
    // 60 texts, 5 searches each; each text's gap carries a shared draw (what was learnt from its first search).
    const texts: string[] = [];
    const a: number[] = [];
    const b: number[] = [];
    for (let c = 0; c < 60; c++) {
      const shared = 0.2 * gaussian(random);
      for (let i = 0; i < 5; i++) {
        texts.push(`text ${c}`);
        b.push(random());
        a.push(b[b.length - 1] + 0.02 + shared + 0.05 * gaussian(random));
      }
    }
    const plain = pairedDifference(a, b);
    const clustered = pairedDifference(a, b, undefined, texts);
    if (plain.low <= 0.02 && 0.02 <= plain.high) plainCovered++;
    if (clustered.low <= 0.02 && 0.02 <= clustered.high) clusteredCovered++;
  }
  assert.ok(plainCovered / trials < 0.8, `per query covered ${plainCovered} of ${trials}`);
  assert.ok(clusteredCovered / trials > 0.92 && clusteredCovered / trials < 0.98, `clustered covered ${clusteredCovered} of ${trials}`);
});

test('versusStatics clusters by the texts it is given', () => {
  const labels = ['x', 'x', 'x', 'x'];
  const runs = [
    { planner: 'learned', kind: 'learned' as const, values: [1, 1, 0, 0.5] },
    { planner: 'one', kind: 'static' as const, values: [0, 0, 0, 0] },
  ];
  const [plain] = versusStatics(runs, labels).learned;
  const [clustered] = versusStatics(runs, labels, ['p', 'p', 'q', 'q']).learned;
  assert.equal(clustered.overall.delta, plain.overall.delta);
  assert.equal(clustered.by_label.x.texts, 2);
  assert.equal(plain.by_label.x.texts, undefined);
  assert.ok(clustered.overall.high - clustered.overall.low > plain.overall.high - plain.overall.low);
});

test('label verdicts: won only above every static plan, lost when below any, else tied', () => {
  const d = (delta: number, half: number) => ({ delta, low: delta - half, high: delta + half, queries: 10 });
  const rows = [
    { against: 'one', overall: d(0, 1), by_label: { a: d(0.5, 0.1), b: d(0.2, 0.1), c: d(-0.3, 0.1) }, labels_won: 0, labels_won_significantly: 0, labels_lost_significantly: 0 },
    { against: 'two', overall: d(0, 1), by_label: { a: d(0.4, 0.1), b: d(0.1, 0.2), c: d(-0.1, 0.05) }, labels_won: 0, labels_won_significantly: 0, labels_lost_significantly: 0 },
  ];
  const v = labelVerdicts(rows);
  assert.deepEqual([v.a.verdict, v.a.against, v.a.difference.delta], ['won', 'two', 0.4]);
  assert.deepEqual([v.b.verdict, v.b.against], ['tied', 'two'], 'above one, level with two');
  assert.deepEqual([v.c.verdict, v.c.against], ['lost', 'one'], 'below both; one is the further below');
  assert.deepEqual(labelVerdicts([]), {});
});
