//! All pages of a site as plain data: URLs, publication (drafts, scheduled pages), challenge
//! status from deadlines, relations between cases and challenges, and each page's Markdown
//! rendered to HTML. Knows nothing of templates or files on disk beyond checking that referenced
//! images exist.

use crate::config::Config;
use crate::content::{Common, DeclaredStatus, Extra, Kind, Role, Source};
use crate::date::{Date, DateTime};
use crate::diagnostics::{Diagnostic, Problem, Severity};
use crate::markdown::{self, LinkTarget, Rendered};
use crate::suggest::did_you_mean;
use crate::taxonomy::{self, Municipality, Taxonomy};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

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
}

impl Page {
    pub fn date(&self) -> Option<DateTime> {
        self.common.date
    }
    /// A hash of everything about this page that lists, cards and links show: all but the
    /// rendered body (whose hash the dev server keeps beside it), `related` and `similar`.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (self.kind, &self.slug, &self.source, &self.url).hash(&mut h);
        (&self.bundle, &self.assets, &self.common, &self.extra).hash(&mut h);
        (self.status, self.days_left, &self.summary).hash(&mut h);
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
    /// Each page's position in the listing order (see `taxonomy::listing_rank`).
    pub listing_rank: Vec<u32>,
    /// Municipality URL → index into `municipalities`.
    pub municipality_index: HashMap<String, usize>,
    /// Every content file (site-relative path) → its URL and whether it is published: what
    /// `.md` links in bodies resolve against.
    pub links: Links,
}

/// Source path → (URL, published).
pub type Links = HashMap<PathBuf, (String, bool)>;

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

    /// URL of a section list.
    pub fn section_url(&self, kind: Kind) -> String {
        format!("{}{}/", self.config.base_path, kind.folder())
    }

    pub fn taxonomy(&self, kind: taxonomy::TaxonomyKind) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.kind == kind)
    }

    /// The municipality page of a challenge or case.
    pub fn municipality_of(&self, p: &Page) -> Option<&Municipality> {
        let (name, pref) = match &p.extra {
            Extra::Challenge(c) => (&c.municipality, &c.prefecture),
            Extra::Case(c) => (&c.municipality, &c.prefecture),
            _ => return None,
        };
        let url = taxonomy::municipality_url(&self.config.base_path, pref, name);
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
/// (for previews). Bodies are rendered through `md`.
pub fn assemble(
    config: Config,
    sources: &[Arc<Source>],
    now: DateTime,
    include_drafts: bool,
    root: &Path,
    md: &dyn MarkdownSource,
    theme: &crate::theme::Theme,
) -> (Site, Vec<Diagnostic>) {
    let reserved_ids = Arc::new(theme.reserved_ids());
    let tz = config.timezone;
    let today = now.date_in(tz);
    let mut diags = Vec::new();

    // URLs and duplicates.
    let mut by_url: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut sources: Vec<&Arc<Source>> = sources.iter().collect();
    sources.sort_by(|a, b| a.entry.rel.cmp(&b.entry.rel));
    let url_of = |s: &Source| -> String {
        let base = &config.base_path;
        match s.entry.role {
            Role::Home => base.clone(),
            Role::Section(k) => format!("{base}{}/", k.folder()),
            Role::Page(Kind::Page) => format!("{base}{}/", s.entry.slug),
            Role::Page(Kind::Municipality) => match &s.extra {
                Extra::Municipality(m) => {
                    taxonomy::municipality_url(base, &m.prefecture, &m.municipality)
                }
                _ => unreachable!("municipality pages carry a profile"),
            },
            Role::Page(k) => format!("{base}{}/{}/", k.folder(), s.entry.slug),
        }
    };
    let mut urls: Vec<String> = Vec::with_capacity(sources.len());
    for s in &sources {
        let url = url_of(s);
        let reserved = match s.entry.role {
            Role::Page(Kind::Page) => RESERVED_SLUGS.contains(&s.entry.slug.as_str()),
            Role::Page(Kind::Municipality) => false,
            Role::Page(_) => RESERVED_IN_SECTION.contains(&s.entry.slug.as_str()),
            _ => false,
        };
        if reserved {
            diags.push(Diagnostic::error(
                &s.entry.rel,
                Problem::DuplicateUrl {
                    url: url.clone(),
                    other: PathBuf::from("（tsunagari が自動で作るページ）"),
                },
            ));
        } else if let Some(other) = by_url.get(&url) {
            diags.push(Diagnostic::error(
                &s.entry.rel,
                Problem::DuplicateUrl {
                    url: url.clone(),
                    other: other.clone(),
                },
            ));
        } else {
            by_url.insert(url.clone(), s.entry.rel.clone());
        }
        urls.push(url);
    }

    // Publication.
    let published: Vec<bool> = sources
        .iter()
        .map(|s| is_published(s, now, tz, include_drafts))
        .collect();
    let mut links: Links = sources
        .iter()
        .zip(urls.iter().zip(&published))
        // Keyed in NFC, like link targets: file names from macOS arrive in NFD.
        .map(|(s, (u, p))| (crate::unicode::nfc_path(&s.entry.rel), (u.clone(), *p)))
        .collect();
    // The home page and section lists exist whether or not their optional _index.md does.
    links
        .entry(PathBuf::from("content/_index.md"))
        .or_insert_with(|| (config.base_path.clone(), true));
    for k in Kind::SECTIONS {
        let url = format!("{}{}/", config.base_path, k.folder());
        links
            .entry(PathBuf::from(format!("content/{}/_index.md", k.folder())))
            .or_insert((url, true));
    }
    let challenge_slugs: HashMap<&str, bool> = sources
        .iter()
        .zip(&published)
        .filter(|(s, _)| s.entry.role == Role::Page(Kind::Challenge))
        .map(|(s, p)| (s.entry.slug.as_str(), *p))
        .collect();

    // Forms: named handlers must exist, and a site with forms needs a privacy policy page.
    let forms = &config.forms;
    for s in &sources {
        if let crate::forms::FormChoice::Named(name) = &s.common.form {
            if !forms.handlers.contains_key(name) {
                let suggestion = did_you_mean(name, forms.handlers.keys().map(String::as_str));
                let (line, col) = s.common.form_pos;
                diags.push(
                    Diagnostic::error(
                        &s.entry.rel,
                        Problem::UnknownForm {
                            name: name.clone(),
                            suggestion,
                        },
                    )
                    .at(&s.text, line, col)
                    .with_span(name.chars().count()),
                );
            }
        }
    }
    if !forms.handlers.is_empty()
        && !sources
            .iter()
            .any(|s| s.entry.role == Role::Page(Kind::Page) && s.entry.slug == "privacy")
    {
        let text = std::fs::read_to_string(root.join("site.yaml")).unwrap_or_default();
        diags.push(Diagnostic::error("site.yaml", Problem::NoPrivacyPage).at(&text, forms.line, 1));
    }

    // Front-matter checks that need the whole site or the disk.
    for (s, p) in sources.iter().zip(&published) {
        if !p {
            continue;
        }
        if let Extra::Case(c) = &s.extra {
            for slug in &c.challenges {
                let (line, col) = c.challenges_line;
                match challenge_slugs.get(slug.as_str()) {
                    Some(true) => {}
                    Some(false) => diags.push(
                        Diagnostic::error(
                            &s.entry.rel,
                            Problem::LinkToDraft {
                                target: slug.clone(),
                            },
                        )
                        .at(&s.text, line, col),
                    ),
                    None => {
                        let suggestion = did_you_mean(slug, challenge_slugs.keys().copied());
                        diags.push(
                            Diagnostic::error(
                                &s.entry.rel,
                                Problem::UnknownChallenge {
                                    slug: slug.clone(),
                                    suggestion,
                                },
                            )
                            .at(&s.text, line, col),
                        );
                    }
                }
            }
        }
        if let Some(img) = &s.common.image {
            if !image_exists(root, s, img) {
                let (line, col) = s.image_pos;
                diags.push(
                    Diagnostic::error(&s.entry.rel, Problem::MissingImage { path: img.clone() })
                        .at(&s.text, line, col)
                        .with_span(img.chars().count()),
                );
            }
        }
    }

    // Markdown, in parallel.
    let md_opts = markdown_options(&config, reserved_ids);
    let rendered: Vec<(Arc<Rendered>, Vec<Diagnostic>)> = sources
        .par_iter()
        .zip(published.par_iter())
        .map(|(s, p)| {
            if !p {
                return (Arc::default(), Vec::new());
            }
            render_body(s, &md_opts, &links, md)
        })
        .collect();

    let mut site = Site {
        strings: Arc::new(theme.strings.clone()),
        now,
        today,
        pages: Vec::new(),
        home: Index::default(),
        sections: BTreeMap::new(),
        unpublished: published.iter().filter(|p| !**p).count(),
        scheduled: sources
            .iter()
            .zip(&published)
            .filter(|(s, p)| !**p && !s.common.draft)
            .filter_map(|(s, _)| s.common.date.map(|d| d.date_in(tz)))
            .collect(),
        taxonomies: Vec::new(),
        municipalities: Vec::new(),
        listing_rank: Vec::new(),
        municipality_index: HashMap::new(),
        links: HashMap::new(),
        config,
        markdown: md_opts,
    };
    for ((s, (r, ds)), (url, p)) in sources
        .into_iter()
        .zip(rendered)
        .zip(urls.into_iter().zip(published))
    {
        diags.extend(ds);
        match s.entry.role {
            Role::Home | Role::Section(_) => {
                let idx = Index {
                    title: s.common.title.clone(),
                    summary: s.common.summary.clone(),
                    html: r.html.clone(),
                    source: Some(s.entry.rel.clone()),
                };
                match s.entry.role {
                    Role::Home => site.home = idx,
                    Role::Section(k) => {
                        site.sections.insert(k, idx);
                    }
                    Role::Page(_) => unreachable!(),
                }
                continue;
            }
            Role::Page(_) if !p => continue,
            Role::Page(kind) => {
                site.pages
                    .push(make_page(s, kind, url, r, &site.config, today, &mut diags));
            }
        }
    }
    site.links = links;
    for k in Kind::SECTIONS.into_iter().chain([Kind::Municipality]) {
        site.sections.entry(k).or_default();
    }
    for (k, idx) in site.sections.iter_mut() {
        if idx.title.is_empty() {
            idx.title = k.section_title(&site.strings).into();
        }
    }
    if site.home.title.is_empty() {
        site.home.title = site.config.title.clone();
    }

    // Newest first within each kind; plain pages by weight then title.
    site.pages.sort_by(|a, b| {
        a.kind.cmp(&b.kind).then_with(|| {
            if a.kind == Kind::Page {
                let wa = if let Extra::Page { weight, .. } = a.extra {
                    weight
                } else {
                    0
                };
                let wb = if let Extra::Page { weight, .. } = b.extra {
                    weight
                } else {
                    0
                };
                wa.cmp(&wb).then_with(|| a.slug.cmp(&b.slug))
            } else {
                let da = a.date().map(|d| d.unix(tz));
                let db = b.date().map(|d| d.unix(tz));
                db.cmp(&da).then_with(|| a.slug.cmp(&b.slug))
            }
        })
    });

    // Relations: cases name challenges; challenges list their cases.
    let index_of: HashMap<(Kind, String), usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.kind, p.slug.clone()), i))
        .collect();
    let mut reverse: Vec<(usize, usize)> = Vec::new();
    for (i, p) in site.pages.iter_mut().enumerate() {
        if let Extra::Case(c) = &p.extra {
            for slug in &c.challenges {
                if let Some(&j) = index_of.get(&(Kind::Challenge, slug.clone())) {
                    p.related.push(j);
                    reverse.push((j, i));
                }
            }
        }
    }
    for (ch, case) in reverse {
        site.pages[ch].related.push(case);
    }

    // Browsing structures, computed once from the final page list.
    site.listing_rank = taxonomy::listing_rank(&site);
    site.taxonomies = taxonomy::build_taxonomies(&site, &site.config.taxonomies);
    site.municipalities = taxonomy::build_municipalities(&site);
    site.municipality_index = site
        .municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| (m.url.clone(), i))
        .collect();
    let similar = taxonomy::similar(&site, 4);
    for (p, similar) in site.pages.iter_mut().zip(similar) {
        p.similar = similar;
    }
    (site, diags)
}

/// Whether a source is published on the build date: not a draft and not dated in the future,
/// unless drafts are included (previews).
pub fn is_published(s: &Source, now: DateTime, tz: i32, include_drafts: bool) -> bool {
    include_drafts || (!s.common.draft && s.common.date.is_none_or(|d| d.unix(tz) <= now.unix(tz)))
}

/// Markdown options of a site whose theme uses `reserved_ids`.
pub fn markdown_options(
    config: &Config,
    reserved_ids: Arc<markdown::ReservedIds>,
) -> markdown::Options {
    markdown::Options {
        allow_html: config.markdown.allow_html,
        allow_iframes: config.markdown.allow_iframes.clone(),
        reserved_ids,
    }
}

/// Renders one source's body through `md`, resolving `.md` links against `links`; problems in
/// the body come back with their line and column in the file.
pub fn render_body(
    s: &Arc<Source>,
    opts: &markdown::Options,
    links: &Links,
    md: &dyn MarkdownSource,
) -> (Arc<Rendered>, Vec<Diagnostic>) {
    let from_dir = s.entry.rel.parent().unwrap_or(Path::new(""));
    let resolve = |target: &str| resolve_link(links, from_dir, target);
    let r = md.render(s, opts, &resolve);
    let ds = r
        .found
        .iter()
        .map(|f| {
            let (line, col) = line_col(&s.text, s.body_offset + f.offset);
            let span = s.text[s.body_offset + f.offset..]
                .lines()
                .next()
                .map_or(1, |l| {
                    let end = (f.len).min(l.len());
                    l.get(..end).map_or(1, |x| x.chars().count())
                });
            let d = match f.severity {
                Severity::Error => Diagnostic::error(&s.entry.rel, f.problem.clone()),
                Severity::Warning => Diagnostic::warning(&s.entry.rel, f.problem.clone()),
            };
            d.at(&s.text, line, col).with_span(span)
        })
        .collect();
    (r, ds)
}

/// One published page from its source and rendered body; `related` and `similar` are left
/// empty for [`assemble`] to fill.
pub fn make_page(
    s: &Source,
    kind: Kind,
    url: String,
    body: Arc<Rendered>,
    config: &Config,
    today: Date,
    diags: &mut Vec<Diagnostic>,
) -> Page {
    let (status, days_left) = challenge_status(s, config, today, diags);
    let summary = s.common.summary.clone().unwrap_or_else(|| {
        excerpt(
            if body.lead.trim().is_empty() {
                &body.text
            } else {
                &body.lead
            },
            120,
        )
    });
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
    }
}

fn challenge_status(
    s: &Source,
    config: &Config,
    today: Date,
    diags: &mut Vec<Diagnostic>,
) -> (Option<Status>, Option<i64>) {
    let Extra::Challenge(c) = &s.extra else {
        return (None, None);
    };
    let deadline = c.deadline.map(|d| d.date_in(config.timezone));
    let days_left = deadline.map(|d| d.days_since_epoch() - today.days_since_epoch());
    let by_deadline = match days_left {
        Some(n) if n < 0 => Status::Closed,
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

/// Resolves a relative `.md` link written in `from_dir` (relative to the site root).
fn resolve_link(links: &Links, from_dir: &Path, target: &str) -> LinkTarget {
    let Some(path) = normalise(&crate::unicode::nfc_path(&from_dir.join(target))) else {
        return LinkTarget::Missing;
    };
    let candidates = [path.clone(), path.with_extension("").join("index.md")];
    for c in candidates {
        if let Some((url, published)) = links.get(&c) {
            return if *published {
                LinkTarget::Url(url.clone())
            } else {
                LinkTarget::Draft
            };
        }
    }
    LinkTarget::Missing
}

/// Resolves `.` and `..` without touching the disk; None if the path climbs above its root.
pub fn normalise(p: &Path) -> Option<PathBuf> {
    let mut out: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(PathBuf::from(out.join("/")))
}

fn image_exists(root: &Path, s: &Source, img: &str) -> bool {
    let lower = img.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return true;
    }
    if markdown::is_dangerous_url(img) {
        return false;
    }
    if let Some(abs) = img.strip_prefix('/') {
        return normalise(Path::new(abs)).is_some_and(|p| root.join("static").join(p).is_file());
    }
    match &s.entry.bundle {
        Some(b) => normalise(Path::new(img)).is_some_and(|p| {
            // Asset names are as on disk (NFD from macOS); `img` is NFC.
            s.entry
                .assets
                .iter()
                .any(|a| crate::unicode::nfc_path(a) == p)
                || root.join(b).join(&p).is_file()
        }),
        None => normalise(Path::new(img)).is_some_and(|p| root.join("static").join(p).is_file()),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The first `max` characters of text (whitespace runs collapsed to one space), cut at a
/// sentence end when one is near. Reads only as far as it needs.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut flat = String::with_capacity(max * 3 + 8);
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
    if count <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    match cut.rfind('。') {
        Some(i) if cut[..i].chars().count() > max / 2 => cut[..i + '。'.len_utf8()].to_string(),
        _ => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_relative_paths() {
        assert_eq!(
            normalise(Path::new("content/challenges/../cases/a.md")),
            Some(PathBuf::from("content/cases/a.md"))
        );
        assert_eq!(normalise(Path::new("../../etc/passwd")), None);
        assert_eq!(normalise(Path::new("/etc/passwd")), None);
    }

    #[test]
    fn line_and_column() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("日本\n語", "日本\n語".len()), (2, 2));
    }

    #[test]
    fn excerpts_cut_at_sentences() {
        let t = "あ".repeat(70) + "。" + &"い".repeat(100);
        assert_eq!(excerpt(&t, 120), "あ".repeat(70) + "。");
        assert_eq!(excerpt("短い文", 120), "短い文");
        assert!(excerpt(&"う".repeat(200), 120).ends_with('…'));
    }
}
