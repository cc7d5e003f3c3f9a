/**
 * Memory (Q2E) features: what users did after this query before, from the shared memory index, read at the
 * request's time (decayed as the memory strategy reads it). Per candidate, the engagement after the exact
 * wording and after the other wordings of its cluster; per query, how much the memory knows about it at all, so
 * a zero reads as "nobody engaged with this one" only when the query has history. Predicted queries (the cold
 * start) are not repeated here: they reach the ranker through the memory strategy's provenance score.
 */
import { MemoryIndex, queryKeys } from '../../retrieval/memory-index.js';
import type { RetrievalResources } from '../../retrieval/resources.js';
import { type FeatureBatch, type FeatureDef, type FeatureGroup, type FeatureSink, flag, rowWriter } from './feature-group.js';

export class MemoryFeatures implements FeatureGroup {
  readonly name = 'memory';
  readonly features: FeatureDef[] = [
    { name: 'memory.observed', description: 'decayed engagement after this query: exact + clusterWeight · other wordings' },
    { name: 'memory.exact', description: 'decayed engagement with the entity after this exact wording' },
    { name: 'memory.others', description: 'decayed engagement with the entity after other wordings of the query cluster' },
    { name: 'memory.share', description: "the entity's share of the query's total absolute observed engagement" },
    { name: 'memory.has_observed', description: 'users engaged with (or skipped) the entity after this query or its cluster' },
    { name: 'memory.query_entities', description: 'ln(1 + entities with engagement after this query or its cluster)' },
    { name: 'memory.query_evidence', description: "ln(1 + the query's total absolute observed engagement)" },
  ];
  private readonly memory: MemoryIndex;

  constructor(resources: RetrievalResources) {
    this.memory = MemoryIndex.shared(resources);
  }

  fill(batch: FeatureBatch, sink: FeatureSink): void {
    const { query } = batch;
    if (query.tokens.length === 0) return;
    const keys = queryKeys(query.tokens);
    const time = query.time.getTime();
    const known = this.memory.entities(keys);
    if (known.length === 0) return;
    let evidence = 0;
    for (const id of known) evidence += Math.abs(this.memory.score(keys, id, time).value);
    const knownSet = new Set(known);
    batch.candidates.forEach((candidate, i) => {
      const set = rowWriter(sink, i);
      set(5, Math.log1p(known.length));
      set(6, Math.log1p(evidence));
      if (!knownSet.has(candidate.id)) return;
      const score = this.memory.score(keys, candidate.id, time);
      set(0, score.value);
      set(1, score.exact);
      set(2, score.others);
      set(3, evidence > 0 ? Math.abs(score.value) / evidence : 0);
      set(4, flag(true));
    });
  }
}
