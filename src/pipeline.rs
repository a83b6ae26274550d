//! One build, start to end: load → parse → validate → render → write. Each stage hands plain
//! data to the next; diagnostics from every stage are gathered and reported together, and
//! nothing is written unless the whole build succeeded.

use crate::config::Config;
use crate::content;
use crate::date::DateTime;
use crate::diagnostics::{self, Diagnostic};
use crate::feeds;
use crate::messages::Text;
use crate::output::{self, Discard, Sink, Staging};
use crate::render::Renderer;
use crate::site::{self, Site};
use crate::theme::Theme;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod files;
mod images;
mod links;
pub use files::{emit_files, is_editor_page};
pub use links::Outputs;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `root/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Publish drafts and future-dated pages (previews).
    pub drafts: bool,
    /// The build date: decides deadlines and scheduled pages.
    pub now: DateTime,
    /// False for `check`: everything but writing.
    pub write: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Report {
    pub output: PathBuf,
    pub pages: usize,
    /// Files of the output (written + unchanged).
    pub files: usize,
    /// Files written (new or changed bytes); the others were left untouched.
    pub written: usize,
    /// Files the output folder already held with the same bytes: not touched.
    pub unchanged: usize,
    /// Files of the previous output this build no longer produces: removed.
    pub removed: usize,
    /// Bytes of the generated files written (copies not counted).
    pub written_bytes: u64,
    /// Rasters processed and files encoded by the image pipeline (0 encoded: all cached).
    pub images: crate::images::Stats,
    pub unpublished: usize,
    pub open_challenges: usize,
    /// The next date on which a challenge's status changes or a scheduled page goes live.
    pub next_change: Option<crate::date::Date>,
    pub timings: Vec<(&'static str, Duration)>,
    /// Phases of the search index build, which runs alongside rendering.
    pub search_phases: Vec<(&'static str, Duration)>,
    pub warnings: Vec<Diagnostic>,
}

/// Why a build failed. Content problems are the staff's to fix (exit 1); the rest are usage or
/// I/O problems (exit 2), a catalogue text printed in the language of whoever prints it.
#[derive(Debug)]
pub enum Failure {
    Content(Vec<Diagnostic>),
    Usage(Text),
    Io(Text),
}

/// A site loaded and checked, ready to render.
pub struct Prepared {
    pub site: Site,
    pub theme: Theme,
    /// The files of the site's `static/` folder (relative to it) that will be copied.
    pub static_files: Vec<PathBuf>,
    /// Every output path the build writes (what body links to generated outputs must name).
    pub outputs: Outputs,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    /// Phases of the search index build (tokenize, group, impacts, write).
    pub search_phases: Vec<(&'static str, Duration)>,
}

/// Whether `root` is a site folder: it exists and holds `site.yaml` and `content/`. `build`,
/// `check` and `serve` ask first, so outside a site each says what is missing (and that
/// `tsunagari init` makes a site) before doing anything else.
pub fn site_folder(root: &Path) -> Result<(), Failure> {
    let dir = root.display();
    if !root.is_dir() {
        let text = Text::new("fail-site-folder-missing").arg("dir", dir);
        return Err(Failure::Usage(text));
    }
    // Named in full: `.` would not tell staff which folder they are in.
    let full = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let dir = full.display();
    let text = match (
        root.join("site.yaml").is_file(),
        root.join("content").is_dir(),
    ) {
        (true, true) => return Ok(()),
        (false, false) => Text::new("fail-not-a-site").arg("dir", dir),
        (false, true) => Text::new("fail-no-site-yaml").arg("dir", dir),
        (true, false) => Text::new("fail-no-content").arg("dir", dir),
    };
    Err(Failure::Usage(text))
}

/// Loads and checks the site: config, content, Markdown, relations. Nothing is rendered yet.
pub fn prepare(opts: &BuildOptions) -> Result<Prepared, Failure> {
    let mut load = |root: &Path, entries: Vec<content::Entry>| {
        let (sources, d) = content::load(root, entries);
        (sources.into_iter().map(Arc::new).collect(), d)
    };
    prepare_with(opts, &mut load, &site::Fresh)
}

/// Reads a list of found content files into sources, with their problems.
pub type Loader<'a> =
    dyn FnMut(&Path, Vec<content::Entry>) -> (Vec<Arc<content::Source>>, Vec<Diagnostic>) + 'a;

/// [`prepare`] with the reading of content files and the rendering of bodies supplied by the
/// caller: the dev server passes caches that redo only what changed.
pub fn prepare_with(
    opts: &BuildOptions,
    load: &mut Loader<'_>,
    md: &dyn site::MarkdownSource,
) -> Result<Prepared, Failure> {
    let root = &opts.root;
    if !root.is_dir() {
        let dir = root.display();
        return Err(Failure::Usage(
            Text::new("fail-site-folder-missing").arg("dir", dir),
        ));
    }
    let mut timings = Vec::new();
    let t = Instant::now();
    let mut diags = Vec::new();
    let config = match Config::load(root) {
        Ok(mut c) => {
            diags.append(&mut c.warnings);
            if let Some(u) = &opts.base_url {
                if !c.set_base_url(u) {
                    return Err(Failure::Usage(Text::new("fail-base-url").arg("url", u)));
                }
            }
            Some(c)
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    if !root.join("content").is_dir() {
        let dir = root.display();
        return Err(Failure::Usage(Text::new("fail-no-content").arg("dir", dir)));
    }
    // The output folder (and `.git`) is never read as a source, even through a link.
    let fence = crate::walk::Fence::new(root, opts.output.as_deref());
    let (entries, d) = content::discover(root, &fence);
    diags.extend(d);
    let statics = static_files(root, &fence);
    diags.extend(static_warnings(statics.issues));
    let (sources, d) = load(root, entries);
    diags.extend(d);
    timings.push(("load+parse", t.elapsed()));
    let Some(config) = config else {
        return Err(Failure::Content(finish(diags)));
    };
    let (theme, d) = Theme::load(root, &config.theme, &fence);
    diags.extend(d);
    let t = Instant::now();
    let (mut site, d) = site::assemble(
        config,
        sources,
        opts.now,
        opts.drafts,
        (root, &statics.files),
        md,
        &theme,
    );
    diags.extend(d);
    crate::taxonomy::browse(&mut site);
    diags.extend(crate::csp::own_headers_warning(root, &site.config.security));
    let outputs = outputs_of(&site, &theme, &statics.files);
    diags.extend(check_links(&site, &site.unjudged, &outputs));
    timings.push(("validate+markdown", t.elapsed()));
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure::Content(finish(diags)));
    }
    Ok(Prepared {
        site,
        theme,
        static_files: statics.files,
        outputs,
        warnings: finish(diags),
        timings,
        search_phases: Vec::new(),
    })
}

/// Every output path a build of `site` writes: the render plan's, then the late outputs, the
/// theme's assets, bundle and `static/` files.
pub fn outputs_of(site: &Site, theme: &Theme, statics: &[PathBuf]) -> Outputs {
    let plan = crate::view::Plan::new(site);
    let paths: Vec<String> = (0..plan.len())
        .into_par_iter()
        .map(|j| plan.path(site, j))
        .collect();
    Outputs::of(site, &paths, theme, statics)
}

/// The errors of body links to generated outputs (`links`, from `site`) that no output answers.
pub fn check_links(site: &Site, links: &[site::Unjudged], outputs: &Outputs) -> Vec<Diagnostic> {
    links::check(site, links, outputs)
}

/// Renders every file of a prepared site into `sink`, in order of precedence: theme assets,
/// pages and feeds, the search index, bundle files, then the site's `static/` (which may
/// override anything). Pages are written as they are rendered, in parallel.
///
/// Memory: the feeds are the last to read the pages' body HTML as HTML; the search index then
/// takes it out of the pages and frees each chunk of bodies once it has read their text, while
/// its postings grow, so the bodies and the index never share the peak whole.
pub fn emit(prepared: &mut Prepared, root: &Path, sink: &dyn Sink) -> Result<(), Failure> {
    let t = Instant::now();
    // What tsunagari generates is recorded, so the site's own files cannot silently replace it.
    let recorder = files::Recorder::new(sink);
    let sink = &recorder;
    emit_assets(&prepared.theme, sink).map_err(io)?;
    let site = &prepared.site;
    let renderer = Renderer::new(&prepared.theme, site).map_err(|d| Failure::Content(finish(d)))?;
    let diags = renderer.render_site(site, sink).map_err(io)?;
    if !diags.is_empty() {
        return Err(Failure::Content(finish(diags)));
    }
    // Every list is written: the cards (one per page and variant) are not needed again.
    renderer.card_cache().clear();
    prepared.timings.push(("render+write", t.elapsed()));
    let t = Instant::now();
    emit_feeds(&prepared.site, sink).map_err(io)?;
    let feeds = t.elapsed();
    // The bodies go to the search index, which frees each once it has read it.
    let html = match prepared.site.config.search {
        true => Some(prepared.site.take_html()),
        false => {
            prepared.site.release_html();
            None
        }
    };
    let site = &prepared.site;
    let (manifest, index_time, phases) = write_search_index(site, html, sink).map_err(io)?;
    emit_search_page(site, &renderer, manifest.as_deref(), sink)?;
    prepared.timings.push(("search index", index_time));
    prepared.search_phases = phases;
    let t = Instant::now();
    // `_headers` is written last (it lists the outputs when the web editor is published), but
    // it is generated: a `static/_headers` replaces it, with the warning that says so.
    let headers = site.config.security.headers;
    let generated = |p: &str| recorder.has(p) || (headers && files::key(p) == "_headers");
    let warnings = emit_files(site, root, &prepared.static_files, sink, &generated)?;
    if !recorder.has("_headers") {
        let editor = recorder.has_editor();
        let immutable = prepared.theme.published.fingerprinted();
        emit_headers(site, &recorder.paths(), editor, &immutable, sink).map_err(io)?;
    }
    prepared.timings.push(("feeds+assets", feeds + t.elapsed()));
    if !warnings.is_empty() {
        prepared.warnings.extend(warnings);
        prepared.warnings = finish(std::mem::take(&mut prepared.warnings));
    }
    Ok(())
}

/// An I/O error as a build failure.
pub(crate) fn io(e: std::io::Error) -> Failure {
    Failure::Io(Text::new("fail-io").arg("detail", e))
}

/// An I/O error at `path` as a build failure.
pub(crate) fn io_at(path: &Path) -> impl Fn(std::io::Error) -> Failure + Copy + '_ {
    move |e| {
        Failure::Io(
            Text::new("fail-io-at")
                .arg("path", path.display())
                .arg("detail", e),
        )
    }
}

/// The theme's own assets (style sheet, scripts, icons), under their published names.
pub fn emit_assets(theme: &Theme, sink: &dyn Sink) -> std::io::Result<()> {
    for (path, f) in &theme.published.files {
        sink.write(path, &f.bytes)?;
    }
    Ok(())
}

/// Builds and writes the search index (nothing when search is off): from `html`, the pages'
/// body HTML taken out of them ([`Site::take_html`]), freed as it is read, or else from the
/// pages. Returns the manifest's site path, the time it took and its phases.
#[allow(clippy::type_complexity)]
pub fn write_search_index(
    site: &Site,
    html: Option<Vec<String>>,
    sink: &dyn Sink,
) -> std::io::Result<(Option<String>, Duration, Vec<(&'static str, Duration)>)> {
    if !site.config.search {
        return Ok((None, Duration::ZERO, Vec::new()));
    }
    let t = Instant::now();
    let index = match html {
        Some(html) => crate::search::build_owned(site, html),
        None => crate::search::build(site),
    };
    let tw = Instant::now();
    let mut phases = index.timings.clone();
    let m = crate::search::write(site, &index, sink)?;
    phases.push(("write", tw.elapsed()));
    Ok((Some(m), t.elapsed(), phases))
}

/// The search page, which names the index's manifest.
pub fn emit_search_page(
    site: &Site,
    renderer: &Renderer,
    manifest: Option<&str>,
    sink: &dyn Sink,
) -> Result<(), Failure> {
    if let Some(manifest) = manifest {
        if let Some(d) = renderer.render_search(site, manifest, sink).map_err(io)? {
            return Err(Failure::Content(vec![d]));
        }
    }
    Ok(())
}

/// Atom and JSON feeds, the sitemap, robots.txt and the next-rebuild date (`_headers` comes
/// last, from [`emit_headers`]).
pub fn emit_feeds(site: &Site, sink: &dyn Sink) -> std::io::Result<()> {
    let mut extra = vec![feeds::atom(site, None)];
    extra.extend(
        content::Kind::SECTIONS
            .iter()
            .map(|k| feeds::atom(site, Some(*k))),
    );
    extra.extend(feeds::term_feeds(site));
    extra.push(feeds::json_feed(site));
    extra.push(feeds::next_rebuild(crate::taxonomy::next_change(site)));
    extra.extend(feeds::sitemap(site, feeds::sitemap_entries(site)));
    extra.push(feeds::robots(site));
    extra
        .par_iter()
        .try_for_each(|f| sink.write(&f.path, &f.bytes))
}

/// `_headers` (unless `security.headers` is off), written after every other output: when the
/// output holds tsunagari's web editor page (`editor`), its rules list `outputs` (every output
/// path) so that the editor's policy and the site's never apply to one path (`csp::rules`).
/// `immutable`: the theme's fingerprinted assets, cached for good.
pub fn emit_headers(
    site: &Site,
    outputs: &[String],
    editor: bool,
    immutable: &[String],
    sink: &dyn Sink,
) -> std::io::Result<()> {
    let c = &site.config;
    if !c.security.headers {
        return Ok(());
    }
    let policy = crate::csp::Policy::for_site(&c.forms, &c.markdown.allow_iframes, &c.security);
    let editor = editor.then_some(crate::csp::Editor {
        policy: crate::cms::ADMIN_CSP,
        outputs,
    });
    let text = crate::csp::headers_file(&policy, editor, immutable)?;
    sink.write("_headers", text.as_bytes())
}

/// The files of the site's `static/` folder (hidden ones left out, except `.well-known/`), and
/// what could not be used there. Walked once, in `prepare`: what is copied is what was checked.
pub fn static_files(root: &Path, fence: &crate::walk::Fence) -> crate::walk::Walk {
    if !root.join("static").exists() && root.join("static").symlink_metadata().is_err() {
        return crate::walk::Walk::default();
    }
    // Judged on the path's real components, never on a rewritten string: a file named
    // `.well-known\\..\\x` is one (hidden) name, not a path into `.well-known/`.
    let skip = |rel: &Path| {
        let mut parts = rel.iter();
        parts.next().is_some_and(|first| {
            first != ".well-known"
                && std::iter::once(first)
                    .chain(parts)
                    .any(|c| c.to_string_lossy().starts_with('.'))
        })
    };
    crate::walk::walk(
        root,
        &root.join("static"),
        &crate::walk::Rules {
            skip: &skip,
            probe: &|_| true,
            fence,
        },
    )
}

/// Static files that cannot be copied are warnings: the site still builds without them.
fn static_warnings(issues: Vec<(PathBuf, diagnostics::EntryIssue)>) -> Vec<Diagnostic> {
    issues
        .into_iter()
        .map(|(rel, issue)| {
            Diagnostic::warning(
                diagnostics::display_path(&Path::new("static").join(rel)),
                diagnostics::Problem::Entry { issue },
            )
        })
        .collect()
}

/// Everything a build does except writing: the site is rendered and counted, not written.
pub fn check(opts: &BuildOptions) -> Result<Prepared, Failure> {
    let mut prepared = prepare(opts)?;
    emit(&mut prepared, &opts.root, &Discard::default())?;
    Ok(prepared)
}

/// Builds the site, staging what changed, and when everything succeeded brings the output
/// folder to it (`Staging::commit`): unchanged files are never touched.
pub fn build(opts: &BuildOptions) -> Result<Report, Failure> {
    build_waiting(opts, &mut |_| {})
}

/// [`build`], calling `waiting` (with what the lock file says about the other build) when
/// another build holds the output folder and this one waits for it.
pub fn build_waiting(
    opts: &BuildOptions,
    waiting: &mut dyn FnMut(&str),
) -> Result<Report, Failure> {
    let out = opts
        .output
        .clone()
        .unwrap_or_else(|| opts.root.join("public"));
    if !opts.write {
        let p = check(opts)?;
        return Ok(report(&p, out, &output::Committed::default()));
    }
    // Refused before anything is read or written.
    output::check_output_dir(&opts.root, &out).map_err(Failure::Usage)?;
    let io_at = io_at(&out);
    // The whole build runs under the lock, on the physical folder (a symlinked output folder
    // is written through, never replaced). First what an interrupted build left is repaired
    // (its output put back), so a build failing later really leaves the last good output.
    // Checked again: the folder may have changed while this build waited.
    let physical = output::resolve(&out).map_err(io_at)?;
    let _lock = output::BuildLock::acquire(&physical, waiting).map_err(Failure::Io)?;
    output::recover(&physical).map_err(Failure::Io)?;
    let target = output::check_output_dir(&opts.root, &out).map_err(Failure::Usage)?;
    let mut prepared = prepare(opts)?;
    let staging = Staging::create(&target).map_err(io_at)?;
    emit(&mut prepared, &opts.root, &staging)?;
    let t = Instant::now();
    let done = staging.commit().map_err(io_at)?;
    if let Some((left, e)) = &done.left {
        // The new output is in place: the build succeeded, the file is only litter.
        let root = output::resolve(&opts.root).unwrap_or_else(|_| opts.root.clone());
        let shown = diagnostics::display_path(left.strip_prefix(&root).unwrap_or(left));
        let problem = diagnostics::FileProblem::StaleOutputLeft {
            detail: e.to_string(),
        };
        let d = Diagnostic::warning(shown, diagnostics::Problem::Files(problem));
        prepared.warnings.push(d);
    }
    prepared.timings.push(("commit", t.elapsed()));
    Ok(report(&prepared, out, &done))
}

fn report(p: &Prepared, output: PathBuf, done: &output::Committed) -> Report {
    let site = &p.site;
    Report {
        output,
        pages: site.page_count(),
        files: done.written + done.unchanged,
        written: done.written,
        unchanged: done.unchanged,
        removed: done.removed,
        written_bytes: done.written_bytes,
        images: site.image_stats,
        unpublished: site.unpublished,
        open_challenges: site
            .of_kind(content::Kind::Challenge)
            .filter(|(_, p)| p.status.is_some_and(site::Status::is_open))
            .count(),
        next_change: crate::taxonomy::next_change(site),
        timings: p.timings.clone(),
        search_phases: p.search_phases.clone(),
        warnings: p.warnings.clone(),
    }
}

/// Diagnostics in reporting order (by file, line, column), duplicates dropped.
pub(crate) fn finish(mut d: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics::sort(&mut d);
    d.dedup();
    d
}

/// The build date: `--now` (a date or RFC 3339), else `SOURCE_DATE_EPOCH`, else the clock.
pub fn resolve_now(
    arg: Option<&str>,
    source_date_epoch: Option<&str>,
    tz: i32,
) -> Result<DateTime, Text> {
    if let Some(a) = arg {
        return DateTime::parse(a).ok_or_else(|| Text::new("fail-now").arg("value", a));
    }
    if let Some(s) = source_date_epoch.filter(|s| !s.is_empty()) {
        let secs: i64 = s
            .trim()
            .parse()
            .map_err(|_| Text::new("fail-source-date-epoch").arg("value", s))?;
        // Four-digit years in every time zone, as for dates in front matter (0001-01-03 to
        // 9998-12-30 in UTC); this also keeps the offset arithmetic from overflowing.
        if !(-62_135_424_000..=253_370_592_000).contains(&secs) {
            return Err(Text::new("fail-source-date-epoch-range").arg("value", s));
        }
        return Ok(DateTime::from_unix(secs, tz));
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Ok(DateTime::from_unix(secs, tz))
}

/// Convenience for tests and tools: default options for a site folder.
pub fn options(root: &Path, now: &str) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: None,
        base_url: None,
        drafts: false,
        now: DateTime::parse(now).expect("valid date"),
        write: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_out_of_range_is_refused() {
        for bad in [
            "9223372036854775807",
            "-9223372036854775808",
            "253402300800",
        ] {
            assert!(resolve_now(None, Some(bad), 540).is_err(), "{bad}");
        }
        let ok = resolve_now(None, Some("253370592000"), 840).unwrap();
        assert!(ok.rfc3339(840).starts_with("9998-"), "{ok:?}");
    }

    #[test]
    fn now_sources() {
        assert_eq!(
            resolve_now(Some("2026-04-01"), Some("0"), 540)
                .unwrap()
                .date
                .to_string(),
            "2026-04-01"
        );
        // 2026-03-31T15:00:00Z is 2026-04-01 00:00 in Japan.
        let t = resolve_now(None, Some("1774969200"), 540).unwrap();
        assert_eq!(t.date.to_string(), "2026-04-01");
        assert!(resolve_now(Some("昨日"), None, 540).is_err());
        assert!(resolve_now(None, Some("abc"), 540).is_err());
    }
}
