// Browser test of the status script (issue 14, "status that stays true between rebuilds"): a
// fixture site built on 2026-04-01, when its challenge (deadline 2026-04-20 17:00 JST, with a
// form) is open, is read with the browser clock set before the deadline, inside the closing-soon
// window and after it, with JavaScript on and off. No CSP violation may be raised.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, serve } from './server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.TSUNAGARI_BIN || path.join(repo, 'target/debug/tsunagari');
let dir;
let site;
let base;
let browser;

before(async () => {
  if (!process.env.TSUNAGARI_BIN) execFileSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
  dir = mkdtempSync(path.join(tmpdir(), 'tsunagari-status-'));
  cpSync(path.join(repo, 'tests/fixtures/sites/minimal'), dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'site.yaml'),
    `title: テストポータル
base_url: https://test.example.jp/
forms:
  default: apply
  handlers:
    apply:
      provider: generic
      action: https://forms.example.jp/submit
      privacy:
        purpose: 応募内容の確認のため
`,
  );
  mkdirSync(path.join(dir, 'content/challenges'), { recursive: true });
  writeFileSync(path.join(dir, 'content/privacy.md'), '---\ntitle: プライバシーポリシー\n---\n本文\n');
  writeFileSync(
    path.join(dir, 'content/challenges/apply-me.md'),
    '---\ntitle: 応募できる課題\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\ndeadline: 2026-04-20 17:00\n---\n本文\n',
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

/** Opens `url` with the clock at `time`; returns the page and the violations it raised. */
async function open(url, time, { javaScriptEnabled = true } = {}) {
  const ctx = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled });
  const violations = [];
  if (javaScriptEnabled) {
    await ctx.exposeFunction('__cspViolation', (v) => violations.push(v));
    await ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
      });
    });
  }
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => violations.push(`pageerror: ${e.message}`));
  await page.clock.setFixedTime(new Date(time));
  // Deferred scripts have run once `load` has fired.
  await page.goto(base + url, { waitUntil: 'load' });
  return { ctx, page, violations };
}

const challenge = 'challenges/apply-me/';
const badge = '.entry-status .status';
const card = 'li.card:has(a[href$="/challenges/apply-me/"])';

async function state(page) {
  return page.evaluate((b) => ({
    badge: document.querySelector(b).textContent,
    badgeClass: document.querySelector(b).className,
    countdown: [...document.querySelectorAll('.entry-status .countdown')].filter((e) => !e.hidden).map((e) => e.textContent),
    formVisible: !!document.querySelector('#apply')?.checkVisibility(),
    applyNowVisible: !!document.querySelector('.apply-now')?.checkVisibility(),
    noteVisible: !!document.querySelector('.closed-note')?.checkVisibility(),
  }), badge);
}

test('before the deadline: open, the form shown, the countdown from the visitor clock', async () => {
  const { ctx, page, violations } = await open(challenge, '2026-04-02T09:00:00+09:00');
  assert.deepEqual(await state(page), {
    badge: '募集中',
    badgeClass: 'status status--open',
    countdown: ['（あと18日）'],
    formVisible: true,
    applyNowVisible: true,
    noteVisible: false,
  });
  assert.deepEqual(violations, []);
  await ctx.close();
});

test('within closing_soon_days: まもなく締切 on the page and on its card', async () => {
  const { ctx, page, violations } = await open(challenge, '2026-04-10T09:00:00+09:00');
  const s = await state(page);
  assert.equal(s.badge, 'まもなく締切');
  assert.equal(s.badgeClass, 'status status--closing-soon');
  assert.deepEqual(s.countdown, ['（あと10日）']);
  assert.equal(s.formVisible, true);
  assert.equal(s.applyNowVisible, true);
  await page.goto(base + 'challenges/', { waitUntil: 'load' });
  assert.equal(await page.locator(`${card} .status`).textContent(), 'まもなく締切');
  assert.match(await page.locator(card).getAttribute('class'), /card--closing-soon/);
  assert.deepEqual(violations, []);
  await ctx.close();
});

test('after the deadline: closed, the form hidden, the countdown gone, the notice shown', async () => {
  const { ctx, page, violations } = await open(challenge, '2026-04-20T17:00:01+09:00');
  assert.deepEqual(await state(page), {
    badge: '募集終了',
    badgeClass: 'status status--closed',
    countdown: [],
    formVisible: false,
    applyNowVisible: false,
    noteVisible: true,
  });
  await page.goto(base + 'challenges/', { waitUntil: 'load' });
  assert.equal(await page.locator(`${card} .status`).textContent(), '募集終了');
  assert.equal(await page.locator(`${card} .countdown`).isVisible(), false);
  assert.deepEqual(violations, []);
  await ctx.close();
});

test('without JavaScript the build-time status shows, even after the deadline', async () => {
  const { ctx, page } = await open(challenge, '2026-04-21T09:00:00+09:00', { javaScriptEnabled: false });
  assert.equal(await page.locator(badge).textContent(), '募集中');
  assert.equal(await page.locator('.entry-status .countdown').textContent(), '（あと19日）');
  assert.equal(await page.locator('#apply').isVisible(), true);
  assert.equal(await page.locator('.apply-now').isVisible(), true);
  assert.equal(await page.locator('.closed-note').isVisible(), false);
  await ctx.close();
});
