// Browser tests of /search/: builds tests/fixtures/sites/search with the debug binary, serves it
// on 127.0.0.1, and drives Debian's Chromium through playwright-core. Run by scripts/test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch } from './server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.TSUNAGARI_BIN || path.join(repo, 'target/debug/tsunagari');
let dir;
let server;
let base;
let browser;

before(async () => {
  // Always build: the theme (and so the search client) is embedded in the binary at compile
  // time, and a stale binary would test yesterday's client.
  if (!process.env.TSUNAGARI_BIN) execFileSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
  dir = mkdtempSync(path.join(tmpdir(), 'tsunagari-browser-'));
  cpSync(path.join(repo, 'tests/fixtures/sites/search'), dir, { recursive: true });
  execFileSync(bin, ['build', '--quiet', '--root', dir, '--now', '2026-04-01'], { stdio: 'inherit' });
  ({ server, url: base } = await serve(path.join(dir, 'public')));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens a search URL and waits until the result count is announced. */
async function open(query, options = {}) {
  const context = await browser.newContext({ locale: 'ja-JP', ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(base + 'search/' + query);
  return { page, context, errors };
}

async function results(page) {
  await page.waitForFunction(() => /検索結果|見つかりませんでした/.test(document.getElementById('search-status').textContent));
  return page.$$eval('#search-results a', (as) => as.map((a) => new URL(a.href).pathname));
}

test('京都 ranks the page about Kyoto above pages that only mention 東京都', async () => {
  const { page, context, errors } = await open('?q=' + encodeURIComponent('京都'));
  const links = await results(page);
  assert.equal(links[0], '/columns/kyoto/');
  assert.deepEqual(errors, []);
  await context.close();
});

test('half-width katakana and full-width letters find the same page', async () => {
  for (const q of ['ﾃﾚﾜｰｸ', 'テレワーク', 'ＤＸ', 'dx']) {
    const { page, context } = await open('?q=' + encodeURIComponent(q));
    assert.deepEqual(await results(page), ['/columns/telework/'], q);
    await context.close();
  }
});

test('a spelling variant and a single kanji find their pages (issue 15)', async () => {
  // The pages say 取り組み; the client folds 取組 with the manifest's variant table.
  let { page, context } = await open('?q=' + encodeURIComponent('取組'));
  assert.deepEqual((await results(page)).sort(), ['/columns/kyoto/', '/columns/tokyo/']);
  await context.close();
  // 写 occurs only inside 写真: found through the index's single-kanji entries.
  ({ page, context } = await open('?q=' + encodeURIComponent('写')));
  assert.deepEqual(await results(page), ['/columns/both/']);
  await context.close();
});

test('two words are AND, and matches are marked in the excerpt', async () => {
  const { page, context } = await open('?q=' + encodeURIComponent('観光 カメラ'));
  assert.deepEqual(await results(page), ['/columns/both/']);
  const marks = await page.$$eval('#search-results mark', (ms) => ms.map((m) => m.textContent));
  assert.ok(marks.includes('観光') && marks.includes('カメラ'), JSON.stringify(marks));
  const status = await page.textContent('#search-status');
  assert.match(status, /1 件/);
  assert.equal(await page.getAttribute('#search-status', 'aria-live'), 'polite');
  await context.close();
});

test('a facet parameter in the URL filters the results and shows counts', async () => {
  const { page, context } = await open('?q=' + encodeURIComponent('課題') + '&pref=niigata');
  assert.deepEqual(await results(page), ['/challenges/niigata/']);
  assert.ok(await page.isChecked('#facet-pref-niigata'));
  const labels = await page.$$eval('#search-facets .facet-check', (ls) => ls.map((l) => l.textContent));
  assert.ok(labels.includes('新潟県（1）'), JSON.stringify(labels));
  // Clearing the facet with the keyboard brings back both challenges and updates the URL.
  await page.click('#search-filters summary');
  await page.focus('#facet-pref-niigata');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelectorAll('#search-results a').length === 2);
  assert.ok(!new URL(page.url()).searchParams.has('pref'));
  await context.close();
});

test('keyboard only: type a query, press Enter, results and the URL follow', async () => {
  const { page, context } = await open('');
  await page.keyboard.press('Tab'); // skip link
  await page.focus('#search-q');
  await page.keyboard.type('京都府');
  await page.keyboard.press('Enter');
  assert.deepEqual(await results(page), ['/columns/kyoto/']);
  assert.equal(new URL(page.url()).searchParams.get('q'), '京都府');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.tagName);
  assert.ok(['BUTTON', 'SELECT', 'A', 'SUMMARY'].includes(focused), focused);
  await context.close();
});

test('the header search box on any page leads to results', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + 'columns/');
  await page.fill('#header-q', '観光');
  await page.press('#header-q', 'Enter');
  await page.waitForURL(/\/search\/\?q=/);
  const links = await results(page);
  assert.deepEqual(links.sort(), ['/columns/both/', '/columns/tourism/']);
  await context.close();
});

test('without JavaScript the page says so and links to the browsing pages', async () => {
  const { page, context } = await open('?q=' + encodeURIComponent('観光'), { javaScriptEnabled: false });
  // With scripting off, <noscript> content is ordinary markup.
  const text = await page.locator('.noscript').innerText();
  assert.match(text, /JavaScript が必要です/);
  const links = await page.$$eval('.noscript a', (as) => as.map((a) => a.getAttribute('href')));
  for (const want of ['/prefectures/', '/themes/', '/challenges/', '/municipalities/']) assert.ok(links.includes(want), want);
  assert.equal(await page.locator('#search-results li').count(), 0);
  await context.close();
});

test('the page with results, facets and marks has no axe violations (WCAG 2.1 AA)', async () => {
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // bypassCSP: axe is injected as an inline script, which the site's policy blocks (as the audit does).
  const { page, context } = await open('?q=' + encodeURIComponent('課題') + '&pref=niigata', { bypassCSP: true });
  await results(page);
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, []);
  await context.close();
});
