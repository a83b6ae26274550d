//! The postings of the index, built in one pass over the pages. The pages are tokenized in
//! parallel a chunk at a time, and each chunk's tokens are appended at once, in document order,
//! to the postings of their partition of the key space: no page's token list outlives its
//! chunk. The same pass counts the words of the suggestion vocabulary (`suggest`), so the text
//! is read once. The postings are kept compact (`store`, a few bytes each); their quantised
//! BM25F impacts are computed when they are read.

use super::index::field_texts;
use super::store::{List, Postings, Shape};
use super::suggest::{self, Counter};
use super::{flags, tokenize, write, Variants, TEXT_CHUNK};
use crate::site::Page;
use crate::strings::Strings;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::hash_map::Entry as MapEntry;
use std::ops::Range;
use std::time::{Duration, Instant};

/// Field weights: title, headings, meta, body (a heading's text is in the body too).
const WEIGHTS: [u32; 4] = [3, 1, 2, 1];
/// Grouping runs in parallel over this many partitions of the key space.
const PARTS: usize = 64;
/// Pages tokenized together before their tokens join the postings: their token lists are the
/// only per-page ones alive (about 15 MB at 1,000 tokens a page).
pub(super) const CHUNK_PAGES: usize = 1024;
/// Documents the index can number (24 bits: `store`'s gaps are at most four varint bytes).
const MAX_DOCS: usize = 1 << 24;

/// What [`build`] makes.
pub(super) struct Built {
    pub postings: Postings,
    /// Postings (one per token and page) per level range, for the shard counts.
    pub per_level: Vec<usize>,
    /// The suggestion vocabulary's file (`suggest::vocabulary`).
    pub vocab: Vec<u8>,
    /// The stored-text blobs (`write::text_blob`).
    pub texts: Vec<Vec<u8>>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Postings, vocabulary and stored text of `pages` (in document order) with their body HTML
/// `bodies`, whose levels are `ranges`; `chunk` pages are tokenized at a time ([`CHUNK_PAGES`];
/// tests try others), and their bodies freed (when owned) once read.
pub(super) fn build(
    strings: &Strings,
    variants: &Variants,
    pages: &[&Page],
    bodies: Vec<Cow<'_, str>>,
    ranges: &[Range<usize>],
    chunk: usize,
) -> Built {
    assert!(pages.len() < MAX_DOCS, "at most 2^24 searchable pages");
    let t = Instant::now();
    let mut acc = Accumulator::new(variants.groups().len(), Shape::new(ranges));
    let mut bodies = bodies.into_iter();
    for (c, group) in pages.chunks(chunk.max(1)).enumerate() {
        let html: Vec<Cow<'_, str>> = bodies.by_ref().take(group.len()).collect();
        acc.add_chunk(strings, variants, c * chunk.max(1), (group, html), ranges);
    }
    acc.add_rows(Vec::new(), true);
    let tokenize = t.elapsed();
    let t = Instant::now();
    let Accumulator {
        parts,
        words,
        lens,
        counter,
        per_level,
        texts,
        ..
    } = acc;
    let vocab = suggest::encode_tally(counter.finish(), variants, pages.len());
    let lists = parts
        .into_iter()
        .flat_map(|map| map.into_iter())
        .map(|(key, list)| (key_text(key, &words), list))
        .collect();
    let postings = Postings::new(lists, ranges, &lens);
    Built {
        postings,
        per_level,
        vocab,
        texts,
        timings: vec![("tokenize+group", tokenize), ("impacts", t.elapsed())],
    }
}

/// The state of the pass: postings per partition, word texts, page lengths, vocabulary.
struct Accumulator {
    parts: Vec<FxHashMap<u64, List>>,
    /// The text of every word key, from the first page that has it.
    words: FxHashMap<u64, String>,
    /// Per document: weighted length (tokens times field weight).
    lens: Vec<f64>,
    counter: Counter,
    per_level: Vec<usize>,
    /// Stored-text rows not yet in a blob (fewer than [`TEXT_CHUNK`] between chunks).
    rows: Vec<Vec<u8>>,
    /// The stored-text blobs made so far.
    texts: Vec<Vec<u8>>,
    shape: Shape,
}

impl Accumulator {
    fn new(groups: usize, shape: Shape) -> Accumulator {
        Accumulator {
            parts: (0..PARTS).map(|_| FxHashMap::default()).collect(),
            words: FxHashMap::default(),
            lens: Vec::new(),
            counter: Counter::new(groups),
            per_level: vec![0; super::LEVELS.len()],
            rows: Vec::new(),
            texts: Vec::new(),
            shape,
        }
    }

    /// Adds a chunk's stored-text rows and gzips each full [`TEXT_CHUNK`] of rows (every row
    /// left when `last`).
    fn add_rows(&mut self, rows: Vec<Vec<u8>>, last: bool) {
        self.rows.extend(rows);
        let full = match last {
            true => self.rows.len(),
            false => self.rows.len() / TEXT_CHUNK * TEXT_CHUNK,
        };
        let done: Vec<Vec<u8>> = self.rows.drain(..full).collect();
        let blobs: Vec<Vec<u8>> = done.par_chunks(TEXT_CHUNK).map(write::text_blob).collect();
        self.texts.extend(blobs);
    }

    /// Tokenizes `pages` (documents `base..`, with their body HTML) in parallel and appends
    /// their tokens, words and stored text; the HTML is freed here.
    fn add_chunk(
        &mut self,
        strings: &Strings,
        variants: &Variants,
        base: usize,
        (pages, html): (&[&Page], Vec<Cow<'_, str>>),
        ranges: &[Range<usize>],
    ) {
        let (known, counter) = (&self.words, &self.counter);
        let read: Vec<(PageTokens, Vec<u8>)> = pages
            .par_iter()
            .zip(html)
            .map_init(Scratch::default, |s, (p, html)| {
                // The page's body text, read from its HTML once for the three that need it.
                let body = crate::markdown::text_of(&html);
                drop(html);
                let fields = field_texts(strings, p, &body);
                let toks = tokenize_page(variants, &fields, s, known);
                counter.add(p, &body, variants);
                (toks, write::text_row(&fields[0], &fields[2], &body))
            })
            .collect();
        let (toks, rows): (Vec<PageTokens>, Vec<Vec<u8>>) = read.into_iter().unzip();
        self.add_rows(rows, false);
        let shape = &self.shape;
        // Each document's level (the ranges cover every document).
        let levels: Vec<usize> = (base..base + toks.len())
            .map(|d| ranges.iter().position(|r| r.contains(&d)).unwrap_or(0))
            .collect();
        self.parts
            .par_iter_mut()
            .enumerate()
            .for_each(|(part, map)| append(map, part, (base, &levels), &toks, shape));
        for (i, d) in toks.into_iter().enumerate() {
            self.lens.push(d.len);
            self.per_level[levels[i]] += d.entries.len();
            for (k, w) in d.words {
                self.words.entry(k).or_insert(w);
            }
        }
    }
}

/// Appends partition `part` of a chunk's pages (documents `base..`, in `levels`) to its
/// postings.
fn append(
    map: &mut FxHashMap<u64, List>,
    part: usize,
    (base, levels): (usize, &[usize]),
    toks: &[PageTokens],
    shape: &Shape,
) {
    for (i, d) in toks.iter().enumerate() {
        let slice = d.offsets[part] as usize..d.offsets[part + 1] as usize;
        let doc = (base + i) as u32;
        for &(key, tf, mask, flags) in &d.entries[slice] {
            let list = map.entry(key).or_default();
            list.push(shape, levels[i], doc, (tf, mask, flags));
        }
    }
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

fn key_text(key: u64, words: &FxHashMap<u64, String>) -> String {
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

fn part_of(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize
}

/// One token of one page: key, weighted tf, positions mod 16, [`flags`].
type Entry = (u64, u32, u16, u8);

/// The tokens of one page, sorted by partition with the partition offsets kept, so a grouping
/// worker reads only its slice.
struct PageTokens {
    entries: Vec<Entry>,
    /// `entries[offsets[part]..offsets[part + 1]]` is partition `part`.
    offsets: [u32; PARTS + 1],
    /// Weighted length (tokens times field weight).
    len: f64,
    /// The words whose keys this page met first in its chunk (and no earlier chunk), with
    /// their text.
    words: Vec<(u64, String)>,
}

/// A worker's reusable buffers.
#[derive(Default)]
struct Scratch {
    text: String,
    map: FxHashMap<u64, (u32, u16, u8)>,
}

/// One page's tokens; `known` are the words of earlier chunks (their text is not copied again).
fn tokenize_page(
    variants: &Variants,
    fields: &[Cow<'_, str>; 4],
    scratch: &mut Scratch,
    known: &FxHashMap<u64, String>,
) -> PageTokens {
    let Scratch { text: buf, map } = scratch;
    map.clear();
    let mut words: Vec<(u64, String)> = Vec::new();
    let mut len = 0.0;
    for (field, text) in fields.iter().enumerate() {
        let w = WEIGHTS[field];
        tokenize::normalize_into(text, buf);
        variants.fold_in_place(buf);
        let mut n = 0usize;
        tokenize::scan_units(buf, |raw, pos, marks| {
            // Units are extra keys for one-character queries: they do not lengthen the page.
            if !matches!(raw, tokenize::Raw::Unit(_)) {
                n += 1;
            }
            let bit = 1u16 << (pos % 16);
            let (key, word) = match raw {
                tokenize::Raw::Cjk(a, b) => (cjk_key(a, b), None),
                tokenize::Raw::Unit(a) => (cjk_key(a, None), None),
                tokenize::Raw::Word(s) => (word_key(s), Some(s)),
            };
            // One lookup: a word's text is kept the first time the page meets its key.
            let e = match map.entry(key) {
                MapEntry::Occupied(o) => o.into_mut(),
                MapEntry::Vacant(v) => {
                    if let Some(s) = word.filter(|_| !known.contains_key(&key)) {
                        words.push((key, s.to_string()));
                    }
                    v.insert((0, 0, 0))
                }
            };
            e.0 += w;
            e.1 |= bit;
            e.2 |= flags::of(field, marks);
        });
        len += f64::from(w) * n as f64;
    }
    let (entries, offsets) = by_partition(map);
    PageTokens {
        entries,
        offsets,
        len,
        words,
    }
}

/// Counting sort by partition (order within a partition does not matter).
fn by_partition(map: &FxHashMap<u64, (u32, u16, u8)>) -> (Vec<Entry>, [u32; PARTS + 1]) {
    let mut offsets = [0u32; PARTS + 1];
    for k in map.keys() {
        offsets[part_of(*k) + 1] += 1;
    }
    for p in 0..PARTS {
        offsets[p + 1] += offsets[p];
    }
    let mut next = offsets;
    let mut v: Vec<Entry> = vec![(0, 0, 0, 0); map.len()];
    for (k, (tf, m, b)) in map.iter() {
        let slot = &mut next[part_of(*k)];
        v[*slot as usize] = (*k, *tf, *m, *b);
        *slot += 1;
    }
    (v, offsets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::build_chunked;
    use crate::search::store::{Scoring, K1};
    use crate::search::{Index, Posting};
    use crate::site::Site;
    use std::collections::{BTreeMap, HashMap};

    /// The sample portal on a Thursday: pages in all three levels (`base`, `month`, `week`).
    fn sample() -> crate::pipeline::Prepared {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = crate::pipeline::options(root, "2026-11-12");
        crate::pipeline::prepare(&opts).expect("the sample portal builds")
    }

    /// One page's tokens by text: weighted tf, mask, flags.
    type Tokens = HashMap<String, (f64, u16, u8)>;

    /// The postings the old way, written plainly: every page's tokens (by text) kept until all
    /// are read, then grouped by token and scored per level with f64 term frequencies.
    fn reference(site: &Site, ix: &Index) -> BTreeMap<String, Vec<Posting>> {
        let by_url: HashMap<&str, &Page> = site.pages.iter().map(|p| (p.url.as_str(), p)).collect();
        let mut per_doc: Vec<(f64, Tokens)> = Vec::new();
        for d in &ix.docs {
            let p = by_url[d.url.as_str()];
            let mut map: Tokens = HashMap::new();
            let mut len = 0.0;
            for (field, text) in crate::search::index::fields(&site.strings, p)
                .iter()
                .enumerate()
            {
                let folded = ix.variants.fold(&tokenize::normalize(text));
                tokenize::scan_units(&folded, |raw, pos, marks| {
                    let key: String = match raw {
                        tokenize::Raw::Cjk(a, b) => std::iter::once(a).chain(b).collect(),
                        tokenize::Raw::Unit(a) => a.to_string(),
                        tokenize::Raw::Word(s) => s.to_string(),
                    };
                    if !matches!(raw, tokenize::Raw::Unit(_)) {
                        len += f64::from(WEIGHTS[field]);
                    }
                    let e = map.entry(key).or_insert((0.0, 0, 0));
                    e.0 += f64::from(WEIGHTS[field]);
                    e.1 |= 1 << (pos % 16);
                    e.2 |= flags::of(field, marks);
                });
            }
            per_doc.push((len, map));
        }
        let mut grouped: BTreeMap<String, Vec<(u32, f64, u16, u8)>> = BTreeMap::new();
        for (doc, (_, map)) in per_doc.iter().enumerate() {
            for (k, &(tf, m, f)) in map {
                grouped
                    .entry(k.clone())
                    .or_default()
                    .push((doc as u32, tf, m, f));
            }
        }
        let lens: Vec<f64> = per_doc.iter().map(|d| d.0).collect();
        let mut out = BTreeMap::new();
        for (k, mut list) in grouped {
            list.sort_by_key(|p| p.0);
            let mut postings = Vec::new();
            for l in ix.levels.iter().filter(|l| l.start < l.end) {
                let s = Scoring::new(&lens[..l.end as usize]);
                let df = list.iter().filter(|p| p.0 < l.end).count();
                let idf = (1.0 + (s.n - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
                for &(doc, tf, mask, f) in list.iter().filter(|p| (l.start..l.end).contains(&p.0)) {
                    let impact = idf * tf * (K1 + 1.0) / (tf + s.norm[doc as usize]);
                    postings.push(Posting {
                        doc,
                        impact: ((impact / s.scale).round() as i64).clamp(1, 255) as u8,
                        mask: if df <= s.mask_limit { mask } else { u16::MAX },
                        flags: f,
                    });
                }
            }
            out.insert(k, postings);
        }
        out
    }

    #[test]
    fn chunked_postings_are_the_postings_of_the_plain_two_pass_way() {
        let p = sample();
        let ix = build_chunked(&p.site, CHUNK_PAGES);
        let filled = ix.levels.iter().filter(|l| l.start < l.end).count();
        assert_eq!(filled, 3, "the sample has pages in every level");
        let want = reference(&p.site, &ix);
        let got: BTreeMap<String, Vec<Posting>> = ix
            .postings
            .iter()
            .map(|(t, l)| (t.to_string(), l))
            .collect();
        assert!(want.len() > 1000, "{} tokens", want.len());
        assert_eq!(got, want);
    }

    #[test]
    fn chunk_size_and_threads_do_not_change_the_index() {
        let p = sample();
        let whole = build_chunked(&p.site, CHUNK_PAGES);
        let sorted = |ix: &Index| -> BTreeMap<String, Vec<Posting>> {
            ix.postings
                .iter()
                .map(|(t, l)| (t.to_string(), l))
                .collect()
        };
        for chunk in [1, 2, 7] {
            let ix = build_chunked(&p.site, chunk);
            assert_eq!(sorted(&ix), sorted(&whole), "chunk {chunk}");
            assert_eq!(ix.vocab, whole.vocab, "chunk {chunk}");
            assert_eq!(ix.levels, whole.levels, "chunk {chunk}");
            // Stored-text rows carried over chunk ends make the same blobs.
            assert_eq!(ix.texts, whole.texts, "chunk {chunk}");
        }
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let ix = one.install(|| build_chunked(&p.site, 3));
        assert_eq!(sorted(&ix), sorted(&whole));
        assert_eq!(ix.vocab, whole.vocab);
        assert_eq!(ix.texts, whole.texts);
    }

    #[test]
    fn bodies_taken_out_of_the_pages_give_the_index_read_from_the_pages() {
        let p = sample();
        let from_pages = crate::search::build(&p.site);
        let html: Vec<String> = p.site.pages.iter().map(|p| p.body.html.clone()).collect();
        let owned = crate::search::build_owned(&p.site, html);
        let sorted = |ix: &Index| -> BTreeMap<String, Vec<Posting>> {
            ix.postings
                .iter()
                .map(|(t, l)| (t.to_string(), l))
                .collect()
        };
        assert_eq!(sorted(&owned), sorted(&from_pages));
        assert_eq!(owned.vocab, from_pages.vocab);
        assert_eq!(owned.texts, from_pages.texts);
        assert_eq!(owned.texts.len(), owned.docs.len().div_ceil(TEXT_CHUNK));
    }

    #[test]
    fn the_vocabulary_counted_in_the_pass_is_the_one_read_from_the_pages() {
        let p = sample();
        let ix = build_chunked(&p.site, 2);
        let by_url: HashMap<&str, &Page> =
            p.site.pages.iter().map(|p| (p.url.as_str(), p)).collect();
        let tally = ix
            .docs
            .iter()
            .fold(suggest::Tally::new(ix.variants.groups().len()), |t, d| {
                let p = by_url[d.url.as_str()];
                let body = crate::markdown::text_of(&p.body.html);
                t.add(suggest::words_of_page(p, &body, &ix.variants))
            });
        let want = suggest::encode_tally(tally, &ix.variants, ix.docs.len());
        assert!(want.len() > 100);
        assert_eq!(ix.vocab, want);
    }
}
