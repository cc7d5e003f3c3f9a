import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CLICK_MODELS, createClickModel, type ClickModel } from '../../src/simulate/click-models.js';
import { mulberry32 } from '../../src/util/random.js';
import { refusal } from '../helpers/refusal.js';

const T = true;
const F = false;

function assertClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-12): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tolerance, `position ${i}: ${a} ≠ ${expected[i]}`));
}

/**
 * The oracle for DCM (and cascade, λ = 0): walks every branch of the generative story (skip / click and go on /
 * click and stop) and returns the probability of each set of clicked positions, keyed "0,2".
 */
function dcmJoint(alpha: readonly number[], lambda: readonly number[]): Map<string, number> {
  const joint = new Map<string, number>();
  const add = (clicked: number[], p: number): void => {
    joint.set(clicked.join(','), (joint.get(clicked.join(',')) ?? 0) + p);
  };
  const walk = (r: number, clicked: number[], p: number): void => {
    if (r === alpha.length) return add(clicked, p);
    walk(r + 1, clicked, p * (1 - alpha[r]));
    walk(r + 1, [...clicked, r], p * alpha[r] * lambda[r]);
    add([...clicked, r], p * alpha[r] * (1 - lambda[r]));
  };
  walk(0, [], 1);
  return joint;
}

function marginalsOf(joint: Map<string, number>, length: number): number[] {
  const out = new Array<number>(length).fill(0);
  for (const [key, p] of joint) for (const r of key === '' ? [] : key.split(',').map(Number)) out[r] += p;
  return out;
}

/** Samples `n` click lists; returns how often each position was clicked and how often each click set occurred. */
function sample(model: ClickModel, relevant: boolean[], n: number, seed: number) {
  const random = mulberry32(seed);
  const positions = new Array<number>(relevant.length).fill(0);
  const sets = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const clicks = model.clicks(relevant, random);
    assert.deepEqual(clicks, [...new Set(clicks)].sort((a, b) => a - b), 'clicks are distinct and ascending');
    clicks.forEach((r) => positions[r]++);
    sets.set(clicks.join(','), (sets.get(clicks.join(',')) ?? 0) + 1);
  }
  return { positions, sets };
}

/** A sampled frequency is within 4.5 standard errors of its exact probability (a false alarm about once in 150 000). */
function assertFrequency(count: number, n: number, p: number, what: string): void {
  const se = Math.sqrt((p * (1 - p)) / n);
  assert.ok(Math.abs(count / n - p) <= 4.5 * se + 1e-12, `${what}: sampled ${count / n}, exact ${p} (se ${se})`);
}

test('exact marginals match hand-derived values on small lists', () => {
  // cascade on [F, T, T]: 0.05; 0.95 · 0.9; 0.95 · 0.1 · 0.9
  assertClose(createClickModel('cascade').clickProbabilities([F, T, T]), [0.05, 0.855, 0.0855]);
  // PBM, θ_r = 1/r: 0.9; ½ · 0.05; ⅓ · 0.9
  assertClose(createClickModel('pbm').clickProbabilities([T, F, T]), [0.9, 0.025, 0.3]);
  // PBM with η = 2 and a given examination array
  assertClose(createClickModel('pbm', { eta: 2 }).clickProbabilities([T, T]), [0.9, 0.225]);
  assertClose(createClickModel('pbm', { examination: [1, 0.4, 0.1] }).clickProbabilities([F, T]), [0.05, 0.36]);
  // DCM λ = ½ on [T, T]: 0.9; (0.1 + 0.9 · 0.5) · 0.9
  assertClose(createClickModel('dcm').clickProbabilities([T, T]), [0.9, 0.495]);
  assertClose(createClickModel('dcm', { continuations: [0.2, 1, 1] }).clickProbabilities([T, F, T]), [0.9, 0.28 * 0.05, 0.28 * 0.9]); // reach position 2 with 0.1 + 0.9 · 0.2 = 0.28; λ = 1 there, so position 3 is reached as often
  for (const name of CLICK_MODELS) assert.deepEqual(createClickModel(name).clickProbabilities([]), []);
});

test('DCM with λ = 1 is PBM that examines everything; DCM with λ = 0 is cascade', () => {
  const relevant = [F, T, T, F, T, F];
  const alphas = { relevantAttractiveness: 0.7, irrelevantAttractiveness: 0.2 };
  assertClose(
    createClickModel('dcm', { ...alphas, continuation: 1 }).clickProbabilities(relevant),
    createClickModel('pbm', { ...alphas, eta: 0 }).clickProbabilities(relevant),
  );
  assertClose(
    createClickModel('dcm', { ...alphas, continuation: 0 }).clickProbabilities(relevant),
    createClickModel('cascade', alphas).clickProbabilities(relevant),
  );
});

test('the DCM closed form equals the marginals of the brute-force generative story (property)', () => {
  const probability = fc.double({ min: 0, max: 1, noNaN: true });
  fc.assert(
    fc.property(fc.array(fc.boolean(), { maxLength: 7 }), probability, probability, fc.array(probability, { minLength: 7, maxLength: 7 }), (relevant, ar, ai, lambda) => {
      const model = createClickModel('dcm', { relevantAttractiveness: ar, irrelevantAttractiveness: ai, continuations: lambda });
      const exact = model.clickProbabilities(relevant);
      const alpha = relevant.map((rel) => (rel ? ar : ai));
      assertClose(exact, marginalsOf(dcmJoint(alpha, lambda), relevant.length), 1e-12);
      exact.forEach((p) => assert.ok(p >= 0 && p <= 1));
      const cascade = createClickModel('cascade', { relevantAttractiveness: ar, irrelevantAttractiveness: ai }).clickProbabilities(relevant);
      assert.ok(cascade.reduce((a, b) => a + b, 0) <= 1 + 1e-12, 'cascade clicks at most once');
    }),
    { seed: 7, numRuns: 200 },
  );
});

test('sampled click frequencies match the exact marginals, for every model', () => {
  const relevant = [F, T, F, T, T, F, F, T];
  const n = 40_000;
  for (const [name, options] of [['pbm', {}], ['pbm', { eta: 0.5 }], ['cascade', {}], ['dcm', {}], ['dcm', { continuation: 0.8 }]] as const) {
    const model = createClickModel(name, options);
    const { positions } = sample(model, relevant, n, 11);
    model.clickProbabilities(relevant).forEach((p, r) => assertFrequency(positions[r], n, p, `${name} ${JSON.stringify(options)} position ${r}`));
  }
});

test('sampled click sets follow the joint distribution (DCM and cascade against the brute-force story, PBM independent)', () => {
  const relevant = [T, F, T, T];
  const n = 40_000;
  const lambda = [0.3, 0.6, 0.9, 0.5];
  const cases = [
    { model: createClickModel('dcm', { continuations: lambda }), lambda },
    { model: createClickModel('cascade'), lambda: [0, 0, 0, 0] },
  ];
  for (const { model, lambda } of cases) {
    const { sets } = sample(model, relevant, n, 5);
    const joint = dcmJoint(relevant.map((rel) => (rel ? 0.9 : 0.05)), lambda);
    for (const [key, p] of joint) assertFrequency(sets.get(key) ?? 0, n, p, `${model.name} click set {${key}}`);
    for (const key of sets.keys()) assert.ok(joint.has(key), `${model.name} sampled an impossible click set {${key}}`);
  }
  const pbm = createClickModel('pbm');
  const marginals = pbm.clickProbabilities(relevant);
  const { sets } = sample(pbm, relevant, n, 9);
  for (let mask = 0; mask < 1 << relevant.length; mask++) {
    const clicked = relevant.map((_, r) => r).filter((r) => mask & (1 << r));
    const p = marginals.reduce((acc, m, r) => acc * (clicked.includes(r) ? m : 1 - m), 1);
    assertFrequency(sets.get(clicked.join(',')) ?? 0, n, p, `pbm click set {${clicked}}`);
  }
});

test('clicks are reproducible by seed', () => {
  for (const name of CLICK_MODELS) {
    const model = createClickModel(name);
    const run = (seed: number) => Array.from({ length: 50 }, ((random) => () => model.clicks([T, F, T, F, T], random))(mulberry32(seed)));
    assert.deepEqual(run(3), run(3));
    assert.notDeepEqual(run(3), run(4));
  }
});

test('bad names, options and inputs are refused with clear errors', () => {
  const unknown = refusal(() => createClickModel('ubm'));
  assert.equal(unknown.code, 'SIMULATE_BAD_CLICK_MODEL');
  assert.match(unknown.message, /unknown click model "ubm" \(known: pbm, cascade, dcm\)/);

  const range = refusal(() => createClickModel('dcm', { relevantAttractiveness: 1.5 }));
  assert.equal(range.code, 'OPTION_OUT_OF_RANGE');
  assert.match(range.message, /"dcm\.relevantAttractiveness" is 1\.5; it must be a number in \[0, 1\]/);
  assert.match(refusal(() => createClickModel('dcm', { continuation: -0.1 })).message, /dcm\.continuation/);
  assert.match(refusal(() => createClickModel('pbm', { examination: [1, Number.NaN] })).message, /"pbm\.examination\[1\]" is null; it must be a probability in \[0, 1\]/);
  assert.match(refusal(() => createClickModel('pbm', { examination: [] })).message, /pbm\.examination.*non-empty array/);
  assert.match(refusal(() => createClickModel('pbm', { examination: [1], eta: 2 })).message, /pbm\.eta.*left unset when pbm\.examination is given/);
  assert.equal(refusal(() => createClickModel('cascade', { continuation: 0.5 })).code, 'OPTION_UNKNOWN');

  const short = refusal(() => createClickModel('dcm', { continuations: [0.5, 0.5] }).clicks([T, T, T], mulberry32(1)));
  assert.equal(short.code, 'SIMULATE_BAD_INPUT');
  assert.match(short.message, /dcm\.continuations: gives 2 positions, but the result list shown has 3/);
  const relevance = refusal(() => createClickModel('pbm').clickProbabilities([T, 1 as unknown as boolean]));
  assert.match(relevance.message, /pbm click model: relevance at position 1 is 1; expected true or false/);
});

test('DCM and cascade draw twice at every position they reach, so position r meets the same coins whatever happened above it', () => {
  for (const name of ['dcm', 'cascade'] as const) {
    const model = createClickModel(name, { relevantAttractiveness: 1, irrelevantAttractiveness: 0 });
    let draws = 0;
    const counting = () => {
      draws++;
      return 0.5;
    };
    // Nothing attractive: every position is reached, two draws each.
    assert.deepEqual(model.clicks([false, false, false, false], counting), []);
    assert.equal(draws, 8, name);
    // A click at position 1 with λ = 0.5 and a draw of 0.5: the user stops there (0.5 ≥ λ), after four draws.
    draws = 0;
    assert.deepEqual(model.clicks([false, true, false, true], counting), [1]);
    assert.equal(draws, 4, name);
  }
});
