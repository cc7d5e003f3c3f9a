// Candidates per search over time: what the strategies returned before the union (the plan's cost) and what was
// left after deduplication. A policy that learns cheap plans draws fewer for the same coverage.
import { chartPanel, sliceSeries } from '../chart-panel.js';
import { decimal } from '../format.js';
import { sliceName } from '../slices.js';

export const costPanel = () => chartPanel({
  id: 'cost',
  title: 'Candidates per search (cost)',
  description: 'Candidates the planned strategies returned per search (drawn), and how many were left after the union removed duplicates.',
  chart: ({ stats, slice }) => {
    return {
      title: `Candidates per search, ${sliceName(slice)}`,
      xKind: 'time', xLabel: 'time', yLabel: 'candidates per search', yInclude: [0], formatY: decimal,
      series: [{ name: 'drawn', points: sliceSeries(stats, slice, 'drawnPerSearch') }, { name: 'after the union', points: sliceSeries(stats, slice, 'candidatesPerSearch') }],
    };
  },
});
