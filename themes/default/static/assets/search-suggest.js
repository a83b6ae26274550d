// tsunagari search client: 「もしかして」 (suggestions when a query finds nothing). ES module.

import { inR, cp, normalize, fold, words } from './search-index.js';

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

