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
import { passesRestrictions, requireEntity } from './restrictions.js';

const DAY_MS = 86_400_000;

export interface FreshOptions {
  /** How far back counts as fresh, in days (default 365). */
  windowDays?: number;
  name?: string;
}

export function releaseTime(released: string | undefined): number | undefined {
  if (!released) return undefined;
  const [y, m, d] = released.split('-').map(Number);
  const t = Date.UTC(y, (m ?? 1) - 1, d ?? 1);
  return Number.isFinite(t) ? t : undefined;
}

export class FreshStrategy implements Strategy {
  readonly kind = 'fresh' as const;
  readonly name: string;
  private readonly windowMs: number;
  private byRelease: Array<{ doc: number; time: number }> = [];
  private version = -1;

  constructor(
    private readonly index: SearchIndex,
    options: FreshOptions = {},
  ) {
    const days = options.windowDays ?? 365;
    if (!(days > 0 && Number.isFinite(days))) throw createError('OPTION_OUT_OF_RANGE', 'fresh.windowDays', days, 'a number > 0');
    this.windowMs = days * DAY_MS;
    this.name = options.name ?? 'fresh';
  }

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    const list = this.sorted();
    const now = query.time.getTime();
    const out: Array<{ id: string; score: number }> = [];
    // Newest first: skip what is released after `now`, stop once past the window.
    let i = this.firstAtOrBefore(list, now);
    for (; i < list.length && out.length < budget; i++) {
      const age = now - list[i].time;
      if (age >= this.windowMs) break;
      const entity = this.index.entities[list[i].doc];
      if (entity && passesRestrictions(entity, query)) out.push({ id: entity.id, score: 1 - age / this.windowMs });
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

  private sorted(): Array<{ doc: number; time: number }> {
    if (this.version !== this.index.inverted.version) {
      this.byRelease = [];
      this.index.entities.forEach((entity, doc) => {
        const time = releaseTime(entity?.released);
        if (entity && time !== undefined) this.byRelease.push({ doc, time });
      });
      this.byRelease.sort((a, b) => b.time - a.time || a.doc - b.doc);
      this.version = this.index.inverted.version;
    }
    return this.byRelease;
  }

  private firstAtOrBefore(list: Array<{ time: number }>, now: number): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].time > now) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
