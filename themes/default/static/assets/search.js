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

/** Facet table bytes → columns: a packed byte (kind, status, work style) and a prefecture byte
 * per document, then theme and engagement bitsets (1-based value lists after decoding). */
export function decodeFacets(buf, n, themes, engs) {
  const packed = buf.subarray(0, n);
  const f = {
    kind: packed.map((b) => b & 3),
    status: packed.map((b) => (b >> 2) & 3),
    ws: packed.map((b) => (b >> 4) & 3),
    pref: buf.subarray(n, 2 * n),
  };
  let at = 2 * n;
  const bits = (count) => {
    const stride = Math.ceil(count / 8);
    const out = Array.from({ length: n }, (_, d) => {
      const v = [];
      for (let i = 0; i < count; i++) if ((buf[at + d * stride + (i >> 3)] >> (i & 7)) & 1) v.push(i + 1);
      return v;
    });
    at += n * stride;
    return out;
  };
  f.theme = bits(themes);
  f.eng = bits(engs);
  return f;
}

/** Query words: each a list of tokens; empty words dropped. */
export const words = (q) => normalize(q).split(/\s+/u).map(tokenizeNormalized).filter((w) => w.length);

/** Every token a query needs. */
export const needed = (ws) => [...new Set(ws.flatMap((w) => w.map((t) => t.t)))];

const ANY = 0xffff;

function scoreWord(toks, get) {
  let state = new Map();
  toks.forEach((t, i) => {
    const rep = toks.slice(0, i).some((x) => x.t === t.t);
    const gap = i ? (t.p - toks[i - 1].p) % 16 : 0;
    const pl = get(t.t);
    const next = new Map();
    if (pl) {
      for (let k = 0; k < pl.docs.length; k++) {
        const d = pl.docs[k];
        const mask = pl.masks ? pl.masks[k] : ANY;
        let sc = 0;
        if (i) {
          const s = state.get(d);
          if (!s || (rotl16(s[1], gap) & mask) === 0) continue;
          sc = s[0];
        }
        next.set(d, [sc + (rep ? 0 : pl.imp[k]), mask]);
      }
    }
    state = next;
  });
  // A word starting at a kanji boundary earns its first token's impact again where that token
  // occurs at a boundary too.
  const first = toks[0].b && get(toks[0].t);
  if (first && first.bounds) {
    for (let k = 0; k < first.docs.length; k++) {
      const s = (first.bounds[k >> 3] >> (k & 7)) & 1 && state.get(first.docs[k]);
      if (s) s[0] += first.imp[k];
    }
  }
  return state;
}

/** AND of the words; [[doc, score], …] best first, ties by document order (as in Rust). */
export function rank(ws, get) {
  let total = null;
  for (const w of ws) {
    const s = scoreWord(w, get);
    if (!total) total = new Map([...s].map(([d, v]) => [d, v[0]]));
    else for (const [d, v] of total) s.has(d) ? total.set(d, v + s.get(d)[0]) : total.delete(d);
  }
  return [...(total || [])].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

/** The facet values of document d, as [facet, dictionary value] pairs. */
export function values(f, dict, d) {
  const v = [['kind', dict.kind[f.kind[d]]]];
  if (f.status[d]) v.push(['status', dict.status[f.status[d] - 1]]);
  if (f.pref[d]) v.push(['pref', dict.pref_slug[f.pref[d] - 1]]);
  if (f.ws[d]) v.push(['ws', dict.ws[f.ws[d] - 1]]);
  for (const t of f.theme[d]) v.push(['theme', dict.theme[t - 1]]);
  for (const e of f.eng[d]) v.push(['eng', dict.eng[e - 1]]);
  return v;
}

export const FACETS = ['kind', 'status', 'pref', 'ws', 'theme', 'eng'];

/** Applies filters {facet: value} and counts facet values over what remains. */
export function facet(hits, f, dict, filters) {
  const kept = hits.filter(([d]) => FACETS.every((k) => !filters[k] || values(f, dict, d).some(([a, b]) => a === k && b === filters[k])));
  const counts = {};
  for (const [d] of kept) for (const [a, b] of values(f, dict, d)) ((counts[a] ||= {})[b] = (counts[a][b] || 0) + 1);
  return { kept, counts };
}

// ---- The page --------------------------------------------------------------------------------

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

async function start(form) {
  const $ = (id) => document.getElementById(id);
  const input = $('search-q');
  const status = $('search-status');
  const list = $('search-results');
  const facetsBox = $('search-facets');
  const more = $('search-more');
  const manifestUrl = form.dataset.index;
  const cache = new Map();
  const get = (url, bin) => {
    if (!cache.has(url)) {
      cache.set(url, fetch(url).then((r) => {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return bin ? r.arrayBuffer().then((b) => new Uint8Array(b)) : r.json();
      }));
    }
    return cache.get(url);
  };
  const m = await get(manifestUrl);
  const url = (p) => m.dir + p;
  let facets = null;
  let shown = 0;
  let current = [];
  let currentWords = [];
  let seq = 0;

  const state = () => {
    const p = new URLSearchParams(location.search);
    const filters = {};
    for (const k of FACETS) if (p.get(k)) filters[k] = p.get(k);
    return { q: p.get('q') || '', filters };
  };
  const save = (q, filters) => {
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    for (const k of FACETS) if (filters[k]) p.set(k, filters[k]);
    history.replaceState(null, '', location.pathname + (p.toString() ? '?' + p : ''));
  };

  async function docsFor(ids) {
    const rows = await Promise.all(ids.map((d) => get(url('d/' + Math.floor(d / m.chunk) + '.json')).then((c) => c[d % m.chunk])));
    return rows;
  }

  async function showMore() {
    const slice = current.slice(shown, shown + PAGE);
    const rows = await docsFor(slice.map(([d]) => d));
    for (const [u, title, kind, date, muni, pref, st, excerpt] of rows) {
      const meta = el('p', { className: 'hit-meta' }, el('span', { className: 'kind', textContent: m.dict.kind_label[kind] }));
      if (pref || muni) meta.append(' ', el('span', { className: 'place', textContent: [pref, muni].filter(Boolean).join(' ') }));
      if (st) meta.append(' ', el('span', { className: 'status status--' + m.dict.status[st - 1], textContent: m.dict.status_label[st - 1] }));
      if (date) meta.append(' ', el('time', { dateTime: date, textContent: date }));
      list.append(el('li', { className: 'hit' }, el('a', { href: u, className: 'hit-title', textContent: title }), meta, el('p', { className: 'hit-excerpt' }, marked(excerpt, currentWords))));
    }
    shown += slice.length;
    more.parentElement.hidden = shown >= current.length;
  }

  function renderFacets(counts, filters) {
    facetsBox.replaceChildren();
    for (const k of FACETS) {
      const c = counts[k] || {};
      const keys = Object.keys(c);
      if (!keys.length && !filters[k]) continue;
      const sel = el('select', { id: 'facet-' + k, name: k });
      sel.append(el('option', { value: '', textContent: 'すべて' }));
      for (const v of keys.sort((a, b) => c[b] - c[a] || (a < b ? -1 : 1))) {
        sel.append(el('option', { value: v, textContent: `${label(m.dict, k, v)}（${c[v]}）`, selected: filters[k] === v }));
      }
      sel.addEventListener('change', () => run(input.value, { ...state().filters, [k]: sel.value || undefined }));
      facetsBox.append(el('div', { className: 'facet-field' }, el('label', { htmlFor: sel.id, textContent: LABELS[k] }), sel));
    }
    facetsBox.hidden = !facetsBox.children.length;
  }

  async function run(q, filters) {
    const my = ++seq;
    save(q, filters);
    const ws = words(q);
    list.replaceChildren();
    more.parentElement.hidden = true;
    if (!ws.length) {
      status.textContent = q ? '検索できる語がありません。' : '';
      facetsBox.hidden = true;
      return;
    }
    status.textContent = '検索しています…';
    const toks = needed(ws);
    const buckets = [...new Set(toks.map((t) => fnv1a(t) & (m.buckets - 1)))];
    const [shards, fbytes] = await Promise.all([
      Promise.all(buckets.map((b) => get(url('s/' + b + '.bin'), true).then(decodeShard))),
      get(url('f.bin'), true),
    ]);
    if (my !== seq) return;
    performance.mark('tsunagari:shards');
    facets ||= decodeFacets(fbytes, m.n, m.dict.theme.length, m.dict.eng.length);
    const lookup = (t) => {
      for (const s of shards) if (s.has(t)) return s.get(t);
      return null;
    };
    const { kept, counts } = facet(rank(ws, lookup), facets, m.dict, filters);
    current = kept;
    currentWords = ws;
    shown = 0;
    renderFacets(counts, filters);
    await showMore();
    if (my !== seq) return;
    status.textContent = kept.length ? `「${q}」の検索結果: ${kept.length}件` : `「${q}」に一致するページは見つかりませんでした。言葉を短くするか、別の言葉でお試しください。`;
    performance.mark('tsunagari:shown');
    window.tsunagariSearch = { results: kept.length, ms: performance.measure('tsunagari', 'tsunagari:shards', 'tsunagari:shown').duration };
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(input.value.trim(), {});
  });
  more.addEventListener('click', () => showMore());
  const s = state();
  input.value = s.q;
  if (s.q) run(s.q, s.filters);
}

if (typeof document !== 'undefined') {
  const form = document.getElementById('search-form');
  if (form) start(form).catch((e) => {
    const st = document.getElementById('search-status');
    if (st) st.textContent = '検索の準備に失敗しました。時間をおいて再読み込みしてください。';
    console.error(e);
  });
}
