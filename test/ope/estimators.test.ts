// Off-policy estimators against oracles: a seeded synthetic contextual bandit whose true target value is known
// exactly, algebraic identities (on-policy, weights averaging 1) checked by fast-check, and the error table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bootstrapInterval } from '../../src/ope/bootstrap.js';
import { clippedIps, DM, DR, effectiveSampleSize, IPS, SNDR, SNIPS, STANDARD_ESTIMATORS, type OpeEstimator, type OpeSample } from '../../src/ope/estimators.js';
import { mulberry32 } from '../../src/util/random.js';

const CONTEXTS = 4;
const ACTIONS = 5;

/** A bandit with known expected rewards μ(x, a), a logging policy π0 and a target policy π_e (rows sum to 1). */
function syntheticBandit(seed: number) {
  const random = mulberry32(seed);
  const softmax = (temperature: number) => {
    const z = Array.from({ length: ACTIONS }, () => Math.exp(random() * temperature));
    const total = z.reduce((a, b) => a + b, 0);
    return z.map((v) => v / total);
  };
  const mu = Array.from({ length: CONTEXTS }, () => Array.from({ length: ACTIONS }, () => 0.1 + 0.8 * random()));
  const logging = Array.from({ length: CONTEXTS }, () => softmax(1));
  const target = Array.from({ length: CONTEXTS }, () => softmax(4));
  let truth = 0;
  for (let x = 0; x < CONTEXTS; x++) for (let a = 0; a < ACTIONS; a++) truth += target[x][a] * mu[x][a] / CONTEXTS;
  return { mu, logging, target, truth };
}

type Bandit = ReturnType<typeof syntheticBandit>;

/** n logged rounds; `model(x, a)` fills the DR/DM fields. */
function logOf(bandit: Bandit, n: number, seed: number, model: (x: number, a: number) => number): OpeSample[] {
  const random = mulberry32(seed);
  const samples: OpeSample[] = [];
  for (let i = 0; i < n; i++) {
    const x = Math.floor(random() * CONTEXTS);
    let a = 0;
    for (let u = random(); a < ACTIONS - 1 && u >= bandit.logging[x][a]; a++) u -= bandit.logging[x][a];
    let modelTarget = 0;
    for (let b = 0; b < ACTIONS; b++) modelTarget += bandit.target[x][b] * model(x, b);
    samples.push({
      reward: random() < bandit.mu[x][a] ? 1 : 0,
      loggedPropensity: bandit.logging[x][a],
      targetProbability: bandit.target[x][a],
      modelLogged: model(x, a),
      modelTarget,
    });
  }
  return samples;
}

function replicateEstimates(estimator: OpeEstimator, bandit: Bandit, model: (x: number, a: number) => number, replicates = 400, n = 200) {
  const values = Array.from({ length: replicates }, (_, r) => estimator.estimate(logOf(bandit, n, 1000 + r, model)));
  const mean = values.reduce((a, b) => a + b, 0) / replicates;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (replicates - 1);
  return { mean, variance, standardError: Math.sqrt(variance / replicates) };
}

const bandit = syntheticBandit(7);
const perfect = (x: number, a: number) => bandit.mu[x][a];
const wrong = (x: number, a: number) => Math.min(1, bandit.mu[x][a] + 0.25 * (a % 2 === 0 ? 1 : -1) + 0.1);

test('IPS is unbiased: its mean over 400 seeded logs is within 4 standard errors of the true value', () => {
  const r = replicateEstimates(IPS, bandit, perfect);
  assert.ok(Math.abs(r.mean - bandit.truth) < 4 * r.standardError, `IPS mean ${r.mean} truth ${bandit.truth} se ${r.standardError}`);
});

test('DR is unbiased with a wrong reward model (the propensities are right), and DM with it is not', () => {
  const dr = replicateEstimates(DR, bandit, wrong);
  assert.ok(Math.abs(dr.mean - bandit.truth) < 4 * dr.standardError, `DR mean ${dr.mean} truth ${bandit.truth} se ${dr.standardError}`);
  const dm = replicateEstimates(DM, bandit, wrong);
  assert.ok(Math.abs(dm.mean - bandit.truth) > 10 * dm.standardError, `DM mean ${dm.mean} should be biased away from ${bandit.truth}`);
});

test('DR with a perfect reward model has lower variance than IPS, and SNIPS lower than IPS here', () => {
  const ips = replicateEstimates(IPS, bandit, perfect);
  const dr = replicateEstimates(DR, bandit, perfect);
  const snips = replicateEstimates(SNIPS, bandit, perfect);
  // A perfect model removes the spread of μ from the variance; the Bernoulli noise w²·Var(r) stays (ratio ≈ 0.6 here).
  assert.ok(dr.variance < 0.8 * ips.variance, `DR variance ${dr.variance} vs IPS ${ips.variance}`);
  assert.ok(snips.variance < ips.variance, `SNIPS variance ${snips.variance} vs IPS ${ips.variance}`);
  assert.ok(Math.abs(dr.mean - bandit.truth) < 4 * dr.standardError);
});

test('the 95% bootstrap interval covers the true value in at least 85 of 100 seeded logs (IPS and DR)', () => {
  for (const estimator of [IPS, DR]) {
    let covered = 0;
    for (let r = 0; r < 100; r++) {
      const interval = bootstrapInterval(logOf(bandit, 300, 5000 + r, wrong), estimator, { resamples: 200, seed: r });
      assert.ok(interval.lower <= interval.estimate && interval.estimate <= interval.upper, JSON.stringify(interval));
      if (interval.lower <= bandit.truth && bandit.truth <= interval.upper) covered++;
    }
    assert.ok(covered >= 85, `${estimator.name} covered ${covered}/100`);
  }
});

test('the bootstrap is reproducible by seed and its seed matters', () => {
  const log = logOf(bandit, 200, 3, perfect);
  assert.deepEqual(bootstrapInterval(log, SNIPS, { seed: 9 }), bootstrapInterval(log, SNIPS, { seed: 9 }));
  assert.notDeepEqual(bootstrapInterval(log, SNIPS, { seed: 9 }), bootstrapInterval(log, SNIPS, { seed: 10 }));
});

const rewardArb = fc.double({ min: -5, max: 5, noNaN: true });
const propensityArb = fc.double({ min: 0.01, max: 1, noNaN: true });

test('on-policy (π_e = π0) every estimator returns the sample mean, and the ESS is n', () => {
  fc.assert(fc.property(fc.array(fc.tuple(rewardArb, propensityArb), { minLength: 1, maxLength: 50 }), fc.double({ min: -3, max: 3, noNaN: true }), (rows, constant) => {
    // DR equals the mean exactly only when r̂ is the same for every action (r̂_target − r̂_logged = 0 per sample).
    const samples = rows.map(([reward, p]) => ({ reward, loggedPropensity: p, targetProbability: p, modelLogged: constant, modelTarget: constant }));
    const mean = rows.reduce((a, [r]) => a + r, 0) / rows.length;
    for (const estimator of [IPS, SNIPS, DR, SNDR, clippedIps(1)]) {
      assert.ok(Math.abs(estimator.estimate(samples) - mean) <= 1e-9 * (1 + Math.abs(mean)), estimator.name);
    }
    assert.ok(Math.abs(effectiveSampleSize(samples) - rows.length) <= 1e-9 * rows.length);
  }));
});

test('SNIPS equals IPS when the weights average 1, and always lies within the rewards’ range', () => {
  fc.assert(fc.property(fc.array(fc.tuple(rewardArb, rewardArb, fc.double({ min: 0, max: 2, noNaN: true })), { minLength: 1, maxLength: 40 }), (pairs) => {
    // Weights come in pairs (w, 2 − w), so they average exactly 1.
    const samples = pairs.flatMap(([r1, r2, w]) => [
      { reward: r1, loggedPropensity: 0.4, targetProbability: 0.4 * w },
      { reward: r2, loggedPropensity: 0.4, targetProbability: 0.4 * (2 - w) },
    ]);
    const ips = IPS.estimate(samples);
    const snips = SNIPS.estimate(samples);
    assert.ok(Math.abs(ips - snips) <= 1e-9 * (1 + Math.abs(ips)), `${ips} vs ${snips}`);
    const rewards = samples.filter((s) => s.targetProbability > 0).map((s) => s.reward);
    assert.ok(snips >= Math.min(...rewards) - 1e-9 && snips <= Math.max(...rewards) + 1e-9);
  }));
});

test('clipped IPS caps the weights; the ESS falls as the weights spread', () => {
  const samples = [
    { reward: 1, loggedPropensity: 0.01, targetProbability: 1 },
    { reward: 1, loggedPropensity: 1, targetProbability: 1 },
  ];
  assert.equal(IPS.estimate(samples), 50.5);
  assert.equal(clippedIps(10).estimate(samples), 5.5);
  assert.ok(Math.abs(effectiveSampleSize(samples) - 101 ** 2 / 10001) < 1e-12);
  assert.equal(SNIPS.estimate([{ reward: 3, loggedPropensity: 0.5, targetProbability: 0 }]), 0);
});

test('bad samples are refused with OPE_BAD_SAMPLE naming the index and field', () => {
  const good = { reward: 1, loggedPropensity: 0.5, targetProbability: 0.5 };
  const cases: Array<[Partial<OpeSample>, string]> = [
    [{ loggedPropensity: 0 }, 'loggedPropensity'],
    [{ loggedPropensity: -0.1 }, 'loggedPropensity'],
    [{ loggedPropensity: Number.NaN }, 'loggedPropensity'],
    [{ loggedPropensity: 1.2 }, 'loggedPropensity'],
    [{ targetProbability: 1.5 }, 'targetProbability'],
    [{ targetProbability: -0.01 }, 'targetProbability'],
    [{ reward: Number.POSITIVE_INFINITY }, 'reward'],
  ];
  for (const [change, field] of cases) {
    for (const estimator of [...STANDARD_ESTIMATORS, SNDR]) {
      const samples = [{ ...good, modelLogged: 0, modelTarget: 0 }, { ...good, modelLogged: 0, modelTarget: 0, ...change }];
      assert.throws(() => estimator.estimate(samples), (e: Error & { code?: string }) =>
        e.code === 'OPE_BAD_SAMPLE' && e.message.includes('sample 1') && e.message.includes(`"${field}"`), `${estimator.name} ${field}`);
    }
  }
  assert.throws(() => DR.estimate([good]), (e: Error & { code?: string }) => e.code === 'OPE_BAD_SAMPLE' && /sample 0: field "modelLogged"/.test(e.message));
  assert.throws(() => DM.estimate([{ ...good, modelLogged: 0 }]), /field "modelTarget" is undefined/);
  assert.equal(IPS.estimate([good]), 1); // IPS needs no model
  assert.throws(() => IPS.estimate([]), (e: Error & { code?: string }) => e.code === 'OPE_NO_SAMPLES');
  assert.throws(() => bootstrapInterval([good], IPS, { level: 1.5 }), (e: Error & { code?: string }) => e.code === 'OPTION_OUT_OF_RANGE' && /bootstrap\.level/.test(e.message));
  assert.throws(() => bootstrapInterval([good], IPS, { resamples: 2.5 }), /bootstrap\.resamples/);
  assert.throws(() => clippedIps(0), /maxWeight/);
});
