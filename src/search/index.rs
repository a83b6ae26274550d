//! Building the in-memory [`Index`] from a site, step by step: choose and order the searchable
//! pages, describe each as a [`Doc`], tokenize the pages (in parallel), group the postings by
//! token (in parallel over partitions of the key space), then quantise each posting's BM25F
//! impact. Writing the files is `write`'s.

use super::{postings, Doc, Index, Level, Variants, WORK_STYLES};
use crate::content::{Extra, Kind};
use crate::date::Date;
use crate::site::{Page, Site, Status};
use crate::strings::Strings;
use std::borrow::Cow;
use std::ops::Range;
use std::time::Instant;

/// Aim for shards of about this many postings: about 2.5 kB gzipped on the generated portal
/// (0.62 bytes a posting), so a query's shard carries little besides its own token.
const SHARD_POSTINGS: usize = 4096;
/// At most this many shard files a level: the count grows with the site up to here, then stays.
const MAX_BUCKETS: usize = 4096;

/// Builds the index of a site's published pages: tokenized in parallel, a chunk of pages at a
/// time, straight into the postings (`postings`). The body text is read from the pages' HTML.
pub fn build(site: &Site) -> Index {
    build_chunked(site, postings::CHUNK_PAGES)
}

/// [`build`] from `html`, the pages' body HTML taken out of them ([`Site::take_html`], in page
/// order): each body is freed once its chunk is read.
pub fn build_owned(site: &Site, html: Vec<String>) -> Index {
    build_from(site, Some(html), postings::CHUNK_PAGES)
}

/// [`build`] tokenizing `chunk` pages at a time.
pub(super) fn build_chunked(site: &Site, chunk: usize) -> Index {
    build_from(site, None, chunk)
}

/// [`build`] with the bodies `html` (page order), or the pages' own when none.
fn build_from(site: &Site, html: Option<Vec<String>>, chunk: usize) -> Index {
    let t = Instant::now();
    let pages = ordered_pages(site);
    let ranges = level_ranges(&pages);
    let mut themes: Vec<String> = Vec::new();
    let mut engagements: Vec<String> = Vec::new();
    let docs = pages
        .iter()
        .map(|&(p, kind, _, _)| doc(site, p, kind, &mut themes, &mut engagements))
        .collect();
    let variants = Variants::built_in().with(site.config.search_synonyms.iter().cloned());
    let order = t.elapsed();
    // The bodies in document order: moved, not copied; those of pages not searched are freed.
    let bodies: Vec<Cow<'_, str>> = match html {
        Some(mut html) => pages
            .iter()
            .map(|&(_, _, _, i)| Cow::Owned(std::mem::take(&mut html[i])))
            .collect(),
        None => pages
            .iter()
            .map(|(p, ..)| Cow::Borrowed(p.body.html.as_str()))
            .collect(),
    };
    let pages: Vec<&Page> = pages.into_iter().map(|(p, ..)| p).collect();
    let built = postings::build(&site.strings, &variants, &pages, bodies, &ranges, chunk);
    let levels: Vec<Level> = ranges
        .iter()
        .zip(&built.per_level)
        .map(|(r, n)| Level {
            start: r.start as u32,
            end: r.end as u32,
            buckets: bucket_count(*n),
        })
        .collect();
    let mut timings = vec![("order", order)];
    timings.extend(built.timings);
    Index {
        docs,
        postings: built.postings,
        themes,
        engagements,
        variants,
        levels,
        timings,
        vocab: built.vocab,
        texts: built.texts,
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

/// The searchable pages with their kind number, level and index in `site.pages`, ordered by level, then (in the `base`
/// level only) related pages next to each other — same first theme, then prefecture, then
/// municipality, then kind — then date and URL. A page's number depends only on its own and the
/// older levels' pages, so adding a recent page leaves the older levels' numbers (and files) as
/// they were. Grouping the big `base` level keeps the facet table compressible and lets the
/// results of a query share metadata chunks (the `month` and `week` levels are small).
fn ordered_pages(site: &Site) -> Vec<(&Page, u8, usize, usize)> {
    let tz = site.config.timezone;
    let (month, week) = level_starts(site.now.date_in(tz));
    let mut pages: Vec<(&Page, u8, usize, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let kind = searchable(site, p)?;
            let day = p.common.date.map(|d| d.date_in(tz));
            Some((p, kind, level_of(day, month, week), i))
        })
        .collect();
    pages.sort_by_cached_key(|&(p, kind, level, _)| {
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
fn level_ranges(pages: &[(&Page, u8, usize, usize)]) -> Vec<Range<usize>> {
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
/// `write::text_row`, without the headings: they are in the body).
#[cfg(test)]
pub(super) fn fields(strings: &Strings, p: &Page) -> [String; 4] {
    let body = crate::markdown::text_of(&p.body.html);
    field_texts(strings, p, &body).map(Cow::into_owned)
}

/// [`fields`], borrowing the title and `body`, the page's body text (read from its HTML once,
/// `markdown::text_of`).
pub(super) fn field_texts<'a>(
    strings: &'a Strings,
    p: &'a Page,
    body: &'a str,
) -> [Cow<'a, str>; 4] {
    let headings: Vec<&str> = p.body.headings.iter().map(|h| h.text.as_str()).collect();
    [
        Cow::Borrowed(p.common.title.as_str()),
        Cow::Owned(headings.join("\n")),
        Cow::Owned(meta_text(strings, p)),
        Cow::Borrowed(body),
    ]
}

/// The meta field: the front-matter summary, place, organisation, themes, ways of working,
/// skills, author and tags, one a line (also the stored text's, `write::texts`).
pub(super) fn meta_text(strings: &Strings, p: &Page) -> String {
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
    meta.join("\n")
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
