/**
 * Unit vectors by key (a small non-negative integer: the index's doc number) in one flat Float32Array, with a
 * live flag per key. Both vector indexes keep their vectors here, so exact rescoring and explanations read the
 * same floats the search saw.
 */
import { ensureCapacity } from '../index/growable.js';

export class VectorStore {
  data: Float32Array;
  live: Uint8Array;
  /** One past the largest key ever stored. */
  extent = 0;
  count = 0;

  constructor(readonly dimensions: number) {
    this.data = new Float32Array(16 * dimensions);
    this.live = new Uint8Array(16);
  }

  set(key: number, vector: Float32Array): void {
    this.live = ensureCapacity(this.live, key + 1);
    this.data = ensureCapacity(this.data, (key + 1) * this.dimensions);
    this.data.set(vector, key * this.dimensions);
    if (!this.live[key]) this.count++;
    this.live[key] = 1;
    if (key >= this.extent) this.extent = key + 1;
  }

  delete(key: number): boolean {
    if (key >= this.extent || !this.live[key]) return false;
    this.live[key] = 0;
    this.count--;
    return true;
  }

  has(key: number): boolean {
    return key < this.extent && this.live[key] === 1;
  }

  /** A view of the stored vector (valid until the next set), or undefined. */
  get(key: number): Float32Array | undefined {
    return this.has(key) ? this.data.subarray(key * this.dimensions, (key + 1) * this.dimensions) : undefined;
  }
}
