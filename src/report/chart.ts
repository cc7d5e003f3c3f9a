/**
 * Line charts for simulator reports (regret, recall over time), written as SVG text by hand: nice-tick axes with
 * grid lines, one colour per series from the Okabe–Ito colour-blind-safe palette (dashed once the palette runs
 * out), a legend, and a <title>/<desc> that screen readers announce. `writeChart` saves the SVG and a PNG of it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createError } from '../errors.js';
import { resolveOptions } from '../options.js';
import { svgToPng, type PngOptions } from './png.js';
import { CHART_PALETTE, seriesStroke } from './palette.js';
import { formatTick, niceAxis, type NiceAxis } from './ticks.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly ChartPoint[];
}

export interface LineChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly width?: number;
  readonly height?: number;
}

export const CHART_OPTIONS = {
  width: { kind: 'number', default: 720, min: 240, max: 8000, integer: true, description: 'chart width in pixels' },
  height: { kind: 'number', default: 420, min: 180, max: 8000, integer: true, description: 'chart height in pixels' },
} as const;

export { CHART_PALETTE } from './palette.js';

const FONT = "'DejaVu Sans', Helvetica, Arial, sans-serif";
const TICK_FONT = 12;
const CHAR_WIDTH = 0.6 * TICK_FONT; // a conservative average advance for sans-serif text, to size margins without a font
const LEGEND_NAME_CHARS = 28;

export function lineChartSvg(spec: LineChartSpec): string {
  const { width, height } = resolveOptions(CHART_OPTIONS, { width: spec.width, height: spec.height }, 'chart.');
  checkSpec(spec);
  const points = spec.series.flatMap((s) => s.points);
  const xAxis = axisOver(points.map((p) => p.x));
  const yAxis = axisOver(points.map((p) => p.y));

  const yTickWidth = Math.max(...yAxis.ticks.map((t) => formatTick(t, yAxis).length)) * CHAR_WIDTH;
  const legendNames = spec.series.map((s) => legendName(s));
  const legendWidth = spec.series.length === 0 ? 0 : Math.max(...legendNames.map((n) => n.length)) * CHAR_WIDTH + 44;
  const plot = { left: Math.ceil(yTickWidth + 42), top: 44, right: width - 16 - legendWidth, bottom: height - 52 };
  if (plot.right - plot.left < 80 || plot.bottom - plot.top < 60) {
    throw createError('CHART_BAD_INPUT', `"${spec.title}"`, `${width}×${height} leaves no room to plot; make the chart larger or the series names shorter`);
  }
  const sx = (x: number) => round(plot.left + ((x - xAxis.min) / (xAxis.max - xAxis.min)) * (plot.right - plot.left));
  const sy = (y: number) => round(plot.bottom - ((y - yAxis.min) / (yAxis.max - yAxis.min)) * (plot.bottom - plot.top));

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title chart-desc" font-family="${FONT}" font-size="${TICK_FONT}">`,
    `<title id="chart-title">${escapeXml(spec.title)}</title>`,
    `<desc id="chart-desc">${escapeXml(describe(spec, xAxis, yAxis))}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${round(width / 2)}" y="26" text-anchor="middle" font-size="16" font-weight="bold" fill="#222222">${escapeXml(spec.title)}</text>`,
    '<g stroke="#e6e6e6" stroke-width="1">',
    ...xAxis.ticks.map((t) => `<line x1="${sx(t)}" y1="${plot.top}" x2="${sx(t)}" y2="${plot.bottom}"/>`),
    ...yAxis.ticks.map((t) => `<line x1="${plot.left}" y1="${sy(t)}" x2="${plot.right}" y2="${sy(t)}"/>`),
    '</g>',
    `<g stroke="#444444" stroke-width="1"><line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}"/><line x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.bottom}"/></g>`,
    '<g fill="#444444">',
    ...xAxis.ticks.map((t) => `<text x="${sx(t)}" y="${plot.bottom + 18}" text-anchor="middle">${escapeXml(formatTick(t, xAxis))}</text>`),
    ...yAxis.ticks.map((t) => `<text x="${plot.left - 8}" y="${sy(t) + 4}" text-anchor="end">${escapeXml(formatTick(t, yAxis))}</text>`),
    '</g>',
    `<text x="${round((plot.left + plot.right) / 2)}" y="${height - 14}" text-anchor="middle" font-size="13" fill="#222222">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(16 ${round((plot.top + plot.bottom) / 2)}) rotate(-90)" text-anchor="middle" font-size="13" fill="#222222">${escapeXml(spec.yLabel)}</text>`,
  ];
  spec.series.forEach((s, i) => {
    if (s.points.length === 0) return; // listed in the legend as "(no data)", nothing to draw
    const stroke = strokeOf(i);
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p.x)} ${sy(p.y)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${stroke}><title>${escapeXml(s.name)}</title></path>`);
    // A one-point path draws nothing; mark the point.
    if (s.points.length === 1) out.push(`<circle cx="${sx(s.points[0].x)}" cy="${sy(s.points[0].y)}" r="3.5" fill="${CHART_PALETTE[i % CHART_PALETTE.length]}"/>`);
  });
  legendNames.forEach((name, i) => {
    const y = plot.top + 8 + i * 20;
    const x = plot.right + 16;
    out.push(`<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}" stroke-width="2.5"${strokeOf(i)}/>`);
    out.push(`<text x="${x + 28}" y="${y + 4}" fill="#222222">${escapeXml(name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** Writes `<path>.svg` and `<path>.png` (creating the folder); the SVG is written first, so it exists even if PNG rendering fails. */
export function writeChart(pathWithoutExtension: string, spec: LineChartSpec, pngOptions: PngOptions = {}): { svg: string; png: string } {
  const svg = lineChartSvg(spec);
  const paths = { svg: `${pathWithoutExtension}.svg`, png: `${pathWithoutExtension}.png` };
  mkdirSync(dirname(paths.svg), { recursive: true });
  writeFileAtomic(paths.svg, svg);
  writeFileAtomic(paths.png, svgToPng(svg, pngOptions));
  return paths;
}

function checkSpec(spec: LineChartSpec): void {
  for (const field of ['title', 'xLabel', 'yLabel'] as const) {
    if (typeof spec[field] !== 'string') throw createError('CHART_BAD_INPUT', field, `is ${JSON.stringify(spec[field])}; expected a string`);
  }
  if (!Array.isArray(spec.series as unknown)) throw createError('CHART_BAD_INPUT', `"${spec.title}"`, 'series must be an array');
  spec.series.forEach((s, i) => {
    const where = `"${spec.title}", series ${i}`;
    if (typeof s?.name !== 'string') throw createError('CHART_BAD_INPUT', where, 'has no name (a string)');
    if (!Array.isArray(s.points as unknown)) throw createError('CHART_BAD_INPUT', `${where} "${s.name}"`, 'points must be an array of {x, y}');
    s.points.forEach((p, j) => {
      for (const axis of ['x', 'y'] as const) {
        const v = p?.[axis];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw createError('CHART_BAD_INPUT', `${where} "${s.name}", point ${j}`, `${axis} is ${String(v)}; expected a finite number`);
        }
      }
    });
  });
}

/** A nice axis over the values (by loop: spreading 10⁵ points into Math.min overflows the stack); [0, 1] when there are none. */
function axisOver(values: readonly number[]): NiceAxis {
  if (values.length === 0) return niceAxis(0, 1);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return niceAxis(lo, hi);
}

function strokeOf(index: number): string {
  const { color, dash } = seriesStroke(index);
  return ` stroke="${color}"${dash ? ` stroke-dasharray="${dash}"` : ''}`;
}

function legendName(s: ChartSeries): string {
  const name = s.name.length > LEGEND_NAME_CHARS ? `${s.name.slice(0, LEGEND_NAME_CHARS - 1)}…` : s.name;
  return s.points.length === 0 ? `${name} (no data)` : name;
}

/** The text alternative: what is plotted, over which ranges, and where each series ends. */
function describe(spec: LineChartSpec, xAxis: NiceAxis, yAxis: NiceAxis): string {
  const ends = spec.series.map((s) => {
    const last = s.points[s.points.length - 1];
    if (last === undefined) return `${s.name}: no data`;
    const count = `${s.points.length} point${s.points.length === 1 ? '' : 's'}`;
    return `${s.name}: ${count}, ending at ${spec.yLabel} ${Number(last.y.toPrecision(4))} (${spec.xLabel} ${Number(last.x.toPrecision(6))})`;
  });
  return [
    `Line chart of ${spec.series.length} series, ${spec.yLabel} (${formatTick(yAxis.min, yAxis)} to ${formatTick(yAxis.max, yAxis)}) against ${spec.xLabel} (${formatTick(xAxis.min, xAxis)} to ${formatTick(xAxis.max, xAxis)}).`,
    ...ends.map((e) => `${e}.`),
  ].join(' ');
}

const round = (v: number) => Math.round(v * 100) / 100;

/** Text for XML content and attributes; characters XML 1.0 forbids are dropped, since one would make the file unreadable. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
