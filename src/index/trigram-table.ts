/**
 * Trigram → dense id, for the trigram index. A trigram is three UTF-16 code units packed exactly into one
 * number (c0·2³² + c1·2¹⁶ + c2 < 2⁴⁸), kept in an open-addressing table over typed arrays, so reading the
 * trigrams of a string cuts out no substrings and builds no padded copy: the builder walks the code units.
 */
const EMPTY = -1;

export function packTrigram(c0: number, c1: number, c2: number): number {
  return c0 * 4294967296 + c1 * 65536 + c2;
}

export class TrigramTable {
  private keys = new Float64Array(4096);
  private ids = new Int32Array(4096).fill(EMPTY);
  private mask = 4095;
  size = 0;

  /** The id of the trigram (c0, c1, c2), or −1. */
  get(c0: number, c1: number, c2: number): number {
    const key = packTrigram(c0, c1, c2);
    for (let i = slot(c0, c1, c2) & this.mask; ; i = (i + 1) & this.mask) {
      const id = this.ids[i];
      if (id === EMPTY || this.keys[i] === key) return id;
    }
  }

  /** The id of the trigram, added if new. */
  getOrAdd(c0: number, c1: number, c2: number): number {
    const key = packTrigram(c0, c1, c2);
    let i = slot(c0, c1, c2) & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const id = this.ids[i];
      if (id === EMPTY) break;
      if (this.keys[i] === key) return id;
    }
    const id = this.size++;
    this.keys[i] = key;
    this.ids[i] = id;
    if (this.size * 2 > this.ids.length) this.grow();
    return id;
  }

  private grow(): void {
    const keys = this.keys;
    const ids = this.ids;
    this.keys = new Float64Array(keys.length * 2);
    this.ids = new Int32Array(ids.length * 2).fill(EMPTY);
    this.mask = this.ids.length - 1;
    for (let s = 0; s < ids.length; s++) {
      if (ids[s] === EMPTY) continue;
      const key = keys[s];
      const c0 = Math.floor(key / 4294967296);
      const c1 = Math.floor(key / 65536) & 0xffff;
      let i = slot(c0, c1, key % 65536) & this.mask;
      while (this.ids[i] !== EMPTY) i = (i + 1) & this.mask;
      this.keys[i] = key;
      this.ids[i] = ids[s];
    }
  }
}

function slot(c0: number, c1: number, c2: number): number {
  let h = Math.imul(c0, 0x9e3779b1) ^ Math.imul(c1, 0x85ebca77) ^ Math.imul(c2, 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}
