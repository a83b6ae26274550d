//! All pages of a site as plain data: URLs, publication (drafts, scheduled pages), challenge
//! status from deadlines, relations between cases and challenges, and each page's Markdown
//! rendered to HTML. Knows nothing of templates or files on disk beyond checking that referenced
//! images and linked files exist (`links`).

use crate::config::Config;
use crate::content::{Common, DeclaredStatus, Extra, Kind, Source, TaxonomyKind};
use crate::date::{Date, DateTime};
use crate::diagnostics::{Diagnostic, Problem, Severity};
use crate::markdown::{self, LinkTarget, Rendered};
use crate::unicode::line_col;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod browse;
mod images;
mod links;
mod steps;
pub use browse::{municipality_url, Municipality, Taxonomy, Term};
pub use links::{Links, Unjudged};

/// Recruiting status of a challenge on the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Open,
    /// Open, and the deadline is within `closing_soon_days`.
    ClosingSoon,
    Closed,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::ClosingSoon => "closing-soon",
            Status::Closed => "closed",
        }
    }
    /// The name shown to visitors (`status_*`).
    pub fn label(self, s: &crate::strings::Strings) -> &str {
        match self {
            Status::Open => &s.status_open,
            Status::ClosingSoon => &s.status_closing_soon,
            Status::Closed => &s.status_closed,
        }
    }
    pub fn is_open(self) -> bool {
        self != Status::Closed
    }
}

/// One published page.
#[derive(Debug, Clone)]
pub struct Page {
    pub kind: Kind,
    pub slug: String,
    /// Source file, relative to the site root.
    pub source: PathBuf,
    /// Site path, starting with the base path: `/challenges/foo/`.
    pub url: String,
    pub bundle: Option<PathBuf>,
    pub assets: Vec<PathBuf>,
    pub common: Common,
    pub extra: Extra,
    /// Status of a challenge; None for other kinds.
    pub status: Option<Status>,
    /// Days from the build date to the deadline (negative once passed).
    pub days_left: Option<i64>,
    /// The body rendered: HTML, plain text and headings (shared with the dev server's cache).
    pub body: Arc<Rendered>,
    /// The front matter summary, or the start of the text.
    pub summary: String,
    /// Indexes (into `Site::pages`) of related pages: a challenge's cases, a case's challenges.
    pub related: Vec<usize>,
    /// Similar pages found at build time (same municipality, shared themes…), not in `related`.
    pub similar: Vec<usize>,
    /// The front-matter `image` when it is a local raster, once processed (`images`); filled
    /// by the pipeline after assembly.
    pub picture: Option<Arc<crate::images::Processed>>,
}

impl Page {
    pub fn date(&self) -> Option<DateTime> {
        self.common.date
    }
    /// A hash of the page's own data (`Dep::Page`): every field but the rendered body
    /// (`Dep::Body`) and the indexes in `related` and `similar` (which the dev server hashes as
    /// stable page ids). Destructured, so a new field cannot be left out without saying so.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let Page {
            kind,
            slug,
            source,
            url,
            bundle,
            assets,
            common,
            extra,
            status,
            days_left,
            body: _,
            summary,
            related: _,
            similar: _,
            picture,
        } = self;
        let mut h = rustc_hash::FxHasher::default();
        (kind, slug, source, url, bundle, assets, common, extra).hash(&mut h);
        (status, days_left, summary, picture).hash(&mut h);
        h.finish()
    }
    pub fn deadline(&self, tz: i32) -> Option<Date> {
        match &self.extra {
            Extra::Challenge(c) => c.deadline.map(|d| d.date_in(tz)),
            _ => None,
        }
    }
}

/// Title and intro of the home page or a section (from `_index.md`).
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub title: String,
    pub summary: Option<String>,
    pub html: String,
    pub source: Option<PathBuf>,
}

pub struct Site {
    pub config: Config,
    /// What bodies were rendered with (the dev server renders edited bodies the same way).
    pub markdown: markdown::Options,
    pub now: DateTime,
    pub today: Date,
    /// The texts tsunagari writes into pages, feeds and forms (from the theme).
    pub strings: Arc<crate::strings::Strings>,
    /// Published pages: challenges, cases, columns, then plain pages; each newest first.
    pub pages: Vec<Page>,
    pub home: Index,
    pub sections: BTreeMap<Kind, Index>,
    /// Pages left out: drafts and pages dated in the future.
    pub unpublished: usize,
    /// Publication dates of scheduled (future-dated, not draft) pages.
    pub scheduled: Vec<Date>,
    pub taxonomies: Vec<Taxonomy>,
    pub municipalities: Vec<Municipality>,
    /// Each page's position in the listing order (see `crate::taxonomy::listing_rank`).
    pub listing_rank: Vec<u32>,
    /// Municipality URL → index into `municipalities`.
    pub municipality_index: HashMap<String, usize>,
    /// Every content file and page URL, with whether it is published: what local links in
    /// bodies resolve against.
    pub links: Links,
    /// Body links to generated outputs, by source file: judged once the render plan exists.
    pub unjudged: Vec<Unjudged>,
    /// Every processed raster of the site (`images`), by output path; filled by the pipeline.
    pub images: Arc<crate::images::Library>,
    /// `default_image` of site.yaml once processed, when it is a local raster (site-wide).
    pub default_picture: Option<Arc<crate::images::Processed>>,
    /// What the image pipeline did in this build (rasters, files encoded).
    pub image_stats: crate::images::Stats,
    /// Whether the pages' body HTML was freed ([`Site::release_html`]): nothing reads it after.
    pub html_released: bool,
}

/// How [`assemble`] gets a body rendered. A plain build renders every body ([`Fresh`]); the dev
/// server passes a cache that re-renders only bodies (or link targets) that changed.
pub trait MarkdownSource: Sync {
    fn render(
        &self,
        source: &Arc<Source>,
        opts: &markdown::Options,
        resolve: &dyn Fn(&str) -> LinkTarget,
    ) -> Arc<Rendered>;
}

/// Renders every body afresh.
pub struct Fresh;

impl MarkdownSource for Fresh {
    fn render(
        &self,
        source: &Arc<Source>,
        opts: &markdown::Options,
        resolve: &dyn Fn(&str) -> LinkTarget,
    ) -> Arc<Rendered> {
        Arc::new(markdown::render(source.body(), opts, resolve))
    }
}

impl Site {
    /// Frees the body HTML of every page, for a build that has written everything showing it
    /// (pages and feeds: `pipeline::emit`) and has no search index to build. A body the dev
    /// server's cache shares is left as it is.
    pub fn release_html(&mut self) {
        drop(self.take_html());
    }

    /// Takes the body HTML out of every page, in page order, for a build that has written
    /// everything showing it: the search index reads the text from it and frees each body once
    /// read (`search::build_owned`), so no body outlives its turn. A body the dev server's cache
    /// shares is left as it is, and copied.
    pub fn take_html(&mut self) -> Vec<String> {
        self.html_released = true;
        self.pages
            .iter_mut()
            .map(|p| match Arc::get_mut(&mut p.body) {
                Some(body) => std::mem::take(&mut body.html),
                None => p.body.html.clone(),
            })
            .collect()
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.kind == kind)
    }

    /// Published pages a visitor reads: all but municipality profiles (shown on municipality
    /// pages).
    pub fn page_count(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| p.kind != Kind::Municipality)
            .count()
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.kind == kind)
    }

    /// The municipality page of a challenge or case.
    pub fn municipality_of(&self, p: &Page) -> Option<&Municipality> {
        let (name, pref) = match &p.extra {
            Extra::Challenge(c) => (&c.municipality, &c.prefecture),
            Extra::Case(c) => (&c.municipality, &c.prefecture),
            _ => return None,
        };
        let url = municipality_url(self.config.urls(), pref, name);
        self.municipality_index
            .get(&url)
            .map(|&i| &self.municipalities[i])
    }
}

/// Path segments the generator uses itself; a plain page cannot take them.
pub const RESERVED_SLUGS: [&str; 17] = [
    "challenges",
    "cases",
    "columns",
    "assets",
    "search",
    "page",
    "tags",
    "themes",
    "prefectures",
    "municipalities",
    "work-styles",
    "engagements",
    "skills",
    "feeds",
    "404",
    "atom.xml",
    "sitemap.xml",
];

/// Segments inside a section that list pages use (`/challenges/page/2/`, `/challenges/status/open/`).
pub const RESERVED_IN_SECTION: [&str; 4] = ["page", "status", "atom.xml", "open.json"];

/// Turns checked sources into a site. `include_drafts` publishes drafts and future-dated pages
/// (for previews). Bodies are rendered through `md`. The browsing structures (terms,
/// municipalities, similar pages) are filled afterwards by `crate::taxonomy::browse`.
pub fn assemble(
    config: Config,
    mut sources: Vec<Arc<Source>>,
    now: DateTime,
    include_drafts: bool,
    (root, statics): (&Path, &[PathBuf]),
    md: &dyn MarkdownSource,
    theme: &crate::theme::Theme,
) -> (Site, Vec<Diagnostic>) {
    let reserved_ids = Arc::new(theme.reserved_ids());
    let tz = config.timezone;
    let mut diags = Vec::new();
    sources.sort_by(|a, b| a.entry.rel.cmp(&b.entry.rel));
    let refs: Vec<&Arc<Source>> = sources.iter().collect();
    let urls = steps::page_urls(&config, &refs, &mut diags);
    let published: Vec<bool> = sources
        .iter()
        .map(|s| is_published(s, now, tz, include_drafts))
        .collect();
    let mut links = steps::links_of(&config, &refs, &urls, &published, root);
    // Rasters before bodies: body images of processed files are written as pictures.
    let (lib, image_stats, d) = images::process(&config, &refs, (&urls, &published), root, statics);
    diags.extend(d);
    images::body_pictures(&config, &lib, &mut links);
    steps::check_forms(&config, &refs, root, &mut diags);
    steps::check_sources(&refs, &published, root, &mut diags);

    drop(refs);

    // Markdown, in parallel. Once a body is rendered and its problems placed, nothing reads
    // it again: its text is freed as it goes (unless the dev server's cache shares the source),
    // so the sources and the rendered bodies of the whole site are never held at once.
    let md_opts = markdown_options(&config, reserved_ids, &theme.strings);
    let (rendered, unjudged): (Vec<_>, Vec<Vec<Unjudged>>) = sources
        .par_iter_mut()
        .zip(published.par_iter())
        .map(|(s, p)| {
            let done = if *p {
                let (body, ds) = render_body(s, &md_opts, &links, md);
                let later = unjudged_of(s, &body);
                ((body, ds), later)
            } else {
                ((Arc::default(), Vec::new()), Vec::new())
            };
            if let Some(s) = Arc::get_mut(s) {
                s.drop_body();
            }
            done
        })
        .unzip();
    let unjudged = unjudged.into_iter().flatten().collect();
    let refs: Vec<&Arc<Source>> = sources.iter().collect();
    let strings = Arc::new(theme.strings.clone());
    let mut site = steps::empty_site(config, md_opts, strings, now, &refs, &published);
    steps::fill_pages(&mut site, refs, rendered, (urls, published), &mut diags);
    site.links = links;
    site.unjudged = unjudged;
    site.image_stats = image_stats;
    diags.extend(images::attach(&mut site, lib, root));
    steps::complete_sections(&mut site);
    steps::sort_pages(&mut site.pages, tz);
    steps::relate(&mut site.pages);
    (site, diags)
}

/// Whether a source is published on the build date: not a draft and not dated in the future,
/// unless drafts are included (previews).
pub fn is_published(s: &Source, now: DateTime, tz: i32, include_drafts: bool) -> bool {
    include_drafts || Unpublished::of(&s.common, now, tz).is_none()
}

/// Why a page is not published on the build date. Previews (`serve`, `build --drafts`) show
/// such pages marked with this; a draft is a draft whatever its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpublished {
    Draft,
    /// Dated in the future: published from this date on.
    Scheduled(Date),
}

impl Unpublished {
    pub fn of(c: &Common, now: DateTime, tz: i32) -> Option<Unpublished> {
        if c.draft {
            return Some(Unpublished::Draft);
        }
        let d = c.date.filter(|d| d.unix(tz) > now.unix(tz))?;
        Some(Unpublished::Scheduled(d.date_in(tz)))
    }
}

/// Markdown options of a site whose theme uses `reserved_ids` and gives `strings`.
pub fn markdown_options(
    config: &Config,
    reserved_ids: Arc<markdown::ReservedIds>,
    strings: &crate::strings::Strings,
) -> markdown::Options {
    markdown::Options {
        allow_html: config.markdown.allow_html,
        allow_iframes: config.markdown.allow_iframes.clone(),
        reserved_ids,
        labels: markdown::Labels::new(strings),
    }
}

/// Renders one source's body through `md`, resolving its local links and images against
/// `links`; problems in the body come back with their line and column in the file.
pub fn render_body(
    s: &Arc<Source>,
    opts: &markdown::Options,
    links: &Links,
    md: &dyn MarkdownSource,
) -> (Arc<Rendered>, Vec<Diagnostic>) {
    let resolve = |target: &str| links::resolve(links, &s.entry.rel, target);
    let r = md.render(s, opts, &resolve);
    let ds = r
        .found
        .iter()
        .map(|f| {
            let d = match f.severity {
                Severity::Error => Diagnostic::error(&s.entry.rel, f.problem.clone()),
                Severity::Warning => Diagnostic::warning(&s.entry.rel, f.problem.clone()),
            };
            place(s, d, f.offset, f.len)
        })
        .collect();
    (r, ds)
}

/// The links of `body` (rendered from `s`) to generated outputs, each with its error placed at
/// the link, for the check once the render plan exists.
pub fn unjudged_of(s: &Source, body: &Rendered) -> Vec<Unjudged> {
    body.later
        .iter()
        .map(|l| {
            let problem = if l.image {
                Problem::MissingImage {
                    path: l.written.clone(),
                }
            } else {
                Problem::NoSuchOutput {
                    target: l.written.clone(),
                    suggestion: None,
                }
            };
            let error = Diagnostic::error(&s.entry.rel, problem);
            Unjudged {
                url: l.url.clone(),
                written: l.written.clone(),
                error: place(s, error, l.offset, l.len),
            }
        })
        .collect()
}

/// `d` placed at `len` bytes from `offset` of the body of `s` (its file's line and column).
fn place(s: &Source, d: Diagnostic, offset: usize, len: usize) -> Diagnostic {
    let (line, col) = line_col(&s.text, s.body_offset + offset);
    let span = s.text[s.body_offset + offset..]
        .lines()
        .next()
        .map_or(1, |l| {
            let end = len.min(l.len());
            l.get(..end).map_or(1, |x| x.chars().count())
        });
    d.at(&s.text, line, col).with_span(span)
}

/// One published page from its source and rendered body; `related` and `similar` are left
/// empty for [`assemble`] to fill.
pub fn make_page(
    s: &Source,
    kind: Kind,
    url: String,
    mut body: Arc<Rendered>,
    config: &Config,
    now: DateTime,
    diags: &mut Vec<Diagnostic>,
) -> Page {
    let (status, days_left) = challenge_status(s, config, now, diags);
    let summary = s.common.summary.clone().unwrap_or_else(|| {
        if body.lead.trim().is_empty() {
            // No running text: the summary is the start of the whole text (headings, tables).
            excerpt(&markdown::text_of(&body.html), markdown::SUMMARY_CHARS)
        } else {
            excerpt(&body.lead, markdown::SUMMARY_CHARS)
        }
    });
    // The lead made the summary, the problems and later links were reported: what a page keeps
    // of its body is what pages, feeds and the index read (unless the dev server's cache shares it).
    if let Some(b) = Arc::get_mut(&mut body) {
        b.lead = String::new();
        b.found = Vec::new();
        b.later = Vec::new();
    }
    Page {
        kind,
        slug: s.entry.slug.clone(),
        source: s.entry.rel.clone(),
        url,
        bundle: s.entry.bundle.clone(),
        assets: s.entry.assets.clone(),
        common: s.common.clone(),
        extra: s.extra.clone(),
        status,
        days_left,
        body,
        summary,
        related: Vec::new(),
        similar: Vec::new(),
        picture: None,
    }
}

fn challenge_status(
    s: &Source,
    config: &Config,
    now: DateTime,
    diags: &mut Vec<Diagnostic>,
) -> (Option<Status>, Option<i64>) {
    let Extra::Challenge(c) = &s.extra else {
        return (None, None);
    };
    let today = now.date_in(config.timezone);
    let deadline = c.deadline.map(|d| d.date_in(config.timezone));
    let days_left = deadline.map(|d| d.days_since_epoch() - today.days_since_epoch());
    // A deadline with a time (`2026-12-31 17:00`) closes at that time; a date alone at the end
    // of its day.
    let passed = c
        .deadline
        .filter(|d| d.time.is_some())
        .map_or(days_left.is_some_and(|n| n < 0), |d| {
            now.unix(config.timezone) >= d.unix(config.timezone)
        });
    if let Some(d) = deadline.filter(|d| far_ahead(*d, today)) {
        diags.push(crate::content::deadline_far_ahead(s, d, today));
    }
    let by_deadline = match days_left {
        _ if passed => Status::Closed,
        Some(n) if n <= config.closing_soon_days => Status::ClosingSoon,
        _ => Status::Open,
    };
    let status = match c.status {
        Some(DeclaredStatus::Closed) => Status::Closed,
        Some(DeclaredStatus::Open) => {
            if by_deadline == Status::Closed {
                let d = Diagnostic::warning(
                    &s.entry.rel,
                    Problem::OpenPastDeadline {
                        deadline: deadline.map(|d| d.to_string()).unwrap_or_default(),
                    },
                );
                diags.push(
                    match s.text.lines().position(|l| l.starts_with("status:")) {
                        Some(i) => d.at(&s.text, i + 1, 1),
                        None => d,
                    },
                );
                Status::Open
            } else {
                by_deadline
            }
        }
        None => by_deadline,
    };
    (Some(status), days_left)
}

/// More than two years after `today`: a typo of the year, most likely.
fn far_ahead(deadline: Date, today: Date) -> bool {
    deadline
        > Date {
            year: today.year + 2,
            ..today
        }
}

/// The first `max` characters of text (whitespace runs collapsed to one space), cut at a
/// sentence end when one is near. Reads only as far as it needs.
pub fn excerpt(text: &str, max: usize) -> String {
    let (cut, whole) = flat_cut(text, max);
    if whole {
        return cut;
    }
    match cut.rfind('。') {
        Some(i) if cut[..i].chars().count() > max / 2 => cut[..i + '。'.len_utf8()].to_string(),
        _ => format!("{cut}…"),
    }
}

/// The most characters of a card's summary ([`card_excerpt`]): about one sentence, two lines on
/// a phone. A card repeats a page that its own page, a click away, shows whole.
pub const CARD_SUMMARY_CHARS: usize = 60;

/// A card's summary (the template filter `card_summary`): the summary (white space runs as
/// one space) when it fits in [`CARD_SUMMARY_CHARS`] characters; else its sentences that fit,
/// else its clauses that fit and `…`, else its first characters and `…`. Unlike [`excerpt`], a
/// cut may end at a clause, and a cut shorter than a quarter of the limit is not taken.
pub fn card_excerpt(summary: &str) -> String {
    let (cut, whole) = flat_cut(summary, CARD_SUMMARY_CHARS);
    if whole {
        return cut;
    }
    let last_end = |marks: &[char]| {
        cut.char_indices()
            .skip(CARD_SUMMARY_CHARS / 4)
            .filter(|(_, c)| marks.contains(c))
            .last()
    };
    if let Some((i, c)) = last_end(&['。', '！', '？', '!', '?']) {
        return cut[..i + c.len_utf8()].to_string();
    }
    match last_end(&['、', '，', ',']) {
        Some((i, _)) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// `text` with white space runs as one space (none at either end), read only up to the
/// character after the first `max`.
fn flatten(text: &str, max: usize) -> String {
    let mut flat = String::with_capacity(max.saturating_mul(3).min(text.len()) + 8);
    let mut count = 0usize;
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !flat.is_empty();
            continue;
        }
        if space {
            flat.push(' ');
            count += 1;
            space = false;
        }
        flat.push(c);
        count += 1;
        if count > max {
            break;
        }
    }
    flat
}

/// The flattened `text`, cut to its first `max` characters; `true` when nothing was cut.
fn flat_cut(text: &str, max: usize) -> (String, bool) {
    let mut flat = flatten(text, max);
    match flat.char_indices().nth(max) {
        Some((end, _)) => {
            flat.truncate(end);
            (flat, false)
        }
        None => (flat, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lead keeps only the start a summary reads: the summary of a long lead, with runs of
    /// white space between its words, is the one the whole lead gives.
    #[test]
    fn summaries_read_the_same_from_the_kept_start_of_the_lead() {
        let words: Vec<String> = (0..80).map(|i| format!("語{i}")).collect();
        let body = format!("## 見出し\n\n{}\n\n- 項目\n", words.join(" \n  "));
        let whole = format!("{}\n項目\n", words.join("  "));
        let r = markdown::render(&body, &markdown::Options::default(), &|_| {
            LinkTarget::AsWritten
        });
        assert!(r.lead.len() < whole.len(), "{}", r.lead);
        let kept = r.lead.chars().filter(|c| !c.is_whitespace()).count();
        assert_eq!(kept, markdown::SUMMARY_CHARS + 1);
        for max in [markdown::SUMMARY_CHARS, 60] {
            assert_eq!(excerpt(&r.lead, max), excerpt(&whole, max));
        }
        assert!(excerpt(&r.lead, markdown::SUMMARY_CHARS).ends_with('…'));
    }

    #[test]
    fn card_summaries_keep_the_sentences_or_clauses_that_fit() {
        let first = "あ".repeat(40) + "。";
        let second = "い".repeat(30) + "。";
        assert_eq!(card_excerpt(&format!("{first}{second}")), first);
        // No sentence ends in the limit: the clauses that fit, then an ellipsis.
        let clause = "か".repeat(30) + "、";
        let rest = "き".repeat(40) + "。";
        assert_eq!(
            card_excerpt(&format!("{clause}{rest}")),
            "か".repeat(30) + "…"
        );
        // A first sentence too short to say much is not a cut.
        let short = "う".repeat(5) + "。" + &"え".repeat(80);
        assert_eq!(
            card_excerpt(&short),
            short.chars().take(CARD_SUMMARY_CHARS).collect::<String>() + "…"
        );
        // A summary that fits is kept whole, its white space runs as one space.
        assert_eq!(card_excerpt(" 短い\n  要約です。"), "短い 要約です。");
        let exact = "お".repeat(CARD_SUMMARY_CHARS);
        assert_eq!(card_excerpt(&exact), exact);
        let long = card_excerpt(&"く".repeat(100));
        assert_eq!(long.chars().count(), CARD_SUMMARY_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn excerpts_cut_at_sentences() {
        let t = "あ".repeat(70) + "。" + &"い".repeat(100);
        assert_eq!(excerpt(&t, 120), "あ".repeat(70) + "。");
        assert_eq!(excerpt("短い文", 120), "短い文");
        assert!(excerpt(&"う".repeat(200), 120).ends_with('…'));
    }
}
