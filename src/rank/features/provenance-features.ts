/**
 * Provenance features: which strategies found the candidate, at which rank and with which score (the union's
 * provenance, src/retrieval/union.ts), one triple per strategy of the registry plus whether the strategy ran at
 * all for this request. "Not found by lexical" says something only when lexical ran: a learned retrieval plan
 * runs a different subset each time, so `ran` keeps the two kinds of zero apart. Scores are each strategy's own
 * (comparable within a strategy only), which is what a tree can use.
 */
import { type FeatureBatch, type FeatureDef, type FeatureGroup, type FeatureSink, flag, rowWriter } from './feature-group.js';

const PER_STRATEGY = 4;

export class ProvenanceFeatures implements FeatureGroup {
  readonly name = 'provenance';
  readonly features: FeatureDef[];

  constructor(readonly strategies: readonly string[]) {
    this.features = [
      { name: 'prov.count', description: 'number of strategies that found the entity' },
      { name: 'prov.best_rr', description: '1 / the best rank any strategy gave the entity' },
      ...strategies.flatMap((s) => [
        { name: `prov.${s}.ran`, description: `the ${s} strategy ran for this request` },
        { name: `prov.${s}.found`, description: `the ${s} strategy found the entity` },
        { name: `prov.${s}.rr`, description: `1 / the entity's rank in the ${s} strategy (0 when not found)` },
        { name: `prov.${s}.score`, description: `the ${s} strategy's own score for the entity (0 when not found)` },
      ]),
    ];
  }

  fill(batch: FeatureBatch, sink: FeatureSink): void {
    const ran = this.strategies.map((s) => flag(batch.strategiesRun.has(s)));
    batch.candidates.forEach((candidate, i) => {
      const set = rowWriter(sink, i);
      let bestRank = Infinity;
      for (const p of candidate.provenance) if (p.rank < bestRank) bestRank = p.rank;
      set(0, candidate.provenance.length);
      set(1, Number.isFinite(bestRank) && bestRank > 0 ? 1 / bestRank : 0);
      ran.forEach((r, s) => set(2 + PER_STRATEGY * s, r));
      for (const p of candidate.provenance) {
        const s = this.strategies.indexOf(p.strategy);
        if (s < 0) continue;
        const base = 2 + PER_STRATEGY * s;
        set(base + 1, 1);
        set(base + 2, p.rank > 0 ? 1 / p.rank : 0);
        set(base + 3, Number.isFinite(p.score) ? p.score : 0);
      }
    });
  }
}
