// tsunagari search client: stored text (verification and excerpts). ES module.

import { ZW, TILDES, isDash, isKana, isKanji, isCjk, SMALL, VU_ROW, isKatakana, normalize, fold, spans } from './search-index.js';

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

export { spans };

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

/** Gzipped bytes inflated (bytes that are not gzip as they are). */
export async function inflate(bytes) {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A gzipped (or already inflated) JSON file's value. */
export async function inflateJson(bytes) {
  return JSON.parse(new TextDecoder().decode(await inflate(bytes)));
}
