import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { STRATEGY_FACTORIES } from '../../src/retrieval/registry.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const ROWS = [
  { id: 'a:1', type: 'artist', title: 'Taylor Swift', popularity: 95, attributes: { genre: { pop: 0.9, country: 0.5 } } },
  { id: 't:1', type: 'track', title: 'Love Story', fields: { artist: 'Taylor Swift' }, popularity: 87, attributes: { genre: { country: 0.8, pop: 0.6 }, tempo: 119 }, relations: { artist: ['a:1'] } },
  { id: 't:2', type: 'track', title: 'Crazy in Love', fields: { artist: 'Beyoncé' }, popularity: 80, attributes: { genre: { pop: 0.4 }, tempo: 99 } },
  { id: 't:3', type: 'track', title: 'Lovesick', fields: { artist: 'Mura Masa' }, popularity: 60, attributes: { genre: 'electronic', tempo: 130 } },
];

function catalog(rows: unknown[]): string {
  const path = join(tempDir(), 'catalog.jsonl');
  writeFileSync(path, rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n'));
  return path;
}

test('index then search, with type, filters, explain and JSON output', () => {
  const out = join(tempDir(), 'idx');
  const built = runCli(['index', catalog(ROWS), '--out', out, '--json', '--popularity-weight', '0.5']);
  assert.equal(built.status, 0, built.stderr);
  const summary = JSON.parse(built.stdout);
  assert.deepEqual(summary.byType, { artist: 1, track: 3 });
  assert.equal(summary.entities, 4);
  assert.ok(existsSync(join(out, 'manifest.json')));

  const search = (...args: string[]) => {
    const r = runCli(['search', '--index', out, '--json', ...args]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  assert.deepEqual(search('love').results.map((r: { id: string }) => r.id), ['t:1', 't:2']);
  assert.deepEqual(search('taylor swift', '--type', 'artist').results.map((r: { id: string }) => r.id), ['a:1']);
  assert.deepEqual(search('love', '--filter', 'genre=pop@0.5').results.map((r: { id: string }) => r.id), ['t:1']);
  assert.deepEqual(search('love', '--filter', 'tempo<100').results.map((r: { id: string }) => r.id), ['t:2']);
  const explained = search('love story', '--explain', '--k', '1').results[0];
  assert.ok(Math.abs(explained.explanation.value - explained.score) < 1e-9);
  assert.match(JSON.stringify(explained.explanation), /k1, term saturation parameter/);

  const text = runCli(['search', '--index', out, 'love story', '--explain']);
  assert.match(text.stdout, /Love Story — Taylor Swift/);
  assert.match(text.stdout, /field "title": weight · tf/);
});

test('a bad catalogue is refused with file, line and field, and no index is written', () => {
  const out = join(tempDir(), 'idx');
  const r = runCli(['index', catalog([...ROWS, { id: 't:9', type: 'track', title: 'X', popularity: -3 }]), '--out', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /error \[CATALOG_INVALID\]: catalogue refused: 1 invalid row, nothing was loaded; first: catalog.jsonl:5: field "popularity" must be a number ≥ 0/);
  assert.ok(!existsSync(out));
  const skipped = runCli(['index', catalog([...ROWS, '{oops']), '--out', out, '--skip-invalid', '--json']);
  assert.equal(skipped.status, 0, skipped.stderr);
  assert.equal(JSON.parse(skipped.stdout).skipped, 1);
});

test('bad flags fail before any work, naming the flag and its range', () => {
  const r = runCli(['index', catalog(ROWS), '--out', join(tempDir(), 'i'), '--k1', '-1']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--k1 must be a number in \[0, 100\], got "-1"/);
  const stem = runCli(['index', catalog(ROWS), '--out', join(tempDir(), 'i'), '--stem', 'latin']);
  assert.equal(stem.status, 1);
  assert.match(stem.stderr, /option "analyzer.stem" is "latin"; it must be one of "none", "english"/);
  const filter = runCli(['search', '--index', join(tempDir(), 'i'), 'x', '--filter', 'tempo>fast']);
  assert.match(filter.stderr, /filter "tempo>fast": "fast" is not a number/);
  const missing = runCli(['search', '--index', join(tempDir(), 'none'), 'x']);
  assert.match(missing.stderr, /no index snapshot here/);
});

test('eval adhoc prints exactly one JSON object with the metrics', { skip: !existsSync(new URL('../../../shared/data/cisi/beir', import.meta.url)) && 'no ../shared' }, () => {
  const r = runCli(['eval', 'adhoc', '--beir', new URL('../../../shared/data/cisi/beir', import.meta.url).pathname, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(report), ['queries', 'ndcg@10', 'map', 'mrr@10', 'recall@100', 'ms_per_query']);
  assert.equal(report.queries, 76);
});

test('--config takes index options from JSON, flags override it, and bad files are named', () => {
  const dir = tempDir();
  const config = join(dir, 'options.json');
  writeFileSync(config, JSON.stringify({ popularityWeight: 2, fields: { title: { weight: 3 }, artist: { analyzer: { stem: 'none' } } } }));
  const out = join(dir, 'idx');
  const r = runCli(['index', catalog(ROWS), '--out', out, '--config', config, '--k1', '0.9', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.options.popularityWeight, 2);
  assert.equal(manifest.options.k1, 0.9);
  assert.equal(manifest.options.fields.title.weight, 3);
  assert.equal(manifest.options.fields.artist.analyzer.stem, 'none');
  writeFileSync(config, '{"fields": {"title": {"weight": -1}}}');
  const bad = runCli(['index', catalog(ROWS), '--out', out, '--config', config]);
  assert.match(bad.stderr, /option "fields.title.weight" is -1; it must be a number in \[0, 1000\]/);
  writeFileSync(config, '{oops');
  assert.match(runCli(['index', catalog(ROWS), '--out', out, '--config', config]).stderr, /--config.*a JSON object of index options/);
});

test('search --strategies runs a retrieval plan and shows the union with provenance', () => {
  const out = join(tempDir(), 'idx');
  assert.equal(runCli(['index', catalog(ROWS), '--out', out]).status, 0);
  const r = runCli(['search', '--index', out, 'love', '--strategies', 'lexical,popular', '--budget', 'lexical=5,popular=2', '--explain', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(result.plan, { lexical: 5, popular: 2 });
  assert.deepEqual(result.runs.map((run: { strategy: string; count: number }) => [run.strategy, run.count]), [['lexical', 2], ['popular', 2]]);
  const loveStory = result.results.find((x: { id: string }) => x.id === 't:1');
  assert.deepEqual(loveStory.provenance.map((p: { strategy: string }) => p.strategy), ['lexical', 'popular']);
  assert.ok(loveStory.explanations.lexical.value > 0 && loveStory.explanations.popular.value > 0);
  const bad = runCli(['search', '--index', out, 'love', '--strategies', 'lexical,telepathy']);
  // The known list is the registry's, whatever strategies it holds.
  assert.ok(bad.stderr.includes(`unknown strategy "telepathy" (known: ${Object.keys(STRATEGY_FACTORIES).join(', ')})`), bad.stderr);
  const stray = runCli(['search', '--index', out, 'love', '--strategies', 'lexical', '--budget', 'popular=3']);
  assert.match(stray.stderr, /a budget names strategy "popular", which is not among the strategies run \(lexical\)/);
});

test('search --understand shows the slots, readings, query type and intent', () => {
  const out = join(tempDir(), 'idx');
  assert.equal(runCli(['index', catalog(ROWS), '--out', out]).status, 0);
  const r = runCli(['search', '--index', out, 'songs by taylor swift', '--understand', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const { understanding } = JSON.parse(r.stdout);
  assert.deepEqual(understanding.interpretations[0].slots.map((s: { kind: string; value: string }) => `${s.kind}=${s.value}`), ['type=track', 'modifier=by', 'artist=taylor swift']);
  assert.equal(understanding.queryType, 'known-item');
  assert.equal(Object.keys(understanding.intent)[0], 'track');
  const text = runCli(['search', '--index', out, 'songs by taylor swift', '--understand']);
  assert.match(text.stdout, /query type: known-item/);
  assert.match(text.stdout, /artist\[taylor swift\]=taylor swift/);
});

test('search --understand tags misspelt names fuzzily, as the strategies do', () => {
  const out = join(tempDir(), 'idx');
  assert.equal(runCli(['index', catalog(ROWS), '--out', out]).status, 0);
  const r = runCli(['search', '--index', out, 'tayler swift', '--understand', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const [slot] = JSON.parse(r.stdout).understanding.interpretations[0].slots;
  assert.deepEqual([slot.kind, slot.value, slot.match], ['artist', 'taylor swift', 'fuzzy']);
});
