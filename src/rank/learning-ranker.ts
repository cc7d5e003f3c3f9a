/**
 * The learned ranker: LambdaMART over the funnel's features (src/rank/features), the model being whatever the
 * registry says is current; until one exists, the heuristic fallback ranks (provenance: best weighted reciprocal
 * rank, src/rank/heuristic-ranker.ts). Either way it computes the features of every candidate, because what is
 * shown is logged with the features it was shown with (`impression`) and the next model learns from that log.
 * Features are computed in float64 and scored as float32, the precision the trees were trained on, so a logged
 * row scores exactly as it served.
 */
import type { Explanation } from '../index/explain.js';
import type { QueryContext } from '../query/query-context.js';
import type { UnionCandidate } from '../retrieval/union.js';
import type { FeatureSet } from './features/feature-set.js';
import { HeuristicRanker } from './heuristic-ranker.js';
import type { ModelRegistry } from './lifecycle/model-registry.js';
import type { RankingImpression } from './lifecycle/ranking-log.js';
import { shuffled } from '../util/random.js';
import { byScore, type RankOptions, type RankedResult, type Ranker } from './ranker.js';

/** Kept per ranked query until its impression is logged: the float32 rows only (a third of the float64 matrix). */
interface Ranked {
  candidates: readonly UnionCandidate[];
  width: number;
  rows: Float32Array;
  fallbackScores: Map<string, number>;
  /** Soft negatives drawn when the rows were bounded (`retain`), for the request's feedback to log. */
  negatives?: readonly string[];
}

export class LearningRanker implements Ranker {
  /** What each query context was last ranked with, for logging and explaining (dropped with the context). */
  private readonly ranked = new WeakMap<QueryContext, Ranked>();

  constructor(
    readonly featureSet: FeatureSet,
    readonly registry: ModelRegistry,
    readonly fallback: Ranker = new HeuristicRanker(),
  ) {}

  get name(): string {
    return this.registry.current === null ? `lambdamart (no model yet: ${this.fallback.name})` : `lambdamart v${this.registry.current}`;
  }

  rank(query: QueryContext, candidates: readonly UnionCandidate[], options: RankOptions = {}): RankedResult[] {
    const matrix = this.featureSet.compute(query, candidates, options);
    const rows = Float32Array.from(matrix.values);
    const byFallback = this.fallback.rank(query, candidates, options);
    this.ranked.set(query, { candidates, width: matrix.width, rows, fallbackScores: new Map(byFallback.map((r) => [r.id, r.score])) });
    const model = this.registry.currentModel();
    if (!model) return byFallback;
    const scores = model.scoreRows(rows);
    return byScore(candidates.map((candidate, i) => ({ id: candidate.id, score: scores[i], candidate })));
  }

  explain(query: QueryContext, candidate: UnionCandidate, options: RankOptions = {}): Explanation {
    const model = this.registry.currentModel();
    if (!model) return this.fallback.explain(query, candidate, options);
    const ranked = this.ranked.get(query);
    const i = ranked?.candidates.findIndex((c) => c.id === candidate.id) ?? -1;
    // Outside the union it was ranked in, the candidate's features are computed alone (provenance of others unknown).
    const row = i >= 0 ? ranked!.rows.subarray(i * ranked!.width, (i + 1) * ranked!.width) : Float32Array.from(this.featureSet.compute(query, [candidate], options).values);
    const explanation = model.explanation(row);
    return { ...explanation, description: `lambdamart v${this.registry.current}: ${explanation.description}` };
  }

  /**
   * The feature rows (and fallback scores) these candidates were ranked with, for the ids among `ids` that were
   * in the union this query context was ranked over; empty if it was not ranked here.
   */
  rowsOf(query: QueryContext, ids: readonly string[]): { ids: string[]; fallback: number[]; features: Float32Array } {
    const ranked = this.ranked.get(query);
    const width = this.featureSet.names.length;
    if (!ranked) return { ids: [], fallback: [], features: new Float32Array(0) };
    const position = new Map(ranked.candidates.map((c, i) => [c.id, i]));
    const found = ids.filter((id) => position.has(id));
    const features = new Float32Array(found.length * width);
    found.forEach((id, r) => {
      const i = position.get(id)!;
      features.set(ranked.rows.subarray(i * width, (i + 1) * width), r * width);
    });
    return { ids: found, fallback: found.map((id) => ranked.fallbackScores.get(id) ?? 0), features };
  }

  /**
   * Bounds what this query context keeps until its feedback window closes, which for a held-back union is four
   * to five times a learned plan's: only the rows of `keep` (ids of the union it was ranked over) stay, and
   * `negatives`, the soft negatives drawn now from the whole union, are kept for `negativesOf`. A candidate
   * outside `keep` is then like one outside the union: rowsOf leaves it out, and explain computes it alone.
   */
  retain(query: QueryContext, keep: readonly string[], negatives: readonly string[] = []): void {
    const ranked = this.ranked.get(query);
    if (!ranked) return;
    const width = ranked.width;
    const position = new Map(ranked.candidates.map((c, i) => [c.id, i]));
    const kept = [...new Set([...keep, ...negatives])].filter((id) => position.has(id));
    const rows = new Float32Array(kept.length * width);
    kept.forEach((id, r) => {
      const i = position.get(id)!;
      rows.set(ranked.rows.subarray(i * width, (i + 1) * width), r * width);
    });
    this.ranked.set(query, {
      candidates: kept.map((id) => ranked.candidates[position.get(id)!]),
      width,
      rows,
      fallbackScores: new Map(kept.map((id) => [id, ranked.fallbackScores.get(id) ?? 0])),
      negatives: negatives.filter((id) => position.has(id)),
    });
  }

  /** The soft negatives `retain` kept for this query context (none if it was not bounded). */
  negativesOf(query: QueryContext): readonly string[] {
    return this.ranked.get(query)?.negatives ?? [];
  }

  /** Rows held for this query context (the union's, or what `retain` kept): what a pending request costs. */
  heldRows(query: QueryContext): number {
    return this.ranked.get(query)?.candidates.length ?? 0;
  }

  /**
   * The log entry for a search this ranker ranked: the `shown` results with their features, any candidate the
   * user engaged with that was not shown (refound), then `unshown.count` candidates of the union drawn at random
   * (by `unshown.random`) from those neither shown nor engaged with. Those are the soft negatives the model needs
   * to rank the whole union: without them it only ever learns to order the top of what it already showed, and
   * scores the rest of the union (the candidates a newly chosen strategy brings) blind. Undefined if this query
   * context was not ranked here.
   */
  impression(query: QueryContext, shown: readonly RankedResult[], engaged: ReadonlySet<string>, unshown?: { count: number; random: () => number }): RankingImpression | undefined {
    const ranked = this.ranked.get(query);
    if (!ranked) return undefined;
    const shownIds = shown.map((r) => r.id);
    const shownSet = new Set(shownIds);
    const negatives = unshown ? this.unshownSample(query, (id) => shownSet.has(id) || engaged.has(id), unshown.count, unshown.random) : [];
    // rowsOf keeps the ids in order and drops the engaged ones outside the union this context was ranked over.
    const { ids, fallback, features } = this.rowsOf(query, [...shownIds, ...[...engaged].filter((id) => !shownSet.has(id)), ...negatives]);
    return { query: query.text, ids, shown: shownIds.length, features, engaged: ids.map((id) => engaged.has(id)), fallbackScores: Float64Array.from(fallback) };
  }

  /** Up to `count` candidates of the union this context was ranked over, drawn at random among those not excluded. */
  unshownSample(query: QueryContext, excluded: (id: string) => boolean, count: number, random: () => number): string[] {
    const ranked = this.ranked.get(query);
    if (!ranked || count <= 0) return [];
    return shuffled(ranked.candidates.map((c) => c.id).filter((id) => !excluded(id)), random).slice(0, count);
  }
}
