// tsunagari search client: the search page, the one script it loads (templates/search.html).
// The engine lives beside it: search-index.js (tokenizer, shards, ranking, facets, mirroring
// src/search/ in Rust), search-text.js (stored text: verification, excerpts) and
// search-suggest.js (「もしかして」). No dependencies; ES modules.

import { fnv1a, decodeShard, mergeLevels, decodeFacets, variantTable, words, needed, rank, FACETS, facet } from './search-index.js';
import { verifies, chooseExcerpt, needsText, inflateJson } from './search-text.js';
import { parseVocab, suggestQuery } from './search-suggest.js';

// Everything the client exported before it was split, for tests and benches.
export {
  normalize, tokenizeNormalized, tokenize, fnv1a, decodeShard, mergeLevels, decodeFacets, variantTable, fold, words, needed, rankKey, rank, FACETS, facet,
} from './search-index.js';
export { foldMapped, spans, containsAll, verifies, hitsIn, EXCERPT, pieces, excerpt, chooseExcerpt, needsText, inflateJson } from './search-text.js';
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
