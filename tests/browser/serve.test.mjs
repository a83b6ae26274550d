// Browser test of `tsunagari serve`: a save updates the open page in place; a broken save shows
// an overlay naming the file and line while the last good page stays; fixing the file clears it;
// tabs showing other pages are left alone; after the server restarts, an open page reconnects by
// itself and follows saves again. Under a strict Content-Security-Policy the live client
// (an external script) and its overlay work without a single violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './server.mjs';

// The fixtures are built at 2026-04-01: the page clock says so too, or assets/status.js would
// close their challenges by the real date.
const BUILT = new Date('2026-04-01T12:00:00+09:00');

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.TSUNAGARI_BIN || path.join(repo, 'target/debug/tsunagari');
let dir;
let child;
let base;
let browser;

/** Runs `tsunagari serve` on the site in `dir` (port 0: any free one); resolves to { child, base }. */
const serveAt = async (dir, port = 0) => {
  const child = spawn(bin, ['serve', '--root', dir, '--port', String(port), '--now', '2026-04-01'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const base = await new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return { child, base };
};

/** Starts `tsunagari serve` on a copy of the minimal fixture; resolves to { dir, child, base }. */
const startServe = async (prepare = () => {}) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsunagari-serve-'));
  cpSync(path.join(repo, 'tests/fixtures/sites/minimal'), dir, { recursive: true });
  prepare(dir);
  return { dir, ...(await serveAt(dir)) };
};

/** Stops a server and resolves once its process is gone (so its port is free again). */
const stop = (child) => new Promise((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve();
  child.once('exit', resolve);
  child.kill();
});

before(async () => {
  if (!process.env.TSUNAGARI_BIN) execFileSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
  ({ dir, child, base } = await startServe());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  child?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const write = (rel, text) => writeFileSync(path.join(dir, rel), text);

test('saving updates the page in place; a broken save shows the problem until it is fixed', async () => {
  const page = await browser.newPage();
  await page.clock.setFixedTime(BUILT);
  await page.goto(base + 'columns/hello/');
  assert.equal(await page.textContent('h1'), 'はじめてのコラム');
  await page.locator('html[data-tsunagari-live]').waitFor({ state: 'attached' });

  // The page is updated in place: no navigation, so state of the tab (this marker, the scroll
  // position) survives, and the page's title and head follow the edit.
  await page.evaluate(() => { window.__kept = true; });
  write('content/columns/hello.md', '---\ntitle: 保存したコラム\ndate: 2026-02-01\n---\n本文\n');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === '保存したコラム', null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.__kept), true, 'updated in place, not reloaded');
  assert.match(await page.title(), /^保存したコラム/);
  assert.equal(await page.locator('script[data-tsunagari]').count(), 1, 'one live-reload client');

  write('content/columns/hello.md', '---\ntitle: 壊れたコラム\ndate: 2026-02-01\nprefecture: 東京\n---\n');
  const overlay = page.locator('#tsunagari-problems');
  await overlay.waitFor({ timeout: 15000 });
  assert.equal(await overlay.getAttribute('role'), 'alert');
  assert.match(await overlay.locator('.tsunagari-where').first().textContent(), /^content\/columns\/hello\.md:4:1$/);
  assert.match(await overlay.textContent(), /「prefecture」という項目はありません/);
  assert.equal(await page.textContent('h1'), '保存したコラム', 'the last good page stays');

  // A reload while broken shows the overlay again at once.
  await page.reload();
  await overlay.waitFor({ timeout: 5000 });
  await page.locator('html[data-tsunagari-live]').waitFor({ state: 'attached' });

  write('content/columns/hello.md', '---\ntitle: 直ったコラム\ndate: 2026-02-01\n---\n');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === '直ったコラム', null, { timeout: 15000 });
  assert.equal(await page.locator('#tsunagari-problems').count(), 0);
  await page.close();
});

test('a tab reloads only when its own page changed; pages with scripts reload in full', async () => {
  const other = await browser.newPage();
  await other.clock.setFixedTime(BUILT);
  await other.goto(base + 'about/');
  await other.locator('html[data-tsunagari-live]').waitFor({ state: 'attached' });
  await other.evaluate(() => { window.__kept = true; });
  const search = await browser.newPage();
  await search.clock.setFixedTime(BUILT);
  await search.goto(base + 'search/');
  await search.locator('html[data-tsunagari-live]').waitFor({ state: 'attached' });
  await search.evaluate(() => { window.__kept = true; });
  write('content/columns/hello.md', '---\ntitle: また保存したコラム\ndate: 2026-02-01\n---\n');
  // The search page shows a new index once the late outputs are rebuilt: a full reload, since
  // it runs the search script.
  await search.waitForFunction(() => window.__kept === undefined, null, { timeout: 15000 });
  assert.equal(await other.evaluate(() => window.__kept), true, 'an unrelated page is left alone');
  await other.close();
  await search.close();
});

// The preview serves pages under the theme's own strict policy (src/csp.rs): nothing inline.
test('under a strict CSP, live update and the error overlay work with zero violations', async () => {
  const served = await startServe();
  const save = (rel, text) => writeFileSync(path.join(served.dir, rel), text);
  const page = await browser.newPage();
  await page.clock.setFixedTime(BUILT);
  const violations = [];
  await page.exposeFunction('__cspViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  try {
    await page.goto(served.base + 'columns/hello/');
    const meta = page.locator('meta[http-equiv="Content-Security-Policy"]');
    assert.equal(await meta.count(), 1, 'the policy is in force');
    const policy = await meta.getAttribute('content');
    assert.match(policy, /script-src 'self'(;|$)/);
    assert.match(policy, /style-src 'self'(;|$)/);
    assert.doesNotMatch(policy, /unsafe/);
    // The client runs (an external module script): its event stream opens, and a save then
    // updates the page in place.
    await page.locator('html[data-tsunagari-live]').waitFor({ state: 'attached', timeout: 15000 });
    await page.evaluate(() => { window.__kept = true; });
    save('content/columns/hello.md', '---\ntitle: CSPの下で保存\ndate: 2026-02-01\n---\n本文\n');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'CSPの下で保存', null, { timeout: 15000 });
    assert.equal(await page.evaluate(() => window.__kept), true, 'updated in place');

    save('content/columns/hello.md', '---\ntitle: 壊れた\ndate: 2026-02-01\nprefecture: 東京\n---\n');
    const overlay = page.locator('#tsunagari-problems');
    await overlay.waitFor({ timeout: 15000 });
    assert.match(await overlay.textContent(), /「prefecture」という項目はありません/);
    // Styled through the CSSOM: the overlay is laid over the page, not unstyled in the flow.
    assert.equal(await overlay.evaluate((e) => getComputedStyle(e).position), 'fixed');

    await page.reload();
    await overlay.waitFor({ timeout: 5000 });
    await page.locator('html[data-tsunagari-live]').waitFor({ state: 'attached', timeout: 15000 });
    save('content/columns/hello.md', '---\ntitle: 直った\ndate: 2026-02-01\n---\n');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === '直った', null, { timeout: 15000 });
    assert.equal(await page.locator('#tsunagari-problems').count(), 0);
    assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
  } finally {
    await page.close();
    served.child.kill();
    rmSync(served.dir, { recursive: true, force: true });
  }
});

// A preview left open across a restart of `tsunagari serve` (stopped with Ctrl-C, started again
// on the same port) picks up again without the visitor reloading: EventSource reconnects.
test('after the server restarts, an open page reconnects, shows what was saved meanwhile and updates in place again', async () => {
  const served = await startServe();
  let again;
  const page = await browser.newPage();
  await page.clock.setFixedTime(BUILT);
  try {
    await page.goto(served.base + 'columns/hello/');
    const live = page.locator('html[data-tsunagari-live]');
    await live.waitFor({ state: 'attached', timeout: 15000 });
    await page.evaluate(() => { window.__kept = true; });

    // The stream breaks with the server: the page marks itself as no longer live.
    await stop(served.child);
    await live.waitFor({ state: 'detached', timeout: 15000 });

    // A save while the server is away shows once the page is back in touch.
    writeFileSync(path.join(served.dir, 'content/columns/hello.md'), '---\ntitle: 停止中に保存\ndate: 2026-02-01\n---\n本文\n');
    again = await serveAt(served.dir, new URL(served.base).port);
    assert.equal(again.base, served.base, 'the same address');
    await live.waitFor({ state: 'attached', timeout: 30000 });
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === '停止中に保存', null, { timeout: 15000 });
    writeFileSync(path.join(served.dir, 'content/columns/hello.md'), '---\ntitle: 再起動のあとで保存\ndate: 2026-02-01\n---\n本文\n');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === '再起動のあとで保存', null, { timeout: 15000 });
    assert.equal(await page.evaluate(() => window.__kept), true, 'updated in place, not reloaded');
    assert.equal(await page.locator('script[data-tsunagari]').count(), 1, 'one live-reload client');
  } finally {
    await page.close();
    await stop(served.child);
    if (again) await stop(again.child);
    rmSync(served.dir, { recursive: true, force: true });
  }
});
