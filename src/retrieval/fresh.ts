/**
 * The fresh strategy: entities released within a window before the request time, newest first, so that new
 * releases get exposure before they have any clicks. Score: 1 − age / window, in (0, 1]. A release date of
 * "2020" counts as 2020-01-01 and "2020-05" as 2020-05-01; entities released after the request time are not
 * returned (not out yet at that time).
 */
import { createError } from '../errors.js';
import type { Explanation } from '../index/explain.js';
import type { SearchIndex } from '../index/search-index.js';
import type { QueryContext } from '../query/query-context.js';
import { type Candidate, checkBudget, ranked, type Strategy } from './strategy.js';
import { releaseOrderOf, type ReleaseOrder, releaseTime } from './release-order.js';
import { passesRestrictions, requireEntity } from './restrictions.js';

const DAY_MS = 86_400_000;

export interface FreshOptions {
  /** How far back counts as fresh, in days (default 365). */
  windowDays?: number;
  name?: string;
}

export class FreshStrategy implements Strategy {
  readonly kind = 'fresh' as const;
  readonly name: string;
  private readonly windowMs: number;
  private readonly releases: ReleaseOrder;

  constructor(
    private readonly index: SearchIndex,
    options: FreshOptions = {},
  ) {
    const days = options.windowDays ?? 365;
    if (!(days > 0 && Number.isFinite(days))) throw createError('OPTION_OUT_OF_RANGE', 'fresh.windowDays', days, 'a number > 0');
    this.windowMs = days * DAY_MS;
    this.name = options.name ?? 'fresh';
    this.releases = releaseOrderOf(index);
  }

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    const now = query.time.getTime();
    const out: Array<{ id: string; score: number }> = [];
    // Newest first within the window: what is released after `now` or before the window is not in it.
    for (const doc of this.releases.window(now, this.windowMs)) {
      if (out.length >= budget) break;
      const entity = this.index.entities[doc];
      if (entity && passesRestrictions(entity, query)) out.push({ id: entity.id, score: 1 - (now - this.releases.time(doc)) / this.windowMs });
    }
    return ranked(out);
  }

  explain(query: QueryContext, id: string): Explanation {
    const entity = requireEntity(this.index, id);
    const time = releaseTime(entity.released);
    const age = time === undefined ? Infinity : query.time.getTime() - time;
    if (!passesRestrictions(entity, query) || !(age >= 0 && age < this.windowMs)) {
      return { value: 0, description: `not returned: not released within ${this.windowMs / DAY_MS} days before the request, or excluded by the query's restrictions`, details: [] };
    }
    return {
      value: 1 - age / this.windowMs,
      description: 'freshness, 1 − age / window',
      details: [
        { value: age / DAY_MS, description: `age in days (released ${entity.released})`, details: [] },
        { value: this.windowMs / DAY_MS, description: 'window in days', details: [] },
      ],
    };
  }

  cost(_query: QueryContext, budget: number): number {
    return budget;
  }

}
