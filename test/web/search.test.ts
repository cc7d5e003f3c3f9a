// The search page end to end in Chromium, against an in-process server over the sampled demo catalogue with the
// real (Thompson) retrieval policy: results, type chips, keyboard navigation, the why panel's numbers against the
// API's answer, feedback that the engine learns from (memory finds the liked result first on a new search), the
// context sent with each search, loading and error states, and a phone-width layout. Screenshots go to
// test-artifacts/ (and docs/screenshots/search.png with QUIVER_UPDATE_SCREENSHOTS=1).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { Engine } from '../../src/engine/engine.js';
import { createServer } from '../../src/server/server.js';
import { bm25fBreakdown } from '../../web/src/search/bm25f.js';
import { formatProbability, formatScore, typeLabel } from '../../web/src/search/format.js';
import type { SearchResponse, SearchResult } from '../../web/src/shared/api.js';
import { ARTIFACTS_DIR, buildUi, launchBrowser, publishScreenshot } from '../helpers/browser.js';
import { DEMO_TIME } from '../helpers/demo-index.js';
import { sampleIndex } from '../helpers/sample-index.js';

let app: FastifyInstance;
let base: string;
let browser: Browser;
let context: BrowserContext;

before(async () => {
  let n = 0;
  // Counter request ids make every plan the policy draws reproducible; the fixed clock keeps requests open.
  const engine = new Engine(sampleIndex(), { ranker: 'heuristic', retrainEvery: 0, now: () => Date.parse(DEMO_TIME), requestId: () => `req-${++n}` });
  app = await createServer(engine, { ui: await buildUi() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Europe/Berlin' });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
});
after(async () => {
  await browser?.close();
  await app?.close();
});

const isSearch = (r: Request) => r.method() === 'POST' && new URL(r.url()).pathname === '/search';
const isFeedback = (r: Request) => r.method() === 'POST' && new URL(r.url()).pathname === '/feedback';

async function openPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.getByText(/^Type to search [\d,]+ tracks/).waitFor();
  return page;
}

/** Runs `action`, waits for the search it causes and for the page to show it; returns the API's answer. */
async function searched(page: Page, action: () => Promise<unknown>): Promise<SearchResponse> {
  const [response] = await Promise.all([page.waitForResponse((r) => isSearch(r.request())), action()]);
  const body = (await response.json()) as SearchResponse;
  await page.locator('#plan').getByText(`Request ${body.requestId}`).waitFor();
  return body;
}

const typeQuery = (page: Page, query: string) => searched(page, () => page.locator('#q').fill(query));
const searchAgain = (page: Page) => searched(page, () => page.getByRole('button', { name: 'Search again' }).click());

/** Searches again (the policy draws a new plan each time) until the answer satisfies `wanted`. */
async function searchUntil(page: Page, wanted: (r: SearchResponse) => boolean, first: SearchResponse): Promise<SearchResponse> {
  let response = first;
  for (let tries = 0; !wanted(response); tries++) {
    assert.ok(tries < 40, 'no plan in 40 draws gave the wanted answer');
    response = await searchAgain(page);
  }
  return response;
}

/** Evaluates an expression in the page (a string: this file is type-checked without the DOM library). */
const inPage = <T>(page: Page, expression: string) => page.evaluate(expression) as Promise<T>;
const card = (page: Page, id: string) => page.locator(`article.card[data-id="${id}"]`);
const ranInPlan = (r: SearchResponse, strategy: string) => (r.plan[strategy] ?? 0) > 0;

test('typing shows result cards with title, type, key fields, year, popularity and the strategies that found them', async () => {
  const page = await openPage();
  const offsite: string[] = [];
  page.on('request', (request) => { if (!request.url().startsWith(base)) offsite.push(request.url()); });
  const response = await typeQuery(page, 'love');
  assert.ok(response.results.length > 0);
  assert.equal(await page.locator('article.card').count(), response.results.length);
  assert.equal(await page.locator('#status').textContent(), `${response.results.length} results for “love”.`);
  for (const [i, result] of response.results.entries()) {
    const c = card(page, result.id);
    assert.equal(await c.getAttribute('data-position'), String(i + 1));
    assert.equal(await c.locator('button.open').textContent(), result.title);
    assert.equal(await c.locator('.type').textContent(), typeLabel(result.type));
    const meta = await c.locator('.meta').textContent();
    for (const [field, value] of Object.entries(result.fields ?? {})) if (value !== result.title) assert.ok(meta!.includes(`${field}: ${value}`), meta!);
    if (result.released) assert.ok(meta!.includes(`released ${result.released.slice(0, 4)}`));
    if (result.popularity !== undefined) assert.ok(meta!.includes(`popularity ${formatScore(result.popularity)}`));
    const badges = await c.locator('.badge').allTextContents();
    assert.deepEqual(badges, result.provenance.map((p) => `${p.strategy} #${p.rank} · ${formatScore(p.score)}`));
  }
  assert.deepEqual(offsite, [], 'the page loads nothing from outside the server');
  await page.close();
});

test('a type chip sends `types` and leaves only that type', async () => {
  const page = await openPage();
  await typeQuery(page, 'love');
  const sent: unknown[] = [];
  page.on('request', (r) => { if (isSearch(r)) sent.push(r.postDataJSON().types); });
  const response = await searched(page, () => page.locator('label[for="type-artist"]').click());
  assert.deepEqual(sent, [['artist']]);
  assert.ok(response.results.length > 0);
  assert.deepEqual(new Set(await page.locator('article.card .type').allTextContents()), new Set(['Artist']));
  assert.match((await page.locator('#status').textContent())!, / in artists\.$/);
  await page.close();
});

test('keyboard: ↓/↑ move through the results with a visible focus, Enter opens (a click is sent), Esc clears', async () => {
  const page = await openPage();
  const response = await typeQuery(page, 'love');
  const focused = () => inPage<string>(page, "document.activeElement?.getAttribute('data-position') ?? document.activeElement?.id");
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), '1');
  const outline = await inPage<string>(page, 'getComputedStyle(document.activeElement).outlineStyle');
  assert.equal(outline, 'solid', 'the focused card shows its focus ring');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), '2');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'q', '↑ on the first result returns to the search box');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  assert.equal(await focused(), String(response.results.length));
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  const [click] = await Promise.all([page.waitForRequest(isFeedback), page.keyboard.press('Enter')]);
  const second = response.results[1];
  assert.deepEqual(click.postDataJSON(), { requestId: response.requestId, entityId: second.id, type: 'click', position: 2 });
  assert.equal(await card(page, second.id).locator('button.open').getAttribute('aria-expanded'), 'true');
  await card(page, second.id).locator('dl.entity').waitFor();
  await page.getByText(/^sent: click · /).waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await focused(), 'q');
  assert.equal(await page.locator('#q').inputValue(), '');
  assert.equal(await page.locator('article.card').count(), 0);
  await page.close();
});

test('the why panel shows the plan\'s probabilities, per-field BM25F and the ranker\'s contributions as the API gave them', async () => {
  const page = await openPage();
  const textMatch = (r: SearchResult) => (r.retrievalExplanations?.lexical?.value ?? 0) > 0;
  const response = await searchUntil(page, (r) => r.results.some((x) => textMatch(x) && x.provenance.some((p) => ranInPlan(r, p.strategy))), await typeQuery(page, 'love'));
  const result = response.results.find(textMatch)!;
  const c = card(page, result.id);
  await c.locator('details.why summary').click();
  const why = c.locator('.why-body');
  for (const p of result.provenance.filter((p) => ranInPlan(response, p.strategy))) {
    const line = (await why.locator(`.why-choice li[data-strategy="${p.strategy}"]`).textContent())!;
    const probability = response.explanation!.budgets![p.strategy][String(response.plan[p.strategy])];
    assert.ok(line.includes(`rank ${p.rank} with score ${formatScore(p.score)}`), line);
    assert.ok(line.includes(`budget ${response.plan[p.strategy]} with probability ${formatProbability(probability)}`), line);
  }
  assert.equal(await why.locator('.why-choice .propensity').textContent(), formatProbability(response.explanation!.propensity!));
  const breakdown = bm25fBreakdown(result.retrievalExplanations!.lexical)!;
  assert.ok(breakdown.terms.length > 0);
  for (const term of breakdown.terms) {
    const block = why.locator(`.bm25f-term[data-term="${term.term}"]`);
    assert.equal(await block.locator('.term-score').textContent(), formatScore(term.value));
    for (const f of term.fields) assert.equal(await block.locator(`tr[data-field="${f.field}"] .field-value`).textContent(), formatScore(f.value));
  }
  assert.equal(await why.locator('.lexical-total').textContent(), formatScore(result.retrievalExplanations!.lexical.value));
  const contributions = [...result.explanation!.details].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).map((d) => formatScore(d.value));
  assert.deepEqual(await why.locator('.contribution-value').allTextContents(), contributions);
  assert.equal(await why.locator('.ranker-score').textContent(), formatScore(result.score));
  // The plan panel shows the same choice for every strategy the policy planned.
  for (const [strategy, budget] of Object.entries(response.plan)) {
    const row = page.locator(`#plan tr[data-strategy="${strategy}"]`);
    assert.equal(await row.locator('td').first().textContent(), String(budget));
    assert.equal(await row.locator('.p-budget').textContent(), formatProbability(response.explanation!.budgets![strategy][String(budget)]));
    // The learned plan's trust in the strategy's order, which the ranker weighed it by.
    const trust = response.explanation!.trust![strategy];
    assert.ok(trust >= 0.01 && trust <= 1, `${strategy}: trust ${trust}`);
    assert.equal(await row.locator('.trust').textContent(), formatProbability(trust));
  }
  await page.close();
});

test('like and play post real events; searching again, memory finds the liked result first and it moves up', async () => {
  const page = await openPage();
  const first = await typeQuery(page, 'dance');
  const position = first.results.length;
  const liked = first.results[position - 1];
  const memoryBefore = Number(await openWhy(page, liked.id).then((why) => why.locator('.memory-score').textContent()));
  const sent = [];
  for (const type of ['like', 'play'] as const) {
    const [request] = await Promise.all([page.waitForRequest(isFeedback), card(page, liked.id).locator(`button[data-feedback="${type}"]`).click()]);
    sent.push(request.postDataJSON());
    await page.getByText(new RegExp(`^sent: ${type} · “`)).waitFor();
  }
  assert.deepEqual(sent, ['like', 'play'].map((type) => ({ requestId: first.requestId, entityId: liked.id, type, position })));
  assert.equal(await page.locator('#feedback-status').getAttribute('aria-live'), 'polite');
  const after = await searchUntil(page, (r) => ranInPlan(r, 'memory'), await searchAgain(page));
  const badge = card(page, liked.id).locator('.badge-memory');
  assert.match((await badge.textContent())!, /^memory #1 · /, 'memory now finds the liked result first');
  const newPosition = Number(await card(page, liked.id).getAttribute('data-position'));
  assert.ok(newPosition < position, `the liked result moved up from ${position} to ${newPosition}`);
  assert.equal(after.results[newPosition - 1].id, liked.id);
  const memoryAfter = Number(await openWhy(page, liked.id).then((why) => why.locator('.memory-score').textContent()));
  assert.ok(memoryAfter > memoryBefore, `memory's score grew from ${memoryBefore} to ${memoryAfter}`);
  await page.close();
});

async function openWhy(page: Page, id: string) {
  await card(page, id).locator('details.why summary').click();
  const why = card(page, id).locator('.why-body');
  await why.waitFor();
  return why;
}

test('the context panel\'s user, local time and locale are sent with the search and the plan shown is the answer\'s', async () => {
  const page = await openPage();
  await typeQuery(page, 'love');
  const contexts: unknown[] = [];
  page.on('request', (r) => { if (isSearch(r)) contexts.push(r.postDataJSON().context); });
  await searched(page, () => page.getByLabel('User id').fill('u42').then(() => page.getByLabel('User id').blur()));
  await searched(page, () => page.getByLabel('Date and time of day').fill('2020-01-10T20:00'));
  const response = await searched(page, () => page.getByLabel('Locale').fill('de-DE').then(() => page.getByLabel('Locale').press('Tab')));
  assert.deepEqual(contexts.at(-1), { user: 'u42', time: '2020-01-10T20:00:00+01:00', locale: 'de-DE' }, 'Berlin is UTC+1 in January');
  const summary = (await page.locator('#plan .plan-summary').textContent())!;
  assert.ok(summary.includes('Context: user u42, at 2020-01-10T20:00:00+01:00, locale de-DE.'), summary);
  assert.equal(await page.locator('#plan .propensity').textContent(), formatProbability(response.explanation!.propensity!));
  const planned = await page.locator('#plan tr.planned').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-strategy')));
  assert.deepEqual(new Set(planned), new Set(Object.keys(response.plan)));
  await page.close();
});

test('loading, stale answers and API errors: the newest search wins and an error shows its code and message', async () => {
  const page = await openPage();
  const held: Array<() => Promise<void>> = [];
  await page.route('**/search', (route) => { held.push(() => route.continue()); });
  await page.locator('#q').fill('lo');
  await page.getByText('Searching for “lo”…').waitFor();
  assert.equal(await page.locator('#results').getAttribute('aria-busy'), 'true');
  await page.locator('#q').fill('love');
  await page.getByText('Searching for “love”…').waitFor();
  const [newest] = await Promise.all([page.waitForResponse((r) => isSearch(r.request()) && r.request().postDataJSON().query === 'love'), held[1]()]);
  await page.getByText(/ results for “love”\.$/).waitFor();
  const [late] = await Promise.all([page.waitForResponse((r) => isSearch(r.request()) && r.request().postDataJSON().query === 'lo'), held[0]()]);
  await late.finished();
  await page.unroute('**/search');
  await inPage(page, 'new Promise((resolve) => setTimeout(resolve, 50))');
  assert.match((await page.locator('#status').textContent())!, /for “love”\.$/, 'the late answer for "lo" is dropped');
  assert.equal(await page.locator('article.card').count(), ((await newest.json()) as SearchResponse).results.length);
  await page.locator('#q').fill('a'.repeat(1001));
  const error = page.locator('#search-error');
  await error.waitFor();
  assert.equal(await error.textContent(), 'Error BAD_REQUEST (HTTP 400): body/query must NOT have more than 1000 characters');
  assert.equal(await error.getAttribute('role'), 'alert');
  await page.close();
});

test('screenshots: desktop with an open why panel, and a phone width without horizontal scrolling', async () => {
  const page = await openPage();
  // A plan with both the text matcher and memory makes the richer picture.
  const response = await searchUntil(page, (r) => ranInPlan(r, 'lexical') && ranInPlan(r, 'memory'), await typeQuery(page, 'love'));
  await card(page, response.results[0].id).locator('button[data-feedback="like"]').click();
  await page.getByText(/^sent: like · /).waitFor();
  await openWhy(page, response.results[0].id);
  const desktop = join(ARTIFACTS_DIR, 'search-desktop.png');
  await page.screenshot({ path: desktop });
  publishScreenshot(desktop, 'search.png');
  for (const width of [390, 360]) {
    await page.setViewportSize({ width, height: 844 });
    const [scrollWidth, innerWidth] = await inPage<[number, number]>(page, '[document.documentElement.scrollWidth, window.innerWidth]');
    assert.ok(scrollWidth <= innerWidth, `no horizontal scroll at ${width} px: ${scrollWidth} > ${innerWidth}`);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'search-phone.png') });
  await page.close();
});
