/**
 * Postings storage. A frozen *base* segment keeps every term's entries in one compressed-sparse-row layout
 * (three flat typed arrays and an offsets array: a few bytes an entry, no per-term objects), and a small *delta*
 * segment takes entries added after the build, per term. `compact()` in the index merges the delta into the base.
 * An entry is (doc, field, tf): a term found in two fields of one document has two consecutive entries.
 */
import { ensureCapacity, PostingsList } from './growable.js';

export interface BaseSegment {
  /** Entries of term t are at [offsets[t], offsets[t + 1]). Terms created after the freeze have none here. */
  offsets: Uint32Array;
  docs: Uint32Array;
  fields: Uint8Array;
  tfs: Uint16Array;
}

export function emptyBase(): BaseSegment {
  return { offsets: new Uint32Array(1), docs: new Uint32Array(0), fields: new Uint8Array(0), tfs: new Uint16Array(0) };
}

/** Collects (term, doc, field, tf) entries in doc order during a bulk build; `freeze` turns them into a segment. */
export class BulkBuffer {
  terms = new Uint32Array(1024);
  docs = new Uint32Array(1024);
  fields = new Uint8Array(1024);
  tfs = new Uint16Array(1024);
  length = 0;

  push(term: number, doc: number, field: number, tf: number): void {
    if (this.length === this.terms.length) {
      const need = this.length + 1;
      this.terms = ensureCapacity(this.terms, need);
      this.docs = ensureCapacity(this.docs, need);
      this.fields = ensureCapacity(this.fields, need);
      this.tfs = ensureCapacity(this.tfs, need);
    }
    const i = this.length++;
    this.terms[i] = term;
    this.docs[i] = doc;
    this.fields[i] = field;
    this.tfs[i] = tf;
  }
}

/**
 * Merges `base`, the bulk buffer and the per-term delta lists into one new base segment, dropping entries of
 * dead documents. A counting sort by term keeps each term's entries in doc order because every source is in
 * doc order and base docs < buffered docs < delta docs.
 */
export function mergeSegments(
  base: BaseSegment,
  buffer: BulkBuffer,
  delta: (PostingsList | undefined)[],
  termCount: number,
  live: Uint8Array,
): BaseSegment {
  const counts = new Uint32Array(termCount + 1);
  const baseTerms = base.offsets.length - 1;
  for (let t = 0; t < baseTerms; t++) {
    for (let i = base.offsets[t]; i < base.offsets[t + 1]; i++) if (live[base.docs[i]]) counts[t + 1]++;
  }
  for (let i = 0; i < buffer.length; i++) if (live[buffer.docs[i]]) counts[buffer.terms[i] + 1]++;
  for (let t = 0; t < delta.length; t++) {
    const list = delta[t];
    if (list) for (let i = 0; i < list.length; i++) if (live[list.docs[i]]) counts[t + 1]++;
  }
  for (let t = 0; t < termCount; t++) counts[t + 1] += counts[t];
  const total = counts[termCount];
  const out: BaseSegment = {
    offsets: counts.slice(),
    docs: new Uint32Array(total),
    fields: new Uint8Array(total),
    tfs: new Uint16Array(total),
  };
  const cursor = counts; // reused as the write position of each term
  const put = (t: number, doc: number, field: number, tf: number) => {
    const at = cursor[t]++;
    out.docs[at] = doc;
    out.fields[at] = field;
    out.tfs[at] = tf;
  };
  for (let t = 0; t < baseTerms; t++) {
    for (let i = base.offsets[t]; i < base.offsets[t + 1]; i++) {
      if (live[base.docs[i]]) put(t, base.docs[i], base.fields[i], base.tfs[i]);
    }
  }
  for (let i = 0; i < buffer.length; i++) {
    if (live[buffer.docs[i]]) put(buffer.terms[i], buffer.docs[i], buffer.fields[i], buffer.tfs[i]);
  }
  for (let t = 0; t < delta.length; t++) {
    const list = delta[t];
    if (!list) continue;
    for (let i = 0; i < list.length; i++) if (live[list.docs[i]]) put(t, list.docs[i], list.fields[i], list.tfs[i]);
  }
  return out;
}
