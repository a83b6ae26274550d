// tsunagari search client: the index. Mirrors src/search/ in Rust: the same tokenizer (checked
// against tests/search/tokenizer-vectors.json), the same bucket hash and the same integer scoring,
// so the browser ranks exactly like the reference engine. No dependencies; ES module. The
// character classes are exported for search-text.js and search-suggest.js.

export const ZW = new Set(['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD']);
export const TILDES = new Set(['~', '\u301C', '\u223C', '\u223D', '\u2053', '\u3030']);
export const inR = (x, a, b) => x >= a && x <= b;
export const cp = (c) => c.codePointAt(0);
export const isDash = (c) => {
  const x = cp(c);
  return c === '-' || inR(x, 0x2010, 0x2015) || x === 0x2212 || x === 0x2500 || x === 0x2501 || x === 0x30fc || x === 0xfe63;
};
export const isKana = (c) => {
  const x = cp(c);
  return inR(x, 0x3041, 0x3096) || inR(x, 0x309d, 0x309f) || inR(x, 0x30a1, 0x30fa) || inR(x, 0x30fc, 0x30ff) || inR(x, 0x31f0, 0x31ff);
};
export const isKanji = (c) => {
  const x = cp(c);
  return inR(x, 0x3400, 0x4dbf) || inR(x, 0x4e00, 0x9fff) || inR(x, 0xf900, 0xfaff) || inR(x, 0x20000, 0x2ffff) || inR(x, 0x3005, 0x3007);
};
const joinsKanji = (c) => isKanji(c) || c === '\u30F5' || c === '\u30F6';
/** Place suffixes (tokenize.rs `is_suffix`): a word ends before them and starts after them. */
const isSuffix = (c) => '県府都道市区町村郡'.includes(c);
export const isCjk = (c) => isKanji(c) || isKana(c) || inR(cp(c), 0xac00, 0xd7af);
export const WORD = /^[\p{Alphabetic}\p{N}]$/u;

/** NFKC, lowercase, unify dashes and tildes, drop zero-width characters. */
export function normalize(s) {
  let out = '';
  let prev = '';
  for (const c0 of s.normalize('NFKC')) {
    for (let c of c0.toLowerCase()) {
      if (ZW.has(c)) continue;
      if (isDash(c)) c = prev && isKana(prev) ? 'ー' : '-';
      else if (TILDES.has(c)) c = '~';
      out += c;
      prev = c;
    }
  }
  return foldKana(out);
}

export const SMALL = { ァ: 'ア', ィ: 'イ', ゥ: 'ウ', ェ: 'エ', ォ: 'オ', ヮ: 'ワ', ぁ: 'あ', ぃ: 'い', ぅ: 'う', ぇ: 'え', ぉ: 'お', ゎ: 'わ' };
export const VU_ROW = { ァ: 0, ぁ: 0, ィ: 1, ぃ: 1, ェ: 3, ぇ: 3, ォ: 4, ぉ: 4 };
export const isKatakana = (c) => !!c && inR(cp(c), 0x30a1, 0x30fa);

/** Spelling folds (tokenize.rs `fold_kana`): 々 repeats the kanji before it, ヴァ…ヴォ → バ…ボ,
 * small vowels become large, a ー ending a katakana word is dropped. */
function foldKana(s) {
  if (!/[々ヴゔーァィゥェォヮぁぃぅぇぉゎ]/u.test(s)) return s;
  const ch = Array.from(s);
  let out = '';
  let last = '';
  for (let i = 0; i < ch.length; ) {
    let c = ch[i++];
    if (c === '々') {
      if (last && isKanji(last) && last !== '々') c = last;
    } else if (c === 'ヴ' || c === 'ゔ') {
      const row = VU_ROW[ch[i]];
      if (row !== undefined) i++;
      c = (c === 'ヴ' ? 'バビブベボ' : 'ばびぶべぼ')[row ?? 2];
    } else if (SMALL[c]) c = SMALL[c];
    else if (c === 'ー' && isKatakana(last)) {
      let j = i;
      while (j < ch.length && ch[j] === 'ー') j++;
      if (!isKatakana(ch[j])) continue;
    }
    out += c;
    last = c;
  }
  return out;
}

/** The tokens of normalised text as code points `ch`: CJK runs → overlapping bigrams (a single
 * character stays), other letters/digits → words. Each token has its text `t`, its span [a, z)
 * in `ch` and whether it starts at a kanji boundary `b`; its position is its index. */
export function spans(ch) {
  const bd = (k) => isKanji(ch[k]) && (k === 0 || !joinsKanji(ch[k - 1]) || (isSuffix(ch[k - 1]) && !isSuffix(ch[k])));
  const out = [];
  let i = 0;
  while (i < ch.length) {
    const c = ch[i];
    if (isCjk(c)) {
      const st = i;
      while (i < ch.length && isCjk(ch[i])) i++;
      if (i - st === 1) out.push({ t: c, a: st, z: i, b: bd(st) });
      else for (let k = st; k < i - 1; k++) out.push({ t: ch[k] + ch[k + 1], a: k, z: k + 2, b: bd(k) });
    } else if (WORD.test(c)) {
      const st = i;
      while (i < ch.length && WORD.test(ch[i]) && !isCjk(ch[i])) i++;
      out.push({ t: ch.slice(st, i).join(''), a: st, z: i, b: false });
    } else i++;
  }
  return out;
}

/** The query side's tokens: text, position, boundary (as tokenize.rs `tokenize_normalized`). */
export const tokenizeNormalized = (s) => spans(Array.from(s)).map((x, p) => ({ t: x.t, p, b: x.b }));

export const tokenize = (s) => tokenizeNormalized(normalize(s));

/** FNV-1a over UTF-8: the shard bucket of a token. */
export function fnv1a(s) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

const rotl16 = (m, n) => ((m << n) | (m >>> (16 - n))) & 0xffff;

function varint(buf, o) {
  let v = 0;
  let s = 0;
  let b;
  do {
    b = buf[o.i++];
    v += (b & 0x7f) * 2 ** s;
    s += 7;
  } while (b & 0x80);
  return v;
}

/** Shard bytes → Map(token → {docs, imp, masks, flags}); masks may be null (any position).
 * Flags come as one byte for all (header bit 2), runs (bit 4) or a column (write.rs). */
export function decodeShard(buf) {
  const map = new Map();
  const o = { i: 0 };
  const dec = new TextDecoder();
  while (o.i < buf.length) {
    const len = varint(buf, o);
    const tok = dec.decode(buf.subarray(o.i, o.i + len));
    o.i += len;
    const df = varint(buf, o);
    const header = buf[o.i++];
    const docs = new Uint32Array(df);
    let d = 0;
    for (let k = 0; k < df; k++) docs[k] = d += varint(buf, o);
    const imp = buf.subarray(o.i, o.i + df);
    o.i += df;
    let masks = null;
    if (header & 1) {
      masks = new Uint16Array(df);
      for (let k = 0; k < df; k++, o.i += 2) masks[k] = buf[o.i] | (buf[o.i + 1] << 8);
    }
    let flags;
    if (header & 2) flags = new Uint8Array(df).fill(buf[o.i++]);
    else if (header & 4) {
      flags = new Uint8Array(df);
      const runs = varint(buf, o);
      for (let r = 0, at = 0; r < runs; r++) {
        const value = buf[o.i++];
        const len = varint(buf, o);
        flags.fill(value, at, at + len);
        at += len;
      }
    } else {
      flags = buf.subarray(o.i, o.i + df);
      o.i += df;
    }
    map.set(tok, { docs, imp, masks, flags });
  }
  return map;
}

/** One token's decoded lists from the levels, oldest first (undefined where a level lacks it)
 * → one list, as `decodeShard` gives: the levels' documents are disjoint and ascending, so the
 * columns are concatenated; a level without masks or boundary bits gets "anywhere" and 0. */
export function mergeLevels(parts) {
  const ps = parts.filter(Boolean);
  if (ps.length <= 1) return ps[0] || null;
  const df = ps.reduce((a, p) => a + p.docs.length, 0);
  const docs = new Uint32Array(df);
  const imp = new Uint8Array(df);
  const masks = ps.some((p) => p.masks) ? new Uint16Array(df).fill(0xffff) : null;
  const flags = new Uint8Array(df);
  let o = 0;
  for (const p of ps) {
    docs.set(p.docs, o);
    imp.set(p.imp, o);
    if (p.masks) masks.set(p.masks, o);
    flags.set(p.flags, o);
    o += p.docs.length;
  }
  return { docs, imp, masks, flags };
}

/** Facet table bytes → columns: a packed byte (kind, status, work style) and a prefecture byte
 * per document, then one bitmap per theme and per engagement (⌈n / 8⌉ bytes each), kept as bytes. */
export function decodeFacets(buf, n, themes, engs) {
  const packed = buf.subarray(0, n);
  const row = Math.ceil(n / 8);
  const at = 2 * n + themes * row;
  return {
    kind: packed.map((b) => b & 3),
    status: packed.map((b) => (b >> 2) & 3),
    ws: packed.map((b) => (b >> 4) & 3),
    pref: buf.subarray(n, 2 * n),
    theme: { bits: buf.subarray(2 * n, at), row, count: themes },
    eng: { bits: buf.subarray(at, at + engs * row), row, count: engs },
  };
}

/** Whether document d has value v (from 1) of a facet's bitmaps. */
const hasValue = (set, d, v) => (set.bits[(v - 1) * set.row + (d >> 3)] >> (d & 7)) & 1;

/** 1-based values set for document d. */
function setBits(set, d, out) {
  out.length = 0;
  for (let v = 1; v <= set.count; v++) if (hasValue(set, d, v)) out.push(v);
  return out;
}

/** The manifest's variant groups (canonical form first) → a table for `fold`: first character
 * → [[word, canonical], …], longest words first (as src/search/variants.rs). */
export function variantTable(groups) {
  const t = new Map();
  for (const g of groups || []) {
    for (const w of g) {
      const f = Array.from(w)[0];
      if (!t.has(f)) t.set(f, []);
      t.get(f).push([w, g[0]]);
    }
  }
  const bytes = (w) => new TextEncoder().encode(w).length;
  for (const list of t.values()) list.sort((a, b) => bytes(b[0]) - bytes(a[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return t;
}

/** Folds normalised text: at each place the longest word of the table becomes its canonical form. */
export function fold(s, table) {
  if (!table || !table.size) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = String.fromCodePoint(s.codePointAt(i));
    const hit = (table.get(c) || []).find(([w]) => s.startsWith(w, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += c;
      i += c.length;
    }
  }
  return out;
}

/** Query words: each a list of tokens; empty words dropped. `table`: from `variantTable`. */
export const words = (q, table) => fold(normalize(q), table).split(/\s+/u).map(tokenizeNormalized).filter((w) => w.length);

/** Every token a query needs. */
export const needed = (ws) => [...new Set(ws.flatMap((w) => w.map((t) => t.t)))];

const ANY = 0xffff;
// Posting flags (src/search/mod.rs `flags`).
const F_FIELDS = 15;
const F_START = 16;
const F_END = 32;
const F_WHOLE = 64;
const tier = (fields) => (fields & 1 ? 3 : fields & 2 ? 2 : fields & 4 ? 1 : 0);

/** What one query word found in every document, in dense arrays: score (-1: no match), the
 * field bits all its tokens share, and its edge points (2 whole word, 1 word start, 0 inside). Positions must stay
 * consistent along the whole word (masks carried from token to token). */
function scoreWord(toks, get, n) {
  let score = null;
  let masks = null;
  let fields = null;
  let start = null;
  let whole = null;
  const last = toks.length - 1;
  toks.forEach((t, i) => {
    const rep = toks.slice(0, i).some((x) => x.t === t.t);
    const gap = i ? (t.p - toks[i - 1].p) % 16 : 0;
    const pl = get(t.t);
    const next = new Int32Array(n).fill(-1);
    const nextMasks = new Uint16Array(n);
    const nextFields = new Uint8Array(n);
    const nextStart = new Uint8Array(n);
    const nextWhole = new Uint8Array(n);
    if (pl) {
      for (let k = 0; k < pl.docs.length; k++) {
        const d = pl.docs[k];
        const fl = pl.flags[k];
        let mask = pl.masks ? pl.masks[k] : ANY;
        let sc = 0;
        let fd = F_FIELDS;
        let st = !t.b || (fl & F_START) !== 0;
        let wh = st;
        if (i) {
          if (score[d] < 0) continue;
          mask &= rotl16(masks[d], gap);
          sc = score[d];
          fd = fields[d];
          st = start[d] === 1;
          wh = whole[d] === 1;
        }
        if (!mask) continue;
        // One token alone is whole only where one occurrence has both edges.
        wh = last === 0 && t.b ? (fl & F_WHOLE) !== 0 : wh && (i < last || (fl & F_END) !== 0);
        next[d] = sc + (rep ? 0 : pl.imp[k]);
        nextMasks[d] = mask;
        nextFields[d] = fd & fl;
        nextStart[d] = st ? 1 : 0;
        nextWhole[d] = wh ? 1 : 0;
      }
    }
    score = next;
    masks = nextMasks;
    fields = nextFields;
    start = nextStart;
    whole = nextWhole;
  });
  // Edge points: 2 whole word, 1 word start, 0 inside a word.
  const edge = whole.map((w, d) => (w ? 2 : start[d]));
  return { score, fields, edge };
}

/** The rank key (src/search/mod.rs `rank_key`): word edges, field tier, open, BM25. */
export const rankKey = (ed, ti, open, bm25) => ((Math.min(ed, 31) * 64 + Math.min(ti, 63)) * 2 + (open ? 1 : 0)) * 2 ** 32 + bm25;

/** AND of the words over n documents; [[doc, key], …] best first, ties newest (highest
 * document number) first, as in Rust. `status` (the facet table's column, optional): a closed
 * challenge (3) ranks below open pages of equal whole words and tier. */
export function rank(ws, get, n, status) {
  const hits = [];
  if (!ws.length) return hits;
  const bm = new Float64Array(n);
  const ed = new Uint8Array(n);
  const ti = new Uint16Array(n);
  for (const w of ws) {
    const s = scoreWord(w, get, n);
    for (let d = 0; d < n; d++) {
      if (bm[d] < 0 || s.score[d] < 0) {
        bm[d] = -1;
        continue;
      }
      bm[d] += s.score[d];
      ed[d] += s.edge[d];
      ti[d] += tier(s.fields[d]);
    }
  }
  for (let d = 0; d < n; d++) if (bm[d] >= 0) hits.push([d, rankKey(ed[d], ti[d], !status || status[d] !== 3, bm[d])]);
  return hits.sort((a, b) => b[1] - a[1] || b[0] - a[0]);
}

export const FACETS = ['kind', 'status', 'pref', 'ws', 'theme', 'eng'];

/** Applies filters {facet: value} and counts facet values over what remains. `pref` may be a
 * list: several prefectures can be chosen, so prefectures are counted before their own filter
 * (choosing one keeps the others offered, with their counts). Works on numeric ids (dictionary
 * positions) and turns them into values only for the counts it returns. */
export function facet(hits, f, dict, filters) {
  const id = (list, v, off) => (v ? list.indexOf(v) + off : -1);
  const want = {
    kind: id(dict.kind, filters.kind, 0),
    status: id(dict.status, filters.status, 1),
    ws: id(dict.ws, filters.ws, 1),
    theme: id(dict.theme, filters.theme, 1),
    eng: id(dict.eng, filters.eng, 1),
  };
  const prefs = new Set([].concat(filters.pref || []).map((v) => dict.pref_slug.indexOf(v) + 1).filter((v) => v > 0));
  const n = { kind: new Uint32Array(4), status: new Uint32Array(4), pref: new Uint32Array(48), ws: new Uint32Array(4), theme: new Uint32Array(f.theme.count + 1), eng: new Uint32Array(f.eng.count + 1) };
  const kept = [];
  const tmp = [];
  for (const h of hits) {
    const d = h[0];
    if ((want.kind >= 0 && f.kind[d] !== want.kind) || (want.status >= 0 && f.status[d] !== want.status)) continue;
    if (want.ws >= 0 && f.ws[d] !== want.ws) continue;
    if ((want.theme >= 0 && !hasValue(f.theme, d, want.theme)) || (want.eng >= 0 && !hasValue(f.eng, d, want.eng))) continue;
    n.pref[f.pref[d]]++;
    if (prefs.size && !prefs.has(f.pref[d])) continue;
    kept.push(h);
    n.kind[f.kind[d]]++;
    n.status[f.status[d]]++;
    n.ws[f.ws[d]]++;
    for (const t of setBits(f.theme, d, tmp)) n.theme[t]++;
    for (const e of setBits(f.eng, d, tmp)) n.eng[e]++;
  }
  const counts = {};
  const put = (facet, arr, names, off) => arr.forEach((c, i) => c && i >= off && ((counts[facet] ||= {})[names[i - off]] = c));
  put('kind', n.kind, dict.kind, 0);
  put('status', n.status, dict.status, 1);
  put('pref', n.pref, dict.pref_slug, 1);
  put('ws', n.ws, dict.ws, 1);
  put('theme', n.theme, dict.theme, 1);
  put('eng', n.eng, dict.eng, 1);
  return { kept, counts };
}

