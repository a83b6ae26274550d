// tsunagari search client. Mirrors src/search/ in Rust: the same tokenizer (checked against
// tests/search/tokenizer-vectors.json), the same bucket hash and the same integer scoring, so
// the browser ranks exactly like the reference engine. No dependencies; ES module.

const ZW = new Set(['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD']);
const TILDES = new Set(['~', '\u301C', '\u223C', '\u223D', '\u2053', '\u3030']);
const inR = (x, a, b) => x >= a && x <= b;
const cp = (c) => c.codePointAt(0);
const isDash = (c) => {
  const x = cp(c);
  return c === '-' || inR(x, 0x2010, 0x2015) || x === 0x2212 || x === 0x2500 || x === 0x2501 || x === 0x30fc || x === 0xfe63;
};
const isKana = (c) => {
  const x = cp(c);
  return inR(x, 0x3041, 0x3096) || inR(x, 0x309d, 0x309f) || inR(x, 0x30a1, 0x30fa) || inR(x, 0x30fc, 0x30ff) || inR(x, 0x31f0, 0x31ff);
};
const isKanji = (c) => {
  const x = cp(c);
  return inR(x, 0x3400, 0x4dbf) || inR(x, 0x4e00, 0x9fff) || inR(x, 0xf900, 0xfaff) || inR(x, 0x20000, 0x2ffff) || inR(x, 0x3005, 0x3007);
};
const joinsKanji = (c) => isKanji(c) || c === '\u30F5' || c === '\u30F6';
/** Place suffixes (tokenize.rs `is_suffix`): a word ends before them and starts after them. */
const isSuffix = (c) => '県府都道市区町村郡'.includes(c);
const isCjk = (c) => isKanji(c) || isKana(c) || inR(cp(c), 0xac00, 0xd7af);
const WORD = /^[\p{Alphabetic}\p{N}]$/u;

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

const SMALL = { ァ: 'ア', ィ: 'イ', ゥ: 'ウ', ェ: 'エ', ォ: 'オ', ヮ: 'ワ', ぁ: 'あ', ぃ: 'い', ぅ: 'う', ぇ: 'え', ぉ: 'お', ゎ: 'わ' };
const VU_ROW = { ァ: 0, ぁ: 0, ィ: 1, ぃ: 1, ェ: 3, ぇ: 3, ォ: 4, ぉ: 4 };
const isKatakana = (c) => !!c && inR(cp(c), 0x30a1, 0x30fa);

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

/** CJK runs → overlapping bigrams (a single character stays), other letters/digits → words. */
export function tokenizeNormalized(s) {
  const ch = Array.from(s);
  const out = [];
  let pos = 0;
  let i = 0;
  while (i < ch.length) {
    const c = ch[i];
    if (isCjk(c)) {
      const st = i;
      while (i < ch.length && isCjk(ch[i])) i++;
      const run = ch.slice(st, i);
      const bd = (k) => isKanji(run[k]) && (k === 0 || !joinsKanji(run[k - 1]) || (isSuffix(run[k - 1]) && !isSuffix(run[k])));
      if (run.length === 1) out.push({ t: run[0], p: pos++, b: bd(0) });
      else for (let k = 0; k < run.length - 1; k++) out.push({ t: run[k] + run[k + 1], p: pos++, b: bd(k) });
    } else if (WORD.test(c)) {
      const st = i;
      while (i < ch.length && WORD.test(ch[i]) && !isCjk(ch[i])) i++;
      out.push({ t: ch.slice(st, i).join(''), p: pos++, b: false });
    } else i++;
  }
  return out;
}

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
 * per document, then theme and engagement bitsets, kept as bytes. */
export function decodeFacets(buf, n, themes, engs) {
  const packed = buf.subarray(0, n);
  const ts = Math.ceil(themes / 8);
  const es = Math.ceil(engs / 8);
  return {
    kind: packed.map((b) => b & 3),
    status: packed.map((b) => (b >> 2) & 3),
    ws: packed.map((b) => (b >> 4) & 3),
    pref: buf.subarray(n, 2 * n),
    theme: { bits: buf.subarray(2 * n, 2 * n + n * ts), stride: ts, count: themes },
    eng: { bits: buf.subarray(2 * n + n * ts, 2 * n + n * ts + n * es), stride: es, count: engs },
  };
}

/** 1-based values set in document d's bitset. */
function setBits(set, d, out) {
  out.length = 0;
  for (let b = 0; b < set.stride; b++) {
    let byte = set.bits[d * set.stride + b];
    while (byte) {
      const low = byte & -byte;
      out.push(b * 8 + 31 - Math.clz32(low) + 1);
      byte ^= low;
    }
  }
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
  const has = (set, d, v) => (set.bits[d * set.stride + ((v - 1) >> 3)] >> ((v - 1) & 7)) & 1;
  const kept = [];
  const tmp = [];
  for (const h of hits) {
    const d = h[0];
    if ((want.kind >= 0 && f.kind[d] !== want.kind) || (want.status >= 0 && f.status[d] !== want.status)) continue;
    if (want.ws >= 0 && f.ws[d] !== want.ws) continue;
    if ((want.theme >= 0 && !has(f.theme, d, want.theme)) || (want.eng >= 0 && !has(f.eng, d, want.eng))) continue;
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

// ---- Stored text: verification and excerpts --------------------------------------------------
// The index's positions are only masks mod 16, so a long word may "match" where its bigrams lie
// scattered. The stored text (`t/<chunk>.bin`, see src/search/mod.rs) settles it: folded exactly
// as the index folds, it must contain every query word in order. The same fold, keeping each
// character's place in the original, puts <mark> over the original spelling (申し込み for 申込).

/** Characters NFKC may compose with the one before them: normalised together. */
const JOINS = /^[\p{M}\uFF9E\uFF9F]$/u;

/** Folds text as the index does (`normalize`, then `fold`), keeping for every character of the
 * result the span [a, z) of the original text (UTF-16 offsets) it came from. Returns
 * {chars, a, z} (chars: the folded text's code points), or null when folding character by
 * character does not give exactly `fold(normalize(text))` (then no offset can be trusted). */
export function foldMapped(text, table) {
  const n = [];
  let prev = '';
  let off = 0;
  const cs = Array.from(text);
  for (let i = 0; i < cs.length; ) {
    const a = off;
    let cl = cs[i++];
    while (i < cs.length && JOINS.test(cs[i])) cl += cs[i++];
    off += cl.length;
    for (const c0 of cl.normalize('NFKC')) {
      for (let c of c0.toLowerCase()) {
        if (ZW.has(c)) continue;
        if (isDash(c)) c = prev && isKana(prev) ? 'ー' : '-';
        else if (TILDES.has(c)) c = '~';
        n.push({ c, a, z: off });
        prev = c;
      }
    }
  }
  const k = kanaMapped(n);
  const out = { chars: [], a: [], z: [] };
  const push = (c, a, z) => (out.chars.push(c), out.a.push(a), out.z.push(z));
  for (let i = 0; i < k.length; ) {
    const list = table && table.get(k[i].c);
    const hit = list && list.find(([w]) => Array.from(w).every((c, j) => k[i + j] && k[i + j].c === c));
    if (hit) {
      const len = Array.from(hit[0]).length;
      for (const c of hit[1]) push(c, k[i].a, k[i + len - 1].z);
      i += len;
    } else {
      push(k[i].c, k[i].a, k[i].z);
      i++;
    }
  }
  return out.chars.join('') === fold(normalize(text), table) ? out : null;
}

/** `foldKana` over characters with spans: a dropped ー widens the span before it, ヴァ keeps
 * both spans. */
function kanaMapped(n) {
  const out = [];
  let last = '';
  for (let i = 0; i < n.length; ) {
    const x = n[i++];
    let c = x.c;
    let z = x.z;
    if (c === '々') {
      if (last && isKanji(last) && last !== '々') c = last;
    } else if (c === 'ヴ' || c === 'ゔ') {
      const row = i < n.length ? VU_ROW[n[i].c] : undefined;
      if (row !== undefined) z = n[i++].z;
      c = (c === 'ヴ' ? 'バビブベボ' : 'ばびぶべぼ')[row ?? 2];
    } else if (SMALL[c]) c = SMALL[c];
    else if (c === 'ー' && isKatakana(last)) {
      let j = i;
      while (j < n.length && n[j].c === 'ー') j++;
      // A dropped word-final ー belongs to the word before it: a mark covers it too.
      if (!isKatakana(n[j] && n[j].c)) {
        out[out.length - 1].z = x.z;
        continue;
      }
    }
    out.push({ c, a: x.a, z });
    last = c;
  }
  return out;
}

/** The tokens of `tokenizeNormalized` over code points, each with its span [a, z) in them;
 * a token's position is its index. */
export function spans(ch) {
  const out = [];
  let i = 0;
  while (i < ch.length) {
    const c = ch[i];
    if (isCjk(c)) {
      const st = i;
      while (i < ch.length && isCjk(ch[i])) i++;
      if (i - st === 1) out.push({ t: c, a: st, z: i });
      else for (let k = st; k < i - 1; k++) out.push({ t: ch[k] + ch[k + 1], a: k, z: k + 2 });
    } else if (WORD.test(c)) {
      const st = i;
      while (i < ch.length && WORD.test(ch[i]) && !isCjk(ch[i])) i++;
      out.push({ t: ch.slice(st, i).join(''), a: st, z: i });
    } else i++;
  }
  return out;
}

/** Where query word `w` (its tokens) occurs in folded text `ch` (code points, `toks` its
 * spans): every token in place, as [a, z) over `ch`. A one-character CJK word is found as the
 * index finds it: any kanji of a CJK run, other characters only standing alone. */
function wordHits(ch, toks, w) {
  const hits = [];
  const only = w.length === 1 && Array.from(w[0].t).length === 1 && isCjk(w[0].t) ? w[0].t : '';
  if (only) {
    const alone = (k) => !(k > 0 && isCjk(ch[k - 1])) && !(k + 1 < ch.length && isCjk(ch[k + 1]));
    for (let k = 0; k < ch.length; k++) if (ch[k] === only && (isKanji(only) || alone(k))) hits.push([k, k + 1]);
    return hits;
  }
  const p0 = w[0].p;
  const end = w[w.length - 1].p - p0;
  for (let i = 0; i + end < toks.length; i++) {
    if (toks[i].t === w[0].t && w.every((q) => toks[i + q.p - p0].t === q.t)) hits.push([toks[i].a, toks[i + end].z]);
  }
  return hits;
}

/** Does the text contain every query word, folded as the index folds it, tokens in order? */
export function containsAll(text, ws, table) {
  const ch = Array.from(fold(normalize(text), table));
  const toks = spans(ch);
  return ws.every((w) => wordHits(ch, toks, w).length > 0);
}

/** A stored-text row `[title, meta, body, cut]` is a true match of the query words, or cannot
 * be proven false (its body was cut, or it could not be had). */
export function verifies(row, ws, table) {
  if (!row) return true;
  return !!row[3] || containsAll(row.slice(0, 3).join('\n'), ws, table);
}

/** Every hit of the query words in `text`: [{s, e, w}] over the original (UTF-16 offsets,
 * `w` the word's number), in text order; null when offsets cannot be kept (see `foldMapped`). */
export function hitsIn(text, ws, table) {
  const m = foldMapped(text, table);
  if (!m) return null;
  const toks = spans(m.chars);
  const hits = [];
  ws.forEach((w, wi) => {
    for (const [a, z] of wordHits(m.chars, toks, w)) hits.push({ s: m.a[a], e: m.z[z - 1], w: wi });
  });
  return hits.sort((x, y) => x.s - y.s || y.e - x.e);
}

/** Characters an excerpt shows, and how many of them come before its first hit. */
export const EXCERPT = 100;
const LEAD = 20;

/** `text[s, e)` as parts [[text, marked], …]: the hits marked, white space made one space. */
export function pieces(text, hits, s = 0, e = text.length) {
  const parts = [];
  const add = (str, mark) => {
    const t = str.replace(/\s+/gu, ' ');
    if (t) parts.push([t, mark]);
  };
  let at = s;
  for (const h of hits) {
    const a = Math.max(h.s, at);
    const z = Math.min(h.e, e);
    if (z <= a) continue;
    add(text.slice(at, a), false);
    add(text.slice(a, z), true);
    at = z;
  }
  add(text.slice(at, e), false);
  return parts;
}

/** The excerpt of `text` around its best window of hits (the most distinct words, then the
 * most hits, then the earliest), with … where it was cut; null without hits. */
export function excerpt(text, hits, size = EXCERPT) {
  let best = null;
  for (const h of hits) {
    const e = Math.min(text.length, Math.max(0, h.s - LEAD) + size);
    const s = Math.max(0, e - size);
    const inside = hits.filter((x) => x.s >= s && x.e <= e);
    const score = new Set(inside.map((x) => x.w)).size * 10000 + inside.length;
    if (!best || score > best.score) best = { s, e, score };
  }
  if (!best) return null;
  let { s, e } = best;
  // Never split a surrogate pair.
  if (s > 0 && /[\uDC00-\uDFFF]/u.test(text[s])) s--;
  if (e < text.length && /[\uDC00-\uDFFF]/u.test(text[e])) e++;
  return [...(s > 0 ? [['…', false]] : []), ...pieces(text, hits, s, e), ...(e < text.length ? [['…', false]] : [])];
}

/** Distinct query words among hits. */
const wordsHit = (hits) => new Set((hits || []).map((h) => h.w)).size;

/** The excerpt a result shows: its summary when that has as many of the query words as the
 * stored body has, else the body's best window; the summary unmarked when neither has a hit
 * (a body cut before its hits, or no stored text). */
export function chooseExcerpt(summary, body, ws, table) {
  const sh = hitsIn(summary, ws, table) || [];
  const bh = body ? hitsIn(body, ws, table) || [] : [];
  if (wordsHit(bh) > wordsHit(sh)) return excerpt(body, bh);
  return pieces(summary, sh);
}

/** Whether a result needs its stored text for the excerpt: its summary lacks a query word. */
export const needsText = (summary, ws, table) => wordsHit(hitsIn(summary, ws, table)) < ws.length;

/** A gzipped (or already inflated) JSON file's value. */
export async function inflateJson(bytes) {
  let b = bytes;
  if (b[0] === 0x1f && b[1] === 0x8b) {
    const stream = new Blob([b]).stream().pipeThrough(new DecompressionStream('gzip'));
    b = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return JSON.parse(new TextDecoder().decode(b));
}

// ---- 「もしかして」 ----------------------------------------------------------------------------
// When a query finds nothing, the index's vocabulary (src/search/suggest.rs: words of the pages,
// normalised and folded, with document frequency and display form) gives words close to each
// query word that finds nothing; the page offers the closest, most common one that finds pages.

/** Damerau–Levenshtein distance (adjacent transpositions count one edit) over code points;
 * `max + 1` as soon as it must exceed `max`. */
export function editDistance(a, b, max = Infinity) {
  const s = Array.from(a);
  const t = Array.from(b);
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prev2 = null;
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let low = i;
    for (let j = 1; j <= t.length; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      low = Math.min(low, v);
    }
    if (low > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return Math.min(prev[t.length], max + 1);
}

const shiftKana = (s, from, to, by) => s.replace(/./gu, (c) => (inR(cp(c), from, to) ? String.fromCodePoint(cp(c) + by) : c));
/** Hiragana as katakana (ぁ…ゖ → ァ…ヶ). */
export const toKatakana = (s) => shiftKana(s, 0x3041, 0x3096, 0x60);
/** Katakana as hiragana (ァ…ヶ → ぁ…ゖ). */
export const toHiragana = (s) => shiftKana(s, 0x30a1, 0x30f6, -0x60);

/** Edits allowed for a query word: one up to four characters, two beyond. */
export const maxEdits = (word) => (Array.from(word).length <= 4 ? 1 : 2);

/** The vocabulary file's rows ([key, df] or [key, df, display]) → [{key, df, display}]. */
export const parseVocab = (rows) => rows.map(([key, df, display]) => ({ key, df, display: display || key }));

/** Words of the vocabulary close to a query word: [{display, d, df}], fewest edits first, then the
 * most pages, then by key. The word is compared normalised, folded and not, and its kana also
 * as the other kana (わーけしょん meets ワーケーション). A word that is the query again is left out. */
export function candidates(word, vocab, table) {
  const plain = normalize(word).trim();
  const folded = fold(plain, table);
  const forms = [...new Set([folded, plain].flatMap((f) => [f, toKatakana(f), toHiragana(f)]))];
  const max = maxEdits(folded);
  const out = [];
  for (const v of vocab) {
    let d = max + 1;
    for (const f of forms) d = Math.min(d, editDistance(f, v.key, max));
    if (d <= max && fold(normalize(v.display), table) !== folded) out.push({ display: v.display, key: v.key, d, df: v.df });
  }
  out.sort((a, b) => a.d - b.d || b.df - a.df || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // A spelling met twice (as a word and as a variant) is offered once, at its best.
  const seen = new Set();
  return out.filter((c) => !seen.has(c.display) && seen.add(c.display));
}

/** Candidates of a word tried for a suggestion (each may cost a shard). */
const TRIES = 6;

/** The query to suggest for `q`, or null: every word that finds nothing alone is replaced by its
 * best candidate that does, and the whole query must then find pages. `finds(ws)` (async): do the
 * query words `ws` (as `words` makes them) find any page? */
export async function suggestQuery(q, vocab, table, finds) {
  const out = [];
  let changed = false;
  for (const raw of q.split(/\s+/u).filter(Boolean)) {
    const ws = words(raw, table);
    if (!ws.length || (await finds(ws))) {
      out.push(raw);
      continue;
    }
    let fix = null;
    for (const c of candidates(raw, vocab, table).slice(0, TRIES)) {
      if (await finds(words(c.display, table))) {
        fix = c.display;
        break;
      }
    }
    if (!fix) return null;
    out.push(fix);
    changed = true;
  }
  const s = out.join(' ');
  return changed && (await finds(words(s, table))) ? s : null;
}

// ---- The page --------------------------------------------------------------------------------
// Rendering, filters, focus and status messages. Visitor texts come from the form's data-*
// attributes (search.html), so they stay in the template.

const LABELS = { kind: '種類', status: '募集状況', pref: '都道府県', ws: '働き方', theme: 'テーマ', eng: '関わり方' };
const PAGE = 10;
/** Candidates in at most this many text files are all verified before the count is shown: about
 * what one page of results fetches anyway. */
const VERIFY_ALL = 6;

function label(dict, k, v) {
  const i = (a) => a.indexOf(v);
  if (k === 'kind') return dict.kind_label[i(dict.kind)];
  if (k === 'status') return dict.status_label[i(dict.status)];
  if (k === 'pref') return dict.pref[i(dict.pref_slug)];
  if (k === 'ws') return dict.ws_label[i(dict.ws)];
  return v;
}

function el(tag, props, ...kids) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const k of kids) if (k != null) e.append(k);
  return e;
}

/** A text of the form's data-* attributes with {name} placeholders filled. */
function say(form, key, vars = {}) {
  return (form.dataset[key] || '').replace(/\{(\w+)\}/g, (all, k) => (k in vars ? String(vars[k]) : all));
}

/** The zero-result hint that fits the query: "shorten the words" makes no sense for a query of
 * one or two characters ('noneShort': other words or the lists); several words are asked to be
 * fewer ('noneWords'); one longer word to be shorter ('none'). */
export function zeroHintKey(q) {
  if (Array.from(q.replace(/\s+/gu, '')).length <= 2) return 'noneShort';
  return q.trim().split(/\s+/u).length > 1 ? 'noneWords' : 'none';
}

/** Filters of the URL: `pref` may repeat (several prefectures); the others are single. */
export function readQuery(search) {
  const p = new URLSearchParams(search);
  const filters = {};
  for (const k of FACETS) {
    const v = k === 'pref' ? p.getAll(k).filter(Boolean) : p.get(k);
    if (v && v.length) filters[k] = v;
  }
  return { q: p.get('q') || '', filters };
}

/** The URL query of a search: `q`, then each filter, prefectures repeated. */
export function writeQuery(q, filters) {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  for (const k of FACETS) for (const v of [].concat(filters[k] || [])) if (v) p.append(k, v);
  return p.toString();
}

/** Excerpt parts as DOM nodes: text, and <mark> over the hits (never HTML). */
function marked(parts) {
  const frag = document.createDocumentFragment();
  for (const [t, hit] of parts) frag.append(hit ? el('mark', { textContent: t }) : t);
  return frag;
}

/** Runs `render` (which rebuilds `box`) and puts focus back on the control with the same id,
 * so a filter change leaves keyboard and screen-reader users where they were. */
function keepingFocus(box, render) {
  const active = document.activeElement;
  const id = active && box.contains(active) ? active.id : '';
  render();
  const again = id && document.getElementById(id);
  if (again) again.focus();
}

/** One filter as a <select> (a single value). */
function selectFacet(form, dict, k, c, filters, onChange) {
  const sel = el('select', { id: 'facet-' + k, name: k });
  sel.append(el('option', { value: '', textContent: say(form, 'all') }));
  for (const v of Object.keys(c).sort((a, b) => c[b] - c[a] || (a < b ? -1 : 1))) {
    sel.append(el('option', { value: v, textContent: `${label(dict, k, v)}（${c[v]}）`, selected: filters[k] === v }));
  }
  sel.addEventListener('change', () => onChange(k, sel.value || undefined));
  return el('div', { className: 'facet-field' }, el('label', { htmlFor: sel.id, textContent: LABELS[k] }), sel);
}

/** Prefectures as checkboxes: several at once; a chosen one stays listed even at zero. */
function checkFacet(dict, k, c, filters, onChange) {
  const chosen = new Set([].concat(filters[k] || []));
  const values = [...new Set([...Object.keys(c), ...chosen])].filter((v) => dict.pref_slug.includes(v));
  const box = el('fieldset', { className: 'facet-field facet-checks' }, el('legend', { textContent: LABELS[k] }));
  for (const v of values.sort((a, b) => (c[b] || 0) - (c[a] || 0) || dict.pref_slug.indexOf(a) - dict.pref_slug.indexOf(b))) {
    const input = el('input', { type: 'checkbox', id: `facet-${k}-${v}`, name: k, value: v, checked: chosen.has(v) });
    input.addEventListener('change', () => onChange(k, [...box.querySelectorAll('input:checked')].map((i) => i.value)));
    box.append(el('label', { className: 'facet-check', htmlFor: input.id }, input, `${label(dict, k, v)}（${c[v] || 0}）`));
  }
  return box;
}

/** The filters behind 「絞り込み」, with counts; the summary tells how many are chosen. */
function renderFacets(form, dict, counts, filters, onChange) {
  const $ = (id) => document.getElementById(id);
  const box = $('search-facets');
  keepingFocus(box, () => {
    box.replaceChildren();
    for (const k of FACETS) {
      const c = counts[k] || {};
      if (!Object.keys(c).length && !filters[k]) continue;
      box.append(k === 'pref' ? checkFacet(dict, k, c, filters, onChange) : selectFacet(form, dict, k, c, filters, onChange));
    }
  });
  const on = FACETS.reduce((a, k) => a + [].concat(filters[k] || []).length, 0);
  $('search-filters-summary').textContent = on ? say(form, 'filtersOn', { n: on }) : say(form, 'filters');
  $('search-filters').hidden = !box.children.length;
}

/** What the page shows besides results: the status (polite live region), the alert, the lists. */
function showState(form, state, vars = {}) {
  const $ = (id) => document.getElementById(id);
  const error = state === 'error';
  $('search-status').textContent = error ? '' : state ? say(form, state, vars) : '';
  $('search-error').textContent = error ? say(form, 'error') : '';
  $('search-error').hidden = !error;
  $('search-browse').hidden = !(error || /^none/.test(state));
  if (error) {
    $('search-results').replaceChildren();
    $('search-more-wrap').hidden = true;
  }
}

async function start(form) {
  const $ = (id) => document.getElementById(id);
  const input = $('search-q');
  const list = $('search-results');
  const more = $('search-more');
  const manifestUrl = form.dataset.index;
  const cache = new Map();
  const get = (url, bin) => {
    if (!cache.has(url)) {
      const p = fetch(url).then((r) => {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return bin ? r.arrayBuffer().then((b) => new Uint8Array(b)) : r.json();
      });
      // A failed file is asked for again by the next search, not remembered as failed.
      p.catch(() => cache.delete(url));
      cache.set(url, p);
    }
    return cache.get(url);
  };
  const m = await get(manifestUrl);
  // Files have fixed names; `?v=` is the manifest's version of their group (chunks or facets).
  const url = (p) => m.dir + p + '?v=' + m.versions[p.startsWith('d/') ? 'd' : p.startsWith('t/') ? 't' : 'f'];
  const variants = variantTable(m.variants);
  let facets = null;
  let vocab = null;
  let shown = 0;
  let current = [];
  let currentWords = [];
  let currentQuery = '';
  // True while `current` may still hold false matches (see `search`).
  let unverified = false;
  let seq = 0;

  const save = (q, filters) => {
    const query = writeQuery(q, filters);
    history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
  };

  function fill(li, row, text) {
    const [u, title, kind, date, muni, pref, st, summary] = row;
    const meta = el('p', { className: 'hit-meta' }, el('span', { className: 'kind', textContent: m.dict.kind_label[kind] }));
    if (pref || muni) meta.append(' ', el('span', { className: 'place', textContent: [pref, muni].filter(Boolean).join(' ') }));
    if (st) meta.append(' ', el('span', { className: 'status status--' + m.dict.status[st - 1], textContent: m.dict.status_label[st - 1] }));
    if (date) meta.append(' ', el('time', { dateTime: date, textContent: date }));
    const parts = chooseExcerpt(summary, text && text[2], currentWords, variants);
    li.replaceChildren(el('a', { href: u, className: 'hit-title', textContent: title }), meta, el('p', { className: 'hit-excerpt' }, marked(parts)));
    li.removeAttribute('aria-busy');
  }

  /** A document's stored-text row, or null when its file cannot be had (the result then keeps
   * its summary and stays unverified rather than failing the search). */
  const texts = new Map();
  const textRow = (d) => {
    const c = Math.floor(d / m.chunk);
    if (!texts.has(c)) {
      const p = get(url('t/' + c + '.bin'), true).then(inflateJson);
      p.catch(() => texts.delete(c));
      texts.set(c, p);
    }
    return texts.get(c).then((rows) => rows[d % m.chunk] || null, () => null);
  };
  // Results whose excerpt waits for their stored text until they come near the screen.
  const waiting = new WeakMap();
  const near =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            for (const e of entries) {
              if (!e.isIntersecting) continue;
              near.unobserve(e.target);
              const f = waiting.get(e.target);
              waiting.delete(e.target);
              if (f) f();
            }
          },
          { rootMargin: '200px 0px' },
        )
      : null;
  const whenNear = (li, f) => {
    if (!near) return void f();
    waiting.set(li, f);
    near.observe(li);
  };
  const isMatch = (d) => textRow(d).then((r) => verifies(r, currentWords, variants));

  /** Progressive verification: from `current[from]` on, drops false matches until a page of
   * true ones (or the end) is reached. Returns false when a newer search took over. */
  async function verifyFrom(from, my) {
    let i = from;
    let ok = 0;
    while (i < current.length && ok < PAGE) {
      const batch = current.slice(i, i + PAGE - ok);
      const good = await Promise.all(batch.map(([d]) => isMatch(d)));
      if (my !== seq) return false;
      let k = i;
      batch.forEach((h, j) => good[j] && (current[k++] = h));
      current.splice(k, batch.length - (k - i));
      ok += k - i;
      i = k;
    }
    return true;
  }

  /** Shows the next page of results: rows in rank order at once, each filled as soon as its
   * metadata arrives, so the best result appears after a single round trip; its excerpt moves
   * to the stored body when that arrives (only fetched when the summary lacks a query word).
   * Unverified candidates are verified first; the count is then announced again if it fell. */
  async function showMore() {
    const my = seq;
    const before = current.length;
    if (unverified && !(await verifyFrom(shown, my))) return;
    const slice = current.slice(shown, shown + PAGE);
    shown += slice.length;
    more.parentElement.hidden = shown >= current.length;
    let first = true;
    await Promise.all(
      slice.map(([d]) => {
        const li = el('li', { className: 'hit' });
        li.setAttribute('aria-busy', 'true');
        list.append(li);
        return get(url('d/' + Math.floor(d / m.chunk) + '.json')).then(async (c) => {
          if (my !== seq) return;
          const row = c[d % m.chunk];
          fill(li, row, null);
          if (first && li === list.firstElementChild) {
            first = false;
            performance.mark('tsunagari:first');
          }
          // The stored text only when the summary lacks a query word, and only once the result
          // comes near the screen: a first query fetches the text of the results seen.
          if (!needsText(row[7], currentWords, variants)) {
            li.dataset.excerpt = 'summary';
            return;
          }
          whenNear(li, async () => {
            const text = await textRow(d);
            if (my !== seq) return;
            if (text) fill(li, row, text);
            li.dataset.excerpt = text ? 'text' : 'summary';
          });
        });
      }),
    );
    if (my === seq && current.length !== before && shown > slice.length) announce();
  }

  /** The status: the number of results (honest: it falls when verification drops some). */
  const announce = () => showState(form, current.length ? 'found' : zeroHintKey(currentQuery), { q: currentQuery, n: current.length });

  /** The postings of `toks` from every level's shards, oldest level first, merged into one list
   * per token (levels' documents are disjoint and ascending): a lookup for `rank`. */
  async function postings(toks) {
    const levelShards = (l) => {
      const buckets = [...new Set(toks.map((t) => fnv1a(t) & (l.buckets - 1)))];
      return Promise.all(buckets.map((b) => get(`${m.dir}${l.name}/s/${b}.bin?v=${l.v}`, true).then(decodeShard)));
    };
    const levels = await Promise.all(m.levels.map(levelShards));
    const lists = new Map(toks.map((t) => [t, mergeLevels(levels.map((shards) => shards.find((s) => s.has(t))?.get(t)))]));
    return (t) => lists.get(t) || null;
  }

  /** Do the words find any page (no filters: a suggestion's link carries only the query)? Loads
   * the shards they need. */
  async function finds(ws) {
    return rank(ws, await postings(needed(ws)), m.n).length > 0;
  }

  /** The 「もしかして」 query for a query that found nothing, or null (also when the vocabulary
   * cannot be loaded: a suggestion is a help, not a reason to show an error). */
  async function suggestion(q) {
    if (!m.vocab) return null;
    try {
      vocab ||= get(m.vocab + '?v=' + m.versions.v).then(parseVocab);
      return await suggestQuery(q, await vocab, variants, finds);
    } catch (e) {
      console.error(e);
      return null;
    }
  }

  /** Shows 「もしかして: <a href="?q=…">…</a>」, a real link (it works as a URL), or nothing. */
  function offer(s) {
    const box = $('search-suggest');
    box.replaceChildren();
    box.hidden = !s;
    if (s) box.append(say(form, 'suggest') + ' ', el('a', { href: '?' + writeQuery(s, {}), textContent: s }));
  }

  const onFilter = (k, v) => run(input.value.trim(), { ...readQuery(location.search).filters, [k]: v });

  async function run(q, filters) {
    const my = ++seq;
    save(q, filters);
    const ws = words(q, variants);
    if (near) near.disconnect();
    offer(null);
    list.replaceChildren();
    more.parentElement.hidden = true;
    if (!ws.length) {
      showState(form, q ? 'noWords' : '');
      $('search-filters').hidden = true;
      return;
    }
    showState(form, 'searching');
    try {
      await search(my, q, ws, filters);
    } catch (e) {
      if (my !== seq) return;
      showState(form, 'error');
      console.error(e);
    }
  }

  async function search(my, q, ws, filters) {
    const toks = needed(ws);
    const [lookup, fbytes] = await Promise.all([postings(toks), get(url('f.bin'), true)]);
    if (my !== seq) return;
    performance.mark('tsunagari:shards');
    facets ||= decodeFacets(fbytes, m.n, m.dict.theme.length, m.dict.eng.length);
    let hits = rank(ws, lookup, m.n, facets.status);
    currentWords = ws;
    currentQuery = q;
    // Only a word of two or more tokens can be a false match (one token is found exactly).
    // When the candidates lie in a few text files, all are verified before anything is counted;
    // otherwise they are verified page by page as shown and the count is announced again when
    // it falls (the filters' counts then stay those of the candidates: at most so many).
    unverified = ws.some((w) => w.length > 1);
    if (unverified && new Set(hits.map(([d]) => Math.floor(d / m.chunk))).size <= VERIFY_ALL) {
      const good = await Promise.all(hits.map(([d]) => isMatch(d)));
      if (my !== seq) return;
      hits = hits.filter((h, i) => good[i]);
      unverified = false;
    }
    const { kept, counts } = facet(hits, facets, m.dict, filters);
    performance.mark('tsunagari:ranked');
    current = kept;
    shown = 0;
    renderFacets(form, m.dict, counts, filters, onFilter);
    await showMore();
    if (my !== seq) return;
    const offered = current.length ? null : await suggestion(q);
    if (my !== seq) return;
    offer(offered);
    announce();
    performance.mark('tsunagari:shown');
    const ms = (a, b) => performance.measure('tsunagari ' + a + b, 'tsunagari:' + a, 'tsunagari:' + b).duration;
    const firstShown = performance.getEntriesByName('tsunagari:first').length ? ms('shards', 'first') : ms('shards', 'shown');
    window.tsunagariSearch = { results: current.length, suggest: offered, ms: ms('shards', 'shown'), first_ms: firstShown, rank_ms: ms('shards', 'ranked') };
    performance.clearMarks();
    performance.clearMeasures();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(input.value.trim(), {});
  });
  more.addEventListener('click', () =>
    showMore().catch((e) => {
      showState(form, 'error');
      console.error(e);
    }),
  );
  const s = readQuery(location.search);
  input.value = s.q;
  if (s.q) run(s.q, s.filters);
}

if (typeof document !== 'undefined') {
  const form = document.getElementById('search-form');
  if (form) {
    start(form).catch((e) => {
      showState(form, 'error');
      console.error(e);
    });
  }
}
