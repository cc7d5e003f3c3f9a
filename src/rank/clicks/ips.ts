/**
 * Inverse-propensity weights for learning to rank from clicks (Joachims, Swaminathan & Schnabel, "Unbiased
 * Learning-to-Rank with Biased Feedback", 2017): a click at a rank users rarely examine stands for many
 * unobserved ones, so it is weighted by θ_1 / θ_k. Weights are relative to rank 1 (the propensities' scale is
 * not identified by clicks, their ratios are) and clipped at `maxWeight`, trading a little bias for bounded
 * variance when θ_k is tiny or badly estimated.
 *
 * `clickTrainingRows` turns an impression log (query, ids shown in position order, ids clicked) into weighted
 * rows for the ranker: a clicked result is a positive with its IPS weight, an unclicked one a negative with
 * weight 1 (the IPS estimate of a ranking metric sums over clicked results only; unclicked rows only supply
 * the pairs a pairwise or listwise objective needs).
 */
import { createError } from '../../errors.js';
import { resolveOptions, type OptionSpecs, type ResolvedOptions } from '../../options.js';
import { clickSessionOf, type ClickSession } from './session.js';

export const IPS_OPTIONS = {
  maxWeight: {
    kind: 'number', default: 10, min: 1, max: 1e6,
    description: 'clipping: no IPS weight above this, i.e. θ_k / θ_1 is floored at 1 / maxWeight',
  },
} as const satisfies OptionSpecs;
export type IpsOptions = Partial<ResolvedOptions<typeof IPS_OPTIONS>>;

/** The clipped IPS weight θ_1 / θ_position of a click at 1-based `position`. */
export function ipsWeights(propensities: readonly number[], position: number, options: IpsOptions = {}): number {
  const { maxWeight } = resolveOptions(IPS_OPTIONS, { ...options }, 'ips.');
  checkPropensities(propensities);
  if (!Number.isInteger(position) || position < 1 || position > propensities.length) {
    throw createError('CLICKS_BAD_INPUT', 'ips weight', `position ${position} is not a 1-based rank the propensities cover (1..${propensities.length})`);
  }
  return Math.min(maxWeight, propensities[0] / propensities[position - 1]);
}

function checkPropensities(propensities: readonly number[]): void {
  if (!Array.isArray(propensities) || propensities.length === 0) throw createError('CLICKS_BAD_INPUT', 'ips weight', 'no propensities');
  propensities.forEach((p, k) => {
    if (!(typeof p === 'number' && p > 0 && p <= 1)) throw createError('CLICKS_BAD_INPUT', 'ips weight', `propensity at rank ${k + 1} is ${p}; expected a probability in (0, 1]`);
  });
}

/** One impression as Quiver logs it: what was shown for a query, in position order, and what was clicked. */
export interface LoggedImpression {
  query: string;
  /** Entity ids in the order shown: shown[0] was at position 1. */
  shown: readonly string[];
  /** Entity ids clicked (any order, repeats allowed); ids not in `shown` are dropped and counted. */
  clicked: readonly string[];
}

export interface ClickTrainingRow {
  /** Index of the impression in the log: the ranker's query group. */
  impression: number;
  query: string;
  id: string;
  /** 1-based position shown. */
  position: number;
  label: 0 | 1;
  weight: number;
}

/** The impressions as click sessions, for `estimatePositionBias` and the click models. */
export function impressionSessions(impressions: readonly LoggedImpression[]): { sessions: ClickSession[]; outsideClicks: number } {
  let outsideClicks = 0;
  const sessions = impressions.map((imp, i) => {
    const built = clickSessionOf(imp?.query, imp?.shown ?? [], imp?.clicked ?? [], `impression ${i}`);
    outsideClicks += built.outsideClicks;
    return built.session;
  });
  return { sessions, outsideClicks };
}

/** One row per shown result: clicked → label 1 with its clipped IPS weight; not clicked → label 0, weight 1. */
export function clickTrainingRows(
  impressions: readonly LoggedImpression[],
  propensities: readonly number[],
  options: IpsOptions = {},
): { rows: ClickTrainingRow[]; outsideClicks: number } {
  checkPropensities(propensities);
  const { sessions, outsideClicks } = impressionSessions(impressions);
  const weights = propensities.map((_, k) => ipsWeights(propensities, k + 1, options));
  const rows: ClickTrainingRow[] = [];
  sessions.forEach((s, i) => {
    if (s.documents.length > propensities.length) {
      throw createError('CLICKS_BAD_INPUT', `impression ${i}`, `shows ${s.documents.length} results; the propensities cover ${propensities.length} positions`);
    }
    s.documents.forEach((id, r) => {
      const clicked = s.clicks[r];
      rows.push({ impression: i, query: s.query, id, position: r + 1, label: clicked ? 1 : 0, weight: clicked ? weights[r] : 1 });
    });
  });
  return { rows, outsideClicks };
}
