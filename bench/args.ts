/** What every benchmark driver needs from its command line and the heap: checked integer flags, GC'd heap size. */

/** `--name`'s value as an integer ≥ min, or a clear error naming the flag. */
export function intFlag(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${value}`);
  return n;
}

/** `--mix`'s value, "label=share,…" with each label one of `labels`, as a map; a clear error otherwise. */
export function mixFlag<L extends string>(value: string, labels: readonly L[]): Map<L, number> {
  const mix = new Map<L, number>();
  for (const part of value.split(',')) {
    const [label, share] = part.split('=');
    if (!labels.includes(label as L) || !(Number(share) >= 0)) throw new Error(`--mix: "${part}" is not label=share with label one of ${labels.join(', ')}`);
    mix.set(label as L, Number(share));
  }
  return mix;
}

/**
 * Heap plus array buffers after two full GCs (the first can leave garbage that only a second pass, after
 * finalisers and weak references, collects). Needs node's --expose-gc.
 */
export function heapBytes(): number {
  const gc = requireGc();
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** node's gc(); called at start-up, it fails a run before any work when --expose-gc is missing. */
export function requireGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (npx tsx --expose-gc bench/…) so memory can be measured after a full GC');
  return gc;
}
