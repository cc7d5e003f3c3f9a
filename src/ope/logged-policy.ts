/**
 * A context-free slate policy recovered from its own log: the probability that it shows item a in slot p, read
 * off the propensities it logged. This turns a policy that ran in production (Open Bandit's Bernoulli Thompson
 * sampling, whose posterior changed during the week) into a target policy for off-policy evaluation on another
 * policy's log. Three readings, all per (item, position) cell:
 *
 * - "period-mean" (default): the harmonic mean of the cell's logged propensities, renormalised per position.
 *   Rows of a cell arrive at a rate proportional to its current probability π_t, so Σ 1/π over them counts
 *   elapsed traffic and count / Σ(1/π) is the traffic-averaged π_t: the policy "on average over the period".
 *   The plain arithmetic mean overweights the times the cell was likely (on the OBD sample its per-position
 *   sums are 1.7–3.4 instead of 1; the harmonic ones are 1.03–1.13 before renormalising).
 * - "frequency": the cell's share of its position's rows. The same average, estimated without the propensities,
 *   so noisier.
 * - "nearest-time": the propensity of the cell's row nearest in time. Follows the posterior's drift during the
 *   week, but a rarely shown cell's rows are the moments it was likely, so its nearest row overstates it (the
 *   same size bias as the arithmetic mean), and the values do not sum to 1 over items. On the OBD sample it
 *   gives the worst relative errors (bench/ope-obd.ts).
 *
 * A cell that never appears in the log gets probability 0 in every reading.
 */
import type { ObdRow } from './open-bandit-log.js';

export const POLICY_READINGS = ['period-mean', 'frequency', 'nearest-time'] as const;
export type PolicyReading = (typeof POLICY_READINGS)[number];

export interface SlatePolicy {
  /** Probability of showing `item` in `position` at `time` (ms). */
  probability(item: number, position: number, time: number): number;
}

const cellKey = (item: number, position: number) => `${item}/${position}`;

/** Rows grouped by cell, in time order (the logs are sorted by time; sorting again keeps that a non-assumption). */
function cellsOf(rows: readonly ObdRow[]): Map<string, ObdRow[]> {
  const cells = new Map<string, ObdRow[]>();
  for (const row of rows) {
    const key = cellKey(row.item, row.position);
    const cell = cells.get(key);
    if (cell) cell.push(row);
    else cells.set(key, [row]);
  }
  for (const cell of cells.values()) cell.sort((a, b) => a.time - b.time);
  return cells;
}

/** Per-cell values renormalised so that each position's values sum to 1. */
function perPosition(cells: Map<string, ObdRow[]>, value: (cell: ObdRow[]) => number): SlatePolicy {
  const raw = new Map<string, number>();
  const positionTotals = new Map<number, number>();
  for (const [key, cell] of cells) {
    const v = value(cell);
    raw.set(key, v);
    positionTotals.set(cell[0].position, (positionTotals.get(cell[0].position) ?? 0) + v);
  }
  return {
    probability: (item, position) => (raw.get(cellKey(item, position)) ?? 0) / (positionTotals.get(position) ?? 1),
  };
}

function nearestInTime(cells: Map<string, ObdRow[]>): SlatePolicy {
  return {
    probability(item, position, time) {
      const cell = cells.get(cellKey(item, position));
      if (!cell) return 0;
      let lo = 0;
      let hi = cell.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cell[mid].time < time) lo = mid + 1;
        else hi = mid;
      }
      // lo is the first row at or after `time`; its predecessor may be nearer.
      const before = lo > 0 ? cell[lo - 1] : undefined;
      return before && time - before.time < cell[lo].time - time ? before.propensity : cell[lo].propensity;
    },
  };
}

export function policyFromLog(rows: readonly ObdRow[], reading: PolicyReading = 'period-mean'): SlatePolicy {
  const cells = cellsOf(rows);
  switch (reading) {
    case 'period-mean':
      return perPosition(cells, (cell) => cell.length / cell.reduce((sum, r) => sum + 1 / r.propensity, 0));
    case 'frequency':
      return perPosition(cells, (cell) => cell.length);
    case 'nearest-time':
      return nearestInTime(cells);
  }
}
