// The web UI from the server's side: both built pages load from `quiver serve`'s own server with nothing fetched
// from elsewhere, and without a build the API still serves while / says how to build the UI. The search page's
// behaviour is tested in search.test.ts.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { Engine } from '../../src/engine/engine.js';
import { createServer } from '../../src/server/server.js';
import { buildUi, launchBrowser } from '../helpers/browser.js';
import { lowContrastText } from '../helpers/contrast.js';
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
  const failed: string[] = [];
  page.on('request', (request) => { if (!request.url().startsWith(base)) offsite.push(request.url()); });
  page.on('response', (response) => { if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`); });
  await page.goto(`${base}/`);
  assert.equal(await page.title(), 'Quiver search');
  await page.locator('#q').fill('love');
  await page.locator('#results article.card').first().waitFor();
  await page.locator('#results details > summary').first().click(); // the why panel's text is checked too
  assert.deepEqual(await lowContrastText(page), [], 'every text on the search page has WCAG AA contrast');
  await page.goto(`${base}/dashboard`);
  assert.equal(await page.title(), 'Quiver dashboard');
  // This server was not started with simulate: the panel says how to get it instead of calling /simulate.
  await page.locator('#simulate .status[data-state="off"]').waitFor();
  assert.match(await page.locator('#simulate .status').innerText(), /quiver serve --simulate/);
  assert.deepEqual(await lowContrastText(page), [], 'every text on the dashboard has WCAG AA contrast');
  assert.deepEqual(offsite, [], 'the pages load nothing from outside the server');
  assert.deepEqual(failed, [], 'every request of both pages succeeds');
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
