/**
 * Exponentially decayed sums, the memory of every learner (memory index, co-engagement graph, user profiles).
 * A sum is kept as its value as of its latest event; reading it at a later time multiplies by
 * 2^(−Δt / halfLife). Reading is lazy and a pure function of the stored pair and the read time, so a request's
 * score depends on the request's own time, never on when it ran, and a logged request replays exactly.
 * Events later than the read time count undecayed (the sum no longer knows them apart). Two sums add by
 * bringing both to the later time, so states learnt by separate replicas merge exactly.
 */

export interface DecayedSum {
  value: number;
  /** Epoch milliseconds of the latest event folded in. */
  time: number;
}

export const DAY_MS = 86_400_000;

/** 2^(−(to − from) / halfLife), and 1 when `to` is not after `from`. */
export function decayFactor(halfLifeMs: number, from: number, to: number): number {
  return to <= from ? 1 : Math.pow(2, -(to - from) / halfLifeMs);
}

/** The sum's value read at `time`. */
export function valueAt(sum: DecayedSum, halfLifeMs: number, time: number): number {
  return sum.value * decayFactor(halfLifeMs, sum.time, time);
}

/** Folds `weight`, observed at `time`, into `sum` (a new sum if undefined); returns the sum. */
export function addDecayed(sum: DecayedSum | undefined, weight: number, time: number, halfLifeMs: number): DecayedSum {
  if (!sum) return { value: weight, time };
  if (time >= sum.time) {
    sum.value = sum.value * decayFactor(halfLifeMs, sum.time, time) + weight;
    sum.time = time;
  } else {
    sum.value += weight * decayFactor(halfLifeMs, time, sum.time);
  }
  return sum;
}

/** Folds decayed sums keyed by name from `from` into `into` (the merge of two replicas' states). */
export function mergeDecayedMaps(into: Map<string, DecayedSum>, from: ReadonlyMap<string, DecayedSum>, halfLifeMs: number): void {
  for (const [key, sum] of from) into.set(key, addDecayed(into.get(key), sum.value, sum.time, halfLifeMs));
}
