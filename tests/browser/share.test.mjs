// Browser test of the share links (issue 14, "Share"): plain links to LINE, X and Facebook
// always; with JavaScript, リンクをコピー writes the page's URL to the clipboard and announces
// コピーしました, and 共有 calls the Web Share API with the URL and title where the browser has
// one. share.js makes those buttons (and their live region) only where they can work, so without
// JavaScript the page has none. No CSP violation, no axe violation.
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
const NOW = '2026-04-01T12:00:00+09:00';
const TITLE = '魚 & 港? を届ける';
const PERMALINK = 'https://test.example.jp/challenges/share-me/';
let dir;
let site;
let base;
let browser;

before(async () => {
  if (!process.env.TSUNAGARI_BIN) execFileSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
  dir = mkdtempSync(path.join(tmpdir(), 'tsunagari-share-'));
  cpSync(path.join(repo, 'tests/fixtures/sites/minimal'), dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'content/challenges/share-me.md'),
    `---\ntitle: ${TITLE}\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\ndeadline: 2026-06-30\n---\n本文\n`,
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

/** Opens the challenge; `share` stubs navigator.share (recording its calls) or removes it. */
async function open({ share = false, javaScriptEnabled = true, bypassCSP = false } = {}) {
  const context = await browser.newContext({ locale: 'ja-JP', javaScriptEnabled, bypassCSP });
  const errors = [];
  if (javaScriptEnabled) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await context.exposeFunction('__cspViolation', (v) => errors.push(v));
    await context.addInitScript((withShare) => {
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolation(`${e.violatedDirective} ${e.blockedURI}`));
      if (withShare) {
        window.__shared = [];
        Object.defineProperty(Navigator.prototype, 'share', {
          configurable: true,
          value: (data) => { window.__shared.push(data); return Promise.resolve(); },
        });
      } else {
        delete Navigator.prototype.share;
      }
    }, share);
  }
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.clock.setFixedTime(new Date(NOW));
  await page.goto(base + 'challenges/share-me/', { waitUntil: 'load' });
  return { context, page, errors };
}

test('the plain share links name the page; no 共有 button without the Web Share API', async () => {
  const { context, page, errors } = await open();
  const hrefs = await page.locator('.share a').evaluateAll((as) => as.map((a) => a.href));
  assert.equal(hrefs.length, 3);
  for (const href of hrefs) {
    const u = new URL(href);
    assert.equal(u.searchParams.get(u.hostname === 'www.facebook.com' ? 'u' : 'url'), PERMALINK);
  }
  assert.equal(new URL(hrefs[1]).searchParams.get('text'), null);
  for (const link of await page.locator('.share a').all()) assert.ok(await link.isVisible());
  assert.equal(await page.getByRole('button', { name: '共有', exact: true }).count(), 0);
  // The copy button comes after the links; the live region is the section's own.
  assert.deepEqual(await page.locator('.share li').allInnerTexts(), ['LINEで送る', 'Xでポスト', 'Facebookでシェア', 'リンクをコピー']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('リンクをコピー writes the URL to the clipboard and announces it', async () => {
  const { context, page, errors } = await open();
  const copy = page.getByRole('button', { name: 'リンクをコピー' });
  await copy.click();
  const status = page.locator('.share [role=status]');
  await status.filter({ hasText: 'コピーしました' }).waitFor();
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), PERMALINK);
  assert.deepEqual(errors, []);
  await context.close();
});

test('共有 calls the Web Share API with the URL and title where the browser has it', async () => {
  const { context, page, errors } = await open({ share: true });
  // 共有 first: the share sheet offers every network at once.
  assert.deepEqual(await page.locator('.share li').allInnerTexts(), ['共有', 'LINEで送る', 'Xでポスト', 'Facebookでシェア', 'リンクをコピー']);
  await page.getByRole('button', { name: '共有', exact: true }).click();
  await page.waitForFunction(() => window.__shared.length === 1);
  assert.deepEqual(await page.evaluate(() => window.__shared), [{ title: TITLE, url: PERMALINK }]);
  // The plain links stay for the networks the share sheet does not offer.
  assert.ok(await page.locator('.share a').first().isVisible());
  assert.deepEqual(errors, []);
  await context.close();
});

test('without JavaScript the links work and no button shows', async () => {
  const { context, page } = await open({ javaScriptEnabled: false });
  assert.equal(await page.locator('.share a:visible').count(), 3);
  assert.equal(await page.locator('.share button:visible').count(), 0);
  assert.equal(await page.locator('button[data-keep]:visible').count(), 0);
  await context.close();
});

test('a challenge page with share links has no axe violations (WCAG 2.1 AA)', async () => {
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // bypassCSP: axe is injected as an inline script, which the site's policy blocks.
  const { context, page } = await open({ share: true, bypassCSP: true });
  await page.getByRole('button', { name: 'リンクをコピー' }).waitFor();
  await page.addScriptTag({ content: axe });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, []);
  await context.close();
});
