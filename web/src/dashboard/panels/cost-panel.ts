// Candidates per search over time: what the strategies returned before the union (the plan's cost) and what was
// left after deduplication. A policy that learns cheap plans draws fewer for the same coverage.
import { chartPanel, timeline } from '../chart-panel.js';
import { decimal } from '../format.js';
import { sliceName, sliceOf } from '../slices.js';

export const costPanel = () => chartPanel({
  id: 'cost',
  title: 'Candidates per search (cost)',
  description: 'Candidates the planned strategies returned per search (drawn), and how many were left after the union removed duplicates.',
  chart: ({ stats, slice }) => {
    const times = timeline(stats);
    const value = (key: 'drawnPerSearch' | 'candidatesPerSearch') => times.map(({ x, bucket }) => ({ x, y: (bucket && sliceOf(bucket, slice)?.[key]) ?? null }));
    return {
      title: `Candidates per search, ${sliceName(slice)}`,
      xKind: 'time', xLabel: 'time', yLabel: 'candidates per search', yInclude: [0], formatY: decimal,
      series: [{ name: 'drawn', points: value('drawnPerSearch') }, { name: 'after the union', points: value('candidatesPerSearch') }],
    };
  },
});
