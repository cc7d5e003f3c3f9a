/**
 * A cursor over one term's postings entries in doc order, across the base segment and then the delta, that
 * also tracks which block it is in so the query loop can skip whole blocks by their score bound. It skips no
 * dead documents itself: the query loop filters them, as it has to look at `live` anyway.
 */
import type { PostingsList } from './growable.js';
import type { BaseSegment, Blocks } from './postings.js';

// Below 2^30 so that doc numbers stay small integers in V8 (a larger sentinel would box every cursor move).
export const NO_MORE_DOCS = 0x3fffffff;

export class TermCursor {
  private docs: Uint32Array;
  private fields: Uint8Array;
  private tfs: Uint16Array;
  private lens: Uint16Array;
  private pos: number;
  private end: number;
  private pendingDelta: PostingsList | undefined;
  private readonly blocks: Blocks;
  /** Current block (absolute index), or −1 once in the delta, which is one block bounded by the term's bound. */
  private block: number;
  private blockEnd: number;
  private readonly lastBlock: number;
  /** The current document, or NO_MORE_DOCS. */
  doc = NO_MORE_DOCS;

  constructor(base: BaseSegment, term: number, delta: PostingsList | undefined) {
    const hasBase = term + 1 < base.offsets.length;
    this.docs = base.docs;
    this.fields = base.fields;
    this.tfs = base.tfs;
    this.lens = base.lens;
    this.pos = hasBase ? base.offsets[term] : 0;
    this.end = hasBase ? base.offsets[term + 1] : 0;
    this.blocks = base.blocks;
    this.block = hasBase ? base.blocks.termStart[term] : -1;
    this.lastBlock = hasBase ? base.blocks.termStart[term + 1] : -1;
    this.blockEnd = hasBase && this.block < this.lastBlock ? base.blocks.ends[this.block] : this.end;
    this.pendingDelta = delta;
    this.settle();
  }

  /** Weighted, length-normalised term frequency of the current document: Σ_f tf_f · norms[f][len_f(doc)]. */
  pseudoTf(norms: Float64Array[]): number {
    const doc = this.doc;
    const docs = this.docs;
    let i = this.pos;
    let sum = this.tfs[i] * norms[this.fields[i]][this.lens[i]];
    for (i++; i < this.end && docs[i] === doc; i++) sum += this.tfs[i] * norms[this.fields[i]][this.lens[i]];
    return sum;
  }

  /** Each field's tf in the current document, for explanations. */
  fieldTfs(): Array<{ field: number; tf: number }> {
    const out: Array<{ field: number; tf: number }> = [];
    for (let i = this.pos; i < this.end && this.docs[i] === this.doc; i++) out.push({ field: this.fields[i], tf: this.tfs[i] });
    return out;
  }

  /**
   * An upper bound of pseudoTf over the current block: its stored maximum times `scale` (see blockBoundScale),
   * never above the term's own bound; in the delta, the term's bound.
   */
  blockPseudoTfBound(scale: number, termBound: number): number {
    if (this.block < 0) return termBound;
    const bound = this.blocks.maxPseudoTf[this.block] * scale;
    return bound < termBound ? bound : termBound;
  }

  /** The last document of the current block. */
  blockLastDoc(): number {
    return this.docs[(this.block < 0 ? this.end : this.blockEnd) - 1];
  }

  /** Moves past every entry of the current document. */
  nextDoc(): void {
    const doc = this.doc;
    const docs = this.docs;
    let i = this.pos + 1;
    while (i < this.end && docs[i] === doc) i++;
    this.pos = i;
    if (i >= this.blockEnd) this.syncBlock();
    this.settle();
  }

  /** Moves to the first entry whose doc ≥ target (galloping, then binary search). */
  advance(target: number): void {
    if (this.doc >= target) return;
    while (true) {
      const docs = this.docs;
      if (this.end > this.pos && docs[this.end - 1] >= target) {
        let lo = this.pos;
        let step = 1;
        while (lo + step < this.end && docs[lo + step] < target) {
          lo += step;
          step <<= 1;
        }
        let hi = Math.min(lo + step, this.end - 1);
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (docs[mid] < target) lo = mid + 1;
          else hi = mid;
        }
        this.pos = lo;
        this.doc = docs[lo];
        if (lo >= this.blockEnd) this.syncBlock();
        return;
      }
      this.pos = this.end;
      this.settle();
      if (this.doc === NO_MORE_DOCS) return;
    }
  }

  /** Finds the block holding `pos` after a move past the current block's end. */
  private syncBlock(): void {
    if (this.block < 0) return;
    const ends = this.blocks.ends;
    let b = this.block + 1;
    if (b < this.lastBlock && ends[b] <= this.pos) {
      // A long jump: binary search for the first block whose end is beyond pos.
      let lo = b;
      let hi = this.lastBlock - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ends[mid] <= this.pos) lo = mid + 1;
        else hi = mid;
      }
      b = lo;
    }
    if (b < this.lastBlock) {
      this.block = b;
      this.blockEnd = ends[b];
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
      this.lens = delta.lens;
      this.pos = 0;
      this.end = delta.length;
      this.block = -1;
      this.blockEnd = this.end;
      this.doc = this.docs[0];
      return;
    }
    this.doc = NO_MORE_DOCS;
  }
}
