/**
 * Saving and loading a LambdaMART model: one JSON document `{format: "quiver.lambdamart", version: 1,
 * featureNames, params, trees}` (a tree is parallel arrays feature/threshold/left/right/value, node 0 the root,
 * a leaf with feature −1). JSON numbers round-trip doubles exactly, so a loaded model scores bit for bit as the
 * trained one. Loading checks the header, every parameter against its declared range, every tree's structure
 * (children in range, each node reached once, no cycles) and, when the caller says which features it will
 * give, that they are the model's; the file is written to a temporary name and renamed, so a crash never leaves
 * half a model.
 */
import { createError, QuiverError } from '../../errors.js';
import { readJsonFile, writeFileAtomic } from '../../util/atomic-file.js';
import { LambdaMartModel, type TreeData } from './model.js';
import { resolveLambdaMartParams } from './params.js';

export const LAMBDAMART_FORMAT = 'quiver.lambdamart';
export const LAMBDAMART_VERSION = 1;

export interface LambdaMartModelFile {
  format: typeof LAMBDAMART_FORMAT;
  version: typeof LAMBDAMART_VERSION;
  featureNames: string[];
  params: Record<string, number | boolean>;
  trees: TreeData[];
}

export function lambdaMartToJson(model: LambdaMartModel): LambdaMartModelFile {
  return { format: LAMBDAMART_FORMAT, version: LAMBDAMART_VERSION, featureNames: [...model.featureNames], params: { ...model.params }, trees: model.trees.map((t) => ({ ...t })) };
}

export function saveLambdaMart(path: string, model: LambdaMartModel): void {
  writeFileAtomic(path, JSON.stringify(lambdaMartToJson(model)));
}

/** Reads a model file; with `expectedFeatures`, refuses a model over other features. */
export function loadLambdaMart(path: string, expectedFeatures?: readonly string[]): LambdaMartModel {
  const raw = readJsonFile(path, (detail) => createError('MODEL_CORRUPT', path, detail));
  return lambdaMartFromJson(raw, path, expectedFeatures);
}

export function lambdaMartFromJson(raw: unknown, where = 'LambdaMART model', expectedFeatures?: readonly string[]): LambdaMartModel {
  const fail = (detail: string) => createError('MODEL_CORRUPT', where, detail);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail('not a JSON object');
  const m = raw as Record<string, unknown>;
  if (m.format !== LAMBDAMART_FORMAT || m.version !== LAMBDAMART_VERSION) {
    throw createError('MODEL_VERSION', where, `${String(m.format)} v${String(m.version)}`, `${LAMBDAMART_FORMAT} v${LAMBDAMART_VERSION}`);
  }
  const names = m.featureNames;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string') || new Set(names).size !== names.length) throw fail('"featureNames" is not an array of distinct strings');
  if (m.params === null || typeof m.params !== 'object' || Array.isArray(m.params)) throw fail('"params" is not an object');
  let params;
  try {
    params = resolveLambdaMartParams(m.params as Record<string, never>);
  } catch (err) {
    throw fail(`"params": ${err instanceof QuiverError ? err.message : String(err)}`);
  }
  if (!Array.isArray(m.trees)) throw fail('"trees" is not an array');
  const trees = m.trees.map((tree, t) => checkedTree(tree, `trees[${t}]`, names.length, fail));
  const model = new LambdaMartModel(names as string[], params, trees);
  if (expectedFeatures) model.checkFeatureNames(expectedFeatures, 'the features given');
  return model;
}

function checkedTree(raw: unknown, where: string, width: number, fail: (detail: string) => Error): TreeData {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail(`${where} is not an object`);
  const t = raw as Record<string, unknown>;
  const fields = ['feature', 'threshold', 'left', 'right', 'value'] as const;
  for (const field of fields) {
    if (!Array.isArray(t[field]) || !(t[field] as unknown[]).every((v) => typeof v === 'number' && Number.isFinite(v))) throw fail(`${where}.${field} is not an array of finite numbers`);
  }
  const tree = Object.fromEntries(fields.map((f) => [f, t[f]])) as unknown as TreeData;
  const nodes = tree.feature.length;
  if (nodes === 0) throw fail(`${where} has no nodes`);
  for (const field of fields) if (tree[field].length !== nodes) throw fail(`${where}.${field} has ${tree[field].length} entries, feature has ${nodes}`);
  // Walk from the root: each node reached exactly once means a tree (no cycle, no shared or orphan node).
  const seen = new Uint8Array(nodes);
  const stack = [0];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen[n]) throw fail(`${where}: node ${n} is reached twice`);
    seen[n] = 1;
    const f = tree.feature[n];
    if (f === -1) {
      if (tree.left[n] !== -1 || tree.right[n] !== -1) throw fail(`${where}: leaf ${n} has children`);
      continue;
    }
    if (!Number.isInteger(f) || f < 0 || f >= width) throw fail(`${where}: node ${n} splits on feature ${f}, not one of the ${width} features`);
    for (const child of [tree.left[n], tree.right[n]]) {
      if (!Number.isInteger(child) || child <= 0 || child >= nodes) throw fail(`${where}: node ${n} has child ${child}, not a node of the tree`);
      stack.push(child);
    }
  }
  const orphan = seen.indexOf(0);
  if (orphan >= 0) throw fail(`${where}: node ${orphan} is not reached from the root`);
  return tree;
}
