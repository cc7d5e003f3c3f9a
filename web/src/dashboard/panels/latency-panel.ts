// Latency per stage over time: the chosen percentile (p50, p90, p99) of plan, retrieve, rank and total, per bucket,
// from the engine's log-binned histograms (exact to within one bin).
import { STAGES } from '../../../../src/engine/stats-bucket.js';
import { chartPanel, timeline } from '../chart-panel.js';
import { ms } from '../format.js';
import { labelledSelect } from '../panel-frame.js';

type Percentile = 'p50' | 'p90' | 'p99';

export function latencyPanel() {
  let percentile: Percentile = 'p90';
  return chartPanel({
    id: 'latency',
    title: 'Latency per stage',
    description: 'Milliseconds per search stage: planning (with query understanding), retrieval, ranking and the total.',
    controls: (frame, redraw) => {
      const { wrap, select } = labelledSelect('latency-percentile', 'Percentile', [['p50', 'p50 (median)'], ['p90', 'p90'], ['p99', 'p99']], (value) => {
        percentile = value as Percentile;
        redraw();
      });
      select.value = percentile;
      frame.controls.append(wrap);
    },
    chart: ({ stats }) => ({
      title: `Latency ${percentile} per stage`,
      xKind: 'time', xLabel: 'time', yLabel: `${percentile} latency (ms)`, yInclude: [0], formatY: ms,
      series: STAGES.map((stage) => ({ name: stage, points: timeline(stats).map(({ x, bucket }) => ({ x, y: bucket?.latencyMs[stage][percentile] ?? null })) })),
    }),
  });
}
