/**
 * The semantic strategy: entities whose embedding is closest to the query's (dot product of unit vectors,
 * i.e. cosine), so topical queries ("sad love songs", "latin dance") find entities with those moods and genres
 * even when the words are not in their titles. The vectors (semantic-vectors.ts: an LSA model trained on the
 * catalogue by default) are built on first use, once per index (`resources.derived`).
 *
 * A larger budget must extend a smaller one, and HNSW's answer to top-k depends on k. So the vector index is
 * always asked for a fixed-size pool (100, or the next 100·2ⁿ above the budget), whose exact scores are sorted
 * (ties to the earlier doc) and cut to the budget: every budget up to 100 sees the same ranked pool. Only
 * entities with a positive similarity are returned: a zero or negative cosine says nothing is shared.
 *
 * A request from a user with a taste embedding (user-embeddings.ts, learnt from their engagements) searches with
 * normalise(q + userWeight · u): the user's taste tilts the neighbourhood; a query the model knows nothing of
 * searches with u alone, so "play something" finds what this user likes.
 */
import type { FeedbackEvent } from '../feedback/event.js';
import type { Explanation } from '../index/explain.js';
import type { QueryContext } from '../query/query-context.js';
import { dot, isZeroVector } from '../semantic/embedder.js';
import { HNSW_OPTIONS } from '../semantic/hnsw-index.js';
import { LsaEmbedder } from '../semantic/lsa-embedder.js';
import { UserEmbeddings } from '../semantic/user-embeddings.js';
import { SEMANTIC_VECTOR_OPTIONS, SemanticVectors, type SemanticVectorsOptions } from '../semantic/semantic-vectors.js';
import { passesRestrictions, requireEntity } from './restrictions.js';
import type { RetrievalResources } from './resources.js';
import { type Candidate, checkBudget, ranked, type Strategy } from './strategy.js';

export interface SemanticOptions extends SemanticVectorsOptions {
  name?: string;
  /** Weight of the user's taste embedding against the query's (default 0.5; 0 turns it off). */
  userWeight?: number;
}

interface SearchVector {
  vector: Float32Array;
  /** Where it came from, for explain. */
  parts: Explanation[];
}

const BASE_POOL = 100;

/** The pool searched for a budget: 100 up to 100, then doubling, so nearby budgets share one pool. */
export function semanticPool(budget: number): number {
  let pool = BASE_POOL;
  while (pool < budget) pool *= 2;
  return pool;
}

export class SemanticStrategy implements Strategy {
  readonly kind = 'semantic' as const;
  readonly name: string;
  private readonly key: string;

  constructor(
    private readonly resources: RetrievalResources,
    private readonly options: SemanticOptions = {},
  ) {
    this.name = options.name ?? 'semantic';
    const { name: _, embedder, ...rest } = options;
    // Strategies with the same settings share one set of vectors; other settings get their own.
    const { userWeight: __, ...vectorOptions } = rest;
    this.key = embedder || Object.keys(vectorOptions).length > 0 ? `semantic:${embedder?.name ?? ''}:${JSON.stringify(vectorOptions)}` : 'semantic';
    this.userWeight = options.userWeight ?? 0.5;
    // The taste learner listens from the start, so no engagement is missed; its vectors are built when it learns.
    resources.shared(`${this.key}:taste-learner`, (r) => {
      // Saving before anything was learnt must not build the vectors (seconds of work): null stands for no tastes.
      const built = () => r.built(`${this.key}:tastes`);
      const learner = {
        learn: (event: FeedbackEvent) => this.tastes().learn(event),
        toJSON: () => (built() ? this.tastes().toJSON() : null),
        restore: (state: unknown) => (state === null ? built() && this.tastes().restore({ ...this.tastes().toJSON(), users: [] }) : this.tastes().restore(state)),
      };
      r.addLearner(learner, `${this.key}:tastes`);
      return true;
    });
  }

  private readonly userWeight: number;

  /** The user taste learner over the shared vectors (built with them). */
  tastes(): UserEmbeddings {
    return this.resources.shared(`${this.key}:tastes`, () => {
      const vectors = this.vectors;
      return new UserEmbeddings(vectors.embedder.dimensions, (id) => vectors.vectorOf(id));
    });
  }

  /** The vector searched with: the query's embedding, tilted by (or, if empty, replaced by) the user's taste. */
  private searchVector(query: QueryContext): SearchVector | undefined {
    const { embedder } = this.vectors;
    const q = embedder.embedQuery(query.raw);
    const taste = query.context.user && this.userWeight > 0 ? this.tastes().at(query.context.user, query.time.getTime()) : undefined;
    if (!taste) return isZeroVector(q) ? undefined : { vector: q, parts: [] };
    const userPart = { value: this.userWeight, description: `taste of user "${query.context.user}" (engagement mass ${taste.mass.toFixed(3)}), weight`, details: [] };
    if (isZeroVector(q)) return { vector: taste.vector, parts: [{ ...userPart, value: 1, description: `taste of user "${query.context.user}" alone: the model knows none of the query's words` }] };
    const mixed = new Float32Array(q.length);
    let norm = 0;
    for (let i = 0; i < q.length; i++) {
      mixed[i] = q[i] + this.userWeight * taste.vector[i];
      norm += mixed[i] * mixed[i];
    }
    if (!(norm > 0)) return undefined;
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < q.length; i++) mixed[i] *= scale;
    return { vector: mixed, parts: [userPart] };
  }

  /** The shared vectors, built on first use. */
  get vectors(): SemanticVectors {
    return this.resources.derived(this.key, (r) => new SemanticVectors(r.index, this.options));
  }

  retrieve(query: QueryContext, budget: number): Candidate[] {
    checkBudget(this.name, budget);
    if (budget === 0) return [];
    const { vectors } = this.vectors;
    const search = this.searchVector(query);
    if (!search) return [];
    const q = search.vector;
    const index = this.resources.index;
    const restricted = (query.types?.length ?? 0) > 0 || (query.filters?.length ?? 0) > 0;
    const accept = restricted ? (doc: number) => passesRestrictions(index.entities[doc]!, query) : undefined;
    const hits = vectors.search(q, semanticPool(budget), accept);
    const out = [];
    for (const hit of hits) {
      if (out.length === budget || !(hit.score > 0)) break;
      out.push({ id: index.entities[hit.key]!.id, score: hit.score });
    }
    return ranked(out);
  }

  /**
   * The cosine of the query's and the entity's embeddings, computed as retrieve computes it. It is also the
   * value for an entity an approximate search did not reach: it is what the entity would score if found.
   */
  explain(query: QueryContext, id: string): Explanation {
    const entity = requireEntity(this.resources.index, id);
    if (!passesRestrictions(entity, query)) return { value: 0, description: "excluded by the query's type or filters", details: [] };
    const { embedder } = this.vectors;
    const search = this.searchVector(query);
    const v = this.vectors.vectorOf(id);
    const model = { value: embedder.dimensions, description: `dimensions of ${embedder.name}`, details: [] };
    if (!search) return { value: 0, description: 'the model knows none of the query\'s words, and the user has no taste yet', details: [model] };
    if (!v) return { value: 0, description: 'the model knows nothing of this entity', details: [model] };
    const score = dot(search.vector, v);
    const words = embedder instanceof LsaEmbedder
      ? embedder.knownQueryTerms(query.raw).map(({ term, weight }) => ({ value: weight, description: `query word "${term}" (TF-IDF weight before projection)`, details: [] }))
      : [];
    const details = [model, ...words, ...search.parts];
    if (!(score > 0)) return { value: 0, description: `no positive similarity (cosine ${score})`, details };
    return { value: score, description: `cosine of query and entity embeddings (${this.vectors.vectors.kind} search)`, details };
  }

  /** Vectors scanned (exact) or, for HNSW, about pool · M · log₂ n distance evaluations. */
  cost(_query: QueryContext, budget: number): number {
    const n = this.resources.index.size;
    const pool = semanticPool(budget);
    const hnsw = this.resources.built(this.key) ? this.vectors.vectors.kind === 'hnsw' : n >= (this.options.exactBelow ?? SEMANTIC_VECTOR_OPTIONS.exactBelow.default);
    return (hnsw ? Math.min(n, pool * (this.options.hnsw?.connectivity ?? HNSW_OPTIONS.connectivity.default) * Math.ceil(Math.log2(n + 2))) : n) + budget;
  }
}
