// The svmlight reader: qid: and group files, comments, the dense layout, and a clear refusal naming file:line
// for every kind of bad input; plus the real LightGBM example files (gzipped) as they are.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSvmlight, readSvmlight, withFeatureCount } from '../../../src/rank/ltr/svmlight.js';
import { refusal } from '../../helpers/refusal.js';
import { tempDir } from '../../helpers/tmp.js';

const EXAMPLE = new URL('../../../../shared/data/lightgbm-lambdarank-example/', import.meta.url).pathname;

test('qid: rows become contiguous queries; missing features are 0; comments and blank lines are skipped', () => {
  const text = '# header comment\n2 qid:1 1:0.5 3:2 # doc a\n0 qid:1 2:1\n\n1 qid:7 1:-1.5e-1\n';
  const data = parseSvmlight(text, 'x.svm');
  assert.deepEqual(data.featureNames, ['f1', 'f2', 'f3']);
  assert.equal(data.rowCount, 3);
  assert.deepEqual([...data.labels], [2, 0, 1]);
  assert.deepEqual([...data.groupOffsets], [0, 2, 3]);
  assert.deepEqual([...data.features], [0.5, 0, 2, 0, 1, 0, Math.fround(-0.15), 0, 0]);
});

test('a group file gives the queries of rows without qid:, and featureCount widens the rows', () => {
  const data = parseSvmlight('1 1:1\n0 2:1\n0 1:3\n', 'x.svm', { groupText: '2\n1\n', groupWhere: 'x.query', featureCount: 4 });
  assert.deepEqual([...data.groupOffsets], [0, 2, 3]);
  assert.equal(data.featureNames.length, 4);
  assert.deepEqual(withFeatureCount(data, 5).featureNames, ['f1', 'f2', 'f3', 'f4', 'f5']);
  assert.equal(refusal(() => withFeatureCount(data, 3)).code, 'LTR_BAD_DATA');
});

test('bad lines are refused naming file:line and what is wrong', () => {
  const cases: Array<[string, RegExp, { groupText?: string }?]> = [
    ['1 qid:1 1:1\nx qid:1 1:1\n', /^x\.svm:2: label "x" is not a number/],
    ['-1 qid:1 1:1\n', /^x\.svm:1: label -1 is not a relevance grade/],
    ['1 qid:1 0:1\n', /^x\.svm:1: feature index "0" is not an integer ≥ 1/],
    ['1 qid:1 1.5:1\n', /^x\.svm:1: feature index "1\.5" is not an integer ≥ 1/],
    ['1 qid:1 -2:1\n', /feature index "-2"/],
    ['1 qid:1 3:1 2:1\n', /^x\.svm:1: feature 2 after feature 3: indices must increase/],
    ['1 qid:1 1:abc\n', /^x\.svm:1: feature 1: value "abc" is not a finite number/],
    ['1 qid:1 7\n', /"7" is not <index>:<value>/],
    ['1 qid:2 1:1\n1 qid:1 1:1\n', /^x\.svm:2: qid 1 after qid 2 \(line 1\): rows must be sorted by qid/],
    ['1 qid:a 1:1\n', /qid "a" is not a non-negative integer/],
    ['1 qid:1 1:1\n1 1:1\n', /^x\.svm:2: has no qid: but the rows before it do/],
    ['1 1:1\n', /^x\.svm: rows have no qid: and no group file/],
    ['# nothing\n', /^x\.svm: no rows/],
    ['1 1:1\n1 1:1\n', /^x\.query: group sizes sum to 3, but x\.svm has 2 rows/, { groupText: '1\n2\n' }],
    ['1 1:1\n', /^x\.query:1: group size "one" is not an integer ≥ 1/, { groupText: 'one\n' }],
    ['1 qid:1 1:1\n', /carry qid: and a group file/, { groupText: '1\n' }],
  ];
  for (const [text, message, options] of cases) {
    const err = refusal(() => parseSvmlight(text, 'x.svm', { ...options, groupWhere: 'x.query' }));
    assert.equal(err.code, 'LTR_BAD_DATA', text);
    assert.match(err.message, message, text);
  }
  assert.match(refusal(() => parseSvmlight('1 qid:1 5:1\n', 'x.svm', { featureCount: 4 })).message, /x\.svm:1: feature 5 is beyond the 4 features expected/);
});

test('files are read from disk, gunzipped by name; a missing file is FILE_UNREADABLE', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.svm'), '1 1:1\n0 1:2\n');
  writeFileSync(join(dir, 'a.query'), '2\n');
  assert.equal(readSvmlight(join(dir, 'a.svm'), { groupPath: join(dir, 'a.query') }).rowCount, 2);
  assert.equal(refusal(() => readSvmlight(join(dir, 'missing.svm'))).code, 'FILE_UNREADABLE');
  const train = readSvmlight(join(EXAMPLE, 'rank.train.gz'), { groupPath: join(EXAMPLE, 'rank.train.query') });
  assert.equal(train.rowCount, 3005);
  assert.equal(train.groupOffsets.length - 1, 201);
  assert.equal(train.featureNames.length, 300);
});
