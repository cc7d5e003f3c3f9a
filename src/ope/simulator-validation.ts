/**
 * Validating retrieval OPE where the truth is known: the simulator runs a logging planner on a stream and logs
 * its decisions, then runs each target on-policy on the same stream with the same seed (a learned target as a
 * frozen saved state, so it is the fixed policy the estimators assume); a target's mean realised reward there
 * is the truth its off-policy estimates from the log are compared with. The same protocol as the Open Bandit
 * validation (open-bandit.ts), with the truth measured instead of logged.
 */
import type { StreamEvent } from '../eval/stream.js';
import type { SearchIndex } from '../index/search-index.js';
import { type PlannerOptions, PolicyPlanner, staticPlan } from '../policy/planners.js';
import { policyState, type RetrievalPolicyState } from '../policy/policy-state.js';
import { comparePlanners } from '../simulate/compare.js';
import type { SimulatedUser } from '../simulate/simulator.js';
import type { DecisionLogLine } from './decision-log.js';
import { evaluateRetrievalOpe, type RetrievalOpeOptions, type RetrievalOpeReport } from './retrieval-ope.js';
import { frozenPolicy, policyTarget, type RetrievalTarget, staticTarget } from './retrieval-targets.js';

export interface SimulationSetup {
  strategies: string[];
  grid: number[];
  user: SimulatedUser;
  seed: number;
  k?: number;
  costWeight?: number;
  planner?: PlannerOptions;
}

function run(index: SearchIndex, events: readonly StreamEvent[], name: string, setup: SimulationSetup, extra: { restore?: RetrievalPolicyState; onDecision?: (line: DecisionLogLine) => void; onState?: (state: RetrievalPolicyState) => void } = {}) {
  const [report] = comparePlanners(index, events, {
    planners: [name], user: setup.user, k: setup.k, seed: setup.seed, costWeight: setup.costWeight, strategies: setup.strategies, regret: false,
    planner: { ...setup.planner, grid: setup.grid, frozen: extra.restore !== undefined },
    restore: extra.restore,
    onDecision: extra.onDecision && ((policy, entry) => extra.onDecision!({ policy, ...entry })),
    onDone: (planner) => {
      if (extra.onState && planner instanceof PolicyPlanner) extra.onState(policyState(planner.policy));
    },
  });
  return report;
}

/** Runs a planner (`restore`: a saved state of it, run frozen) on the stream: its decision log and mean realised reward. */
export function logDecisions(index: SearchIndex, events: readonly StreamEvent[], logger: string, setup: SimulationSetup, restore?: RetrievalPolicyState): { lines: DecisionLogLine[]; meanReward: number } {
  const lines: DecisionLogLine[] = [];
  const report = run(index, events, logger, setup, { restore, onDecision: (line) => lines.push(line) });
  return { lines, meanReward: report.mean_reward };
}

/** Trains a learned planner on the stream and returns its saved state. */
export function trainPolicy(index: SearchIndex, events: readonly StreamEvent[], name: string, setup: SimulationSetup): RetrievalPolicyState {
  let state: RetrievalPolicyState | undefined;
  run(index, events, name, setup, { onState: (s) => (state = s) });
  return state!;
}

/** A target to validate: a static planner's name, or a saved learned policy (run frozen). */
export type ValidationTarget = { name: string } | { state: RetrievalPolicyState };

export interface ValidationResult {
  target: string;
  /** The target's on-policy mean realised reward on the same stream and seed. */
  truth: number;
  report: RetrievalOpeReport;
  /** Per estimator: |estimate − truth| / |truth|, and whether its interval holds the truth. */
  errors: Record<string, { relativeError: number; covers: boolean }>;
}

export function validateTarget(index: SearchIndex, events: readonly StreamEvent[], lines: readonly DecisionLogLine[], target: ValidationTarget, setup: SimulationSetup, options: RetrievalOpeOptions = {}): ValidationResult {
  let opeTarget: RetrievalTarget;
  let truth: number;
  if ('state' in target) {
    opeTarget = policyTarget(frozenPolicy(index, target.state));
    truth = run(index, events, target.state.policy, setup, { restore: target.state }).mean_reward;
  } else {
    opeTarget = staticTarget(target.name, staticPlan(target.name, setup.strategies)!);
    truth = run(index, events, target.name, setup).mean_reward;
  }
  const report = evaluateRetrievalOpe(lines, lines[0].policy, opeTarget, options);
  const errors = Object.fromEntries(Object.entries(report.estimators).map(([name, { estimate, lower, upper }]) =>
    [name, { relativeError: Math.abs(estimate - truth) / Math.abs(truth), covers: lower <= truth && truth <= upper }]));
  return { target: opeTarget.name, truth, report, errors };
}
