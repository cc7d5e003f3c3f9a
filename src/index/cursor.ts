/**
 * A cursor over one term's postings entries in doc order, across the base segment and then the delta. It
 * skips nothing itself: dead documents are filtered by the query loop, which has to look at `live` anyway.
 */
import type { PostingsList } from './growable.js';
import type { BaseSegment } from './postings.js';

export const NO_MORE_DOCS = 0xffffffff;

export class TermCursor {
  private docs: Uint32Array;
  private fields: Uint8Array;
  private tfs: Uint16Array;
  private pos: number;
  private end: number;
  private pendingDelta: PostingsList | undefined;
  /** The current document, or NO_MORE_DOCS. */
  doc = NO_MORE_DOCS;

  constructor(base: BaseSegment, term: number, delta: PostingsList | undefined) {
    const hasBase = term + 1 < base.offsets.length;
    this.docs = base.docs;
    this.fields = base.fields;
    this.tfs = base.tfs;
    this.pos = hasBase ? base.offsets[term] : 0;
    this.end = hasBase ? base.offsets[term + 1] : 0;
    this.pendingDelta = delta;
    this.settle();
  }

  /** Weighted, length-normalised term frequency of the current document: Σ_f tf_f · norms[f][len_f(doc)]. */
  pseudoTf(norms: Float64Array[], lengths: Uint16Array[]): number {
    const doc = this.doc;
    let sum = 0;
    for (let i = this.pos; i < this.end && this.docs[i] === doc; i++) {
      const f = this.fields[i];
      sum += this.tfs[i] * norms[f][lengths[f][doc]];
    }
    return sum;
  }

  /** Each field's tf in the current document, for explanations. */
  fieldTfs(): Array<{ field: number; tf: number }> {
    const out: Array<{ field: number; tf: number }> = [];
    for (let i = this.pos; i < this.end && this.docs[i] === this.doc; i++) out.push({ field: this.fields[i], tf: this.tfs[i] });
    return out;
  }

  /** Moves past every entry of the current document. */
  nextDoc(): void {
    const doc = this.doc;
    let i = this.pos + 1;
    while (i < this.end && this.docs[i] === doc) i++;
    this.pos = i;
    this.settle();
  }

  /** Moves to the first entry whose doc ≥ target (galloping, then binary search). */
  advance(target: number): void {
    if (this.doc >= target) return;
    while (true) {
      if (this.end > this.pos && this.docs[this.end - 1] >= target) {
        let lo = this.pos;
        let step = 1;
        while (lo + step < this.end && this.docs[lo + step] < target) {
          lo += step;
          step <<= 1;
        }
        let hi = Math.min(lo + step, this.end - 1);
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (this.docs[mid] < target) lo = mid + 1;
          else hi = mid;
        }
        this.pos = lo;
        this.doc = this.docs[lo];
        return;
      }
      this.pos = this.end;
      this.settle();
      if (this.doc === NO_MORE_DOCS) return;
    }
  }

  private settle(): void {
    if (this.pos < this.end) {
      this.doc = this.docs[this.pos];
      return;
    }
    const delta = this.pendingDelta;
    if (delta && delta.length > 0) {
      this.pendingDelta = undefined;
      this.docs = delta.docs;
      this.fields = delta.fields;
      this.tfs = delta.tfs;
      this.pos = 0;
      this.end = delta.length;
      this.doc = this.docs[0];
      return;
    }
    this.doc = NO_MORE_DOCS;
  }
}
