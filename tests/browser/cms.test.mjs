// End to end test of the web editor (`static/admin/`, issue 13 §3): a site fresh from `init`,
// its admin page with the Sveltia CMS bundle from the pinned npm package served in place of the
// CDN (so Subresource Integrity is checked against the npm file), Chromium creating a challenge
// through the form, and `tsunagari check` accepting the file it saved.
//
// Sveltia CMS has no decap-server local backend (it ignores `local_backend`); it edits a local
// repository through the File System Access API. Headless Chromium has no directory picker, so
// `showDirectoryPicker` returns a folder of the origin private file system (a real
// FileSystemDirectoryHandle) filled with the site's files; the saved file is read back from it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const bin = process.env.TSUNAGARI_BIN || path.join(repo, 'target/debug/tsunagari');
const pkg = path.join(here, 'node_modules/@sveltia/cms');
let dir;
let site;
let base;
let browser;

before(async () => {
  if (!process.env.TSUNAGARI_BIN) execFileSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
  dir = path.join(mkdtempSync(path.join(tmpdir(), 'tsunagari-cms-')), 'site');
  execFileSync(bin, ['init', dir], { stdio: 'ignore' });
  ({ server: site, url: base } = await serve(path.join(dir, 'static')));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.close();
  if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
});

function scriptTag() {
  const html = readFileSync(path.join(dir, 'static/admin/index.html'), 'utf8');
  const m = html.match(/<script src="([^"]+)" integrity="([^"]+)" crossorigin="anonymous"><\/script>/);
  assert.ok(m, html);
  return { src: m[1], integrity: m[2] };
}

test('the admin page pins the npm package version and its SRI hash', () => {
  const { src, integrity } = scriptTag();
  const version = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8')).dependencies['@sveltia/cms'];
  assert.equal(JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).version, version);
  assert.equal(src, `https://unpkg.com/@sveltia/cms@${version}/dist/sveltia-cms.js`);
  const file = readFileSync(path.join(pkg, 'dist/sveltia-cms.js'));
  assert.equal(integrity, `sha384-${createHash('sha384').update(file).digest('base64')}`);
});

/** Every file of the site (but static/admin), as { path: text }, for the picked folder. */
function siteFiles(root, rel = '', out = {}) {
  for (const name of readdirSync(path.join(root, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    if (r === 'static/admin') continue;
    if (statSync(path.join(root, r)).isDirectory()) siteFiles(root, r, out);
    else out[r] = readFileSync(path.join(root, r), 'utf8');
  }
  return out;
}

test('staff create a challenge in the web editor and check accepts it', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  // The CDN, answered from the pinned npm package (with CORS, as unpkg answers).
  await context.route('https://unpkg.com/**', (route) => {
    const rel = new URL(route.request().url()).pathname.replace(/^\/@sveltia\/cms@[^/]+\//, '');
    const file = path.join(pkg, rel);
    if (!file.startsWith(pkg)) return route.abort();
    let body;
    try { body = readFileSync(file); } catch { return route.fulfill({ status: 404, body: 'not found' }); }
    const type = rel.endsWith('.json') ? 'application/json' : 'text/javascript';
    return route.fulfill({ status: 200, body, headers: { 'content-type': type, 'access-control-allow-origin': '*' } });
  });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => (route.request().url().startsWith('https://unpkg.com/') ? route.fallback() : route.abort()));
  await context.addInitScript((files) => {
    window.showDirectoryPicker = async () => {
      const opfs = await navigator.storage.getDirectory();
      const root = await opfs.getDirectoryHandle('site', { create: true });
      await root.getDirectoryHandle('.git', { create: true });
      for (const [rel, text] of Object.entries(files)) {
        const parts = rel.split('/');
        let d = root;
        for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p, { create: true });
        const w = await (await d.getFileHandle(parts.at(-1), { create: true })).createWritable();
        await w.write(text);
        await w.close();
      }
      return root;
    };
  }, siteFiles(dir));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}admin/`);
  await page.getByRole('button', { name: /Work with Local Repository/ }).click();
  // The collections, with their Japanese labels.
  for (const label of ['課題', '事例', 'コラム', '自治体プロフィール', 'ページ']) {
    await page.getByText(label, { exact: true }).first().waitFor();
  }
  await page.getByText('課題', { exact: true }).first().click();
  await page.getByRole('button', { name: 'Create New Entry' }).click();
  // Fields carry the labels of config.yml; each is found by its front-matter key.
  await page.locator('[data-key-path="title"]').getByText('タイトル').first().waitFor();
  const field = (key) => page.locator(`[data-key-path="${key}"]`);
  // Under load the editor can still be setting up the new entry when the first fields are
  // filled, and a late reset empties them; so every value is checked right before saving and
  // filled again if it was lost (waiting on DOM state, not on time).
  const inputs = [
    [field('title').locator('input'), '棚田の草刈りを手伝ってください'],
    [field('date').locator('input').first(), '2026-04-01'],
    [field('municipality').locator('input'), '汐見町'],
  ];
  const prefecture = field('prefecture').getByRole('combobox');
  for (let round = 0; round < 3; round += 1) {
    let lost = 0;
    for (const [input, value] of inputs) {
      if ((await input.inputValue()) !== value) {
        lost += 1;
        await input.fill(value);
      }
    }
    if (!(await prefecture.textContent()).includes('新潟県')) {
      lost += 1;
      await prefecture.click();
      await page.getByRole('option', { name: '新潟県', exact: true }).click();
      await prefecture.filter({ hasText: '新潟県' }).waitFor();
    }
    if (lost === 0) break;
  }
  await page.locator('button[data-label="Save"]').click();
  // Saved once the editor says so; then the new file is read back from the picked folder.
  await page.getByText(/Entry saved/).first().waitFor().catch(async (e) => {
    throw new Error(`${e.message}\n${await page.locator('[aria-invalid="true"], [role="alert"]').allInnerTexts()}`);
  });
  const saved = await page.evaluate(async () => {
    const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('site');
    const d = await (await root.getDirectoryHandle('content')).getDirectoryHandle('challenges');
    for await (const [name, h] of d.entries()) {
      if (!['first-challenge.md', '_index.md'].includes(name)) return { name, text: await (await h.getFile()).text() };
    }
    return null;
  });
  assert.ok(saved, 'a new file in content/challenges/');
  assert.match(saved.text, /棚田の草刈りを手伝ってください/);
  writeFileSync(path.join(dir, 'content/challenges', saved.name), saved.text);
  execFileSync(bin, ['check', '--root', dir], { stdio: 'pipe' });
  assert.deepEqual(errors, []);
  await context.close();
});
