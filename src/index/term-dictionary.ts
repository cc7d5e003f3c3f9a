/**
 * The term dictionary: term text ↔ dense term id. An open-addressing hash table over the terms' characters,
 * so a term can be looked up by a character range of a larger text without first cutting it out as a string:
 * building a million-document index then allocates a string only for each new term, not for every token
 * (that allocation, and the garbage collection it causes, was most of the build time with a Map).
 */

const EMPTY = -1;

export class TermDictionary {
  readonly texts: string[] = [];
  private hashes = new Uint32Array(1024);
  private slots = new Int32Array(2048).fill(EMPTY);
  private mask = 2047;

  get size(): number {
    return this.texts.length;
  }

  /** The id of `term`, or −1. */
  get(term: string): number {
    const h = hashRange(term, 0, term.length);
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const id = this.slots[i];
      if (id === EMPTY) return -1;
      if (this.hashes[id] === h && this.texts[id] === term) return id;
    }
  }

  /** The id of the term text[start, end), or −1. */
  getRange(text: string, start: number, end: number): number {
    const h = hashRange(text, start, end);
    const length = end - start;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const id = this.slots[i];
      if (id === EMPTY) return -1;
      if (this.hashes[id] === h) {
        const candidate = this.texts[id];
        if (candidate.length === length && sameChars(candidate, text, start)) return id;
      }
    }
  }

  /** Adds a term that is not in the dictionary yet; returns its id. */
  add(term: string): number {
    const id = this.texts.length;
    if (id === this.hashes.length) {
      const grown = new Uint32Array(id * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    const h = hashRange(term, 0, term.length);
    this.texts.push(term);
    this.hashes[id] = h;
    if ((id + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id, h);
    return id;
  }

  private place(id: number, h: number): void {
    let i = h & this.mask;
    while (this.slots[i] !== EMPTY) i = (i + 1) & this.mask;
    this.slots[i] = id;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    for (let id = 0; id < this.texts.length; id++) this.place(id, this.hashes[id]);
  }
}

/** FNV-1a over UTF-16 code units, finished with a multiply-xorshift so linear probing sees well-spread bits. */
function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

function sameChars(term: string, text: string, start: number): boolean {
  for (let i = 0; i < term.length; i++) if (term.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}
