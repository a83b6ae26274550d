//! Writing the [`Index`] as static files (the format is described in the module above): every
//! file but the manifest has a fixed name; the manifest carries each file group's version (a
//! hash of its bytes) for the client's `?v=`, and is named by its own hash.

use super::pack;
use super::store::List;
use super::{fnv1a, Doc, Index, Level, Posting, CHUNK, LEVELS, TEXT_CHUNK};
use super::{KINDS, STATUSES, WORK_STYLES};
use crate::content::{Kind, WorkStyle};
use crate::output::Sink;
use crate::site::{Site, Status};
use rayon::prelude::*;

/// Writes the index files; returns the manifest's site path (`/search/m.<hash>.json`).
pub fn write(site: &Site, index: &Index, sink: &dyn Sink) -> std::io::Result<String> {
    let urls = site.config.urls();
    // Each file's output path is its URL's (`/search/base.0.pack` → `search/base.0.pack`).
    let put =
        |rel: &str, bytes: &[u8]| sink.write(&urls.output_file(&urls.search_file(rel)), bytes);
    // Every level's shards and the metadata chunks are compressed at once, so the cores stay
    // busy across a small level's few buckets and the next level's start.
    let (all_shards, chunks) = rayon::join(
        || {
            (0..index.levels.len().min(LEVELS.len()))
                .into_par_iter()
                .map(|l| {
                    let level = &index.levels[l];
                    (level.start != level.end).then(|| shards(index, l, level))
                })
                .collect::<Vec<_>>()
        },
        || chunks(index),
    );
    let mut levels = Vec::new();
    for (l, shards) in all_shards.into_iter().enumerate() {
        let Some(shards) = shards else { continue };
        let (name, level) = (LEVELS[l], &index.levels[l]);
        let starts = write_packs(&put, name, &shards)?;
        levels.push(serde_json::json!({
            "name": name, "start": level.start, "end": level.end,
            "buckets": level.buckets, "v": version(&shards), "packs": starts,
        }));
    }
    let chunk_packs = write_packs(&put, "d", &chunks)?;
    let texts = &index.texts;
    let text_packs = write_packs(&put, "t", texts)?;
    let facets = encode_facets(index);
    put("f.bin", &facets)?;
    let vocab = super::suggest::vocabulary(site, index);
    put("v.json", &vocab)?;
    let versions = serde_json::json!({
        "d": version(&chunks), "t": version(texts), "f": content_hash(&facets),
        "v": content_hash(&vocab),
    });
    let packs = serde_json::json!({ "d": chunk_packs, "t": text_packs });
    let bytes = manifest(
        site,
        index,
        [&urls.search_file(""), &urls.search_file("v.json")],
        levels,
        [versions, packs],
    );
    let name = format!("m.{}.json", content_hash(&bytes));
    put(&name, &bytes)?;
    Ok(urls.search_file(&name))
}

/// Writes `blobs` as the pack files `<group>.<k>.pack` (`pack`); returns each pack's first blob.
fn write_packs(
    put: &(dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync),
    group: &str,
    blobs: &[Vec<u8>],
) -> std::io::Result<Vec<usize>> {
    let starts = pack::starts(blobs);
    starts.par_iter().enumerate().try_for_each(|(k, &a)| {
        let z = starts.get(k + 1).copied().unwrap_or(blobs.len());
        put(&format!("{group}.{k}.pack"), &pack::pack(&blobs[a..z]))
    })?;
    Ok(starts)
}

/// The version of a group of files: a hash of their hashes.
fn version(files: &[Vec<u8>]) -> String {
    let all: Vec<u8> = files
        .iter()
        .flat_map(|b| content_hash(b).into_bytes())
        .collect();
    content_hash(&all)
}

/// The shards of level `l` in bucket order, gzipped: each bucket's tokens sorted, one record per
/// token with the token's postings in the level (their impacts computed here, `store`).
fn shards(index: &Index, l: usize, level: &Level) -> Vec<Vec<u8>> {
    let mut by_bucket: Vec<Vec<(&str, &List)>> = vec![Vec::new(); level.buckets];
    for (tok, list) in index.postings.lists() {
        if list.in_level(l) {
            by_bucket[(fnv1a(tok) as usize) & (level.buckets - 1)].push((tok, list));
        }
    }
    by_bucket
        .into_par_iter()
        .map(|mut toks| {
            toks.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut buf = Vec::new();
            let mut postings = Vec::new();
            for (tok, list) in toks {
                index.postings.level_into(list, l, &mut postings);
                // Masks of common tokens are all "anywhere" (`mask_limit`): none is written.
                let masks = postings.iter().any(|p| p.mask != u16::MAX);
                encode_token(&mut buf, tok, &postings, masks);
            }
            gzip(&buf, Effort::Shard)
        })
        .collect()
}

/// Per `size` documents, the JSON array of their `row`s, passed through `pack` as soon as it is
/// made (so only the packed chunks are kept).
fn json_chunks<R: serde::Serialize>(
    index: &Index,
    size: usize,
    row: impl Fn(&Doc) -> R + Sync,
    pack: impl Fn(Vec<u8>) -> Vec<u8> + Sync,
) -> Vec<Vec<u8>> {
    index
        .docs
        .par_chunks(size)
        .map(|chunk| {
            let rows: Vec<R> = chunk.iter().map(&row).collect();
            pack(serde_json::to_vec(&rows).expect("JSON values always serialise"))
        })
        .collect()
}

/// The metadata chunks: [`CHUNK`] documents a blob, one JSON array per document, gzipped.
fn chunks(index: &Index) -> Vec<Vec<u8>> {
    let row = |d: &Doc| {
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
    };
    json_chunks(index, CHUNK, row, |json| gzip(&json, Effort::Json))
}

/// Characters of a page's body kept in its stored text: enough for nearly every page of a
/// municipal portal (the generated 10,000-page site averages 2,300), small enough that the text
/// files stay within budget. A longer body is cut here and its row says so.
pub const TEXT_CAP: usize = 2000;

/// One document's stored-text row: `[title, meta, body, cut]` — the three fields the index
/// tokenized (`index::fields`; the headings are in the body), the body cut to [`TEXT_CAP`]
/// characters and `cut` 1 when it was. Made while the page is tokenized (`postings`), so its
/// body text is read once.
pub(super) fn text_row(title: &str, meta: &str, body: &str) -> Vec<u8> {
    let (body, cut) = capped(body, TEXT_CAP);
    // A tuple is a JSON array, serialised straight from the strings.
    serde_json::to_vec(&(title, meta, body, u8::from(cut))).expect("JSON values always serialise")
}

/// A stored-text chunk ([`TEXT_CHUNK`] documents a file): the JSON array of its rows
/// ([`text_row`]), gzipped. The browser verifies matches and builds excerpts from it
/// (`DecompressionStream`), for the results it shows only.
pub(super) fn text_blob(rows: &[Vec<u8>]) -> Vec<u8> {
    let mut json = Vec::with_capacity(rows.iter().map(|r| r.len() + 1).sum::<usize>() + 1);
    json.push(b'[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            json.push(b',');
        }
        json.extend_from_slice(row);
    }
    json.push(b']');
    gzip(&json, Effort::Json)
}

/// `s` cut to `cap` characters, and whether it was cut.
fn capped(s: &str, cap: usize) -> (&str, bool) {
    // A string of at most `cap` bytes has at most `cap` characters: no need to count them.
    if s.len() <= cap {
        return (s, false);
    }
    match s.char_indices().nth(cap) {
        Some((at, _)) => (&s[..at], true),
        None => (s, false),
    }
}

/// How hard a blob is compressed: libdeflate's level 6 for the shards, 7 for JSON.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Effort {
    /// The shards: binary postings, where level 7's deeper match search takes 70 % longer than
    /// level 6 to save 0.9 % of their bytes (10k: 0.88 against 0.52 s of one core for 6.0 MB).
    Shard,
    /// Metadata and stored text (JSON): level 7 takes 10 % longer than 6 and saves 0.8 %.
    Json,
}

impl Effort {
    /// libdeflate's level for this effort.
    const fn level(self) -> i32 {
        match self {
            Effort::Shard => 6,
            Effort::Json => 7,
        }
    }
}

/// Gzip at `effort`'s level, with no name and no time in the header, so the bytes depend only
/// on the input. libdeflate compresses a whole buffer at once: on the 10,000-page index's blobs
/// about twice as fast as miniz_oxide at level 6 (flate2's default, used before), and 1 %
/// smaller (bench/README.md). One compressor a thread and level: its state is reused blob after
/// blob.
fn gzip(bytes: &[u8], effort: Effort) -> Vec<u8> {
    use libdeflater::{CompressionLvl, Compressor};
    use std::cell::RefCell;
    const fn compressor(effort: Effort) -> CompressionLvl {
        match CompressionLvl::new(effort.level()) {
            Ok(level) => level,
            Err(_) => panic!("libdeflate has levels 0 to 12"),
        }
    }
    const SHARD: CompressionLvl = compressor(Effort::Shard);
    const JSON: CompressionLvl = compressor(Effort::Json);
    thread_local! {
        static COMPRESSORS: RefCell<(Compressor, Compressor, Vec<u8>)> = RefCell::new((
            Compressor::new(SHARD),
            Compressor::new(JSON),
            Vec::new(),
        ));
    }
    COMPRESSORS.with_borrow_mut(|(shard, json, scratch)| {
        let z = match effort {
            Effort::Shard => shard,
            Effort::Json => json,
        };
        // Into a reused buffer of the worst-case size, then copied out at the size it took:
        // the blobs of the whole index are alive together until their packs are written.
        scratch.resize(z.gzip_compress_bound(bytes.len()), 0);
        let n = z
            .gzip_compress(bytes, scratch)
            .expect("the bound always fits");
        scratch[..n].to_vec()
    })
}

/// The manifest: counts, levels, versions, the packs' first blobs, the folder of the other files, the vocabulary, facet
/// dictionaries.
fn manifest(
    site: &Site,
    index: &Index,
    [dir, vocab]: [&str; 2],
    levels: Vec<serde_json::Value>,
    [versions, packs]: [serde_json::Value; 2],
) -> Vec<u8> {
    let prefs: Vec<&str> = crate::japan::PREFECTURES.iter().map(|(p, _)| *p).collect();
    // Facet labels, in the order of KINDS, STATUSES and WORK_STYLES.
    let st = &site.strings;
    let kind_labels = [Kind::Challenge, Kind::Case, Kind::Column, Kind::Page].map(|k| k.label(st));
    let status_labels = [Status::Open, Status::ClosingSoon, Status::Closed].map(|s| s.label(st));
    let ws_labels = [WorkStyle::Remote, WorkStyle::Hybrid, WorkStyle::Onsite].map(|w| w.label(st));
    let manifest = serde_json::json!({
        "v": 5,
        "n": index.docs.len(),
        "levels": levels,
        "versions": versions,
        "packs": packs,
        "chunk": CHUNK,
        "text_chunk": TEXT_CHUNK,
        "dir": dir,
        "vocab": vocab,
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

/// Token record: len, UTF-8, df, a header byte, doc deltas, impacts, masks (little endian,
/// when header bit 1), then the [`super::flags`] of the postings in the smallest of three forms:
/// one byte for all (header bit 2), runs (header bit 4: varint count, then byte and varint
/// length per run), or one byte per posting. Columns compress better than interleaved records;
/// flags repeat a lot (a word in the body, whole), so runs keep them to a fraction of a byte.
fn encode_token(buf: &mut Vec<u8>, tok: &str, list: &[Posting], masks: bool) {
    varint(buf, tok.len() as u32);
    buf.extend_from_slice(tok.as_bytes());
    varint(buf, list.len() as u32);
    let runs = flag_runs(list);
    let header = buf.len();
    buf.push(u8::from(masks));
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
    let mut encoded = Vec::new();
    for &(flags, len) in &runs {
        encoded.push(flags);
        varint(&mut encoded, len);
    }
    if runs.len() == 1 {
        buf[header] |= 2;
        buf.push(runs[0].0);
    } else if encoded.len() + 2 < list.len() {
        buf[header] |= 4;
        varint(buf, runs.len() as u32);
        buf.extend(encoded);
    } else {
        buf.extend(list.iter().map(|p| p.flags));
    }
}

/// The postings' flags as runs of equal values: (flags, run length).
fn flag_runs(list: &[Posting]) -> Vec<(u8, u32)> {
    let mut runs: Vec<(u8, u32)> = Vec::new();
    for p in list {
        match runs.last_mut() {
            Some((f, n)) if *f == p.flags => *n += 1,
            _ => runs.push((p.flags, 1)),
        }
    }
    runs
}

/// Facet table: one byte per document packing kind, status and work style; one byte of
/// prefecture; then one bitmap of ⌈documents / 8⌉ bytes per theme, then per engagement (bit
/// `d % 8` of byte `d / 8`: document `d` has the value). Related pages are numbered together, so
/// a value's bitmap has long runs: 2.5 kB less gzipped than per-document bitsets at 10,000 pages.
fn encode_facets(index: &Index) -> Vec<u8> {
    let docs = &index.docs;
    let row = docs.len().div_ceil(8);
    let planes = index.themes.len() + index.engagements.len();
    let mut buf = Vec::with_capacity(docs.len() * 2 + row * planes);
    buf.extend(
        docs.iter()
            .map(|d| d.kind | (d.status << 2) | (d.work_style << 4)),
    );
    buf.extend(docs.iter().map(|d| d.pref_id));
    let themes = buf.len();
    let engagements = themes + row * index.themes.len();
    buf.resize(themes + row * planes, 0);
    for (i, d) in docs.iter().enumerate() {
        let bit = 1 << (i % 8);
        for (start, values) in [(themes, &d.themes), (engagements, &d.engagement)] {
            for v in values {
                buf[start + (*v as usize - 1) * row + i / 8] |= bit;
            }
        }
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting(doc: u32, flags: u8) -> Posting {
        Posting {
            doc,
            impact: 1,
            mask: 1,
            flags,
        }
    }

    /// The flags part of a record of `flags` (docs 0, 1, …; no masks).
    fn flags_part(flags: &[u8]) -> (u8, Vec<u8>) {
        let list: Vec<Posting> = (0..).zip(flags).map(|(d, f)| posting(d, *f)).collect();
        let mut buf = Vec::new();
        encode_token(&mut buf, "a", &list, false);
        // len, "a", df (one byte for these sizes), header, deltas (one byte each), impacts.
        let header = buf[3];
        (header, buf[4 + 2 * flags.len()..].to_vec())
    }

    fn doc(themes: Vec<u32>, engagement: Vec<u32>) -> Doc {
        Doc {
            url: String::new(),
            title: String::new(),
            kind: 1,
            date: String::new(),
            municipality: String::new(),
            prefecture: String::new(),
            status: 3,
            summary: String::new(),
            pref_id: 47,
            work_style: 2,
            themes,
            engagement,
        }
    }

    #[test]
    fn facet_table_has_one_bitmap_per_theme_and_engagement() {
        // Nine documents: two bytes per bitmap. Themes 1 and 2 on documents 0 and 8, theme 2
        // also on 1; engagement 1 on document 8.
        let mut docs: Vec<Doc> = (0..9).map(|_| doc(vec![], vec![])).collect();
        docs[0] = doc(vec![1, 2], vec![]);
        docs[1] = doc(vec![2], vec![]);
        docs[8] = doc(vec![2, 1], vec![1]);
        let index = Index {
            docs,
            themes: vec!["a".into(), "b".into()],
            engagements: vec!["x".into()],
            ..Index::default()
        };
        let f = encode_facets(&index);
        // Kind 1, status 3, work style 2 → 1 | 3 << 2 | 2 << 4; prefecture 47.
        assert_eq!(&f[..9], &[1 | 12 | 32; 9]);
        assert_eq!(&f[9..18], &[47; 9]);
        assert_eq!(&f[18..], &[0b01, 1, 0b11, 1, 0, 1]);
    }

    fn inflate(z: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(z)
            .read_to_end(&mut out)
            .expect("valid gzip");
        out
    }

    #[test]
    fn a_text_blob_is_the_json_array_of_its_rows_with_the_body_capped() {
        let long = "長".repeat(TEXT_CAP + 5);
        let docs = [
            ("題", "町\n県", "本文 \"引用\"\n次"),
            ("", "", ""),
            ("長い", "", long.as_str()),
        ];
        let rows: Vec<Vec<u8>> = docs.iter().map(|(t, m, b)| text_row(t, m, b)).collect();
        let cut = "長".repeat(TEXT_CAP);
        let want = serde_json::json!([
            ["題", "町\n県", "本文 \"引用\"\n次", 0],
            ["", "", "", 0],
            ["長い", "", cut, 1]
        ]);
        assert_eq!(
            inflate(&text_blob(&rows)),
            serde_json::to_vec(&want).unwrap()
        );
        assert_eq!(inflate(&text_blob(&[])), b"[]");
    }

    #[test]
    fn capped_counts_characters_not_bytes() {
        let at_cap = "長".repeat(4);
        assert_eq!(capped(&at_cap, 4), (at_cap.as_str(), false));
        let over = "長".repeat(5);
        assert_eq!(capped(&over, 4), (at_cap.as_str(), true));
        assert_eq!(capped("abcd", 4), ("abcd", false));
        assert_eq!(capped("abcde", 4), ("abcd", true));
        assert_eq!(capped("", 0), ("", false));
    }

    #[test]
    fn gzip_inflates_back_with_a_header_free_of_time_and_name() {
        // A large blob, then smaller ones on the same thread: the reused buffer leaves nothing
        // of the earlier blob behind.
        let big: Vec<u8> = (0..200_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let blobs: [&[u8]; 3] = [&big, "観光 kanko".as_bytes(), &[]];
        for (bytes, effort) in blobs
            .into_iter()
            .zip([Effort::Shard, Effort::Json, Effort::Json])
        {
            let z = gzip(bytes, effort);
            // Magic, deflate, no flags (no name), modification time 0.
            assert_eq!(&z[..8], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
            assert_eq!(inflate(&z), bytes);
            assert!(
                z.len() < bytes.len().max(64),
                "{} of {}",
                z.len(),
                bytes.len()
            );
            // The same bytes from another thread (another compressor).
            let other = std::thread::scope(|s| s.spawn(|| gzip(bytes, effort)).join().unwrap());
            assert_eq!(other, z);
            // The other level inflates to the same bytes.
            let other_effort = match effort {
                Effort::Shard => Effort::Json,
                Effort::Json => Effort::Shard,
            };
            assert_eq!(inflate(&gzip(bytes, other_effort)), bytes);
        }
    }

    #[test]
    fn flags_take_the_smallest_of_three_forms() {
        assert_eq!(flags_part(&[8, 8, 8, 8]), (2, vec![8]));
        let runs = [vec![8; 20], vec![9; 10]].concat();
        assert_eq!(flags_part(&runs), (4, vec![2, 8, 20, 9, 10]));
        assert_eq!(flags_part(&[8, 9, 8, 9]), (0, vec![8, 9, 8, 9]));
    }
}
