// quiver serve: starts the HTTP API over a catalogue, prints the URL, answers, and stops on SIGTERM; bad flags
// are refused before anything starts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { startServe, stopServe, writeSmallCatalog } from '../helpers/serve.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
const catalog = writeSmallCatalog(dir);

test('serve prints its URL, answers /health and /search, and exits on SIGTERM', async () => {
  const served = await startServe(['--catalog', catalog, '--port', '0']);
  const health = (await (await fetch(`${served.url}/health`)).json()) as { status: string };
  assert.equal(health.status, 'ok');
  const search = await fetch(`${served.url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'love', k: 3 }) });
  assert.equal(search.status, 200);
  assert.equal(await stopServe(served), 0);
});

test('serve refuses bad flags', () => {
  const r = runCli(['serve', '--catalog', catalog, '--index', dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /give --index or --catalog, not both/);
  assert.match(runCli(['serve', '--port', '70000']).stderr, /--port/);
  assert.match(runCli(['serve', '--catalog', catalog, '--data', dir, '--models', dir]).stderr, /give --data or --models/);
  assert.match(runCli(['serve', '--sync', 'sometimes']).stderr, /--sync must be one of normal, full/);
  assert.match(runCli(['serve', '--holdback', '1']).stderr, /--holdback must be a number in \[0, 0.99\], got "1"/);
  assert.match(runCli(['serve', '--holdback-decay', 'soon']).stderr, /--holdback-decay must be a number in \[0, 1000000000000\], got "soon"/);
  assert.match(runCli(['serve', '--candidate-budget', 'many']).stderr, /--candidate-budget must be a number in \[1, 1000000\], got "many"/);
  assert.match(runCli(['serve', '--budget-mode', 'target']).stderr, /--budget-mode needs --candidate-budget/);
  assert.match(runCli(['serve', '--candidate-budget', '0%']).stderr, /--candidate-budget must be a number of candidates in \[1, 1000000\] or a share of the full draw in \(0%, 100%\], got "0%"/);
});
