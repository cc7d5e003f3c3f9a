/**
 * The price of a candidate under a candidate budget, over the cost weight: a factor learnt by dual ascent on the
 * budget constraint. After each request it is multiplied by exp(BUDGET_STEP · (drawn / budget − 1)), so it rises
 * while requests draw more than the budget and falls while they draw less. Under a ceiling (the default mode) it
 * never falls below 1, so the budget only caps what the cost weight would spend; under a target it falls to
 * MIN_PRICE_FACTOR, so the budget is spent where the arms expect coverage from it (DESIGN, "A candidate budget").
 * A multiplicative step needs no scale: it is the same for a budget of 20 or 2,000. Without a budget the factor
 * stays 1.
 *
 * A budget is a number of candidates per request, or a share of the full draw ("35%"): what running every
 * strategy at the grid's largest budget draws, as the cost model has measured it (`fullDraw`). An operator rarely
 * knows the absolute count a catalogue's strategies return; the share follows the catalogue as it grows, and the
 * learning-to-retrieve target (issue 4) is stated in it.
 */
import { createError } from '../errors.js';

export const BUDGET_MODES = ['ceiling', 'target'] as const;
export type BudgetMode = (typeof BUDGET_MODES)[number];

/**
 * How fast the price of a candidate answers the budget: drawing a quarter over the budget on every request raises
 * the price e-fold in 200 requests, and a held-back request (always-all, several budgets' worth) moves it a few percent.
 */
export const BUDGET_STEP = 0.02;
/** The price factor never exceeds this (a budget below what one cheap plan draws would otherwise grow it without end). */
export const MAX_PRICE_FACTOR = 1e6;
/** A target budget's price factor never falls below this: a candidate is never free. */
export const MIN_PRICE_FACTOR = 0.01;

/** Mean candidates per request, or a share of the full draw written as a percentage ("35%"). */
export type CandidateBudget = number | `${number}%`;

/** A budget's count or share (in (0, 1]), refusing anything else with what was given. */
export function parseCandidateBudget(budget: CandidateBudget): { count: number } | { share: number } {
  if (typeof budget === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(budget);
    const percent = m ? Number(m[1]) : NaN;
    if (!(percent > 0 && percent <= 100)) throw createError('POLICY_BAD_INPUT', 'candidateBudget', `a share of the full draw in (0%, 100%], got "${budget}"`);
    return { share: percent / 100 };
  }
  if (!(typeof budget === 'number' && budget > 0 && Number.isFinite(budget))) throw createError('POLICY_BAD_INPUT', 'candidateBudget', `a number of candidates > 0 or a percentage like "35%", got ${typeof budget === 'number' ? budget : JSON.stringify(budget)}`);
  return { count: budget };
}

export class CandidatePrice {
  readonly mode: BudgetMode;
  /** The budget as a share of the full draw, when it was given as one. */
  readonly share: number | undefined;
  private readonly count: number | undefined;
  private current = 1;

  constructor(
    /** Mean candidates per request, or a share of the full draw ("35%"); undefined: no budget, the factor stays 1. */
    readonly budget: CandidateBudget | undefined,
    mode?: BudgetMode,
    /** What a request running every strategy at the largest budget draws now (needed by a share). */
    private readonly fullDraw?: () => number,
  ) {
    const parsed = budget === undefined ? undefined : parseCandidateBudget(budget);
    this.count = parsed && 'count' in parsed ? parsed.count : undefined;
    this.share = parsed && 'share' in parsed ? parsed.share : undefined;
    if (this.share !== undefined && !fullDraw) throw createError('POLICY_BAD_INPUT', 'candidateBudget', 'a share of the full draw needs a measure of the full draw');
    this.mode = mode ?? 'ceiling';
    if (!BUDGET_MODES.includes(this.mode)) throw createError('POLICY_BAD_INPUT', 'budgetMode', `"${this.mode}"; expected one of ${BUDGET_MODES.join(', ')}`);
    if (mode !== undefined && budget === undefined) throw createError('POLICY_BAD_INPUT', 'budgetMode', 'a budget mode needs a candidateBudget');
  }

  /** The budget now, in mean candidates per request: the count, or the share of the full draw as measured now. */
  get candidates(): number | undefined {
    return this.share !== undefined ? this.share * this.fullDraw!() : this.count;
  }

  /** The candidate's price now, over the cost weight. */
  get factor(): number {
    return this.current;
  }

  /** The range the factor moves in: [1, MAX] under a ceiling (or without a budget), [MIN, MAX] under a target. */
  get range(): [number, number] {
    return [this.mode === 'target' ? MIN_PRICE_FACTOR : 1, MAX_PRICE_FACTOR];
  }

  /** One step of dual ascent after a request that drew `drawn` candidates (all strategies' returned counts). */
  observe(drawn: number): void {
    const budget = this.candidates;
    // A full draw measured at 0 (every strategy returned nothing so far) gives no budget to answer yet.
    if (budget === undefined || !(budget > 0)) return;
    this.current = this.clamped(this.current * Math.exp(BUDGET_STEP * (drawn / budget - 1)));
  }

  /**
   * Adopts a saved factor: as it is on a reload (`merge` false), or the larger of the two when another replica's
   * state is merged in (the one that keeps both at or under the budget). A factor outside this range is clamped to
   * it (a target's factor below 1, read under a ceiling, is 1).
   */
  restore(factor: number, merge: boolean): void {
    if (!(factor >= MIN_PRICE_FACTOR && factor <= MAX_PRICE_FACTOR)) throw createError('POLICY_BAD_INPUT', 'priceFactor', `a factor in [${MIN_PRICE_FACTOR}, ${MAX_PRICE_FACTOR}], got ${factor}`);
    const adopted = this.clamped(factor);
    this.current = merge ? Math.max(this.current, adopted) : adopted;
  }

  private clamped(factor: number): number {
    const [low, high] = this.range;
    return Math.min(high, Math.max(low, factor));
  }
}
