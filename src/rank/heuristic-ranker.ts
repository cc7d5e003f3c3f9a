/**
 * The fallback ranker, used until a learned model exists: weighted reciprocal rank fusion over each candidate's
 * provenance (after Cormack et al. 2009). Each strategy that found the candidate gives evidence
 * e_s = weight(s) · trust(s) / (k + rank_s), and
 *
 *   score = max_s e_s + agreement · (Σ_s e_s − max_s e_s)
 *
 * Plain RRF (`rrfRanker`: weights 1, agreement 1, k 60) sums the evidence, so whatever many strategies agree on
 * wins and a find only one strategy makes (memory's answer for an ambiguous query, personalised's for a vague
 * one) never reaches the first page, is never clicked and so never teaches anything. Here the best single piece
 * of evidence leads, agreement only adds a fraction, and k = 10 keeps the top ranks of each strategy apart: the
 * first page interleaves each strategy's best. Weights say how much a strategy's ranking is worth on its own:
 * memory (what users engaged with for this very query) and the precise matchers most; the unconditioned lists
 * (popular, fresh, explore) least, so they fill gaps without pushing matches down. Trust is a learned plan's
 * (src/policy/retrieval-policy.ts): for this query, the chance the strategy's first candidates hold what the
 * user will engage with. It lets the order of the strategy that is right for this kind of query lead ("new
 * albums": structured's newest matches, not lexical's best "new" titles), where fixed weights must suit every
 * query at once. Without a learned plan, trust is 1.
 */
import type { Explanation } from '../index/explain.js';
import type { QueryContext } from '../query/query-context.js';
import type { Provenance, UnionCandidate } from '../retrieval/union.js';
import { byScore, type RankOptions, type RankedResult, type Ranker } from './ranker.js';

export const HEURISTIC_WEIGHTS: Readonly<Record<string, number>> = {
  memory: 1.5,
  lexical: 1,
  structured: 1,
  fuzzy: 0.8,
  personalised: 0.6,
  semantic: 0.5,
  related: 0.4,
  fresh: 0.4,
  popular: 0.2,
  explore: 0.05,
};

export interface HeuristicRankerOptions {
  weights?: Readonly<Record<string, number>>;
  /** Weight of a strategy not in `weights` (default 0.5). */
  otherWeight?: number;
  /** RRF's k: larger flattens the difference between ranks (default 10). */
  k?: number;
  /** Weight of the evidence beyond the best (default 0.3; 1 sums it all, as plain RRF does). */
  agreement?: number;
  name?: string;
}

export class HeuristicRanker implements Ranker {
  readonly name: string;
  readonly k: number;
  readonly agreement: number;
  private readonly weights: Readonly<Record<string, number>>;
  private readonly otherWeight: number;

  constructor(options: HeuristicRankerOptions = {}) {
    this.weights = options.weights ?? HEURISTIC_WEIGHTS;
    this.otherWeight = options.otherWeight ?? 0.5;
    this.k = options.k ?? 10;
    this.agreement = options.agreement ?? 0.3;
    this.name = options.name ?? 'heuristic';
  }

  rank(_query: QueryContext, candidates: readonly UnionCandidate[], options: RankOptions = {}): RankedResult[] {
    return byScore(candidates.map((candidate) => ({ id: candidate.id, score: this.score(candidate, options.trust), candidate })));
  }

  explain(_query: QueryContext, candidate: UnionCandidate, options: RankOptions = {}): Explanation {
    const details = candidate.provenance.map((p) => {
      const weight = this.weight(p.strategy);
      const trust = options.trust?.get(p.strategy);
      const trusted = trust === undefined ? '' : ` × trust ${trust}`;
      return { value: this.evidence(p, options.trust), description: `${p.strategy}: weight ${weight}${trusted} / (${this.k} + rank ${p.rank})`, details: [] };
    });
    return { value: this.score(candidate, options.trust), description: `${this.name}: best evidence + ${this.agreement} × the rest`, details };
  }

  private weight(strategy: string): number {
    return this.weights[strategy] ?? this.otherWeight;
  }

  private evidence(p: Provenance, trust: ReadonlyMap<string, number> | undefined): number {
    return (this.weight(p.strategy) * (trust?.get(p.strategy) ?? 1)) / (this.k + p.rank);
  }

  /** The candidate's score under this plan's trust (none: every strategy trusted fully). */
  score(candidate: UnionCandidate, trust: ReadonlyMap<string, number> | undefined): number {
    let sum = 0;
    let best = 0;
    for (const p of candidate.provenance) {
      const evidence = this.evidence(p, trust);
      sum += evidence;
      if (evidence > best) best = evidence;
    }
    return best + this.agreement * (sum - best);
  }
}

/** Plain reciprocal rank fusion: every strategy weighs 1. */
export function rrfRanker(k = 60): HeuristicRanker {
  return new HeuristicRanker({ weights: {}, otherWeight: 1, k, agreement: 1, name: 'rrf' });
}
