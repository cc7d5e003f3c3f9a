// `quiver generate-stream` and `quiver eval strategies` through the real CLI: output shapes, flags, errors.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatStream, parseStream } from '../../src/eval/stream.js';
import { runCli } from '../helpers/cli.js';
import { TINY_CATALOG, TINY_STREAM } from '../helpers/tiny-stream.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const catalog = join(dir, 'catalog.jsonl');
writeFileSync(catalog, TINY_CATALOG.map((e) => JSON.stringify(e)).join('\n'));
const stream = join(dir, 'q.jsonl');
writeFileSync(stream, formatStream(TINY_STREAM));

test('eval strategies --json prints exactly one JSON object of the documented shape', () => {
  const r = runCli(['eval', 'strategies', '--catalog', catalog, '--stream', stream, '--k', '2', '--strategies', 'lexical,popular,fresh', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(report), ['k', 'queries', 'strategies', 'all', 'winners']);
  assert.deepEqual(Object.keys(report.strategies), ['lexical', 'popular', 'fresh']);
  for (const s of [...Object.values(report.strategies), report.all] as Array<Record<string, unknown>>) {
    assert.deepEqual(Object.keys(s), ['recall', 'target_recall', 'mean_ms', 'p50_ms', 'p99_ms', 'by_label']);
    assert.deepEqual(Object.keys(s.by_label as object), ['exact-title', 'artist', 'fresh']);
  }
  assert.equal(report.strategies.lexical.recall, 0.75);
  assert.equal(report.all.recall, 1);
  assert.deepEqual(report.winners, { 'exact-title': 'lexical', artist: 'lexical', fresh: 'fresh' });

  const text = runCli(['eval', 'strategies', '--catalog', catalog, '--stream', stream, '--k', '2', '--markdown']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^\| strategy \| recall \| target_recall \| mean_ms \| p50_ms \| p99_ms \| exact-title \(2\) \| artist \(1\) \| fresh \(1\) \|/);
  assert.match(text.stdout, /\| lexical \| 0\.7500 \| 0\.6250 \|.* \| \*\*1\.0000\*\* \| \*\*1\.0000\*\* \| 0\.0000 \|/);
  assert.match(text.stdout, /\| all \| 1\.0000 \| 1\.0000 \|/);
});

test('eval strategies refuses bad flags and bad streams, naming the flag or file:line and field', () => {
  const k = runCli(['eval', 'strategies', '--catalog', catalog, '--stream', stream, '--k', '0']);
  assert.match(k.stderr, /--k must be an integer in \[1, 10000\], got "0"/);
  const unknown = runCli(['eval', 'strategies', '--catalog', catalog, '--stream', stream, '--strategies', 'lexical,psychic']);
  assert.match(unknown.stderr, /--strategies: unknown strategy "psychic" \(known: lexical, [^)]*explore/);
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, `${JSON.stringify(TINY_STREAM[0])}\n{"query":"x","targets":["t:99"]}\n`);
  const refused = runCli(['eval', 'strategies', '--catalog', catalog, '--stream', bad]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /error \[STREAM_INVALID\]: query stream refused: 1 invalid line; first: bad\.jsonl:2: field "targets" names entity "t:99", which is not in the catalogue/);
});

test('generate-stream writes a valid stream, the same for the same seed; bad flags are refused', () => {
  const args = ['generate-stream', '--catalog', catalog, '--n', '30', '--seed', '3', '--mix', 'artist=1,exact-title=2,personal=1'];
  const first = runCli(args);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /^30 query events: /);
  const events = parseStream(first.stdout, 'stdout', { isKnownId: (id) => TINY_CATALOG.some((e) => e.id === id) });
  assert.equal(events.length, 30);
  assert.deepEqual(new Set(events.map((e) => e.label)), new Set(['artist', 'exact-title', 'personal']));
  assert.equal(runCli(args).stdout, first.stdout);

  const out = join(dir, 'generated.jsonl');
  const piped = runCli(['eval', 'strategies', '--catalog', catalog, '--stream', '-', '--k', '5', '--json'], first.stdout);
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(JSON.parse(piped.stdout).queries, 30);
  assert.equal(runCli([...args, '--out', out]).status, 0);
  assert.equal(readFileSync(out, 'utf8'), first.stdout);
  const unwritable = runCli([...args, '--out', join(dir, 'no-such-dir', 'generated.jsonl')]);
  assert.equal(unwritable.status, 1);
  assert.match(unwritable.stderr, /error \[FILE_UNWRITABLE\]: .*no-such-dir\/generated\.jsonl: cannot be written \(ENOENT/);

  assert.match(runCli([...args, '--mix', 'typo=1']).stderr, /--mix: unknown label "typo" \(known: exact-title, artist, misspelled/);
  assert.match(runCli([...args, '--taste-bias', '2']).stderr, /--taste-bias must be a number in \[0, 1\], got "2"/);
  const impossible = runCli(['generate-stream', '--catalog', catalog, '--n', '5', '--mix', 'topical=1']);
  assert.equal(impossible.status, 1);
  assert.match(impossible.stderr, /error \[STREAM_STYLE_IMPOSSIBLE\]: cannot generate "topical" queries from this catalogue/);
});
