// The dashboard in a real browser, over an engine that has served simulated traffic (and retrained its ranker):
// every chart is drawn with data, its data table holds exactly the numbers /stats gives, the slice selector
// switches the per-slice charts, the simulate button sends traffic through the engine and the charts follow it
// without a reload, and a phone-width viewport needs no horizontal scrolling. Screenshots go to test-artifacts/
// and docs/screenshots/dashboard.png with QUIVER_UPDATE_SCREENSHOTS=1.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { Engine } from '../../src/engine/engine.js';
import type { StatsSnapshot } from '../../src/engine/engine-stats.js';
import type { BucketStats } from '../../src/engine/stats-bucket.js';
import { createServer } from '../../src/server/server.js';
import { ARTIFACTS_DIR, buildUi, launchBrowser, publishScreenshot } from '../helpers/browser.js';
import { sampleIndex } from '../helpers/sample-index.js';

// The page's DOM as the evaluate callbacks use it (test files compile without the DOM library; this stays in this module).
interface Node {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): Node | null;
  querySelectorAll(selector: string): Iterable<Node>;
  getBoundingClientRect(): { right: number };
}
declare const document: Node & { documentElement: { scrollWidth: number; clientWidth: number } };

let app: FastifyInstance;
let engine: Engine;
let base: string;
let browser: Browser;
const CHARTS = ['selection', 'learning', 'cost', 'models', 'throughput', 'latency'];

async function simulated(payload: object): Promise<void> {
  assert.equal((await app.inject({ method: 'POST', url: '/simulate', payload })).statusCode, 202);
  for (;;) {
    const p = (await app.inject({ method: 'GET', url: '/simulate' })).json();
    if (p.state === 'done') return;
    assert.ok(p.state === 'generating' || p.state === 'running', `simulation ${p.state}: ${p.error}`);
    await sleep(20);
  }
}

before(async () => {
  engine = new Engine(sampleIndex(), {
    ranker: 'lambdamart', retrainEvery: 50, retrain: { minImpressions: 10, params: { trees: 5, leaves: 4, minDataInLeaf: 2 } },
    // Some searches held back, so the selection chart must show the policy's own choices apart from them.
    holdback: 0.2,
    // 1 s buckets: a few seconds of traffic make a curve.
    stats: { bucketSeconds: 1, buckets: 3600 },
  });
  app = await createServer(engine, { ui: await buildUi(), simulate: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  await simulated({ queries: 150, seed: 7, flushEvery: 10 });
  while (engine.retraining) await engine.retraining;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.close();
});

const stats = async (): Promise<StatsSnapshot> => (await app.inject({ method: 'GET', url: '/stats' })).json();

interface Table {
  columns: string[];
  rows: Array<{ head: string; x: number; values: Array<number | null> }>;
}

/** The table has a row per bucket (and per empty bucket between them), each row's values `expected` of its bucket. */
function assertRows(table: Table, buckets: readonly BucketStats[], expected: (bucket: BucketStats | undefined) => Array<number | null>, what: string): void {
  const byStart = new Map(buckets.map((b) => [b.start, b]));
  const xs = new Set(table.rows.map((r) => r.x));
  assert.ok(buckets.every((b) => xs.has(b.start)), `${what}: a row for every bucket`);
  assert.deepEqual(table.rows.map((r) => r.values), table.rows.map((r) => expected(byStart.get(r.x))), what);
}

/** The numbers of a panel's n-th data table, as the cells' exact data-value. */
function tableOf(page: Page, panel: string, nth = 0): Promise<Table> {
  return page.evaluate(([id, n]) => {
    const table = [...document.querySelectorAll(`#${id} details.data-table table`)][n as number];
    const columns = [...table.querySelectorAll('thead th')].slice(1).map((th) => th.textContent!);
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) => ({
      head: tr.querySelector('th')!.textContent!,
      x: Number(tr.dataset.x),
      values: [...tr.querySelectorAll('td')].map((td) => (td.dataset.value === undefined ? null : Number(td.dataset.value))),
    }));
    return { columns, rows };
  }, [panel, nth] as const);
}

async function openDashboard(page: Page): Promise<void> {
  await page.goto(`${base}/dashboard`);
  await page.locator('#throughput svg.chart .series circle').first().waitFor();
  await page.locator('#models svg.chart .series circle').first().waitFor();
}

test('every chart is drawn from /stats and its data table holds the same numbers', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('request', (r) => !r.url().startsWith(base) && problems.push(`off-site request ${r.url()}`));
  await openDashboard(page);
  const s = await stats();
  const buckets = s.series.buckets;
  assert.ok(buckets.length >= 2, 'the traffic spans several buckets');

  for (const id of CHARTS) {
    const chart = page.locator(`#${id} svg.chart`).first();
    assert.equal(await chart.getAttribute('role'), 'img', id);
    assert.match((await chart.getAttribute('aria-label'))!, /Latest: /, `${id} summarises its data`);
    assert.ok((await page.locator(`#${id} svg.chart .series path`).count()) > 0, `${id} draws lines`);
    assert.ok((await page.locator(`#${id} svg.chart .series circle`).count()) > 0, `${id} marks points`);
    assert.ok((await page.locator(`#${id} svg.chart .axis text`).count()) >= 4, `${id} labels its axes`);
  }

  const throughput = await tableOf(page, 'throughput');
  assert.deepEqual(throughput.columns, ['searches', 'feedback events']);
  assertRows(throughput, buckets, (b) => (b ? [b.searches, Object.values(b.feedback).reduce((a, n) => a + n, 0)] : [0, 0]), 'throughput');
  assert.equal(throughput.rows.reduce((sum, r) => sum + r.values[0]!, 0), s.totals.searches);

  const selection = await tableOf(page, 'selection');
  assert.ok(selection.columns.length >= 2, 'several strategies ran');
  assert.ok(selection.columns.every((strategy) => s.strategies.includes(strategy)));
  assertRows(selection, buckets, (b) => selection.columns.map((strategy) => (b && b.searches > b.heldBack ? (b.policySelectionRate[strategy] ?? 0) : null)), 'selection');

  const learning = await tableOf(page, 'learning');
  assertRows(learning, buckets, (b) => [b?.coverage ?? null, b?.meanReward ?? null], 'learning');
  assert.ok(learning.rows.some((r) => r.values[0]! > 0), 'some requests were covered');
  assertRows(await tableOf(page, 'cost'), buckets, (b) => [b?.drawnPerSearch ?? null, b?.candidatesPerSearch ?? null], 'cost');
  const latency = await tableOf(page, 'latency');
  assert.deepEqual(latency.columns, ['plan', 'retrieve', 'rank', 'total']);
  assertRows(latency, buckets, (b) => latency.columns.map((stage) => b?.latencyMs[stage as 'plan'].p90 ?? null), 'latency');

  const versions = s.models!.versions;
  assert.ok(versions.length >= 1, 'the ranker was retrained');
  const models = await tableOf(page, 'models', 1);
  assert.deepEqual(models.rows.map((r) => r.head), versions.map((v) => `v${v.version}`));
  assert.deepEqual(models.rows.map((r) => [r.values[2], r.values[3], r.values[4]]), versions.map((v) => [v.ndcg, v.currentNdcg, v.promoted ? 1 : 0]));

  assert.equal(await page.locator('.summary [data-key="searches"] dd').textContent(), String(s.totals.searches));

  // One query style: the per-slice charts switch to its counts.
  const label = Object.keys(s.totals.byLabel)[0];
  await page.getByLabel('Searches shown').selectOption(`label:${label}`);
  assert.match((await page.locator('#selection svg.chart').getAttribute('aria-label'))!, new RegExp(`label “${label}”`));
  const sliced = await tableOf(page, 'selection');
  assertRows(sliced, buckets, (b) => sliced.columns.map((strategy) => {
    const slice = b?.byLabel[label];
    return slice && slice.searches > slice.heldBack ? (slice.policySelectionRate[strategy] ?? 0) : null;
  }), `selection, label ${label}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the simulate button sends traffic through the engine and the charts follow without a reload', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await openDashboard(page);
  const before = (await stats()).totals.searches;
  await page.getByLabel('Searches to simulate').fill('60');
  await page.getByRole('button', { name: 'Simulate' }).click();
  await page.locator('#simulate .status[data-state="done"]').waitFor({ timeout: 120_000 });
  assert.match((await page.getByRole('status').textContent())!, /Done: 60 searches/);
  const after = await stats();
  assert.equal(after.totals.searches, before + 60);
  // The next poll brings the new buckets: the summary and the throughput table count every search, at either resolution.
  await page.waitForFunction((n) => document.querySelector('.summary [data-key="searches"] dd')?.textContent === String(n), after.totals.searches);
  const searchesInTable = (n: number) => page.waitForFunction((total) => {
    const cells = [...document.querySelectorAll('#throughput tbody tr td:first-of-type')];
    return cells.reduce((sum, td) => sum + Number(td.dataset.value ?? 0), 0) === total;
  }, n);
  await searchesInTable(after.totals.searches);
  // Coarse resolution: the same traffic in 1-minute buckets.
  await page.getByLabel('Resolution').selectOption('coarse');
  await page.getByText(/buckets of 60 s/).waitFor();
  await searchesInTable(after.totals.searches);
  await page.getByLabel('Resolution').selectOption('fine');
  await page.getByText(/buckets of 1 s/).waitFor();

  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const shot = join(ARTIFACTS_DIR, 'dashboard-desktop.png');
  await page.screenshot({ path: shot, fullPage: true });
  publishScreenshot(shot, 'dashboard.png');
  await page.close();
});

test('at phone width the dashboard fits without horizontal scrolling', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await openDashboard(page);
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth, widestChart: Math.max(...[...document.querySelectorAll('svg.chart')].map((svg) => svg.getBoundingClientRect().right)) }));
  assert.ok(widths.page <= widths.viewport, `page ${widths.page} px wide in a ${widths.viewport} px viewport`);
  assert.ok(widths.widestChart <= widths.viewport, 'every chart fits the screen');
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'dashboard-phone.png'), fullPage: true });
  await page.close();
});
