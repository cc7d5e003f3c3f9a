/**
 * The retrieval policy's saved state: one JSON document with a format name and version, holding only sums that
 * add up (the model's Σxxᵀ, Σrx and counts per arm, the action features' hit counts, the cost model's sums and
 * the rounds learnt), so that
 *
 * - a restarted server loads it and decides exactly as before;
 * - replicas that learnt from different traffic merge into the state one replica would have reached from all
 *   of it (`mergePolicyStates`).
 *
 * Loading checks the header, then that the state was learnt by the same policy, over the same strategies, budget
 * grid and feature names (a catalogue with other top genres has other user features); anything else is refused
 * naming the field, never half-loaded. Files are written to a temporary name and renamed, so a crash mid-write
 * leaves the previous state.
 */
import { readFileSync } from 'node:fs';
import { createError } from '../errors.js';
import { checkStateHeader } from '../retrieval/learner-state.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { ACTION_FEATURE_NAMES, ActionCounts, type ActionFeatureState } from './action-features.js';
import { DisjointLinearModel, type ModelState } from './arm-model.js';
import { CostModel, type CostModelState } from './cost-model.js';
import { HybridLinearModel } from './hybrid-model.js';
import type { LinearStatsState } from './linear-stats.js';
import { MAX_PRICE_FACTOR, MIN_PRICE_FACTOR } from './candidate-price.js';
import type { RetrievalPolicy } from './retrieval-policy.js';

export const POLICY_STATE_FORMAT = 'quiver.retrieval-policy';
export const POLICY_STATE_VERSION = 1;

export interface RetrievalPolicyState {
  format: typeof POLICY_STATE_FORMAT;
  version: typeof POLICY_STATE_VERSION;
  policy: string;
  exploration: string;
  strategies: string[];
  grid: number[];
  costWeight: number;
  features: string[];
  rounds: number;
  model: ModelState;
  actions: ActionFeatureState;
  costs: CostModelState;
  /** The candidate's learnt price over costWeight (RetrievalPolicy.priceFactor); absent in states saved before it: 1. */
  priceFactor?: number;
}

export function policyState(policy: RetrievalPolicy): RetrievalPolicyState {
  return {
    format: POLICY_STATE_FORMAT,
    version: POLICY_STATE_VERSION,
    policy: policy.policy.name,
    exploration: policy.policy.exploration.name,
    strategies: [...policy.strategies.keys()],
    grid: [...policy.grid],
    costWeight: policy.costWeight,
    features: policy.featureNames(),
    rounds: policy.policy.rounds,
    model: policy.policy.model.toJSON(),
    actions: policy.actions.toJSON(),
    costs: policy.costs.toJSON(),
    priceFactor: policy.priceFactor,
  };
}

/** Adds a saved state to a policy (a fresh one: loading; a learnt one: merging another replica in). */
export function restorePolicy(policy: RetrievalPolicy, input: unknown): void {
  const state = checkedState(input);
  const expected = policyState(policy);
  for (const field of ['policy', 'strategies', 'grid', 'features'] as const) {
    if (JSON.stringify(state[field]) !== JSON.stringify(expected[field])) {
      throw createError('LEARNER_STATE_INVALID', POLICY_STATE_FORMAT, field, `saved ${JSON.stringify(state[field])}, this policy has ${JSON.stringify(expected[field])}`);
    }
  }
  if (state.model.kind !== policy.policy.model.kind) throw createError('LEARNER_STATE_INVALID', POLICY_STATE_FORMAT, 'model.kind', `saved ${state.model.kind}, this policy has ${policy.policy.model.kind}`);
  checkArmShapes(policy, state.model);
  const model = modelFromState(state.model);
  policy.policy.model.merge(model);
  const fresh = policy.policy.rounds === 0;
  policy.policy.rounds += state.rounds;
  policy.actions.restore(state.actions);
  policy.costs.restore(state.costs);
  policy.price.restore(state.priceFactor ?? 1, !fresh);
}

/** The state one replica would have reached from both replicas' traffic. */
export function mergePolicyStates(a: unknown, b: unknown): RetrievalPolicyState {
  const left = checkedState(a);
  const right = checkedState(b);
  for (const field of ['policy', 'strategies', 'grid', 'features'] as const) {
    if (JSON.stringify(left[field]) !== JSON.stringify(right[field])) throw createError('POLICY_MERGE', `the states differ in ${field}`);
  }
  const model = modelFromState(left.model);
  model.merge(modelFromState(right.model));
  const merged = { ...left, rounds: left.rounds + right.rounds, model: model.toJSON() };
  merged.actions = mergeActions(left.actions, right.actions);
  const costs = new CostModel(left.costs.latencyWeight);
  costs.restore(left.costs);
  costs.restore(right.costs);
  merged.costs = costs.toJSON();
  // Not a sum: each replica learnt its price from its own traffic; the larger one keeps both at or under the budget.
  merged.priceFactor = Math.max(left.priceFactor ?? 1, right.priceFactor ?? 1);
  return merged;
}

export function writePolicyState(path: string, state: RetrievalPolicyState): void {
  writeFileAtomic(path, JSON.stringify(state));
}

export function readPolicyState(path: string): RetrievalPolicyState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw createError('LEARNER_STATE_INVALID', POLICY_STATE_FORMAT, path, `cannot be read (${(err as Error).message})`);
  }
  try {
    return checkedState(JSON.parse(text));
  } catch (err) {
    if (err instanceof SyntaxError) throw createError('LEARNER_STATE_INVALID', POLICY_STATE_FORMAT, path, `is not JSON (${err.message})`);
    throw err;
  }
}

function checkedState(input: unknown): RetrievalPolicyState {
  const s = checkStateHeader(input, POLICY_STATE_FORMAT, POLICY_STATE_VERSION);
  const fail = (where: string, detail: string) => createError('LEARNER_STATE_INVALID', POLICY_STATE_FORMAT, where, detail);
  if (typeof s.policy !== 'string') throw fail('policy', 'not a string');
  for (const field of ['strategies', 'features'] as const) {
    if (!Array.isArray(s[field]) || !(s[field] as unknown[]).every((v) => typeof v === 'string')) throw fail(field, 'not an array of strings');
  }
  if (!Array.isArray(s.grid) || !(s.grid as unknown[]).every((v) => Number.isInteger(v) && (v as number) > 0)) throw fail('grid', 'not an array of positive integers');
  if (!Number.isFinite(s.rounds) || (s.rounds as number) < 0) throw fail('rounds', 'not a non-negative number');
  const model = s.model as ModelState | undefined;
  if (!model || (model.kind !== 'disjoint' && model.kind !== 'hybrid') || !isRecord(model.arms) || !(model.lambda > 0)) {
    throw fail('model', 'expected {kind: "disjoint" | "hybrid", lambda > 0, arms: {…}}');
  }
  const arms = new Set((s.strategies as string[]).flatMap((name) => (s.grid as number[]).map((budget) => `${name}@${budget}`)));
  const shared = model.kind === 'hybrid' ? model.shared : undefined;
  if (model.kind === 'hybrid' && !isStats(shared, model.lambda)) throw fail('model.shared', 'sums of the wrong size, not finite, or of another λ');
  for (const [arm, stats] of Object.entries(model.arms)) {
    const x = model.kind === 'hybrid' ? (stats as { x: LinearStatsState }).x : (stats as LinearStatsState);
    const where = `model.arms["${arm}"]`;
    if (!arms.has(arm)) throw fail(where, 'not a (strategy, budget) of this state');
    if (!isStats(x, model.lambda) || x.d !== (s.features as string[]).length) throw fail(where, 'sums of the wrong size, not finite, or of another λ');
    if (shared) {
      const xz = (stats as { xz: unknown }).xz;
      if (shared.d === 0 || !Array.isArray(xz) || xz.length !== x.d * shared.d || !xz.every(Number.isFinite)) throw fail(`${where}.xz`, 'sums of the wrong size or not finite');
    }
  }
  const actions = s.actions as ActionFeatureState | undefined;
  if (!actions || !Array.isArray(actions.history) || !isRecord(actions.overall) || !isRecord(actions.types)) throw fail('actions', 'expected {history, overall, types}');
  actions.history.forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 4 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string' || !isCount(entry[2], entry[3])) {
      throw fail(`actions.history[${i}]`, 'expected [query, strategy, trials, hits] with 0 ≤ hits ≤ trials');
    }
  });
  for (const [name, counts] of Object.entries(actions.overall)) {
    if (!Array.isArray(counts) || counts.length !== 2 || !isCount(counts[0], counts[1])) throw fail(`actions.overall["${name}"]`, 'expected [trials, hits] with 0 ≤ hits ≤ trials');
  }
  for (const [name, counts] of Object.entries(actions.types)) {
    if (!isRecord(counts) || !Object.values(counts).every((n) => Number.isFinite(n) && (n as number) >= 0)) throw fail(`actions.types["${name}"]`, 'expected {type: count ≥ 0}');
  }
  // Top scores came in after the format's first states: absent is no top score seen yet.
  if (actions.topScores !== undefined && !Array.isArray(actions.topScores)) throw fail('actions.topScores', 'expected an array');
  (actions.topScores ?? []).forEach((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 4 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string' || !(Number.isFinite(entry[2]) && entry[2] >= 0 && Number.isFinite(entry[3]))) {
      throw fail(`actions.topScores[${i}]`, 'expected [query, strategy, runs ≥ 0, Σ top score], finite');
    }
  });
  if (actions.topScoreMoments !== undefined && !isRecord(actions.topScoreMoments)) throw fail('actions.topScoreMoments', 'expected {strategy: [runs, Σ, Σ²]}');
  for (const [name, m] of Object.entries(actions.topScoreMoments ?? {})) {
    if (!Array.isArray(m) || m.length !== 3 || !m.every(Number.isFinite) || !(m[0] >= 0 && m[2] >= 0)) throw fail(`actions.topScoreMoments["${name}"]`, 'expected [runs ≥ 0, Σ top score, Σ top score² ≥ 0], finite');
  }
  if (s.priceFactor !== undefined && !(typeof s.priceFactor === 'number' && s.priceFactor >= MIN_PRICE_FACTOR && s.priceFactor <= MAX_PRICE_FACTOR)) {
    throw fail('priceFactor', `expected a number in [${MIN_PRICE_FACTOR}, ${MAX_PRICE_FACTOR}]`);
  }
  const costs = s.costs as CostModelState | undefined;
  if (!costs || !isRecord(costs.sums) || !(costs.latencyWeight >= 0)) throw fail('costs', 'expected {latencyWeight ≥ 0, sums}');
  for (const [key, sums] of Object.entries(costs.sums)) {
    if (!Array.isArray(sums) || sums.length !== 4 || !sums.every((v) => Number.isFinite(v) && v >= 0) || !(sums[0] > 0 && sums[2] > 0)) {
      throw fail(`costs.sums["${key}"]`, 'expected [runs > 0, returned, asked > 0, ms], finite and ≥ 0');
    }
  }
  if (costs.full !== undefined && !(Array.isArray(costs.full) && costs.full.length === 2 && costs.full.every((v) => Number.isFinite(v) && v >= 0))) {
    throw fail('costs.full', 'expected [held-back requests, candidates drawn], finite and ≥ 0');
  }
  return s as unknown as RetrievalPolicyState;
}

/**
 * A hybrid state's shared features are as many as this policy's arms have (z: the action features, log budget,
 * bias), so merging cannot fail half-way. (The arms' own x were checked against the feature names.)
 */
function checkArmShapes(policy: RetrievalPolicy, model: ModelState): void {
  if (model.kind !== 'hybrid' || Object.keys(model.arms).length === 0) return;
  const query = new Float64Array(policy.featureNames().length - ACTION_FEATURE_NAMES.length);
  const actions = new Map([...policy.strategies.keys()].map((name) => [name, ACTION_FEATURE_NAMES.map(() => 0)]));
  const k = policy.armsOf(query, actions)[0]?.z?.length ?? 0;
  if (model.shared.d !== k) throw createError('LEARNER_STATE_INVALID', POLICY_STATE_FORMAT, 'model.shared', `${model.shared.d} shared features, this policy's arms have ${k}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStats(x: LinearStatsState | undefined, lambda: number): x is LinearStatsState {
  return (
    isRecord(x) && Number.isInteger(x.d) && x.d >= 0 && x.lambda === lambda && Number.isFinite(x.n) && x.n >= 0 &&
    Array.isArray(x.xx) && x.xx.length === x.d * x.d && Array.isArray(x.xr) && x.xr.length === x.d && [...x.xx, ...x.xr].every(Number.isFinite)
  );
}

function isCount(trials: unknown, hits: unknown): boolean {
  return Number.isFinite(trials) && Number.isFinite(hits) && (hits as number) >= 0 && (hits as number) <= (trials as number);
}

function modelFromState(state: ModelState): DisjointLinearModel | HybridLinearModel {
  return state.kind === 'hybrid' ? HybridLinearModel.fromJSON(state) : DisjointLinearModel.fromJSON(state);
}

function mergeActions(a: ActionFeatureState, b: ActionFeatureState): ActionFeatureState {
  const counts = new ActionCounts();
  counts.restore(a);
  counts.restore(b);
  return counts.toJSON();
}
