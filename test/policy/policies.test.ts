// The retrieval policies on a synthetic contextual linear bandit whose truth is known, and their statistics
// against naive normal equations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DisjointLinearModel } from '../../src/policy/arm-model.js';
import { HybridLinearModel } from '../../src/policy/hybrid-model.js';
import { LinearStats } from '../../src/policy/linear-stats.js';
import { createPolicy, type Policy, POLICY_NAMES } from '../../src/policy/policy.js';
import { gaussian, mulberry32 } from '../../src/util/random.js';

/** (λI + Σxxᵀ)⁻¹ Σrx by Gaussian elimination with partial pivoting: the oracle. */
function naiveRidge(xs: number[][], rs: number[], lambda: number): number[] {
  const d = xs[0].length;
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? lambda : 0) + xs.reduce((s, x) => s + x[i] * x[j], 0)));
  const b = Array.from({ length: d }, (_, i) => xs.reduce((s, x, n) => s + rs[n] * x[i], 0));
  return gaussSolve(a, b);
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

  test('the rank-one updated inverse equals a fresh one; uncertainty shrinks with data', () => {
    const stats = new LinearStats(d);
    const x = xs[0];
    const before = stats.uncertainty(x);
    xs.forEach((row, i) => stats.add(row, rs[i], 1 + (i % 3)));
    const fresh = LinearStats.fromJSON(stats.toJSON());
    const a = stats.inverse();
    const b = fresh.inverse();
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-10);
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
    const arms = values.map((_, k) => ({ arm: `s${k}`, x, z: Float64Array.of(k === 0 ? 1 : 0, x[1]) }));
    const decision = policy.choose(arms, choices);
    const k = Number(decision.arm.slice(1));
    assert.ok(decision.propensity > 0 && decision.propensity <= 1);
    regret += Math.max(...values) - values[k];
    policy.update(arms[k], values[k] + 0.1 * gaussian(world));
    picks.push(decision.arm);
  }
  return { regret, picks };
}

describe('policies on a contextual linear bandit', () => {
  const uniform = run(createPolicy('uniform'), 1).regret;
  const learners: Array<[string, () => Policy]> = [
    ['epsilon-greedy', () => createPolicy('epsilon-greedy', { epsilon: 0.1, decay: 0.01 })],
    ['linucb', () => createPolicy('linucb', { alpha: 1 })],
    ['hybrid-linucb', () => createPolicy('hybrid-linucb', { alpha: 1 })],
    ['thompson', () => createPolicy('thompson', { v: 0.3, propensitySamples: 20 })],
  ];
  test('every named policy is in the shared suite', () => assert.deepEqual([...learners.map(([n]) => n), 'uniform'].sort(), [...POLICY_NAMES].sort()));
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
    assert.equal(createPolicy('uniform').choose(arms, mulberry32(1)).propensity, 1 / 3);
    const policy = createPolicy('epsilon-greedy', { epsilon: 0.3, decay: 0 });
    policy.update(arms[1], 1);
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

describe('the prior at the base rate', () => {
  const random = mulberry32(17);
  const d = 4;
  // Seen contexts vary only in their second entry; the rewards are 0/1 coverage.
  const rows = Array.from({ length: 200 }, () => {
    const x = [1, random() < 0.5 ? 1 : 0, 0, 0];
    return { x, r: random() < (x[1] ? 0.7 : 0.3) ? 1 : 0 };
  });
  const prior = { strategies: ['memory'], tau: 0.3, sigma: 0.4 };
  const model = new DisjointLinearModel(1, prior);
  const plain = new DisjointLinearModel(1);
  for (const { x, r } of rows) {
    for (const arm of ['memory@10', 'lexical@10']) {
      model.update({ arm, x: Float64Array.from(x) }, r);
      plain.update({ arm, x: Float64Array.from(x) }, r);
    }
  }
  const base = rows.reduce((sum, row) => sum + row.r, 0) / rows.length;

  test('a named arm’s mean is the fitted mean blended with its base rate by their variances, as computed naively', () => {
    const lambda = 1;
    const theta = naiveRidge(rows.map((row) => row.x), rows.map((row) => row.r), lambda);
    for (const x of [[1, 1, 0, 0], [1, 0, 3, -2], [1, 1, 5, 5]]) {
      const input = { arm: 'memory@10', x: Float64Array.from(x) };
      const fitted = x.reduce((sum, v, i) => sum + v * theta[i], 0);
      const [estimate] = model.estimate([input]);
      const precision = 1 / (0.16 * estimate.variance);
      const expected = (precision * fitted + base / 0.09) / (precision + 1 / 0.09);
      assert.ok(Math.abs(estimate.mean - expected) < 1e-9, `${estimate.mean} vs ${expected}`);
    }
  });

  test('near the data the fit stands; far from it the mean returns to the base rate; other arms are untouched', () => {
    const near = { arm: 'memory@10', x: Float64Array.of(1, 1, 0, 0) };
    const far = { arm: 'memory@10', x: Float64Array.of(1, 0, 6, -6) };
    const [fitNear, fitFar] = plain.estimate([near, far]);
    const [near2, far2] = model.estimate([near, far]);
    assert.ok(Math.abs(near2.mean - fitNear.mean) < 0.02, `${near2.mean} vs the fit ${fitNear.mean}`);
    assert.ok(Math.abs(far2.mean - base) < Math.abs(fitFar.mean - base) / 5, `${far2.mean}: fit ${fitFar.mean}, base ${base}`);
    const other = { arm: 'lexical@10', x: far.x };
    assert.equal(model.estimate([other])[0].mean, plain.estimate([other])[0].mean);
    assert.throws(() => new DisjointLinearModel(1, { ...prior, tau: 0 }), { code: 'POLICY_BAD_INPUT' });
  });
});

/** Ridge regression over the stacked vector [z, x in the arm's block]: what the hybrid model must equal. */
describe('hybrid linear model', () => {
  const random = mulberry32(11);
  const d = 3;
  const k = 2;
  const names = ['a', 'b', 'c'];
  const rows = Array.from({ length: 60 }, (_, i) => ({
    arm: names[i % 3],
    x: Float64Array.from({ length: d }, () => gaussian(random)),
    z: Float64Array.from({ length: k }, () => gaussian(random)),
    r: gaussian(random),
  }));
  const stacked = (arm: string, x: Float64Array, z: Float64Array) => {
    const v = new Array(k + d * names.length).fill(0);
    z.forEach((value, j) => (v[j] = value));
    x.forEach((value, i) => (v[k + names.indexOf(arm) * d + i] = value));
    return v;
  };

  test('means equal the stacked ridge regression solved naively; variances its φᵀA⁻¹φ', () => {
    const model = new HybridLinearModel(0.7);
    const probe0 = { arm: 'a', x: Float64Array.of(1, 1, 1), z: Float64Array.of(1, 1) };
    // Estimating midway builds each arm's A⁻¹B, which the later updates then keep current incrementally.
    rows.forEach((row, i) => {
      model.update(row, row.r);
      if (i === 9 || i === 30) model.estimate([probe0, { ...probe0, arm: 'b' }, { ...probe0, arm: 'c' }]);
    });
    const theta = naiveRidge(rows.map((r) => stacked(r.arm, r.x, r.z)), rows.map((r) => r.r), 0.7);
    const probe = { arm: 'b', x: Float64Array.of(0.3, -1, 2), z: Float64Array.of(1, 0.5) };
    const phi = stacked(probe.arm, probe.x, probe.z);
    const [estimate] = model.estimate([probe]);
    const mean = phi.reduce((s, v, i) => s + v * theta[i], 0);
    assert.ok(Math.abs(estimate.mean - mean) < 1e-9, `${estimate.mean} vs ${mean}`);
    // φᵀA⁻¹φ: solve A y = φ naively.
    const gram = rows.map((r) => stacked(r.arm, r.x, r.z));
    const dim = phi.length;
    const a = Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, j) => (i === j ? 0.7 : 0) + gram.reduce((s, g) => s + g[i] * g[j], 0)));
    const y = gaussSolve(a, phi);
    const variance = phi.reduce((s, v, i) => s + v * y[i], 0);
    assert.ok(Math.abs(estimate.variance - variance) < 1e-9, `${estimate.variance} vs ${variance}`);
  });

  test('two replicas merge into the whole; state round-trips through JSON', () => {
    const whole = new HybridLinearModel();
    const left = new HybridLinearModel();
    const right = new HybridLinearModel();
    rows.forEach((row, i) => {
      whole.update(row, row.r);
      (i < 25 ? left : right).update(row, row.r);
    });
    left.merge(right);
    const copy = HybridLinearModel.fromJSON(JSON.parse(JSON.stringify(left.toJSON())));
    const probes = names.map((arm) => ({ arm, x: Float64Array.of(1, 2, 3), z: Float64Array.of(-1, 1) }));
    const expected = whole.estimate(probes);
    copy.estimate(probes).forEach((e, i) => {
      assert.ok(Math.abs(e.mean - expected[i].mean) < 1e-9);
      assert.ok(Math.abs(e.variance - expected[i].variance) < 1e-9);
    });
    assert.throws(() => left.merge(new DisjointLinearModel()), { code: 'POLICY_MERGE' });
    assert.throws(() => whole.estimate([{ arm: 'a', x: Float64Array.of(1) }]), { code: 'POLICY_BAD_INPUT' });
  });
});

function gaussSolve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let j = c; j <= n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}
