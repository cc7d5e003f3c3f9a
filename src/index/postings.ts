/**
 * Postings storage. A frozen *base* segment keeps every term's entries in one compressed-sparse-row layout
 * (four flat typed arrays and an offsets array: 9 bytes an entry, no per-term objects), and a small *delta*
 * segment takes entries added after the build, per term. `compact()` in the index merges the delta into the base.
 * An entry is (doc, field, tf, length of that field in that doc): a term found in two fields of one document has
 * two consecutive entries. The length rides along with the entry so that scoring reads memory in order instead
 * of jumping into a per-document column.
 */
import { ensureCapacity, PostingsList } from './growable.js';

export interface BaseSegment {
  /** Entries of term t are at [offsets[t], offsets[t + 1]). Terms created after the freeze have none here. */
  offsets: Uint32Array;
  docs: Uint32Array;
  fields: Uint8Array;
  tfs: Uint16Array;
  lens: Uint16Array;
  blocks: Blocks;
}

/**
 * Block-max metadata: each term's entries are cut into blocks of about BLOCK_SIZE entries that end on a
 * document boundary, and each block keeps the largest pseudo-frequency (Σ_f w_f·tf_f/norm_f) of its documents
 * under the collection statistics of the moment it was built. As documents come and go the average lengths
 * drift; `blockBoundScale` turns the stored maxima into bounds that still hold, so blocks never need rebuilding
 * between compactions.
 */
export interface Blocks {
  /** Blocks of term t are [termStart[t], termStart[t + 1]). */
  termStart: Uint32Array;
  /** Exclusive entry index where each block ends. */
  ends: Uint32Array;
  /** Largest pseudo-frequency in each block, rounded up. */
  maxPseudoTf: Float32Array;
  /** Largest pseudo-frequency of each term over all its blocks. */
  termMaxPseudoTf: Float32Array;
  /** Average field lengths the maxima were computed with. */
  averageLengths: number[];
}

export const BLOCK_SIZE = 64;

export function emptyBlocks(): Blocks {
  return { termStart: new Uint32Array(1), ends: new Uint32Array(0), maxPseudoTf: new Float32Array(0), termMaxPseudoTf: new Float32Array(0), averageLengths: [] };
}

export function emptyBase(): BaseSegment {
  return {
    offsets: new Uint32Array(1),
    docs: new Uint32Array(0),
    fields: new Uint8Array(0),
    tfs: new Uint16Array(0),
    lens: new Uint16Array(0),
    blocks: emptyBlocks(),
  };
}

/**
 * Computes the block-max metadata of a segment's entries. `norms[f][len]` are the current length-normalisation
 * tables (w_f / norm_f(len)) and `averageLengths` the averages they were made from.
 */
export function buildBlocks(seg: Omit<BaseSegment, 'blocks'>, norms: Float64Array[], averageLengths: number[]): Blocks {
  const terms = seg.offsets.length - 1;
  const termStart = new Uint32Array(terms + 1);
  const termMax = new Float32Array(terms);
  let ends = new Uint32Array(Math.ceil(seg.docs.length / BLOCK_SIZE) + terms + 1);
  let maxima = new Float32Array(ends.length);
  let count = 0;
  const { docs, fields, tfs, lens } = seg;
  for (let t = 0; t < terms; t++) {
    termStart[t] = count;
    const end = seg.offsets[t + 1];
    let i = seg.offsets[t];
    while (i < end) {
      let j = Math.min(i + BLOCK_SIZE, end);
      while (j < end && docs[j] === docs[j - 1]) j++; // never split a document's entries
      let max = 0;
      for (let e = i; e < j; ) {
        const doc = docs[e];
        let sum = 0;
        for (; e < j && docs[e] === doc; e++) sum += tfs[e] * norms[fields[e]][lens[e]];
        if (sum > max) max = sum;
      }
      ends = ensureCapacity(ends, count + 1);
      maxima = ensureCapacity(maxima, count + 1);
      ends[count] = j;
      maxima[count] = roundUp(max);
      if (maxima[count] > termMax[t]) termMax[t] = maxima[count];
      count++;
      i = j;
    }
  }
  termStart[terms] = count;
  return { termStart, ends: ends.slice(0, count), maxPseudoTf: maxima.slice(0, count), termMaxPseudoTf: termMax, averageLengths: [...averageLengths] };
}

/** A float32 at least as large as x. */
function roundUp(x: number): number {
  const f = Math.fround(x);
  return f >= x ? f : Math.fround(x * (1 + 2 ** -22));
}

/**
 * The factor that keeps stored block maxima upper bounds under today's statistics. A field's normalisation
 * w / (1 − b + b·len/avg) changes by the ratio (1 − b + b·len/a0) / (1 − b + b·len/a1) when the average moves
 * from a0 to a1, which lies between 1 and a1/a0 for every len; so the largest max(1, a1/a0) over fields bounds
 * the growth of any document's pseudo-frequency.
 */
export function blockBoundScale(blocks: Blocks, averageLengths: number[]): number {
  let scale = 1;
  for (let f = 0; f < blocks.averageLengths.length; f++) {
    const then = blocks.averageLengths[f];
    const now = averageLengths[f];
    if (then > 0 && now > then) scale = Math.max(scale, now / then);
    else if (then === 0 && now > 0) return Infinity; // no usable reference: fall back to term bounds
  }
  return scale * (1 + 1e-12);
}

const CHUNK = 1 << 20;

interface BulkChunk {
  terms: Uint32Array;
  docs: Uint32Array;
  fields: Uint8Array;
  tfs: Uint16Array;
  lens: Uint16Array;
  length: number;
}

/**
 * Collects (term, doc, field, tf, length) entries in doc order during a bulk build; `mergeSegments` lays them
 * out. Fixed-size chunks rather than doubling arrays: each byte is allocated once, in steps small enough not
 * to set off full garbage collections of a heap that holds a million entities.
 */
export class BulkBuffer {
  readonly chunks: BulkChunk[] = [];
  private current: BulkChunk | undefined;
  length = 0;

  push(term: number, doc: number, field: number, tf: number, len: number): void {
    let c = this.current;
    if (!c || c.length === CHUNK) {
      c = this.current = {
        terms: new Uint32Array(CHUNK),
        docs: new Uint32Array(CHUNK),
        fields: new Uint8Array(CHUNK),
        tfs: new Uint16Array(CHUNK),
        lens: new Uint16Array(CHUNK),
        length: 0,
      };
      this.chunks.push(c);
    }
    const i = c.length++;
    c.terms[i] = term;
    c.docs[i] = doc;
    c.fields[i] = field;
    c.tfs[i] = tf;
    c.lens[i] = len;
    this.length++;
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
  norms: Float64Array[],
  averageLengths: number[],
): BaseSegment {
  const counts = new Uint32Array(termCount + 1);
  const baseTerms = base.offsets.length - 1;
  for (let t = 0; t < baseTerms; t++) {
    for (let i = base.offsets[t]; i < base.offsets[t + 1]; i++) if (live[base.docs[i]]) counts[t + 1]++;
  }
  for (const c of buffer.chunks) for (let i = 0; i < c.length; i++) if (live[c.docs[i]]) counts[c.terms[i] + 1]++;
  for (let t = 0; t < delta.length; t++) {
    const list = delta[t];
    if (list) for (let i = 0; i < list.length; i++) if (live[list.docs[i]]) counts[t + 1]++;
  }
  for (let t = 0; t < termCount; t++) counts[t + 1] += counts[t];
  const total = counts[termCount];
  const out = {
    offsets: counts.slice(),
    docs: new Uint32Array(total),
    fields: new Uint8Array(total),
    tfs: new Uint16Array(total),
    lens: new Uint16Array(total),
  };
  const cursor = counts; // reused as the write position of each term
  const put = (t: number, from: { docs: Uint32Array; fields: Uint8Array; tfs: Uint16Array; lens: Uint16Array }, i: number) => {
    const at = cursor[t]++;
    out.docs[at] = from.docs[i];
    out.fields[at] = from.fields[i];
    out.tfs[at] = from.tfs[i];
    out.lens[at] = from.lens[i];
  };
  for (let t = 0; t < baseTerms; t++) {
    for (let i = base.offsets[t]; i < base.offsets[t + 1]; i++) if (live[base.docs[i]]) put(t, base, i);
  }
  for (const c of buffer.chunks) for (let i = 0; i < c.length; i++) if (live[c.docs[i]]) put(c.terms[i], c, i);
  for (let t = 0; t < delta.length; t++) {
    const list = delta[t];
    if (list) for (let i = 0; i < list.length; i++) if (live[list.docs[i]]) put(t, list, i);
  }
  return { ...out, blocks: buildBlocks(out, norms, averageLengths) };
}
