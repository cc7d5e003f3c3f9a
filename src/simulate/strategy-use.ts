/**
 * What each strategy did in a simulated run, overall and per label: how often the plan ran it, how many
 * candidates it returned, how often its list held a target, and how often it alone did. It says where a plan's
 * candidate recall comes from and what its candidates buy: a strategy that ran on most searches, returned many
 * candidates and was alone in finding a target on almost none is one the plan could drop.
 */
import type { StrategyRun } from '../retrieval/registry.js';
import type { UnionCandidate } from '../retrieval/union.js';

export interface StrategyUse {
  /** Share of searches the plan ran it on (budget > 0). */
  ran: number;
  /** Candidates it returned per search (over every search, 0 where it did not run). */
  candidates: number;
  /** Share of searches on which its list held a target. */
  found: number;
  /** Share of searches on which its list alone held a target: the recall the plan loses without it. */
  alone: number;
}

/** Per strategy: [searches it ran on, candidates, searches it found a target on, searches only it did]. */
type Counts = [ran: number, candidates: number, found: number, alone: number];

class Tally {
  searches = 0;
  readonly counts = new Map<string, Counts>();

  of(strategy: string): Counts {
    let counts = this.counts.get(strategy);
    if (!counts) this.counts.set(strategy, (counts = [0, 0, 0, 0]));
    return counts;
  }

  use(): Record<string, StrategyUse> {
    const n = Math.max(1, this.searches);
    const names = [...this.counts.keys()].sort();
    return Object.fromEntries(names.map((name) => {
      const [ran, candidates, found, alone] = this.counts.get(name)!;
      return [name, { ran: ran / n, candidates: candidates / n, found: found / n, alone: alone / n }];
    }));
  }
}

export class StrategyUseTally {
  private readonly total = new Tally();
  private readonly byLabel = new Map<string, Tally>();

  /** Adds one search: the strategies run (with their counts), the union's candidates and the search's targets. */
  add(label: string, runs: readonly StrategyRun[], candidates: readonly UnionCandidate[], targets: ReadonlySet<string>): void {
    let labelled = this.byLabel.get(label);
    if (!labelled) this.byLabel.set(label, (labelled = new Tally()));
    const finders = new Set<string>();
    for (const c of candidates) if (targets.has(c.id)) for (const p of c.provenance) finders.add(p.strategy);
    for (const tally of [this.total, labelled]) {
      tally.searches++;
      for (const run of runs) {
        if (run.budget <= 0) continue;
        const counts = tally.of(run.strategy);
        counts[0]++;
        counts[1] += run.count;
      }
      for (const strategy of finders) {
        const counts = tally.of(strategy);
        counts[2]++;
        if (finders.size === 1) counts[3]++;
      }
    }
  }

  overall(): Record<string, StrategyUse> {
    return this.total.use();
  }

  label(label: string): Record<string, StrategyUse> {
    return this.byLabel.get(label)?.use() ?? {};
  }
}
