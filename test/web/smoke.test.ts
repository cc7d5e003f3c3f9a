// The web UI in a real browser: the built pages load from `quiver serve`'s own server (no network), the search page
// shows results for a query, and the dashboard reads /stats.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { Engine } from '../../src/engine/engine.js';
import { createServer } from '../../src/server/server.js';
import { buildUi, launchBrowser } from '../helpers/browser.js';
import { DEMO_TIME } from '../helpers/demo-index.js';
import { sampleIndex } from '../helpers/sample-index.js';

let app: FastifyInstance;
let base: string;
let browser: Browser;

before(async () => {
  const engine = new Engine(sampleIndex(), { ranker: 'heuristic', retrainEvery: 0, now: () => Date.parse(DEMO_TIME) });
  app = await createServer(engine, { ui: await buildUi() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
});

test('the search page and the dashboard load from the server and talk to the API', async () => {
  const page = await browser.newPage();
  const offsite: string[] = [];
  page.on('request', (request) => { if (!request.url().startsWith(base)) offsite.push(request.url()); });
  await page.goto(`${base}/`);
  assert.equal(await page.title(), 'Quiver search');
  await page.getByLabel('Search').fill('love');
  await page.locator('#results li').first().waitFor();
  assert.ok((await page.locator('#results li').count()) > 0);
  await page.goto(`${base}/dashboard`);
  assert.equal(await page.title(), 'Quiver dashboard');
  assert.deepEqual(offsite, [], 'the pages load nothing from outside the server');
  await page.close();
});

test('without a built UI the API still serves and / says how to build it', async () => {
  const engine = new Engine(sampleIndex(), { ranker: 'heuristic', retrainEvery: 0 });
  const bare = await createServer(engine, { ui: '/nonexistent-quiver-ui' });
  const res = await bare.inject({ method: 'GET', url: '/' });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /npm run build/);
  await bare.close();
});
