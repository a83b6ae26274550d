// Browser test of the apply form: the fixture site's generic handler is a small HTTP server on
// 127.0.0.1 started here; Chromium fills the form on a challenge page by its labels, submits it,
// and the handler must receive every field, Japanese intact. Without consent, nothing is sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch } from './server.mjs';

// The fixtures are built at 2026-04-01: the page clock says so too, or assets/status.js would
// close their challenges by the real date.
const BUILT = new Date('2026-04-01T12:00:00+09:00');

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.TSUNAGARI_BIN || path.join(repo, 'target/debug/tsunagari');
const received = [];
let handler;
let handlerUrl;
let dir;
let site;
let base;
let browser;

before(async () => {
  // The form handler: records each POST and answers like a form service would.
  handler = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      // Only submissions count (the browser also asks this origin for a favicon).
      if (req.method === 'POST') received.push({ method: req.method, url: req.url, type: req.headers['content-type'], body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>受付</title><p>受け付けました</p>');
    });
  });
  await new Promise((r) => handler.listen(0, '127.0.0.1', r));
  handlerUrl = `http://127.0.0.1:${handler.address().port}/submit`;

  if (!process.env.TSUNAGARI_BIN) execFileSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
  dir = mkdtempSync(path.join(tmpdir(), 'tsunagari-forms-'));
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
      action: ${handlerUrl}
      privacy:
        purpose: 応募内容の確認のため
`,
  );
  writeFileSync(path.join(dir, 'content/privacy.md'), '---\ntitle: プライバシーポリシー\n---\n本文\n');
  execFileSync(bin, ['build', '--quiet', '--root', dir, '--now', '2026-04-01'], { stdio: 'inherit' });
  ({ server: site, url: base } = await serve(path.join(dir, 'public')));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.close();
  handler?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function fillForm(page) {
  await page.getByLabel('お名前').fill('山田 花子');
  await page.getByLabel('メールアドレス').fill('hanako@example.jp');
  await page.getByLabel('ご所属').fill('株式会社つながり（東京都）');
  await page.getByLabel('お問い合わせ内容').fill('佐渡の観光を、週末に手伝いたいです。よろしくお願いします。');
}

test('a visitor fills the apply form by its labels and the handler receives every field', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  await context.clock.setFixedTime(BUILT);
  const page = await context.newPage();
  await page.goto(base + 'challenges/open-soon/');
  const before = received.length;
  await fillForm(page);
  await page.getByLabel('同意します').check();
  await Promise.all([page.waitForURL(handlerUrl), page.getByRole('button', { name: '送信する' }).click()]);
  assert.equal(received.length, before + 1);
  const { method, url, type, body } = received.at(-1);
  assert.equal(method, 'POST');
  assert.equal(url, '/submit');
  assert.match(type, /application\/x-www-form-urlencoded/);
  const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  assert.deepEqual(form, {
    challenge: '締切が近い課題',
    municipality: '汐見町',
    page_url: 'https://test.example.jp/challenges/open-soon/',
    name: '山田 花子',
    email: 'hanako@example.jp',
    organization: '株式会社つながり（東京都）',
    message: '佐渡の観光を、週末に手伝いたいです。よろしくお願いします。',
    website: '',
    consent: '同意する',
  });
  assert.match(await page.textContent('body'), /受け付けました/);
  await context.close();
});

/**
 * Clicks 送信する and resolves to the id of the first control the browser refused the form for.
 * The browser fires `invalid` at the invalid controls in the very task in which it drops the
 * submission, so once it has fired no request has gone out or will: nothing to wait for. If the
 * form were sent instead, the page would navigate away and the wait below fail.
 */
async function submitRefused(page) {
  await page.evaluate(() => {
    window.__invalid = undefined;
    const form = document.querySelector('form.contact-form');
    form.addEventListener('invalid', (e) => { window.__invalid ??= e.target.id; }, { capture: true });
  });
  await page.getByRole('button', { name: '送信する' }).click();
  await page.waitForFunction(() => window.__invalid !== undefined, null, { timeout: 5000 });
  return page.evaluate(() => window.__invalid);
}

test('without consent the browser refuses to submit, and nothing is sent', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  await context.clock.setFixedTime(BUILT);
  const page = await context.newPage();
  await page.goto(base + 'challenges/open-soon/');
  const before = received.length;
  await fillForm(page);
  assert.equal(await submitRefused(page), 'form-consent');
  assert.equal(received.length, before, 'nothing reached the handler');
  assert.equal(new URL(page.url()).pathname, '/challenges/open-soon/');
  assert.equal(await page.$eval('#form-consent', (c) => c.validity.valueMissing), true);
  // An invalid e-mail address is refused too, with consent given.
  await page.getByLabel('同意します').check();
  await page.getByLabel('メールアドレス').fill('hanako.example.jp');
  assert.equal(await submitRefused(page), 'form-email');
  assert.equal(received.length, before);
  assert.equal(await page.$eval('#form-email', (c) => c.validity.typeMismatch), true);
  await context.close();
});

test('closed challenges show no form', async () => {
  const context = await browser.newContext();
  await context.clock.setFixedTime(BUILT);
  const page = await context.newPage();
  await page.goto(base + 'challenges/closed-by-deadline/');
  assert.equal(await page.locator('form.contact-form').count(), 0);
  await context.close();
});
