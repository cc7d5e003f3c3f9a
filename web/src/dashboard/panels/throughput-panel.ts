// Event throughput: searches and feedback events (all types) per time bucket, over all traffic.
import type { BucketStats } from '../../../../src/engine/stats-bucket.js';
import { chartPanel, timeline } from '../chart-panel.js';
import { count } from '../format.js';

export const feedbackEvents = (b: BucketStats) => Object.values(b.feedback).reduce((sum, n) => sum + n, 0);

export const throughputPanel = () => chartPanel({
  id: 'throughput',
  title: 'Event throughput',
  description: 'Searches and feedback events (clicks, plays, likes, favourites, skips, dwells) per time bucket, all traffic.',
  chart: ({ stats }) => {
    const times = timeline(stats);
    return {
      title: `Events per ${stats.series.bucketSeconds} s bucket`,
      xKind: 'time', xLabel: 'time', yLabel: `events per ${stats.series.bucketSeconds} s`, yInclude: [0], formatY: count,
      series: [
        { name: 'searches', points: times.map(({ x, bucket }) => ({ x, y: bucket?.searches ?? 0 })) },
        { name: 'feedback events', points: times.map(({ x, bucket }) => ({ x, y: bucket ? feedbackEvents(bucket) : 0 })) },
      ],
    };
  },
});
