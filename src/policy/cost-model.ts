/**
 * The cost of running a strategy at a budget, in candidates:
 *
 *   cost = budget · fill(strategy, budget) + latencyWeight · ms(strategy, budget)
 *
 * `fill` is the share of the budget the strategy has actually returned (memory asked for 100 usually has a
 * handful; popular always fills it), so a cheap strategy is not priced as if it filled its budget; ms is its mean
 * measured latency. Both are ratios of sums, so replicas merge by adding. With latencyWeight 0 (the default)
 * cost depends only on counts, which are deterministic, so decisions replay exactly by seed; a positive weight
 * makes slow strategies pay for their time (measured latency differs between runs and machines, so replays are
 * then only approximately equal).
 *
 * It also keeps what held-back requests (every strategy at the largest budget, on a random share of requests)
 * drew: the full draw a candidate budget given as a share is a share of. Per-arm fills would not do: a plan runs a
 * strategy at its largest budget where it expects results, so those fills overstate it (by 16% on Last.fm).
 */
import type { StrategyRun } from '../retrieval/registry.js';

/** Per (strategy, budget): runs, candidates returned, budget asked, milliseconds. */
type Sums = [runs: number, returned: number, asked: number, ms: number];

export interface CostModelState {
  latencyWeight: number;
  sums: Record<string, Sums>;
  /** Held-back requests and the candidates they drew (absent in states saved before it: none). */
  full?: [requests: number, candidates: number];
}

/** Held-back requests needed before their mean stands for the full draw (before: the per-strategy fills' sum). */
export const FULL_DRAW_MIN_REQUESTS = 10;

export class CostModel {
  private readonly sums = new Map<string, Sums>();
  private readonly full: [requests: number, candidates: number] = [0, 0];

  constructor(readonly latencyWeight = 0) {}

  cost(strategy: string, budget: number): number {
    const seen = budget === 0 ? undefined : this.sums.get(`${strategy}@${budget}`);
    return this.candidates(strategy, budget) + (seen ? (this.latencyWeight * seen[3]) / seen[0] : 0);
  }

  /** The candidates a strategy returns at a budget, on average so far (the budget itself before it has run). */
  candidates(strategy: string, budget: number): number {
    if (budget === 0) return 0;
    const seen = this.sums.get(`${strategy}@${budget}`);
    return seen ? (budget * seen[1]) / seen[2] : budget;
  }

  /**
   * What a request running every strategy at the largest budget draws: the mean over held-back requests once
   * there are FULL_DRAW_MIN_REQUESTS of them, else the sum of each strategy's fill there (`strategies`).
   */
  fullDraw(strategies: Iterable<string>, largestBudget: number): number {
    if (this.full[0] >= FULL_DRAW_MIN_REQUESTS) return this.full[1] / this.full[0];
    let total = 0;
    for (const name of strategies) total += this.candidates(name, largestBudget);
    return total;
  }

  /** Records a held-back request's draw (all strategies' returned counts). */
  observeFull(drawn: number): void {
    this.full[0] += 1;
    this.full[1] += drawn;
  }

  /**
   * What the runs actually cost, per strategy: candidates returned + latencyWeight · ms, the quantity `cost`
   * estimates before running. A realised reward charges this, so it depends on what happened, not on the
   * model's estimate, and means the same for every planner (static plans included).
   */
  spent(runs: readonly StrategyRun[]): Map<string, number> {
    return realisedCosts(runs, this.latencyWeight);
  }

  observe(runs: readonly StrategyRun[]): void {
    for (const run of runs) if (run.budget > 0) this.add(`${run.strategy}@${run.budget}`, [1, run.count, run.budget, run.ms]);
  }

  toJSON(): CostModelState {
    return { latencyWeight: this.latencyWeight, sums: Object.fromEntries(this.sums), full: [...this.full] };
  }

  /** Adds saved (or another replica's) sums to these. */
  restore(state: CostModelState): void {
    for (const [key, sums] of Object.entries(state.sums)) this.add(key, sums);
    this.full[0] += state.full?.[0] ?? 0;
    this.full[1] += state.full?.[1] ?? 0;
  }

  private add(key: string, [runs, returned, asked, ms]: Sums): void {
    const seen = this.sums.get(key);
    if (!seen) this.sums.set(key, [runs, returned, asked, ms]);
    else {
      seen[0] += runs;
      seen[1] += returned;
      seen[2] += asked;
      seen[3] += ms;
    }
  }
}

/** Per strategy run (budget > 0): candidates returned + latencyWeight · ms. */
export function realisedCosts(runs: readonly StrategyRun[], latencyWeight = 0): Map<string, number> {
  const costs = new Map<string, number>();
  for (const run of runs) if (run.budget > 0) costs.set(run.strategy, (costs.get(run.strategy) ?? 0) + run.count + latencyWeight * run.ms);
  return costs;
}
