// The log-spaced histogram against the exact answer (a sorted array, util percentile): every percentile within
// one bin's factor of the exact nearest-rank one, count/sum/max exact, and merging equal to recording the union.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { percentile } from '../../src/eval/latency.js';
import { LOG_HISTOGRAM_MIN, LogHistogram, upperEdge } from '../../src/util/log-histogram.js';

const BIN_FACTOR = 2 ** (1 / 4);
const latencies = fc.array(fc.double({ min: LOG_HISTOGRAM_MIN, max: 30_000, noNaN: true }), { minLength: 1, maxLength: 300 });

test('percentiles are within one bin of the exact nearest-rank percentile; count, sum and max are exact', () => {
  fc.assert(
    fc.property(latencies, fc.double({ min: 0.01, max: 1, noNaN: true }), (values, p) => {
      const h = new LogHistogram();
      for (const v of values) h.record(v);
      const exact = percentile(Float64Array.from(values).sort(), p);
      const estimate = h.percentile(p);
      assert.ok(estimate <= exact * BIN_FACTOR * (1 + 1e-9) && estimate >= exact / BIN_FACTOR / (1 + 1e-9), `p${p}: ${estimate} vs exact ${exact}`);
      assert.equal(h.count, values.length);
      assert.equal(h.max, Math.max(...values));
      assert.ok(Math.abs(h.sum - values.reduce((a, b) => a + b, 0)) <= 1e-9 * h.sum);
    }),
    { seed: 7, numRuns: 300 },
  );
});

test('merging two histograms equals recording both sets of values', () => {
  fc.assert(
    fc.property(latencies, latencies, (a, b) => {
      const merged = new LogHistogram();
      const both = new LogHistogram();
      const left = new LogHistogram();
      for (const v of a) left.record(v);
      for (const v of b) merged.record(v);
      merged.add(left);
      for (const v of [...a, ...b]) both.record(v);
      assert.deepEqual([...merged.counts], [...both.counts]);
      assert.equal(merged.max, both.max);
      for (const p of [0.5, 0.9, 0.99]) assert.equal(merged.percentile(p), both.percentile(p));
    }),
    { seed: 11, numRuns: 100 },
  );
});

test('the sum is the same double whatever the order values were recorded and histograms merged in', () => {
  fc.assert(
    fc.property(latencies, fc.integer({ min: 1, max: 8 }), fc.integer(), (values, groups, seed) => {
      const inOrder = new LogHistogram();
      for (const v of values) inOrder.record(v);
      // The same values, reversed and filed round-robin into groups, merged last group first.
      const parts = Array.from({ length: groups }, () => new LogHistogram());
      [...values].reverse().forEach((v, i) => parts[(i + seed) % groups === 0 ? 0 : Math.abs(i + seed) % groups].record(v));
      const merged = new LogHistogram();
      for (const part of parts.reverse()) merged.add(part);
      assert.equal(merged.sum, inOrder.sum);
      assert.equal(merged.count, inOrder.count);
    }),
    { seed: 13, numRuns: 300 },
  );
  // Plain float addition loses 1 here (1e16 + 1 rounds to 1e16); the kept error brings it back.
  const h = new LogHistogram();
  for (const v of [1e16, 1, 1, -0, 1e16]) h.record(v);
  assert.equal(h.sum, 2e16 + 2);
});

test('edges: tiny, huge and empty', () => {
  const h = new LogHistogram();
  assert.ok(Number.isNaN(h.percentile(0.5)));
  assert.ok(Number.isNaN(h.summary().mean));
  h.record(0);
  h.record(1e9);
  assert.equal(h.counts[0], 1);
  assert.equal(h.counts.at(-1), 1);
  assert.equal(h.percentile(1), 1e9, 'the overflow bin answers with the largest value seen');
  assert.ok(h.percentile(0.5) <= LOG_HISTOGRAM_MIN);
  assert.equal(upperEdge(0), LOG_HISTOGRAM_MIN);
  assert.equal(upperEdge(4), 2 * LOG_HISTOGRAM_MIN);
});
