import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { CHART_PALETTE, lineChartSvg, writeChart, type ChartSeries, type LineChartSpec } from '../../src/report/chart.js';
import { svgToPng } from '../../src/report/png.js';
import { formatTick, niceAxis } from '../../src/report/ticks.js';
import { tempDir } from '../helpers/tmp.js';
import { refusal } from '../helpers/refusal.js';

const line = (name: string, ys: number[]): ChartSeries => ({ name, points: ys.map((y, x) => ({ x, y })) });
const spec = (series: ChartSeries[], extra: Partial<LineChartSpec> = {}): LineChartSpec => ({
  title: 'Regret',
  xLabel: 'queries',
  yLabel: 'cumulative regret',
  series,
  ...extra,
});

/** Checks that every tag closes in order and that no raw "<" or "&" is left in text; returns the element names seen. */
function assertWellFormed(svg: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  let rest = svg.trim();
  while (rest.length > 0) {
    const tag = /^<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (tag) {
      const [whole, closing, name, , selfClosing] = tag;
      if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
      else if (!selfClosing) stack.push(name);
      if (!closing) names.push(name);
      rest = rest.slice(whole.length);
      continue;
    }
    const text = /^[^<]+/.exec(rest);
    assert.ok(text, `not a tag: ${rest.slice(0, 40)}`);
    assert.doesNotMatch(text[0], /&(?!(amp|lt|gt|quot|apos);)/, `unescaped & in ${text[0]}`);
    rest = rest.slice(text[0].length);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  return names;
}

test('the SVG is well formed, with a viewBox, a title and description, and one path per series', () => {
  const svg = lineChartSvg(spec([line('LinUCB', [0, 1, 1.5, 1.8]), line('random', [0, 2, 4, 6]), line('greedy', [0, 1.2, 2, 2.1])]));
  const names = assertWellFormed(svg);
  assert.equal(names[0], 'svg');
  assert.equal(names.filter((n) => n === 'path').length, 3);
  assert.match(svg, /viewBox="0 0 720 420"/);
  assert.match(svg, /role="img" aria-labelledby="chart-title chart-desc"/);
  assert.match(svg, /<title id="chart-title">Regret<\/title>/);
  assert.match(svg, /<desc id="chart-desc">Line chart of 3 series, cumulative regret \(0 to 6\) against queries \(0 to 3\)\. LinUCB: 4 points, ending at cumulative regret 1\.8/);
  const strokes = [...svg.matchAll(/<path [^>]*stroke="(#[0-9A-F]+)"/g)].map((m) => m[1]);
  assert.deepEqual(strokes, CHART_PALETTE.slice(0, 3));
  for (const label of ['0', '2', '4', '6']) assert.match(svg, new RegExp(`text-anchor="end">${label}</text>`));
});

test('text is escaped everywhere it appears', () => {
  const svg = lineChartSvg(spec([line('a <b> & "c"', [1, 2])], { title: 'P < 0.05 & more', xLabel: "x's", yLabel: 'y\u0001' }));
  assertWellFormed(svg);
  assert.match(svg, /<title id="chart-title">P &lt; 0\.05 &amp; more<\/title>/);
  assert.match(svg, /a &lt;b&gt; &amp; &quot;c&quot;/);
  assert.match(svg, /x&apos;s/);
  assert.doesNotMatch(svg, /\u0001/);
});

test('a single point is marked, an empty series is listed as "(no data)", and no series at all still draws axes', () => {
  const single = lineChartSvg(spec([line('one', [3])]));
  assertWellFormed(single);
  assert.match(single, /<circle /);
  assert.equal((single.match(/<path /g) ?? []).length, 1);

  const empty = lineChartSvg(spec([line('full', [1, 2]), { name: 'nothing yet', points: [] }]));
  assertWellFormed(empty);
  assert.equal((empty.match(/<path /g) ?? []).length, 1);
  assert.match(empty, />nothing yet \(no data\)</);

  const none = lineChartSvg(spec([]));
  assertWellFormed(none);
  assert.doesNotMatch(none, /<path /);
});

test('more series than colours stay distinct: the palette repeats with a dash pattern', () => {
  const series = Array.from({ length: 12 }, (_, i) => line(`s${i}`, [i, i + 1]));
  const svg = lineChartSvg(spec(series));
  const strokes = [...svg.matchAll(/<path [^>]*?(stroke="[^"]+"(?: stroke-dasharray="[^"]+")?)/g)].map((m) => m[1]);
  assert.equal(strokes.length, 12);
  assert.equal(new Set(strokes).size, 12);
});

test('NaN, infinities, missing names and bad sizes are refused, naming the series and point', () => {
  const nan = refusal(() => lineChartSvg(spec([line('ok', [1]), { name: 'recall', points: [{ x: 0, y: 1 }, { x: 1, y: Number.NaN }] }])));
  assert.equal(nan.code, 'CHART_BAD_INPUT');
  assert.equal(nan.message, 'chart "Regret", series 1 "recall", point 1: y is NaN; expected a finite number');
  assert.match(refusal(() => lineChartSvg(spec([{ name: 'r', points: [{ x: Infinity, y: 0 }] }]))).message, /x is Infinity/);
  assert.match(refusal(() => lineChartSvg(spec([{ points: [] } as unknown as ChartSeries]))).message, /series 0: has no name/);
  const size = refusal(() => lineChartSvg(spec([], { width: 10 })));
  assert.equal(size.code, 'OPTION_OUT_OF_RANGE');
  assert.match(size.message, /"chart\.width" is 10; it must be an integer in \[240, 8000\]/);
  assert.match(refusal(() => lineChartSvg(spec([line('x'.repeat(40), [1])], { width: 240 }))).message, /no room to plot/);
});

test('nice axes cover the data with evenly spaced, distinctly labelled ticks (property)', () => {
  assert.deepEqual(niceAxis(0, 0.93).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceAxis(0.1, 0.3).ticks, [0.1, 0.15, 0.2, 0.25, 0.3]);
  assert.deepEqual(niceAxis(5, 5).ticks, [4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6]);
  assert.deepEqual(niceAxis(0, 0).ticks, [-1, -0.5, 0, 0.5, 1]);
  assert.equal(formatTick(10_000, niceAxis(0, 10_000)), '10,000');
  const big = niceAxis(0, 3e7);
  assert.deepEqual(big.ticks.map((t) => formatTick(t, big)), ['0', '1e7', '2e7', '3e7']);
  const fine = niceAxis(1.2e7, 1.25e7);
  assert.deepEqual(fine.ticks.map((t) => formatTick(t, fine)).slice(0, 2), ['1.20e7', '1.21e7']);
  const value = fc.double({ min: -1e9, max: 1e9, noNaN: true });
  fc.assert(
    fc.property(value, value, (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const axis = niceAxis(lo, hi);
      assert.ok(axis.min <= lo + axis.step * 1e-9 && axis.max >= hi - axis.step * 1e-9, `[${axis.min}, ${axis.max}] misses [${lo}, ${hi}]`);
      assert.ok(axis.ticks.length >= 2 && axis.ticks.length <= 12, `${axis.ticks.length} ticks`);
      axis.ticks.slice(1).forEach((t, i) => assert.ok(Math.abs(t - axis.ticks[i] - axis.step) <= axis.step * 1e-9));
      const labels = axis.ticks.map((t) => formatTick(t, axis));
      assert.equal(new Set(labels).size, labels.length, `labels repeat: ${labels.join(' ')}`);
    }),
    { seed: 3, numRuns: 300 },
  );
});

/** Width and height from the IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test('the PNG has the requested size, with system fonts and with none at all', () => {
  const svg = lineChartSvg(spec([line('a', [1, 3, 2])], { width: 500, height: 300 }));
  assert.deepEqual(pngSize(svgToPng(svg)), { width: 500, height: 300 });
  // A machine without fonts: the text is left out, the lines still render, nothing throws.
  assert.deepEqual(pngSize(svgToPng(svg, { loadSystemFonts: false })), { width: 500, height: 300 });
  assert.equal(refusal(() => svgToPng('<svg')).code, 'CHART_BAD_INPUT');
});

test('writeChart writes the SVG and the PNG, creating the folder', () => {
  const base = join(tempDir(), 'charts', 'regret');
  const paths = writeChart(base, spec([line('a', [0, 1, 3])]));
  assert.deepEqual(paths, { svg: `${base}.svg`, png: `${base}.png` });
  assert.ok(existsSync(paths.svg) && existsSync(paths.png));
  assert.equal(readFileSync(paths.svg, 'utf8'), lineChartSvg(spec([line('a', [0, 1, 3])])));
  assert.deepEqual(pngSize(readFileSync(paths.png)), { width: 720, height: 420 });
});
