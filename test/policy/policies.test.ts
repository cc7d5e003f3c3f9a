// The retrieval policies on a synthetic contextual linear bandit whose truth is known, and their statistics
// against naive normal equations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinearStats } from '../../src/policy/linear-stats.js';
import { EpsilonGreedyPolicy, LinearThompsonPolicy, LinUcbPolicy, type Policy, UniformPolicy } from '../../src/policy/policy.js';
import { gaussian, mulberry32 } from '../../src/util/random.js';

/** (λI + Σxxᵀ)⁻¹ Σrx by Gaussian elimination with partial pivoting: the oracle. */
function naiveRidge(xs: number[][], rs: number[], lambda: number): number[] {
  const d = xs[0].length;
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d + 1 }, (_, j) => (j === i ? lambda : 0)));
  xs.forEach((x, n) => {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) a[i][j] += x[i] * x[j];
      a[i][d] += rs[n] * x[i];
    }
  });
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= d; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row, i) => row[d] / row[i]);
}

describe('linear statistics', () => {
  const random = mulberry32(3);
  const d = 6;
  const xs = Array.from({ length: 40 }, () => Array.from({ length: d }, () => gaussian(random)));
  const rs = xs.map((x) => x[0] - 2 * x[3] + 0.1 * gaussian(random));

  test('the ridge estimate equals the normal equations solved naively', () => {
    const stats = new LinearStats(d, 0.5);
    xs.forEach((x, i) => stats.add(x, rs[i]));
    const expected = naiveRidge(xs, rs, 0.5);
    stats.theta().forEach((t, i) => assert.ok(Math.abs(t - expected[i]) < 1e-9, `${t} vs ${expected[i]}`));
  });

  test('statistics learnt on two halves merge into those of the whole, and round-trip through JSON', () => {
    const whole = new LinearStats(d);
    const a = new LinearStats(d);
    const b = new LinearStats(d);
    xs.forEach((x, i) => {
      whole.add(x, rs[i]);
      (i % 2 ? a : b).add(x, rs[i]);
    });
    a.merge(b);
    const copy = LinearStats.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    whole.theta().forEach((t, i) => assert.ok(Math.abs(t - copy.theta()[i]) < 1e-12));
    assert.equal(copy.n, whole.n);
  });

  test('a posterior draw with z = 0 is the estimate; uncertainty shrinks with data', () => {
    const stats = new LinearStats(d);
    const x = xs[0];
    const before = stats.uncertainty(x);
    xs.forEach((row, i) => stats.add(row, rs[i]));
    assert.deepEqual([...stats.sample(1, new Float64Array(d))], [...stats.theta()]);
    assert.ok(stats.uncertainty(x) < before / 5);
  });
});

/** A bandit with K arms: reward = θ_k · x + noise, x shared by the arms; returns total regret over T rounds. */
function run(policy: Policy, seed: number, rounds = 1500) {
  const truth = mulberry32(99);
  const d = 5;
  const thetas = Array.from({ length: 4 }, () => Array.from({ length: d }, () => gaussian(truth)));
  const world = mulberry32(seed);
  const choices = mulberry32(seed + 1);
  let regret = 0;
  const picks: string[] = [];
  for (let t = 0; t < rounds; t++) {
    const x = Float64Array.from({ length: d }, (_, i) => (i === 0 ? 1 : gaussian(world)));
    const values = thetas.map((theta) => theta.reduce((s, w, i) => s + w * x[i], 0));
    const decision = policy.choose(values.map((_, k) => ({ arm: `s${k}`, x })), choices);
    const k = Number(decision.arm.slice(1));
    assert.ok(decision.propensity > 0 && decision.propensity <= 1);
    regret += Math.max(...values) - values[k];
    policy.update(decision.arm, x, values[k] + 0.1 * gaussian(world));
    picks.push(decision.arm);
  }
  return { regret, picks };
}

describe('policies on a contextual linear bandit', () => {
  const uniform = run(new UniformPolicy(), 1).regret;
  const learners: Array<[string, () => Policy]> = [
    ['epsilon-greedy', () => new EpsilonGreedyPolicy(0.1, 0.01)],
    ['linucb', () => new LinUcbPolicy(1)],
    ['thompson', () => new LinearThompsonPolicy(0.3, 20)],
  ];
  for (const [name, make] of learners) {
    test(`${name} learns: regret under a tenth of uniform's, replayable by seed`, () => {
      const first = run(make(), 1);
      assert.ok(first.regret < uniform / 10, `${name} regret ${first.regret.toFixed(1)} vs uniform ${uniform.toFixed(1)}`);
      assert.deepEqual(run(make(), 1).picks, first.picks);
    });
  }

  test('propensities: uniform 1/K; ε-greedy (1 − ε)·[greedy] + ε/K, summing to 1 over the arms', () => {
    const x = Float64Array.from([1, 0.5]);
    const arms = ['a', 'b', 'c'].map((arm) => ({ arm, x }));
    assert.equal(new UniformPolicy().choose(arms, mulberry32(1)).propensity, 1 / 3);
    const policy = new EpsilonGreedyPolicy(0.3);
    policy.update('b', x, 1);
    const seen = new Map<string, number>();
    for (let s = 0; s < 200; s++) {
      const d = policy.choose(arms, mulberry32(s));
      seen.set(d.arm, d.propensity);
    }
    assert.ok(Math.abs(seen.get('b')! - (0.7 + 0.1)) < 1e-12);
    assert.ok(Math.abs(seen.get('a')! - 0.1) < 1e-12);
    assert.ok(Math.abs([...seen.values()].reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });
});
