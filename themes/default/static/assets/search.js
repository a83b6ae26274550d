// tsunagari search client: the search page, the one script it loads (templates/search.html).
// The engine lives beside it: search-index.js (tokenizer, shards, ranking, facets, mirroring
// src/search/ in Rust), search-text.js (stored text: verification, excerpts) and
// search-suggest.js (「もしかして」). No dependencies; ES modules.

import { fnv1a, decodeShard, mergeLevels, decodeFacets, variantTable, words, needed, rank, FACETS, facet } from './search-index.js';
import { verifies, chooseExcerpt, needsText, inflate, inflateJson } from './search-text.js';
import { parseVocab, suggestQuery } from './search-suggest.js';

// Everything the client exported before it was split, for tests and benches.
export {
  normalize, tokenizeNormalized, tokenize, fnv1a, decodeShard, mergeLevels, decodeFacets, variantTable, fold, words, needed, rankKey, rank, FACETS, facet,
} from './search-index.js';
export { foldMapped, spans, containsAll, verifies, hitsIn, EXCERPT, pieces, excerpt, chooseExcerpt, needsText, inflate, inflateJson } from './search-text.js';
export { editDistance, toKatakana, toHiragana, maxEdits, parseVocab, candidates, suggestQuery } from './search-suggest.js';

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

/** Reads bytes [a, z) of a file with one `Range` request. Where the server ignores `Range` and
 * answers 200, the whole file is kept for the page's life and sliced (one download a file). A
 * failed read is not remembered: the next search asks again. `fetchFn` for tests. */
export function rangeReader(fetchFn = (u, o) => fetch(u, o)) {
  const files = new Map(); // url → Promise of the first answer: {whole} (200) or {part} (206)
  const one = async (url, a, z) => {
    const r = await fetchFn(url, { headers: { Range: `bytes=${a}-${z - 1}` } });
    if (!r.ok) throw new Error(url + ': ' + r.status);
    const body = new Uint8Array(await r.arrayBuffer());
    return r.status === 206 ? { part: body } : { whole: body };
  };
  const cut = (url, got, a, z) => {
    const b = got.part || got.whole.subarray(a, z);
    if (b.length !== z - a) throw new Error(`${url}: ${b.length} bytes for ${a}-${z - 1}`);
    return b;
  };
  return async (url, a, z) => {
    if (z <= a) return new Uint8Array(0);
    const first = files.get(url);
    if (!first) {
      const p = one(url, a, z);
      files.set(url, p);
      p.catch(() => files.delete(url));
      return cut(url, await p, a, z);
    }
    const known = await first;
    return cut(url, known.whole ? known : await one(url, a, z), a, z);
  };
}

/** Blob `i` of a group of packs (src/search/pack.rs): the pack whose first blob (`starts`) is
 * the last at or before `i`; its two offsets, then its bytes, inflated. */
export async function packBlob(read, dir, group, starts, v, i) {
  let k = 0;
  while (k + 1 < starts.length && starts[k + 1] <= i) k++;
  const url = `${dir}${group}.${k}.pack?v=${v}`;
  const j = i - starts[k];
  const t = await read(url, 4 * j, 4 * j + 8);
  const at = new DataView(t.buffer, t.byteOffset, 8);
  return inflate(await read(url, at.getUint32(0, true), at.getUint32(4, true)));
}

/** The index of one manifest: the facet table and vocabulary as files, shards and chunks as
 * blobs of packs; each fetched once (a failed one is asked for again by the next search, not
 * remembered as failed), with its group's version in `?v=`. */
async function openIndex(manifestUrl) {
  const cache = new Map();
  const once = (key, make) => {
    if (!cache.has(key)) {
      const p = make();
      p.catch(() => cache.delete(key));
      cache.set(key, p);
    }
    return cache.get(key);
  };
  const get = (url, bin) =>
    once(url, () =>
      fetch(url).then((r) => {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return bin ? r.arrayBuffer().then((b) => new Uint8Array(b)) : r.json();
      }),
    );
  const m = await get(manifestUrl);
  const read = rangeReader();
  const blob = (group, starts, v, i) => once(`${group}.${i}?v=${v}`, () => packBlob(read, m.dir, group, starts, v, i));
  /** Metadata chunk `c` (rows of `m.chunk` documents). */
  const chunk = (c) => blob('d', m.packs.d, m.versions.d, c).then(inflateJson);
  const url = (p) => m.dir + p + '?v=' + m.versions.f;
  /** A document's stored-text row, or null when its file cannot be had (the result then keeps
   * its summary and stays unverified rather than failing the search). */
  const texts = new Map();
  const textRow = (d) => {
    const c = Math.floor(d / m.text_chunk);
    if (!texts.has(c)) {
      const p = blob('t', m.packs.t, m.versions.t, c).then(inflateJson);
      p.catch(() => texts.delete(c));
      texts.set(c, p);
    }
    return texts.get(c).then((rows) => rows[d % m.text_chunk] || null, () => null);
  };
  /** The postings of `toks` from every level's shards, oldest level first, merged into one list
   * per token (levels' documents are disjoint and ascending): a lookup for `rank`. */
  const postings = async (toks) => {
    const levelShards = (l) => {
      const buckets = [...new Set(toks.map((t) => fnv1a(t) & (l.buckets - 1)))];
      return Promise.all(buckets.map((b) => blob(l.name, l.packs, l.v, b).then(decodeShard)));
    };
    const levels = await Promise.all(m.levels.map(levelShards));
    const lists = new Map(toks.map((t) => [t, mergeLevels(levels.map((shards) => shards.find((s) => s.has(t))?.get(t)))]));
    return (t) => lists.get(t) || null;
  };
  return { m, get, url, chunk, textRow, postings };
}

/** `whenNear(el, f)` calls `f` once `el` comes within 200 px of the screen (at once where there
 * is no IntersectionObserver); `forget()` drops every element still waiting. */
function nearScreen() {
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
  return {
    whenNear: (el, f) => {
      if (!near) return void f();
      waiting.set(el, f);
      near.observe(el);
    },
    forget: () => near && near.disconnect(),
  };
}

/** The search page: one query at a time (`seq` tells a newer one took over), its results
 * (`current`, of which `shown` are on the page), filters and status. */
class SearchPage {
  constructor(form, index) {
    this.form = form;
    this.index = index;
    this.m = index.m;
    this.variants = variantTable(this.m.variants);
    this.near = nearScreen();
    this.list = document.getElementById('search-results');
    this.more = document.getElementById('search-more');
    this.facets = null;
    this.vocab = null;
    this.shown = 0;
    this.current = [];
    this.words = [];
    this.query = '';
    // True while `current` may still hold false matches (see `search`).
    this.unverified = false;
    this.seq = 0;
  }

  fill(li, row, text) {
    const m = this.m;
    const [u, title, kind, date, muni, pref, st, summary] = row;
    const meta = el('p', { className: 'hit-meta' }, el('span', { className: 'kind', textContent: m.dict.kind_label[kind] }));
    if (pref || muni) meta.append(' ', el('span', { className: 'place', textContent: [pref, muni].filter(Boolean).join(' ') }));
    if (st) meta.append(' ', el('span', { className: 'status status--' + m.dict.status[st - 1], textContent: m.dict.status_label[st - 1] }));
    if (date) meta.append(' ', el('time', { dateTime: date, textContent: date }));
    const parts = chooseExcerpt(summary, text && text[2], this.words, this.variants);
    li.replaceChildren(el('a', { href: u, className: 'hit-title', textContent: title }), meta, el('p', { className: 'hit-excerpt' }, marked(parts)));
    li.removeAttribute('aria-busy');
  }

  isMatch(d) {
    return this.index.textRow(d).then((r) => verifies(r, this.words, this.variants));
  }

  /** Progressive verification: from `current[from]` on, drops false matches until a page of
   * true ones (or the end) is reached. Returns false when a newer search took over. */
  async verifyFrom(from, my) {
    const current = this.current;
    let i = from;
    let ok = 0;
    while (i < current.length && ok < PAGE) {
      const batch = current.slice(i, i + PAGE - ok);
      const good = await Promise.all(batch.map(([d]) => this.isMatch(d)));
      if (my !== this.seq) return false;
      let k = i;
      batch.forEach((h, j) => good[j] && (current[k++] = h));
      current.splice(k, batch.length - (k - i));
      ok += k - i;
      i = k;
    }
    return true;
  }

  /** Shows the next page of results: rows in rank order at once, each filled as soon as its
   * metadata arrives, so the best result appears after a single round trip. Unverified
   * candidates are verified first; the count is then announced again if it fell. */
  async showMore() {
    const my = this.seq;
    const before = this.current.length;
    if (this.unverified && !(await this.verifyFrom(this.shown, my))) return;
    const slice = this.current.slice(this.shown, this.shown + PAGE);
    this.shown += slice.length;
    this.more.parentElement.hidden = this.shown >= this.current.length;
    const first = { pending: true };
    await Promise.all(slice.map(([d]) => this.showRow(d, my, first)));
    if (my === this.seq && this.current.length !== before && this.shown > slice.length) this.announce();
  }

  /** One result: its row now, its metadata when the chunk arrives, and its excerpt from the
   * stored body when that arrives — fetched only when the summary lacks a query word, and only
   * once the result comes near the screen (a first query fetches the text of results seen). */
  showRow(d, my, first) {
    const m = this.m;
    const li = el('li', { className: 'hit' });
    li.setAttribute('aria-busy', 'true');
    this.list.append(li);
    return this.index.chunk(Math.floor(d / m.chunk)).then((c) => {
      if (my !== this.seq) return;
      const row = c[d % m.chunk];
      this.fill(li, row, null);
      if (first.pending && li === this.list.firstElementChild) {
        first.pending = false;
        performance.mark('tsunagari:first');
      }
      if (!needsText(row[7], this.words, this.variants)) {
        li.dataset.excerpt = 'summary';
        return;
      }
      this.near.whenNear(li, async () => {
        const text = await this.index.textRow(d);
        if (my !== this.seq) return;
        if (text) this.fill(li, row, text);
        li.dataset.excerpt = text ? 'text' : 'summary';
      });
    });
  }

  /** The status: the number of results (honest: it falls when verification drops some). */
  announce() {
    const n = this.current.length;
    showState(this.form, n ? 'found' : zeroHintKey(this.query), { q: this.query, n });
  }

  /** Do the words find any page (no filters: a suggestion's link carries only the query)? */
  async finds(ws) {
    return rank(ws, await this.index.postings(needed(ws)), this.m.n).length > 0;
  }

  /** The 「もしかして」 query for a query that found nothing, or null (also when the vocabulary
   * cannot be loaded: a suggestion is a help, not a reason to show an error). */
  async suggestion(q) {
    const m = this.m;
    if (!m.vocab) return null;
    try {
      this.vocab ||= this.index.get(m.vocab + '?v=' + m.versions.v).then(parseVocab);
      return await suggestQuery(q, await this.vocab, this.variants, (ws) => this.finds(ws));
    } catch (e) {
      console.error(e);
      return null;
    }
  }

  /** Shows 「もしかして: <a href="?q=…">…</a>」, a real link (it works as a URL), or nothing. */
  offer(s) {
    const box = document.getElementById('search-suggest');
    box.replaceChildren();
    box.hidden = !s;
    if (s) box.append(say(this.form, 'suggest') + ' ', el('a', { href: '?' + writeQuery(s, {}), textContent: s }));
  }

  async run(q, filters) {
    const my = ++this.seq;
    const query = writeQuery(q, filters);
    history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
    const ws = words(q, this.variants);
    this.near.forget();
    this.offer(null);
    this.list.replaceChildren();
    this.more.parentElement.hidden = true;
    if (!ws.length) {
      showState(this.form, q ? 'noWords' : '');
      document.getElementById('search-filters').hidden = true;
      return;
    }
    showState(this.form, 'searching');
    try {
      await this.search(my, q, ws, filters);
    } catch (e) {
      if (my !== this.seq) return;
      showState(this.form, 'error');
      console.error(e);
    }
  }

  async search(my, q, ws, filters) {
    const { m, index } = this;
    const [lookup, fbytes] = await Promise.all([index.postings(needed(ws)), index.get(index.url('f.bin'), true)]);
    if (my !== this.seq) return;
    performance.mark('tsunagari:shards');
    this.facets ||= decodeFacets(fbytes, m.n, m.dict.theme.length, m.dict.eng.length);
    let hits = rank(ws, lookup, m.n, this.facets.status);
    this.words = ws;
    this.query = q;
    // Only a word of two or more tokens can be a false match (one token is found exactly).
    // When the candidates lie in a few text files, all are verified before anything is counted;
    // otherwise they are verified page by page as shown and the count is announced again when
    // it falls (the filters' counts then stay those of the candidates: at most so many).
    this.unverified = ws.some((w) => w.length > 1);
    if (this.unverified && new Set(hits.map(([d]) => Math.floor(d / m.text_chunk))).size <= VERIFY_ALL) {
      const good = await Promise.all(hits.map(([d]) => this.isMatch(d)));
      if (my !== this.seq) return;
      hits = hits.filter((h, i) => good[i]);
      this.unverified = false;
    }
    const { kept, counts } = facet(hits, this.facets, m.dict, filters);
    performance.mark('tsunagari:ranked');
    this.current = kept;
    this.shown = 0;
    const onFilter = (k, v) => this.run(document.getElementById('search-q').value.trim(), { ...readQuery(location.search).filters, [k]: v });
    renderFacets(this.form, m.dict, counts, filters, onFilter);
    await this.showMore();
    if (my !== this.seq) return;
    const offered = this.current.length ? null : await this.suggestion(q);
    if (my !== this.seq) return;
    this.offer(offered);
    this.announce();
    this.measured(offered);
  }

  /** What the benches and tests read: results, suggestion and times from the shards on. */
  measured(offered) {
    performance.mark('tsunagari:shown');
    const ms = (a, b) => performance.measure('tsunagari ' + a + b, 'tsunagari:' + a, 'tsunagari:' + b).duration;
    const firstShown = performance.getEntriesByName('tsunagari:first').length ? ms('shards', 'first') : ms('shards', 'shown');
    window.tsunagariSearch = { results: this.current.length, suggest: offered, ms: ms('shards', 'shown'), first_ms: firstShown, rank_ms: ms('shards', 'ranked') };
    performance.clearMarks();
    performance.clearMeasures();
  }
}

async function start(form) {
  const page = new SearchPage(form, await openIndex(form.dataset.index));
  const input = document.getElementById('search-q');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    page.run(input.value.trim(), {});
  });
  page.more.addEventListener('click', () =>
    page.showMore().catch((e) => {
      showState(form, 'error');
      console.error(e);
    }),
  );
  const s = readQuery(location.search);
  input.value = s.q;
  if (s.q) page.run(s.q, s.filters);
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
