/** The lexical strategy: BM25F with the popularity prior, straight from the inverted index. */
import type { Explanation } from '../index/explain.js';
import type { SearchIndex } from '../index/search-index.js';
import type { QueryContext } from '../query/query-context.js';
import { type Candidate, checkBudget, ranked, type Strategy } from './strategy.js';
import { passesRestrictions, requireEntity } from './restrictions.js';

export class LexicalStrategy implements Strategy {
  readonly kind = 'lexical' as const;

  constructor(
    private readonly index: SearchIndex,
    readonly name = 'lexical',
  ) {}

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    if (budget === 0) return [];
    return ranked(this.index.search(query.raw, { k: budget, type: query.types, filters: query.filters }));
  }

  explain(query: QueryContext, id: string): Explanation {
    const entity = requireEntity(this.index, id);
    if (!passesRestrictions(entity, query)) return { value: 0, description: 'excluded by the query\'s type or filters', details: [] };
    return this.index.explain(query.raw, id);
  }

  /** The postings the query's terms hold: what MaxScore may have to visit. */
  cost(query: QueryContext, budget: number): number {
    let postings = 0;
    for (const { term } of this.index.queryTerms(query.raw)) postings += this.index.inverted.df[term];
    return postings + budget;
  }
}

