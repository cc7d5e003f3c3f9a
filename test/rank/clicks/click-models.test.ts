import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fitCascade } from '../../../src/rank/clicks/cascade.js';
import type { FittedClickModel } from '../../../src/rank/clicks/click-model.js';
import { evaluateClickModel } from '../../../src/rank/clicks/metrics.js';
import { fitPbm } from '../../../src/rank/clicks/pbm.js';
import { fitSdbn } from '../../../src/rank/clicks/sdbn.js';
import type { ClickSession } from '../../../src/rank/clicks/session.js';
import { fitUbm } from '../../../src/rank/clicks/ubm.js';
import { refusal } from '../../helpers/refusal.js';
import { simulatedPbmLog } from '../../helpers/simulated-clicks.js';

const TRUE_EXAMINATION = [1, 0.7, 0.5, 0.35, 0.25, 0.2];

test('PBM EM recovers the examination of the PBM that generated the log (relative to rank 1)', () => {
  const { sessions } = simulatedPbmLog(7, TRUE_EXAMINATION, 10_000);
  const pbm = fitPbm(sessions, { iterations: 200 });
  const relative = pbm.examination.map((g) => g / pbm.examination[0]);
  relative.forEach((g, r) => assert.ok(Math.abs(g - TRUE_EXAMINATION[r]) < 0.04, `rank ${r + 1}: ${g} vs ${TRUE_EXAMINATION[r]}`));
});

test('EM never lowers its objective (log-likelihood + log-prior), with and without smoothing, for PBM and UBM', () => {
  const { sessions } = simulatedPbmLog(3, TRUE_EXAMINATION, 2_000);
  for (const priorStrength of [0, 2, 50]) {
    for (const fit of [fitPbm, fitUbm]) {
      const { trace } = fit(sessions, { priorStrength, iterations: 60, tolerance: 0 });
      assert.ok(trace.objective.length > 10);
      trace.objective.slice(1).forEach((v, i) => assert.ok(v >= trace.objective[i] - 1e-12, `${fit.name} strength ${priorStrength}: iteration ${i + 1} fell ${trace.objective[i] - v}`));
    }
  }
});

type Pattern = [documents: string[], clicks: boolean[], count: number];

/** The PBM log-likelihood of a log of counted patterns over two ranks; θ1 fixed at 1 (the scale is not identified). */
function pbmLogLikelihood(patterns: readonly Pattern[], theta2: number, alpha: Record<string, number>): number {
  let ll = 0;
  for (const [documents, clicks, count] of patterns) {
    documents.forEach((d, r) => {
      const p = (r === 0 ? 1 : theta2) * alpha[d];
      ll += count * Math.log(clicks[r] ? p : 1 - p);
    });
  }
  return ll;
}

test('PBM EM reaches the maximum likelihood that a brute-force grid search finds on a tiny log', () => {
  const patterns: Pattern[] = [
    [['a', 'b'], [true, false], 30], [['a', 'b'], [false, true], 6], [['a', 'b'], [true, true], 9], [['a', 'b'], [false, false], 25],
    [['b', 'a'], [true, false], 20], [['b', 'a'], [false, true], 8], [['b', 'a'], [true, true], 4], [['b', 'a'], [false, false], 30],
  ];
  const sessions = patterns.flatMap(([documents, clicks, n]) => Array.from({ length: n }, () => ({ query: 'q', documents, clicks })));
  const pbm = fitPbm(sessions, { priorStrength: 0, iterations: 5_000, tolerance: 1e-14 });
  const at = (d: string, r: number) => pbm.attractiveness({ query: 'q', documents: r === 0 ? [d, 'x'] : ['x', d], clicks: [false, false] }, r);
  // Rescale so θ1 = 1, the grid's convention; the likelihood is unchanged.
  const scale = pbm.examination[0];
  const em = pbmLogLikelihood(patterns, pbm.examination[1] / scale, { a: at('a', 0) * scale, b: at('b', 0) * scale });
  let best = -Infinity;
  for (let t = 0.01; t < 1; t += 0.02) {
    for (let a = 0.01; a < 1; a += 0.02) for (let b = 0.01; b < 1; b += 0.02) best = Math.max(best, pbmLogLikelihood(patterns, t, { a, b }));
  }
  assert.ok(em >= best - 1e-9, `EM ${em} < grid ${best}`);
  assert.ok(em - best < 0.05, `the grid should come close to EM's optimum: ${em} vs ${best}`);
});

test('cascade MLE is counting: clicks over impressions at or above the first click', () => {
  const s = (documents: string[], clicks: boolean[]): ClickSession => ({ query: 'q', documents, clicks });
  const sessions = [s(['a', 'b', 'c'], [false, true, true]), s(['a', 'b', 'c'], [false, false, false]), s(['b', 'a', 'c'], [true, false, false])];
  const cascade = fitCascade(sessions, { priorStrength: 0 });
  const alpha = (d: string) => cascade.attractiveness(s([d], [false]), 0);
  assert.equal(alpha('a'), 0 / 2); // seen above the first click twice (sessions 1, 2), never clicked
  assert.equal(alpha('b'), 2 / 3); // clicked in 1 and 3, skipped in 2
  assert.equal(alpha('c'), 0 / 1); // only session 2 reaches it; session 1's click on c is after the first click
  // Smoothing: (clicks + 1) / (impressions + 2) by default.
  assert.equal(fitCascade(sessions).attractiveness(s(['b'], [false]), 0), 3 / 5);
  assert.equal(fitCascade(sessions).attractiveness(s(['unseen'], [false]), 0), 0.5);
});

test('SDBN MLE is counting down to the last click', () => {
  const s = (documents: string[], clicks: boolean[]): ClickSession => ({ query: 'q', documents, clicks });
  const sdbn = fitSdbn([s(['a', 'b', 'c'], [true, false, true]), s(['a', 'b', 'c'], [true, false, false]), s(['b', 'c', 'a'], [false, false, false])], { priorStrength: 0 });
  const one = (d: string) => s([d], [false]);
  assert.equal(sdbn.attractiveness(one('a'), 0), 2 / 3); // clicked in 1, 2; examined in 1, 2, 3
  assert.equal(sdbn.attractiveness(one('c'), 0), 1 / 2);
  assert.equal(sdbn.satisfaction(one('a'), 0), 1 / 2); // last click in session 2, not in 1
  assert.equal(sdbn.satisfaction(one('c'), 0), 1);
});

/** Marginals by brute force: every click vector's probability from the conditional click probabilities. */
function enumeratedMarginals(model: FittedClickModel, query: string, documents: string[]): number[] {
  const n = documents.length;
  const marginal = new Array<number>(n).fill(0);
  for (let mask = 0; mask < 1 << n; mask++) {
    const clicks = documents.map((_, r) => ((mask >> r) & 1) === 1);
    const conditional = model.conditionalClickProbabilities({ query, documents, clicks });
    let p = 1;
    for (let r = 0; r < n; r++) p *= clicks[r] ? conditional[r] : 1 - conditional[r];
    for (let r = 0; r < n; r++) if (clicks[r]) marginal[r] += p;
  }
  return marginal;
}

test('every model\'s full click probabilities are the marginals of its conditional ones (brute force over click vectors)', () => {
  const { sessions } = simulatedPbmLog(11, TRUE_EXAMINATION, 3_000);
  const models = [fitPbm(sessions, { iterations: 20 }), fitUbm(sessions, { iterations: 20 }), fitCascade(sessions), fitSdbn(sessions)];
  fc.assert(
    fc.property(fc.integer({ min: 0, max: sessions.length - 1 }), fc.integer({ min: 1, max: 6 }), (i, n) => {
      const { query, documents } = sessions[i];
      const shown = [...documents.slice(0, n - 1), 'never-seen'];
      for (const model of models) {
        const full = model.fullClickProbabilities({ query, documents: shown, clicks: shown.map(() => false) });
        enumeratedMarginals(model, query, shown).forEach((p, r) => assert.ok(Math.abs(p - full[r]) < 1e-12, `${model.name} rank ${r + 1}: ${p} vs ${full[r]}`));
      }
    }),
    { numRuns: 40, seed: 5 },
  );
});

test('metrics: log-likelihood per session-document and perplexity per rank, by hand', () => {
  const constant = (p: number[]): FittedClickModel => ({ name: 'fixed', conditionalClickProbabilities: () => p, fullClickProbabilities: () => p });
  const sessions: ClickSession[] = [
    { query: 'q', documents: ['a', 'b'], clicks: [true, false] },
    { query: 'q', documents: ['a', 'b'], clicks: [false, false] },
  ];
  const half = evaluateClickModel(constant([0.5, 0.5]), sessions);
  assert.equal(half.perplexity, 2);
  assert.equal(half.logLikelihood, Math.log(0.5));
  const skewed = evaluateClickModel(constant([0.8, 0.1]), sessions);
  assert.ok(Math.abs(skewed.perplexityAtRank[0] - 2 ** (-(Math.log2(0.8) + Math.log2(0.2)) / 2)) < 1e-12);
  assert.ok(Math.abs(skewed.perplexityAtRank[1] - 2 ** -Math.log2(0.9)) < 1e-12);
  assert.ok(Math.abs(skewed.logLikelihood - (Math.log(0.8) + Math.log(0.2) + 2 * Math.log(0.9)) / 4) < 1e-12);
  // A model that calls an observed click impossible costs the floor, not −∞.
  assert.ok(Number.isFinite(evaluateClickModel(constant([0, 0]), sessions).logLikelihood));
});

test('bad sessions and options are refused with what is wrong', () => {
  assert.equal(refusal(() => fitPbm([])).code, 'CLICKS_BAD_INPUT');
  assert.match(refusal(() => fitUbm([{ query: 'q', documents: ['a', 'b'], clicks: [true] }])).message, /ubm: session 0: has 2 documents but 1 click flags/);
  assert.match(refusal(() => fitCascade([{ query: 'q', documents: ['a'], clicks: ['yes' as unknown as boolean] }])).message, /click flag at rank 1 is "yes"/);
  assert.equal(refusal(() => fitPbm([{ query: 'q', documents: ['a'], clicks: [true] }], { priorMean: 2 })).code, 'OPTION_OUT_OF_RANGE');
  const pbm = fitPbm([{ query: 'q', documents: ['a'], clicks: [true] }]);
  assert.match(refusal(() => pbm.fullClickProbabilities({ query: 'q', documents: ['a', 'b'], clicks: [false, false] })).message, /fitted on at most 1/);
});
