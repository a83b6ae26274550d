//! Finds content files, splits and parses their front matter, and checks it against the schema
//! of each content kind. Owns the content model; knows nothing of URLs, HTML or templates.
//!
//! Layout (relative to `content/`):
//! - `_index.md` — home page title and intro
//! - `challenges/`, `cases/`, `columns/` — the three kinds; `<section>/_index.md` is the
//!   section's title and intro; `<section>/<slug>.md` or `<section>/<slug>/index.md` (a bundle,
//!   with its images beside it) is one page. Sub-folders only organise; the slug is the file or
//!   bundle folder name.
//! - `<slug>.md` or `<slug>/index.md` at the top — plain pages (about, privacy, …)

use crate::date::DateTime;
use crate::diagnostics::{display_path, Diagnostic, Problem, TextProblem};
use crate::fields::Fields;
use crate::strings::Strings;
use crate::suggest::did_you_mean;
use crate::unicode;
use crate::yaml;
use checks::{check_challenge_dates, check_path_lengths, check_term_lengths, strip_body_controls};
pub use checks::{
    deadline_far_ahead, read_limited, MAX_FILE_BYTES, MAX_OUTPUT_PATH, MAX_PATH_COMPONENT,
};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod checks;
mod place;
pub mod schema;
mod terms;
use place::{own_name, read_prefecture};
pub use terms::{term_slug, TaxonomyKind};

/// The content kinds that have their own folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Challenge,
    Case,
    Column,
    /// A plain page at the top of content/ (about, privacy policy, …).
    Page,
    /// A municipality profile (`content/municipalities/<slug>.md`).
    Municipality,
}

impl Kind {
    pub const SECTIONS: [Kind; 3] = [Kind::Challenge, Kind::Case, Kind::Column];

    /// The folder (and URL segment) of a section kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Challenge => "challenges",
            Kind::Case => "cases",
            Kind::Column => "columns",
            Kind::Page => "",
            Kind::Municipality => "municipalities",
        }
    }

    /// The kind whose pages live in folder `name` of content/.
    pub fn from_folder(name: &str) -> Option<Kind> {
        Kind::SECTIONS
            .into_iter()
            .chain([Kind::Municipality])
            .find(|k| k.folder() == name)
    }

    /// Short name shown to visitors (`strings.yaml`: `kind_*`).
    pub fn label(self, s: &Strings) -> &str {
        match self {
            Kind::Challenge => &s.kind_challenge,
            Kind::Case => &s.kind_case,
            Kind::Column => &s.kind_column,
            Kind::Page => &s.kind_page,
            Kind::Municipality => &s.kind_municipality,
        }
    }

    /// The section's title when its `_index.md` gives none (`section_*`).
    pub fn section_title(self, s: &Strings) -> &str {
        match self {
            Kind::Challenge => &s.section_challenges,
            Kind::Case => &s.section_cases,
            Kind::Column => &s.section_columns,
            Kind::Municipality => &s.section_municipalities,
            Kind::Page => "",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Kind::Challenge => "challenge",
            Kind::Case => "case",
            Kind::Column => "column",
            Kind::Page => "page",
            Kind::Municipality => "municipality",
        }
    }
}

impl crate::urls::Folder for Kind {
    fn folder(self) -> &'static str {
        Kind::folder(self)
    }
}

/// What a content file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Home,
    Section(Kind),
    Page(Kind),
}

/// A content file found on disk, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the site root (`content/challenges/foo.md`), `/`-separated.
    pub rel: PathBuf,
    pub role: Role,
    pub slug: String,
    /// The bundle folder, relative to the site root, when the page is `<slug>/index.md`.
    pub bundle: Option<PathBuf>,
    /// Files of the bundle, relative to the bundle folder.
    pub assets: Vec<PathBuf>,
}

#[derive(Debug, Clone, Hash, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkStyle {
    Remote,
    Onsite,
    Hybrid,
}

impl WorkStyle {
    pub const ALIASES: [(&'static str, &'static str); 6] = [
        ("remote", "remote"),
        ("onsite", "onsite"),
        ("hybrid", "hybrid"),
        ("リモート", "remote"),
        ("現地", "onsite"),
        ("ハイブリッド", "hybrid"),
    ];
    fn from_canonical(s: &str) -> WorkStyle {
        match s {
            "remote" => WorkStyle::Remote,
            "onsite" => WorkStyle::Onsite,
            _ => WorkStyle::Hybrid,
        }
    }
    /// The name shown to visitors (`work_style_*`).
    pub fn label(self, s: &Strings) -> &str {
        match self {
            WorkStyle::Remote => &s.work_style_remote,
            WorkStyle::Onsite => &s.work_style_onsite,
            WorkStyle::Hybrid => &s.work_style_hybrid,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            WorkStyle::Remote => "remote",
            WorkStyle::Onsite => "onsite",
            WorkStyle::Hybrid => "hybrid",
        }
    }
}

/// A status written in front matter (`status:`); when absent, the deadline decides.
#[derive(Debug, Clone, Hash, Copy, PartialEq, Eq)]
pub enum DeclaredStatus {
    Open,
    Closed,
}

impl DeclaredStatus {
    pub const ALIASES: [(&'static str, &'static str); 4] = [
        ("open", "open"),
        ("closed", "closed"),
        ("募集中", "open"),
        ("募集終了", "closed"),
    ];
}

/// Fields shared by every kind.
#[derive(Debug, Clone, Hash, Default)]
pub struct Common {
    pub title: String,
    pub summary: Option<String>,
    pub date: Option<DateTime>,
    pub updated: Option<DateTime>,
    pub draft: bool,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub tags: Vec<String>,
    /// `form:` — which contact/apply form the page shows (challenges and plain pages).
    pub form: crate::forms::FormChoice,
    pub form_pos: (usize, usize),
}

#[derive(Debug, Clone, Hash)]
pub struct Challenge {
    pub municipality: String,
    pub prefecture: String,
    pub organization: Option<String>,
    pub themes: Vec<String>,
    pub work_style: Option<WorkStyle>,
    pub engagement: Vec<String>,
    pub reward: Option<String>,
    pub duration: Option<String>,
    pub visits: Option<String>,
    pub capacity: Option<String>,
    pub deadline: Option<DateTime>,
    pub status: Option<DeclaredStatus>,
    pub skills: Vec<String>,
}

#[derive(Debug, Clone, Hash)]
pub struct Case {
    pub municipality: String,
    pub prefecture: String,
    pub themes: Vec<String>,
    /// Slugs of the challenges this case grew from, with the line they are named on.
    pub challenges: Vec<String>,
    pub challenges_line: (usize, usize),
}

#[derive(Debug, Clone, Hash)]
pub struct Column {
    pub author: Option<String>,
}

#[derive(Debug, Clone, Hash)]
pub enum Extra {
    Challenge(Challenge),
    Case(Case),
    Column(Column),
    /// A plain page; `layout` picks another template (`accessibility` → accessibility.html).
    Page {
        weight: i64,
        layout: Option<String>,
    },
    Municipality(Profile),
    /// `_index.md` of the home page or a section.
    Index,
}

/// A municipality's profile: who to contact and where its official site is.
#[derive(Debug, Clone, Hash)]
pub struct Profile {
    pub municipality: String,
    pub prefecture: String,
    pub website: Option<String>,
    pub contact: Option<String>,
}

/// A content file read and checked.
#[derive(Debug, Clone)]
pub struct Source {
    pub entry: Entry,
    /// Whole file text (BOM removed).
    pub text: String,
    pub body_offset: usize,
    pub body_line: usize,
    pub common: Common,
    pub extra: Extra,
    /// Line/column of the `image:` value, for reporting a missing file.
    pub image_pos: (usize, usize),
}

impl Source {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// Frees the body once it is rendered (`site::assemble`): the front matter stays, for the
    /// problems placed in it later; `body()` is empty from then on.
    pub fn drop_body(&mut self) {
        self.text.truncate(self.body_offset);
        self.text.shrink_to_fit();
    }
}

/// Finds every content file under `root/content`, sorted, and reports files that have no place.
/// Nothing inside `fence` (the build's output folder, `.git`) is read.
pub fn discover(root: &Path, fence: &crate::walk::Fence) -> (Vec<Entry>, Vec<Diagnostic>) {
    let (files, mut diags) = content_files(root, fence);
    let bundles = bundles_of(&files);
    let mut entries: Vec<Entry> = Vec::new();
    let rel_of = |f: &Path| display_path(&Path::new("content").join(f));
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let is_md = markdown_stem(name).is_some();
        let comps: Vec<&str> = f.iter().filter_map(|c| c.to_str()).collect();
        // Asset of a bundle?
        if let Some(b) = f.ancestors().skip(1).find(|a| bundles.contains(*a)) {
            if !is_index(name) || f.parent() != Some(b) {
                if is_md {
                    diags.push(Diagnostic::warning(rel_of(f), Problem::StrayFile));
                }
                continue; // collected below with its bundle
            }
        }
        if !is_md {
            diags.push(Diagnostic::warning(rel_of(f), Problem::StrayFile));
            continue;
        }
        let role_slug = role_of(f, name, &comps);
        let Some((role, slug, bundle)) = role_slug else {
            let folder = comps[0].to_string();
            let suggestion = did_you_mean(&folder, Kind::SECTIONS.iter().map(|k| k.folder()));
            diags.push(Diagnostic::error(
                rel_of(f),
                Problem::UnknownSection { folder, suggestion },
            ));
            continue;
        };
        if !slug.is_empty() && !valid_slug(&slug) {
            // The name to change: the file's, or the bundle folder's.
            let named = if bundle.is_some() { &slug } else { name };
            let rename = crate::walk::rename(named, |c| matches!(c, '-' | '_' | '.' | 'ー'));
            diags.push(Diagnostic::error(
                rel_of(f),
                Problem::InvalidSlug {
                    slug: slug.clone(),
                    rename,
                },
            ));
            continue;
        }
        let assets = match &bundle {
            Some(b) => bundle_assets(&files, &bundles, b),
            None => Vec::new(),
        };
        entries.push(Entry {
            rel: rel_of(f),
            role,
            slug,
            bundle: bundle.map(|b| display_path(&Path::new("content").join(b))),
            assets,
        });
    }
    (entries, diags)
}

/// The name of a Markdown file without its extension: `.md` or `.markdown`, in any case
/// (`課題.MD` from a Windows editor is content too).
fn markdown_stem(name: &str) -> Option<&str> {
    [".md", ".markdown"].iter().find_map(|ext| {
        let cut = name.len().checked_sub(ext.len())?;
        let (stem, end) = (name.get(..cut)?, name.get(cut..)?);
        (end.eq_ignore_ascii_case(ext) && !stem.is_empty()).then_some(stem)
    })
}

/// `index.md` of a bundle (`INDEX.MD`, `index.markdown` too).
fn is_index(name: &str) -> bool {
    markdown_stem(name).is_some_and(|s| s.eq_ignore_ascii_case("index"))
}

fn is_markdown(f: &Path) -> bool {
    f.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| markdown_stem(n).is_some())
}

/// Folders (below the top) that hold an index.md: page bundles.
fn bundles_of(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    files
        .iter()
        .filter(|f| f.file_name().and_then(|n| n.to_str()).is_some_and(is_index))
        .filter_map(|f| {
            f.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map(Path::to_path_buf)
        })
        .collect()
}

/// The role, slug and bundle folder of the Markdown file `f` (named `name`, with path
/// components `comps`), or None when it has no place.
fn role_of(f: &Path, name: &str, comps: &[&str]) -> Option<(Role, String, Option<PathBuf>)> {
    let stem = markdown_stem(name).unwrap_or(name);
    let top_kind = Kind::from_folder(comps[0]);
    match (comps.len(), stem.to_ascii_lowercase().as_str()) {
        (1, "_index") | (1, "index") => Some((Role::Home, String::new(), None)),
        (1, _) => Some((Role::Page(Kind::Page), stem.to_string(), None)),
        (2, "_index") if top_kind.is_some() => {
            Some((Role::Section(top_kind.unwrap()), String::new(), None))
        }
        (2, "index") if top_kind.is_none() => Some((
            Role::Page(Kind::Page),
            comps[0].to_string(),
            Some(f.parent().unwrap().to_path_buf()),
        )),
        (_, "_index") => None,
        (_, "index") if top_kind.is_some() => {
            let dir = f.parent().unwrap();
            Some((
                Role::Page(top_kind.unwrap()),
                comps[comps.len() - 2].to_string(),
                Some(dir.to_path_buf()),
            ))
        }
        _ if top_kind.is_some() => Some((Role::Page(top_kind.unwrap()), stem.to_string(), None)),
        _ => None,
    }
}

/// The files of bundle `b` other than its index.md (relative to `b`), leaving out Markdown
/// files and the files of a bundle nested inside it.
fn bundle_assets(files: &[PathBuf], bundles: &BTreeSet<PathBuf>, b: &Path) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|x| {
            x.starts_with(b)
                && (x.parent() != Some(b)
                    || x.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| !is_index(n)))
        })
        .filter(|x| {
            // Files of a nested bundle belong to that bundle.
            x.ancestors()
                .skip(1)
                .find(|a| bundles.contains(*a))
                .is_some_and(|a| a == b)
        })
        .filter(|x| !is_markdown(x))
        .map(|x| x.strip_prefix(b).unwrap().to_path_buf())
        .collect()
}

/// Every usable file under `content/` (relative to it), sorted; each entry that cannot be used
/// (unreadable, a link leaving the site, a FIFO…) is an error naming it, since leaving a page
/// out without a word would lose the staff's work.
fn content_files(root: &Path, fence: &crate::walk::Fence) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let skip = |rel: &Path| {
        rel.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_ignored)
    };
    // Markdown files are read (and reported) by `load`; bundle assets only when copied.
    let probe = |rel: &Path| !is_markdown(rel);
    let walked = crate::walk::walk(
        root,
        &root.join("content"),
        &crate::walk::Rules {
            skip: &skip,
            probe: &probe,
            fence,
        },
    );
    let diags = walked
        .issues
        .into_iter()
        .map(|(rel, issue)| {
            Diagnostic::error(
                display_path(&Path::new("content").join(rel)),
                Problem::Entry { issue },
            )
        })
        .collect();
    (walked.files, diags)
}

/// Editor backups, hidden files and OS litter are never content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name == "Thumbs.db"
}

/// Slugs become URL path segments: letters (any script), digits, `-`, `_`, `.`. Judged in NFC,
/// the form they are published in (a file name from macOS spells `が` as `か` + U+3099).
pub fn valid_slug(s: &str) -> bool {
    let s = &*unicode::nfc(s);
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | 'ー'))
}

/// Reads and checks every entry in parallel. Files that cannot be read at all are left out;
/// every problem is in the returned diagnostics.
pub fn load(root: &Path, entries: Vec<Entry>) -> (Vec<Source>, Vec<Diagnostic>) {
    let results: Vec<(Option<Source>, Vec<Diagnostic>)> =
        entries.into_par_iter().map(|e| load_one(root, e)).collect();
    let mut sources = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for (s, d) in results {
        sources.extend(s);
        diags.extend(d);
    }
    (sources, diags)
}

/// Reads and parses one content file.
pub fn load_one(root: &Path, entry: Entry) -> (Option<Source>, Vec<Diagnostic>) {
    let bytes = match read_limited(&root.join(&entry.rel), MAX_FILE_BYTES) {
        Ok(Some(b)) => b,
        Ok(None) => {
            let d = Diagnostic::error(
                &entry.rel,
                Problem::Text(TextProblem::FileTooLarge {
                    limit_mib: MAX_FILE_BYTES >> 20,
                }),
            );
            return (None, vec![d]);
        }
        Err(err) => {
            let d = Diagnostic::error(
                &entry.rel,
                Problem::Unreadable {
                    detail: err.to_string(),
                },
            );
            return (None, vec![d]);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            return (
                None,
                vec![Diagnostic::error(&entry.rel, Problem::NotUtf8).at(&lossy, line, column)],
            );
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    parse_source(entry, text)
}

/// Parses one file's text. Public for tests and for the dev server.
///
/// Text is normalised here, once, before anything reads it: the whole file to NFC (see
/// [`crate::unicode::nfc`]), the slug too (macOS writes file names in NFD), and control
/// characters are taken out of the body with a warning (front matter refuses them).
pub fn parse_source(mut entry: Entry, text: String) -> (Option<Source>, Vec<Diagnostic>) {
    entry.slug = unicode::nfc_string(entry.slug);
    let (text, removed) = strip_body_controls(unicode::as_read(text));
    let rel = entry.rel.clone();
    let (source, mut diags) = parse_text(entry, text);
    if let (Some(s), Some((offset, c, more))) = (&source, removed) {
        let (line, column) = crate::unicode::line_col(&s.text, offset);
        let problem = Problem::Text(TextProblem::ControlCharacterRemoved {
            code_point: unicode::code_point(c),
            more,
        });
        diags.push(Diagnostic::warning(&rel, problem).at(&s.text, line, column));
    }
    if let Some(s) = &source {
        check_path_lengths(s, &mut diags);
    }
    (source, diags)
}

/// Splits, parses and checks one (normalised) file.
fn parse_text(entry: Entry, text: String) -> (Option<Source>, Vec<Diagnostic>) {
    let path = entry.rel.clone();
    let split = match yaml::split_front_matter(&text) {
        Ok(s) => s,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::error(&path, e.problem)
                    .at(&text, e.line, e.column)
                    .with_span(3)],
            )
        }
    };
    let doc = match yaml::parse_mapping(split.front, split.front_line) {
        Ok(d) => d,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::error(&path, e.problem).at(&text, e.line, e.column)],
            )
        }
    };
    let (body_offset, body_line) = (split.body_offset, split.body_line);
    let mut f = Fields::new(&doc, &text, &path, 1);
    let role = entry.role;
    let title = if schema::required(role, "title") {
        f.req_text("title")
    } else {
        f.text("title")
    }
    .unwrap_or_default();
    let mut common = Common {
        title,
        ..Common::default()
    };
    common.summary = f.text("summary");
    common.date = if schema::required(role, "date") {
        f.req_date("date")
    } else {
        f.date("date")
    };
    let extra = match role {
        Role::Home | Role::Section(_) => Extra::Index,
        Role::Page(Kind::Challenge) => read_challenge(&mut f, &mut common),
        Role::Page(Kind::Case) => read_case(&mut f),
        Role::Page(Kind::Column) => Extra::Column(Column {
            author: f.text("author"),
        }),
        Role::Page(Kind::Page) => read_page(&mut f, &mut common),
        Role::Page(Kind::Municipality) => read_profile(&mut f, &mut common),
    };
    common.updated = f.date("updated");
    common.draft = f.boolean("draft");
    common.image = f.url("image", crate::urls::Use::Image);
    common.image_alt = f.text_or_empty("image_alt");
    common.tags = f.list("tags");
    check_term_lengths(&mut f, "tags", &common.tags);
    if let Extra::Challenge(c) = &extra {
        check_challenge_dates(&mut f, c, &common);
    }
    let ip = f.pos("image");
    let diags = f.finish(&schema::keys(role));
    let source = Source {
        entry,
        text,
        body_offset,
        body_line,
        common,
        extra,
        image_pos: (ip.line, ip.value_col),
    };
    (Some(source), diags)
}

fn read_challenge(f: &mut Fields<'_>, common: &mut Common) -> Extra {
    let municipality = f.req_text("municipality").unwrap_or_default();
    check_term_lengths(f, "municipality", std::slice::from_ref(&municipality));
    let prefecture = read_prefecture(f);
    let municipality = own_name(f, municipality, &prefecture);
    let organization = f.text("organization");
    let themes = f.list("themes");
    let work_style = f
        .choice("work_style", &WorkStyle::ALIASES)
        .map(WorkStyle::from_canonical);
    let engagement = f.list("engagement");
    let reward = f.text("reward");
    let duration = f.text("duration");
    let visits = f.text("visits");
    let capacity = f.text("capacity");
    let deadline = f.date("deadline");
    let status = f.choice("status", &DeclaredStatus::ALIASES).map(|s| {
        if s == "open" {
            DeclaredStatus::Open
        } else {
            DeclaredStatus::Closed
        }
    });
    let skills = f.list("skills");
    for (key, values) in [
        ("themes", &themes),
        ("engagement", &engagement),
        ("skills", &skills),
    ] {
        check_term_lengths(f, key, values);
    }
    (common.form, common.form_pos) = crate::forms::read_choice(f);
    Extra::Challenge(Challenge {
        municipality,
        prefecture,
        organization,
        themes,
        work_style,
        engagement,
        reward,
        duration,
        visits,
        capacity,
        deadline,
        status,
        skills,
    })
}

fn read_case(f: &mut Fields<'_>) -> Extra {
    let municipality = f.req_text("municipality").unwrap_or_default();
    check_term_lengths(f, "municipality", std::slice::from_ref(&municipality));
    let prefecture = read_prefecture(f);
    let municipality = own_name(f, municipality, &prefecture);
    let themes = f.list("themes");
    check_term_lengths(f, "themes", &themes);
    let challenges = f.list("challenges");
    let p = f.pos("challenges");
    Extra::Case(Case {
        municipality,
        prefecture,
        themes,
        challenges,
        challenges_line: (p.line, p.value_col),
    })
}

fn read_page(f: &mut Fields<'_>, common: &mut Common) -> Extra {
    (common.form, common.form_pos) = crate::forms::read_choice(f);
    let weight = f.integer("weight").unwrap_or(0);
    let layout = f.text("layout");
    if let Some(l) = &layout {
        if !l
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            f.problem_at(
                "layout",
                Problem::InvalidChoice {
                    field: "layout".into(),
                    value: l.clone(),
                    allowed: vec!["accessibility".into()],
                    suggestion: None,
                },
            );
        }
    }
    Extra::Page { weight, layout }
}

fn read_profile(f: &mut Fields<'_>, common: &mut Common) -> Extra {
    let municipality = f.req_text("municipality").unwrap_or_default();
    check_term_lengths(f, "municipality", std::slice::from_ref(&municipality));
    let prefecture = read_prefecture(f);
    let municipality = own_name(f, municipality, &prefecture);
    let website = f.url("website", crate::urls::Use::Website);
    let contact = f.text("contact");
    if common.title.is_empty() {
        common.title = municipality.clone();
    }
    Extra::Municipality(Profile {
        municipality,
        prefecture,
        website,
        contact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_close_an_unclosed_front_matter() {
        // `---\u{4}` is not a fence; taking the character out must not make it one (found by
        // the fuzzer): the file stays unclosed, and says so.
        let (source, diags) = parse_source(
            entry("content/columns/a.md", Role::Page(Kind::Column)),
            "---\ntitle: a\ndate: 2026-01-01\n---\u{4}".into(),
        );
        assert!(source.is_none());
        assert!(
            diags
                .iter()
                .any(|d| d.problem == Problem::UnclosedFrontMatter),
            "{diags:?}"
        );
    }

    fn entry(rel: &str, role: Role) -> Entry {
        Entry {
            rel: rel.into(),
            role,
            slug: "x".into(),
            bundle: None,
            assets: vec![],
        }
    }

    fn parse(role: Role, text: &str) -> (Option<Source>, Vec<Diagnostic>) {
        parse_source(entry("content/challenges/x.md", role), text.to_string())
    }

    #[test]
    fn reads_a_complete_challenge() {
        let (s, d) = parse(
            Role::Page(Kind::Challenge),
            "---\ntitle: 観光の担い手\nmunicipality: 佐渡市\nprefecture: 新潟県\ndate: 2026-04-01\nwork_style: リモート\nengagement: [副業, プロボノ]\ncapacity: 3\ndeadline: 2026-06-30\n---\n本文\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let s = s.unwrap();
        let Extra::Challenge(c) = &s.extra else {
            panic!()
        };
        assert_eq!(c.work_style, Some(WorkStyle::Remote));
        assert_eq!(c.engagement, vec!["副業", "プロボノ"]);
        assert_eq!(c.capacity.as_deref(), Some("3"));
        assert_eq!(s.body(), "本文\n");
        assert_eq!(s.body_line, 11);
    }

    /// A rendered body is dropped (`site::assemble`); the front matter stays, for the problems
    /// placed in it later.
    #[test]
    fn dropping_the_body_keeps_the_front_matter() {
        let text = "---\ntitle: 見出し\n---\n本文は長い。\n";
        let (s, _) = parse(Role::Page(Kind::Page), text);
        let mut s = s.unwrap();
        s.drop_body();
        assert_eq!(s.body(), "");
        assert_eq!(s.text, "---\ntitle: 見出し\n---\n");
        assert_eq!(s.common.title, "見出し");
    }

    #[test]
    fn reports_every_problem_of_a_file_with_lines() {
        let (_, d) = parse(
            Role::Page(Kind::Challenge),
            "---\ntitle: t\nprefecture: 東京府\ndate: 2026-13-45\nwork_style: remort\ndedline: 2026-01-01\n---\n",
        );
        let got: Vec<(usize, &Problem)> = d.iter().map(|d| (d.line, &d.problem)).collect();
        assert!(
            got.iter().any(|(l, p)| *l == 1
                && matches!(p, Problem::MissingField { field } if field == "municipality")),
            "{got:?}"
        );
        assert!(got.iter().any(|(l, p)| *l == 3 && matches!(p, Problem::InvalidPrefecture { suggestion: Some(s), .. } if s == "東京都")));
        assert!(got
            .iter()
            .any(|(l, p)| *l == 4 && matches!(p, Problem::InvalidDate { .. })));
        assert!(got.iter().any(|(l, p)| *l == 5
            && matches!(p, Problem::InvalidChoice { suggestion: Some(s), .. } if s == "remote")));
        assert!(got.iter().any(|(l, p)| *l == 6
            && matches!(p, Problem::UnknownField { suggestion: Some(s), .. } if s == "deadline")));
    }

    #[test]
    fn windows_line_endings() {
        let text = "---\r\ntitle: コラム\r\ndate: 2026-01-01\r\ndedline: x\r\n---\r\n本文\r\n";
        let (s, d) = parse(Role::Page(Kind::Column), text);
        assert_eq!(s.unwrap().common.title, "コラム");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, 4);
        assert_eq!(
            d[0].source_line.as_deref(),
            Some("dedline: x"),
            "no stray carriage return in the quoted line"
        );
    }

    #[test]
    fn wrong_types_are_reported() {
        let (_, d) = parse(
            Role::Page(Kind::Column),
            "---\ntitle: [a, b]\ndate: 2026-01-01\ndraft: maybe\n---\n",
        );
        assert!(
            d.iter()
                .any(|d| d.line == 2 && matches!(d.problem, Problem::WrongType { .. })),
            "{d:?}"
        );
        assert!(
            d.iter()
                .any(|d| d.line == 4 && matches!(d.problem, Problem::WrongType { .. })),
            "{d:?}"
        );
    }

    #[test]
    fn slugs() {
        assert!(valid_slug("sado-tourism_2026"));
        assert!(valid_slug("佐渡の観光"));
        assert!(!valid_slug("my page"));
        assert!(!valid_slug("a?b"));
        assert!(!valid_slug(".hidden"));
        assert!(valid_slug("か\u{3099}っこう"), "NFD from macOS");
    }
}
