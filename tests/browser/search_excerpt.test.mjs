// Issue 15: verification of matches against the stored text, and excerpts built around the hits
// with <mark>. Builds a small site of its own (written here, so each page's purpose is next to
// the test that needs it) with the debug binary, serves it on 127.0.0.1 and drives Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedSite } from './server.mjs';

const filler = Array.from({ length: 16 }, (_, i) => `w${i}`).join(' ');
const pages = {
  'site.yaml': 'title: 抜粋テスト\nbase_url: https://excerpt.example.jp/\n',
  // The bigrams of コミュニティ (コミ ミュ ュニ | ニテ テイ) with the second run exactly 16 tokens
  // later: the index's positions mod 16 line them up, but the page never has the word.
  'content/columns/scattered.md': `---\ntitle: 散らばった文字\ndate: 2026-03-01\nsummary: 別の話題です。\n---\nコミュニ ${filler} ニティ\n`,
  'content/columns/community.md': '---\ntitle: 集まりの記録\ndate: 2026-03-02\nsummary: 町内の集まりの記録です。\n---\n毎月第一日曜日に、地域コミュニティーの集まりを公民館で開いています。\n',
  // The hit far into the body, spelled differently from the query, next to markup-like text.
  'content/columns/apply.md': `---\ntitle: 参加のご案内\ndate: 2026-03-03\nsummary: 夏の体験プログラムのご案内です。\n---\n${'このプログラムでは、農家の仕事を一緒に体験します。'.repeat(12)}\n\n参加の&lt;script&gt;お申し込み&lt;/script&gt;は七月末までです。\n`,
  // The same trick for ボランティア (ボラ ラン | ンテ テイ イア), among 60 true matches: the
  // candidates span more text files than are verified at once, so they are verified page by page.
  'content/columns/volunteer-scattered.md': `---\ntitle: 散らばった募集\ndate: 2026-02-01\n---\nボラン ${filler} ンティア\n`,
};
for (let i = 0; i < 60; i++) {
  pages[`content/columns/volunteer-${i}.md`] = `---\ntitle: 募集その${i}\ndate: 2026-01-${String((i % 28) + 1).padStart(2, '0')}\n---\n地域のボランティアを募集します（${i}）。\n`;
}
let site;
let base;
let browser;

before(async () => {
  site = await servedSite('excerpt', { files: pages }, '2026-04-01');
  ({ base, browser } = site);
});

after(async () => {
  await site?.close();
});

/** Opens a search and waits for the announced count; returns the shown results. */
async function search(q) {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(base + 'search/?q=' + encodeURIComponent(q));
  await page.waitForFunction(() => /検索結果|見つかりませんでした/.test(document.getElementById('search-status').textContent));
  // Every result on screen: its excerpt is final once it says where it came from.
  await page.waitForFunction(() => [...document.querySelectorAll('#search-results li')].every((li) => li.dataset.excerpt));
  const hits = await page.$$eval('#search-results li', (lis) =>
    lis.map((li) => ({
      url: new URL(li.querySelector('a').href).pathname,
      excerpt: li.querySelector('.hit-excerpt').textContent,
      marks: [...li.querySelectorAll('.hit-excerpt mark')].map((m) => m.textContent),
      scripts: li.querySelectorAll('script').length,
    })),
  );
  const status = await page.textContent('#search-status');
  await context.close();
  assert.deepEqual(errors, []);
  return { hits, status };
}

test('a page with the query bigrams scattered 16 tokens apart is not shown, and not counted', async () => {
  const { hits, status } = await search('コミュニティー');
  assert.deepEqual(hits.map((h) => h.url), ['/columns/community/']);
  assert.match(status, /\s1\s*件/);
  assert.deepEqual(hits[0].marks, ['コミュニティー']);
});

test('the excerpt is cut around a hit deep in the body and marks the original spelling', async () => {
  const { hits } = await search('申込');
  assert.deepEqual(hits.map((h) => h.url), ['/columns/apply/']);
  const [hit] = hits;
  assert.deepEqual(hit.marks, ['申し込み']);
  assert.ok(hit.excerpt.startsWith('…'), hit.excerpt);
  assert.ok(hit.excerpt.length <= 102, hit.excerpt);
  // Markup-like text in the page stays text.
  assert.ok(hit.excerpt.includes('<script>お申し込み</script>'), hit.excerpt);
  assert.equal(hit.scripts, 0);
});

test('a hit in the summary keeps the summary as the excerpt, marked', async () => {
  const { hits } = await search('集まり');
  assert.deepEqual(hits.map((h) => h.url), ['/columns/community/']);
  assert.equal(hits[0].excerpt, '町内の集まりの記録です。');
  assert.deepEqual(hits[0].marks, ['集まり']);
});

test('candidates in many text files are verified page by page: the false one never shows and the count falls', async () => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(base + 'search/?q=' + encodeURIComponent('ボランティア'));
  const count = () => page.textContent('#search-status').then((t) => Number((t.match(/(\d+)\s*件/) || [])[1]));
  await page.waitForFunction(() => /検索結果/.test(document.getElementById('search-status').textContent));
  const first = await count();
  assert.ok(first === 60 || first === 61, `first count ${first}`);
  // Show every page of results; the count never promises fewer results than are shown.
  while (await page.isVisible('#search-more')) {
    const before = await page.$$eval('#search-results li', (lis) => lis.length);
    await page.click('#search-more');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results li:not([aria-busy])').length > n || document.getElementById('search-more-wrap').hidden, before);
    await page.waitForFunction(() => !document.querySelector('#search-results li[aria-busy]'));
  }
  const urls = await page.$$eval('#search-results li a', (as) => as.map((a) => new URL(a.href).pathname));
  assert.equal(urls.length, 60);
  assert.ok(!urls.includes('/columns/volunteer-scattered/'), 'the scattered page is not shown');
  await page.waitForFunction(() => /\s60\s*件/.test(document.getElementById('search-status').textContent));
  assert.deepEqual(errors, []);
  await context.close();
});
