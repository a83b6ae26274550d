//! Incremental rebuilds for `tsunagari serve`.
//!
//! A [`Session`] keeps what the last good build computed — parsed sources, rendered bodies, the
//! assembled site, the render plan, what every output read (`deps`), and every output's bytes —
//! and after a change redoes only what the change can reach:
//!
//! - A source is re-read only when its path (or a folder above it) changed.
//! - A body is re-rendered only when its source changed or one of its `.md` links now resolves
//!   differently.
//! - An output is re-rendered only when its path is new or one of the inputs its view read
//!   (recorded by `view::Reader` as `Dep`s) has a different value now (`deps.rs`). Every output
//!   reads the site-wide values (templates, configuration, menus, build date), so a template or
//!   `site.yaml` change re-renders everything.
//! - Fast path: when only existing, published pages were edited and none of the edits touched
//!   what the site's structure is made of (URL, date, status, terms, municipality, relations,
//!   layout…), the previous site is patched in place and discovery and assembly are skipped.
//!   An edited page's links to generated outputs are judged against the last build's outputs
//!   (`Prepared::outputs`: the structure, hence the outputs, are unchanged); one that none
//!   answers sends the update down the incremental path, which reports it as a build does.
//! - Late outputs — the search index and search page, feeds, sitemap — are rebuilt by
//!   [`Session::finish`], which the server runs right after the browser has reloaded.
//!
//! After `update` and `finish`, [`Session::files`] is byte for byte what a clean build writes
//! (tests/integration/incremental.rs checks this after a series of edits).

use crate::content::{self, Entry, Extra, Source};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, LinkTarget, Rendered};
use crate::output::Memory;
use crate::pipeline::{self, io, BuildOptions, Failure, Prepared};
use crate::render::Renderer;
use crate::site::{self, MarkdownSource, Page};
use crate::view::Dep;
use crate::view::Plan;

mod deps;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Output path → bytes.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// How an update was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing built before: everything rendered.
    Full,
    /// Sources re-read where they changed, the site assembled again, changed outputs rendered.
    Incremental,
    /// Edited pages patched into the previous site; only outputs showing them rendered.
    Patch,
}

/// What an update did.
#[derive(Debug, Clone)]
pub struct Update {
    pub mode: Mode,
    /// Published pages (challenges, cases, columns, plain pages).
    pub pages: usize,
    /// Outputs rendered by this update, of `outputs` in the plan.
    pub rendered: usize,
    pub outputs: usize,
    /// Output paths added, changed or removed (sorted); None when everything may have changed.
    pub changed: Option<Vec<String>>,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// A source as last read: parsed (None when it could not be) and its problems.
struct Loaded {
    source: Option<Arc<Source>>,
    diags: Vec<Diagnostic>,
}

/// The last good build.
struct Last {
    prepared: Prepared,
    renderer: Renderer,
    plan: Plan,
    /// Output path of each output of `plan`.
    paths: Vec<String>,
    /// Source path → index of its page.
    by_source: HashMap<PathBuf, usize>,
    /// Rendered pages, theme assets, late outputs (search, feeds), bundle and static files.
    pages: Files,
    assets: Files,
    late: Files,
    files: Files,
}

/// Keeps a site built in memory and brings it up to date after changes.
pub struct Session {
    opts: BuildOptions,
    sources: HashMap<PathBuf, Loaded>,
    markdown: MarkdownCache,
    /// What each output of the last good build read.
    deps: deps::Deps,
    last: Option<Last>,
    /// The last update failed: the next one takes the incremental path, which reports every
    /// problem of the site.
    failed: bool,
    late_pending: bool,
    published: Arc<Files>,
}

impl Session {
    pub fn new(opts: BuildOptions) -> Session {
        Session {
            opts,
            sources: HashMap::new(),
            markdown: MarkdownCache::default(),
            deps: deps::Deps::default(),
            last: None,
            failed: false,
            late_pending: false,
            published: Arc::new(Files::new()),
        }
    }

    /// The current output: the last good build (with late outputs as of the last `finish`).
    pub fn files(&self) -> Arc<Files> {
        self.published.clone()
    }

    /// Whether `finish` has work to do.
    pub fn late_pending(&self) -> bool {
        self.late_pending
    }

    /// Brings the site up to date after `changed` paths (relative to the site root) changed;
    /// None means anything may have changed. On failure the previous output stays.
    pub fn update(&mut self, changed: Option<&[PathBuf]>) -> Result<Update, Failure> {
        let t = Instant::now();
        let result = match changed.and_then(|c| self.patch(c)) {
            Some(r) => r,
            None => self.rebuild(changed),
        };
        self.failed = result.is_err();
        result.map(|mut u| {
            u.elapsed = t.elapsed();
            u
        })
    }

    /// Rebuilds the late outputs (search index, search page, feeds, sitemap) of the current
    /// site. Returns the output paths that changed.
    pub fn finish(&mut self) -> Result<Vec<String>, Failure> {
        let Some(last) = self.last.as_mut() else {
            return Ok(Vec::new());
        };
        if !self.late_pending {
            return Ok(Vec::new());
        }
        let site = &last.prepared.site;
        let memory = Memory::default();
        let (manifest, _, _) = pipeline::write_search_index(site, None, &memory).map_err(io)?;
        pipeline::emit_search_page(site, &last.renderer, manifest.as_deref(), &memory)?;
        pipeline::emit_feeds(site, &memory).map_err(io)?;
        // `_headers` last, from every other output, as a clean build writes it (a
        // `static/_headers` in `files` still wins in `compose`).
        let mut late = memory.into_map();
        let mut outputs: Vec<String> = [&last.assets, &last.pages, &late, &last.files]
            .iter()
            .flat_map(|part| part.keys().filter(|k| *k != "_headers").cloned())
            .collect();
        outputs.sort();
        outputs.dedup();
        let editor = last
            .files
            .get("admin/index.html")
            .is_some_and(|b| pipeline::is_editor_page("admin/index.html", b.as_slice()));
        let headers = Memory::default();
        let immutable = last.prepared.theme.published.fingerprinted();
        pipeline::emit_headers(site, &outputs, editor, &immutable, &headers).map_err(io)?;
        late.extend(headers.into_map());
        let changed = differing(&last.late, &late);
        last.late = late;
        self.late_pending = false;
        self.published = Arc::new(compose(last));
        Ok(changed)
    }

    /// Loads, assembles and plans the whole site again, reusing unchanged sources and bodies,
    /// and renders the outputs whose recorded inputs changed.
    fn rebuild(&mut self, changed: Option<&[PathBuf]>) -> Result<Update, Failure> {
        match changed {
            None => self.sources.clear(),
            Some(paths) => self
                .sources
                .retain(|rel, _| !paths.iter().any(|c| rel.starts_with(c))),
        }
        let sources = &mut self.sources;
        let mut load = |root: &Path, entries: Vec<Entry>| load_cached(sources, root, entries);
        let prepared = pipeline::prepare_with(&self.opts, &mut load, &self.markdown)?;
        self.markdown
            .entries
            .lock()
            .unwrap()
            .retain(|rel, _| self.sources.contains_key(rel));
        let renderer = Renderer::new(&prepared.theme, &prepared.site)
            .map_err(|d| Failure::Content(pipeline::finish(d)))?;
        let site = &prepared.site;
        let plan = Plan::new(site);
        let paths: Vec<String> = (0..plan.len())
            .into_par_iter()
            .map(|j| plan.path(site, j))
            .collect();
        let now = self.deps.snapshot(site, &plan.lists, &renderer);
        let changes = self.deps.compare(&now, None);
        let todo = self.deps.todo(&plan.outputs, &paths, &changes);
        let memory = Memory::default();
        let rendered = renderer
            .render_outputs(site, &plan, &todo, &memory, true)
            .map_err(io)?;
        if !rendered.diagnostics.is_empty() {
            return Err(Failure::Content(pipeline::finish(rendered.diagnostics)));
        }
        let mut fresh = memory.into_map();
        let old_pages = self.last.as_ref().map(|l| &l.pages);
        let pages: Files = paths
            .iter()
            .map(|p| {
                let bytes = fresh
                    .remove(p)
                    .or_else(|| old_pages.and_then(|o| o.get(p)).cloned())
                    .expect("an output not rendered now was rendered before");
                (p.clone(), bytes)
            })
            .collect();
        let (assets, files, warnings) = self.own_files(&prepared, &pages)?;
        // Only now is the update good: a failure above keeps the last good build's values,
        // so the next update compares against what is served.
        self.deps.commit(changes);
        self.deps
            .record(&now, &plan.outputs, &paths, &todo, rendered.deps, true);
        let by_source = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.clone(), i))
            .collect();
        let mode = if self.last.is_some() {
            Mode::Incremental
        } else {
            Mode::Full
        };
        let late = self.last.take().map(|l| l.late).unwrap_or_default();
        let old = self.published.clone();
        let mut last = Last {
            renderer,
            plan,
            paths,
            by_source,
            pages,
            assets,
            late,
            files,
            prepared,
        };
        last.prepared.warnings.extend(warnings);
        self.published = Arc::new(compose(&last));
        self.late_pending = true;
        let update = Update {
            mode,
            pages: last.prepared.site.page_count(),
            rendered: todo.len(),
            outputs: last.plan.len(),
            changed: (mode != Mode::Full).then(|| differing(&old, &self.published)),
            warnings: last.prepared.warnings.clone(),
            elapsed: Duration::ZERO,
        };
        self.last = Some(last);
        Ok(update)
    }

    /// The theme's assets, then bundle and `static/` files, which may not land on a page, a
    /// theme asset or a late output (those of the previous build: late outputs are made after
    /// this), with their warnings.
    fn own_files(
        &self,
        prepared: &pipeline::Prepared,
        pages: &Files,
    ) -> Result<(Files, Files, Vec<Diagnostic>), Failure> {
        let assets = Memory::default();
        pipeline::emit_assets(&prepared.theme, &assets).map_err(io)?;
        let assets = assets.into_map();
        let late = self.last.as_ref().map(|l| &l.late);
        let generated = |p: &str| {
            pages.contains_key(p)
                || assets.contains_key(p)
                || late.is_some_and(|l| l.contains_key(p))
        };
        let files = Memory::default();
        let site = &prepared.site;
        let root = &self.opts.root;
        let warnings =
            pipeline::emit_files(site, root, &prepared.static_files, &files, &generated)?;
        Ok((assets, files.into_map(), warnings))
    }

    /// The fast path: every changed path is the source of a published page whose edit leaves
    /// the site's structure as it was. Patches those pages into the previous site and renders
    /// the outputs that show them. None when the fast path does not apply.
    fn patch(&mut self, changed: &[PathBuf]) -> Option<Result<Update, Failure>> {
        if self.failed {
            return None;
        }
        let edits = self.edits(changed)?;
        let last = self.last.as_mut()?;
        let site = &mut last.prepared.site;
        let mut warnings: Vec<Diagnostic> = last.prepared.warnings.clone();
        let mut edited = Vec::new();
        for (i, source, parse_diags, page, diags) in edits {
            let rel = source.entry.rel.clone();
            warnings.retain(|d| d.path != rel);
            warnings.extend(diags);
            edited.push(i);
            // Its links to generated outputs, for the next patch's site (checked in `edits`).
            site.unjudged.retain(|u| u.error.path != rel);
            site.unjudged.extend(site::unjudged_of(&source, &page.body));
            site.unjudged
                .sort_by(|a, b| a.error.path.cmp(&b.error.path));
            site.pages[i] = page;
            self.sources.insert(
                rel,
                Loaded {
                    source: Some(source),
                    diags: parse_diags,
                },
            );
        }
        let site = &last.prepared.site;
        // The structure is as it was (`same_structure`): only the edited pages' own deps can
        // have changed.
        let now = self.deps.snapshot(site, &last.plan.lists, &last.renderer);
        let candidates: Vec<Dep> = edited.iter().flat_map(|&i| now.page_deps(i)).collect();
        let changes = self.deps.compare(&now, Some(&candidates));
        let todo = self.deps.todo(&last.plan.outputs, &last.paths, &changes);
        let memory = Memory::default();
        let rendered = match last
            .renderer
            .render_outputs(site, &last.plan, &todo, &memory, true)
        {
            Ok(r) => r,
            Err(e) => return Some(Err(io(e))),
        };
        if !rendered.diagnostics.is_empty() {
            // A template that failed on the new data: the incremental path reports it.
            return None;
        }
        self.deps.commit(changes);
        self.deps.record(
            &now,
            &last.plan.outputs,
            &last.paths,
            &todo,
            rendered.deps,
            false,
        );
        let mut changed_paths = Vec::new();
        for (path, bytes) in memory.into_map() {
            if last.pages.get(&path) != Some(&bytes) {
                changed_paths.push(path.clone());
            }
            last.pages.insert(path, bytes);
        }
        changed_paths.sort();
        let warnings = pipeline::finish(warnings);
        last.prepared.warnings = warnings.clone();
        self.published = Arc::new(compose(last));
        self.late_pending = true;
        Some(Ok(Update {
            mode: Mode::Patch,
            pages: site.page_count(),
            rendered: todo.len(),
            outputs: last.plan.len(),
            changed: Some(changed_paths),
            warnings,
            elapsed: Duration::ZERO,
        }))
    }

    /// The edits of `changed` as pages patched into the last site: (page index, source, its
    /// parse problems, page, all its problems). None when one of them cannot be patched in.
    fn edits(&self, changed: &[PathBuf]) -> Option<Vec<Edit>> {
        let last = self.last.as_ref()?;
        let site = &last.prepared.site;
        let root = &self.opts.root;
        let tz = site.config.timezone;
        let md_opts = &site.markdown;
        let mut edits = Vec::new();
        for rel in changed {
            let &i = last.by_source.get(rel)?;
            let cached = self.sources.get(rel)?.source.clone()?;
            let (source, parse_diags) = content::load_one(root, cached.entry.clone());
            let source = Arc::new(source?);
            if parse_diags.iter().any(Diagnostic::is_error) {
                return None;
            }
            let mut diags = parse_diags.clone();
            if source.text == cached.text {
                continue;
            }
            if !site::is_published(&source, site.now, tz, self.opts.drafts) {
                return None;
            }
            let old = &site.pages[i];
            let (body, md_diags) = site::render_body(&source, md_opts, &site.links, &self.markdown);
            if md_diags.iter().any(Diagnostic::is_error) {
                return None;
            }
            // The structure is unchanged, so are the outputs: a link none of them answers is
            // reported by the incremental path, as a clean build reports it.
            let later = site::unjudged_of(&source, &body);
            if !pipeline::check_links(site, &later, &last.prepared.outputs).is_empty() {
                return None;
            }
            diags.extend(md_diags);
            let mut page = site::make_page(
                &source,
                old.kind,
                old.url.clone(),
                body,
                &site.config,
                site.now,
                &mut diags,
            );
            if !same_structure(old, &page) {
                return None;
            }
            page.related = old.related.clone();
            page.similar = old.similar.clone();
            // Same `image` (checked above): the same processed picture.
            page.picture = old.picture.clone();
            edits.push((i, source, parse_diags, page, diags));
        }
        Some(edits)
    }
}

/// An edited page ready to be patched in: (page index, source, its parse problems, page, all
/// its problems).
type Edit = (usize, Arc<Source>, Vec<Diagnostic>, Page, Vec<Diagnostic>);

/// Whether an edited page leaves everything computed across pages as it was: URLs and links,
/// publication, order, status, terms, municipalities, relations, similar pages, menus and
/// layouts. Only then can the page be patched into the previous site.
fn same_structure(old: &Page, new: &Page) -> bool {
    let same = old.kind == new.kind
        && old.slug == new.slug
        && old.url == new.url
        && old.source == new.source
        && old.bundle == new.bundle
        && old.assets == new.assets
        && old.common.date == new.common.date
        && old.common.draft == new.common.draft
        && old.common.tags == new.common.tags
        && old.common.form == new.common.form
        && old.common.image == new.common.image
        // With `image`, a missing `image_alt` is an error only a full check reports.
        && old.common.image_alt.is_some() == new.common.image_alt.is_some()
        && old.status == new.status
        && old.days_left == new.days_left;
    if !same {
        return false;
    }
    match (&old.extra, &new.extra) {
        (Extra::Challenge(a), Extra::Challenge(b)) => {
            (
                &a.municipality,
                &a.prefecture,
                &a.themes,
                a.work_style,
                &a.engagement,
                &a.skills,
            ) == (
                &b.municipality,
                &b.prefecture,
                &b.themes,
                b.work_style,
                &b.engagement,
                &b.skills,
            )
        }
        (Extra::Case(a), Extra::Case(b)) => {
            (&a.municipality, &a.prefecture, &a.themes, &a.challenges)
                == (&b.municipality, &b.prefecture, &b.themes, &b.challenges)
        }
        (Extra::Column(_), Extra::Column(_)) => true,
        // Plain pages' titles are in the menus of every page.
        (
            Extra::Page {
                weight: wa,
                layout: la,
            },
            Extra::Page {
                weight: wb,
                layout: lb,
            },
        ) => (wa, la, &old.common.title) == (wb, lb, &new.common.title),
        (Extra::Municipality(a), Extra::Municipality(b)) => {
            (&a.municipality, &a.prefecture) == (&b.municipality, &b.prefecture)
        }
        _ => false,
    }
}

/// Reads the entries, taking unchanged ones from `cache`.
fn load_cached(
    cache: &mut HashMap<PathBuf, Loaded>,
    root: &Path,
    entries: Vec<Entry>,
) -> (Vec<Arc<Source>>, Vec<Diagnostic>) {
    let fresh = |e: &Entry| {
        cache
            .get(&e.rel)
            .is_some_and(|l| l.source.as_ref().is_some_and(|s| s.entry == *e))
    };
    let missing: Vec<Entry> = entries.iter().filter(|e| !fresh(e)).cloned().collect();
    let read: Vec<(PathBuf, Loaded)> = missing
        .into_par_iter()
        .map(|e| {
            let rel = e.rel.clone();
            let (source, diags) = content::load_one(root, e);
            (
                rel,
                Loaded {
                    source: source.map(Arc::new),
                    diags,
                },
            )
        })
        .collect();
    cache.extend(read);
    let wanted: std::collections::HashSet<&PathBuf> = entries.iter().map(|e| &e.rel).collect();
    cache.retain(|rel, _| wanted.contains(rel));
    let mut sources = Vec::with_capacity(entries.len());
    let mut diags = Vec::new();
    for e in &entries {
        if let Some(l) = cache.get(&e.rel) {
            sources.extend(l.source.clone());
            diags.extend(l.diags.iter().cloned());
        }
    }
    // Unreadable files are read again next time.
    cache.retain(|_, l| l.source.is_some());
    (sources, diags)
}

/// Rendered bodies by source path, reused while the source is the same and its `.md` links
/// resolve as before.
#[derive(Default)]
struct MarkdownCache {
    entries: Mutex<HashMap<PathBuf, Rendering>>,
}

struct Rendering {
    source: Arc<Source>,
    opts: markdown::Options,
    /// Every link target the body asked about, with the answer it got.
    resolved: Vec<(String, LinkTarget)>,
    body: Arc<Rendered>,
}

impl MarkdownSource for MarkdownCache {
    fn render(
        &self,
        source: &Arc<Source>,
        opts: &markdown::Options,
        resolve: &dyn Fn(&str) -> LinkTarget,
    ) -> Arc<Rendered> {
        if let Some(r) = self.entries.lock().unwrap().get(&source.entry.rel) {
            if Arc::ptr_eq(&r.source, source)
                && r.opts == *opts
                && r.resolved.iter().all(|(t, to)| resolve(t) == *to)
            {
                return r.body.clone();
            }
        }
        let resolved = std::cell::RefCell::new(Vec::new());
        let recording = |target: &str| {
            let to = resolve(target);
            resolved.borrow_mut().push((target.to_string(), to.clone()));
            to
        };
        let body = Arc::new(markdown::render(source.body(), opts, &recording));
        self.entries.lock().unwrap().insert(
            source.entry.rel.clone(),
            Rendering {
                source: source.clone(),
                opts: opts.clone(),
                resolved: resolved.into_inner(),
                body: body.clone(),
            },
        );
        body
    }
}

/// The whole output, in the order a build writes it (later ones win): theme assets, pages,
/// search and feeds, bundle and static files.
fn compose(last: &Last) -> Files {
    let mut all = Files::with_capacity(
        last.assets.len() + last.pages.len() + last.late.len() + last.files.len(),
    );
    for part in [&last.assets, &last.pages, &last.late, &last.files] {
        all.extend(part.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    all
}

/// Paths added, removed or with other bytes, sorted.
fn differing(old: &Files, new: &Files) -> Vec<String> {
    let mut out: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(*k).is_none_or(|o| !Arc::ptr_eq(o, v) && o != *v))
        .map(|(k, _)| k.clone())
        .chain(old.keys().filter(|k| !new.contains_key(*k)).cloned())
        .collect();
    out.sort();
    out
}
