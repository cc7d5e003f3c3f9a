/**
 * Feature binning for histogram-based tree growth (LightGBM's, XGBoost's `hist`): each feature's values are cut
 * into at most `maxBin` (≤ 255) quantile bins, and every row keeps one byte per feature. A split is then a bin
 * boundary, so finding the best one scans a few hundred histogram cells instead of sorting rows. A feature with
 * few distinct values gets one bin per value, so on such data the histogram search is exact.
 *
 * Bin b holds the values v with thresholds[b − 1] < v ≤ thresholds[b]; thresholds are midpoints between
 * neighbouring distinct values, so "v ≤ threshold" on a raw value and "bin ≤ b" on its bin always agree, and a
 * trained tree can score raw rows. Features with a single value can never split and are left out.
 *
 * Ranking features are often sparse (a missing feature is 0): besides the dense byte per (row, feature), each row
 * lists only the histogram cells of its features that are not in their feature's most frequent bin, and a
 * histogram gets the most frequent bin's sums as the leaf's totals minus the other bins' (LightGBM's
 * most_freq_bin). On the LightGBM example this halves the cells a histogram touches.
 */
import type { RankDataset } from './dataset.js';

export interface BinnedFeatures {
  readonly rowCount: number;
  /** Number of usable (non-constant) features: the width of `bins`. */
  readonly width: number;
  /** The data set column of each usable feature. */
  readonly columns: Int32Array;
  /** Per usable feature, the ascending upper bounds of its bins but the last (binCount − 1 values). */
  readonly thresholds: readonly Float64Array[];
  /** Usable feature f's bins are histogram cells binOffsets[f] … binOffsets[f + 1] − 1. */
  readonly binOffsets: Int32Array;
  /** rowCount × width bin numbers, row-major. */
  readonly bins: Uint8Array;
  /** Per usable feature, its most frequent bin (0-based within the feature). */
  readonly defaultBins: Uint8Array;
  /** Row r's cells outside the default bins are cells[cellStarts[r] … cellStarts[r + 1]), as histogram bin numbers. */
  readonly cellStarts: Int32Array;
  readonly cells: Uint16Array | Uint32Array;
}

/** Bin upper bounds for one feature's sorted values: at most maxBin bins of about equal row counts. */
export function binThresholds(sorted: Float32Array, maxBin: number): Float64Array {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]++;
    else {
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  // Greedy quantiles: close a bin once it holds its share of the rows not yet binned, so one heavy value (often
  // 0 in sparse data) takes a bin of its own without starving the bins after it. With at most maxBin distinct
  // values, every value gets its own bin.
  const cuts: number[] = [];
  let binned = 0;
  let cumulative = 0;
  for (let i = 0; i + 1 < values.length && cuts.length < maxBin - 1; i++) {
    cumulative += counts[i];
    const share = values.length <= maxBin ? 1 : (sorted.length - binned) / (maxBin - cuts.length);
    if (cumulative - binned >= share) {
      cuts.push((values[i] + values[i + 1]) / 2);
      binned = cumulative;
    }
  }
  return Float64Array.from(cuts);
}

/** The bin of a value: the number of thresholds below it. */
export function binOf(thresholds: Float64Array, value: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function binFeatures(data: RankDataset, maxBin: number): BinnedFeatures {
  const width = data.featureNames.length;
  const column = new Float32Array(data.rowCount);
  const columns: number[] = [];
  const thresholds: Float64Array[] = [];
  for (let f = 0; f < width; f++) {
    for (let r = 0; r < data.rowCount; r++) column[r] = data.features[r * width + f];
    const cuts = binThresholds(column.sort(), maxBin);
    if (cuts.length === 0) continue;
    columns.push(f);
    thresholds.push(cuts);
  }
  const usable = columns.length;
  const binOffsets = new Int32Array(usable + 1);
  thresholds.forEach((cuts, f) => (binOffsets[f + 1] = binOffsets[f] + cuts.length + 1));
  const bins = new Uint8Array(data.rowCount * usable);
  const counts = new Int32Array(binOffsets[usable]);
  for (let r = 0; r < data.rowCount; r++) {
    for (let f = 0; f < usable; f++) {
      const bin = binOf(thresholds[f], data.features[r * width + columns[f]]);
      bins[r * usable + f] = bin;
      counts[binOffsets[f] + bin]++;
    }
  }
  const defaultBins = new Uint8Array(usable);
  let sparseCells = 0;
  for (let f = 0; f < usable; f++) {
    for (let b = 1; b < binOffsets[f + 1] - binOffsets[f]; b++) if (counts[binOffsets[f] + b] > counts[binOffsets[f] + defaultBins[f]]) defaultBins[f] = b;
    sparseCells += data.rowCount - counts[binOffsets[f] + defaultBins[f]];
  }
  const cellStarts = new Int32Array(data.rowCount + 1);
  const cells = binOffsets[usable] <= 0x10000 ? new Uint16Array(sparseCells) : new Uint32Array(sparseCells);
  let next = 0;
  for (let r = 0; r < data.rowCount; r++) {
    for (let f = 0; f < usable; f++) if (bins[r * usable + f] !== defaultBins[f]) cells[next++] = binOffsets[f] + bins[r * usable + f];
    cellStarts[r + 1] = next;
  }
  return { rowCount: data.rowCount, width: usable, columns: Int32Array.from(columns), thresholds, binOffsets, bins, defaultBins, cellStarts, cells };
}
