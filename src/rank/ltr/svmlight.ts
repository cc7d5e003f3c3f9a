/**
 * Reads learning-to-rank data in svmlight text (`<label> [qid:<q>] <index>:<value> … [# comment]`, 1-based
 * feature indices, increasing along a line), the format LightGBM, XGBoost, RankLib and the LETOR/MSLR sets
 * share. Queries come either from `qid:` (rows sorted by qid, each query's rows together) or from a group file
 * (one row count per line, LightGBM's `.query`). Files ending in .gz are gunzipped. Every bad line is refused
 * naming file:line and what is wrong, before anything is built.
 */
import { readTextFile } from '../../catalog/read-text.js';
import { createError } from '../../errors.js';
import { ensureCapacity } from '../../index/growable.js';
import { indexedFeatureNames, MAX_LABEL, type RankDataset, rankDataset } from './dataset.js';

export interface SvmlightReadOptions {
  /** A group-size file, for data without `qid:`. */
  groupPath?: string;
  /** Columns to hold (default: the largest index seen); a larger index in the file is refused. */
  featureCount?: number;
}

/** One file's rows, sparse, as read: what `densify` turns into a data set once the width is known. */
interface SparseRows {
  labels: number[];
  /** Row r's entries are [rowStarts[r], rowStarts[r + 1]) of indices/values. */
  rowStarts: number[];
  indices: Int32Array;
  values: Float32Array;
  maxIndex: number;
  /** Rows per query, from qid: (empty when the file has none). */
  qidGroups: number[];
}

const INTEGER = /^\d+$/;

function parseRows(text: string, path: string, featureCount: number | undefined): SparseRows {
  const rows: SparseRows = { labels: [], rowStarts: [0], indices: new Int32Array(1024), values: new Float32Array(1024), maxIndex: 0, qidGroups: [] };
  let entries = 0;
  let hasQid: boolean | undefined;
  let lastQid = -1;
  let lastQidLine = 0;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const hash = lines[n].indexOf('#');
    const content = (hash < 0 ? lines[n] : lines[n].slice(0, hash)).trim();
    if (content === '') continue;
    const fail = (detail: string) => createError('LTR_BAD_DATA', `${path}:${n + 1}`, detail);
    const tokens = content.split(/\s+/);
    const label = Number(tokens[0]);
    if (!Number.isFinite(label)) throw fail(`label "${tokens[0]}" is not a number`);
    if (label < 0 || label > MAX_LABEL) throw fail(`label ${tokens[0]} is not a relevance grade in [0, ${MAX_LABEL}]`);
    let t = 1;
    const lineHasQid = tokens.length > 1 && tokens[1].startsWith('qid:');
    if (hasQid === undefined) hasQid = lineHasQid;
    else if (hasQid !== lineHasQid) throw fail(lineHasQid ? 'has qid: but the rows before it do not' : 'has no qid: but the rows before it do');
    if (lineHasQid) {
      const qidText = tokens[1].slice(4);
      if (!INTEGER.test(qidText)) throw fail(`qid "${qidText}" is not a non-negative integer`);
      const qid = Number(qidText);
      if (qid < lastQid) throw fail(`qid ${qid} after qid ${lastQid} (line ${lastQidLine}): rows must be sorted by qid, each query's rows together`);
      if (qid === lastQid) rows.qidGroups[rows.qidGroups.length - 1]++;
      else rows.qidGroups.push(1);
      lastQid = qid;
      lastQidLine = n + 1;
      t = 2;
    }
    let previous = 0;
    for (; t < tokens.length; t++) {
      const colon = tokens[t].indexOf(':');
      const indexText = colon < 0 ? tokens[t] : tokens[t].slice(0, colon);
      if (colon < 0) throw fail(`"${tokens[t]}" is not <index>:<value>`);
      if (!INTEGER.test(indexText) || Number(indexText) < 1) throw fail(`feature index "${indexText}" is not an integer ≥ 1`);
      const index = Number(indexText);
      if (index <= previous) throw fail(`feature ${index} after feature ${previous}: indices must increase along a line`);
      if (featureCount !== undefined && index > featureCount) throw fail(`feature ${index} is beyond the ${featureCount} features expected`);
      const valueText = tokens[t].slice(colon + 1);
      const value = Number(valueText);
      if (valueText === '' || !Number.isFinite(value)) throw fail(`feature ${index}: value "${valueText}" is not a finite number`);
      if (Math.abs(value) > 3.4e38) throw fail(`feature ${index}: value ${valueText} does not fit a 32-bit float`);
      rows.indices = ensureCapacity(rows.indices, entries + 1);
      rows.values = ensureCapacity(rows.values, entries + 1);
      rows.indices[entries] = index;
      rows.values[entries] = value;
      entries++;
      previous = index;
    }
    rows.maxIndex = Math.max(rows.maxIndex, previous);
    rows.labels.push(label);
    rows.rowStarts.push(entries);
  }
  if (rows.labels.length === 0) throw createError('LTR_BAD_DATA', path, 'no rows (one "<label> [qid:<q>] <index>:<value> …" line per document expected)');
  return rows;
}

function parseGroupSizes(text: string, path: string): number[] {
  const sizes: number[] = [];
  text.split('\n').forEach((line, n) => {
    const content = line.trim();
    if (content === '') return;
    if (!INTEGER.test(content) || Number(content) < 1) throw createError('LTR_BAD_DATA', `${path}:${n + 1}`, `group size "${content}" is not an integer ≥ 1`);
    sizes.push(Number(content));
  });
  return sizes;
}

function densify(rows: SparseRows, width: number, groupSizes: number[], where: string): RankDataset {
  const features = new Float32Array(rows.labels.length * width);
  for (let r = 0; r < rows.labels.length; r++) {
    for (let e = rows.rowStarts[r]; e < rows.rowStarts[r + 1]; e++) features[r * width + rows.indices[e] - 1] = rows.values[e];
  }
  return rankDataset({ featureNames: indexedFeatureNames(width), features, labels: rows.labels, groupSizes, where });
}

/** Parses svmlight text; `groupText` (with its name for errors) gives the queries when the rows have no qid:. */
export function parseSvmlight(text: string, where: string, options: { groupText?: string; groupWhere?: string; featureCount?: number } = {}): RankDataset {
  const rows = parseRows(text, where, options.featureCount);
  let groups = rows.qidGroups;
  if (options.groupText !== undefined) {
    const groupWhere = options.groupWhere ?? `${where} groups`;
    if (groups.length > 0) throw createError('LTR_BAD_DATA', where, `rows carry qid: and a group file (${groupWhere}) was given too; give one or the other`);
    groups = parseGroupSizes(options.groupText, groupWhere);
    const sum = groups.reduce((a, b) => a + b, 0);
    if (sum !== rows.labels.length) throw createError('LTR_BAD_DATA', groupWhere, `group sizes sum to ${sum}, but ${where} has ${rows.labels.length} rows`);
  } else if (groups.length === 0) {
    throw createError('LTR_BAD_DATA', where, 'rows have no qid: and no group file was given, so the queries are unknown');
  }
  return densify(rows, options.featureCount ?? rows.maxIndex, groups, where);
}

export function readSvmlight(path: string, options: SvmlightReadOptions = {}): RankDataset {
  const groupText = options.groupPath === undefined ? undefined : readTextFile(options.groupPath);
  return parseSvmlight(readTextFile(path), path, { groupText, groupWhere: options.groupPath, featureCount: options.featureCount });
}

/** The same rows with `count` columns (svmlight's trailing all-zero features are invisible in a file). */
export function withFeatureCount(data: RankDataset, count: number): RankDataset {
  const width = data.featureNames.length;
  if (count === width) return data;
  if (count < width) throw createError('LTR_BAD_DATA', 'ranking data', `has ${width} features, more than the ${count} expected`);
  const features = new Float32Array(data.rowCount * count);
  for (let r = 0; r < data.rowCount; r++) features.set(data.features.subarray(r * width, (r + 1) * width), r * count);
  return { ...data, featureNames: indexedFeatureNames(count), features };
}
