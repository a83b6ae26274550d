// The JavaScript half of "one tokenizer, two implementations that agree": the browser client
// (themes/default/static/assets/search-index.js, loaded through search.js) against the vectors the Rust tests check too.
// Run with: node --test tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from './load.mjs';

const search = await load('search.js');
const vectors = JSON.parse(readFileSync(new URL('../search/tokenizer-vectors.json', import.meta.url), 'utf8'));

test('normalize and tokenize agree with the shared vectors', () => {
  assert.ok(vectors.cases.length >= 20);
  for (const c of vectors.cases) {
    assert.equal(search.normalize(c.input), c.normalized, `normalize(${JSON.stringify(c.input)})`);
    const got = search.tokenize(c.input).map((t) => `${t.b ? '^' : ''}${t.t}@${t.p}`);
    assert.deepEqual(got, c.tokens, `tokenize(${JSON.stringify(c.input)})`);
  }
});

test('the variant table folds as in Rust (the shared vectors carry the built-in table)', () => {
  const table = search.variantTable(vectors.variants);
  assert.ok(vectors.variants.length >= 30);
  for (const [input, want] of vectors.folds) assert.equal(search.fold(search.normalize(input), table), want, input);
  // Every word of a group folds to the group's first word, and queries fold before tokenising.
  for (const g of vectors.variants) for (const w of g) assert.equal(search.fold(w, table), g[0], w);
  assert.deepEqual(search.needed(search.words('申込', table)), search.needed(search.words('申し込み', table)));
  assert.deepEqual(search.needed(search.words('申込')), ['申込']);
});

test('the shard hash agrees with the shared vectors', () => {
  for (const [s, h] of vectors.hashes) assert.equal(search.fnv1a(s), h, `fnv1a(${JSON.stringify(s)})`);
});

test('ranking: word edges, then field tier, then open before closed, then BM25, then newest', () => {
  // Flags: fields title 1, heading 2, meta 4, body 8; start 16, end 32, whole 64.
  const pl = (docs, imp, masks, flags) => ({
    docs: Uint32Array.from(docs),
    imp: Uint8Array.from(imp),
    masks: masks && Uint16Array.from(masks),
    flags: Uint8Array.from(flags),
  });
  const key = search.rankKey;
  // Doc 0 has 京都 only inside 東京都 (end edge only), doc 1 in 京都府 (whole), body only.
  const index = new Map([
    ['京都', pl([0, 1], [10, 6], [0b10, 0b1], [8 | 32, 8 | 16 | 32 | 64])],
    ['都府', pl([1], [7], [0b10], [8 | 32])],
    ['観光', pl([1, 2], [3, 3], null, [8 | 16 | 32 | 64, 1 | 16 | 32 | 64])],
  ]);
  const get = (t) => index.get(t) || null;
  // Doc 0 has the larger impact, but only doc 1 has 京都 as a whole word.
  assert.deepEqual(search.rank(search.words('京都'), get, 3), [[1, key(2, 0, true, 6)], [0, key(0, 0, true, 10)]]);
  assert.deepEqual(search.rank(search.words('京都府'), get, 3), [[1, key(2, 0, true, 13)]]);
  // Two words: both whole in doc 1.
  assert.deepEqual(search.rank(search.words('京都 観光'), get, 3), [[1, key(4, 0, true, 9)]]);
  // A title hit (doc 2) above a body hit (doc 1) of equal impact; a closed doc 2 sinks below.
  assert.deepEqual(search.rank(search.words('観光'), get, 3), [[2, key(2, 3, true, 3)], [1, key(2, 0, true, 3)]]);
  assert.deepEqual(search.rank(search.words('観光'), get, 3, Uint8Array.from([0, 1, 3])).map((h) => h[0]), [2, 1]);
  const flat = new Map([['観光', pl([1, 2], [3, 3], null, [8 | 112, 8 | 112])]]);
  const fget = (t) => flat.get(t) || null;
  // Equal in everything: the newer (higher-numbered) document first; a closed one last.
  assert.deepEqual(search.rank(search.words('観光'), fget, 3).map((h) => h[0]), [2, 1]);
  assert.deepEqual(search.rank(search.words('観光'), fget, 3, Uint8Array.from([0, 1, 3])).map((h) => h[0]), [1, 2]);
  assert.deepEqual(search.needed(search.words('京都府 観光')), ['京都', '都府', '観光']);
});

test('a word matches only where its positions are consistent along the whole word', () => {
  const pl = (docs, masks) => ({ docs: Uint32Array.from(docs), imp: Uint8Array.from(docs.map(() => 1)), masks: Uint16Array.from(masks), flags: Uint8Array.from(docs.map(() => 8)) });
  // コミュニ: コミ at 0, ミュ at 1, ュニ at 2 in doc 0. Doc 1 has コミ at 0 and ミュ at 1, but ュニ
  // only at 5: each pair (コミ,ミュ) is adjacent, yet ミュ→ュニ is not.
  const index = new Map([
    ['コミ', pl([0, 1], [0b1, 0b1])],
    ['ミュ', pl([0, 1], [0b10, 0b10 | 0b10000])],
    ['ュニ', pl([0, 1], [0b100, 0b100000])],
  ]);
  const get = (t) => index.get(t) || null;
  assert.deepEqual(search.rank(search.words('コミュニ'), get, 2).map((h) => h[0]), [0]);
});

test('shards and facet tables decode', () => {
  // "ab": df 2, header 1 (masks), deltas 3 and 2 (docs 3, 5), impacts 9 and 200, masks 1 and
  // 0x8001, flags 8 and 0x71 as a column. "c": df 1, header 2 (one flags byte), doc 7, impact 4,
  // flags 1. "d": df 5, header 4 (runs), docs 0–4, impacts 1, runs: 8 ×3, 9 ×2.
  const shard = Uint8Array.from([
    2, 0x61, 0x62, 2, 1, 3, 2, 9, 200, 1, 0, 1, 0x80, 8, 0x71,
    1, 0x63, 1, 2, 7, 4, 1,
    1, 0x64, 5, 4, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 8, 3, 9, 2,
  ]);
  const m = search.decodeShard(shard);
  assert.deepEqual([...m.get('ab').docs], [3, 5]);
  assert.deepEqual([...m.get('ab').imp], [9, 200]);
  assert.deepEqual([...m.get('ab').masks], [1, 0x8001]);
  assert.deepEqual([...m.get('ab').flags], [8, 0x71]);
  assert.deepEqual([...m.get('c').docs], [7]);
  assert.deepEqual([...m.get('c').flags], [1]);
  assert.deepEqual([...m.get('d').docs], [0, 1, 2, 3, 4]);
  assert.deepEqual([...m.get('d').flags], [8, 8, 8, 9, 9]);
  assert.equal(m.get('c').masks, null);
  // Two documents: packed kind | status << 2 | work style << 4, prefectures, then a bitmap per
  // value (one byte: bit d is document d) — 2 themes, both on document 0; 3 engagements, the
  // third on document 1.
  const packed = [0 | (1 << 2) | (1 << 4), 2];
  const f = search.decodeFacets(Uint8Array.from([...packed, 15, 0, 0b01, 0b01, 0, 0, 0b10]), 2, 2, 3);
  assert.deepEqual([...f.kind], [0, 2]);
  assert.deepEqual([...f.status], [1, 0]);
  assert.deepEqual([...f.ws], [1, 0]);
  assert.deepEqual([...f.pref], [15, 0]);
  assert.deepEqual([...f.theme.bits], [0b01, 0b01]);
  assert.deepEqual([...f.eng.bits], [0, 0, 0b10]);
  const dict = { kind: ['challenge', 'case', 'column', 'page'], status: ['open', 'closing-soon', 'closed'], pref_slug: Array.from({ length: 47 }, (_, i) => 'p' + (i + 1)), ws: ['remote', 'hybrid', 'onsite'], theme: ['観光', 'DX'], eng: ['副業', '兼業', 'プロボノ'] };
  const { kept, counts } = search.facet([[0, 5], [1, 4]], f, dict, { kind: 'challenge' });
  assert.deepEqual(kept, [[0, 5]]);
  assert.deepEqual(counts, { kind: { challenge: 1 }, status: { open: 1 }, pref: { p15: 1 }, ws: { remote: 1 }, theme: { 観光: 1, DX: 1 } });
});

test('several prefectures filter together, and prefectures are counted before their own filter', () => {
  // Three documents: two challenges in prefectures 1 and 2, a column in prefecture 3.
  const f = search.decodeFacets(Uint8Array.from([0, 0, 2, 1, 2, 3, 0, 0]), 3, 1, 1);
  const dict = { kind: ['challenge', 'case', 'column', 'page'], status: ['open', 'closing-soon', 'closed'], pref_slug: Array.from({ length: 47 }, (_, i) => 'p' + (i + 1)), ws: ['remote', 'hybrid', 'onsite'], theme: ['観光'], eng: ['副業'] };
  const hits = [[0, 9], [1, 8], [2, 7]];
  const one = search.facet(hits, f, dict, { pref: ['p1'] });
  assert.deepEqual(one.kept, [[0, 9]]);
  // The other prefectures stay offered with their counts while p1 is chosen.
  assert.deepEqual(one.counts.pref, { p1: 1, p2: 1, p3: 1 });
  assert.deepEqual(search.facet(hits, f, dict, { pref: ['p1', 'p2'] }).kept, [[0, 9], [1, 8]]);
  // A single value (an old link) still works; another filter narrows the prefecture counts.
  assert.deepEqual(search.facet(hits, f, dict, { pref: 'p3' }).kept, [[2, 7]]);
  assert.deepEqual(search.facet(hits, f, dict, { kind: 'challenge' }).counts.pref, { p1: 1, p2: 1 });
});

test('the URL query keeps several prefectures, so a shared link restores them', () => {
  const query = search.writeQuery('島 移住', { pref: ['niigata', 'kochi'], kind: 'challenge' });
  assert.equal(query, 'q=%E5%B3%B6+%E7%A7%BB%E4%BD%8F&kind=challenge&pref=niigata&pref=kochi');
  assert.deepEqual(search.readQuery('?' + query), { q: '島 移住', filters: { kind: 'challenge', pref: ['niigata', 'kochi'] } });
  assert.deepEqual(search.readQuery('?q=a&pref='), { q: 'a', filters: {} });
});

test('the zero-result hint fits the query: short, several words, one long word', () => {
  assert.equal(search.zeroHintKey('島'), 'noneShort');
  assert.equal(search.zeroHintKey(' 島 酒 '), 'noneShort');
  assert.equal(search.zeroHintKey('ワニワニパニック'), 'none');
  assert.equal(search.zeroHintKey('ワニワニ パニック'), 'noneWords');
  assert.equal(search.zeroHintKey(' 島 酒 '), 'noneShort', 'two characters in two words are still short');
});

test('edit distance: Damerau–Levenshtein over code points, cut at the limit', () => {
  assert.equal(search.editDistance('コミニュティ', 'コミュニティ'), 1, 'a transposition is one edit');
  assert.equal(search.editDistance('ワーケション', 'ワーケーション'), 1);
  assert.equal(search.editDistance('古民屋', '古民家'), 1);
  assert.equal(search.editDistance('abcd', 'badc'), 2);
  assert.equal(search.editDistance('kitten', 'sitting'), 3);
  assert.equal(search.editDistance('', 'まち'), 2);
  assert.equal(search.editDistance('まちずくり', 'まちづくり'), 1);
  // Beyond the limit the answer is limit + 1, whatever the true distance.
  assert.equal(search.editDistance('kitten', 'sitting', 1), 2);
  assert.equal(search.editDistance('a', 'abcdef', 2), 3);
  assert.equal(search.maxEdits('テレワク'), 1);
  assert.equal(search.maxEdits('ボランテア'), 2);
});

test('kana is compared as kana and as the other kana', () => {
  assert.equal(search.toKatakana('わーけしょん'), 'ワーケション');
  assert.equal(search.toHiragana('ワーケション、島'), 'わーけしょん、島');
  const vocab = search.parseVocab([['ワーケーション', 3]]);
  assert.deepEqual(search.candidates('わーけしょん', vocab, new Map()).map((c) => [c.display, c.d]), [['ワーケーション', 1]]);
});

test('suggestion choice: fewer edits first, then more pages; the query itself is not offered', () => {
  const table = search.variantTable([['まちづくり', '街づくり']]);
  const vocab = search.parseVocab([
    ['コミュニティ', 2, 'コミュニティー'],
    ['コミュニケーション', 40],
    ['まちづくり', 5],
    ['街づくり', 5],
    ['古民家', 2],
    ['古民具', 9],
    ['市民屋', 1],
    ['民家', 30],
  ]);
  // A closer word with fewer pages beats a farther one with many.
  assert.equal(search.candidates('コミニュティー', vocab, table)[0].display, 'コミュニティー');
  // At equal edits, more pages win: 古民具 (9) before 古民家 (2) before 市民屋 (1); 民家 is 2 edits away
  // from 古民屋, beyond the one a three-character word is allowed.
  assert.deepEqual(search.candidates('古民屋', vocab, table).map((c) => c.display), ['古民具', '古民家', '市民屋']);
  assert.equal(search.candidates('まちずくり', vocab, table)[0].display, 'まちづくり');
  // A display met under two keys (a word and a variant spelling) is offered once, at its fewest
  // edits, whichever key comes first in the file.
  const twice = search.parseVocab([['abxxef', 5, 'Shown'], ['abcdeg', 5, 'Shown']]);
  assert.deepEqual(search.candidates('abcdef', twice, new Map()).map((c) => [c.display, c.d]), [['Shown', 1]]);
  // 街づくり is the query folded again: not a suggestion for it.
  assert.ok(!search.candidates('街づくり', vocab, table).some((c) => c.key === 'まちづくり' || c.key === '街づくり'));
});

test('a suggestion fixes each word that finds nothing, and only a query that finds pages is offered', async () => {
  const table = new Map();
  const vocab = search.parseVocab([['古民具', 9], ['古民家', 2], ['観光', 20], ['ボランテイア', 3, 'ボランティア']]);
  // The pages have 古民家, ボランティア and 観光, but no 古民具 (a word of the vocabulary cut away).
  const pages = ['古民家', 'ボランテイア', '観光'];
  const calls = [];
  const finds = async (ws) => {
    calls.push(ws);
    return ws.every((w) => pages.some((p) => w.every((t) => p.includes(t.t))));
  };
  assert.equal(await search.suggestQuery('観光 古民屋', vocab, table, finds), '観光 古民家');
  assert.equal(await search.suggestQuery('ボランテア', vocab, table, finds), 'ボランティア');
  // Every word finds something: nothing to fix, no suggestion.
  assert.equal(await search.suggestQuery('観光 古民家', vocab, table, finds), null);
  // No candidate finds pages: no suggestion.
  assert.equal(await search.suggestQuery('ワニワニパニック', vocab, table, finds), null);
  // The whole query must find pages, not only each word.
  const apart = async (ws) => ws.length === 1 && (await finds(ws));
  assert.equal(await search.suggestQuery('観光 古民屋', vocab, table, apart), null);
  assert.ok(calls.length > 0);
});

test('the lists of a token from the levels merge into one, as the Rust index holds it', () => {
  const pl = (docs, imp, masks, flags) => ({ docs: Uint32Array.from(docs), imp: Uint8Array.from(imp), masks: masks && Uint16Array.from(masks), flags: Uint8Array.from(flags) });
  // base: docs 1, 4 (masks; 京都 whole on doc 4); month: absent; week: docs 9..11 (no masks;
  // whole on doc 11). Flags: body 8, whole word 16 | 32 | 64.
  const base = pl([1, 4], [7, 8], [1, 2], [8, 8 | 112]);
  const week = pl([9, 10, 11], [3, 4, 5], null, [8, 8, 8 | 112]);
  const m = search.mergeLevels([base, undefined, week]);
  assert.deepEqual([...m.docs], [1, 4, 9, 10, 11]);
  assert.deepEqual([...m.imp], [7, 8, 3, 4, 5]);
  assert.deepEqual([...m.masks], [1, 2, 0xffff, 0xffff, 0xffff]);
  assert.deepEqual([...m.flags], [8, 8 | 112, 8, 8, 8 | 112]);
  // A token in one level is that level's list; in none, null.
  assert.equal(search.mergeLevels([undefined, week]), week);
  assert.equal(search.mergeLevels([undefined, undefined]), null);
  // Ranked over the merged list as over one list: the whole-word flags of docs 4 and 11 count.
  const get = (t) => (t === '京都' ? m : null);
  assert.deepEqual(search.rank(search.words('京都'), get, 12).map((h) => h[0]), [4, 11, 1, 10, 9]);
});

/** A pack as src/search/pack.rs writes it: `count + 1` u32 LE offsets, then the blobs. */
function pack(blobs) {
  const table = 4 * (blobs.length + 1);
  const out = new Uint8Array(table + blobs.reduce((a, b) => a + b.length, 0));
  const dv = new DataView(out.buffer);
  let at = table;
  dv.setUint32(0, at, true);
  blobs.forEach((b, j) => {
    out.set(b, at);
    at += b.length;
    dv.setUint32(4 * (j + 1), at, true);
  });
  return out;
}

/** A fake `fetch` over `files` (url → bytes): answers Range with 206 when `ranges`, else 200 with
 * the whole file; 404 for other urls. Counts requests and body bytes. */
function fakeServer(files, ranges) {
  const log = { requests: [], bytes: 0 };
  const fetchFn = async (url, opts) => {
    log.requests.push(url);
    const file = files[url];
    if (!file) return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
    const m = /^bytes=(\d+)-(\d+)$/.exec(opts?.headers?.Range || '');
    const body = ranges && m ? file.slice(Number(m[1]), Number(m[2]) + 1) : file.slice();
    log.bytes += body.length;
    return { ok: true, status: ranges && m ? 206 : 200, arrayBuffer: async () => body.buffer };
  };
  return { fetchFn, log };
}

test('pack blobs are read with Range requests, or sliced from one whole download where Range is ignored', async () => {
  const { gzipSync } = await import('node:zlib');
  const text = (s) => new TextEncoder().encode(s);
  const blobs = ['[1]', '[2,2]', '[3,3,3]', '"four"'].map((s) => new Uint8Array(gzipSync(text(s))));
  // Two packs: blobs 0–1 and 2–3 (starts [0, 2]).
  const files = { '/search/d.0.pack?v=V': pack(blobs.slice(0, 2)), '/search/d.1.pack?v=V': pack(blobs.slice(2)) };
  const read = async (fetchFn, i) => JSON.parse(new TextDecoder().decode(await search.packBlob(search.rangeReader(fetchFn), '/search/', 'd', [0, 2], 'V', i)));

  const ranged = fakeServer(files, true);
  assert.deepEqual(await read(ranged.fetchFn, 3), 'four');
  // Two requests to the second pack: its two offsets (8 bytes), then the blob alone.
  assert.deepEqual(ranged.log.requests, ['/search/d.1.pack?v=V', '/search/d.1.pack?v=V']);
  assert.equal(ranged.log.bytes, 8 + blobs[3].length);
  assert.deepEqual(await read(ranged.fetchFn, 0), [1]);

  const plain = fakeServer(files, false);
  const reader = search.rangeReader(plain.fetchFn);
  const get = (i) => search.packBlob(reader, '/search/', 'd', [0, 2], 'V', i).then((b) => JSON.parse(new TextDecoder().decode(b)));
  assert.deepEqual(await Promise.all([get(2), get(3)]), [[3, 3, 3], 'four']);
  // One download of the whole pack serves both blobs and their offsets.
  assert.deepEqual(plain.log.requests, ['/search/d.1.pack?v=V']);
  assert.equal(plain.log.bytes, files['/search/d.1.pack?v=V'].length);

  // A failed pack is not remembered as failed: the next read asks again.
  const flaky = { ...files };
  delete flaky['/search/d.0.pack?v=V'];
  const server = fakeServer(flaky, true);
  const again = search.rangeReader(server.fetchFn);
  await assert.rejects(search.packBlob(again, '/search/', 'd', [0, 2], 'V', 1), /404/);
  flaky['/search/d.0.pack?v=V'] = files['/search/d.0.pack?v=V'];
  const b = await search.packBlob(again, '/search/', 'd', [0, 2], 'V', 1);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(b)), [2, 2]);
});

test('the client, split into modules, still exports all it did as one file; each module loads alone', async () => {
  const api = 'normalize tokenizeNormalized tokenize fnv1a decodeShard mergeLevels decodeFacets variantTable fold words needed rankKey rank FACETS facet foldMapped spans containsAll verifies hitsIn EXCERPT pieces excerpt chooseExcerpt needsText inflate inflateJson editDistance toKatakana toHiragana maxEdits parseVocab candidates suggestQuery zeroHintKey readQuery writeQuery rangeReader packBlob';
  assert.deepEqual(Object.keys(search).sort(), api.split(' ').sort());
  const parts = { 'search-index.js': 'normalize', 'search-text.js': 'foldMapped', 'search-suggest.js': 'suggestQuery' };
  for (const [file, name] of Object.entries(parts)) assert.equal((await load(file))[name].name, name, file);
});
