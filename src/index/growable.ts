/** Typed arrays that grow by doubling: the index's per-document and per-term columns are appended to. */

type TypedArrayCtor<T> = { new (length: number): T; BYTES_PER_ELEMENT: number };
type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** Returns `array` if it holds `needed` elements, else a copy at least twice as large. */
export function ensureCapacity<T extends TypedArray>(array: T, needed: number, fill = 0): T {
  if (needed <= array.length) return array;
  const ctor = array.constructor as TypedArrayCtor<T>;
  const grown = new ctor(Math.max(needed, array.length * 2, 16));
  grown.set(array as never);
  if (fill !== 0) grown.fill(fill as never, array.length);
  return grown;
}

/** An append-only column of postings entries for one term: (doc, field, tf, field length), in doc order. */
export class PostingsList {
  docs: Uint32Array = new Uint32Array(4);
  fields: Uint8Array = new Uint8Array(4);
  tfs: Uint16Array = new Uint16Array(4);
  lens: Uint16Array = new Uint16Array(4);
  length = 0;

  push(doc: number, field: number, tf: number, len: number): void {
    if (this.length === this.docs.length) {
      this.docs = ensureCapacity(this.docs, this.length + 1);
      this.fields = ensureCapacity(this.fields, this.length + 1);
      this.tfs = ensureCapacity(this.tfs, this.length + 1);
      this.lens = ensureCapacity(this.lens, this.length + 1);
    }
    this.docs[this.length] = doc;
    this.fields[this.length] = field;
    this.tfs[this.length] = tf;
    this.lens[this.length] = len;
    this.length++;
  }
}
