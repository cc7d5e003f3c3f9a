/**
 * The reward model DR and DM need on slate logs: the click rate of each (item, position) cell, smoothed with a
 * Beta prior centred on that position's click rate, and cross-fitted (Chernozhukov et al. 2018; OBP fits its
 * regression models the same way) so that no row's model value was fitted on that row's own click: with ~50
 * clicks in 10,000 rows an in-sample cell rate would largely echo the rewards DR subtracts it from.
 *
 * r̂(a, p) = (clicks(a, p) + m·ctr(p)) / (shown(a, p) + m), where m is the prior's strength in pseudo-impressions.
 * A context-free model suits a context-free target policy; the user features are left out on purpose (at ~0.5%
 * click rate a contextual model would need far more clicks than the sample has).
 */
import { crossFit } from './cross-fit.js';
import type { ObdRow } from './open-bandit-log.js';

export type CellModel = (item: number, position: number) => number;

interface Counts {
  shown: number;
  clicks: number;
}

export function fitCellModel(rows: readonly ObdRow[], priorStrength: number): CellModel {
  const cells = new Map<string, Counts>();
  const positions = new Map<number, Counts>();
  const all: Counts = { shown: 0, clicks: 0 };
  const add = <K>(map: Map<K, Counts>, key: K, click: number) => {
    const c = map.get(key) ?? { shown: 0, clicks: 0 };
    c.shown++;
    c.clicks += click;
    map.set(key, c);
  };
  for (const row of rows) {
    add(cells, `${row.item}/${row.position}`, row.click);
    add(positions, row.position, row.click);
    all.shown++;
    all.clicks += row.click;
  }
  const overall = all.shown > 0 ? all.clicks / all.shown : 0;
  return (item, position) => {
    const p = positions.get(position);
    const prior = p ? p.clicks / p.shown : overall;
    const c = cells.get(`${item}/${position}`) ?? { shown: 0, clicks: 0 };
    // A cell unseen in training with no prior weight has only the prior to go on.
    return c.shown + priorStrength > 0 ? (c.clicks + priorStrength * prior) / (c.shown + priorStrength) : prior;
  };
}

/** For each row, the model fitted on the other folds (rows are dealt to `folds` folds at random, by seed). */
export function crossFitCellModels(rows: readonly ObdRow[], folds: number, priorStrength: number, seed: number): CellModel[] {
  return crossFit(rows, folds, seed, (training) => fitCellModel(training, priorStrength));
}
