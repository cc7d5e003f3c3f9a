// quiver train and quiver models: on-demand retraining into a model registry (worker thread, hold-out judged
// promotion), listing, promotion and rollback by version, and refusals naming the flag or the file.
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const DATA = join(import.meta.dirname, '../../../shared/data/lightgbm-lambdarank-example');
const rows = join(dir, 'rows.svm.gz');
copyFileSync(join(DATA, 'rank.train.gz'), rows);
copyFileSync(join(DATA, 'rank.train.query'), `${rows}.query`);
const models = join(dir, 'models');
const json = (r: { status: number | null; stdout: string; stderr: string }) => {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
};

test('train makes versions, promotes only a model not worse on the hold-out; models lists, promotes and rolls back', () => {
  const first = json(runCli(['train', '--rows', rows, '--models', models, '--trees', '30', '--json']));
  assert.equal(first.version, 1);
  assert.equal(first.promoted, true);
  assert.equal(first.current, 1);
  // One tree of two leaves ranks the held-out queries worse than thirty trees: kept, not promoted.
  const weak = json(runCli(['train', '--rows', rows, '--models', models, '--trees', '1', '--leaves', '2', '--json']));
  assert.equal(weak.version, 2);
  assert.equal(weak.promoted, false, weak.reason);
  assert.ok(weak.holdout.ndcg < weak.holdout.currentNdcg);
  assert.equal(weak.holdout.against, 'v1');
  const listed = json(runCli(['models', '--models', models, '--json']));
  assert.equal(listed.current, 1);
  assert.deepEqual(listed.versions.map((v: { version: number; promoted: boolean }) => [v.version, v.promoted]), [[1, true], [2, false]]);
  assert.equal(json(runCli(['models', '--models', models, '--promote', '2', '--json'])).current, 2);
  assert.equal(json(runCli(['models', '--models', models, '--rollback', '--json'])).current, 1);
  assert.equal(json(runCli(['models', '--models', models, '--rollback', '2', '--json'])).current, 2);
  assert.match(runCli(['models', '--models', models]).stdout, /current: 2/);
});

test('train and models refuse bad flags, unknown versions and unreadable files', () => {
  const refused = (args: string[], message: RegExp) => {
    const r = runCli(args);
    assert.equal(r.status, 1, `${args.join(' ')} should fail`);
    assert.match(r.stderr, message);
  };
  refused(['train', '--rows', rows, '--models', models, '--holdout', '2'], /--holdout/);
  refused(['train', '--rows', join(dir, 'missing.svm'), '--models', models], /FILE_UNREADABLE.*missing\.svm/);
  const badRows = join(dir, 'bad.svm');
  writeFileSync(badRows, '1 qid:1 1:0.5\nx qid:1 1:0.2\n');
  refused(['train', '--rows', badRows, '--models', models], /bad\.svm:2/);
  refused(['models', '--models', models, '--promote', '9'], /MODEL_UNKNOWN_VERSION.*no model version 9/);
  refused(['models', '--models', models, '--promote', 'x'], /a model version is an integer ≥ 1, got "x"/);
  refused(['models', '--models', join(dir, 'nowhere')], /no such model registry/);
});
