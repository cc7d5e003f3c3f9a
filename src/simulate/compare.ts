/**
 * Side-by-side simulation: every planner on the same stream, each with fresh learners (memory, profiles, graph,
 * intent, tastes) so no planner learns from another's traffic, over one index whose catalogue-derived
 * structures (vectors, fuzzy names) are built once. Also the learning curves as charts.
 */
import { join } from 'node:path';
import type { SearchIndex } from '../index/search-index.js';
import type { StreamEvent } from '../eval/stream.js';
import { createPlanner, type Planner, type PlannerOptions, PolicyPlanner } from '../policy/planners.js';
import { restorePolicy, type RetrievalPolicyState } from '../policy/policy-state.js';
import { HeuristicRanker } from '../rank/heuristic-ranker.js';
import type { Ranker } from '../rank/ranker.js';
import { createFeatureSet } from '../rank/features/quiver-features.js';
import { LearningRanker } from '../rank/learning-ranker.js';
import { ModelRegistry } from '../rank/lifecycle/model-registry.js';
import { writeChart } from '../report/chart.js';
import { createStrategies } from '../retrieval/registry.js';
import { RetrievalResources } from '../retrieval/resources.js';
import { type LoggedDecision, type SimulatedUser, simulate, type SimulationOptions, type SimulationReport } from './simulator.js';

export interface CompareOptions extends Omit<SimulationOptions, 'onDecision' | 'onProgress' | 'onScored'> {
  planners: readonly string[];
  user: SimulatedUser;
  /** Strategies in the quiver (default all). */
  strategies?: readonly string[];
  planner?: PlannerOptions;
  /** A saved policy state restored into every policy planner before it runs (with planner.frozen: a fixed policy). */
  restore?: RetrievalPolicyState;
  /** The funnel's ranker for each planner's run, over that run's resources (default the heuristic ranker). */
  ranker?: (resources: RetrievalResources, planner: string) => Ranker;
  onDecision?: (planner: string, entry: LoggedDecision) => void;
  onProgress?: (planner: string, done: number) => void;
  onScored?: (planner: string, t: number, ndcg: number) => void;
  /** Called with each planner once its run ends (e.g. to save a learnt policy's state). */
  onDone?: (planner: Planner, report: SimulationReport) => void;
}

export function comparePlanners(index: SearchIndex, events: readonly StreamEvent[], options: CompareOptions): SimulationReport[] {
  return options.planners.map((name) => {
    const resources = new RetrievalResources(index);
    const strategies = createStrategies(resources, options.strategies);
    const planner = createPlanner(name, resources, strategies, { costWeight: options.costWeight, ...options.planner });
    if (options.restore && planner instanceof PolicyPlanner) restorePolicy(planner.policy, options.restore);
    const report = simulate(planner, options.ranker?.(resources, name) ?? new HeuristicRanker(), resources, strategies, events, options.user, {
      ...options,
      onDecision: options.onDecision && ((entry) => options.onDecision!(name, entry)),
      onProgress: options.onProgress && ((done) => options.onProgress!(name, done)),
      onScored: options.onScored && ((t, ndcg) => options.onScored!(name, t, ndcg)),
    });
    options.onDone?.(planner, report);
    return report;
  });
}

/** Writes candidate recall and nDCG over time and cumulative regret, one line per planner, as SVG and PNG. */
export function writeCurves(folder: string, reports: readonly SimulationReport[], k = 10): string[] {
  const series = (metric: (p: SimulationReport['curve'][number]) => number) =>
    reports.map((r) => ({ name: r.policy, points: r.curve.map((p) => ({ x: p.t, y: metric(p) })) }));
  const charts = [
    { file: 'recall', title: 'Candidate recall over time (per window)', yLabel: 'candidate recall', series: series((p) => p.candidate_recall) },
    { file: 'ndcg', title: `nDCG@${k} over time (per window)`, yLabel: `nDCG@${k}`, series: series((p) => p[`ndcg@${k}`]) },
    { file: 'candidates', title: 'Candidates per query over time (per window)', yLabel: 'candidates', series: series((p) => p.mean_candidates) },
    { file: 'regret', title: 'Cumulative regret against the oracle plan', yLabel: 'cumulative regret', series: series((p) => p.regret) },
  ];
  return charts.flatMap(({ file, ...spec }) => {
    const paths = writeChart(`${folder}/${file}`, { ...spec, xLabel: 'queries' });
    return [paths.svg, paths.png];
  });
}

export const RANKERS = ['heuristic', 'lambdamart'] as const;

/**
 * The ranker factory for a ranker name: `lambdamart` learns during the run (the heuristic ranks until its first
 * model is promoted), one registry per planner (a subfolder of `modelsDirectory` when given, else in memory).
 */
export function rankerFactory(name: (typeof RANKERS)[number], modelsDirectory?: string): (resources: RetrievalResources, planner?: string) => Ranker {
  if (name === 'heuristic') return () => new HeuristicRanker();
  return (resources, planner) => new LearningRanker(createFeatureSet(resources), ModelRegistry.open(modelsDirectory && planner ? join(modelsDirectory, planner) : modelsDirectory));
}
