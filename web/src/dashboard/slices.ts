// Which searches the selection, learning and cost charts show: all of them, one query type, or one caller label
// (the simulator labels each search with its query style). /stats keeps a slice per type and per label.
import type { BucketStats, SliceStats } from '../../../src/engine/stats-bucket.js';
import type { StatsSnapshot } from './dashboard-api.js';

export type SliceKey = 'all' | `type:${string}` | `label:${string}`;

export function sliceOf(bucket: BucketStats, key: SliceKey): SliceStats | undefined {
  if (key === 'all') return bucket;
  const [group, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  return group === 'type' ? bucket.byType[name] : bucket.byLabel[name];
}

export function sliceName(key: SliceKey): string {
  if (key === 'all') return 'all searches';
  const name = key.slice(key.indexOf(':') + 1);
  return key.startsWith('type:') ? `query type “${name}”` : `label “${name}”`;
}

/** The slices the totals know of, in groups for a <select>. */
export function availableSlices(stats: StatsSnapshot): { types: SliceKey[]; labels: SliceKey[] } {
  return {
    types: Object.keys(stats.totals.byType).map((t): SliceKey => `type:${t}`),
    labels: Object.keys(stats.totals.byLabel).map((l): SliceKey => `label:${l}`),
  };
}
