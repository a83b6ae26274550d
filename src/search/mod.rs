//! Full-text search for Japanese: the only module that knows the index format. Builds an
//! inverted index of the published pages at build time, writes it as a few static files, and
//! holds the reference query engine that `themes/default/static/assets/search-index.js` mirrors.
//!
//! Model: each page has four fields — title (weight 3), headings (1, on top of their place in the
//! body), meta (summary, themes, municipality, prefecture, organisation, engagement, skills,
//! tags: 2) and body (1). For every token of a page the writer precomputes a BM25F impact
//! (k1 = 1.2, b = 0.75) and quantises it to a byte, so the browser only adds integers: Rust and
//! JavaScript rank identically. Each posting also carries a 16-bit mask of the token's positions
//! modulo 16 (a query word's tokens must follow each other: the positions carried from token to
//! token must stay consistent along the whole word), and a flags byte ([`flags`]): the fields the
//! token occurs in and whether it occurred at a word's start, end, or as a whole word.
//!
//! Ranking ([`Index::query`], mirrored by `rank` in search-index.js) orders documents by, in turn:
//! 1. word edges: per query word 2 points when it occurs as a whole word — bounded by non-kanji
//!    or by a place suffix such as 県/市/町 (山口 in 山口県, not in 登山口; 京都 in 京都府, not in
//!    東京都) — or else 1 when it starts a word (島 in 島根), 0 inside one (島 in 広島);
//! 2. field tier: per query word, 3 when all its tokens are in the title, 2 in a heading,
//!    1 in the meta field (summary, place, themes), 0 in the body only; summed over words;
//! 3. open before closed: a closed challenge sinks below every other page of equal 1 and 2;
//! 4. BM25F: the sum of the words' impacts;
//! 5. recency: the higher document number first. Levels are numbered oldest first and `month`
//!    and `week` in date order, so this week's and this month's pages come before older ones and
//!    the newer first among them; `base` groups related pages (dates ascending within a group),
//!    where it is only a stable order. A date column in the facet table would make it exact, at
//!    about 7 kB gzipped per first query at 10,000 pages (measured): not worth a last tie-break.
//!
//! As one number: `((edges · 64 + tier) · 2 + open) · 2³² + bm25`, then the document number.
//!
//! Levels: documents are numbered by level, then (in `base` only) related pages together, then
//! date and URL. The levels come from the page date and `site.now` alone (no state from earlier
//! builds): `base` (undated, or dated before the first day of this month), `month` (this month,
//! before this week's Monday) and `week` (this week). Each level has its own shard buckets, and
//! its impacts use the BM25 statistics of its own and the older levels' documents (never a newer level's), so a page
//! added today changes only the `week` level's pack, the last metadata and text packs, the facet table
//! and the manifest. In memory a token's postings are still one list (the levels' lists one
//! after another, ascending), so the query engine does not see levels.
//!
//! Files (all under `/search/`; fixed names, so a file whose bytes did not change keeps its path
//! and a deploy sync leaves it alone; each request carries `?v=` with the manifest's version of
//! that file group, so a CDN never serves stale bytes, nor mixes two versions' byte ranges):
//! - `m.<hash>.json` — the manifest (named by its own hash; the search page links it): counts,
//!   the levels (name, bucket count, version, `packs`), versions of chunks and facets, the first
//!   blob of each `d` and `t` pack (`packs`), facet dictionaries, and `dir`.
//! - `<group>.<k>.pack` — pack files ([`pack`]): the gzipped blobs of a group, a table of byte
//!   offsets first. The browser reads a blob with two HTTP `Range` requests (its two offsets,
//!   8 bytes, then the blob), or, where the host ignores `Range`, downloads the pack once and
//!   slices it. A group's blobs are cut into packs left to right (at most [`pack::PER_PACK`]
//!   blobs, [`pack::PACK_BYTES`] bytes), so a change at its end leaves the earlier packs alone.
//!   The groups:
//!   - `base`, `month`, `week` — a level's shards, one blob per bucket: the level's postings of
//!     the tokens whose FNV-1a hash falls in the bucket (hash & (buckets − 1)). A level has the
//!     power of two of buckets nearest to its postings / 4,096 (about 2.5 kB gzipped a shard),
//!     at most 4,096: 2,048 at 10,000 pages, where the 5,000 distinct tokens of the generated
//!     portal share a shard with one or two others, so a query's shard is hardly bigger than at
//!     4,096 (bench/README.md). The count depends on the level's own pages only. Empty levels
//!     have no packs and are not in the manifest.
//!   - `d` — document metadata, [`CHUNK`] documents a blob (a JSON array of rows).
//!   - `t` — stored text, [`TEXT_CHUNK`] documents a blob (`text_chunk` in the manifest): JSON,
//!     per document `[title, meta, body, cut]` (the indexed fields; the body cut to
//!     `write::TEXT_CAP` characters, `cut` = 1 when it was). The browser fetches it only for the
//!     results it shows: it drops a page whose complete text does not contain every query word
//!     (positions mod 16 only approximate adjacency) and builds the excerpt around the hits.
//! - `f.bin` — the facet table: every document's facet values, for counts (a byte of kind,
//!   status and work style and a byte of prefecture per document, then a bitmap of documents per
//!   theme and per engagement).
//! - `v.json` — the vocabulary for 「もしかして」 (`suggest`), named in the manifest's `vocab`
//!   (version `versions.v`): loaded only when a query finds nothing.
//!
//! Position masks are kept only for tokens in at most a tenth of the documents: a common bigram
//! sets most bits anyway, and the masks were most of the bytes a query downloads.
//!
//! Text is normalised (`tokenize`) and then folded with the variant table (`variants`) on both
//! sides, so 申込 and 申し込み are one word; the manifest's `variants` carries the table.
//!
//! `index` builds the [`Index`] from a site (`postings` tokenizes the pages straight into the
//! postings and counts the vocabulary in the same pass; `store` keeps them a few bytes each and
//! computes their impacts when they are read), `write` writes its files, and the query engine
//! (`Index::query`) is here.

mod index;
pub mod pack;
mod postings;
mod store;
mod suggest;
pub mod tokenize;
mod variants;
mod write;

use std::collections::HashMap;
use tokenize::Token;

pub use index::{build, build_owned};
pub use store::Postings;
pub use variants::Variants;
pub use write::{write, TEXT_CAP};

/// Documents per metadata chunk: small, because the results of a query are scattered. (16 a
/// chunk halves `d` but, at 10,000 pages, lets a first query for 島 fetch one more stored-text
/// file in some runs, over its 60 kB budget: bench/README.md.)
pub const CHUNK: usize = 8;
/// Documents per stored-text chunk: small, because a text row is large (about 0.6 kB gzipped)
/// and the browser fetches one only for the results it shows.
pub const TEXT_CHUNK: usize = 8;
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

/// One posting: document, quantised impact, positions mod 16, [`flags`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub impact: u8,
    pub mask: u16,
    pub flags: u8,
}

/// The bits of [`Posting::flags`]: the fields a token occurs in, and its word edges (any
/// occurrence: `START`, `END`; one occurrence with both: `WHOLE`).
pub mod flags {
    pub const TITLE: u8 = 1;
    pub const HEADING: u8 = 2;
    pub const META: u8 = 4;
    pub const BODY: u8 = 8;
    pub const FIELDS: u8 = 15;
    pub const START: u8 = 16;
    pub const END: u8 = 32;
    pub const WHOLE: u8 = 64;

    /// The flags of one occurrence in field `field` (0 title … 3 body) with scanner marks.
    pub fn of(field: usize, marks: u8) -> u8 {
        use super::tokenize::{END as E, START as S};
        let whole = if marks & (S | E) == S | E { WHOLE } else { 0 };
        (1 << field)
            | if marks & S != 0 { START } else { 0 }
            | if marks & E != 0 { END } else { 0 }
            | whole
    }

    /// The tier of a word found in `fields` (all its tokens' field bits ANDed): title 3,
    /// heading 2, meta 1, body 0.
    pub fn tier(fields: u8) -> u64 {
        if fields & TITLE != 0 {
            3
        } else if fields & HEADING != 0 {
            2
        } else if fields & META != 0 {
            1
        } else {
            0
        }
    }
}

/// What one query word found in one document.
#[derive(Debug, Clone, Copy)]
struct WordHit {
    score: u32,
    /// Field bits every token of the word has.
    fields: u8,
    /// The word starts at a word start somewhere (always true for a word not starting with a
    /// kanji: only kanji mark starts).
    start: bool,
    whole: bool,
}

impl WordHit {
    /// Edge points: 2 for a whole word, 1 for a word start (島 in 島根), 0 inside (島 in 広島).
    fn edge(&self) -> u64 {
        if self.whole {
            2
        } else {
            u64::from(self.start)
        }
    }
}

/// The rank key of a document (module header): higher first.
pub fn rank_key(edges: u64, tier: u64, open: bool, bm25: u64) -> u64 {
    (((edges.min(31) << 6) | tier.min(63)) << 1 | u64::from(open)) << 32
        | bm25.min(u64::from(u32::MAX))
}

/// The whole index in memory.
#[derive(Debug, Default)]
pub struct Index {
    pub docs: Vec<Doc>,
    /// Every token's postings, compact; read with [`Postings::get`].
    pub postings: Postings,
    pub themes: Vec<String>,
    pub engagements: Vec<String>,
    /// The variant table the index was folded with (built in and the site's synonyms).
    pub variants: Variants,
    /// The levels in [`LEVELS`] order (empty ones included), documents ascending.
    pub levels: Vec<Level>,
    /// How long each phase of `build` took.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// The suggestion vocabulary's file (`v.json`), counted in the same pass as the postings.
    pub vocab: Vec<u8>,
    /// The stored-text blobs (`t` group, `write::text_blob`), made in the same pass, so a
    /// page's body text is read once and freed with its chunk.
    pub texts: Vec<Vec<u8>>,
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

/// A query's results: documents in rank order with their rank keys ([`rank_key`]), and facet
/// counts over them.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub hits: Vec<(u32, u64)>,
    pub counts: HashMap<&'static str, HashMap<String, usize>>,
}

impl Index {
    /// A token's postings, decoded (the query engine is the reference, not a hot path).
    fn lookup(&self, tok: &str) -> Vec<Posting> {
        self.postings.get(tok)
    }

    /// The reference query engine; `search-index.js` implements the same steps. Hits are
    /// (document, rank key), best first.
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
        // Document → (edge points, tier, bm25).
        let mut total: HashMap<u32, (u64, u64, u64)> = HashMap::new();
        for (wi, toks) in words.iter().enumerate() {
            let word = self.score_word(toks);
            let add = |(w, t, s): (u64, u64, u64), h: &WordHit| {
                (
                    w + h.edge(),
                    t + flags::tier(h.fields),
                    s + u64::from(h.score),
                )
            };
            if wi == 0 {
                total = word.iter().map(|(d, h)| (*d, add((0, 0, 0), h))).collect();
            } else {
                total = total
                    .into_iter()
                    .filter_map(|(d, acc)| word.get(&d).map(|h| (d, add(acc, h))))
                    .collect();
            }
        }
        let mut hits: Vec<(u32, u64)> = total
            .into_iter()
            .filter(|(d, _)| self.passes(&self.docs[*d as usize], filters))
            .map(|(d, (w, t, s))| (d, rank_key(w, t, self.docs[d as usize].status != 3, s)))
            .collect();
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        let mut counts: HashMap<&'static str, HashMap<String, usize>> = HashMap::new();
        for (d, _) in &hits {
            for (facet, value) in self.facet_values(&self.docs[*d as usize]) {
                *counts.entry(facet).or_default().entry(value).or_default() += 1;
            }
        }
        Results { hits, counts }
    }

    /// Documents containing every token of the word in order (positions consistent along the
    /// word, modulo 16), with the word's score, fields and whether it occurs as a whole word.
    fn score_word(&self, toks: &[Token]) -> HashMap<u32, WordHit> {
        // Document → (hit so far, positions of the previous token consistent with the word).
        let mut state: HashMap<u32, (WordHit, u16)> = HashMap::new();
        let last = toks.len() - 1;
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
                let (hit, mask) = if i == 0 {
                    let start = !t.boundary || p.flags & flags::START != 0;
                    let hit = WordHit {
                        score: 0,
                        fields: flags::FIELDS,
                        start,
                        whole: start,
                    };
                    (hit, p.mask)
                } else {
                    let Some((hit, prev)) = state.get(&p.doc) else {
                        continue;
                    };
                    (*hit, prev.rotate_left(gap) & p.mask)
                };
                if mask == 0 {
                    continue;
                }
                // One token alone is whole only where one occurrence has both edges.
                let whole = if last == 0 && t.boundary {
                    p.flags & flags::WHOLE != 0
                } else {
                    hit.whole && (i < last || p.flags & flags::END != 0)
                };
                let hit = WordHit {
                    score: hit.score + if repeated { 0 } else { u32::from(p.impact) },
                    fields: hit.fields & p.flags,
                    start: hit.start,
                    whole,
                };
                next.insert(p.doc, (hit, mask));
            }
            state = next;
        }
        state.into_iter().map(|(d, (h, _))| (d, h)).collect()
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
