// The search index's packs read with HTTP Range requests (issue 16): a site of 300 columns, served
// once by a server that answers Range (206) and once by one that ignores it (200, whole files).
// The same query finds the same pages either way; with Range, every pack response is either a
// blob's two offsets (8 bytes) or exactly one blob, so a query downloads its blobs, not the packs;
// without Range, each pack is downloaded once at most and sliced in the page.
// Every wait is for a DOM state, never for a time.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { servedSite } from './server.mjs';

const NOW = '2026-11-21T09:00:00+09:00';
const QUERY = '棚田';
const WORDS = ['農業', '漁業', '林業', '商店街', '空き家', '移住', '子育て', '祭り', '温泉', '古民家', '工芸', '防災', '交通'];

/** 300 columns of last year, each on a few themes; every twentieth mentions 棚田: enough
 * documents for packs of many blobs (the level's shards, the metadata and text chunks). */
function columns() {
  const files = { 'site.yaml': 'title: パック試験\nbase_url: https://example.jp/\n' };
  for (let i = 0; i < 300; i++) {
    const words = [0, 3, 7].map((k) => WORDS[(i * (k + 1) + k) % WORDS.length]);
    const body = `${words.join('と')}について第${i}号で紹介します。` + (i % 20 === 0 ? '棚田の石積みを直しました。' : '');
    const date = `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    files[`content/columns/c${i}.md`] = `---\ntitle: ${words[0]}の話 ${i}\ndate: ${date}\n---\n${body}\n`;
  }
  return files;
}
const opened = [];

after(async () => {
  for (const s of opened) await s.close();
});

/** The pack's blob boundaries (src/search/pack.rs: u32 LE offsets, the first is the table's end). */
function offsets(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = dv.getUint32(0, true);
  return Array.from({ length: first / 4 }, (_, i) => dv.getUint32(4 * i, true));
}

/** Searches QUERY on a site served with or without Range; the result paths and every pack
 * response the server sent: {file, status, range, bytes}. */
async function search(ranges) {
  const site = await servedSite('search-pack-' + ranges, { files: columns() }, '2026-11-21', { ranges });
  opened.push(site);
  const sent = [];
  site.server.on('request', (req, res) => {
    const end = res.end.bind(res);
    res.end = (body, ...rest) => {
      const file = new URL(req.url, site.base).pathname;
      if (file.endsWith('.pack')) sent.push({ file, status: res.statusCode, range: req.headers.range, bytes: body ? body.length : 0 });
      return end(body, ...rest);
    };
  });
  const ctx = await site.browser.newContext({ locale: 'ja-JP' });
  const page = await ctx.newPage();
  await page.clock.setFixedTime(new Date(NOW));
  await page.goto(site.base + 'search/?q=' + encodeURIComponent(QUERY));
  await page.waitForFunction(() => window.tsunagariSearch);
  await page.locator('#search-results li[aria-busy=true]').first().waitFor({ state: 'detached' });
  const results = await page.$$eval('#search-results a.hit-title', (as) => as.map((a) => new URL(a.href).pathname));
  const found = await page.evaluate(() => window.tsunagariSearch.results);
  await ctx.close();
  return { site, results, found, sent };
}

test('search works with and without Range, and with Range downloads blobs, not packs', async () => {
  const withRange = await search(true);
  const without = await search(false);
  assert.ok(withRange.found > 0, 'the query finds pages');
  assert.equal(without.found, withRange.found);
  assert.deepEqual(without.results, withRange.results);
  assert.ok(withRange.results.length > 0);

  // With Range: only 206 answers, each the 8 bytes of a blob's offsets or one whole blob.
  assert.ok(withRange.sent.length >= 4, JSON.stringify(withRange.sent));
  const packBytes = new Set();
  let total = 0;
  for (const r of withRange.sent) {
    assert.equal(r.status, 206, JSON.stringify(r));
    const [, a, z] = /^bytes=(\d+)-(\d+)$/.exec(r.range).map(Number);
    assert.equal(r.bytes, z - a + 1);
    const pack = readFileSync(path.join(withRange.site.out, r.file));
    const off = offsets(pack);
    const isTable = a % 4 === 0 && z + 1 - a === 8 && a + 8 <= off[0];
    const blob = off.indexOf(a);
    assert.ok(isTable || (blob >= 0 && off[blob + 1] === z + 1), `${r.file} ${r.range}`);
    packBytes.add(r.file + ':' + pack.length);
    total += r.bytes;
  }
  const whole = [...packBytes].reduce((s, k) => s + Number(k.split(':').pop()), 0);
  assert.ok(total < whole / 2, `${total} bytes of packs ${whole} bytes long`);

  // Without Range: whole packs, each at most once.
  const files = without.sent.map((r) => r.file);
  assert.ok(without.sent.every((r) => r.status === 200), JSON.stringify(without.sent));
  assert.equal(new Set(files).size, files.length, files.join(' '));
});
