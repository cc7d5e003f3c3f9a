/**
 * What the ranker learns from: one `RankingImpression` per search, the feature rows of what was shown (as they
 * were computed when it was shown; learners move on, so recomputing later would skew training from serving),
 * which of them the user engaged with, and any candidate the user engaged with without it being shown (a
 * refound result). `clickDataset` turns a log of them into a weighted LambdaMART data set:
 *
 * - a shown result engaged with is relevant (label 1), weighted by its position's inverse examination
 *   propensity (clipped IPS, src/rank/clicks/ips.ts), estimated from the log itself by regression EM;
 * - a shown result not engaged with is label 0, weight 1 (it only supplies pairs);
 * - an unshown candidate engaged with later is label 1, weight 1: nothing hid it but the ranker itself;
 * - an unshown candidate not engaged with (a sample of the union's rest) is label 0 with weight
 *   UNSHOWN_NEGATIVE_WEIGHT: a soft negative (the user never saw it, so it may be relevant; a topical or fresh
 *   query has more targets than one page), which a pair weighs at that share of a shown negative.
 *
 * Impressions with nothing engaged carry no pair and are left out, as are impressions showing one result.
 */
import { createError } from '../../errors.js';
import { estimatePositionBias } from '../clicks/position-bias.js';
import { clickTrainingRows, impressionSessions, type IpsOptions, type LoggedImpression } from '../clicks/ips.js';
import { rankDataset, type RankDataset } from '../ltr/dataset.js';

/** The weight of an unshown, unengaged candidate's row: a pair with it counts this share of one with a shown negative. */
export const UNSHOWN_NEGATIVE_WEIGHT = 0.3;

/** How many unshown candidates of a union an impression logs as soft negatives (the simulator and the engine). */
export const DEFAULT_UNSHOWN_NEGATIVES = 10;

export interface RankingImpression {
  query: string;
  /** Logged rows: the shown results in position order, then any refound candidates, then unshown negatives. */
  ids: string[];
  /** How many of `ids` were shown (the first `shown`). */
  shown: number;
  /** ids.length × width feature values, row-major, as computed when shown. */
  features: Float32Array;
  /** Per row: the user engaged with it. */
  engaged: boolean[];
  /** Per row: the score the ranker that served it would give without a model (to judge the first model). */
  fallbackScores: Float64Array;
}

/** The shown part of an impression as the click log has it: ids in position order, the ones engaged with. */
function shownPart(impression: RankingImpression): LoggedImpression {
  const shown = impression.ids.slice(0, impression.shown);
  return { query: impression.query, shown, clicked: shown.filter((_, r) => impression.engaged[r]) };
}

/**
 * Examination propensity per position (rank 1 first) for `depth` positions, fitted to the impressions that showed
 * that many; positions beyond what was fitted get the deepest fitted value. 1 everywhere when nothing was clicked.
 */
export function positionPropensities(impressions: readonly RankingImpression[], depth: number): number[] {
  const sessions = impressionSessions(impressions.map(shownPart)).sessions.filter((s) => s.documents.length === depth);
  if (!sessions.some((s) => s.clicks.some(Boolean))) return new Array(depth).fill(1);
  return estimatePositionBias(sessions, { iterations: 30 }).propensities;
}

/** Only impressions that can teach a pairwise objective: something engaged and something not. */
export function learnable(impression: RankingImpression): boolean {
  return impression.engaged.some(Boolean) && impression.engaged.some((e) => !e);
}

export function clickDataset(
  impressions: readonly RankingImpression[],
  featureNames: readonly string[],
  propensities: readonly number[],
  ips: IpsOptions = {},
  unshownWeight = UNSHOWN_NEGATIVE_WEIGHT,
): RankDataset {
  const width = featureNames.length;
  const kept = impressions.filter(learnable);
  // Shown rows: labels and clipped IPS weights as the click log defines them; deeper than the propensities
  // reach, a position gets the deepest one.
  const depth = Math.max(propensities.length, ...kept.map((i) => i.shown));
  const reach = [...propensities, ...new Array(depth - propensities.length).fill(propensities.at(-1) ?? 1)];
  const shownRows = clickTrainingRows(kept.map(shownPart), reach, ips).rows;
  const rows = kept.reduce((n, i) => n + i.ids.length, 0);
  const features = new Float32Array(rows * width);
  const labels = new Float32Array(rows);
  const weights = new Float32Array(rows).fill(1);
  let row = 0;
  let next = 0;
  kept.forEach((impression, q) => {
    if (impression.features.length !== impression.ids.length * width) {
      throw createError('TRAINING_ROWS_BAD_INPUT', `impression ${q + 1} ("${impression.query}")`, `${impression.features.length} feature values for ${impression.ids.length} rows × ${width} features`);
    }
    features.set(impression.features, row * width);
    for (let r = 0; r < impression.ids.length; r++) {
      if (r < impression.shown) {
        const shown = shownRows[next++];
        labels[row + r] = shown.label;
        weights[row + r] = shown.weight;
      } else if (impression.engaged[r]) labels[row + r] = 1; // refound: not shown, so no position to correct for
      else weights[row + r] = unshownWeight;
    }
    row += impression.ids.length;
  });
  return rankDataset({ featureNames, features, labels, weights, groupSizes: kept.map((i) => i.ids.length), where: 'ranking log' });
}
