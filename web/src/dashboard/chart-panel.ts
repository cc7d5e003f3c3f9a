// A panel holding one line chart: the panel says how to make the chart from the current view (the /stats snapshot
// and the chosen slice), this draws it on every update, when the panel's own controls change, and on resize.
import { type LineChartSpec, renderLineChart } from '../shared/svg-chart.js';
import type { BucketStats } from '../../../src/engine/stats-bucket.js';
import type { StatsSnapshot } from './dashboard-api.js';
import { type Panel, type PanelFrame, panelFrame, redrawOnResize } from './panel-frame.js';
import { type SliceKey, sliceOf } from './slices.js';

/** The longest timeline drawn (a day of 1-minute buckets). */
const MAX_STEPS = 1440;

export interface DashboardView {
  stats: StatsSnapshot;
  slice: SliceKey;
}

export interface ChartPanelSpec {
  id: string;
  title: string;
  description: string;
  chart: (view: DashboardView) => LineChartSpec;
  /** Adds the panel's own controls; call `redraw` when one changes. */
  controls?: (frame: PanelFrame, redraw: () => void) => void;
}

export function chartPanel(spec: ChartPanelSpec): Panel<DashboardView> {
  const frame = panelFrame(spec.id, spec.title, spec.description);
  let view: DashboardView | undefined;
  const draw = () => view && renderLineChart(frame.body, spec.chart(view));
  spec.controls?.(frame, draw);
  redrawOnResize(frame.body, draw);
  return {
    element: frame.section,
    update(next) {
      view = next;
      draw();
    },
  };
}

/**
 * Every bucket start from the first bucket to the last, with its bucket, or none where nothing happened (/stats
 * keeps no empty buckets): charts show a quiet stretch as a gap or a zero rather than a line across it.
 */
/** The measures a slice has one number of (or none) per bucket. */
export type SliceMeasure = 'coverage' | 'meanReward' | 'drawnPerSearch' | 'candidatesPerSearch';

/** One measure of the chosen slice, bucket by bucket along the timeline (null where a bucket has none). */
export function sliceSeries(stats: StatsSnapshot, slice: SliceKey, measure: SliceMeasure): Array<{ x: number; y: number | null }> {
  return timeline(stats).map(({ x, bucket }) => ({ x, y: (bucket && sliceOf(bucket, slice)?.[measure]) ?? null }));
}

export function timeline(stats: StatsSnapshot): Array<{ x: number; bucket?: BucketStats }> {
  const buckets = stats.series.buckets;
  if (buckets.length === 0) return [];
  const width = stats.series.bucketSeconds * 1000;
  const byStart = new Map(buckets.map((b) => [b.start, b]));
  const first = buckets[0].start;
  const steps = Math.min(MAX_STEPS, Math.round((buckets[buckets.length - 1].start - first) / width));
  return Array.from({ length: steps + 1 }, (_, i) => ({ x: first + i * width, bucket: byStart.get(first + i * width) }));
}
