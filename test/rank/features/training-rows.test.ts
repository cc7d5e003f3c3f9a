// Training rows and labels: svmlight lines that read back to exactly the computed values, a group file that matches,
// weights and the feature list beside them, grades from feedback, and refusals that leave nothing half-written.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FeatureMatrix, type FeatureSetDescription } from '../../../src/rank/features/feature-set.js';
import { gradesFromFeedback, svmlightLines, TrainingRowsWriter } from '../../../src/rank/features/training-rows.js';
import { streamGrades } from '../../../src/rank/features/stream-labels.js';
import { SearchIndex } from '../../../src/index/search-index.js';
import { TINY_CATALOG } from '../../helpers/tiny-stream.js';
import { feedback } from '../../helpers/demo-index.js';
import { refusal } from '../../helpers/refusal.js';
import { tempDir } from '../../helpers/tmp.js';

const NAMES = ['bm25f', 'dense.cosine', 'prov.lexical.rr'];
const DESCRIPTION: FeatureSetDescription = { name: 'quiver.features', version: 1, features: NAMES.map((name) => ({ name, description: `the ${name}` })) };
const matrix = (ids: string[], values: number[]) => new FeatureMatrix(NAMES, ids, Float64Array.from(values));

/** A plain svmlight parser, for reading back. */
function parse(line: string): { label: number; qid: number; values: number[]; id: string } {
  const [data, id] = line.split(' # ');
  const [label, qid, ...pairs] = data.split(' ');
  const values = NAMES.map(() => 0);
  for (const p of pairs) {
    const [j, v] = p.split(':');
    values[Number(j) - 1] = Number(v);
  }
  return { label: Number(label), qid: Number(qid.slice(4)), values, id };
}

test('svmlight lines: label, qid, 1-based features without zeros, the id as a comment; values read back exactly', () => {
  const values = [1 / 3, 0, 0.1 + 0.2, 0, 0, 0, 12345.678901234567, -2e-17, 1];
  const lines = svmlightLines({ qid: 7, features: matrix(['t:1', 'a:2', 'al:3'], values), labels: [4, 0, 1] });
  assert.deepEqual(lines[1], '0 qid:7 # a:2');
  assert.equal(lines[0], `4 qid:7 1:${1 / 3} 3:${0.1 + 0.2} # t:1`);
  lines.forEach((line, i) => {
    const row = parse(line);
    assert.deepEqual(row.values, values.slice(i * 3, i * 3 + 3));
    assert.equal(row.qid, 7);
  });
});

test('a data set: rows, group sizes, weights and the feature list, moved into place at close', () => {
  const dir = tempDir();
  const path = join(dir, 'train.svm');
  const writer = new TrainingRowsWriter(path, DESCRIPTION, true);
  writer.add({ qid: 1, features: matrix(['x', 'y'], [1, 2, 3, 4, 5, 6]), labels: [4, 0], weights: [1.5, 2] });
  writer.add({ qid: 2, features: matrix([], []), labels: [], weights: [] }); // empty: skipped
  writer.add({ qid: 3, features: matrix(['z'], [0, 0, 9]), labels: [2], weights: [1] });
  assert.equal(existsSync(path), false, 'nothing in place before close');
  const summary = writer.close();
  assert.deepEqual(summary, { path, queries: 2, rows: 3, labels: { 4: 1, 0: 1, 2: 1 } });
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  assert.deepEqual(lines.map((l) => parse(l).qid), [1, 1, 3]);
  assert.deepEqual(readFileSync(`${path}.query`, 'utf8'), '2\n1\n');
  assert.deepEqual(readFileSync(`${path}.weight`, 'utf8'), '1.5\n2\n1\n');
  assert.deepEqual(JSON.parse(readFileSync(`${path}.features.json`, 'utf8')), DESCRIPTION);
  assert.deepEqual(readdirSync(dir).sort(), ['train.svm', 'train.svm.features.json', 'train.svm.query', 'train.svm.weight']);
});

test('bad rows are refused by query and row; an aborted writer leaves nothing', () => {
  const dir = tempDir();
  const writer = new TrainingRowsWriter(join(dir, 'x.svm'), DESCRIPTION);
  const m = matrix(['a', 'b'], [1, 2, 3, 4, 5, 6]);
  const bad = [
    () => writer.add({ qid: 1, features: m, labels: [1] }),
    () => writer.add({ qid: 1, features: m, labels: [1, -1] }),
    () => writer.add({ qid: 1.5, features: m, labels: [1, 1] }),
    () => writer.add({ qid: 1, features: m, labels: [1, 1], weights: [1, 1] }),
    () => writer.add({ qid: 1, features: matrix(['a'], [1, Number.NaN, 3]), labels: [1] }),
  ];
  for (const make of bad) assert.equal(refusal(make).code, 'TRAINING_ROWS_BAD_INPUT');
  assert.match(refusal(bad[1]).message, /query 1, row 2: label must be a finite number ≥ 0, got -1/);
  assert.match(refusal(bad[4]).message, /feature "dense.cosine" is NaN/);
  const other = new FeatureMatrix(['bm25f', 'other', 'prov.lexical.rr'], ['a'], Float64Array.from([1, 2, 3]));
  assert.equal(refusal(() => writer.add({ qid: 1, features: other, labels: [1] })).code, 'FEATURES_MISMATCH');
  writer.add({ qid: 1, features: m, labels: [1, 0] });
  assert.equal(refusal(() => writer.add({ qid: 1, features: m, labels: [1, 0] })).code, 'TRAINING_ROWS_BAD_INPUT');
  writer.abort();
  assert.deepEqual(readdirSync(dir), []);
  // A directory that is not there fails when the writer is made, naming the file, with nothing left behind.
  const unwritable = refusal(() => new TrainingRowsWriter(join(dir, 'missing', 'y.svm'), DESCRIPTION));
  assert.equal(unwritable.code, 'FILE_UNWRITABLE');
  assert.match(unwritable.message, /missing\/y\.svm: cannot be written \(ENOENT/);
});

test('grades from feedback: the strongest engagement rounded up; skips, short plays and clicks taken back 0', () => {
  const events = [
    feedback('q', 'a', 'click'),
    feedback('q', 'b', 'favorite'),
    feedback('q', 'b', 'click'),
    feedback('q', 'c', 'skip'),
    { ...feedback('q', 'd', 'play'), value: 5 },
    feedback('q', 'e', 'play'),
    feedback('q', 'f', 'like'),
    feedback('q', 'h', 'click'),
    feedback('q', 'h', 'skip'),
    feedback('q', 'i', 'like'),
    feedback('q', 'i', 'skip'),
  ];
  assert.deepEqual([...gradesFromFeedback(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], events)], [1, 3, 0, 0, 2, 2, 0, 0, 2]);
});

test('stream grades: 4 for a target, 1 for its artist or the artist’s other works, else 0', () => {
  const index = SearchIndex.build(TINY_CATALOG);
  // t:1 (Love Story, by a:1) is the target: a:1 and t:4 (also by a:1) are related; t:2, t:3 are not (no relation).
  assert.deepEqual([...streamGrades(index, ['t:1'], ['t:2', 'a:1', 't:1', 't:4', 't:3'])], [0, 1, 4, 1, 0]);
  // An artist target: its works get 1.
  assert.deepEqual([...streamGrades(index, ['a:1'], ['a:1', 't:4', 't:2'])], [4, 1, 0]);
});
