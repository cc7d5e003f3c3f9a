/**
 * Release order: every entity's release time and the docs newest first, rebuilt lazily after the catalogue
 * changes. The fresh strategy and the structured strategy's "new" share one per index (`releaseOrderOf`).
 */
import type { SearchIndex } from '../index/search-index.js';

/** A release date ("2020", "2020-05", "2020-05-17") as epoch ms (the first day of a year or month). */
export function releaseTime(released: string | undefined): number | undefined {
  if (!released) return undefined;
  const [y, m, d] = released.split('-').map(Number);
  const t = Date.UTC(y, (m ?? 1) - 1, d ?? 1);
  return Number.isFinite(t) ? t : undefined;
}

export class ReleaseOrder {
  private times = new Float64Array(0);
  private newestFirst = new Int32Array(0);
  private version = -1;

  constructor(private readonly index: SearchIndex) {}

  /** The doc's release time (epoch ms), NaN when it has none. */
  time(doc: number): number {
    this.refresh();
    return this.times[doc];
  }

  /** The catalogue's newest release time (epoch ms), NaN when nothing is dated. */
  newest(): number {
    this.refresh();
    return this.newestFirst.length > 0 ? this.times[this.newestFirst[0]] : Number.NaN;
  }

  /** Docs released within `windowMs` before `now` (0 ≤ age < window), newest first; ties by doc number. */
  window(now: number, windowMs: number): Int32Array {
    this.refresh();
    return this.newestFirst.subarray(this.firstAtOrBefore(now), this.firstAtOrBefore(now - windowMs));
  }

  /** The first position (newest first) released at or before `time`. */
  private firstAtOrBefore(time: number): number {
    let lo = 0;
    let hi = this.newestFirst.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.times[this.newestFirst[mid]];
      if (t <= time) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private refresh(): void {
    if (this.version === this.index.inverted.version) return;
    this.times = Float64Array.from(this.index.entities, (e) => (e ? (releaseTime(e.released) ?? Number.NaN) : Number.NaN));
    const docs: number[] = [];
    this.times.forEach((t, doc) => Number.isFinite(t) && docs.push(doc));
    docs.sort((a, b) => this.times[b] - this.times[a] || a - b);
    this.newestFirst = Int32Array.from(docs);
    this.version = this.index.inverted.version;
  }
}

const ORDERS = new WeakMap<SearchIndex, ReleaseOrder>();

export function releaseOrderOf(index: SearchIndex): ReleaseOrder {
  let order = ORDERS.get(index);
  if (!order) {
    order = new ReleaseOrder(index);
    ORDERS.set(index, order);
  }
  return order;
}
