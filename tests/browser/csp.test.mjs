// Browser test of the Content-Security-Policy (issue 11, area csp): every page of a fixture site
// with every page kind — home, section lists, open and closed challenges with a form, case,
// column, plain pages, an embedded form, taxonomy indexes and term pages, municipality pages,
// search with results, 404, thanks, 気になる — is loaded in Chromium under the policy of its <meta> element
// AND the one of _headers (sent as real response headers), and must raise no
// `securitypolicyviolation` event and no CSP console message. A search is run and a form is
// submitted under the policy too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './server.mjs';

// The fixtures are built at 2026-04-01: the page clock says so too, or assets/status.js would
// close their challenges by the real date.
const BUILT = new Date('2026-04-01T12:00:00+09:00');

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.TSUNAGARI_BIN || path.join(repo, 'target/debug/tsunagari');
const SITE = 'https://test.example.jp/';
const received = [];
let handler;
let handlerOrigin;
let dir;
let site;
let base;
let browser;
let headers;

before(async () => {
  // The form service: records POSTs, and serves the embedded form's page.
  handler = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') received.push(Buffer.concat(chunks).toString());
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html lang="ja"><meta charset="utf-8"><title>フォーム</title><p>受け付けました</p></html>');
    });
  });
  await new Promise((r) => handler.listen(0, '127.0.0.1', r));
  handlerOrigin = `http://127.0.0.1:${handler.address().port}`;

  if (!process.env.TSUNAGARI_BIN) execFileSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
  dir = mkdtempSync(path.join(tmpdir(), 'tsunagari-csp-'));
  cpSync(path.join(repo, 'tests/fixtures/sites/minimal'), dir, { recursive: true });
  const privacy = '      privacy:\n        purpose: 応募内容の確認のため\n';
  writeFileSync(
    path.join(dir, 'site.yaml'),
    `title: テストポータル
base_url: ${SITE}
paginate_by: 2
forms:
  default: apply
  handlers:
    apply:
      provider: generic
      action: ${handlerOrigin}/submit
${privacy}    contact:
      provider: embed
      url: ${handlerOrigin}/embed
${privacy}`,
  );
  const page = (rel, text) => writeFileSync(path.join(dir, 'content', rel), text);
  page('privacy.md', '---\ntitle: プライバシーポリシー\n---\n本文\n');
  page('contact.md', '---\ntitle: お問い合わせ\nform: contact\n---\n下のフォームからどうぞ。\n');
  page('table.md', '---\ntitle: 表のページ\n---\n| 左 | 中 | 右 |\n|:--|:-:|--:|\n| a | b | c |\n\n脚注[^1]\n\n- [x] 済み\n\n[^1]: 注\n');
  mkdirSync(path.join(dir, 'content/municipalities'), { recursive: true });
  page('municipalities/shiomi.md', '---\nmunicipality: 汐見町\nprefecture: 新潟県\nsummary: 海と山の町\n---\n町の紹介\n');
  execFileSync(bin, ['build', '--quiet', '--root', dir, '--now', '2026-04-01'], { stdio: 'inherit' });
  headers = parseHeaders(readFileSync(path.join(dir, 'public/_headers'), 'utf8'));
  ({ server: site, url: base } = await serveWithHeaders(path.join(dir, 'public')));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.close();
  handler?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml' };

/** Serves the built site on 127.0.0.1 the way Netlify or Cloudflare Pages would: _headers' `/*`
 *  headers on every response (so the header policy, frame-ancestors included, is enforced too). */
async function serveWithHeaders(root) {
  const server = http.createServer(async (req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, path.normalize(p));
    try {
      if (!file.startsWith(root)) throw new Error('outside');
      const body = readFileSync(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { ...headers, 'content-type': 'text/html; charset=utf-8' });
      res.end(readFileSync(path.join(root, '404.html')));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

/** The `/*` rule of _headers as { name: value }. */
function parseHeaders(text) {
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '/*');
  // The rule ends at the next path (the fingerprinted assets' Cache-Control rules).
  const end = lines.findIndex((l, i) => i > 0 && !l.startsWith(' '));
  return Object.fromEntries(lines.slice(1, end < 0 ? undefined : end).map((l) => {
    const i = l.indexOf(': ');
    return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 2)];
  }));
}

/** A context whose pages report every violation. */
async function context() {
  const ctx = await browser.newContext({ locale: 'ja-JP' });
  await ctx.clock.setFixedTime(BUILT);
  const violations = [];
  await ctx.exposeFunction('__cspViolation', (v) => violations.push(v));
  // Registered before any script of the page runs.
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.documentURI} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => violations.push(`pageerror: ${e.message}`));
  return { ctx, page, violations };
}

/** Lets queued violation reports reach us: a frame, then a task, in the page. */
async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

/** Every page the sitemap lists, plus what it leaves out on purpose. */
function allPages() {
  const xml = readFileSync(path.join(dir, 'public/sitemap.xml'), 'utf8');
  const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replace(SITE, ''));
  return [...new Set([...locs, '404.html', 'thanks/', 'search/', 'kininaru/'])];
}

test('the policy is the same in the meta element and in _headers', async () => {
  const html = readFileSync(path.join(dir, 'public/index.html'), 'utf8');
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)[1];
  // Written with its single quotes as they are (no `&#39;`), so it is the header's text.
  assert.equal(headers['content-security-policy'], `${meta}; frame-ancestors 'self'`);
  assert.match(meta, new RegExp(`form-action 'self' ${handlerOrigin}`));
  assert.match(meta, new RegExp(`frame-src ${handlerOrigin}`));
  assert.doesNotMatch(meta, /unsafe/);
});

test('every page kind loads under the policy without a single violation', async () => {
  const pages = allPages();
  for (const want of ['', 'challenges/', 'cases/', 'columns/', 'challenges/open-soon/', 'challenges/closed-by-status/',
    'cases/good-case/', 'columns/hello/', 'about/', 'contact/', 'table/', 'themes/', 'prefectures/niigata/',
    'municipalities/', 'challenges/status/open/']) {
    assert.ok(pages.includes(want) || pages.some((p) => p.startsWith(want)), `${want} in ${pages.join(' ')}`);
  }
  assert.ok(pages.some((p) => p.startsWith('municipalities/niigata/')), 'a municipality page');
  assert.ok(pages.some((p) => /^themes\/.+\//.test(p)), 'a term page');
  const { ctx, page, violations } = await context();
  for (const p of pages) {
    await page.goto(base + p, { waitUntil: 'load' });
    if (p === 'contact/') {
      // The embedded form (a lazy iframe) loads under frame-src.
      await page.locator('iframe').scrollIntoViewIfNeeded();
      await page.frameLocator('iframe').locator('text=受け付けました').waitFor();
    }
    await settle(page);
    assert.deepEqual(violations, [], `violations on /${p}`);
  }
  await ctx.close();
});

test('JSON-LD data blocks raise no violation and are still readable', async () => {
  const { ctx, page, violations } = await context();
  await page.goto(base + 'challenges/open-soon/', { waitUntil: 'load' });
  const types = await page.$$eval('script[type="application/ld+json"]', (ss) => ss.flatMap((s) => {
    const j = JSON.parse(s.textContent);
    return (j['@graph'] || [j]).map((n) => n['@type']);
  }));
  assert.ok(types.includes('JobPosting'), JSON.stringify(types));
  await settle(page);
  assert.deepEqual(violations, []);
  await ctx.close();
});

test('a search runs and renders its results under the policy', async () => {
  const { ctx, page, violations } = await context();
  await page.goto(base + 'search/?q=' + encodeURIComponent('課題'), { waitUntil: 'load' });
  await page.waitForFunction(() => document.querySelectorAll('#search-results a').length > 0);
  // A second query through the form, facets and "more" included.
  await page.fill('#search-q', '観光');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '観光'
    && document.querySelectorAll('#search-results a').length > 0);
  await settle(page);
  assert.deepEqual(violations, []);
  await ctx.close();
});

test('the apply form is filled and submitted under the policy (form-action)', async () => {
  const { ctx, page, violations } = await context();
  await page.goto(base + 'challenges/open-soon/', { waitUntil: 'load' });
  await page.getByLabel('お名前').fill('山田 花子');
  await page.getByLabel('メールアドレス').fill('hanako@example.jp');
  await page.getByLabel('お問い合わせ内容').fill('手伝いたいです。');
  await page.getByLabel('「個人情報の取り扱いについて」に同意します').check();
  const before = received.length;
  await Promise.all([
    page.waitForURL(`${handlerOrigin}/submit`),
    page.getByRole('button', { name: '送信する' }).click(),
  ]);
  await page.locator('text=受け付けました').waitFor();
  assert.equal(received.length, before + 1);
  assert.match(received.at(-1), /email=hanako%40example.jp/);
  assert.deepEqual(violations, []);
  await ctx.close();
});

test('an inline script is blocked: the policy is really enforced', async () => {
  // Guards the test itself: a page with an inline script must report a violation here.
  writeFileSync(path.join(dir, 'public/inline-probe.html'),
    readFileSync(path.join(dir, 'public/index.html'), 'utf8').replace('</main>', '<script>document.title="x"</script><p style="color:red">p</p></main>'));
  const { ctx, page, violations } = await context();
  await page.goto(base + 'inline-probe.html', { waitUntil: 'load' });
  await settle(page);
  assert.notEqual(await page.title(), 'x');
  assert.ok(violations.some((v) => v.startsWith('script-src')), violations.join('\n'));
  assert.ok(violations.some((v) => v.startsWith('style-src')), violations.join('\n'));
  await ctx.close();
});
