/**
 * Provenance features: which strategies found the candidate, at which rank and with which score (the union's
 * provenance, src/retrieval/union.ts), one triple per strategy of the registry plus whether the strategy ran at
 * all for this request. "Not found by lexical" says something only when lexical ran: a learned retrieval plan
 * runs a different subset each time, so `ran` keeps the two kinds of zero apart. Scores are each strategy's own
 * (comparable within a strategy only), which is what a tree can use. A learned plan also says how far it trusts
 * each strategy's order for this query (RankOptions.trust): the trust itself, and the heuristic ranker's score
 * under it (src/rank/heuristic-ranker.ts, default weights), so a tree can follow the strategy the plan expects to be right for
 * this kind of query. With the fused score the learned ranker scored 0.7935 against 0.7893 with the best
 * trust / rank instead (Thompson, LambdaMART, seed 1 of BENCHMARKS' stream). There is no "1 / the best rank any
 * strategy gave" column: the trees leaned on it (about +1.3 to whichever candidate any strategy ranked first),
 * so a misread first place (structured's on a partial title) beat the right one; without it the learned plan
 * scored higher on every world and seed measured (nine runs, +0.004 to +0.021 nDCG@10; BENCHMARKS, session 16).
 */
import { HeuristicRanker } from '../heuristic-ranker.js';
import { type FeatureBatch, type FeatureDef, type FeatureGroup, type FeatureSink, flag, rowWriter } from './feature-group.js';

const PER_STRATEGY = 5;
/** The heuristic ranker at its default weights (the learned ranker's default fallback): its score under the plan's trust is a feature, the fusion a tree would otherwise have to rebuild. */
const FALLBACK = new HeuristicRanker();
const LEADING = 2;

export class ProvenanceFeatures implements FeatureGroup {
  readonly name = 'provenance';
  readonly features: FeatureDef[];

  constructor(readonly strategies: readonly string[]) {
    this.features = [
      { name: 'prov.count', description: 'number of strategies that found the entity' },
      { name: 'prov.fused', description: "the heuristic ranker's score at its default weights: weighted reciprocal rank fusion of the provenance, under the plan's trust" },
      ...strategies.flatMap((s) => [
        { name: `prov.${s}.ran`, description: `the ${s} strategy ran for this request` },
        { name: `prov.${s}.found`, description: `the ${s} strategy found the entity` },
        { name: `prov.${s}.rr`, description: `1 / the entity's rank in the ${s} strategy (0 when not found)` },
        { name: `prov.${s}.score`, description: `the ${s} strategy's own score for the entity (0 when not found)` },
        { name: `prov.${s}.trust`, description: `the plan's trust in the ${s} strategy's order for this query (1 when the plan gives none; 0 when it did not run)` },
      ]),
    ];
  }

  fill(batch: FeatureBatch, sink: FeatureSink): void {
    const ran = this.strategies.map((s) => flag(batch.strategiesRun.has(s)));
    const trust = this.strategies.map((s, j) => ran[j] * (batch.trust?.get(s) ?? 1));
    batch.candidates.forEach((candidate, i) => {
      const set = rowWriter(sink, i);
      set(0, candidate.provenance.length);
      set(1, FALLBACK.score(candidate, batch.trust));
      ran.forEach((r, s) => {
        set(LEADING + PER_STRATEGY * s, r);
        set(LEADING + PER_STRATEGY * s + 4, trust[s]);
      });
      for (const p of candidate.provenance) {
        const s = this.strategies.indexOf(p.strategy);
        if (s < 0) continue;
        const base = LEADING + PER_STRATEGY * s;
        set(base + 1, 1);
        set(base + 2, p.rank > 0 ? 1 / p.rank : 0);
        set(base + 3, Number.isFinite(p.score) ? p.score : 0);
      }
    });
  }
}
