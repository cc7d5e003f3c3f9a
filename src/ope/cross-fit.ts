/**
 * Cross-fitting (Chernozhukov et al. 2018): deal the rows to folds at random by seed, fit one model on all
 * rows outside each fold, and give every row the model that never saw it. Doubly robust estimates subtract a
 * row's model value from its own reward, so an in-sample fit would partly echo the reward it corrects.
 */
import { mulberry32 } from '../util/random.js';

/** For each row, the model fitted on the other folds. */
export function crossFit<Row, Model>(rows: readonly Row[], folds: number, seed: number, fit: (training: Row[]) => Model): Model[] {
  const random = mulberry32(seed);
  const foldOf = rows.map(() => Math.floor(random() * folds));
  const models = Array.from({ length: folds }, (_, k) => fit(rows.filter((_, i) => foldOf[i] !== k)));
  return foldOf.map((k) => models[k]);
}
