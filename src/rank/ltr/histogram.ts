/**
 * Gradient histograms: for a leaf's rows, the sums of gradient, hessian and row count per feature bin, three
 * float64 cells per bin side by side so one row's updates stay close in memory. Only each row's cells outside
 * the default bins are summed (src/rank/ltr/binning.ts); a default bin gets the leaf's totals minus its
 * feature's other bins. A parent's histogram minus the histogram of its smaller child is the larger child's
 * (LightGBM's subtraction trick), so each split scans only the smaller half of its rows.
 */
import type { BinnedFeatures } from './binning.js';

export interface LeafTotals {
  gradient: number;
  hessian: number;
  count: number;
}

/** One histogram's storage: 3 cells (gradient, hessian, count) per bin of every usable feature. */
export function newHistogram(binned: BinnedFeatures): Float64Array {
  return new Float64Array(3 * binned.binOffsets[binned.width]);
}

/** The histogram of rows[start … end), whose sums are `totals`, written over `hist`. */
export function buildHistogram(
  hist: Float64Array,
  binned: BinnedFeatures,
  rows: Int32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  totals: LeafTotals,
): void {
  const { cells, cellStarts, binOffsets, defaultBins, width } = binned;
  hist.fill(0);
  for (let i = start; i < end; i++) {
    const row = rows[i];
    const g = grad[row];
    const h = hess[row];
    const last = cellStarts[row + 1];
    for (let e = cellStarts[row]; e < last; e++) {
      const cell = 3 * cells[e];
      hist[cell] += g;
      hist[cell + 1] += h;
      hist[cell + 2] += 1;
    }
  }
  for (let f = 0; f < width; f++) {
    let g = totals.gradient;
    let h = totals.hessian;
    let n = totals.count;
    for (let c = 3 * binOffsets[f]; c < 3 * binOffsets[f + 1]; c += 3) {
      g -= hist[c];
      h -= hist[c + 1];
      n -= hist[c + 2];
    }
    const cell = 3 * (binOffsets[f] + defaultBins[f]);
    hist[cell] = g;
    hist[cell + 1] = h;
    hist[cell + 2] = n;
  }
}

/** parent −= child: the parent's storage becomes the sibling's histogram. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let c = 0; c < parent.length; c++) parent[c] -= child[c];
}

/** hist −= the rows' own cells: the sibling's histogram when the child's rows are few and it needs none itself. */
export function subtractRows(hist: Float64Array, binned: BinnedFeatures, rows: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array): void {
  const { bins, binOffsets, width } = binned;
  for (let i = start; i < end; i++) {
    const row = rows[i];
    const g = grad[row];
    const h = hess[row];
    const base = row * width;
    for (let f = 0; f < width; f++) {
      const cell = 3 * (binOffsets[f] + bins[base + f]);
      hist[cell] -= g;
      hist[cell + 1] -= h;
      hist[cell + 2] -= 1;
    }
  }
}
