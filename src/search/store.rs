//! The postings of the index in memory, compact: per token, its postings in document order, a
//! few bytes each, appended while the pages are read (`postings`) and kept so until the shards
//! are written. A posting's quantised BM25F impact is computed when it is read
//! ([`Postings::level_into`]): there is never a second, 8-byte-a-posting copy of the index.
//!
//! A posting's gap is its document minus the one after the previous posting's (0 for the next
//! document), and its tf the weighted term frequency. Most postings take one byte ([`SHORT`]):
//! a common token's, with the [`flags`](super::flags) of the posting before it, a gap below 8
//! and a tf below 16 (bits 4–6 and 0–3). Others take two bytes or more ([`LONG`]): a byte with
//! a mask bit ([`MASK`]), the gap in bits 4–5 (3: a varint follows) and the tf in bits 0–3 (0: a
//! varint follows), then the flags, the varints, and the position mask (2 bytes, little endian)
//! when the mask bit is set. On the generated portals (10,000 to 200,000 pages) a posting takes
//! 1.73 bytes on average (8 in the raw postings before).
//!
//! A level's masks are kept only for tokens in at most `mask_limit` of its documents (module
//! `search`), so a token's mask is stored only while its count of documents in the level and the
//! older ones is within the limit; past it the masks already stored are ignored on reading.
//! Each level's postings start their gaps at the level's first document and their flags afresh,
//! so a level is read without the ones before it.

use super::{mask_limit, Posting, LEVELS};
use std::collections::HashMap;
use std::ops::Range;

pub(super) const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Levels of a list.
const L: usize = LEVELS.len();
/// The top bit of a posting's first byte: 0 for a one-byte posting, 1 for a longer one.
const LONG: u8 = 0x80;
/// A one-byte posting's largest gap and tf.
const SHORT: (u32, u32) = (7, 15);
/// Bit of a longer posting's first byte: a mask follows.
const MASK: u8 = 0x40;
/// The most bytes one posting takes: two, a gap (24 bits) and a tf (16 bits) as varints, a mask.
const MAX_POSTING: usize = 2 + 4 + 3 + 2;

/// One token's postings, appended in document order.
#[derive(Debug, Default)]
pub(super) struct List {
    bytes: Vec<u8>,
    /// The level of the last posting (0 when none).
    level: u8,
    /// The flags of the last posting in the level (0 when none).
    flags: u8,
    /// Per level before `level`: where its postings end in `bytes` (a level starts where the one
    /// before ends), and the postings in it and the older levels (the token's df in the level's
    /// scoring). From `level` on, the end is `bytes.len()` and the count `count`.
    cuts: [(u32, u32); L - 1],
    /// Postings in all.
    count: u32,
    /// The document after the last posting's (or the level's first).
    next: u32,
}

/// The levels' first documents and mask limits, for appending postings.
#[derive(Debug, Clone)]
pub(super) struct Shape {
    starts: [u32; L],
    limits: [u32; L],
}

impl Shape {
    /// The shape of levels `ranges` ([`LEVELS`] order, documents ascending).
    pub(super) fn new(ranges: &[Range<usize>]) -> Shape {
        let mut shape = Shape {
            starts: [0; L],
            limits: [0; L],
        };
        for (l, r) in ranges.iter().enumerate() {
            shape.starts[l] = r.start as u32;
            shape.limits[l] = mask_limit(r.end).min(u32::MAX as usize) as u32;
        }
        shape
    }
}

/// `v` as a varint at the start of `out`; returns its length.
fn put_varint(out: &mut [u8], mut v: u32) -> usize {
    let mut n = 0;
    while v >= 0x80 {
        out[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    out[n] = v as u8;
    n + 1
}

/// The varint at `bytes[*at..]`; moves `at` past it.
fn get_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

impl List {
    /// Appends the posting of document `doc` (in level `level`, after every document of the
    /// list so far) with weighted term frequency `tf` (kept up to 65,535), positions mod 16
    /// `mask` and `flags`.
    pub(super) fn push(&mut self, shape: &Shape, level: usize, doc: u32, raw: (u32, u16, u8)) {
        let (tf, mask, flags) = raw;
        debug_assert!(flags & LONG == 0, "flags use seven bits");
        if level != usize::from(self.level) {
            self.enter(shape, level);
        }
        let gap = doc - self.next;
        let tf = tf.min(0xFFFF);
        let keep = self.count < shape.limits[level];
        // Grown by a quarter at least (not doubled), so little capacity is left unused.
        if self.bytes.capacity() - self.bytes.len() < MAX_POSTING {
            self.bytes
                .reserve_exact((self.bytes.len() / 4).max(MAX_POSTING * 2));
        }
        if gap <= SHORT.0 && tf <= SHORT.1 && !keep && flags == self.flags {
            // Most postings: a common token, close to its previous document, flags as there.
            self.bytes.push((gap as u8) << 4 | tf as u8);
        } else {
            self.push_long(gap, tf, keep.then_some(mask), flags);
            self.flags = flags;
        }
        self.next = doc + 1;
        self.count += 1;
    }

    /// The first posting of `level` follows: the levels from the last posting's to the one
    /// before end here, and gaps count from the level's first document.
    fn enter(&mut self, shape: &Shape, level: usize) {
        let cut = (self.bytes.len() as u32, self.count);
        for l in usize::from(self.level)..level {
            self.cuts[l] = cut;
        }
        self.level = level as u8;
        self.flags = 0;
        self.next = self.next.max(shape.starts[level]);
    }

    /// A posting with a gap or tf past its nibble, or a mask.
    fn push_long(&mut self, gap: u32, tf: u32, mask: Option<u16>, flags: u8) {
        let mut b = [0u8; MAX_POSTING];
        b[1] = flags;
        let mut n = 2;
        let hi = if gap < 3 {
            gap as u8
        } else {
            n += put_varint(&mut b[n..], gap);
            3
        };
        let lo = if (1..16).contains(&tf) {
            tf as u8
        } else {
            n += put_varint(&mut b[n..], tf);
            0
        };
        b[0] = LONG | if mask.is_some() { MASK } else { 0 } | hi << 4 | lo;
        if let Some(m) = mask {
            b[n..n + 2].copy_from_slice(&m.to_le_bytes());
            n += 2;
        }
        self.bytes.extend_from_slice(&b[..n]);
    }

    /// Where `level`'s postings end in `bytes`, and the postings in it and the older levels.
    fn cut(&self, level: usize) -> (usize, usize) {
        let (end, df) = if level < usize::from(self.level) {
            self.cuts[level]
        } else {
            (self.bytes.len() as u32, self.count)
        };
        (end as usize, df as usize)
    }

    /// `level`'s bytes, and the postings in it and the older levels.
    fn level(&self, level: usize) -> (&[u8], usize) {
        let from = if level == 0 { 0 } else { self.cut(level - 1).0 };
        let (to, df) = self.cut(level);
        (&self.bytes[from..to], df)
    }

    /// Whether the token has postings in `level`.
    pub(super) fn in_level(&self, level: usize) -> bool {
        !self.level(level).0.is_empty()
    }
}

/// Every token's postings, and what their impacts are computed from.
#[derive(Debug, Default)]
pub struct Postings {
    lists: HashMap<String, List>,
    /// Each level's first document.
    starts: [u32; L],
    /// Each level's scoring (`None` for an empty level).
    scorings: Vec<Option<Scoring>>,
}

impl Postings {
    /// The postings `lists` of the documents of levels `ranges`, whose weighted lengths are
    /// `lens`.
    pub(super) fn new(
        lists: HashMap<String, List>,
        ranges: &[Range<usize>],
        lens: &[f64],
    ) -> Postings {
        // Each level is scored with the statistics (N, df, average length) of its own and the
        // older levels' documents, never a newer level's: a page added today leaves older
        // impacts alone.
        let scorings = ranges
            .iter()
            .map(|r| (!r.is_empty()).then(|| Scoring::new(&lens[..r.end])))
            .collect();
        Postings {
            lists,
            starts: Shape::new(ranges).starts,
            scorings,
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.lists.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// Postings in all, and the bytes they take.
    pub fn size(&self) -> (usize, usize) {
        self.lists.values().fold((0, 0), |(n, b), l| {
            (n + l.count as usize, b + l.bytes.len())
        })
    }

    /// The tokens and their lists, in no particular order.
    pub(super) fn lists(&self) -> impl Iterator<Item = (&str, &List)> {
        self.lists.iter().map(|(t, l)| (t.as_str(), l))
    }

    /// A token's postings in all levels, ascending by document (empty for an unknown token).
    pub fn get(&self, tok: &str) -> Vec<Posting> {
        let mut all = Vec::new();
        if let Some(list) = self.lists.get(tok) {
            self.all_into(list, &mut all);
        }
        all
    }

    /// Every token with its postings (as [`Postings::get`]), in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Vec<Posting>)> {
        self.lists.iter().map(|(t, list)| {
            let mut all = Vec::new();
            self.all_into(list, &mut all);
            (t.as_str(), all)
        })
    }

    fn all_into(&self, list: &List, all: &mut Vec<Posting>) {
        let mut level = Vec::new();
        for l in 0..L {
            self.level_into(list, l, &mut level);
            all.append(&mut level);
        }
    }

    /// `list`'s postings in `level`, with their impacts, into `out` (cleared first).
    pub(super) fn level_into(&self, list: &List, level: usize, out: &mut Vec<Posting>) {
        out.clear();
        let Some(Some(s)) = self.scorings.get(level) else {
            return;
        };
        let (bytes, df) = list.level(level);
        let t = s.level(df);
        let (mut next, mut flags) = (self.starts[level], 0);
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            at += 1;
            let (gap, tf, mask) = if b & LONG == 0 {
                (u32::from(b >> 4), u32::from(b & 15), u16::MAX)
            } else {
                flags = bytes[at];
                at += 1;
                let gap = match (b >> 4) & 3 {
                    3 => get_varint(bytes, &mut at),
                    g => u32::from(g),
                };
                let tf = match b & 15 {
                    0 => get_varint(bytes, &mut at),
                    tf => u32::from(tf),
                };
                let mask = if b & MASK != 0 {
                    at += 2;
                    u16::from_le_bytes([bytes[at - 2], bytes[at - 1]])
                } else {
                    u16::MAX
                };
                (gap, tf, mask)
            };
            let doc = next + gap;
            next = doc + 1;
            out.push(s.posting(&t, doc, tf, mask, flags));
        }
    }
}

/// What BM25F needs besides a token's postings: document count and length norms.
#[derive(Debug)]
pub(super) struct Scoring {
    pub n: f64,
    /// Per document: `K1 * (1 - B + B * len / avg_len)`.
    pub norm: Vec<f64>,
    /// Masks are kept for tokens in at most this many documents.
    pub mask_limit: usize,
    /// One impact step: the largest possible impact is 255 steps.
    pub scale: f64,
}

/// A token in one level: its idf, and whether its masks are kept.
struct TokenLevel {
    idf: f64,
    keep_masks: bool,
}

impl Scoring {
    pub(super) fn new(lens: &[f64]) -> Scoring {
        let n = lens.len().max(1) as f64;
        let avg_len = (lens.iter().sum::<f64>() / n).max(1.0);
        let max_idf = (1.0 + (n - 0.5) / 1.5).ln();
        Scoring {
            n,
            norm: lens
                .iter()
                .map(|len| K1 * (1.0 - B + B * len / avg_len))
                .collect(),
            mask_limit: mask_limit(lens.len()),
            scale: max_idf * (K1 + 1.0) / 255.0,
        }
    }

    fn level(&self, df: usize) -> TokenLevel {
        let keep_masks = df <= self.mask_limit;
        let df = df as f64;
        TokenLevel {
            idf: (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln(),
            keep_masks,
        }
    }

    /// A posting with its quantised impact.
    fn posting(&self, t: &TokenLevel, doc: u32, tf: u32, mask: u16, flags: u8) -> Posting {
        let tf = f64::from(tf);
        let impact = t.idf * tf * (K1 + 1.0) / (tf + self.norm[doc as usize]);
        Posting {
            doc,
            impact: ((impact / self.scale).round() as i64).clamp(1, 255) as u8,
            mask: if t.keep_masks { mask } else { u16::MAX },
            flags,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::flags;

    /// Levels of 40, 5 and 5 documents: every level's mask limit is 8 (`mask_limit`).
    fn ranges() -> Vec<Range<usize>> {
        vec![0..40, 40..45, 45..50]
    }

    /// A test posting: document, tf, mask, flags.
    type Raw = (u32, u32, u16, u8);

    /// Postings of `lists` (token, then its postings in document order) read back with each
    /// document's length 10 + its number.
    fn read_back(lists: &[(&str, Vec<Raw>)]) -> (Postings, Vec<f64>) {
        let ranges = ranges();
        let shape = Shape::new(&ranges);
        let level = |d: u32| {
            ranges
                .iter()
                .position(|r| r.contains(&(d as usize)))
                .unwrap()
        };
        let mut map = HashMap::new();
        for (tok, postings) in lists {
            let mut list = List::default();
            for &(doc, tf, mask, flags) in postings {
                list.push(&shape, level(doc), doc, (tf, mask, flags));
            }
            map.insert(tok.to_string(), list);
        }
        let lens: Vec<f64> = (0..50).map(|d| 10.0 + f64::from(d)).collect();
        (Postings::new(map, &ranges, &lens), lens)
    }

    /// The impact of `tf` in `doc` for a token in `df` documents up to `end`, written plainly.
    fn impact(lens: &[f64], end: usize, df: usize, doc: u32, tf: f64) -> u8 {
        let n = end as f64;
        let avg = lens[..end].iter().sum::<f64>() / n;
        let norm = K1 * (1.0 - B + B * lens[doc as usize] / avg);
        let idf = (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
        let scale = (1.0 + (n - 0.5) / 1.5).ln() * (K1 + 1.0) / 255.0;
        let x = idf * tf * (K1 + 1.0) / (tf + norm);
        ((x / scale).round() as i64).clamp(1, 255) as u8
    }

    #[test]
    fn postings_read_back_with_gaps_and_term_frequencies_of_any_size() {
        // Gaps 0, 14 (the last in a nibble), 15 (the first varint), and across levels; term
        // frequencies in a nibble, at 16 and beyond 65,535 (kept at 65,535).
        let raw = vec![
            (0, 1, 0x0001, flags::TITLE),
            (15, 15, 0x8000, flags::BODY | flags::START),
            (31, 16, 0x00F0, flags::META | flags::WHOLE),
            (32, 70_000, 0xFFFE, flags::BODY),
            (44, 300, 0x1234, flags::HEADING | flags::END),
            (49, 2, 0x0002, flags::BODY),
        ];
        let (ix, lens) = read_back(&[("観光", raw.clone())]);
        let got = ix.get("観光");
        let ends = [40, 40, 40, 40, 45, 50];
        let dfs = [4, 4, 4, 4, 5, 6];
        let want: Vec<Posting> = raw
            .iter()
            .zip(ends.iter().zip(dfs))
            .map(|(&(doc, tf, mask, flags), (&end, df))| Posting {
                doc,
                impact: impact(&lens, end, df, doc, f64::from(tf.min(0xFFFF))),
                mask,
                flags,
            })
            .collect();
        assert_eq!(got, want);
        assert!(ix.get("棚田").is_empty());
        let mut level = Vec::new();
        ix.level_into(&ix.lists["観光"], 1, &mut level);
        assert_eq!(level, want[4..5]);
        assert_eq!(ix.iter().count(), 1);
    }

    #[test]
    fn masks_are_kept_up_to_the_limit_of_each_level_and_cost_nothing_past_it() {
        // "a": 8 documents in `base` (its masks kept there), a ninth in `month` (over the limit
        // of 8 there: "anywhere"). "b": 9 in `base`, so none is kept in `base`.
        let a: Vec<_> = (0..8)
            .chain([41])
            .map(|d| (d, 1, 1 << (d % 16), 8))
            .collect();
        let b: Vec<_> = (0..9).map(|d| (d * 4, 1, 3, 8)).collect();
        // "c": 20 documents in a row, in the body but the 15th in the title too.
        let c: Vec<_> = (0..20)
            .map(|d| (d, 1, 1, if d == 14 { 9 } else { 8 }))
            .collect();
        let (ix, _) = read_back(&[("a", a), ("b", b), ("c", c)]);
        let masks = |t: &str| -> Vec<u16> { ix.get(t).iter().map(|p| p.mask).collect() };
        let mut want: Vec<u16> = (0..8).map(|d| 1 << d).collect();
        want.push(u16::MAX);
        assert_eq!(masks("a"), want);
        assert_eq!(masks("b"), vec![u16::MAX; 9]);
        let flags: Vec<u8> = ix.get("c").iter().map(|p| p.flags).collect();
        let mut want = vec![8; 20];
        want[14] = 9;
        assert_eq!(flags, want);
        // Bytes: "a": 8 × 4 (two, a mask), then 2 (a new level starts with two bytes); "b": 4,
        // then 7 × 5 (a gap of 3 is a varint in two bytes), then 1 (mask no longer kept, gap
        // and flags as before); "c": 8 × 4, 6 × 1, 2 (new flags), 2 (flags back), 4 × 1.
        assert_eq!(
            ix.size(),
            (38, (32 + 2) + (4 + 35 + 1) + (32 + 6 + 2 + 2 + 4))
        );
    }
}
