import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { QuiverError } from '../../src/errors.js';
import { formatStream, parseStream, readStream, type StreamEvent } from '../../src/eval/stream.js';
import { tempDir } from '../helpers/tmp.js';

const GOOD: StreamEvent[] = [
  { query: 'tayler swift', context: { user: 'u1', time: '2026-03-01T20:00:00Z', locale: 'en-US' }, targets: ['a:1'], label: 'misspelled' },
  { query: 'love', context: {}, targets: ['t:1', 't:2'], label: 'ambiguous' },
];
const known = new Set(['a:1', 't:1', 't:2']);
const isKnownId = (id: string) => known.has(id);

function refused(text: string, options = { isKnownId }): QuiverError & { issues: Array<{ where: string; field: string; message: string }> } {
  try {
    parseStream(text, 'q.jsonl', options);
  } catch (err) {
    return err as QuiverError & { issues: Array<{ where: string; field: string; message: string }> };
  }
  assert.fail('the stream was accepted');
}

test('a stream round-trips through the writer and the reader, plain and gzipped', () => {
  const text = formatStream(GOOD);
  assert.deepEqual(parseStream(text, 'q.jsonl', { isKnownId }), GOOD);
  const dir = tempDir();
  writeFileSync(join(dir, 'q.jsonl.gz'), gzipSync(text));
  assert.deepEqual(readStream(join(dir, 'q.jsonl.gz'), { isKnownId }), GOOD);
  assert.equal(parseStream('{"query":"x","targets":["a:1"]}\n\n', 'q.jsonl')[0].label, 'unlabelled');
});

test('every bad line is refused with file:line and field, and nothing is returned', () => {
  const lines = [
    JSON.stringify(GOOD[0]),
    '{"query": "x", "targets": ["a:1"]', // bad JSON
    '{"targets": ["a:1"]}', // no query
    '{"query": "x"}', // no targets
    '{"query": "x", "targets": []}',
    '{"query": "x", "targets": ["nope:1"]}',
    '{"query": 3, "targets": ["a:1"], "label": ""}',
    '{"query": "x", "targets": ["a:1"], "context": {"time": "yesterday", "mood": "x"}}',
    '{"query": "x", "targets": ["a:1"], "target": "a:1"}',
    '[1, 2]',
  ];
  const err = refused(lines.join('\n'));
  assert.equal(err.code, 'STREAM_INVALID');
  assert.match(err.message, /^query stream refused: 11 invalid lines; first: q\.jsonl:2: is not valid JSON/);
  const got = err.issues.map((i) => `${i.where} ${i.field}: ${i.message}`);
  assert.deepEqual(got.slice(1), [
    'q.jsonl:3 query: is required',
    'q.jsonl:4 targets: is required',
    'q.jsonl:5 targets: must be a non-empty array of entity ids',
    'q.jsonl:6 targets: names entity "nope:1", which is not in the catalogue',
    'q.jsonl:7 query: must be a string',
    'q.jsonl:7 label: must be a non-empty string',
    'q.jsonl:8 context.mood: is not a context field (known: user, time, locale, device)',
    'q.jsonl:8 context.time: "yesterday" is not an ISO 8601 time such as 2026-03-01T20:00:00Z',
    'q.jsonl:9 target: is not a stream field (known: query, context, targets, label)',
    'q.jsonl:10 (row): must be a JSON object with "query" and "targets"',
  ]);
});

test('without a catalogue any target id is accepted; an empty stream is refused', () => {
  assert.equal(parseStream('{"query":"x","targets":["nope:1"]}', 'q.jsonl').length, 1);
  assert.equal(refused('\n\n', {} as { isKnownId: typeof isKnownId }).code, 'STREAM_EMPTY');
});
