/**
 * Reads a retrieval decision log: the JSONL `quiver simulate --log` writes (and a server will), one
 * LoggedDecision per line plus "policy", the planner that decided. Every line is checked (JSON, each field's type
 * and range, and that the plan, credit and costs name strategies the line has action features for), and the
 * whole log is refused on the first bad line, named as file:line and field: off-policy evaluation never runs on
 * a half-read log.
 */
import { jsonLines } from '../catalog/jsonl.js';
import { readTextFile } from '../catalog/read-text.js';
import { createError } from '../errors.js';
import type { LoggedDecision } from '../simulate/simulator.js';

export interface DecisionLogLine extends LoggedDecision {
  /** The planner that made the decision. */
  policy: string;
}

type Check = (value: unknown) => string | undefined;

const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const finiteArray = (v: unknown) => Array.isArray(v) && v.every(isFinite);
const record = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const string: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
const finite: Check = (v) => (isFinite(v) ? undefined : 'a finite number');
const nonNegative: Check = (v) => (isFinite(v) && v >= 0 ? undefined : 'a finite number ≥ 0');
const propensity: Check = (v) => (isFinite(v) && v > 0 && v <= 1 ? undefined : 'a probability in (0, 1]');
const probability: Check = (v) => (isFinite(v) && v >= 0 && v <= 1 ? undefined : 'a probability in [0, 1]');
const vector: Check = (v) => (finiteArray(v) && (v as number[]).length > 0 ? undefined : 'a non-empty array of finite numbers');
const recordOf = (value: Check, expected: string): Check => (v) =>
  record(v) && Object.values(v).every((x) => value(x) === undefined) ? undefined : `an object of ${expected}`;

const FIELDS: Record<keyof DecisionLogLine, Check> = {
  policy: string,
  t: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'an integer ≥ 0'),
  query: string,
  label: string,
  plan: recordOf((v) => (Number.isInteger(v) && (v as number) > 0 ? undefined : 'a budget'), 'positive integer budgets'),
  propensity,
  epsilon: probability,
  features: vector,
  actions: recordOf(vector, 'arrays of finite numbers (each strategy\'s action features)'),
  clicked: boolean,
  refound: boolean,
  covered: boolean,
  credited: recordOf(boolean, 'true/false per strategy run'),
  reward: finite,
  cost: nonNegative,
  costs: recordOf(nonNegative, 'finite costs ≥ 0 per strategy run'),
};

/** The checked line, or the first problem as [field, what was expected]. */
function checkLine(value: unknown): DecisionLogLine | [string, string] {
  if (!record(value)) return ['(line)', 'a JSON object'];
  for (const [field, check] of Object.entries(FIELDS)) {
    const problem = check(value[field]);
    if (problem !== undefined) return [field, `${value[field] === undefined ? 'missing' : `is ${JSON.stringify(value[field])}`}; expected ${problem}`];
  }
  const line = value as unknown as DecisionLogLine;
  const strategies = Object.keys(line.actions);
  if (strategies.length === 0) return ['actions', 'is empty; expected the action features of every strategy in the quiver'];
  const width = line.actions[strategies[0]].length;
  const uneven = strategies.find((s) => line.actions[s].length !== width);
  if (uneven !== undefined) return [`actions.${uneven}`, `has ${line.actions[uneven].length} features, ${strategies[0]} has ${width}`];
  for (const field of ['plan', 'credited', 'costs'] as const) {
    const unknown = Object.keys(line[field]).find((s) => !(s in line.actions));
    if (unknown !== undefined) return [`${field}.${unknown}`, 'names a strategy with no action features on this line'];
  }
  for (const field of ['credited', 'costs'] as const) {
    const missing = Object.keys(line.plan).find((s) => !(s in line[field]));
    if (missing !== undefined) return [`${field}.${missing}`, 'missing for a strategy the plan ran'];
  }
  return line;
}

/** Parses a decision log's text; `file` names it in errors. */
export function parseDecisionLog(text: string, file: string): DecisionLogLine[] {
  const lines: DecisionLogLine[] = [];
  for (const { where, value, error } of jsonLines(text, file)) {
    if (error) throw createError('OPE_BAD_LOG', where, '(line)', error);
    const checked = checkLine(value);
    if (Array.isArray(checked)) throw createError('OPE_BAD_LOG', where, checked[0], checked[1]);
    lines.push(checked);
  }
  if (lines.length === 0) throw createError('OPE_NO_SAMPLES', `decision log ${file}`);
  return lines;
}

/** Reads a decision log file (`.gz` is gunzipped). */
export function readDecisionLog(path: string): DecisionLogLine[] {
  return parseDecisionLog(readTextFile(path), path); // FILE_UNREADABLE names the path and the reason
}
