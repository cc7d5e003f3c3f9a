/**
 * A bounded min-heap of (score, doc) keeping the k best. Ties break towards the smaller doc number, so results
 * are deterministic and match a brute-force sort by (score desc, doc asc).
 */
export class TopK {
  readonly k: number;
  private readonly scores: Float64Array;
  private readonly docs: Uint32Array;
  size = 0;

  constructor(k: number) {
    this.k = k;
    this.scores = new Float64Array(k);
    this.docs = new Uint32Array(k);
  }

  get full(): boolean {
    return this.size === this.k;
  }

  /** The score a document must reach to enter (−∞ until the heap is full). */
  get threshold(): number {
    return this.size === this.k ? this.scores[0] : -Infinity;
  }

  /** Offers a document; returns true if it entered. */
  offer(score: number, doc: number): boolean {
    if (this.k === 0) return false;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(score, doc, this.scores[parent], this.docs[parent])) break;
        this.scores[i] = this.scores[parent];
        this.docs[i] = this.docs[parent];
        i = parent;
      }
      this.scores[i] = score;
      this.docs[i] = doc;
      return true;
    }
    if (!this.worse(this.scores[0], this.docs[0], score, doc)) return false;
    this.siftDown(score, doc);
    return true;
  }

  /** Best first. */
  sorted(): Array<{ doc: number; score: number }> {
    const out = [];
    for (let i = 0; i < this.size; i++) out.push({ doc: this.docs[i], score: this.scores[i] });
    return out.sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  private worse(s1: number, d1: number, s2: number, d2: number): boolean {
    return s1 < s2 || (s1 === s2 && d1 > d2);
  }

  private siftDown(score: number, doc: number): void {
    let i = 0;
    const n = this.size;
    while (true) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.worse(this.scores[r], this.docs[r], this.scores[l], this.docs[l])) c = r;
      if (!this.worse(this.scores[c], this.docs[c], score, doc)) break;
      this.scores[i] = this.scores[c];
      this.docs[i] = this.docs[c];
      i = c;
    }
    this.scores[i] = score;
    this.docs[i] = doc;
  }
}
