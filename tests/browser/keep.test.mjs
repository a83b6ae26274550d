// Browser test of 気になる (issue 14): a visitor keeps a challenge from a list page or its own
// page (localStorage, no server); the 気になる page lists it, also after a reload and with the
// network gone; cards already kept are marked on load; unkeeping removes it; a kept challenge
// whose deadline passed shows 募集終了 by status.js's clock rules. Cards carry no button: keep.js
// makes one in each challenge card, after its title link in focus order. Without JavaScript no
// button shows and the page says why. No CSP violation, no axe violation on the 気になる page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, serve } from './server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.TSUNAGARI_BIN || path.join(repo, 'target/debug/tsunagari');
// The build date, and a time after keep-me's deadline (2026-04-20 17:00 JST).
const NOW = '2026-04-01T12:00:00+09:00';
const LATER = '2026-04-21T09:00:00+09:00';
const TITLE = '気にしてほしい課題';
let dir;
let site;
let base;
let browser;

before(async () => {
  if (!process.env.TSUNAGARI_BIN) execFileSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
  dir = mkdtempSync(path.join(tmpdir(), 'tsunagari-keep-'));
  cpSync(path.join(repo, 'tests/fixtures/sites/minimal'), dir, { recursive: true });
  // paginate_by is 2 in the fixture: a bigger page keeps every challenge on the first list page.
  writeFileSync(path.join(dir, 'site.yaml'), 'title: テストポータル\nbase_url: https://test.example.jp/\npaginate_by: 20\n');
  writeFileSync(
    path.join(dir, 'content/challenges/keep-me.md'),
    `---\ntitle: ${TITLE}\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\ndeadline: 2026-04-20 17:00\n---\n本文\n`,
  );
  execFileSync(bin, ['build', '--quiet', '--root', dir, '--now', '2026-04-01'], { stdio: 'inherit' });
  ({ server: site, url: base } = await serve(path.join(dir, 'public')));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newContext({ javaScriptEnabled = true, bypassCSP = false } = {}) {
  const context = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled, bypassCSP });
  context.errors = [];
  if (javaScriptEnabled) {
    await context.exposeFunction('__cspViolation', (v) => context.errors.push(v));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });
  }
  return context;
}

async function open(context, url, time = NOW) {
  const page = await context.newPage();
  page.on('pageerror', (e) => context.errors.push(`pageerror: ${e.message}`));
  await page.clock.setFixedTime(new Date(time));
  await page.goto(base + url, { waitUntil: 'load' });
  return page;
}

const cardButton = (page) => page.locator('.card', { hasText: TITLE }).locator('button[data-keep]');
const kept = (page) => page.locator('[data-keep-items] li');

test('keep on a list page, see it on the 気になる page after a reload, then unkeep it', async () => {
  const context = await newContext();
  const list = await open(context, 'challenges/');
  const button = cardButton(list);
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  assert.equal(await button.locator('[data-keep-label]').innerText(), '気になる');
  await button.click();
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  assert.equal(await button.locator('[data-keep-label]').innerText(), '気になるを外す');
  // Its accessible name says which challenge.
  assert.match(await button.evaluate((b) => b.textContent), new RegExp(`^気になるを外す：${TITLE}$`));
  assert.equal(await list.getByRole('button', { name: TITLE }).count(), 1);

  const page = await open(context, 'kininaru/');
  await kept(page).first().waitFor();
  assert.equal(await kept(page).count(), 1);
  const link = kept(page).getByRole('link', { name: TITLE });
  assert.equal(await link.getAttribute('href'), '/challenges/keep-me/');
  assert.equal(await kept(page).locator('.status').innerText(), '募集中');
  // Title, place and status were read from the card the button was on.
  assert.equal(await kept(page).locator('[data-keep-place]').innerText(), '新潟県 汐見町');
  assert.equal(await page.locator('[data-keep-empty]').isVisible(), false);
  await page.reload({ waitUntil: 'load' });
  await kept(page).first().waitFor();
  assert.equal(await kept(page).count(), 1);

  await kept(page).getByRole('button', { name: /気になるを外す/ }).click();
  await page.locator('[data-keep-empty]').waitFor();
  assert.equal(await kept(page).count(), 0);
  await page.locator('[data-keep-status]').filter({ hasText: `「${TITLE}」を気になるリストから外しました` }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'keep-heading');
  // The list page, loaded again, shows the card as not kept.
  await list.reload({ waitUntil: 'load' });
  assert.equal(await cardButton(list).getAttribute('aria-pressed'), 'false');
  assert.deepEqual(context.errors, []);
  await context.close();
});

test('kept on its own page, the card is marked on load; with the network gone the list still follows', async () => {
  const context = await newContext();
  const keepPage = await open(context, 'kininaru/');
  await keepPage.locator('[data-keep-empty]').waitFor();
  const own = await open(context, 'challenges/keep-me/');
  await context.setOffline(true);
  await own.locator('.entry-side button[data-keep]').click();
  // The 気になる page, already open, follows the storage of the other tab without any request.
  await kept(keepPage).first().waitFor();
  assert.equal(await kept(keepPage).getByRole('link').innerText(), TITLE);
  await context.setOffline(false);
  const list = await open(context, 'challenges/');
  assert.equal(await cardButton(list).getAttribute('aria-pressed'), 'true');
  assert.equal(await list.locator('button[data-keep][aria-pressed=true]').count(), 1);
  assert.deepEqual(context.errors, []);
  await context.close();
});

test('a kept challenge whose deadline has passed shows 募集終了', async () => {
  const context = await newContext();
  const list = await open(context, 'challenges/');
  await cardButton(list).click();
  const page = await open(context, 'kininaru/', LATER);
  await kept(page).first().waitFor();
  assert.equal(await kept(page).locator('.status').innerText(), '募集終了');
  assert.ok(await kept(page).locator('.status').evaluate((e) => e.classList.contains('status--closed')));
  assert.deepEqual(context.errors, []);
  await context.close();
});

test('keep.js makes one button in each challenge card, after its title link, and none in other cards', async () => {
  const context = await newContext();
  for (const url of ['', 'challenges/']) {
    const page = await open(context, url);
    await cardButton(page).waitFor();
    const challenges = await page.locator('.card--challenge').count();
    assert.ok(challenges > 0, url);
    assert.equal(await page.locator('.card--challenge button[data-keep]').count(), challenges, url);
    assert.equal(await page.locator('.card:not(.card--challenge) button[data-keep]').count(), 0, url);
    if (url === '') assert.ok((await page.locator('.card:not(.card--challenge)').count()) > 0, 'home shows other cards');
    // Each button names its card's URL, and follows the title link when tabbing.
    const card = page.locator('.card', { hasText: TITLE });
    assert.equal(await cardButton(page).getAttribute('data-url'), await card.locator('.card-title a').getAttribute('href'));
    await card.locator('.card-title a').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.url), '/challenges/keep-me/');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-pressed')), 'false');
    // The dev server swapping the page in place runs keep.js again: still one button per card.
    await page.evaluate(() => document.dispatchEvent(new Event('tsunagari:updated')));
    assert.equal(await page.locator('.card--challenge button[data-keep]').count(), challenges, url);
  }
  assert.deepEqual(context.errors, []);
  await context.close();
});

test('without JavaScript no 気になる button shows and the page says it needs JavaScript', async () => {
  const context = await newContext({ javaScriptEnabled: false });
  const list = await open(context, 'challenges/');
  // Cards carry none; a challenge's own page carries its button, hidden.
  assert.ok((await list.locator('.card--challenge').count()) > 0);
  assert.equal(await list.locator('button[data-keep]').count(), 0);
  const own = await open(context, 'challenges/keep-me/');
  assert.equal(await own.locator('button[data-keep]').count(), 1);
  assert.equal(await own.locator('button[data-keep]:visible').count(), 0);
  const page = await open(context, 'kininaru/');
  assert.ok((await page.locator('main').innerText()).includes('JavaScript が必要です'));
  assert.equal(await page.locator('[data-keep-page]').isVisible(), false);
  await context.close();
});

test('the 気になる page with a kept challenge has no axe violations (WCAG 2.1 AA)', async () => {
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // bypassCSP: axe is injected as an inline script, which the site's policy blocks.
  const context = await newContext({ bypassCSP: true });
  const list = await open(context, 'challenges/');
  await cardButton(list).click();
  for (const url of ['kininaru/', 'challenges/']) {
    const page = await open(context, url);
    if (url === 'kininaru/') await kept(page).first().waitFor();
    await page.addScriptTag({ content: axe });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(violations, [], url);
  }
  await context.close();
});
