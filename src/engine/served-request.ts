/**
 * A served search as the engine keeps it until the request closes, and as the event log records it: plain data,
 * everything the retrieval policy and the ranker's log learn from, so learning never recomputes anything. The
 * live engine learns from this record too, which is what makes a replayed log reach exactly the live state.
 *
 * - The policy learns from its decision (query features and each strategy's action features, from which the
 *   arms are rebuilt), what each strategy returned (ids in rank order: coverage is the best rank of an engaged
 *   entity) and the runs (count and time: the cost model).
 * - The ranker's log learns from the shown ids and the feature rows they were served with. Rows are logged
 *   lazily, with the first feedback of a request (`FeatureRows`): a request nobody engaged with teaches the
 *   pairwise objective nothing, and most requests get no feedback.
 */
import type { FeedbackEvent } from '../feedback/event.js';
import { engagedEntities } from '../feedback/event.js';
import type { PlannedRetrieval } from '../policy/planners.js';
import type { RetrievalDecision, RetrievalPolicy } from '../policy/retrieval-policy.js';
import { createQueryContext, type QueryContext, type RequestContext } from '../query/query-context.js';
import { learnable, type RankingImpression } from '../rank/lifecycle/ranking-log.js';
import type { StrategyRun } from '../retrieval/registry.js';
import { type UnionCandidate, unionCandidates } from '../retrieval/union.js';
import type { StatsKey } from './engine-stats.js';

export interface LoggedDecision {
  /** Query understanding's features with the leading bias. */
  features: number[];
  actions: Array<[string, number[]]>;
  greedy: Array<[string, number]>;
  epsilon: number;
  /** P(plan | context) when it was drawn. */
  propensity: number;
  /** The holdback served it (every strategy at full budget); absent when the policy's own plan was served. */
  heldBack?: true;
}

export interface ServedRequest {
  requestId: string;
  /** Epoch ms, the engine's clock. */
  servedAt: number;
  query: string;
  context?: RequestContext;
  plan: Array<[string, number]>;
  decision?: LoggedDecision;
  runs: StrategyRun[];
  /** Per strategy that ran, the ids it returned in rank order. */
  returned: Array<[string, string[]]>;
  shown: string[];
  /** How the statistics count it (query type, caller's label). */
  stats?: StatsKey;
  /**
   * What the statistics counted when it was served: stage milliseconds (total up to logging) and the union's
   * size (0 for a rescued plan). Replicas sharing the log count other workers' searches from it.
   */
  served?: { plan: number; retrieve: number; rank: number; total: number; candidates: number };
}

/** One feature row a request's result was ranked with, and the fallback ranker's score of it. */
export interface FeatureRow {
  row: Float32Array;
  fallback: number;
}

export function servedRequest(
  requestId: string,
  servedAt: number,
  query: QueryContext,
  planned: PlannedRetrieval,
  retrieval: { candidates: readonly UnionCandidate[]; runs: readonly StrategyRun[] },
  shown: readonly string[],
): ServedRequest {
  const returned = new Map<string, Array<[number, string]>>();
  for (const c of retrieval.candidates) {
    for (const p of c.provenance) {
      let list = returned.get(p.strategy);
      if (!list) returned.set(p.strategy, (list = []));
      list.push([p.rank, c.id]);
    }
  }
  const d = planned.decision;
  return {
    requestId, servedAt, query: query.raw,
    ...(Object.keys(query.context).length > 0 && { context: query.context }),
    plan: [...planned.plan],
    ...(d && { decision: { features: [...d.features], actions: [...d.actions], greedy: [...d.greedy], epsilon: d.epsilon, propensity: d.propensity, ...(d.heldBack && { heldBack: true as const }) } }),
    runs: retrieval.runs.map(({ strategy, budget, count, ms }) => ({ strategy, budget, count, ms })),
    returned: [...returned].map(([strategy, list]) => [strategy, list.sort((a, b) => a[0] - b[0]).map(([, id]) => id)]),
    shown: [...shown],
  };
}

/** The query context a record was served for (its tokens and user are what learning reads). */
export function recordQuery(record: ServedRequest): QueryContext {
  return createQueryContext(record.query, { context: record.context, now: new Date(record.servedAt) });
}

/** What `Planner.learn` takes, rebuilt from the record: the decision (arms from the logged features) and the retrieval. */
export function learningInputs(record: ServedRequest, query: QueryContext, policy: RetrievalPolicy | undefined): { planned: PlannedRetrieval; retrieval: { candidates: UnionCandidate[]; runs: StrategyRun[] } } {
  const plan = new Map(record.plan);
  const retrieval = {
    candidates: unionCandidates(record.returned.map(([strategy, ids]) => ({ strategy, candidates: ids.map((id, i) => ({ id, rank: i + 1, score: 0 })) }))),
    runs: record.runs,
  };
  const d = record.decision;
  if (!d || !policy) return { planned: { plan }, retrieval };
  const features = Float64Array.from(d.features);
  const actions = new Map(d.actions);
  const decision: RetrievalDecision = {
    query, plan, greedy: new Map(d.greedy), trust: new Map(), epsilon: d.epsilon, features, actions, arms: policy.armsOf(features, actions), scores: [], cost: 0,
    propensity: d.propensity, marginals: new Map(), heldBack: d.heldBack === true,
  };
  return { planned: { plan, decision }, retrieval };
}

/**
 * The request's feedback with each event's page position filled in from what was shown, where the client did
 * not send one: the policy's discounted coverage (src/policy/plan.ts, `shownGain`) reads it. An entity not shown
 * (found later, by other means) keeps no position.
 */
export function positionedEvents(events: readonly FeedbackEvent[], shown: readonly string[]): FeedbackEvent[] {
  let at: Map<string, number> | undefined;
  return events.map((e) => {
    if (e.position !== undefined) return e;
    at ??= new Map(shown.map((id, i) => [id, i + 1]));
    const position = at.get(e.entityId);
    return position === undefined ? e : { ...e, position };
  });
}

/**
 * The ranker's log entry for a closed request: the shown rows, then any candidate engaged with but not shown
 * (refound), then the other logged candidates (the soft negatives drawn with its first feedback, and any named
 * but not engaged with), with the rows they were served with. Undefined unless it can teach a pairwise objective
 * (`learnable`: something engaged and something not).
 */
export function rankingImpression(record: ServedRequest, queryText: string, events: readonly FeedbackEvent[], rows: ReadonlyMap<string, FeatureRow>, width: number): RankingImpression | undefined {
  const engaged = engagedEntities(events);
  if (engaged.size === 0) return undefined;
  const shown = new Set(record.shown);
  const refound = [...engaged].filter((id) => !shown.has(id) && rows.has(id));
  const negatives = [...rows.keys()].filter((id) => !shown.has(id) && !engaged.has(id));
  const ids = [...record.shown, ...refound, ...negatives];
  const engagedRows = ids.map((id) => engaged.has(id));
  const impression = { query: queryText, ids, shown: record.shown.length, engaged: engagedRows, features: new Float32Array(ids.length * width), fallbackScores: new Float64Array(ids.length) };
  if (!learnable(impression)) return undefined;
  for (let r = 0; r < ids.length; r++) {
    const row = rows.get(ids[r]);
    if (!row) return undefined; // rows are logged with a request's first feedback, so only a foreign log lacks them
    impression.features.set(row.row, r * width);
    impression.fallbackScores[r] = row.fallback;
  }
  return impression;
}
