// The dashboard's view controls: which searches the per-slice charts show (all, a query type, a label), the time
// resolution (10 s buckets over the last hour, or 1 min over the last day), and when the data last arrived.
import type { Resolution, StatsSnapshot } from './dashboard-api.js';
import { labelledSelect } from './panel-frame.js';
import { availableSlices, type SliceKey } from './slices.js';
import { clockTime } from '../shared/time-ticks.js';

export interface Toolbar {
  element: HTMLElement;
  /** Refreshes the slice choices from the snapshot; returns the slice chosen. */
  update(stats: StatsSnapshot): SliceKey;
  showError(message: string): void;
}

export function toolbar(onSlice: () => void, onResolution: (resolution: Resolution) => void): Toolbar {
  const element = document.createElement('div');
  element.className = 'toolbar';
  const slice = labelledSelect('slice', 'Searches shown', [['all', 'All searches']], onSlice);
  const resolution = labelledSelect('resolution', 'Resolution', [['fine', '10 s buckets (last hour)'], ['coarse', '1 min buckets (last day)']], (v) => onResolution(v as Resolution));
  const updated = document.createElement('p');
  updated.className = 'updated';
  element.append(slice.wrap, resolution.wrap, updated);
  let known = '';

  return {
    element,
    update(stats) {
      const { types, labels } = availableSlices(stats);
      const signature = [...types, ...labels].join('\n');
      if (signature !== known) {
        known = signature;
        const chosen = slice.select.value;
        slice.select.replaceChildren(new Option('All searches', 'all'));
        for (const [group, keys] of [['Query type', types], ['Label', labels]] as const) {
          if (keys.length === 0) continue;
          const optgroup = document.createElement('optgroup');
          optgroup.label = group;
          for (const key of keys) optgroup.append(new Option(key.slice(key.indexOf(':') + 1), key));
          slice.select.append(optgroup);
        }
        slice.select.value = [...slice.select.options].some((o) => o.value === chosen) ? chosen : 'all';
      }
      updated.textContent = `Updated ${clockTime(stats.at, true)} · ${stats.series.buckets.length} buckets of ${stats.series.bucketSeconds} s`;
      delete updated.dataset.error;
      return slice.select.value as SliceKey;
    },
    showError(message) {
      updated.textContent = `Cannot read /stats: ${message}`;
      updated.dataset.error = 'true';
    },
  };
}
