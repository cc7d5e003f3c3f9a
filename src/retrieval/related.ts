/**
 * The related strategy: entities next to the query's best matches in the entity graph (a track's artist and
 * album, an artist's top tracks and related artists, entities users engage with together). Seeds are the
 * lexical strategy's top `seeds` hits, scored relative to the best (1 for the top hit), plus any the `seeds`
 * hook adds (the query-understanding slots: an artist named in the query, say). From every seed the walk goes
 * `hops` steps; a path's score is its seed's score × the product of its edge weights × hopDamping per step
 * after the first, and an entity's score is the sum over the paths that reach it. Only the strongest
 * `frontier` entities of a step go on to the next. A path that returns to its own seed is not counted, so a
 * seed is returned only when another seed leads to it. Ties go to the more popular entity, then the smaller
 * doc number.
 */
import { createError } from '../errors.js';
import type { Explanation } from '../index/explain.js';
import type { SearchIndex } from '../index/search-index.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import type { QueryContext } from '../query/query-context.js';
import { EntityGraph } from './entity-graph.js';
import { LexicalStrategy } from './lexical.js';
import type { RetrievalResources } from './resources.js';
import { passesRestrictions, requireEntity } from './restrictions.js';
import { type Candidate, checkBudget, ranked, type Strategy } from './strategy.js';

export const RELATED_OPTIONS = {
  seeds: { kind: 'number', default: 5, min: 1, max: 100, integer: true, description: 'lexical top hits the walk starts from' },
  hops: { kind: 'number', default: 2, min: 1, max: 3, integer: true, description: 'steps the walk takes from each seed' },
  hopDamping: { kind: 'number', default: 0.5, min: 0, max: 1, description: 'factor for every step after the first' },
  frontier: { kind: 'number', default: 100, min: 1, max: 10000, integer: true, description: 'strongest entities of a step that the next step starts from' },
} as const;

export interface Seed {
  id: string;
  /** In (0, 1]. */
  score: number;
}

/** Extra seeds for a query (e.g. entities named by query-understanding slots). */
export type SeedHook = (query: QueryContext) => Seed[];

export type RelatedOptions = Partial<ResolvedOptions<typeof RELATED_OPTIONS>> & { name?: string; seedHook?: SeedHook };

interface Walk {
  seeds: Seed[];
  totals: Map<string, number>;
  /** Per seed, what it contributed to the traced entity. */
  traced: number[];
}

export class RelatedStrategy implements Strategy {
  readonly kind = 'related' as const;
  readonly name: string;
  readonly options: ResolvedOptions<typeof RELATED_OPTIONS>;
  readonly graph: EntityGraph;
  private readonly index: SearchIndex;
  private readonly lexical: LexicalStrategy;
  private readonly seedHook?: SeedHook;

  constructor(resources: RetrievalResources, options: RelatedOptions = {}) {
    const { name, seedHook, ...rest } = options;
    this.name = name ?? 'related';
    this.options = resolveOptions(RELATED_OPTIONS, rest, 'related.');
    this.seedHook = seedHook;
    this.index = resources.index;
    this.lexical = new LexicalStrategy(resources.index);
    this.graph = EntityGraph.shared(resources);
  }

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    if (budget === 0) return [];
    const { totals } = this.walk(query);
    const reached: Array<[string, number]> = [];
    for (const entry of totals) if (entry[1] > 0) reached.push(entry);
    reached.sort((a, b) => b[1] - a[1]);
    // The walk reaches thousands of entities: resolve and filter them best first, only as far as the budget and
    // the ties of its last score go, then order those fully.
    const scored: Array<{ id: string; doc: number; score: number }> = [];
    for (const [id, score] of reached) {
      if (scored.length >= budget && score < scored[budget - 1].score) break;
      const doc = this.index.docId(id);
      if (doc !== undefined && passesRestrictions(this.index.entities[doc]!, query)) scored.push({ id, doc, score });
    }
    const pop = this.index.popularity;
    scored.sort((a, b) => b.score - a.score || pop[b.doc] - pop[a.doc] || a.doc - b.doc);
    return ranked(scored.slice(0, budget));
  }

  explain(query: QueryContext, id: string): Explanation {
    const entity = requireEntity(this.index, id);
    if (!passesRestrictions(entity, query)) return { value: 0, description: "excluded by the query's type or filters", details: [] };
    const { seeds, totals, traced } = this.walk(query, id);
    const value = totals.get(id) ?? 0;
    if (!(value > 0)) return { value: 0, description: `not reached from any of the ${seeds.length} seeds within ${this.options.hops} steps`, details: [] };
    return {
      value,
      description: 'related: Σ over paths from the seeds of seed score · Π edge weights · hopDamping^(steps − 1)',
      details: seeds.flatMap((seed, i) =>
        traced[i] === 0 ? [] : [{
          value: traced[i],
          description: `paths from seed ${seed.id} "${this.index.get(seed.id)?.title ?? ''}"`,
          details: [{ value: seed.score, description: 'seed score (lexical score / best lexical score, or from the seed hook)', details: [] }],
        }],
      ),
    };
  }

  cost(query: QueryContext, budget: number): number {
    return this.lexical.cost(query, this.options.seeds) + this.options.seeds * this.options.frontier * (this.options.hops - 1) + 50 * this.options.seeds + budget;
  }

  /** The seeds of the query: the lexical top hits, then the hook's (the larger score when both name one). */
  seedsOf(query: QueryContext): Seed[] {
    const out = new Map<string, number>();
    const hits = this.index.search(query.raw, { k: this.options.seeds });
    for (const hit of hits) out.set(hit.id, hit.score / hits[0].score);
    for (const seed of this.seedHook?.(query) ?? []) {
      if (!this.index.has(seed.id) || !(seed.score > 0 && seed.score <= 1)) {
        throw createError('QUERY_BAD_CONTEXT', `${this.name} seed`, seed, 'a catalogue id with a score in (0, 1]');
      }
      out.set(seed.id, Math.max(out.get(seed.id) ?? 0, seed.score));
    }
    return [...out].map(([id, score]) => ({ id, score }));
  }

  /** Walks from every seed, summing path scores per entity in one fixed order (retrieve and explain agree). */
  private walk(query: QueryContext, trace?: string): Walk {
    const seeds = this.seedsOf(query);
    const time = query.time.getTime();
    const totals = new Map<string, number>();
    const traced = seeds.map(() => 0);
    seeds.forEach((seed, s) => {
      let frontier: Array<[string, number]> = [[seed.id, seed.score]];
      for (let hop = 1; hop <= this.options.hops && frontier.length > 0; hop++) {
        const damping = hop === 1 ? 1 : this.options.hopDamping;
        const next = new Map<string, number>();
        for (const [node, score] of frontier) {
          this.graph.forEachNeighbour(node, time, (id, weight) => {
            if (id === seed.id) return;
            const value = score * weight * damping;
            totals.set(id, (totals.get(id) ?? 0) + value);
            if (id === trace) traced[s] += value;
            next.set(id, (next.get(id) ?? 0) + value);
          });
        }
        if (hop < this.options.hops) frontier = [...next].sort((a, b) => b[1] - a[1]).slice(0, this.options.frontier);
      }
    });
    return { seeds, totals, traced };
  }
}
