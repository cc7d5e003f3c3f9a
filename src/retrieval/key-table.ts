/**
 * Entities by the hash of a text key (a title, an artist name): two typed arrays sorted by hash, 8 bytes an
 * entry, so a million titles cost 8 MB where a Map from strings would cost ~100. Lookups return candidate docs;
 * callers check the entity's actual key, since different keys may share a hash. Follows the index like
 * CategoryIndex: added entities go to a small delta, removed ones are skipped (their entity is gone) and both
 * are folded in by a rebuild once they pass an eighth of the table.
 */
import type { Entity } from '../catalog/entity.js';
import type { SearchIndex } from '../index/search-index.js';
import { hashString } from '../util/random.js';

/**
 * Packing (hash, doc) into one float for a native sort: 29 hash bits × 2^24 doc numbers stays within 2^53.
 * 29 bits leave about one false candidate per 500 look-ups at a million keys.
 */
const DOC_BITS = 2 ** 24;

export function keyHash(key: string): number {
  return hashString(key) >>> 3;
}

export class KeyTable {
  private hashes = new Uint32Array(0);
  private docs = new Uint32Array(0);
  private delta = new Map<number, number[]>();
  private changes = 0;

  constructor(
    private readonly index: SearchIndex,
    /** The keys an entity is found under. */
    private readonly keysOf: (entity: Entity) => readonly string[],
  ) {
    this.rebuild();
    index.subscribe({ added: (entity) => this.addEntity(entity), removed: () => this.changes++ });
  }

  get size(): number {
    return this.hashes.length;
  }

  /** Bytes held by the sorted arrays (the delta is small by construction). */
  get bytes(): number {
    return this.hashes.byteLength + this.docs.byteLength;
  }

  /** Visits every live doc stored under `key`'s hash (a superset of the docs whose key is `key`). */
  forEachCandidate(key: string, visit: (doc: number) => void): void {
    if (this.changes * 8 > this.hashes.length + 1024) this.rebuild();
    const hash = keyHash(key);
    const entities = this.index.entities;
    let lo = 0;
    let hi = this.hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hashes[mid] < hash) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.hashes.length && this.hashes[i] === hash; i++) if (entities[this.docs[i]]) visit(this.docs[i]);
    for (const doc of this.delta.get(hash) ?? []) if (entities[doc]) visit(doc);
  }

  private rebuild(): void {
    const packed: number[] = [];
    this.index.entities.forEach((entity, doc) => {
      if (!entity) return;
      for (const key of new Set(this.keysOf(entity))) if (key !== '') packed.push(keyHash(key) * DOC_BITS + doc);
    });
    const sorted = Float64Array.from(packed).sort();
    this.hashes = new Uint32Array(sorted.length);
    this.docs = new Uint32Array(sorted.length);
    for (let i = 0; i < sorted.length; i++) {
      this.hashes[i] = Math.floor(sorted[i] / DOC_BITS);
      this.docs[i] = sorted[i] % DOC_BITS;
    }
    this.delta = new Map();
    this.changes = 0;
  }

  private addEntity(entity: Entity): void {
    const doc = this.index.docId(entity.id)!;
    for (const key of new Set(this.keysOf(entity))) {
      if (key === '') continue;
      const hash = keyHash(key);
      const list = this.delta.get(hash);
      if (list) list.push(doc);
      else this.delta.set(hash, [doc]);
    }
    this.changes++;
  }
}
