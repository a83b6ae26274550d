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
      const bd = (k) => isKanji(run[k]) && (k === 0 || !joinsKanji(run[k - 1]));
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

/** Shard bytes → Map(token → {docs, imp, masks, bounds}); masks and bounds may be null. */
export function decodeShard(buf) {
  const map = new Map();
  const o = { i: 0 };
  const dec = new TextDecoder();
  while (o.i < buf.length) {
    const len = varint(buf, o);
    const tok = dec.decode(buf.subarray(o.i, o.i + len));
    o.i += len;
    const df = varint(buf, o);
    const flags = buf[o.i++];
    const docs = new Uint32Array(df);
    let d = 0;
    for (let k = 0; k < df; k++) docs[k] = d += varint(buf, o);
    const imp = buf.subarray(o.i, o.i + df);
    o.i += df;
    let masks = null;
    if (flags & 1) {
      masks = new Uint16Array(df);
      for (let k = 0; k < df; k++, o.i += 2) masks[k] = buf[o.i] | (buf[o.i + 1] << 8);
    }
    let bounds = null;
    if (flags & 2) {
      bounds = buf.subarray(o.i, o.i + Math.ceil(df / 8));
      o.i += bounds.length;
    }
    map.set(tok, { docs, imp, masks, bounds });
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
  const bounds = ps.some((p) => p.bounds) ? new Uint8Array(Math.ceil(df / 8)) : null;
  let o = 0;
  for (const p of ps) {
    docs.set(p.docs, o);
    imp.set(p.imp, o);
    if (p.masks) masks.set(p.masks, o);
    if (p.bounds) for (let k = 0; k < p.docs.length; k++) if ((p.bounds[k >> 3] >> (k & 7)) & 1) bounds[(o + k) >> 3] |= 1 << ((o + k) & 7);
    o += p.docs.length;
  }
  return { docs, imp, masks, bounds };
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

/** Scores of one query word for every document (-1: no match), in dense arrays. */
function scoreWord(toks, get, n) {
  let score = null;
  let masks = null;
  toks.forEach((t, i) => {
    const rep = toks.slice(0, i).some((x) => x.t === t.t);
    const gap = i ? (t.p - toks[i - 1].p) % 16 : 0;
    const pl = get(t.t);
    const next = new Int32Array(n).fill(-1);
    const nextMasks = new Uint16Array(n);
    if (pl) {
      for (let k = 0; k < pl.docs.length; k++) {
        const d = pl.docs[k];
        const mask = pl.masks ? pl.masks[k] : ANY;
        let sc = 0;
        if (i) {
          if (score[d] < 0 || (rotl16(masks[d], gap) & mask) === 0) continue;
          sc = score[d];
        }
        next[d] = sc + (rep ? 0 : pl.imp[k]);
        nextMasks[d] = mask;
      }
    }
    score = next;
    masks = nextMasks;
  });
  // A word starting at a kanji boundary earns its first token's impact again where that token
  // occurs at a boundary too.
  const first = toks[0].b && get(toks[0].t);
  if (first && first.bounds) {
    for (let k = 0; k < first.docs.length; k++) {
      const d = first.docs[k];
      if ((first.bounds[k >> 3] >> (k & 7)) & 1 && score[d] >= 0) score[d] += first.imp[k];
    }
  }
  return score;
}

/** AND of the words over n documents; [[doc, score], …] best first, ties by document order
 * (as in Rust). */
export function rank(ws, get, n) {
  let total = null;
  for (const w of ws) {
    const s = scoreWord(w, get, n);
    if (!total) total = s;
    else for (let d = 0; d < n; d++) total[d] = total[d] >= 0 && s[d] >= 0 ? total[d] + s[d] : -1;
  }
  const hits = [];
  if (total) for (let d = 0; d < n; d++) if (total[d] >= 0) hits.push([d, total[d]]);
  return hits.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
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

// ---- The page --------------------------------------------------------------------------------
// Rendering, filters, focus and status messages. Visitor texts come from the form's data-*
// attributes (search.html), so they stay in the template.

const LABELS = { kind: '種類', status: '募集状況', pref: '都道府県', ws: '働き方', theme: 'テーマ', eng: '関わり方' };
const PAGE = 10;

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

/** The zero-result hint: "shorten the words" makes no sense for a query of one or two
 * characters, so those get "other words or the lists" instead. */
export function zeroHintKey(q) {
  return Array.from(q.replace(/\s+/gu, '')).length <= 2 ? 'noneShort' : 'none';
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

/** Text with every match of the query words wrapped in <mark>. */
function marked(text, ws) {
  const terms = ws.map((w) => w.map((t, i) => (i ? t.t.slice(-1) : t.t)).join('')).filter(Boolean);
  const frag = document.createDocumentFragment();
  if (!terms.length) return text;
  const re = new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu');
  const src = text.normalize('NFKC');
  let last = 0;
  for (const m of src.matchAll(re)) {
    frag.append(src.slice(last, m.index), el('mark', { textContent: m[0] }));
    last = m.index + m[0].length;
  }
  frag.append(src.slice(last));
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
  $('search-browse').hidden = !(error || state === 'none' || state === 'noneShort');
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
  const url = (p) => m.dir + p + '?v=' + (p.startsWith('d/') ? m.versions.d : m.versions.f);
  const variants = variantTable(m.variants);
  let facets = null;
  let shown = 0;
  let current = [];
  let currentWords = [];
  let seq = 0;

  const save = (q, filters) => {
    const query = writeQuery(q, filters);
    history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
  };

  function fill(li, row) {
    const [u, title, kind, date, muni, pref, st, excerpt] = row;
    const meta = el('p', { className: 'hit-meta' }, el('span', { className: 'kind', textContent: m.dict.kind_label[kind] }));
    if (pref || muni) meta.append(' ', el('span', { className: 'place', textContent: [pref, muni].filter(Boolean).join(' ') }));
    if (st) meta.append(' ', el('span', { className: 'status status--' + m.dict.status[st - 1], textContent: m.dict.status_label[st - 1] }));
    if (date) meta.append(' ', el('time', { dateTime: date, textContent: date }));
    li.replaceChildren(el('a', { href: u, className: 'hit-title', textContent: title }), meta, el('p', { className: 'hit-excerpt' }, marked(excerpt, currentWords)));
    li.removeAttribute('aria-busy');
  }

  /** Shows the next page of results: rows in rank order at once, each filled as soon as its
   * metadata chunk arrives, so the best result appears after a single round trip. */
  async function showMore() {
    const slice = current.slice(shown, shown + PAGE);
    shown += slice.length;
    more.parentElement.hidden = shown >= current.length;
    const my = seq;
    let first = true;
    await Promise.all(
      slice.map(([d]) => {
        const li = el('li', { className: 'hit' });
        li.setAttribute('aria-busy', 'true');
        list.append(li);
        return get(url('d/' + Math.floor(d / m.chunk) + '.json')).then((c) => {
          if (my !== seq) return;
          fill(li, c[d % m.chunk]);
          if (first && li === list.firstElementChild) {
            first = false;
            performance.mark('tsunagari:first');
          }
        });
      }),
    );
  }

  const onFilter = (k, v) => run(input.value.trim(), { ...readQuery(location.search).filters, [k]: v });

  async function run(q, filters) {
    const my = ++seq;
    save(q, filters);
    const ws = words(q, variants);
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
    // Every level's buckets of the tokens, oldest level first.
    const levelShards = (l) => {
      const buckets = [...new Set(toks.map((t) => fnv1a(t) & (l.buckets - 1)))];
      return Promise.all(buckets.map((b) => get(`${m.dir}${l.name}/s/${b}.bin?v=${l.v}`, true).then(decodeShard)));
    };
    const [levels, fbytes] = await Promise.all([Promise.all(m.levels.map(levelShards)), get(url('f.bin'), true)]);
    if (my !== seq) return;
    performance.mark('tsunagari:shards');
    facets ||= decodeFacets(fbytes, m.n, m.dict.theme.length, m.dict.eng.length);
    const lists = new Map(toks.map((t) => [t, mergeLevels(levels.map((shards) => shards.find((s) => s.has(t))?.get(t)))]));
    const lookup = (t) => lists.get(t);
    const { kept, counts } = facet(rank(ws, lookup, m.n), facets, m.dict, filters);
    performance.mark('tsunagari:ranked');
    current = kept;
    currentWords = ws;
    shown = 0;
    renderFacets(form, m.dict, counts, filters, onFilter);
    await showMore();
    if (my !== seq) return;
    showState(form, kept.length ? 'found' : zeroHintKey(q), { q, n: kept.length });
    performance.mark('tsunagari:shown');
    const ms = (a, b) => performance.measure('tsunagari ' + a + b, 'tsunagari:' + a, 'tsunagari:' + b).duration;
    const firstShown = performance.getEntriesByName('tsunagari:first').length ? ms('shards', 'first') : ms('shards', 'shown');
    window.tsunagariSearch = { results: kept.length, ms: ms('shards', 'shown'), first_ms: firstShown, rank_ms: ms('shards', 'ranked') };
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
