// 「もしかして」 on the search page (issue 15, "Zero results"): the search-quality fixture built
// with the debug binary, served on 127.0.0.1, read by Chromium. Every typo query of
// tests/search/queries.json with a `suggest` field finds nothing itself, shows
// 「もしかして: <a href="?q=…">…</a>」 with that word, and the link, followed, finds the query's
// expected pages. The zero-result hint fits the query. Every wait is for a DOM state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedSite } from './server.mjs';
import { FIXTURE, NOW, loadQueries } from './search_quality.mjs';

const typos = loadQueries().queries.filter((q) => q.suggest);
let site;
let base;
let browser;

before(async () => {
  site = await servedSite('suggest', { fixture: FIXTURE }, NOW);
  ({ base, browser } = site);
});

after(async () => {
  await site?.close();
});

/** Opens the search page for `q` and waits until the search (and any suggestion) is done. */
async function open(ctx, q) {
  const page = await ctx.newPage();
  await page.goto(base + 'search/?q=' + encodeURIComponent(q));
  await page.waitForFunction(() => window.tsunagariSearch);
  return page;
}

const resultPaths = (page) => page.$$eval('#search-results a.hit-title', (as) => as.map((a) => new URL(a.href).pathname));

test('the query set has the six typos of issue 15, each with its suggestion', () => {
  assert.deepEqual(typos.map((q) => q.query).sort(), ['コミニュティー', 'テレワク', 'ボランテア', 'まちずくり', 'ワーケション', '古民屋'].sort());
});

test('each typo finds nothing, offers 「もしかして」 as a link, and the link finds the expected pages', async () => {
  const ctx = await browser.newContext({ locale: 'ja-JP' });
  const errors = [];
  ctx.on('weberror', (e) => errors.push(String(e.error())));
  for (const q of typos) {
    const page = await open(ctx, q.query);
    assert.equal(await page.evaluate(() => window.tsunagariSearch.results), 0, `${q.query} finds nothing itself`);
    const box = page.locator('#search-suggest');
    assert.ok(await box.isVisible(), `${q.query}: no suggestion shown`);
    assert.match(await box.innerText(), /^もしかして:\s*\S/);
    const link = box.locator('a');
    assert.equal(await link.innerText(), q.suggest, q.query);
    const href = await link.getAttribute('href');
    assert.equal(new URLSearchParams(href.replace(/^\?/, '')).get('q'), q.suggest);
    await link.click();
    await page.waitForURL((u) => new URL(u).searchParams.get('q') === q.suggest);
    await page.waitForFunction(() => window.tsunagariSearch && window.tsunagariSearch.results > 0);
    await page.locator('#search-results a.hit-title').first().waitFor();
    assert.ok(await page.locator('#search-suggest').isHidden(), 'no suggestion once there are results');
    assert.equal(await page.inputValue('#search-q'), q.suggest);
    const got = await resultPaths(page);
    for (const p of q.expect) assert.ok(got.includes(p), `${q.suggest}: ${p} not among ${got.join(' ')}`);
    await page.close();
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('no suggestion where no near word finds pages; several words get 「言葉の数を減らす」', async () => {
  const ctx = await browser.newContext({ locale: 'ja-JP' });
  const none = await open(ctx, 'ワニワニパニック');
  assert.equal(await none.evaluate(() => window.tsunagariSearch.suggest), null);
  assert.ok(await none.locator('#search-suggest').isHidden());
  assert.match(await none.textContent('#search-status'), /短く/);
  // Each word finds pages, together they do not: nothing to correct, the hint asks for fewer words.
  const both = await open(ctx, '翻訳 雪かき');
  assert.equal(await both.evaluate(() => window.tsunagariSearch.results), 0);
  assert.ok(await both.locator('#search-suggest').isHidden());
  const words = await both.textContent('#search-status');
  assert.match(words, /言葉の数を減らす/);
  assert.doesNotMatch(words, /短く/);
  assert.ok(await both.locator('#search-browse').isVisible(), 'the lists are offered');
  // One word of two is a typo: that word is fixed, the other kept.
  const one = await open(ctx, '空き店舗 コミニュティー');
  assert.equal(await one.locator('#search-suggest a').innerText(), '空き店舗 コミュニティ');
  await ctx.close();
});
