// The JavaScript half of "one tokenizer, two implementations that agree": the browser client
// (themes/default/static/assets/search.js) against the vectors the Rust tests check too.
// Run with: node --test tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const src = readFileSync(new URL('../../themes/default/static/assets/search.js', import.meta.url), 'utf8');
const search = await import('data:text/javascript;base64,' + Buffer.from(src).toString('base64'));
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

test('ranking: AND of words, adjacency, boundary bonus, ties by document order', () => {
  // Hand-made postings: doc 0 has 京都 only inside 東京都 (boundary bit 0), doc 1 in 京都府.
  const pl = (docs, imp, masks, bounds) => ({
    docs: Uint32Array.from(docs),
    imp: Uint8Array.from(imp),
    masks: masks && Uint16Array.from(masks),
    bounds: bounds && Uint8Array.from(bounds),
  });
  const index = new Map([
    ['京都', pl([0, 1], [10, 6], [0b10, 0b1], [0b10])],
    ['都府', pl([1], [7], [0b10], null)],
    ['観光', pl([1, 2], [3, 3], null, null)],
  ]);
  const get = (t) => index.get(t) || null;
  // Doc 0 has the larger impact, but only doc 1 has 京都 at a boundary: 6 + 6 beats 10.
  assert.deepEqual(search.rank(search.words('京都'), get, 3), [[1, 12], [0, 10]]);
  assert.deepEqual(search.rank(search.words('京都府'), get, 3), [[1, 19]]);
  assert.deepEqual(search.rank(search.words('京都 観光'), get, 3), [[1, 15]]);
  assert.deepEqual(search.rank(search.words('観光'), get, 3), [[1, 3], [2, 3]]);
  assert.deepEqual(search.needed(search.words('京都府 観光')), ['京都', '都府', '観光']);
});

test('shards and facet tables decode', () => {
  // "ab": df 2, flags 3 (masks, bounds), deltas 3 and 2 (docs 3, 5), impacts 9 and 200,
  // masks 1 and 0x8001, boundary bits 0b10. Then "c": df 1, flags 0, doc 7, impact 4.
  const shard = Uint8Array.from([2, 0x61, 0x62, 2, 3, 3, 2, 9, 200, 1, 0, 1, 0x80, 0b10, 1, 0x63, 1, 0, 7, 4]);
  const m = search.decodeShard(shard);
  assert.deepEqual([...m.get('ab').docs], [3, 5]);
  assert.deepEqual([...m.get('ab').imp], [9, 200]);
  assert.deepEqual([...m.get('ab').masks], [1, 0x8001]);
  assert.deepEqual([...m.get('ab').bounds], [0b10]);
  assert.deepEqual([...m.get('c').docs], [7]);
  assert.equal(m.get('c').masks, null);
  // Two documents: packed kind | status << 2 | work style << 4, prefectures, then theme bitsets
  // (2 themes: 1 byte each) and engagement bitsets (3 values: 1 byte each).
  const packed = [0 | (1 << 2) | (1 << 4), 2];
  const f = search.decodeFacets(Uint8Array.from([...packed, 15, 0, 0b11, 0, 0, 0b100]), 2, 2, 3);
  assert.deepEqual([...f.kind], [0, 2]);
  assert.deepEqual([...f.status], [1, 0]);
  assert.deepEqual([...f.ws], [1, 0]);
  assert.deepEqual([...f.pref], [15, 0]);
  assert.deepEqual([...f.theme.bits], [0b11, 0]);
  assert.deepEqual([...f.eng.bits], [0, 0b100]);
  const dict = { kind: ['challenge', 'case', 'column', 'page'], status: ['open', 'closing-soon', 'closed'], pref_slug: Array.from({ length: 47 }, (_, i) => 'p' + (i + 1)), ws: ['remote', 'hybrid', 'onsite'], theme: ['観光', 'DX'], eng: ['副業', '兼業', 'プロボノ'] };
  const { kept, counts } = search.facet([[0, 5], [1, 4]], f, dict, { kind: 'challenge' });
  assert.deepEqual(kept, [[0, 5]]);
  assert.deepEqual(counts, { kind: { challenge: 1 }, status: { open: 1 }, pref: { p15: 1 }, ws: { remote: 1 }, theme: { 観光: 1, DX: 1 } });
});

test('several prefectures filter together, and prefectures are counted before their own filter', () => {
  // Three documents: two challenges in prefectures 1 and 2, a column in prefecture 3.
  const f = search.decodeFacets(Uint8Array.from([0, 0, 2, 1, 2, 3, 0, 0, 0, 0, 0, 0]), 3, 1, 1);
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

test('the zero-result hint asks to shorten words only for queries longer than two characters', () => {
  assert.equal(search.zeroHintKey('島'), 'noneShort');
  assert.equal(search.zeroHintKey(' 島 酒 '), 'noneShort');
  assert.equal(search.zeroHintKey('ワニワニパニック'), 'none');
});

test('the lists of a token from the levels merge into one, as the Rust index holds it', () => {
  const pl = (docs, imp, masks, bounds) => ({ docs: Uint32Array.from(docs), imp: Uint8Array.from(imp), masks: masks && Uint16Array.from(masks), bounds: bounds && Uint8Array.from(bounds) });
  // base: docs 1, 4 (masks, boundary on doc 4); month: absent; week: docs 9..11 (no masks,
  // boundary on doc 11).
  const base = pl([1, 4], [7, 8], [1, 2], [0b10]);
  const week = pl([9, 10, 11], [3, 4, 5], null, [0b100]);
  const m = search.mergeLevels([base, undefined, week]);
  assert.deepEqual([...m.docs], [1, 4, 9, 10, 11]);
  assert.deepEqual([...m.imp], [7, 8, 3, 4, 5]);
  assert.deepEqual([...m.masks], [1, 2, 0xffff, 0xffff, 0xffff]);
  assert.deepEqual([...m.bounds], [0b10010]);
  // A token in one level is that level's list; in none, null.
  assert.equal(search.mergeLevels([undefined, week]), week);
  assert.equal(search.mergeLevels([undefined, undefined]), null);
  // Ranked over the merged list as over one list: the boundary bits of docs 4 and 11 count.
  const get = (t) => (t === '京都' ? m : null);
  assert.deepEqual(search.rank(search.words('京都'), get, 12), [[4, 16], [11, 10], [1, 7], [10, 4], [9, 3]]);
});
