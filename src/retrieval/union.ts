/**
 * The union of several strategies' candidates: deduplicated, each with its full provenance (which strategies
 * found it, at which rank and with which score). Order: by best rank across strategies, then by how many
 * strategies found it, then by the order the strategies were given, so the result is deterministic; the
 * ranker reorders it anyway.
 */
import type { Candidate } from './strategy.js';

export interface Provenance {
  strategy: string;
  rank: number;
  score: number;
}

export interface UnionCandidate {
  id: string;
  provenance: Provenance[];
}

export function unionCandidates(results: ReadonlyArray<{ strategy: string; candidates: readonly Candidate[] }>): UnionCandidate[] {
  const byId = new Map<string, UnionCandidate & { best: number; first: number }>();
  let order = 0;
  for (const { strategy, candidates } of results) {
    for (const c of candidates) {
      let entry = byId.get(c.id);
      if (!entry) {
        entry = { id: c.id, provenance: [], best: c.rank, first: order++ };
        byId.set(c.id, entry);
      }
      entry.provenance.push({ strategy, rank: c.rank, score: c.score });
      if (c.rank < entry.best) entry.best = c.rank;
    }
  }
  return [...byId.values()]
    .sort((a, b) => a.best - b.best || b.provenance.length - a.provenance.length || a.first - b.first)
    .map(({ id, provenance }) => ({ id, provenance }));
}
