/**
 * The popular strategy: the most popular entities, whatever the query says (within its type and filter
 * restrictions). It catches head queries whose words match poorly and gives the policy a cheap fallback.
 * Score: ln(1 + popularity) / ln(1 + max popularity), in (0, 1]; entities without popularity are never returned.
 */
import type { Explanation } from '../index/explain.js';
import type { SearchIndex } from '../index/search-index.js';
import type { QueryContext } from '../query/query-context.js';
import { type Candidate, checkBudget, ranked, type Strategy } from './strategy.js';
import { passesRestrictions, requireEntity } from './restrictions.js';

export class PopularStrategy implements Strategy {
  readonly kind = 'popular' as const;
  private order: number[] = [];
  private orderVersion = -1;

  constructor(
    private readonly index: SearchIndex,
    readonly name = 'popular',
  ) {}

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    const out: Array<{ id: string; score: number }> = [];
    for (const doc of this.byPopularity()) {
      if (out.length >= budget) break;
      const entity = this.index.entities[doc];
      if (entity && passesRestrictions(entity, query)) out.push({ id: entity.id, score: this.score(doc) });
    }
    return ranked(out);
  }

  explain(query: QueryContext, id: string): Explanation {
    const entity = requireEntity(this.index, id);
    const doc = this.index.docId(id)!;
    const popularity = this.index.popularity[doc];
    if (!passesRestrictions(entity, query) || !(popularity > 0)) {
      return { value: 0, description: 'not returned: no popularity, or excluded by the query\'s type or filters', details: [] };
    }
    return {
      value: this.score(doc),
      description: 'popularity, ln(1 + popularity) / ln(1 + maxPopularity)',
      details: [
        { value: popularity, description: 'popularity', details: [] },
        { value: this.index.maxPopularity, description: 'maxPopularity, largest in the index', details: [] },
      ],
    };
  }

  /** Entities scanned: the budget, more when restrictions reject some (unknown here, so not counted). */
  cost(_query: QueryContext, budget: number): number {
    return budget;
  }

  private score(doc: number): number {
    return this.index.prior(doc);
  }

  /** Live docs with popularity > 0, most popular first (ties: smaller doc), rebuilt when the catalogue changes. */
  private byPopularity(): number[] {
    const version = this.index.inverted.version;
    if (version !== this.orderVersion) {
      const pop = this.index.popularity;
      this.order = [];
      this.index.entities.forEach((entity, doc) => {
        if (entity && pop[doc] > 0) this.order.push(doc);
      });
      this.order.sort((a, b) => pop[b] - pop[a] || a - b);
      this.orderVersion = version;
    }
    return this.order;
  }
}
