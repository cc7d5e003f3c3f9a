// The paired comparison of learned and static plans: the interval against hand-worked numbers, its coverage of a
// known true gap over many seeded samples, and the per-label bookkeeping against the plain means.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedDifference, versusStatics } from '../../src/simulate/versus.js';
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
