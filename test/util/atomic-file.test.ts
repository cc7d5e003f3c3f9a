// Files that appear whole or not at all: the streaming writer behind `quiver simulate --log`.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AtomicFileWriter, writeFileAtomic } from '../../src/util/atomic-file.js';
import { tempDir } from '../helpers/tmp.js';

test('AtomicFileWriter: nothing at the target until commit, then exactly what was written', () => {
  const dir = tempDir();
  const path = join(dir, 'log.jsonl');
  const writer = new AtomicFileWriter(path);
  writer.write('{"t":0}\n');
  writer.write('{"t":1}\n');
  assert.ok(!existsSync(path));
  writer.commit();
  assert.equal(readFileSync(path, 'utf8'), '{"t":0}\n{"t":1}\n');
  assert.deepEqual(readdirSync(dir), ['log.jsonl']);
  writer.abort(); // after a commit: nothing left to drop, the file stays
  assert.equal(readFileSync(path, 'utf8'), '{"t":0}\n{"t":1}\n');
  assert.throws(() => writer.write('late'), (e: Error & { code?: string }) => e.code === 'FILE_UNWRITABLE' && /log\.jsonl: cannot be written \(the writer is closed\)/.test(e.message));
});

test('AtomicFileWriter: abort leaves an existing target as it was and no temporary file', () => {
  const dir = tempDir();
  const path = join(dir, 'log.jsonl');
  writeFileSync(path, 'the previous run\n');
  const writer = new AtomicFileWriter(path);
  writer.write('half of a run');
  writer.abort();
  assert.equal(readFileSync(path, 'utf8'), 'the previous run\n');
  assert.deepEqual(readdirSync(dir), ['log.jsonl']);
});

test('AtomicFileWriter: a path that cannot be written fails when opened, naming it', () => {
  const dir = tempDir();
  const err = (() => {
    try {
      new AtomicFileWriter(join(dir, 'missing', 'log.jsonl'));
    } catch (e) {
      return e as Error & { code?: string };
    }
  })();
  assert.equal(err?.code, 'FILE_UNWRITABLE');
  assert.match(err!.message, /missing\/log\.jsonl: cannot be written \(ENOENT/);
  assert.deepEqual(readdirSync(dir), []);
  // A parent that is a file, not a directory: the same error, for both writers.
  writeFileSync(join(dir, 'a-file'), '');
  for (const write of [() => new AtomicFileWriter(join(dir, 'a-file', 'log.jsonl')), () => writeFileAtomic(join(dir, 'a-file', 'x.json'), '{}')]) {
    assert.throws(write, (e: Error & { code?: string }) => e.code === 'FILE_UNWRITABLE' && /a-file\/(log\.jsonl|x\.json): cannot be written \(ENOTDIR/.test(e.message));
  }
});
