// Reward and coverage over time: of the requests that closed in a bucket with a policy outcome, the share in which
// a strategy found what the user engaged with (coverage, the live proxy for candidate recall), and the mean reward
// (covered − cost weight × cost). A static plan learns nothing, so these stay empty under one.
import { chartPanel, sliceSeries } from '../chart-panel.js';
import { decimal } from '../format.js';
import { sliceName } from '../slices.js';

export const learningPanel = () => chartPanel({
  id: 'learning',
  title: 'Reward and coverage',
  description: 'Coverage: share of closed requests in which a planned strategy found what the user engaged with (live candidate recall). Reward: coverage minus the cost of the candidates drawn.',
  chart: ({ stats, slice }) => {
    return {
      title: `Reward and coverage, ${sliceName(slice)}`,
      xKind: 'time', xLabel: 'time', yLabel: 'per closed request', yInclude: [0, 1], formatY: decimal,
      series: [{ name: 'coverage', points: sliceSeries(stats, slice, 'coverage') }, { name: 'mean reward', points: sliceSeries(stats, slice, 'meanReward') }],
    };
  },
});
