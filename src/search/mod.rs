//! Full-text search for Japanese: the only module that knows the index format. Builds an
//! inverted index of the published pages at build time, writes it as small static files, and
//! holds the reference query engine that `themes/default/static/assets/search.js` mirrors.
//!
//! Model: each page has three fields — title (weight 3), meta (summary, themes, municipality,
//! prefecture, organisation, engagement, skills, tags: weight 2) and body (weight 1). For every
//! token of a page the writer precomputes a BM25F impact (k1 = 1.2, b = 0.75) and quantises it
//! to a byte, so the browser only adds integers: Rust and JavaScript rank identically. Each
//! posting also carries a 16-bit mask of the token's positions modulo 16, which is enough to
//! check that a query's bigrams are adjacent, and a boundary bit: the bigram occurs at a kanji
//! boundary in that page (京都 in 京都府, not in 東京都). A query word that starts at a boundary
//! earns its first token's impact twice where the bit is set.
//!
//! Levels: documents are numbered by level, then (in `base` only) related pages together, then
//! date and URL. The levels come from the page date and `site.now` alone (no state from earlier
//! builds): `base` (undated, or dated before the first day of this month), `month` (this month,
//! before this week's Monday) and `week` (this week). Each level has its own shard buckets, and its impacts use the BM25
//! statistics of its own and the older levels' documents (never a newer level's), so a page
//! added today changes only the `week` level's files, the last metadata chunk, the facet table
//! and the manifest. In memory a token's postings are still one list (the levels' lists one
//! after another, ascending), so the query engine does not see levels.
//!
//! Files (all under `/search/`; fixed names, so a file whose bytes did not change keeps its path
//! and a deploy sync leaves it alone; each request carries `?v=` with the manifest's version of
//! that file group, so a CDN never serves stale bytes):
//! - `m.<hash>.json` — the manifest (named by its own hash; the search page links it): counts,
//!   the levels (name, bucket count, version), versions of chunks and facets, facet
//!   dictionaries, and `dir`.
//! - `<level>/s/<bucket>.bin` — shards: the level's postings of the tokens whose FNV-1a hash falls
//!   in the bucket. Empty levels have no files and are not in the manifest.
//! - `d/<chunk>.json` — document metadata, [`CHUNK`] documents a file.
//! - `f.bin` — the facet table: every document's facet values, for counts.
//!
//! Position masks are kept only for tokens in at most a tenth of the documents: a common bigram
//! sets most bits anyway, and the masks were most of the bytes a query downloads.
//!
//! Text is normalised (`tokenize`) and then folded with the variant table (`variants`) on both
//! sides, so 申込 and 申し込み are one word; the manifest's `variants` carries the table.
//!
//! `index` builds the [`Index`] from a site, `write` writes its files, and the query engine
//! (`Index::query`) is here.

mod index;
pub mod tokenize;
mod variants;
mod write;

use std::collections::HashMap;
use tokenize::Token;

pub use index::build;
pub use variants::Variants;
pub use write::write;

/// Documents per metadata chunk: small, because the results of a query are scattered.
pub const CHUNK: usize = 8;
pub const KINDS: [&str; 4] = ["challenge", "case", "column", "page"];
pub const STATUSES: [&str; 3] = ["open", "closing-soon", "closed"];
pub const WORK_STYLES: [&str; 3] = ["remote", "hybrid", "onsite"];
/// The index levels, oldest first (see the module documentation).
pub const LEVELS: [&str; 3] = ["base", "month", "week"];

/// One level of the index: its documents `start..end` (global ids) and its shard buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    pub start: u32,
    pub end: u32,
    /// Number of shard buckets (a power of two).
    pub buckets: usize,
}

/// A searchable page with its facet values (indexes into the dictionaries, 0 = none).
#[derive(Debug, Clone)]
pub struct Doc {
    pub url: String,
    pub title: String,
    pub kind: u8,
    pub date: String,
    pub municipality: String,
    pub prefecture: String,
    pub status: u8,
    pub summary: String,
    pub pref_id: u8,
    pub work_style: u8,
    pub themes: Vec<u32>,
    pub engagement: Vec<u32>,
}

/// One posting: document, quantised impact, positions mod 16, kanji boundary seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub impact: u8,
    pub mask: u16,
    pub boundary: bool,
}

/// The whole index in memory.
#[derive(Debug, Default)]
pub struct Index {
    pub docs: Vec<Doc>,
    pub postings: HashMap<String, Vec<Posting>>,
    pub themes: Vec<String>,
    pub engagements: Vec<String>,
    /// The variant table the index was folded with (built in and the site's synonyms).
    pub variants: Variants,
    /// The levels in [`LEVELS`] order (empty ones included), documents ascending.
    pub levels: Vec<Level>,
    /// How long each phase of `build` took.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Position masks are kept for tokens in at most this many documents; for more common tokens
/// every mask is `0xFFFF` ("anywhere") and none is written, in memory and in the files alike, so
/// the reference engine and the browser check adjacency identically.
pub fn mask_limit(docs: usize) -> usize {
    (docs / 10).max(8)
}

/// FNV-1a over the UTF-8 bytes: the bucket function both sides use.
pub fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Facet filters of a query (dictionary values, as in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub prefecture: Option<String>,
    pub work_style: Option<String>,
    pub theme: Option<String>,
    pub engagement: Option<String>,
}

/// A query's results: documents in rank order with their scores, and facet counts over them.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub hits: Vec<(u32, u32)>,
    pub counts: HashMap<&'static str, HashMap<String, usize>>,
}

impl Index {
    fn lookup(&self, tok: &str) -> &[Posting] {
        self.postings.get(tok).map_or(&[], Vec::as_slice)
    }

    /// The reference query engine; `search.js` implements the same steps.
    pub fn query(&self, q: &str, filters: &Filters) -> Results {
        let normalized = self.variants.fold(&tokenize::normalize(q));
        let words: Vec<Vec<Token>> = normalized
            .split_whitespace()
            .map(tokenize::tokenize_normalized)
            .filter(|t| !t.is_empty())
            .collect();
        if words.is_empty() {
            return Results::default();
        }
        let mut total: HashMap<u32, u32> = HashMap::new();
        for (wi, toks) in words.iter().enumerate() {
            let word = self.score_word(toks);
            if wi == 0 {
                total = word;
            } else {
                total = total
                    .into_iter()
                    .filter_map(|(d, s)| word.get(&d).map(|w| (d, s + w)))
                    .collect();
            }
        }
        let mut hits: Vec<(u32, u32)> = total
            .into_iter()
            .filter(|(d, _)| self.passes(&self.docs[*d as usize], filters))
            .collect();
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut counts: HashMap<&'static str, HashMap<String, usize>> = HashMap::new();
        for (d, _) in &hits {
            for (facet, value) in self.facet_values(&self.docs[*d as usize]) {
                *counts.entry(facet).or_default().entry(value).or_default() += 1;
            }
        }
        Results { hits, counts }
    }

    /// Documents containing every token of the word with its bigrams adjacent, and their score.
    fn score_word(&self, toks: &[Token]) -> HashMap<u32, u32> {
        // Document → (score so far, position mask of the previous token).
        let mut state: HashMap<u32, (u32, u16)> = HashMap::new();
        for (i, t) in toks.iter().enumerate() {
            // A token repeated within the word scores once.
            let repeated = toks[..i].iter().any(|x| x.text == t.text);
            let gap = if i == 0 {
                0
            } else {
                (t.pos - toks[i - 1].pos) % 16
            };
            let mut next = HashMap::with_capacity(state.len().max(16));
            for p in self.lookup(&t.text) {
                let (score, prev_mask) = if i == 0 {
                    (0, 0)
                } else {
                    match state.get(&p.doc) {
                        Some(s) => *s,
                        None => continue,
                    }
                };
                // Adjacency: some position of this token must follow one of the previous.
                if i > 0 && prev_mask.rotate_left(gap) & p.mask == 0 {
                    continue;
                }
                let add = if repeated { 0 } else { u32::from(p.impact) };
                next.insert(p.doc, (score + add, p.mask));
            }
            state = next;
        }
        // A word starting at a kanji boundary earns its first token's impact again where that
        // token occurs at a boundary too.
        if let Some(first) = toks.first().filter(|t| t.boundary) {
            for p in self.lookup(&first.text).iter().filter(|p| p.boundary) {
                if let Some(s) = state.get_mut(&p.doc) {
                    s.0 += u32::from(p.impact);
                }
            }
        }
        state.into_iter().map(|(d, (s, _))| (d, s)).collect()
    }

    fn facet_values(&self, d: &Doc) -> Vec<(&'static str, String)> {
        let mut v = vec![("kind", KINDS[usize::from(d.kind)].to_string())];
        if d.status > 0 {
            v.push(("status", STATUSES[usize::from(d.status) - 1].to_string()));
        }
        if d.pref_id > 0 {
            v.push((
                "pref",
                crate::japan::PREFECTURE_SLUGS[usize::from(d.pref_id) - 1].to_string(),
            ));
        }
        if d.work_style > 0 {
            v.push(("ws", WORK_STYLES[usize::from(d.work_style) - 1].to_string()));
        }
        v.extend(
            d.themes
                .iter()
                .map(|t| ("theme", self.themes[*t as usize - 1].clone())),
        );
        v.extend(
            d.engagement
                .iter()
                .map(|e| ("eng", self.engagements[*e as usize - 1].clone())),
        );
        v
    }

    fn passes(&self, d: &Doc, f: &Filters) -> bool {
        let values = self.facet_values(d);
        let has = |facet: &str, want: &Option<String>| {
            want.as_ref()
                .is_none_or(|w| values.iter().any(|(k, v)| *k == facet && v == w))
        };
        has("kind", &f.kind)
            && has("status", &f.status)
            && has("pref", &f.prefecture)
            && has("ws", &f.work_style)
            && has("theme", &f.theme)
            && has("eng", &f.engagement)
    }
}
