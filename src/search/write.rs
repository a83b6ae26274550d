//! Writing the [`Index`] as static files (the format is described in the module above): every
//! file but the manifest has a fixed name; the manifest carries each file group's version (a
//! hash of its bytes) for the client's `?v=`, and is named by its own hash.

use super::{fnv1a, Index, Level, Posting, CHUNK, LEVELS};
use super::{KINDS, STATUSES, WORK_STYLES};
use crate::content::{Kind, WorkStyle};
use crate::output::Sink;
use crate::site::{Site, Status};
use rayon::prelude::*;

/// Writes the index files; returns the manifest's site path (`/search/m.<hash>.json`).
pub fn write(site: &Site, index: &Index, sink: &dyn Sink) -> std::io::Result<String> {
    let urls = site.config.urls();
    // Each file's output path is its URL's (`/search/base/s/0.bin` → `search/base/s/0.bin`).
    let put =
        |rel: &str, bytes: &[u8]| sink.write(&urls.output_file(&urls.search_file(rel)), bytes);
    let mut levels = Vec::new();
    for (name, level) in LEVELS.iter().zip(&index.levels) {
        if level.start == level.end {
            continue;
        }
        let shards = shards(index, level);
        shards
            .par_iter()
            .enumerate()
            .try_for_each(|(i, b)| put(&format!("{name}/s/{i}.bin"), b))?;
        levels.push(serde_json::json!({
            "name": name, "start": level.start, "end": level.end,
            "buckets": level.buckets, "v": version(&shards),
        }));
    }
    let chunks = chunks(index);
    chunks
        .par_iter()
        .enumerate()
        .try_for_each(|(i, b)| put(&format!("d/{i}.json"), b))?;
    let facets = encode_facets(index);
    put("f.bin", &facets)?;
    let versions = serde_json::json!({ "d": version(&chunks), "f": content_hash(&facets) });
    let bytes = manifest(site, index, &urls.search_file(""), levels, versions);
    let name = format!("m.{}.json", content_hash(&bytes));
    put(&name, &bytes)?;
    Ok(urls.search_file(&name))
}

/// The version of a group of files: a hash of their hashes.
fn version(files: &[Vec<u8>]) -> String {
    let all: Vec<u8> = files
        .iter()
        .flat_map(|b| content_hash(b).into_bytes())
        .collect();
    content_hash(&all)
}

/// A level's shard files in bucket order: each bucket's tokens sorted, one record per token with
/// the token's postings in the level.
fn shards(index: &Index, level: &Level) -> Vec<Vec<u8>> {
    let mut by_bucket: Vec<Vec<(&String, &[Posting])>> = vec![Vec::new(); level.buckets];
    for (tok, list) in &index.postings {
        let from = list.partition_point(|p| p.doc < level.start);
        let to = list.partition_point(|p| p.doc < level.end);
        if from < to {
            by_bucket[(fnv1a(tok) as usize) & (level.buckets - 1)].push((tok, &list[from..to]));
        }
    }
    by_bucket
        .into_par_iter()
        .map(|mut toks| {
            toks.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut buf = Vec::new();
            for (tok, list) in toks {
                // Masks of common tokens are all "anywhere" (`mask_limit`): none is written.
                let masks = list.iter().any(|p| p.mask != u16::MAX);
                encode_token(&mut buf, tok, list, masks);
            }
            buf
        })
        .collect()
}

/// The metadata chunks: [`CHUNK`] documents a file, one JSON array per document.
fn chunks(index: &Index) -> Vec<Vec<u8>> {
    index
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
        .collect()
}

/// The manifest: counts, levels, versions, the folder of the other files, facet dictionaries.
fn manifest(
    site: &Site,
    index: &Index,
    dir: &str,
    levels: Vec<serde_json::Value>,
    versions: serde_json::Value,
) -> Vec<u8> {
    let prefs: Vec<&str> = crate::japan::PREFECTURES.iter().map(|(p, _)| *p).collect();
    // Facet labels, in the order of KINDS, STATUSES and WORK_STYLES.
    let st = &site.strings;
    let kind_labels = [Kind::Challenge, Kind::Case, Kind::Column, Kind::Page].map(|k| k.label(st));
    let status_labels = [Status::Open, Status::ClosingSoon, Status::Closed].map(|s| s.label(st));
    let ws_labels = [WorkStyle::Remote, WorkStyle::Hybrid, WorkStyle::Onsite].map(|w| w.label(st));
    let manifest = serde_json::json!({
        "v": 3,
        "n": index.docs.len(),
        "levels": levels,
        "versions": versions,
        "chunk": CHUNK,
        "dir": dir,
        "variants": index.variants.groups(),
        "dict": {
            "kind": KINDS, "kind_label": kind_labels,
            "status": STATUSES, "status_label": status_labels,
            "ws": WORK_STYLES, "ws_label": ws_labels,
            "pref": prefs, "pref_slug": crate::japan::PREFECTURE_SLUGS.to_vec(),
            "theme": index.themes, "eng": index.engagements,
        }
    });
    serde_json::to_vec(&manifest).expect("JSON values always serialise")
}

fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")[..12].to_string()
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
