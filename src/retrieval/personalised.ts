/**
 * The personalised strategy: what the requesting user's profile (UserProfiles) says they like.
 * - A query with lexical matches: the lexical top `pool`, rescored as (lexical / best lexical) · e^(β · affinity),
 *   so the user's artists and genres rise among the matches and their dislikes sink.
 * - A vague query (no words, only generic words such as "play some music", or no lexical match): the user's
 *   `topArtists` artists and their tracks and albums, and the strongest `perCategory` entities of each of their
 *   `topCategories` genres, subgenres and moods; scored affinity · (1 + p) / 2, p = ln(1 + popularity) /
 *   ln(1 + maxPopularity), and only when positive.
 * No user in the request, or a user without history, gets nothing (explain says which).
 */
import type { Entity } from '../catalog/entity.js';
import type { Explanation } from '../index/explain.js';
import type { SearchIndex } from '../index/search-index.js';
import { resolveOptions, type ResolvedOptions } from '../options.js';
import type { QueryContext } from '../query/query-context.js';
import { type CategoryAttribute, CategoryIndex } from './category-index.js';
import { EntityGraph } from './entity-graph.js';
import { LexicalStrategy } from './lexical.js';
import type { RetrievalResources } from './resources.js';
import { passesRestrictions, requireEntity } from './restrictions.js';
import { type Candidate, checkBudget, ranked, type Strategy } from './strategy.js';
import { type ProfileSnapshot, UserProfiles } from './user-profiles.js';

export const PERSONALISED_OPTIONS = {
  pool: { kind: 'number', default: 200, min: 1, max: 10000, integer: true, description: 'lexical matches rescored by affinity' },
  affinityWeight: { kind: 'number', default: 2, min: 0, max: 20, description: 'β in lexical · e^(β · affinity)' },
  topArtists: { kind: 'number', default: 5, min: 0, max: 100, integer: true, description: 'the user\'s artists whose entities a vague query gets' },
  topCategories: { kind: 'number', default: 3, min: 0, max: 100, integer: true, description: 'the user\'s categories of each kind (genre, subgenre, mood) a vague query draws from' },
  perCategory: { kind: 'number', default: 50, min: 1, max: 10000, integer: true, description: 'strongest entities taken from each of those categories, per type' },
} as const;

export type PersonalisedOptions = Partial<ResolvedOptions<typeof PERSONALISED_OPTIONS>> & { name?: string };

/**
 * Words that ask for nothing in particular: a query of only these is vague. The possessive and asking words
 * ("my music", "my favourites", "what should i listen to") ask for the user's own taste, which is exactly what
 * a vague query gets; "my way" still has a word of its own and is searched.
 */
export const VAGUE_WORDS: ReadonlySet<string> = new Set(
  ('a any anything for good i like me mix music new play please random recommend some something song songs stuff to tracks tunes want ' +
    'my mine favourite favourites favorite favorites faves what should could listen listening hear suggest').split(' '),
);

interface Plan {
  profile?: ProfileSnapshot;
  /** Why nothing is returned, when nothing is. */
  none?: string;
  vague: boolean;
  /** Lexical pool (id → lexical score) and its best score, for a query with matches. */
  lexical: Map<string, number>;
  best: number;
  /** Vague candidates, as docs. */
  vagueDocs: Set<number>;
}

export class PersonalisedStrategy implements Strategy {
  readonly kind = 'personalised' as const;
  readonly name: string;
  readonly options: ResolvedOptions<typeof PERSONALISED_OPTIONS>;
  readonly profiles: UserProfiles;
  private readonly index: SearchIndex;
  private readonly lexical: LexicalStrategy;
  private readonly graph: EntityGraph;

  constructor(
    private readonly resources: RetrievalResources,
    options: PersonalisedOptions = {},
  ) {
    const { name, ...rest } = options;
    this.name = name ?? 'personalised';
    this.options = resolveOptions(PERSONALISED_OPTIONS, rest, 'personalised.');
    this.index = resources.index;
    this.lexical = new LexicalStrategy(resources.index);
    this.profiles = UserProfiles.shared(resources);
    this.graph = EntityGraph.shared(resources);
  }

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    if (budget === 0) return [];
    const plan = this.plan(query);
    const profile = plan.profile;
    if (!profile) return [];
    const scored: Array<{ doc: number; score: number }> = [];
    if (plan.vague) {
      for (const doc of plan.vagueDocs) scored.push({ doc, score: this.vagueScore(profile, doc) });
    } else {
      for (const [id, lexical] of plan.lexical) {
        const doc = this.index.docId(id)!;
        scored.push({ doc, score: this.rescored(profile, this.index.entities[doc]!, lexical, plan.best) });
      }
    }
    const kept = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score || a.doc - b.doc);
    return ranked(kept.slice(0, budget).map((s) => ({ id: this.index.entities[s.doc]!.id, score: s.score })));
  }

  explain(query: QueryContext, id: string): Explanation {
    const entity = requireEntity(this.index, id);
    if (!passesRestrictions(entity, query)) return leaf(0, "excluded by the query's type or filters");
    const plan = this.plan(query);
    if (!plan.profile) return leaf(0, plan.none!);
    const profile = plan.profile;
    const doc = this.index.docId(id)!;
    const affinity = this.explainAffinity(profile, entity);
    if (plan.vague) {
      const value = plan.vagueDocs.has(doc) ? this.vagueScore(profile, doc) : 0;
      if (!(value > 0)) return leaf(0, 'vague query: not among the user\'s top artists\' or categories\' entities, or affinity not positive');
      return {
        value,
        description: 'vague query: affinity · (1 + ln(1 + popularity) / ln(1 + maxPopularity)) / 2',
        details: [affinity, leaf(this.popularityFactor(doc), 'popularity factor')],
      };
    }
    const lexical = plan.lexical.get(id);
    if (lexical === undefined) return leaf(0, `not among the query's ${this.options.pool} best lexical matches`);
    return {
      value: this.rescored(profile, entity, lexical, plan.best),
      description: '(lexical / best lexical) · e^(β · affinity)',
      details: [leaf(lexical, 'lexical score'), leaf(plan.best, 'best lexical score of the query'), leaf(this.options.affinityWeight, 'β, affinityWeight'), affinity],
    };
  }

  cost(query: QueryContext, budget: number): number {
    return this.lexical.cost(query, this.options.pool) + this.options.pool + budget;
  }

  private plan(query: QueryContext): Plan {
    const plan: Plan = { vague: false, lexical: new Map(), best: 0, vagueDocs: new Set() };
    const user = query.context.user;
    if (user === undefined) return { ...plan, none: 'no user in the request' };
    plan.profile = this.profiles.at(user, query.time.getTime());
    if (!plan.profile) return { ...plan, none: `no history for user "${user}"` };
    const generic = query.tokens.every((t) => VAGUE_WORDS.has(t));
    const pool = generic ? [] : this.lexical.retrieve(query, this.options.pool);
    if (pool.length > 0) {
      for (const c of pool) plan.lexical.set(c.id, c.score);
      plan.best = pool[0].score;
      return plan;
    }
    plan.vague = true;
    this.collectVague(plan.profile, query, plan.vagueDocs);
    return plan;
  }

  private collectVague(profile: ProfileSnapshot, query: QueryContext, out: Set<number>): void {
    const add = (entity: Entity | undefined) => {
      if (entity && passesRestrictions(entity, query)) out.add(this.index.docId(entity.id)!);
    };
    const time = query.time.getTime();
    for (const [artist] of profile.top('artist', this.options.topArtists)) {
      add(this.index.get(artist));
      for (const edge of this.graph.neighbours(artist, time)) {
        if (edge.relation === 'tracks' || edge.relation === 'artist (reverse)') add(this.index.get(edge.id));
      }
    }
    const types = query.types && query.types.length > 0 ? query.types : this.index.typeNames;
    const categories = CategoryIndex.shared(this.resources);
    for (const family of ['genre', 'subgenre', 'mood'] as CategoryAttribute[]) {
      for (const [value] of profile.top(family, this.options.topCategories)) {
        for (const type of types) {
          let taken = 0;
          categories.forEach(family, value, type, (doc) => {
            const before = out.size;
            add(this.index.entities[doc]);
            if (out.size > before) taken++;
            return taken < this.options.perCategory;
          });
        }
      }
    }
  }

  private rescored(profile: ProfileSnapshot, entity: Entity, lexical: number, best: number): number {
    return (lexical / best) * Math.exp(this.options.affinityWeight * profile.affinity(entity));
  }

  private vagueScore(profile: ProfileSnapshot, doc: number): number {
    return profile.affinity(this.index.entities[doc]!) * this.popularityFactor(doc);
  }

  private popularityFactor(doc: number): number {
    return (1 + this.index.prior(doc)) / 2;
  }

  private explainAffinity(profile: ProfileSnapshot, entity: Entity): Explanation {
    return {
      value: profile.affinity(entity),
      description: `affinity of user "${profile.user}": Σ familyWeight · entity weight · user affinity / Σ|user affinities|`,
      details: [
        ...profile.parts(entity).map((p) => leaf(p.value, `${p.feature}: entity weight ${p.weight}, user affinity ${p.affinity}`)),
        leaf(profile.norm, 'Σ|user affinities|'),
      ],
    };
  }
}

function leaf(value: number, description: string): Explanation {
  return { value, description, details: [] };
}
