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
 * - `top_score`: the strategy's own score for its first candidate, averaged over its runs for this query text and
 *   smoothed towards its mean over every query by two pseudo-runs, as a logistic of its z-score against every top
 *   score the strategy has returned. 0.5 is a typical top hit for this strategy, near 1 one far above its usual
 *   (a rare title word's BM25, a memory many users confirmed), near 0 a weak one. Strategies' scores are not
 *   comparable with each other; standardised per strategy they are. A query never run before reads 0.5.
 *
 * All of it is counts that add up (mergeable across replicas) and is updated by `observe` from what ran.
 */
import type { SearchIndex } from '../index/search-index.js';
import type { QueryContext } from '../query/query-context.js';
import type { Strategy } from '../retrieval/strategy.js';

export const ACTION_FEATURE_NAMES = ['a.work', 'a.has_work', 'a.history', 'a.history_confidence', 'a.type_match', 'a.top_score'] as const;

/** Past outcomes per (query key, strategy): [trials, hits]. */
type History = Map<string, Map<string, [number, number]>>;

/** Top scores per (query key, strategy): [runs that returned something, Σ top score]. */
type TopScores = Map<string, Map<string, [number, number]>>;

/** Per strategy over all keys: [runs that returned something, Σ top score, Σ top score²]. */
type TopScoreMoments = Map<string, [number, number, number]>;

export interface ActionFeatureState {
  history: Array<[string, string, number, number]>;
  overall: Record<string, [number, number]>;
  types: Record<string, Record<string, number>>;
  /** [query key, strategy, runs, Σ top score] (absent in states saved before the feature: no top scores). */
  topScores?: Array<[string, string, number, number]>;
  /** Per strategy: [runs, Σ top score, Σ top score²]. */
  topScoreMoments?: Record<string, [number, number, number]>;
}

const MAX_KEYS = 200_000;

/** The counts behind the action features: they add up, so states merge by `restore`-ing one into another. */
export class ActionCounts {
  protected history: History = new Map();
  protected readonly overall = new Map<string, [number, number]>();
  protected readonly types = new Map<string, Map<string, number>>();
  protected topScores: TopScores = new Map();
  protected readonly topScoreMoments: TopScoreMoments = new Map();

  toJSON(): ActionFeatureState {
    return {
      history: flatten(this.history),
      overall: Object.fromEntries(this.overall),
      types: Object.fromEntries([...this.types].map(([name, counts]) => [name, Object.fromEntries(counts)])),
      topScores: flatten(this.topScores),
      topScoreMoments: Object.fromEntries(this.topScoreMoments),
    };
  }

  /** Adds a saved state's counts to this one's. */
  restore(state: ActionFeatureState): void {
    for (const [key, name, t, h] of state.history) add(perKey(this.history, key), name, t, h);
    for (const [key, name, runs, sum] of state.topScores ?? []) add(perKey(this.topScores, key), name, runs, sum);
    for (const [name, moments] of Object.entries(state.topScoreMoments ?? {})) addMoments(this.topScoreMoments, name, moments);
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
    const key = ActionFeatures.key(query);
    const [trials, hits] = this.history.get(key)?.get(name) ?? [0, 0];
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
      this.topScoreFeature(key, name),
    ];
  }

  /** `top_score`: the key's smoothed mean top score, standardised against the strategy's, through a logistic. */
  private topScoreFeature(key: string, name: string): number {
    const [n, sum, squares] = this.topScoreMoments.get(name) ?? [0, 0, 0];
    if (n < 2) return 0.5;
    const mean = sum / n;
    const sd = Math.sqrt(Math.max(0, squares / n - mean * mean));
    if (!(sd > 0)) return 0.5;
    const [runs, keySum] = this.topScores.get(key)?.get(name) ?? [0, 0];
    const z = ((keySum + 2 * mean) / (runs + 2) - mean) / sd;
    return 1 / (1 + Math.exp(-z));
  }

  /**
   * Records one strategy's run: whether it covered the engaged entity, the types of what it returned and its
   * first candidate's score (undefined: it returned nothing).
   */
  observe(query: QueryContext, name: string, covered: boolean, returned: readonly string[], topScore?: number): void {
    const key = ActionFeatures.key(query);
    // Bounded memory: past MAX_KEYS query texts, forget them all and start again.
    if (this.history.size >= MAX_KEYS && !this.history.has(key)) this.history = new Map();
    if (this.topScores.size >= MAX_KEYS && !this.topScores.has(key)) this.topScores = new Map();
    bump(perKey(this.history, key), name, covered);
    bump(this.overall, name, covered);
    if (topScore !== undefined && Number.isFinite(topScore)) {
      add(perKey(this.topScores, key), name, 1, topScore);
      addMoments(this.topScoreMoments, name, [1, topScore, topScore * topScore]);
    }
    let counts = this.types.get(name);
    if (!counts) this.types.set(name, (counts = new Map()));
    for (const id of returned) {
      const type = this.index.get(id)?.type;
      if (type !== undefined) counts.set(type, (counts.get(type) ?? 0) + 1);
    }
  }
}

function perKey(byKey: Map<string, Map<string, [number, number]>>, key: string): Map<string, [number, number]> {
  let perStrategy = byKey.get(key);
  if (!perStrategy) byKey.set(key, (perStrategy = new Map()));
  return perStrategy;
}

function flatten(byKey: Map<string, Map<string, [number, number]>>): Array<[string, string, number, number]> {
  const out: Array<[string, string, number, number]> = [];
  for (const [key, perStrategy] of byKey) for (const [name, [a, b]] of perStrategy) out.push([key, name, a, b]);
  return out;
}

function addMoments(map: TopScoreMoments, name: string, [n, sum, squares]: readonly [number, number, number]): void {
  const entry = map.get(name);
  if (entry) {
    entry[0] += n;
    entry[1] += sum;
    entry[2] += squares;
  } else map.set(name, [n, sum, squares]);
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
