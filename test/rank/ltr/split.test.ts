// Histogram split finding against a brute-force exact oracle: on data with few distinct values per feature
// every value has its own bin, so the best histogram split must be the best exact split (same feature, same
// threshold, same gain; or, where two features cut the rows alike, an exactly tied one). Also: the sparse histogram (default bins filled from the totals) equals a naive dense
// one, subtraction gives the sibling's, and quantile binning respects its bounds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { binFeatures, binOf, binThresholds } from '../../../src/rank/ltr/binning.js';
import { rankDataset } from '../../../src/rank/ltr/dataset.js';
import { buildHistogram, newHistogram, subtractHistogram, subtractRows } from '../../../src/rank/ltr/histogram.js';
import { findBestSplit, noSplit, type SplitConstraints } from '../../../src/rank/ltr/split.js';
import { mulberry32 } from '../../../src/util/random.js';

function randomData(seed: number, rows: number, width: number) {
  const random = mulberry32(seed);
  // Sparse-ish features with a few distinct values, as in ranking data (many zeros).
  const features = Float32Array.from({ length: rows * width }, () => (random() < 0.4 ? 0 : Math.round(random() * 12) / 4));
  const data = rankDataset({ featureNames: Array.from({ length: width }, (_, i) => `x${i}`), features, labels: new Array(rows).fill(0), groupSizes: [rows] });
  const grad = Float64Array.from({ length: rows }, () => random() * 2 - 1);
  const hess = Float64Array.from({ length: rows }, () => random() * 0.5 + 0.01);
  return { data, grad, hess };
}

/**
 * Every threshold between distinct values of every feature, scored directly from the rows: the best (the first
 * of equals) and the gain of every split the constraints allow, by `feature@threshold`.
 */
function exactBestSplit(features: Float32Array, width: number, rows: number[], grad: Float64Array, hess: Float64Array, c: SplitConstraints) {
  let best = { gain: c.minGain, feature: -1, threshold: 0 };
  const gains = new Map<string, number>();
  let G = 0;
  let H = 0;
  for (const r of rows) {
    G += grad[r];
    H += hess[r];
  }
  for (let f = 0; f < width; f++) {
    const values = [...new Set(rows.map((r) => features[r * width + f]))].sort((a, b) => a - b);
    for (let i = 0; i + 1 < values.length; i++) {
      const threshold = (values[i] + values[i + 1]) / 2;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      for (const r of rows) {
        if (features[r * width + f] <= threshold) {
          gl += grad[r];
          hl += hess[r];
          nl++;
        }
      }
      const nr = rows.length - nl;
      if (nl < c.minDataInLeaf || nr < c.minDataInLeaf || hl < c.minSumHessian || H - hl < c.minSumHessian) continue;
      const gain = (gl * gl) / (hl + c.lambdaL2) + ((G - gl) * (G - gl)) / (H - hl + c.lambdaL2) - (G * G) / (H + c.lambdaL2);
      gains.set(`${f}@${threshold}`, gain);
      if (gain > best.gain + 1e-12) best = { gain, feature: f, threshold };
    }
  }
  return { ...best, gains };
}

test('the histogram split is the exact best split (feature, threshold, gain) on random data', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 2, noNaN: true }), (seed, rows, width, minData, lambdaL2) => {
      const { data, grad, hess } = randomData(seed, rows, width);
      const constraints = { minDataInLeaf: minData, minSumHessian: 1e-3, lambdaL2, minGain: 0 };
      const binned = binFeatures(data, 255);
      const all = Int32Array.from({ length: rows }, (_, i) => i);
      const hist = newHistogram(binned);
      let gradient = 0;
      let hessian = 0;
      all.forEach((r) => ((gradient += grad[r]), (hessian += hess[r])));
      buildHistogram(hist, binned, all, 0, rows, grad, hess, { gradient, hessian, count: rows });
      const split = findBestSplit(hist, binned, Int32Array.from({ length: binned.width }, (_, i) => i), { gradient, hessian, count: rows }, constraints, noSplit());
      const oracle = exactBestSplit(data.features, width, [...all], grad, hess, constraints);
      if (oracle.feature < 0) return split.feature < 0 || Math.abs(split.gain - oracle.gain) < 1e-9;
      const tolerance = 1e-9 * Math.max(1, oracle.gain);
      const chosen = `${binned.columns[split.feature]}@${binned.thresholds[split.feature][split.bin]}`;
      const exact = oracle.gains.get(chosen);
      assert.ok(exact !== undefined, `${chosen} is a split the rows and constraints allow`);
      // Two features can cut the rows alike (same partition, same gain to the last bits): then either is the best.
      if (chosen !== `${oracle.feature}@${oracle.threshold}`) assert.ok(Math.abs(exact - oracle.gain) <= tolerance, `${chosen} (exact gain ${exact}) ties the best, ${oracle.feature}@${oracle.threshold} (${oracle.gain})`);
      assert.ok(Math.abs(split.gain - oracle.gain) <= tolerance, `${split.gain} vs ${oracle.gain}`);
      return true;
    }),
    { numRuns: 200 },
  );
});

test('sparse histograms equal naive dense sums; subtraction (of a histogram or of rows) gives the sibling', () => {
  const { data, grad, hess } = randomData(3, 80, 6);
  const binned = binFeatures(data, 255);
  const naive = (rows: number[]) => {
    const h = newHistogram(binned);
    for (const r of rows) {
      for (let f = 0; f < binned.width; f++) {
        const cell = 3 * (binned.binOffsets[f] + binOf(binned.thresholds[f], data.features[r * 6 + binned.columns[f]]));
        h[cell] += grad[r];
        h[cell + 1] += hess[r];
        h[cell + 2] += 1;
      }
    }
    return h;
  };
  const totals = (rows: number[]) => rows.reduce((t, r) => ({ gradient: t.gradient + grad[r], hessian: t.hessian + hess[r], count: t.count + 1 }), { gradient: 0, hessian: 0, count: 0 });
  const rows = Int32Array.from({ length: 80 }, (_, i) => i);
  const close = (a: Float64Array, b: Float64Array) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-9, `cell ${i}: ${v} vs ${b[i]}`));
  const parent = newHistogram(binned);
  buildHistogram(parent, binned, rows, 0, 80, grad, hess, totals([...rows]));
  close(parent, naive([...rows]));
  const child = newHistogram(binned);
  buildHistogram(child, binned, rows, 0, 30, grad, hess, totals([...rows.subarray(0, 30)]));
  close(child, naive([...rows.subarray(0, 30)]));
  const viaRows = Float64Array.from(parent);
  subtractHistogram(parent, child);
  close(parent, naive([...rows.subarray(30)]));
  subtractRows(viaRows, binned, rows, 0, 30, grad, hess);
  close(viaRows, naive([...rows.subarray(30)]));
});

test('quantile bins: at most maxBin, one per value when few, binOf consistent with the thresholds', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 2, max: 40 }), (values, maxBin) => {
      const sorted = Float32Array.from(values).sort();
      const cuts = binThresholds(sorted, maxBin);
      const distinct = new Set(sorted).size;
      assert.ok(cuts.length + 1 <= maxBin);
      if (distinct <= maxBin) assert.equal(cuts.length + 1, distinct);
      for (let i = 1; i < cuts.length; i++) assert.ok(cuts[i] > cuts[i - 1]);
      for (const v of sorted) {
        const b = binOf(cuts, v);
        for (let t = 0; t < cuts.length; t++) assert.equal(v <= cuts[t], b <= t);
      }
      return true;
    }),
    { numRuns: 100 },
  );
});
