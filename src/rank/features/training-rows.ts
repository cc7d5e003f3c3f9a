/**
 * Training rows: feature vectors with relevance labels, written as svmlight text for the LambdaMART trainer (and
 * XGBoost / LightGBM alike), one line per candidate:
 *
 *   <label> qid:<qid> <j>:<value> … # <entity id>
 *
 * with 1-based feature numbers in the feature set's order and zeros left out (the sparse convention every
 * reader shares). Values are written in full (shortest round-trip form), so a model trained on the file sees
 * exactly the numbers serving computes. Beside the rows: `<file>.query`, the group sizes one per line (for
 * readers without qid support), `<file>.weight` when rows carry weights (inverse-propensity weights for
 * clicks, LightGBM's convention), and `<file>.features.json`, the feature set's name, version and feature list,
 * so a trainer can refuse a file made with another set. Everything is written to temporary files and renamed at
 * `close()`, so a failed run never leaves a half-written data set behind.
 *
 * The same writer serves logged impressions (features as computed when the results were shown, labels from the
 * feedback: `gradesFromFeedback`) and offline judged sets (labels from judgements).
 */
import { createError } from '../../errors.js';
import { AtomicFileWriter } from '../../util/atomic-file.js';
import { DEFAULT_ENGAGEMENT, engagedEntities, engagementWeight, type EngagementWeights, type FeedbackEvent } from '../../feedback/event.js';
import type { FeatureMatrix, FeatureSetDescription } from './feature-set.js';

export interface TrainingQuery {
  /** The query's group id: a non-negative integer, the same for all its rows. */
  qid: number;
  features: FeatureMatrix;
  /** One graded label per row (non-negative, finite). */
  labels: ArrayLike<number>;
  /** One weight per row (positive, finite), when the data set is weighted. */
  weights?: ArrayLike<number>;
}

/** The svmlight lines of one query's rows. */
export function svmlightLines(query: TrainingQuery): string[] {
  checkQuery(query);
  const { features, labels, qid } = query;
  const width = features.width;
  const values = features.values;
  const lines: string[] = [];
  for (let i = 0; i < features.rows; i++) {
    let line = `${labels[i]} qid:${qid}`;
    const base = i * width;
    for (let j = 0; j < width; j++) {
      const v = values[base + j];
      if (v !== 0) line += ` ${j + 1}:${v}`;
    }
    lines.push(`${line} # ${features.ids[i]}`);
  }
  return lines;
}

function checkQuery(query: TrainingQuery): void {
  const where = `query ${query.qid}`;
  if (!Number.isInteger(query.qid) || query.qid < 0) throw createError('TRAINING_ROWS_BAD_INPUT', where, `qid must be an integer ≥ 0, got ${query.qid}`);
  const rows = query.features.rows;
  if (query.labels.length !== rows) throw createError('TRAINING_ROWS_BAD_INPUT', where, `${query.labels.length} labels for ${rows} rows`);
  for (let i = 0; i < rows; i++) {
    const label = query.labels[i];
    if (!(Number.isFinite(label) && label >= 0)) throw createError('TRAINING_ROWS_BAD_INPUT', `${where}, row ${i + 1}`, `label must be a finite number ≥ 0, got ${label}`);
  }
  if (query.weights) {
    if (query.weights.length !== rows) throw createError('TRAINING_ROWS_BAD_INPUT', where, `${query.weights.length} weights for ${rows} rows`);
    for (let i = 0; i < rows; i++) {
      const w = query.weights[i];
      if (!(Number.isFinite(w) && w > 0)) throw createError('TRAINING_ROWS_BAD_INPUT', `${where}, row ${i + 1}`, `weight must be a finite number > 0, got ${w}`);
    }
  }
  for (let k = 0; k < query.features.values.length; k++) {
    if (!Number.isFinite(query.features.values[k])) {
      const row = Math.floor(k / query.features.width);
      throw createError('TRAINING_ROWS_BAD_INPUT', `${where}, row ${row + 1}`, `feature "${query.features.names[k % query.features.width]}" is ${query.features.values[k]}`);
    }
  }
}

/**
 * Graded labels from feedback: per id, the strongest engagement's weight rounded up, at most 4 (click and dwell 1,
 * play 2, like 2, favourite 3 with the default weights); 0 for no engagement, skips, short plays and an id whose
 * events net to no engagement (a click taken back by a skip: `engagedEntities`). Events for other queries or ids
 * are the caller's to leave out.
 */
export function gradesFromFeedback(ids: readonly string[], events: readonly FeedbackEvent[], weights: EngagementWeights = DEFAULT_ENGAGEMENT): Float64Array {
  const best = new Map<string, number>();
  for (const event of events) {
    const w = engagementWeight(event, weights);
    if (w > (best.get(event.entityId) ?? 0)) best.set(event.entityId, w);
  }
  const engaged = engagedEntities(events, weights);
  return Float64Array.from(ids, (id) => (engaged.has(id) ? Math.min(4, Math.ceil(best.get(id) ?? 0)) : 0));
}

export interface TrainingRowsSummary {
  path: string;
  queries: number;
  rows: number;
  /** Rows with each label, by label. */
  labels: Record<string, number>;
}

/** Writes one svmlight data set (rows, group file, optional weights, feature list); see the module comment. */
export class TrainingRowsWriter {
  private readonly files: AtomicFileWriter[] = [];
  private queries = 0;
  private rows = 0;
  private readonly labels: Record<string, number> = {};
  private lastQid = -1;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly featureSet: FeatureSetDescription,
    private readonly weighted = false,
  ) {
    try {
      for (const suffix of ['', '.query', ...(weighted ? ['.weight'] : []), '.features.json']) this.files.push(new AtomicFileWriter(path + suffix));
    } catch (err) {
      for (const f of this.files) f.abort();
      throw err;
    }
  }

  add(query: TrainingQuery): void {
    if (this.closed) throw createError('TRAINING_ROWS_BAD_INPUT', this.path, 'the writer is closed');
    if (query.qid === this.lastQid) throw createError('TRAINING_ROWS_BAD_INPUT', `query ${query.qid}`, 'the same qid as the query before it: a group must be written at once');
    if (this.weighted !== (query.weights !== undefined)) {
      throw createError('TRAINING_ROWS_BAD_INPUT', `query ${query.qid}`, this.weighted ? 'weights are missing in a weighted data set' : 'weights given to an unweighted data set');
    }
    const names = query.features.names;
    if (names.length !== this.featureSet.features.length || names.some((n, j) => n !== this.featureSet.features[j].name)) {
      throw createError('FEATURES_MISMATCH', `query ${query.qid}`, `its features are not ${this.featureSet.name} v${this.featureSet.version} as this data set's`);
    }
    if (query.features.rows === 0) return; // an empty group teaches nothing, and some readers refuse it
    const lines = svmlightLines(query);
    this.files[0].write(lines.join('\n') + '\n');
    this.files[1].write(`${lines.length}\n`);
    if (query.weights) this.files[2].write(Array.from(query.weights, String).join('\n') + '\n');
    for (let i = 0; i < lines.length; i++) this.labels[query.labels[i]] = (this.labels[query.labels[i]] ?? 0) + 1;
    this.queries++;
    this.rows += lines.length;
    this.lastQid = query.qid;
  }

  /** Writes the feature list and moves every file into place. */
  close(): TrainingRowsSummary {
    if (!this.closed) {
      this.closed = true;
      this.files[this.files.length - 1].write(JSON.stringify(this.featureSet, null, 1) + '\n');
      for (const f of this.files) f.commit();
    }
    return { path: this.path, queries: this.queries, rows: this.rows, labels: { ...this.labels } };
  }

  /** Drops the temporary files without writing anything. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.files) f.abort();
  }
}
