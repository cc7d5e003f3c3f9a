/**
 * Dense (semantic) features: the cosine of the query's embedding and the candidate's, from the same shared
 * vectors and the same `dot` the semantic strategy uses (its vectors are built on first use, once per index),
 * and the cosine of the user's taste embedding (the decayed engagement-weighted sum the semantic strategy
 * tilts its search with) and the candidate's. The query is embedded once per batch. The strategy's own score
 * mixes query and taste; here they are apart, so the ranker can weigh them per query type.
 */
import { dot, isZeroVector } from '../../semantic/embedder.js';
import { SemanticStrategy } from '../../retrieval/semantic.js';
import type { RetrievalResources } from '../../retrieval/resources.js';
import { type FeatureBatch, type FeatureDef, type FeatureGroup, type FeatureSink, flag, rowWriter } from './feature-group.js';

export class DenseFeatures implements FeatureGroup {
  readonly name = 'dense';
  readonly features: FeatureDef[] = [
    { name: 'dense.cosine', description: "cosine of the query's and the entity's embeddings (0 when either is unknown)" },
    { name: 'dense.query_known', description: 'the embedding model knows at least one of the query words' },
    { name: 'dense.entity_known', description: 'the entity has an embedding' },
    { name: 'dense.taste_cosine', description: "cosine of the user's taste embedding and the entity's (0 without a taste)" },
    { name: 'dense.has_taste', description: 'the request has a user with a taste embedding' },
  ];
  /** Shares the registry's semantic strategy's vectors and taste learner (same resources keys). */
  private readonly semantic: SemanticStrategy;

  constructor(resources: RetrievalResources) {
    this.semantic = new SemanticStrategy(resources);
  }

  fill(batch: FeatureBatch, sink: FeatureSink): void {
    const vectors = this.semantic.vectors;
    const { query } = batch;
    const q = vectors.embedder.embedQuery(query.raw);
    const queryKnown = !isZeroVector(q);
    const taste = query.context.user ? this.semantic.tastes().at(query.context.user, query.time.getTime()) : undefined;
    batch.candidates.forEach((candidate, i) => {
      const set = rowWriter(sink, i);
      const v = vectors.vectorOf(candidate.id);
      set(0, v && queryKnown ? dot(q, v) : 0);
      set(1, flag(queryKnown));
      set(2, flag(v !== undefined));
      set(3, v && taste ? dot(taste.vector, v) : 0);
      set(4, flag(taste !== undefined));
    });
  }
}
