// Browser tests of the search page on a phone and when things fail (issue 15, "Phone layout",
// "Resilience"): the sample portal (the repository's own site, built on 2026-11-21 with the page
// clock fixed to that day) served on 127.0.0.1, read by Debian's Chromium at 390×844:
//   - one search box, results in the first screen, filters behind 「絞り込み」 with counts;
//   - a filter change keeps keyboard focus on that filter; several prefectures at once, kept in
//     the URL (repeated pref=) so a shared link restores them;
//   - the count announced in a polite live region; a zero-result hint that fits the query;
//   - JavaScript off: the page says search needs it and links to the lists;
//   - a missing index shard (answered 404): an alert with the same links, no spinner left;
//   - axe-core finds no WCAG 2.1 AA violation.
// Every wait is for a DOM state, never for a time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { servedSample } from './server.mjs';

const NOW = '2026-11-21T09:00:00+09:00';
const PHONE = { width: 390, height: 844 };
const QUERY = '観光'; // hits in four prefectures of the sample
const PREF_A = 'hokkaido';
const PREF_B = 'kochi';
const LISTS = ['/challenges/', '/cases/', '/columns/', '/prefectures/'];
let sample;
let base;
let browser;

before(async () => {
  sample = await servedSample('search-page');
  ({ base, browser } = sample);
});

after(async () => {
  await sample?.close();
});

/** Opens /search/ + `query` on a phone with the clock on the build date. */
async function open(query, { javaScriptEnabled = true, bypassCSP = false, route = null } = {}) {
  const ctx = await browser.newContext({ viewport: PHONE, locale: 'ja-JP', javaScriptEnabled, bypassCSP });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.clock.setFixedTime(new Date(NOW));
  if (route) await page.route(route.pattern, route.handler);
  await page.goto(base + 'search/' + query, { waitUntil: 'load' });
  return { ctx, page, errors };
}

/** Waits until the live region announces a finished search; returns its text. */
async function announced(page) {
  await page.waitForFunction(() => /検索結果|見つかりませんでした|できる語がありません/.test(document.getElementById('search-status').textContent));
  return page.textContent('#search-status');
}

const resultPaths = (page) => page.$$eval('#search-results a', (as) => as.map((a) => new URL(a.href).pathname));
const q = (s) => '?q=' + encodeURIComponent(s);

test('phone: one search box, and the first result starts in the first screen', async () => {
  const { ctx, page, errors } = await open(q('観光'));
  await announced(page);
  assert.equal(await page.locator('input[type=search]').count(), 1, 'only the page’s own box');
  assert.equal(await page.locator('.header-search').count(), 0);
  await page.locator('#search-results .hit-title').first().waitFor();
  const top = await page.$eval('#search-results li', (li) => li.getBoundingClientRect().top + scrollY);
  assert.ok(top < PHONE.height, `first result at ${top} px`);
  // The filters wait behind a closed 「絞り込み」 disclosure that shows counts when opened.
  const filters = page.locator('#search-filters');
  assert.equal(await filters.getAttribute('open'), null);
  assert.match(await page.textContent('#search-filters summary'), /絞り込み/);
  await page.click('#search-filters summary');
  assert.match(await page.locator('#search-facets').innerText(), /（\d+）/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('the live region announces 「…」の検索結果 N 件 after a search, without taking focus', async () => {
  const { ctx, page } = await open('');
  assert.equal(await page.getAttribute('#search-status', 'role'), 'status');
  assert.equal(await page.getAttribute('#search-status', 'aria-live'), 'polite');
  await page.fill('#search-q', '観光');
  await page.press('#search-q', 'Enter');
  const text = await announced(page);
  const n = await page.locator('#search-results li').count();
  assert.equal(text, `「観光」の検索結果 ${n} 件`);
  // The announcement does not take focus away from the box.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
  await ctx.close();
});

test('a filter change keeps focus on that filter; two prefectures stay chosen and the URL keeps both', async () => {
  const { ctx, page } = await open(q(QUERY));
  await announced(page);
  await page.click('#search-filters summary');
  const all = new Set(await resultPaths(page));
  await page.focus(`#facet-pref-${PREF_A}`);
  await page.keyboard.press('Space');
  await page.waitForFunction((p) => new URL(location.href).searchParams.getAll('pref').join() === p && /検索結果/.test(document.getElementById('search-status').textContent), PREF_A);
  assert.equal(await page.evaluate(() => document.activeElement.id), `facet-pref-${PREF_A}`);
  const onlyA = await resultPaths(page);
  await page.focus(`#facet-pref-${PREF_B}`);
  await page.keyboard.press('Space');
  await page.waitForFunction((p) => new URL(location.href).searchParams.getAll('pref').join() === p && /検索結果/.test(document.getElementById('search-status').textContent), `${PREF_A},${PREF_B}`);
  assert.equal(await page.evaluate(() => document.activeElement.id), `facet-pref-${PREF_B}`);
  assert.ok(await page.isChecked(`#facet-pref-${PREF_A}`) && await page.isChecked(`#facet-pref-${PREF_B}`));
  const both = await resultPaths(page);
  assert.ok(both.length > onlyA.length, `${both} vs ${onlyA}`);
  for (const p of both) assert.ok(all.has(p), p);
  // A select keeps focus too.
  const select = page.locator('#search-facets select').first();
  const id = await select.getAttribute('id');
  await select.focus();
  const value = await select.evaluate((s) => s.options[1].value);
  await select.selectOption(value);
  await page.waitForFunction((k) => new URL(location.href).searchParams.has(k.replace('facet-', '')) && /検索結果/.test(document.getElementById('search-status').textContent), id);
  assert.equal(await page.evaluate(() => document.activeElement.id), id);
  // The shared link restores both prefectures.
  const link = page.url();
  const other = await ctx.newPage();
  await other.goto(link);
  await announced(other);
  assert.ok(await other.isChecked(`#facet-pref-${PREF_A}`, { strict: true }) && await other.isChecked(`#facet-pref-${PREF_B}`));
  await ctx.close();
});

test('zero results: a one-character query is not told to shorten its words, and the lists are offered', async () => {
  const { ctx, page } = await open(q('鰐'));
  const short = await announced(page);
  assert.match(short, /見つかりませんでした/);
  assert.doesNotMatch(short, /短く/);
  const links = await page.$$eval('#search-browse a', (as) => as.map((a) => new URL(a.href).pathname));
  for (const want of LISTS) assert.ok(links.includes(want), want);
  assert.equal(await page.locator('#search-suggest').count(), 1, 'the hook for もしかして');
  await page.fill('#search-q', 'ワニワニパニック');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => /ワニワニ/.test(document.getElementById('search-status').textContent));
  assert.match(await page.textContent('#search-status'), /短く/);
  await ctx.close();
});

test('without JavaScript the page says search needs it and links to the lists', async () => {
  const { ctx, page } = await open(q('観光'), { javaScriptEnabled: false });
  assert.match(await page.locator('.noscript').innerText(), /JavaScript が必要です/);
  const links = await page.$$eval('.noscript a', (as) => as.map((a) => new URL(a.href).pathname));
  for (const want of LISTS) assert.ok(links.includes(want), want);
  await ctx.close();
});

test('a missing index shard shows an alert with the lists, and no spinner is left', async () => {
  const route = { pattern: /\/search\/(base|month|week)\.\d+\.pack(\?|$)/, handler: (r) => r.fulfill({ status: 404, body: 'not found' }) };
  const { ctx, page } = await open(q('観光'), { route });
  const alert = page.locator('#search-error[role=alert]');
  await alert.waitFor({ state: 'visible' });
  assert.match(await alert.innerText(), /失敗/);
  assert.doesNotMatch(await page.textContent('#search-status'), /検索しています/);
  assert.equal(await page.locator('[aria-busy=true]').count(), 0);
  assert.ok(await page.locator('#search-browse').isVisible());
  const links = await page.$$eval('#search-browse a', (as) => as.map((a) => new URL(a.href).pathname));
  for (const want of LISTS) assert.ok(links.includes(want), want);
  await ctx.close();
});

test('a result chunk that fails to load shows the alert, not rows that stay busy', async () => {
  const route = { pattern: /\/search\/d\.\d+\.pack(\?|$)/, handler: (r) => r.fulfill({ status: 404, body: 'not found' }) };
  const { ctx, page } = await open(q('観光'), { route });
  await page.locator('#search-error[role=alert]').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#search-results li').count(), 0);
  assert.doesNotMatch(await page.textContent('#search-status'), /検索しています/);
  await ctx.close();
});

test('a missing manifest shows the same alert', async () => {
  const route = { pattern: /\/search\/m\.[0-9a-f]+\.json$/, handler: (r) => r.abort('failed') };
  const { ctx, page } = await open(q('観光'), { route });
  await page.locator('#search-error[role=alert]').waitFor({ state: 'visible' });
  assert.ok(await page.locator('#search-browse').isVisible());
  await ctx.close();
});

test('the phone page with results and open filters has no axe violations (WCAG 2.1 AA)', async () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const { ctx, page } = await open(q(QUERY) + `&pref=${PREF_A}&pref=${PREF_B}`, { bypassCSP: true });
  await announced(page);
  await page.click('#search-filters summary');
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, []);
  await ctx.close();
});
