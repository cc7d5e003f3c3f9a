// Strategy selection rates over time: per bucket, the share of searches (in the chosen slice) whose plan ran each
// strategy. A learned policy's shares move as it learns which strategies pay for which queries. Searches its
// holdback served (every strategy at full budget) are left out: the chart shows what the policy chose.
import { chartPanel, timeline } from '../chart-panel.js';
import { percent } from '../format.js';
import { sliceName, sliceOf } from '../slices.js';

export const selectionPanel = () => chartPanel({
  id: 'selection',
  title: 'Strategy selection rates',
  description: 'Share of searches whose plan ran each retrieval strategy, per time bucket (held-back searches aside).',
  chart: ({ stats, slice }) => {
    const buckets = stats.series.buckets;
    const ran = stats.strategies.filter((s) => buckets.some((b) => (sliceOf(b, slice)?.selections[s] ?? 0) > 0));
    return {
      title: `Strategy selection rates, ${sliceName(slice)}`,
      xKind: 'time', xLabel: 'time', yLabel: 'share of searches', yInclude: [0, 1], formatY: percent,
      series: ran.map((strategy) => ({
        name: strategy,
        points: timeline(stats).map(({ x, bucket }) => {
          const s = bucket && sliceOf(bucket, slice);
          return { x, y: s && s.searches > s.heldBack ? (s.policySelectionRate[strategy] ?? 0) : null };
        }),
      })),
    };
  },
});
