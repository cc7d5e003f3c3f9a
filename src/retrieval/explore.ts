/**
 * The explore strategy: a seeded random sample of plausible matches (the lexical strategy's top `pool`, or the
 * most popular entities when nothing matches), so that entities the other strategies rank low still get shown
 * now and then and the learners collect counterfactual feedback. The sample is a shuffle seeded by the
 * request's seed and the query text, so a request replays exactly and a larger budget extends a smaller one.
 * Score: 1 − position / pool size.
 */
import { createError } from '../errors.js';
import type { Explanation } from '../index/explain.js';
import type { SearchIndex } from '../index/search-index.js';
import type { QueryContext } from '../query/query-context.js';
import { hashString, mulberry32, shuffled } from '../util/random.js';
import { LexicalStrategy } from './lexical.js';
import { PopularStrategy } from './popular.js';
import { requireEntity } from './restrictions.js';
import { type Candidate, checkBudget, ranked, type Strategy } from './strategy.js';

export interface ExploreOptions {
  /** How many plausible matches to sample from (default 200). */
  pool?: number;
  name?: string;
}

export class ExploreStrategy implements Strategy {
  readonly kind = 'explore' as const;
  readonly name: string;
  private readonly pool: number;
  private readonly lexical: LexicalStrategy;
  private readonly popular: PopularStrategy;

  constructor(
    private readonly index: SearchIndex,
    options: ExploreOptions = {},
  ) {
    this.pool = options.pool ?? 200;
    if (!Number.isInteger(this.pool) || this.pool < 1) throw createError('OPTION_OUT_OF_RANGE', 'explore.pool', this.pool, 'an integer ≥ 1');
    this.name = options.name ?? 'explore';
    this.lexical = new LexicalStrategy(index);
    this.popular = new PopularStrategy(index);
  }

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    const sample = this.sample(query);
    return ranked(sample.slice(0, budget).map((id, i) => ({ id, score: 1 - i / sample.length })));
  }

  explain(query: QueryContext, id: string): Explanation {
    requireEntity(this.index, id);
    const sample = this.sample(query);
    const position = sample.indexOf(id);
    if (position < 0) return { value: 0, description: `not in the ${this.pool} plausible matches explore samples from`, details: [] };
    return {
      value: 1 - position / sample.length,
      description: '1 − position / pool, in a shuffle seeded by the request',
      details: [
        { value: position, description: 'position in the seeded shuffle', details: [] },
        { value: sample.length, description: 'pool, plausible matches sampled from', details: [] },
        { value: query.seed, description: 'seed of the request', details: [] },
      ],
    };
  }

  cost(query: QueryContext, budget: number): number {
    return this.lexical.cost(query, this.pool) + budget;
  }

  private sample(query: QueryContext): string[] {
    let plausible = this.lexical.retrieve(query, this.pool);
    if (plausible.length === 0) plausible = this.popular.retrieve(query, this.pool);
    const ids = plausible.map((c) => c.id);
    return shuffled(ids, mulberry32(hashString(query.text, query.seed)));
  }
}
