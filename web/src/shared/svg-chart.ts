// A line chart drawn as SVG in the page, sized to its container (redrawn on resize, so it stays legible from a
// phone to a wide screen): nice-tick axes (src/report/ticks.ts) or clock-time ticks, grid lines, axis labels, one
// colour per series from the shared palette (dashed past it), a marker on every point so that a series of one
// bucket still shows, gaps where a value is missing, a legend in HTML (it wraps), an aria-label summarising the
// chart, and the numbers behind it in a toggleable data table.
import { seriesStroke } from '../../../src/report/palette.js';
import { formatTick, niceAxis } from '../../../src/report/ticks.js';
import { type TableColumn, dataTable } from './data-table.js';
import { clockTime, timeTicks } from './time-ticks.js';

export interface ChartSeries {
  name: string;
  /** y null: no value there (drawn as a gap). */
  points: ReadonlyArray<{ x: number; y: number | null }>;
}

export interface LineChartSpec {
  /** What the chart shows, for its accessible name and the table's caption. */
  title: string;
  xKind: 'time' | 'number';
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** Values the y axis must include (e.g. 0, or 0 and 1 for a share). */
  yInclude?: readonly number[];
  formatY: (y: number) => string;
  /** Row headings of the data table for x values (default: clock time or the number). */
  formatX?: (x: number) => string;
}

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 220;
const CHAR = 7; // average advance of a 12 px label, to size the margin without measuring text
const MAX_MARKERS = 240;

function svgEl<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const round = (v: number) => Math.round(v * 10) / 10;

/** Draws the chart into `host` (replacing what was there; the data table stays open if it was). */
export function renderLineChart(host: HTMLElement, spec: LineChartSpec): void {
  const wasOpen = host.querySelector('details')?.open ?? false;
  const width = Math.max(260, host.clientWidth || 600);
  const values = spec.series.flatMap((s) => s.points.filter((p) => p.y !== null).map((p) => p.y as number));
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = [...values, ...(spec.yInclude ?? [])];
  const yAxis = ys.length > 0 ? niceAxis(Math.min(...ys), Math.max(...ys), 5) : niceAxis(0, 1, 5);
  let [x0, x1] = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  if (x0 === x1) [x0, x1] = spec.xKind === 'time' ? [x0 - 5000, x1 + 5000] : [x0 - 1, x1 + 1];
  const yLabels = yAxis.ticks.map((t) => formatTick(t, yAxis));
  const plot = { left: 30 + Math.max(...yLabels.map((l) => l.length)) * CHAR, top: 12, right: width - 14, bottom: HEIGHT - 40 };
  const maxXTicks = Math.max(2, Math.floor((plot.right - plot.left) / 70));
  const xTicks = spec.xKind === 'time' ? timeTicks(x0, x1, maxXTicks) : numberTicks(x0, x1, maxXTicks);
  const sx = (x: number) => round(plot.left + ((x - x0) / (x1 - x0)) * (plot.right - plot.left));
  const sy = (y: number) => round(plot.bottom - ((y - yAxis.min) / (yAxis.max - yAxis.min)) * (plot.bottom - plot.top));

  const svg = svgEl('svg', { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': summarise(spec), class: 'chart' });
  const grid = svgEl('g', { class: 'grid' });
  for (const t of xTicks.ticks) grid.append(svgEl('line', { x1: sx(t), x2: sx(t), y1: plot.top, y2: plot.bottom }));
  for (const t of yAxis.ticks) grid.append(svgEl('line', { x1: plot.left, x2: plot.right, y1: sy(t), y2: sy(t) }));
  const axes = svgEl('g', { class: 'axis' });
  axes.append(svgEl('path', { d: `M${plot.left} ${plot.top}V${plot.bottom}H${plot.right}`, fill: 'none' }));
  for (const t of xTicks.ticks) {
    const text = xTicks.label(t);
    const half = (text.length * CHAR) / 2; // kept inside the chart: the last tick may sit at its right edge
    axes.append(svgEl('text', { x: Math.min(Math.max(sx(t), half + 2), width - half - 2), y: plot.bottom + 16, 'text-anchor': 'middle' }, text));
  }
  yAxis.ticks.forEach((t, i) => axes.append(svgEl('text', { x: plot.left - 6, y: sy(t) + 4, 'text-anchor': 'end' }, yLabels[i])));
  axes.append(svgEl('text', { x: (plot.left + plot.right) / 2, y: HEIGHT - 6, 'text-anchor': 'middle', class: 'axis-label' }, spec.xLabel));
  axes.append(svgEl('text', { transform: `translate(12 ${(plot.top + plot.bottom) / 2}) rotate(-90)`, 'text-anchor': 'middle', class: 'axis-label' }, spec.yLabel));
  svg.append(grid, axes);

  spec.series.forEach((s, i) => {
    const { color, dash } = seriesStroke(i);
    const group = svgEl('g', { class: 'series', 'data-series': s.name });
    let d = '';
    let pen = 'M';
    for (const p of s.points) {
      if (p.y === null) {
        pen = 'M';
        continue;
      }
      d += `${pen}${sx(p.x)} ${sy(p.y)}`;
      pen = 'L';
    }
    if (d) group.append(svgEl('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round', ...(dash && { 'stroke-dasharray': dash }) }));
    const marked = s.points.filter((p) => p.y !== null);
    for (const p of marked.length > MAX_MARKERS ? marked.slice(-1) : marked) group.append(svgEl('circle', { cx: sx(p.x), cy: sy(p.y as number), r: 2.5, fill: color }));
    svg.append(group);
  });

  const formatX = spec.formatX ?? (spec.xKind === 'time' ? (x: number) => clockTime(x, true) : (x: number) => String(x));
  host.replaceChildren(svg, legend(spec.series), tableOf(spec, formatX, wasOpen));
}

function numberTicks(x0: number, x1: number, maxTicks: number) {
  const axis = niceAxis(x0, x1, Math.min(maxTicks, 6));
  return { ticks: axis.ticks.filter((t) => t >= x0 && t <= x1), label: (t: number) => formatTick(t, axis) };
}

function legend(series: readonly ChartSeries[]): HTMLUListElement {
  const list = document.createElement('ul');
  list.className = 'legend';
  series.forEach((s, i) => {
    const { color, dash } = seriesStroke(i);
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.borderTop = `3px ${dash ? 'dashed' : 'solid'} ${color}`;
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, s.name);
    list.append(item);
  });
  return list;
}

/** One row per x, one column per series. */
function tableOf(spec: LineChartSpec, formatX: (x: number) => string, open: boolean): HTMLDetailsElement {
  const xs = [...new Set(spec.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const byX = spec.series.map((s) => new Map(s.points.map((p) => [p.x, p.y])));
  const columns: TableColumn[] = spec.series.map((s) => ({ name: s.name, format: spec.formatY }));
  const rows = xs.map((x) => ({ head: formatX(x), key: x, values: byX.map((m) => m.get(x) ?? null) }));
  return dataTable(spec.title, spec.xLabel, columns, rows, open);
}

/** The accessible name: what is plotted, over what range, and each series' latest value. */
function summarise(spec: LineChartSpec): string {
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x));
  if (xs.length === 0) return `${spec.title}: no data yet.`;
  const fx = spec.xKind === 'time' ? (x: number) => clockTime(x) : (x: number) => String(x);
  const latest = spec.series.map((s) => {
    const last = [...s.points].reverse().find((p) => p.y !== null);
    return `${s.name} ${last ? spec.formatY(last.y as number) : 'no data'}`;
  });
  return `${spec.title}: ${spec.yLabel} by ${spec.xLabel}, ${fx(Math.min(...xs))} to ${fx(Math.max(...xs))}. Latest: ${latest.join(', ')}.`;
}
