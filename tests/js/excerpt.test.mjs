// Stored text in the browser client (issue 15): the fold that keeps offsets into the original
// text, verification of matches and excerpts with <mark> over the original spelling.
// Run with: node --test tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from './load.mjs';
import { gzipSync } from 'node:zlib';

const search = await load('search.js');
const vectors = JSON.parse(readFileSync(new URL('../search/tokenizer-vectors.json', import.meta.url), 'utf8'));
const table = search.variantTable(vectors.variants);
const ws = (q) => search.words(q, table);
/** The marked parts of an excerpt, as text. */
const marks = (parts) => parts.filter(([, m]) => m).map(([t]) => t);

test('the offset-keeping fold equals the index fold, and its tokens are the tokenizer tokens', () => {
  const inputs = [...vectors.cases.map((c) => c.input), ...vectors.folds.map(([i]) => i), 'ｶﾞｲﾄﾞと人々の申し込み、ヴァイオリン。コンピューター！'];
  for (const input of inputs) {
    const m = search.foldMapped(input, table);
    assert.ok(m, `foldMapped(${JSON.stringify(input)}) keeps offsets`);
    const folded = search.fold(search.normalize(input), table);
    assert.equal(m.chars.join(''), folded, input);
    const got = search.spans(m.chars).map((t, i) => `${t.t}@${i}`);
    assert.deepEqual(got, search.tokenizeNormalized(folded).map((t) => `${t.t}@${t.p}`), input);
    // Every folded character points into the original, spans in order.
    for (let k = 0; k < m.chars.length; k++) {
      assert.ok(m.a[k] < m.z[k] && m.z[k] <= input.length, input);
      if (k) assert.ok(m.a[k] >= m.a[k - 1], input);
    }
  }
});

test('a variant hit is marked over the original characters', () => {
  const text = '参加のお申し込みはこちらから。';
  const hits = search.hitsIn(text, ws('申込'), table);
  assert.deepEqual(hits.map((h) => text.slice(h.s, h.e)), ['申し込み']);
  assert.deepEqual(marks(search.pieces(text, hits)), ['申し込み']);
  // Half-width katakana with voiced marks, and a long vowel the fold drops.
  const hw = 'ﾎﾞﾗﾝﾃｨｱ募集のｺﾝﾋﾟｭｰﾀｰ講座';
  const h2 = search.hitsIn(hw, ws('ボランティア コンピュータ'), table);
  assert.deepEqual(h2.map((h) => hw.slice(h.s, h.e)), ['ﾎﾞﾗﾝﾃｨｱ', 'ｺﾝﾋﾟｭｰﾀｰ']);
  // A single kanji is found inside a word, as the index's units are.
  assert.deepEqual(search.hitsIn('広島と島根', ws('島'), table).map((h) => h.s), [1, 3]);
});

test('an excerpt is a window around the best hits, text kept as text', () => {
  const filler = 'あいうえお'.repeat(60);
  const text = `${filler}地域の<script>申込</script>と移住の相談。${filler}`;
  const parts = search.excerpt(text, search.hitsIn(text, ws('申し込み 移住'), table));
  const shown = parts.map(([t]) => t).join('');
  assert.equal(parts[0][0], '…');
  assert.equal(parts[parts.length - 1][0], '…');
  assert.ok(shown.length <= search.EXCERPT + 2, shown);
  assert.deepEqual(marks(parts), ['申込', '移住']);
  // Markup in the text stays characters of a text part (the page appends parts as text nodes).
  assert.ok(shown.includes('<script>申込</script>'), shown);
  assert.equal(search.excerpt(text, []), null);
});

test('the summary is the excerpt unless the body has more of the query words', () => {
  const summary = '移住者向けの空き家の案内です。';
  const body = 'はじめに。'.repeat(40) + '空き家バンクへの申し込みは移住相談窓口へ。';
  assert.deepEqual(marks(search.chooseExcerpt(summary, body, ws('空き家'), table)), ['空き家']);
  assert.equal(search.chooseExcerpt(summary, body, ws('空き家'), table).map(([t]) => t).join(''), summary);
  assert.deepEqual(marks(search.chooseExcerpt(summary, body, ws('空き家 申込'), table)), ['空き家', '申し込み']);
  // No hit anywhere (a body cut before its hits): the summary, unmarked.
  assert.deepEqual(search.chooseExcerpt(summary, null, ws('漁業'), table), [[summary, false]]);
});

test('verification: every word in order, scattered bigrams are no match, a cut text is kept', () => {
  const scattered = 'コミュニケーションとユニット、ニテとティータイム';
  const whole = '地域コミュニティーの活動';
  const q = ws('コミュニティー');
  assert.equal(q[0].length > 1, true);
  assert.equal(search.containsAll(scattered, q, table), false);
  assert.equal(search.containsAll(whole, q, table), true);
  assert.equal(search.containsAll('ｺﾐｭﾆﾃｨ活動', q, table), true);
  assert.equal(search.verifies(['題', '', scattered, 0], q, table), false);
  assert.equal(search.verifies(['題', '', scattered, 1], q, table), true, 'a cut body cannot prove a false match');
  assert.equal(search.verifies(['地域コミュニティ', '', '', 0], q, table), true, 'the title counts');
  assert.equal(search.verifies(null, q, table), true, 'no text: kept');
  // Two words: both must occur.
  assert.equal(search.containsAll(whole, ws('コミュニティ 漁業'), table), false);
});

test('stored text inflates from gzip, or is read as it came (a server that inflated it)', async () => {
  const rows = [['題', '要約', '本文', 0]];
  const json = Buffer.from(JSON.stringify(rows));
  assert.deepEqual(await search.inflateJson(new Uint8Array(gzipSync(json))), rows);
  assert.deepEqual(await search.inflateJson(new Uint8Array(json)), rows);
});

test('the stored text is needed only when the summary lacks a query word', () => {
  assert.equal(search.needsText('空き家の申し込み', ws('申込 空き家'), table), false);
  assert.equal(search.needsText('空き家の案内', ws('申込 空き家'), table), true);
});
