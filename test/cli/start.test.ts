// `npm start` does what the README says: in a fresh directory it indexes the demo catalogue on first run, serves
// the API and the web UI, prints the URL, answers a search, and keeps its learning in a data directory across a restart.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServe, stopServe } from '../helpers/serve.js';
import { tempDir } from '../helpers/tmp.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };

test('npm start serves the demo catalogue, durable in its data directory', async () => {
  const m = /^node bin\/quiver\.js serve (.*)$/.exec(pkg.scripts.start);
  assert.ok(m, `the start script should run quiver serve: ${pkg.scripts.start}`);
  const args = [...m[1].split(' '), '--port', '0']; // any free port, so tests never collide with a running demo
  const cwd = tempDir();
  const served = await startServe(args, { cwd });
  const reply = (await (await fetch(`${served.url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'tayler swift', k: 3 }) })).json()) as { results: Array<{ title: string }> };
  assert.equal(reply.results.length, 3); // which strategies found them is the untrained policy's draw
  for (const page of ['/', '/dashboard']) { // the web UI, built by npm ci (the prepare script runs npm run build)
    const res = await fetch(`${served.url}${page}`);
    assert.equal(res.status, 200, page);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await res.text(), /<title>Quiver/);
  }
  assert.equal(await stopServe(served), 0, served.stderr());
  assert.ok(existsSync(join(cwd, '.quiver', 'demo-index')) && existsSync(join(cwd, '.quiver', 'data', 'events.sqlite')));
  const again = await startServe(args, { cwd });
  assert.match(again.stderr(), /restored from the checkpoint at record 1, replayed 0 records/);
  assert.equal(await stopServe(again), 0, again.stderr());
});
