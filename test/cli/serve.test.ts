// quiver serve: starts the HTTP API over a catalogue, prints the URL, answers, and stops on SIGTERM; bad flags
// are refused before anything starts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { demoCatalogPath } from '../../src/demo.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const catalog = join(dir, 'catalog.jsonl');
writeFileSync(catalog, gunzipSync(readFileSync(demoCatalogPath())).toString('utf8').split('\n').filter((line, i) => line && i % 40 === 0)
  .map((line) => JSON.stringify({ ...JSON.parse(line), relations: undefined })).join('\n'));
const ENTRY = fileURLToPath(new URL('../helpers/cli-entry.ts', import.meta.url));

test('serve prints its URL, answers /health and /search, and exits on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve', '--catalog', catalog, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /at (http:\/\/\S+) /.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const health = (await (await fetch(`${url}/health`)).json()) as { status: string };
  assert.equal(health.status, 'ok');
  const search = await fetch(`${url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'love', k: 3 }) });
  assert.equal(search.status, 200);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('serve refuses bad flags', () => {
  const r = runCli(['serve', '--catalog', catalog, '--index', dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /give --index or --catalog, not both/);
  assert.match(runCli(['serve', '--port', '70000']).stderr, /--port/);
});
