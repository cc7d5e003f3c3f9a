/**
 * One table of error codes and messages (after Orama's errors.ts): every failure Quiver reports has a stable
 * `code` that callers (the CLI, later the HTTP layer) can map in one place, and a message naming what and where.
 */

export const ERRORS = {
  CATALOG_BAD_JSON: (where: string, detail: string) => `${where}: not valid JSON (${detail})`,
  CATALOG_BAD_FIELD: (where: string, field: string, detail: string) => `${where}: field "${field}" ${detail}`,
  CATALOG_DUPLICATE_ID: (where: string, id: string, first: string) => `${where}: duplicate id "${id}" (first seen at ${first})`,
  CATALOG_DANGLING_RELATION: (where: string, field: string, target: string) =>
    `${where}: field "${field}" names entity "${target}", which is not in the catalogue`,
  CATALOG_INVALID: (count: number, first: string) =>
    `catalogue refused: ${count} invalid row${count === 1 ? '' : 's'}, nothing was loaded; first: ${first} (use --skip-invalid to load the rest)`,
  CATALOG_BAD_MAPPING: (detail: string) => `CSV column mapping: ${detail}`,
  CATALOG_UNKNOWN_FORMAT: (path: string) => `${path}: unknown catalogue format (expected .jsonl, .jsonl.gz, .csv or .csv.gz)`,
  FILE_UNREADABLE: (path: string, detail: string) => `${path}: cannot be read (${detail})`,
  FILE_UNWRITABLE: (path: string, detail: string) => `${path}: cannot be written (${detail})`,
  OPTION_OUT_OF_RANGE: (name: string, value: unknown, range: string) => `option "${name}" is ${JSON.stringify(value)}; it must be ${range}`,
  CLI_BAD_FLAGS: (detail: string) => `bad flags: ${detail}`,
  OPTION_UNKNOWN: (name: string, known: string) => `unknown option "${name}" (known: ${known})`,
  SNAPSHOT_MISSING: (path: string) => `${path}: no index snapshot here (build one with "quiver index")`,
  SNAPSHOT_VERSION: (path: string, found: unknown, expected: number) =>
    `${path}: index snapshot format version ${String(found)} is not supported by this Quiver (reads version ${expected}); rebuild it with "quiver index"`,
  SNAPSHOT_CORRUPT: (path: string, detail: string) => `${path}: index snapshot is corrupt (${detail})`,
  QUERY_BAD_FILTER: (filter: string, detail: string) => `filter "${filter}": ${detail}`,
  ENTITY_UNKNOWN: (id: string) => `no entity with id "${id}"`,
  ENTITY_NOT_FOUND: (id: string) => `no entity with id "${id}" in the catalogue`,
  ENTITY_ID_MISMATCH: (path: string, body: unknown) => `the path names entity "${path}" but the body's id is ${JSON.stringify(body)}; they must be the same`,
  ENTITIES_INVALID: (count: number, first: string) =>
    `catalogue change refused: ${count} problem${count === 1 ? '' : 's'}, nothing was changed; first: ${first}`,
  EVAL_BAD_INPUT: (where: string, detail: string) => `${where}: ${detail}`,
  FEEDBACK_BAD_EVENT: (where: string, detail: string) => `${where}: ${detail}`,
  WORKER_UNAVAILABLE: (worker: number, detail: string) => `worker ${worker} could not take the feedback for the requests it served (${detail}); those events were not logged (others in the batch may have been): retry with event ids, which make a retry safe`,
  QUERY_BAD_CONTEXT: (field: string, value: unknown, expected: string) => `query context "${field}" is ${JSON.stringify(value)}; expected ${expected}`,
  STRATEGY_BAD_BUDGET: (strategy: string, budget: unknown) => `strategy "${strategy}": budget ${JSON.stringify(budget)} must be an integer ≥ 0`,
  STRATEGY_UNKNOWN: (name: string, known: string) => `unknown strategy "${name}" (known: ${known})`,
  VECTOR_BAD_INPUT: (where: string, detail: string) => `${where}: ${detail}`,
  MODEL_VERSION: (where: string, found: unknown, expected: string) =>
    `${where}: model format ${JSON.stringify(found)} is not supported by this Quiver (reads ${expected}); retrain the model`,
  LTR_TRAINING_FAILED: (detail: string) => `training the ranker failed: ${detail}`,
  MODEL_UNKNOWN_VERSION: (version: number, detail: string) => `no model version ${version} (${detail})`,
  MODEL_CORRUPT: (where: string, detail: string) => `${where}: model file is corrupt (${detail})`,
  MODEL_FEATURE_MISMATCH: (where: string, detail: string) => `${where}: the model's features are not the ones expected (${detail})`,
  LTR_BAD_DATA: (where: string, detail: string) => `${where}: ${detail}`,
  STRATEGY_NOT_IN_PLAN: (name: string, plan: string) => `a budget names strategy "${name}", which is not among the strategies run (${plan})`,
  LEARNER_BAD_EVENT: (learner: string, field: string, value: unknown, expected: string) =>
    `${learner}: feedback event field "${field}" is ${JSON.stringify(value)}; expected ${expected}`,
  LEARNER_STATE_VERSION: (format: string, found: unknown, expected: number) =>
    `${format}: saved state format version ${JSON.stringify(found)} is not supported (this Quiver reads version ${expected}); rebuild it by replaying the feedback log`,
  LEARNER_STATE_INVALID: (format: string, where: string, detail: string) => `${format}: saved state is invalid at ${where}: ${detail}`,
  POLICY_BAD_INPUT: (where: string, detail: string) => `retrieval policy: ${where}: ${detail}`,
  POLICY_MERGE: (detail: string) => `retrieval policy states cannot merge: ${detail}`,
  POLICY_UNKNOWN: (name: string, known: string) => `unknown policy "${name}"; known: ${known}`,
  STREAM_INVALID: (count: number, first: string) =>
    `query stream refused: ${count} invalid line${count === 1 ? '' : 's'}; first: ${first}`,
  STREAM_EMPTY: (where: string) => `${where}: no query events (one JSON object per line expected)`,
  STREAM_STYLE_IMPOSSIBLE: (label: string, detail: string) => `cannot generate "${label}" queries from this catalogue: ${detail}`,
  OPE_BAD_SAMPLE: (index: number, field: string, value: unknown, expected: string) =>
    `off-policy sample ${index}: field "${field}" is ${typeof value === 'number' ? String(value) : JSON.stringify(value)}; expected ${expected}`,
  OPE_NO_SAMPLES: (what: string) => `${what}: no logged samples to evaluate`,
  OPE_BAD_LOG: (where: string, field: string, detail: string) => `decision log ${where}: field "${field}" ${detail}`,
  OPE_LOG_MISMATCH: (where: string, detail: string) => `decision log ${where}: ${detail}`,
  OPE_BAD_TARGET: (name: string, detail: string) => `cannot evaluate target policy "${name}": ${detail}`,
  STORE_OPEN: (path: string, detail: string) => `event log ${path} cannot be opened (${detail})`,
  STORE_CORRUPT: (where: string, detail: string) => `event log record ${where} is corrupt (${detail})`,
  STORE_MISMATCH: (path: string, detail: string) => `data directory ${path} was written by an engine configured differently (${detail}); use another --data directory or the same settings`,
  CHECKPOINT_INVALID: (path: string, detail: string) => `checkpoint ${path} is invalid (${detail})`,
  SIMULATE_BAD_CLICK_MODEL: (name: string, known: string) => `unknown click model "${name}" (known: ${known})`,
  SIMULATE_BAD_INPUT: (where: string, detail: string) => `${where}: ${detail}`,
  SIMULATE_RUNNING: (done: number, queries: number) => `a simulation is already running (${done} of ${queries} searches done); GET /simulate shows its progress`,
  CLICK_LOG_BAD_SESSION: (where: string, detail: string) => `click log ${where}: ${detail}`,
  CLICKS_BAD_INPUT: (where: string, detail: string) => `${where}: ${detail}`,
  FEATURES_BAD_INPUT: (where: string, detail: string) => `ranking features: ${where}: ${detail}`,
  FEATURES_MISMATCH: (where: string, detail: string) =>
    `${where}: was made with another feature set (${detail}); recompute the features or retrain with this one`,
  TRAINING_ROWS_BAD_INPUT: (where: string, detail: string) => `training rows: ${where}: ${detail}`,
  CHART_BAD_INPUT: (where: string, detail: string) => `chart ${where}: ${detail}`,
  CHART_PNG_UNAVAILABLE: (detail: string) => `cannot render a PNG chart: the @resvg/resvg-js renderer did not load (${detail}); SVG charts do not need it`,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class QuiverError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'QuiverError';
    this.code = code;
  }
}

/** Builds a QuiverError whose message comes from the table entry for `code`. */
export function createError<C extends ErrorCode>(code: C, ...args: Parameters<(typeof ERRORS)[C]>): QuiverError {
  const format = ERRORS[code] as (...a: unknown[]) => string;
  return new QuiverError(code, format(...args));
}
