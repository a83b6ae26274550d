//! Building the in-memory [`Index`] from a site, step by step: choose and order the searchable
//! pages, describe each as a [`Doc`], tokenize the pages (in parallel), group the postings by
//! token (in parallel over partitions of the key space), then quantise each posting's BM25F
//! impact. Writing the files is `write`'s.

use super::{flags, mask_limit, tokenize, Doc, Index, Level, Posting, Variants, WORK_STYLES};
use crate::content::{Extra, Kind};
use crate::date::Date;
use crate::site::{Page, Site, Status};
use crate::strings::Strings;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::ops::Range;
use std::time::Instant;

const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Field weights: title, headings, meta, body (a heading's text is in the body too).
const WEIGHTS: [f64; 4] = [3.0, 1.0, 2.0, 1.0];
/// Aim for shards of about this many postings: about 2.5 kB gzipped on the generated portal
/// (0.62 bytes a posting), so a query's shard carries little besides its own token.
const SHARD_POSTINGS: usize = 4096;
/// At most this many shard files a level: the count grows with the site up to here, then stays.
const MAX_BUCKETS: usize = 4096;
/// Grouping runs in parallel over this many partitions of the key space.
const PARTS: usize = 64;

/// Builds the index of a site's published pages. Parallel over pages, then over tokens.
pub fn build(site: &Site) -> Index {
    let mut timings = Vec::new();
    let t = Instant::now();
    let pages = ordered_pages(site);
    let ranges = level_ranges(&pages);
    let mut themes: Vec<String> = Vec::new();
    let mut engagements: Vec<String> = Vec::new();
    let docs = pages
        .iter()
        .map(|&(p, kind, _)| doc(site, p, kind, &mut themes, &mut engagements))
        .collect();
    let variants = Variants::built_in().with(site.config.search_synonyms.iter().cloned());
    let per_doc = tokenize_pages(&site.strings, &variants, &pages);
    timings.push(("tokenize", t.elapsed()));

    let t = Instant::now();
    let words = first_words(&per_doc);
    let levels: Vec<Level> = ranges
        .iter()
        .map(|r| Level {
            start: r.start as u32,
            end: r.end as u32,
            buckets: bucket_count(per_doc[r.clone()].iter().map(|d| d.entries.len()).sum()),
        })
        .collect();
    // Each level is scored with the statistics (N, df, average length) of its own and the older
    // levels' documents, never a newer level's: a page added today leaves older impacts alone.
    let scorings: Vec<(Range<usize>, Scoring)> = ranges
        .into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| {
            let scoring = Scoring::new(&per_doc[..r.end]);
            (r, scoring)
        })
        .collect();
    // One partition at a time is grouped and turned into postings at once: the raw postings of
    // the whole site never exist together (at 200,000 pages they were gigabytes).
    let postings = (0..PARTS)
        .into_par_iter()
        .flat_map_iter(|part| group(&per_doc, part).into_iter())
        .map(|(key, list)| {
            let mut out = Vec::with_capacity(list.len());
            for (r, scoring) in &scorings {
                let from = list.partition_point(|p| (p.0 as usize) < r.start);
                let to = list.partition_point(|p| (p.0 as usize) < r.end);
                if from < to {
                    scoring.token(to, &list[from..to], &mut out);
                }
            }
            (key_text(key, &words), out)
        })
        .filter(|(_, out)| !out.is_empty())
        .collect();
    drop(per_doc);
    timings.push(("group+impacts", t.elapsed()));
    Index {
        docs,
        postings,
        themes,
        engagements,
        variants,
        levels,
        timings,
    }
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

/// The searchable pages with their kind number and level, ordered by level, then (in the `base`
/// level only) related pages next to each other — same first theme, then prefecture, then
/// municipality, then kind — then date and URL. A page's number depends only on its own and the
/// older levels' pages, so adding a recent page leaves the older levels' numbers (and files) as
/// they were. Grouping the big `base` level keeps the facet table compressible and lets the
/// results of a query share metadata chunks (the `month` and `week` levels are small).
fn ordered_pages(site: &Site) -> Vec<(&Page, u8, usize)> {
    let tz = site.config.timezone;
    let (month, week) = level_starts(site.now.date_in(tz));
    let mut pages: Vec<(&Page, u8, usize)> = site
        .pages
        .iter()
        .filter_map(|p| {
            let kind = searchable(site, p)?;
            let day = p.common.date.map(|d| d.date_in(tz));
            Some((p, kind, level_of(day, month, week)))
        })
        .collect();
    pages.sort_by_cached_key(|&(p, kind, level)| {
        let group = (level == 0).then(|| (related(p), kind));
        (
            level,
            group,
            p.common.date.map(|d| d.unix(tz)),
            p.url.clone(),
        )
    });
    pages
}

/// The group of a page in the `base` level: first theme (or tag), prefecture, municipality.
fn related(p: &Page) -> (String, String, String) {
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
}

/// The first days of the `month` and `week` levels for `today`: the first of the month and
/// this week's Monday.
fn level_starts(today: Date) -> (Date, Date) {
    let month = Date::new(today.year, today.month, 1).unwrap_or(today);
    // `weekday` is 0 for Sunday: Monday starts the week.
    let back = (today.weekday() + 6) % 7;
    (month, today.add_days(-(back as i64)))
}

/// A page's level (an index into [`super::LEVELS`]) by its date in the site's time zone.
fn level_of(day: Option<Date>, month: Date, week: Date) -> usize {
    match day {
        Some(d) if d >= week => 2,
        Some(d) if d >= month => 1,
        _ => 0,
    }
}

/// Each level's document range in the ordered pages (empty ranges for empty levels).
fn level_ranges(pages: &[(&Page, u8, usize)]) -> Vec<Range<usize>> {
    let mut start = 0;
    (0..super::LEVELS.len())
        .map(|l| {
            let end = start + pages[start..].iter().take_while(|p| p.2 == l).count();
            let r = start..end;
            start = end;
            r
        })
        .collect()
}

/// The number of a facet value in its dictionary (from 1; 0 is "none"), added when new.
fn intern(list: &mut Vec<String>, v: &str) -> u32 {
    match list.iter().position(|x| x == v) {
        Some(i) => i as u32 + 1,
        None => {
            list.push(v.to_string());
            list.len() as u32
        }
    }
}

/// A page's metadata and facet values; new themes and engagements join the dictionaries.
fn doc(
    site: &Site,
    p: &Page,
    kind: u8,
    themes: &mut Vec<String>,
    engagements: &mut Vec<String>,
) -> Doc {
    let (municipality, prefecture, ws, th, en) = match &p.extra {
        Extra::Challenge(c) => (
            c.municipality.clone(),
            c.prefecture.clone(),
            c.work_style.map(|w| w.id()),
            c.themes.as_slice(),
            c.engagement.as_slice(),
        ),
        Extra::Case(c) => (
            c.municipality.clone(),
            c.prefecture.clone(),
            None,
            c.themes.as_slice(),
            &[][..],
        ),
        _ => (String::new(), String::new(), None, &[][..], &[][..]),
    };
    Doc {
        url: p.url.clone(),
        title: p.common.title.clone(),
        kind,
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
        themes: th.iter().map(|t| intern(themes, t)).collect(),
        engagement: en.iter().map(|e| intern(engagements, e)).collect(),
    }
}

/// The text of a page's four fields: title, headings, meta, body (also the stored text,
/// `write::texts`, without the headings: they are in the body).
pub(super) fn fields(strings: &Strings, p: &Page) -> [String; 4] {
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
    let headings: Vec<&str> = p.body.headings.iter().map(|h| h.text.as_str()).collect();
    [
        p.common.title.clone(),
        headings.join("\n"),
        meta.join("\n"),
        p.body.text.clone(),
    ]
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
type Entry = (u64, f32, u16, u8);

/// The tokens of one page, sorted by (partition, key) with the partition offsets kept, so a
/// grouping worker reads only its slices.
struct PageTokens {
    entries: Vec<Entry>,
    /// `entries[offsets[part]..offsets[part + 1]]` is partition `part`.
    offsets: [u32; PARTS + 1],
    /// Weighted length (tokens times field weight).
    len: f64,
    /// The words whose keys this page met first, with their text.
    words: Vec<(u64, String)>,
}

/// Tokenizes every page, in parallel, in page order.
fn tokenize_pages(
    strings: &Strings,
    variants: &Variants,
    pages: &[(&Page, u8, usize)],
) -> Vec<PageTokens> {
    pages
        .par_iter()
        .map_init(
            || (String::new(), FxHashMap::<u64, (f32, u16, u8)>::default()),
            |(buf, map), (p, _, _)| tokenize_page(strings, variants, p, buf, map),
        )
        .collect()
}

/// One page's tokens; `buf` and `map` are a worker's scratch space.
fn tokenize_page(
    strings: &Strings,
    variants: &Variants,
    p: &Page,
    buf: &mut String,
    map: &mut FxHashMap<u64, (f32, u16, u8)>,
) -> PageTokens {
    map.clear();
    let mut words: Vec<(u64, String)> = Vec::new();
    let mut len = 0.0;
    for (field, text) in fields(strings, p).iter().enumerate() {
        let w = WEIGHTS[field] as f32;
        tokenize::normalize_into(text, buf);
        variants.fold_in_place(buf);
        let mut n = 0usize;
        tokenize::scan_units(buf, |raw, pos, marks| {
            // Units are extra keys for one-character queries: they do not lengthen the page.
            if !matches!(raw, tokenize::Raw::Unit(_)) {
                n += 1;
            }
            let bit = 1u16 << (pos % 16);
            let key = match raw {
                tokenize::Raw::Cjk(a, b) => cjk_key(a, b),
                tokenize::Raw::Unit(a) => cjk_key(a, None),
                tokenize::Raw::Word(s) => {
                    let k = word_key(s);
                    if !map.contains_key(&k) {
                        words.push((k, s.to_string()));
                    }
                    k
                }
            };
            let e = map.entry(key).or_insert((0.0, 0, 0));
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
fn by_partition(map: &FxHashMap<u64, (f32, u16, u8)>) -> (Vec<Entry>, [u32; PARTS + 1]) {
    let mut offsets = [0u32; PARTS + 1];
    for k in map.keys() {
        offsets[part_of(*k) + 1] += 1;
    }
    for p in 0..PARTS {
        offsets[p + 1] += offsets[p];
    }
    let mut next = offsets;
    let mut v: Vec<Entry> = vec![(0, 0.0, 0, 0); map.len()];
    for (k, (tf, m, b)) in map.iter() {
        let slot = &mut next[part_of(*k)];
        v[*slot as usize] = (*k, *tf, *m, *b);
        *slot += 1;
    }
    (v, offsets)
}

/// The text of every word key, from the first page that has it.
fn first_words(per_doc: &[PageTokens]) -> FxHashMap<u64, String> {
    let mut words: FxHashMap<u64, String> = FxHashMap::default();
    for d in per_doc {
        for (k, w) in &d.words {
            words.entry(*k).or_insert_with(|| w.clone());
        }
    }
    words
}

/// A level's shard buckets from its postings (one per token and page): the power of two
/// nearest (in ratio) to `postings / SHARD_POSTINGS`, from 1 to [`MAX_BUCKETS`]. It depends
/// on the level's own pages alone, so a page added to a newer level leaves it as it was.
fn bucket_count(postings: usize) -> usize {
    let want = postings / SHARD_POSTINGS;
    let up = want.max(1).next_power_of_two();
    // Round down when `want` is below the geometric middle, up / √2.
    let nearest = if want.saturating_mul(want).saturating_mul(2) < up.saturating_mul(up) {
        up / 2
    } else {
        up
    };
    nearest.clamp(1, MAX_BUCKETS)
}

/// A token's raw postings: (document, weighted tf, mask, flags).
type Raw = Vec<(u32, f32, u16, u8)>;

/// The raw postings, in document order, of every token of partition `part`.
fn group(per_doc: &[PageTokens], part: usize) -> FxHashMap<u64, Raw> {
    let mut map: FxHashMap<u64, Raw> = FxHashMap::default();
    for (doc, d) in per_doc.iter().enumerate() {
        let slice = d.offsets[part] as usize..d.offsets[part + 1] as usize;
        for &(key, tf, mask, flags) in &d.entries[slice] {
            map.entry(key)
                .or_default()
                .push((doc as u32, tf, mask, flags));
        }
    }
    map
}

/// What BM25F needs besides a token's postings: document count and length norms.
struct Scoring {
    n: f64,
    /// Per document: `K1 * (1 - B + B * len / avg_len)`.
    norm: Vec<f64>,
    /// Masks are kept for tokens in at most this many documents.
    mask_limit: usize,
    /// One impact step: the largest possible impact is 255 steps.
    scale: f64,
}

impl Scoring {
    fn new(per_doc: &[PageTokens]) -> Scoring {
        let n = per_doc.len().max(1) as f64;
        let avg_len = (per_doc.iter().map(|d| d.len).sum::<f64>() / n).max(1.0);
        let max_idf = (1.0 + (n - 0.5) / 1.5).ln();
        Scoring {
            n,
            norm: per_doc
                .iter()
                .map(|d| K1 * (1.0 - B + B * d.len / avg_len))
                .collect(),
            mask_limit: mask_limit(per_doc.len()),
            scale: max_idf * (K1 + 1.0) / 255.0,
        }
    }

    /// The postings of `level` (a token's raw postings in one level) with quantised impacts,
    /// appended to `out`; `df`: the token's documents in this level and the older ones.
    fn token(&self, df: usize, level: &[(u32, f32, u16, u8)], out: &mut Vec<Posting>) {
        let keep_masks = df <= self.mask_limit;
        let df = df as f64;
        let idf = (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln();
        out.extend(level.iter().map(|&(doc, tf, mask, flags)| {
            let tf = f64::from(tf);
            let impact = idf * tf * (K1 + 1.0) / (tf + self.norm[doc as usize]);
            Posting {
                doc,
                impact: ((impact / self.scale).round() as i64).clamp(1, 255) as u8,
                mask: if keep_masks { mask } else { u16::MAX },
                flags,
            }
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn shard_count_grows_with_the_postings_to_the_nearest_power_of_two_then_stops() {
        assert_eq!(bucket_count(0), 1);
        assert_eq!(bucket_count(SHARD_POSTINGS - 1), 1);
        // 9.6 million postings (the generated 10,000-page portal): 2,345 shards' worth → 2,048.
        assert_eq!(bucket_count(9_606_376), 2048);
        // Just below and above the middle between 1,024 and 2,048 (1,448).
        assert_eq!(bucket_count(1440 * SHARD_POSTINGS), 1024);
        assert_eq!(bucket_count(1460 * SHARD_POSTINGS), 2048);
        // Exactly a power of two's worth stays that power.
        assert_eq!(bucket_count(256 * SHARD_POSTINGS), 256);
        // A huge level stops at the cap, so the file count grows no further.
        assert_eq!(bucket_count(usize::MAX / 16), MAX_BUCKETS);
        let mut last = 0;
        for postings in (0..40_000_000).step_by(50_000) {
            let b = bucket_count(postings);
            assert!(
                b.is_power_of_two() && b >= last,
                "{postings}: {b} after {last}"
            );
            last = b;
        }
    }

    #[test]
    fn levels_start_on_the_first_of_the_month_and_on_monday() {
        // 2026-11-21 is a Saturday.
        assert_eq!(
            level_starts(day("2026-11-21")),
            (day("2026-11-01"), day("2026-11-16"))
        );
        // A Monday starts its own week; a Sunday belongs to the week that began six days before.
        assert_eq!(level_starts(day("2026-11-16")).1, day("2026-11-16"));
        assert_eq!(level_starts(day("2026-11-22")).1, day("2026-11-16"));
        let (month, week) = level_starts(day("2026-11-21"));
        let level = |d: Option<&str>| level_of(d.map(day), month, week);
        assert_eq!(level(None), 0);
        assert_eq!(level(Some("2026-10-31")), 0);
        assert_eq!(level(Some("2026-11-01")), 1);
        assert_eq!(level(Some("2026-11-15")), 1);
        assert_eq!(level(Some("2026-11-16")), 2);
        assert_eq!(level(Some("2026-11-21")), 2);
    }

    #[test]
    fn a_week_that_began_last_month_leaves_the_month_level_empty() {
        // 2026-12-02 is a Wednesday: the week began on 2026-11-30, before the month.
        let (month, week) = level_starts(day("2026-12-02"));
        assert_eq!(week, day("2026-11-30"));
        assert_eq!(level_of(Some(day("2026-11-30")), month, week), 2);
        assert_eq!(level_of(Some(day("2026-11-29")), month, week), 0);
    }
}
