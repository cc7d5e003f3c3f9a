/**
 * Action features: what the retrieval policy knows about running one strategy for one query before running it.
 *
 * - `work`: log(1 + the strategy's own cost estimate at budget 0) / log(1 + catalogue size). For lexical it is
 *   the postings of the query's terms, for memory the entities remembered for its keys, for structured the docs
 *   its readings' slots name; 0 means the strategy has nothing to go on (no known term, no memory, no slot), the
 *   cheapest proxy for "how many results it would return".
 * - `has_work`: work > 0.
 * - `history`, `history_confidence`: how often this strategy covered what users engaged with for this query
 *   (its normalised text), smoothed towards the strategy's overall rate: (hits + 2·overall) / (trials + 2), and
 *   trials / (trials + 2).
 * - `type_match`: Σ_type P(intent = type) · the share of that type among what the strategy has returned.
 *
 * All of it is counts that add up (mergeable across replicas) and is updated by `observe` from what ran.
 */
import type { SearchIndex } from '../index/search-index.js';
import type { QueryContext } from '../query/query-context.js';
import type { Strategy } from '../retrieval/strategy.js';

export const ACTION_FEATURE_NAMES = ['a.work', 'a.has_work', 'a.history', 'a.history_confidence', 'a.type_match'] as const;

/** Past outcomes per (query key, strategy): [trials, hits]. */
type History = Map<string, Map<string, [number, number]>>;

export interface ActionFeatureState {
  history: Array<[string, string, number, number]>;
  overall: Record<string, [number, number]>;
  types: Record<string, Record<string, number>>;
}

const MAX_KEYS = 200_000;

/** The counts behind the action features: they add up, so states merge by `restore`-ing one into another. */
export class ActionCounts {
  protected history: History = new Map();
  protected readonly overall = new Map<string, [number, number]>();
  protected readonly types = new Map<string, Map<string, number>>();

  toJSON(): ActionFeatureState {
    const history: ActionFeatureState['history'] = [];
    for (const [key, perStrategy] of this.history) for (const [name, [t, h]] of perStrategy) history.push([key, name, t, h]);
    return {
      history,
      overall: Object.fromEntries(this.overall),
      types: Object.fromEntries([...this.types].map(([name, counts]) => [name, Object.fromEntries(counts)])),
    };
  }

  /** Adds a saved state's counts to this one's. */
  restore(state: ActionFeatureState): void {
    for (const [key, name, t, h] of state.history) {
      let perStrategy = this.history.get(key);
      if (!perStrategy) this.history.set(key, (perStrategy = new Map()));
      add(perStrategy, name, t, h);
    }
    for (const [name, [t, h]] of Object.entries(state.overall)) add(this.overall, name, t, h);
    for (const [name, counts] of Object.entries(state.types)) {
      let mine = this.types.get(name);
      if (!mine) this.types.set(name, (mine = new Map()));
      for (const [type, count] of Object.entries(counts)) mine.set(type, (mine.get(type) ?? 0) + count);
    }
  }
}

export class ActionFeatures extends ActionCounts {
  constructor(private readonly index: SearchIndex) {
    super();
  }

  static key(query: QueryContext): string {
    return query.tokens.join(' ');
  }

  features(query: QueryContext, name: string, strategy: Strategy, intent: Readonly<Record<string, number>>): number[] {
    const work = strategy.cost(query, 0);
    const [trials, hits] = this.history.get(ActionFeatures.key(query))?.get(name) ?? [0, 0];
    const [allTrials, allHits] = this.overall.get(name) ?? [0, 0];
    const overallRate = (allHits + 1) / (allTrials + 2);
    const typeCounts = this.types.get(name);
    let typeMatch = 0;
    let total = 0;
    for (const count of typeCounts?.values() ?? []) total += count;
    if (typeCounts && total > 0) {
      for (const [type, p] of Object.entries(intent)) typeMatch += (p * (typeCounts.get(type) ?? 0)) / total;
    }
    return [
      Math.log1p(work) / Math.log1p(Math.max(1, this.index.size)),
      work > 0 ? 1 : 0,
      (hits + 2 * overallRate) / (trials + 2),
      trials / (trials + 2),
      typeMatch,
    ];
  }

  /** Records one strategy's run: whether it covered the engaged entity, and the types of what it returned. */
  observe(query: QueryContext, name: string, covered: boolean, returned: readonly string[]): void {
    const key = ActionFeatures.key(query);
    if (this.history.size >= MAX_KEYS && !this.history.has(key)) this.history = new Map(); // bounded memory: forget, restart
    let perStrategy = this.history.get(key);
    if (!perStrategy) this.history.set(key, (perStrategy = new Map()));
    bump(perStrategy, name, covered);
    bump(this.overall, name, covered);
    let counts = this.types.get(name);
    if (!counts) this.types.set(name, (counts = new Map()));
    for (const id of returned) {
      const type = this.index.get(id)?.type;
      if (type !== undefined) counts.set(type, (counts.get(type) ?? 0) + 1);
    }
  }
}

function bump(map: Map<string, [number, number]>, name: string, covered: boolean): void {
  add(map, name, 1, covered ? 1 : 0);
}

function add(map: Map<string, [number, number]>, name: string, trials: number, hits: number): void {
  const entry = map.get(name);
  if (entry) {
    entry[0] += trials;
    entry[1] += hits;
  } else map.set(name, [trials, hits]);
}
