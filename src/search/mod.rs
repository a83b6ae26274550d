//! Full-text search for Japanese: the only module that knows the index format. Builds an
//! inverted index of the published pages at build time, writes it as small static files, and
//! holds the reference query engine that `themes/default/static/assets/search.js` mirrors.
//!
//! Model: each page has three fields — title (weight 3), meta (summary, themes, municipality,
//! prefecture, organisation, engagement, skills, tags: weight 2) and body (weight 1). For every
//! token of a page the writer precomputes a BM25F impact (k1 = 1.2, b = 0.75) and quantises it
//! to a byte, so the browser only adds integers: Rust and JavaScript rank identically. Each
//! posting also carries a 16-bit mask of the token's positions modulo 16, which is enough to
//! check that a query's bigrams are adjacent.
//!
//! Files (all under `/search/`, names carry a content hash so CDNs can cache them forever):
//! - `m.<hash>.json` — the manifest: counts, the shard table, chunk names, facet dictionaries.
//! - `s/<hash>.bin` — shards: postings of the tokens whose FNV-1a hash falls in that bucket.
//! - `d/<hash>.json` — document metadata in chunks of [`CHUNK`] documents.
//! - `f.<hash>.bin` — the facet table: every document's facet values, for counts.

pub mod tokenize;

use crate::content::{Extra, Kind};
use crate::output::Sink;
use crate::site::{Page, Site, Status};
use rayon::prelude::*;
use std::collections::HashMap;
use tokenize::{tokenize, Token, BOUNDARY};

/// Documents per metadata chunk.
pub const CHUNK: usize = 32;
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Field weights: title, meta, body.
const WEIGHTS: [f64; 3] = [3.0, 2.0, 1.0];
/// Aim for shards of about this many bytes before compression.
const SHARD_TARGET: usize = 12 * 1024;

pub const KINDS: [&str; 4] = ["challenge", "case", "column", "page"];
pub const KIND_LABELS: [&str; 4] = ["課題", "事例", "コラム", "ページ"];
pub const STATUSES: [&str; 3] = ["open", "closing-soon", "closed"];
pub const STATUS_LABELS: [&str; 3] = ["募集中", "まもなく締切", "募集終了"];
pub const WORK_STYLES: [&str; 3] = ["remote", "hybrid", "onsite"];
pub const WORK_STYLE_LABELS: [&str; 3] = ["リモート", "ハイブリッド", "現地"];

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

/// One posting: document, quantised impact, positions mod 16.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub impact: u8,
    pub mask: u16,
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

fn fields(p: &Page) -> [String; 3] {
    let mut meta: Vec<&str> = vec![p.summary.as_str()];
    match &p.extra {
        Extra::Challenge(c) => {
            meta.extend([c.municipality.as_str(), c.prefecture.as_str()]);
            meta.extend(c.organization.as_deref());
            meta.extend(c.themes.iter().map(String::as_str));
            meta.extend(c.engagement.iter().map(String::as_str));
            meta.extend(c.skills.iter().map(String::as_str));
            meta.extend(c.work_style.map(|w| w.label()));
        }
        Extra::Case(c) => {
            meta.extend([c.municipality.as_str(), c.prefecture.as_str()]);
            meta.extend(c.themes.iter().map(String::as_str));
        }
        Extra::Column(c) => meta.extend(c.author.as_deref()),
        _ => {}
    }
    meta.extend(p.common.tags.iter().map(String::as_str));
    [p.common.title.clone(), meta.join("\n"), p.text.clone()]
}

/// Builds the index of a site's published pages. Parallel over pages, then over buckets.
pub fn build(site: &Site) -> Index {
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
    let pages: Vec<(&Page, u8)> = site
        .pages
        .iter()
        .filter_map(|p| searchable(site, p).map(|k| (p, k)))
        .collect();
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

    // Per page: token → (weighted tf, mask), and the weighted length.
    type PerDoc = (Vec<(String, f64, u16)>, f64);
    let per_doc: Vec<PerDoc> = pages
        .par_iter()
        .map(|(p, _)| {
            let mut map: HashMap<String, (f64, u16)> = HashMap::new();
            let mut len = 0.0;
            for (field, text) in fields(p).iter().enumerate() {
                let w = WEIGHTS[field];
                let toks = tokenize(text);
                len += w * toks.len() as f64;
                for Token {
                    text,
                    pos,
                    boundary,
                } in toks
                {
                    let bit = 1u16 << (pos % 16);
                    if boundary {
                        let e = map.entry(format!("{BOUNDARY}{text}")).or_insert((0.0, 0));
                        e.0 += w;
                        e.1 |= bit;
                    }
                    let e = map.entry(text).or_insert((0.0, 0));
                    e.0 += w;
                    e.1 |= bit;
                }
            }
            let mut v: Vec<(String, f64, u16)> =
                map.into_iter().map(|(k, (tf, m))| (k, tf, m)).collect();
            v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            (v, len)
        })
        .collect();
    let n = per_doc.len().max(1) as f64;
    let avg_len = per_doc.iter().map(|(_, l)| l).sum::<f64>() / n;
    let total_postings: usize = per_doc.iter().map(|(v, _)| v.len()).sum();
    let buckets = (total_postings * 4 / SHARD_TARGET)
        .max(1)
        .next_power_of_two()
        .min(4096);

    // Group by token.
    let mut postings: HashMap<String, Vec<(u32, f64, u16)>> = HashMap::new();
    for (doc, (tokens, _)) in per_doc.iter().enumerate() {
        for (tok, tf, mask) in tokens {
            postings
                .entry(tok.clone())
                .or_default()
                .push((doc as u32, *tf, *mask));
        }
    }
    let max_idf = (1.0 + (n - 0.5) / 1.5).ln();
    let scale = max_idf * (K1 + 1.0) / 255.0;
    let postings: HashMap<String, Vec<Posting>> = postings
        .into_par_iter()
        .map(|(tok, list)| {
            let df = list.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let out = list
                .into_iter()
                .map(|(doc, tf, mask)| {
                    let len = per_doc[doc as usize].1;
                    let impact = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg_len));
                    Posting {
                        doc,
                        impact: ((impact / scale).round() as i64).clamp(1, 255) as u8,
                        mask,
                    }
                })
                .collect();
            (tok, out)
        })
        .collect();
    Index {
        docs,
        postings,
        themes,
        engagements,
        buckets,
    }
}

/// Writes the index files; returns the manifest's site path (`/search/m.<hash>.json`).
pub fn write(site: &Site, index: &Index, sink: &dyn Sink) -> std::io::Result<String> {
    let base = format!("{}search/", site.config.base_path);
    let rel = |p: &str| format!("search/{p}");
    // Shards.
    let mut by_bucket: Vec<Vec<(&String, &Vec<Posting>)>> = vec![Vec::new(); index.buckets];
    for (tok, list) in &index.postings {
        by_bucket[(fnv1a(tok) as usize) & (index.buckets - 1)].push((tok, list));
    }
    let shard_names: Vec<String> = by_bucket
        .into_par_iter()
        .map(|mut toks| -> std::io::Result<String> {
            if toks.is_empty() {
                return Ok(String::new());
            }
            toks.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut buf = Vec::new();
            for (tok, list) in toks {
                encode_token(&mut buf, tok, list);
            }
            let name = content_hash(&buf);
            sink.write(&rel(&format!("s/{name}.bin")), &buf)?;
            Ok(name)
        })
        .collect::<Result<_, _>>()?;
    // Document chunks.
    let chunk_names: Vec<String> = index
        .docs
        .par_chunks(CHUNK)
        .map(|chunk| -> std::io::Result<String> {
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
            let bytes = serde_json::to_vec(&rows).expect("JSON values always serialise");
            let name = content_hash(&bytes);
            sink.write(&rel(&format!("d/{name}.json")), &bytes)?;
            Ok(name)
        })
        .collect::<Result<_, _>>()?;
    // Facet table.
    let facets = encode_facets(&index.docs);
    let facet_name = content_hash(&facets);
    sink.write(&rel(&format!("f.{facet_name}.bin")), &facets)?;
    let prefs: Vec<&str> = crate::japan::PREFECTURES.iter().map(|(p, _)| *p).collect();
    let manifest = serde_json::json!({
        "v": 1,
        "n": index.docs.len(),
        "buckets": index.buckets,
        "shards": shard_names.join(","),
        "chunk": CHUNK,
        "docs": chunk_names.join(","),
        "facets": facet_name,
        "base": base,
        "dict": {
            "kind": KINDS, "kind_label": KIND_LABELS,
            "status": STATUSES, "status_label": STATUS_LABELS,
            "ws": WORK_STYLES, "ws_label": WORK_STYLE_LABELS,
            "pref": prefs, "pref_slug": crate::japan::PREFECTURE_SLUGS.to_vec(),
            "theme": index.themes, "eng": index.engagements,
        }
    });
    let bytes = serde_json::to_vec(&manifest).expect("JSON values always serialise");
    let name = format!("m.{}.json", content_hash(&bytes));
    sink.write(&rel(&name), &bytes)?;
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

/// Token record: len, UTF-8, df, doc deltas, impacts, masks (little endian) — columns compress
/// better than interleaved records.
fn encode_token(buf: &mut Vec<u8>, tok: &str, list: &[Posting]) {
    varint(buf, tok.len() as u32);
    buf.extend_from_slice(tok.as_bytes());
    varint(buf, list.len() as u32);
    let mut prev = 0;
    for p in list {
        varint(buf, p.doc - prev);
        prev = p.doc;
    }
    buf.extend(list.iter().map(|p| p.impact));
    for p in list {
        buf.extend_from_slice(&p.mask.to_le_bytes());
    }
}

/// Facet table: kind, status, prefecture and work style columns (a byte per document), then
/// themes and engagement as count-prefixed varint lists per document.
fn encode_facets(docs: &[Doc]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(docs.len() * 8);
    buf.extend(docs.iter().map(|d| d.kind));
    buf.extend(docs.iter().map(|d| d.status));
    buf.extend(docs.iter().map(|d| d.pref_id));
    buf.extend(docs.iter().map(|d| d.work_style));
    for d in docs {
        varint(&mut buf, d.themes.len() as u32);
        for t in &d.themes {
            varint(&mut buf, *t);
        }
    }
    for d in docs {
        varint(&mut buf, d.engagement.len() as u32);
        for e in &d.engagement {
            varint(&mut buf, *e);
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
        // A word starting at a kanji boundary earns the boundary token's impact as well.
        if let Some(first) = toks.first().filter(|t| t.boundary) {
            for p in self.lookup(&format!("{BOUNDARY}{}", first.text)) {
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
