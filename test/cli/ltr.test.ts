// `quiver ltr train` / `quiver ltr eval` through the real CLI on small svmlight files: what they print and write,
// qid: and group files, validation with early stopping, and refusals of bad flags and bad files.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadLambdaMart } from '../../src/rank/ltr/model-file.js';
import { mulberry32 } from '../../src/util/random.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
/** svmlight lines whose grade is a function of features 1 and 2 (feature 3 is noise); qid: or a group file. */
function writeSet(name: string, seed: number, queries: number, withQid: boolean): void {
  const random = mulberry32(seed);
  const lines: string[] = [];
  for (let q = 0; q < queries; q++) {
    for (let d = 0; d < 12; d++) {
      const x = [random(), random(), random()];
      const label = Math.min(4, Math.floor(3 * x[0] + 1.5 * x[1]));
      lines.push(`${label}${withQid ? ` qid:${q}` : ''} ${x.map((v, i) => `${i + 1}:${v.toFixed(3)}`).join(' ')}`);
    }
  }
  writeFileSync(join(dir, `${name}.svm`), lines.join('\n'));
  if (!withQid) writeFileSync(join(dir, `${name}.query`), `${new Array(queries).fill(12).join('\n')}\n`);
}
writeSet('train', 1, 60, true);
writeSet('valid', 2, 20, false);
writeSet('test', 3, 20, true);
const at = (name: string) => join(dir, name);

test('train writes a model; eval --json prints exactly ndcg@1/3/5/10 and map', () => {
  const model = at('model.json');
  const trained = runCli(['ltr', 'train', '--train', at('train.svm'), '--valid', at('valid.svm'), '--valid-group', at('valid.query'), '--model', model,
    '--trees', '40', '--leaves', '7', '--lr', '0.2', '--min-data', '5', '--early-stop', '10', '--seed', '3', '--json']);
  assert.equal(trained.status, 0, trained.stderr);
  const summary = JSON.parse(trained.stdout);
  assert.deepEqual(Object.keys(summary), ['model', 'rounds', 'trees', 'train_s', 'valid_ndcg@10']);
  assert.ok(summary.trees >= 1 && summary.trees <= 40);
  assert.equal(loadLambdaMart(model).params.leaves, 7);

  const evaluated = runCli(['ltr', 'eval', '--model', model, '--test', at('test.svm'), '--json']);
  assert.equal(evaluated.status, 0, evaluated.stderr);
  const metrics = JSON.parse(evaluated.stdout);
  assert.deepEqual(Object.keys(metrics), ['ndcg@1', 'ndcg@3', 'ndcg@5', 'ndcg@10', 'map']);
  assert.ok(metrics['ndcg@10'] > 0.85, JSON.stringify(metrics));

  const human = runCli(['ltr', 'eval', '--model', model, '--test', at('test.svm')]);
  assert.match(human.stdout, /^metric\s+value\n/);
  assert.match(runCli(['ltr', 'eval', '--help']).stdout, /relevant\s+= label > 0/);
});

test('bad flags fail before any work, naming the flag', () => {
  const base = ['ltr', 'train', '--train', at('train.svm'), '--model', at('never.json')];
  const cases: Array<[string[], RegExp]> = [
    [[...base, '--lr', '0'], /--lr must be a number in \[0\.000001, 1\], got "0"/],
    [[...base, '--leaves', '1'], /--leaves must be an integer in \[2, 4096\]/],
    [[...base, '--trees', '2.5'], /--trees must be an integer/],
    [[...base, '--subsample', 'abc'], /--subsample must be a number/],
    [[...base, '--early-stop', '5'], /--early-stop needs --valid/],
    [[...base, '--valid-group', at('valid.query')], /--valid-group needs --valid/],
    [['ltr', 'train', '--train', at('train.svm')], /required option '--model <file>'/],
    [['ltr', 'eval', '--model', at('never.json')], /required option '--test <file>'/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, message);
  }
});

test('bad files are refused with their code and location', () => {
  writeFileSync(at('bad.svm'), '1 qid:1 1:0.5\n2 qid:1 0:0.3\n');
  writeFileSync(at('short.query'), '5\n');
  writeFileSync(at('bad-model.json'), '{"format":"quiver.lambdamart","version":9}');
  const cases: Array<[string[], RegExp]> = [
    [['ltr', 'train', '--train', at('bad.svm'), '--model', at('m.json')], /error \[LTR_BAD_DATA\]: .*bad\.svm:2: feature index "0" is not an integer ≥ 1/],
    [['ltr', 'train', '--train', at('valid.svm'), '--train-group', at('short.query'), '--model', at('m.json')], /error \[LTR_BAD_DATA\]: .*short\.query: group sizes sum to 5, but .*valid\.svm has 240 rows/],
    [['ltr', 'train', '--train', at('absent.svm'), '--model', at('m.json')], /error \[FILE_UNREADABLE\]/],
    [['ltr', 'eval', '--model', at('bad-model.json'), '--test', at('test.svm')], /error \[MODEL_VERSION\]/],
    [['ltr', 'eval', '--model', at('model.json'), '--test', at('valid.svm')], /error \[LTR_BAD_DATA\]: .*no qid: and no group file/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.equal(r.status, 1, `${args.join(' ')}\n${r.stderr}`);
    assert.match(r.stderr, message);
  }
});
