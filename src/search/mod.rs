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
//! Files (all under `/search/`; every name carries a content hash, so CDNs can cache forever):
//! - `m.<hash>.json` — the manifest: counts, bucket count, facet dictionaries, and `dir`.
//! - `<dir>/s/<bucket>.bin` — shards: postings of the tokens whose FNV-1a hash falls in the
//!   bucket. `<dir>` is a hash of the whole index, so bucket files need no names of their own.
//! - `<dir>/d/<chunk>.json` — document metadata, [`CHUNK`] documents a file.
//! - `<dir>/f.bin` — the facet table: every document's facet values, for counts.
//!
//! Position masks are kept only for tokens in at most a tenth of the documents: a common bigram
//! sets most bits anyway, and the masks were most of the bytes a query downloads.

pub mod tokenize;

use crate::content::{Extra, Kind, WorkStyle};
use crate::output::Sink;
use crate::site::{Page, Site, Status};
use crate::strings::Strings;
use rayon::prelude::*;
use std::collections::HashMap;
use tokenize::Token;

/// Documents per metadata chunk: small, because the results of a query are scattered.
pub const CHUNK: usize = 8;
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Field weights: title, meta, body.
const WEIGHTS: [f64; 3] = [3.0, 2.0, 1.0];
/// Aim for shards of about this many postings' worth of bytes before compression.
const SHARD_TARGET: usize = 8 * 1024;

pub const KINDS: [&str; 4] = ["challenge", "case", "column", "page"];
pub const STATUSES: [&str; 3] = ["open", "closing-soon", "closed"];
pub const WORK_STYLES: [&str; 3] = ["remote", "hybrid", "onsite"];

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
    /// Number of shard buckets (a power of two).
    pub buckets: usize,
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

fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")[..12].to_string()
}

/// Pages that may be searched: published challenges, cases, columns and plain pages. Drafts and
/// future-dated pages are never indexed, even in a `--drafts` preview.
fn searchable(site: &Site, p: &Page) -> Option<u8> {
    if p.common.draft
        || p.common
            .date
            .is_some_and(|d| d.unix(site.config.timezone) > site.now.unix(site.config.timezone))
    {
        return None;
    }
    match p.kind {
        Kind::Challenge => Some(0),
        Kind::Case => Some(1),
        Kind::Column => Some(2),
        Kind::Page => Some(3),
        Kind::Municipality => None,
    }
}

fn fields(strings: &Strings, p: &Page) -> [String; 3] {
    // An automatic summary is the start of the body: indexing it twice would only cost time.
    let mut meta: Vec<&str> = p.common.summary.as_deref().into_iter().collect();
    match &p.extra {
        Extra::Challenge(c) => {
            meta.extend([c.municipality.as_str(), c.prefecture.as_str()]);
            meta.extend(c.organization.as_deref());
            meta.extend(c.themes.iter().map(String::as_str));
            meta.extend(c.engagement.iter().map(String::as_str));
            meta.extend(c.skills.iter().map(String::as_str));
            meta.extend(c.work_style.map(|w| w.label(strings)));
        }
        Extra::Case(c) => {
            meta.extend([c.municipality.as_str(), c.prefecture.as_str()]);
            meta.extend(c.themes.iter().map(String::as_str));
        }
        Extra::Column(c) => meta.extend(c.author.as_deref()),
        _ => {}
    }
    meta.extend(p.common.tags.iter().map(String::as_str));
    [p.common.title.clone(), meta.join("\n"), p.body.text.clone()]
}

/// Token keys: CJK tokens pack their one or two code points; words are hashed (their text is kept
/// in a side table) with the top bit set.
const WORD_BIT: u64 = 1 << 63;

fn cjk_key(a: char, b: Option<char>) -> u64 {
    (u64::from(a as u32) << 21) | u64::from(b.map_or(0, |b| b as u32))
}

fn word_key(w: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in w.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    WORD_BIT | (h & (WORD_BIT - 1))
}

fn key_text(key: u64, words: &rustc_hash::FxHashMap<u64, String>) -> String {
    if key & WORD_BIT != 0 {
        return words[&key].clone();
    }
    let mut s = String::new();
    s.extend(char::from_u32((key >> 21) as u32));
    if key & 0x1f_ffff != 0 {
        s.extend(char::from_u32((key & 0x1f_ffff) as u32));
    }
    s
}

/// Builds the index of a site's published pages. Parallel over pages, then over tokens.
pub fn build(site: &Site) -> Index {
    use rustc_hash::FxHashMap;
    let mut timings = Vec::new();
    let t = std::time::Instant::now();
    let mut themes: Vec<String> = Vec::new();
    let mut engagements: Vec<String> = Vec::new();
    let intern = |list: &mut Vec<String>, v: &str| -> u32 {
        match list.iter().position(|x| x == v) {
            Some(i) => i as u32 + 1,
            None => {
                list.push(v.to_string());
                list.len() as u32
            }
        }
    };
    let mut pages: Vec<(&Page, u8)> = site
        .pages
        .iter()
        .filter_map(|p| searchable(site, p).map(|k| (p, k)))
        .collect();
    // Related pages next to each other (same first theme, then prefecture, then municipality):
    // the results of a query then share metadata chunks, so a page of results costs fewer
    // requests. Within a group pages keep the site's order (newest first).
    let group = |p: &Page| -> (String, String, String) {
        match &p.extra {
            Extra::Challenge(c) => (
                c.themes.first().cloned().unwrap_or_default(),
                c.prefecture.clone(),
                c.municipality.clone(),
            ),
            Extra::Case(c) => (
                c.themes.first().cloned().unwrap_or_default(),
                c.prefecture.clone(),
                c.municipality.clone(),
            ),
            _ => (
                p.common.tags.first().cloned().unwrap_or_default(),
                String::new(),
                String::new(),
            ),
        }
    };
    pages.sort_by_cached_key(|(p, kind)| (group(p), *kind));
    let mut docs = Vec::with_capacity(pages.len());
    for (p, kind) in &pages {
        let (municipality, prefecture, ws, th, en) = match &p.extra {
            Extra::Challenge(c) => (
                c.municipality.clone(),
                c.prefecture.clone(),
                c.work_style.map(|w| w.id()),
                c.themes.clone(),
                c.engagement.clone(),
            ),
            Extra::Case(c) => (
                c.municipality.clone(),
                c.prefecture.clone(),
                None,
                c.themes.clone(),
                Vec::new(),
            ),
            _ => (String::new(), String::new(), None, Vec::new(), Vec::new()),
        };
        docs.push(Doc {
            url: p.url.clone(),
            title: p.common.title.clone(),
            kind: *kind,
            date: p
                .common
                .date
                .map(|d| d.date_in(site.config.timezone).to_string())
                .unwrap_or_default(),
            pref_id: crate::japan::prefecture_code(&prefecture).unwrap_or(0),
            municipality,
            prefecture,
            status: match p.status {
                Some(Status::Open) => 1,
                Some(Status::ClosingSoon) => 2,
                Some(Status::Closed) => 3,
                None => 0,
            },
            summary: p.summary.clone(),
            work_style: ws
                .and_then(|w| WORK_STYLES.iter().position(|x| *x == w))
                .map_or(0, |i| i as u8 + 1),
            themes: th.iter().map(|t| intern(&mut themes, t)).collect(),
            engagement: en.iter().map(|e| intern(&mut engagements, e)).collect(),
        });
    }

    // Grouping runs in parallel over partitions of the key space; each page's entries are sorted
    // by (partition, key) with the partition offsets kept, so a worker reads only its slices.
    const PARTS: usize = 64;
    let part_of = |key: u64| (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize;
    // Per page: (key, weighted tf, mask, boundary), partition offsets, weighted length, new words.
    type PerDoc = (
        Vec<(u64, f32, u16, bool)>,
        [u32; PARTS + 1],
        f64,
        Vec<(u64, String)>,
    );
    let per_doc: Vec<PerDoc> = pages
        .par_iter()
        .map_init(
            || (String::new(), FxHashMap::<u64, (f32, u16, bool)>::default()),
            |(buf, map), (p, _)| {
                map.clear();
                let mut words: Vec<(u64, String)> = Vec::new();
                let mut len = 0.0;
                for (field, text) in fields(&site.strings, p).iter().enumerate() {
                    let w = WEIGHTS[field] as f32;
                    tokenize::normalize_into(text, buf);
                    let mut n = 0usize;
                    tokenize::scan(buf, |raw, pos, boundary| {
                        n += 1;
                        let bit = 1u16 << (pos % 16);
                        let key = match raw {
                            tokenize::Raw::Cjk(a, b) => cjk_key(a, b),
                            tokenize::Raw::Word(s) => {
                                let k = word_key(s);
                                if !map.contains_key(&k) {
                                    words.push((k, s.to_string()));
                                }
                                k
                            }
                        };
                        let e = map.entry(key).or_insert((0.0, 0, false));
                        e.0 += w;
                        e.1 |= bit;
                        e.2 |= boundary;
                    });
                    len += f64::from(w) * n as f64;
                }
                // Counting sort by partition (order within a partition does not matter).
                let mut offsets = [0u32; PARTS + 1];
                for k in map.keys() {
                    offsets[part_of(*k) + 1] += 1;
                }
                for p in 0..PARTS {
                    offsets[p + 1] += offsets[p];
                }
                let mut next = offsets;
                let mut v: Vec<(u64, f32, u16, bool)> = vec![(0, 0.0, 0, false); map.len()];
                for (k, (tf, m, b)) in map.iter() {
                    let slot = &mut next[part_of(*k)];
                    v[*slot as usize] = (*k, *tf, *m, *b);
                    *slot += 1;
                }
                (v, offsets, len, words)
            },
        )
        .collect();
    timings.push(("tokenize", t.elapsed()));
    let t = std::time::Instant::now();
    let n = per_doc.len().max(1) as f64;
    let avg_len = (per_doc.iter().map(|d| d.2).sum::<f64>() / n).max(1.0);
    let mut words: FxHashMap<u64, String> = FxHashMap::default();
    for d in &per_doc {
        for (k, w) in &d.3 {
            words.entry(*k).or_insert_with(|| w.clone());
        }
    }
    let total_postings: usize = per_doc.iter().map(|d| d.0.len()).sum();
    let buckets = (total_postings * 2 / SHARD_TARGET)
        .max(1)
        .next_power_of_two()
        .min(4096);

    /// A token's raw postings: (document, weighted tf, mask, boundary).
    type Raw = Vec<(u32, f32, u16, bool)>;
    let grouped: Vec<FxHashMap<u64, Raw>> = (0..PARTS)
        .into_par_iter()
        .map(|part| {
            let mut map: FxHashMap<u64, Raw> = FxHashMap::default();
            for (doc, d) in per_doc.iter().enumerate() {
                for &(key, tf, mask, b) in &d.0[d.1[part] as usize..d.1[part + 1] as usize] {
                    map.entry(key).or_default().push((doc as u32, tf, mask, b));
                }
            }
            map
        })
        .collect();
    timings.push(("group", t.elapsed()));
    let t = std::time::Instant::now();
    let limit = mask_limit(per_doc.len());
    let max_idf = (1.0 + (n - 0.5) / 1.5).ln();
    let scale = max_idf * (K1 + 1.0) / 255.0;
    let norm: Vec<f64> = per_doc
        .iter()
        .map(|d| K1 * (1.0 - B + B * d.2 / avg_len))
        .collect();
    // The per-page token lists are in `grouped` now: free them before the postings are built.
    drop(per_doc);
    let postings: HashMap<String, Vec<Posting>> = grouped
        .into_par_iter()
        .flat_map_iter(|m| m.into_iter())
        .map(|(key, list)| {
            let df = list.len() as f64;
            let keep_masks = list.len() <= limit;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let out = list
                .into_iter()
                .map(|(doc, tf, mask, boundary)| {
                    let tf = f64::from(tf);
                    let impact = idf * tf * (K1 + 1.0) / (tf + norm[doc as usize]);
                    let mask = if keep_masks { mask } else { u16::MAX };
                    Posting {
                        doc,
                        impact: ((impact / scale).round() as i64).clamp(1, 255) as u8,
                        mask,
                        boundary,
                    }
                })
                .collect();
            (key_text(key, &words), out)
        })
        .collect();
    timings.push(("impacts", t.elapsed()));
    Index {
        docs,
        postings,
        themes,
        engagements,
        buckets,
        timings,
    }
}

/// Writes the index files; returns the manifest's site path (`/search/m.<hash>.json`).
pub fn write(site: &Site, index: &Index, sink: &dyn Sink) -> std::io::Result<String> {
    let base = format!("{}search/", site.config.base_path);
    let n = index.docs.len();
    let limit = mask_limit(n);
    // Shards, in memory first: the folder name is a hash of all of them.
    let mut by_bucket: Vec<Vec<(&String, &Vec<Posting>)>> = vec![Vec::new(); index.buckets];
    for (tok, list) in &index.postings {
        by_bucket[(fnv1a(tok) as usize) & (index.buckets - 1)].push((tok, list));
    }
    let shards: Vec<Vec<u8>> = by_bucket
        .into_par_iter()
        .map(|mut toks| {
            toks.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut buf = Vec::new();
            for (tok, list) in toks {
                encode_token(&mut buf, tok, list, list.len() <= limit);
            }
            buf
        })
        .collect();
    let chunks: Vec<Vec<u8>> = index
        .docs
        .par_chunks(CHUNK)
        .map(|chunk| {
            let rows: Vec<serde_json::Value> = chunk
                .iter()
                .map(|d| {
                    serde_json::json!([
                        d.url,
                        d.title,
                        d.kind,
                        d.date,
                        d.municipality,
                        d.prefecture,
                        d.status,
                        excerpt_source(&d.summary)
                    ])
                })
                .collect();
            serde_json::to_vec(&rows).expect("JSON values always serialise")
        })
        .collect();
    let facets = encode_facets(index);
    let mut all = Vec::with_capacity(shards.len() * 12 + chunks.len() * 12 + 12);
    for b in shards.iter().chain(&chunks).chain([&facets]) {
        all.extend_from_slice(content_hash(b).as_bytes());
    }
    let dir = content_hash(&all);
    shards
        .par_iter()
        .enumerate()
        .try_for_each(|(i, b)| sink.write(&format!("search/{dir}/s/{i}.bin"), b))?;
    chunks
        .par_iter()
        .enumerate()
        .try_for_each(|(i, b)| sink.write(&format!("search/{dir}/d/{i}.json"), b))?;
    sink.write(&format!("search/{dir}/f.bin"), &facets)?;
    let prefs: Vec<&str> = crate::japan::PREFECTURES.iter().map(|(p, _)| *p).collect();
    // Facet labels, in the order of KINDS, STATUSES and WORK_STYLES.
    let st = &site.strings;
    let kind_labels = [Kind::Challenge, Kind::Case, Kind::Column, Kind::Page].map(|k| k.label(st));
    let status_labels = [Status::Open, Status::ClosingSoon, Status::Closed].map(|s| s.label(st));
    let ws_labels = [WorkStyle::Remote, WorkStyle::Hybrid, WorkStyle::Onsite].map(|w| w.label(st));
    let manifest = serde_json::json!({
        "v": 2,
        "n": n,
        "buckets": index.buckets,
        "chunk": CHUNK,
        "dir": format!("{base}{dir}/"),
        "dict": {
            "kind": KINDS, "kind_label": kind_labels,
            "status": STATUSES, "status_label": status_labels,
            "ws": WORK_STYLES, "ws_label": ws_labels,
            "pref": prefs, "pref_slug": crate::japan::PREFECTURE_SLUGS.to_vec(),
            "theme": index.themes, "eng": index.engagements,
        }
    });
    let bytes = serde_json::to_vec(&manifest).expect("JSON values always serialise");
    let name = format!("m.{}.json", content_hash(&bytes));
    sink.write(&format!("search/{name}"), &bytes)?;
    Ok(format!("{base}{name}"))
}

/// The summary, cut to a length that is enough for an excerpt line.
fn excerpt_source(s: &str) -> String {
    s.chars().take(110).collect()
}

fn varint(buf: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Token record: len, UTF-8, df, flags (1: masks follow, 2: boundary bits follow), doc
/// deltas, impacts, masks (little endian), boundary bits (⌈df / 8⌉ bytes). Columns compress
/// better than interleaved records.
fn encode_token(buf: &mut Vec<u8>, tok: &str, list: &[Posting], masks: bool) {
    varint(buf, tok.len() as u32);
    buf.extend_from_slice(tok.as_bytes());
    varint(buf, list.len() as u32);
    let boundaries = list.iter().any(|p| p.boundary);
    buf.push(u8::from(masks) | (u8::from(boundaries) << 1));
    let mut prev = 0;
    for p in list {
        varint(buf, p.doc - prev);
        prev = p.doc;
    }
    buf.extend(list.iter().map(|p| p.impact));
    if masks {
        for p in list {
            buf.extend_from_slice(&p.mask.to_le_bytes());
        }
    }
    if boundaries {
        for chunk in list.chunks(8) {
            buf.push(
                chunk
                    .iter()
                    .enumerate()
                    .fold(0u8, |b, (i, p)| b | (u8::from(p.boundary) << i)),
            );
        }
    }
}

/// Facet table: one byte per document packing kind, status and work style; one byte of
/// prefecture; then theme and engagement bitsets, ⌈values / 8⌉ bytes per document each.
fn encode_facets(index: &Index) -> Vec<u8> {
    let docs = &index.docs;
    let mut buf = Vec::with_capacity(docs.len() * 8);
    buf.extend(
        docs.iter()
            .map(|d| d.kind | (d.status << 2) | (d.work_style << 4)),
    );
    buf.extend(docs.iter().map(|d| d.pref_id));
    for (values, count) in [(0usize, index.themes.len()), (1, index.engagements.len())] {
        let stride = count.div_ceil(8);
        for d in docs {
            let mut bits = vec![0u8; stride];
            for v in if values == 0 {
                &d.themes
            } else {
                &d.engagement
            } {
                let i = *v as usize - 1;
                bits[i / 8] |= 1 << (i % 8);
            }
            buf.extend(bits);
        }
    }
    buf
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
        let normalized = tokenize::normalize(q);
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
