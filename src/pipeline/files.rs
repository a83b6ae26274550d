//! Publishing the site's own files: the files of page bundles beside their pages, then
//! `static/`. Every output path is claimed once: a bundle file that would land on a generated
//! output (a page's `index.html`, a feed, `_headers`) or on another bundle file is an error, two
//! `static/` files on one path a warning (the first is kept), and a `static/` file replacing
//! a generated one (documented: `static/robots.txt`) a warning saying so. HTML, SVG and XML
//! files that would run script at their URL are named in a warning.
//!
//! JPEG, PNG and WebP files are published as their clean copies from `images` (never their
//! own bytes, which may carry GPS positions), with their renditions.
//!
//! Files are read from the path the walk approved (the real name on disk); only the output path
//! is rewritten (NFC, `/`-separated). Must not decide which names are usable: the walk does.

use super::Failure;
use crate::diagnostics::{display_path, Diagnostic, FileProblem, Problem};
use crate::output::Sink;
use crate::site::Site;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// A sink that remembers every output path written through it, so the site's own files can be
/// checked against what tsunagari generated.
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    paths: Mutex<HashSet<String>>,
    /// Whether the last file written at the web editor's page is tsunagari's own.
    editor: AtomicBool,
}

impl<'a> Recorder<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Recorder {
            inner,
            paths: Mutex::default(),
            editor: AtomicBool::new(false),
        }
    }

    /// Whether an output was written at `path` (any spelling: `a/./b` is `a/b`).
    pub fn has(&self, path: &str) -> bool {
        let paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths.contains(&key(path))
    }

    /// Every output path written, in their one spelling, sorted.
    pub fn paths(&self) -> Vec<String> {
        let paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<String> = paths.iter().cloned().collect();
        out.sort();
        out
    }

    /// Whether the output holds tsunagari's web editor page ([`is_editor_page`]).
    pub fn has_editor(&self) -> bool {
        self.editor.load(Ordering::Relaxed)
    }

    fn record(&self, path: &str, bytes: impl FnOnce() -> Option<Vec<u8>>) {
        let path = key(path);
        if path == EDITOR_PAGE {
            let ours = bytes().is_some_and(|b| is_editor_page(&path, &b));
            self.editor.store(ours, Ordering::Relaxed);
        }
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths.insert(path);
    }
}

/// Where `tsunagari init` puts the web editor's page in the output.
const EDITOR_PAGE: &str = "admin/index.html";

/// Whether `bytes` published at `dest` are the web editor's page as tsunagari writes it: the
/// page that loads one pinned script by design, and the one `_headers` gives the editor's policy.
pub fn is_editor_page(dest: &str, bytes: &[u8]) -> bool {
    key(dest) == EDITOR_PAGE && bytes == crate::cms::index_html().as_bytes()
}

impl Sink for Recorder<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.record(path, || Some(bytes.to_vec()));
        self.inner.write(path, bytes)
    }
    fn copy(&self, path: &str, src: &Path) -> std::io::Result<()> {
        self.record(path, || std::fs::read(src).ok());
        self.inner.copy(path, src)
    }
}

/// The one spelling of an output path: `/`-separated, no empty or `.` components.
pub fn key(path: &str) -> String {
    path.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// One file to copy: where it goes, where it is read, how it is named in messages.
struct Copy {
    dest: String,
    src: PathBuf,
    shown: PathBuf,
}

/// Files of page bundles, then the site's `static/` files (which may replace generated ones,
/// with a warning). `generated` tells whether tsunagari wrote an output at a path. Returns the
/// warnings; errors (a bundle file on a taken path) fail the build before anything is copied.
pub fn emit_files(
    site: &Site,
    root: &Path,
    statics: &[PathBuf],
    sink: &dyn Sink,
    generated: &dyn Fn(&str) -> bool,
) -> Result<Vec<Diagnostic>, Failure> {
    let mut diags = Vec::new();
    let mut claimed: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut copies = Vec::new();
    for p in &site.pages {
        let Some(b) = &p.bundle else { continue };
        for a in &p.assets {
            let shown = display_path(&b.join(a));
            let dest = key(&site.config.urls().bundle_file(&p.url, a));
            let clash = if generated(&dest) {
                Some(None)
            } else {
                claimed.get(&dest).map(|o| Some(o.display().to_string()))
            };
            if let Some(other) = clash {
                let problem = FileProblem::Collision {
                    output: dest,
                    other,
                };
                diags.push(Diagnostic::error(shown, Problem::Files(problem)));
                continue;
            }
            claimed.insert(dest.clone(), shown.clone());
            let src = root.join(b).join(a);
            copies.push(Copy { dest, src, shown });
        }
    }
    for rel in statics {
        let shown = display_path(&Path::new("static").join(rel));
        let dest = key(&crate::urls::file_path(rel));
        let problem = match claimed.get(&dest) {
            Some(o) if o.starts_with("static") => Some(FileProblem::Collision {
                output: dest.clone(),
                other: Some(o.display().to_string()),
            }),
            Some(_) => Some(FileProblem::Replaces {
                output: dest.clone(),
            }),
            None => generated(&dest).then(|| FileProblem::Replaces {
                output: dest.clone(),
            }),
        };
        let skip = matches!(problem, Some(FileProblem::Collision { .. }));
        if let Some(problem) = problem {
            diags.push(Diagnostic::warning(shown.clone(), Problem::Files(problem)));
        }
        if !skip {
            claimed.insert(dest.clone(), shown.clone());
            let src = root.join("static").join(rel);
            copies.push(Copy { dest, src, shown });
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure::Content(super::finish(diags)));
    }
    // Read where the walk approved, as it is now: a link swapped in since then must still stay
    // inside the site, and the copy opens the physical path without following a link.
    let inside = root.canonicalize().map_err(super::io)?;
    let copied: BTreeSet<String> = copies.iter().map(|c| c.dest.clone()).collect();
    for mut c in copies {
        if site.images.withheld.contains(&c.dest) {
            continue; // an unreadable raster that may carry metadata (warned in `site`)
        }
        c.src = c
            .src
            .canonicalize()
            .ok()
            .filter(|r| r.starts_with(&inside))
            .ok_or_else(|| changed(&c.shown))?;
        if runs_script(&c.src, &c.dest) {
            let d = Diagnostic::warning(c.shown, Problem::Files(FileProblem::RunsScript));
            diags.push(d);
        }
        match site.images.get(&c.dest) {
            // A raster is published as its clean copy: re-encoded, no metadata (`images`).
            Some(p) => sink.copy(&c.dest, &p.dir.join(&p.clean.file)),
            None => sink.copy(&c.dest, &c.src),
        }
        .map_err(super::io)?;
    }
    super::images::emit(site, &copied, sink).map_err(super::io)?;
    Ok(diags)
}

/// A file that no longer is what the walk approved (removed, or now a link leading outside).
fn changed(shown: &Path) -> Failure {
    let path = shown.display();
    Failure::Io(crate::messages::Text::new("fail-static-changed").arg("path", path))
}

/// Whether the file at `src`, published at `dest`, is a document a browser runs script in
/// (HTML, SVG, XML: judged by the published name, which decides how hosts serve it) and has a
/// `<script`, an `on…=` handler or a `javascript:` URL. A cheap byte scan, case-insensitive; a
/// file that cannot be read here fails the copy that follows.
fn runs_script(src: &Path, dest: &str) -> bool {
    let ext = Path::new(dest)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(
        ext.as_deref(),
        Some("html" | "htm" | "xhtml" | "svg" | "xml" | "shtml" | "svgz" | "mht")
    ) {
        return false;
    }
    // The web editor's page as tsunagari writes it loads one pinned script, by design.
    std::fs::read(src).is_ok_and(|b| has_script(&b) && !is_editor_page(dest, &b))
}

fn has_script(bytes: &[u8]) -> bool {
    // Browsers drop tabs and line breaks inside URLs (`java\tscript:`).
    let lower: Vec<u8> = bytes
        .iter()
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'))
        .map(u8::to_ascii_lowercase)
        .collect();
    let find = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if find(b"<script") || find(b"javascript:") {
        return true;
    }
    // An event handler: `on` + letters + `=`, after a space, quote or `/` (in the original,
    // where a line break may separate attributes).
    let raw: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
    raw.windows(2).enumerate().any(|(i, w)| {
        w == b"on"
            && i > 0
            && matches!(
                raw[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'"' | b'\''
            )
            && handler_after(&raw[i + 2..])
    })
}

/// `letters* space* =` at the start of `rest`.
fn handler_after(rest: &[u8]) -> bool {
    let letters = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let rest = &rest[letters..];
    let spaces = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    letters > 0 && rest.get(spaces) == Some(&b'=')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_is_found_in_any_case_and_spelling() {
        for yes in [
            "<svg><SCRIPT>alert(1)</SCRIPT></svg>",
            "<svg onload=alert(1)>",
            "<svg\nONLOAD = \"x\">",
            "<img src=x/onerror=alert(1)>",
            "<a href=\"JaVa\tScRiPt:alert(1)\">",
            "<svg><a xlink:href='javascript:x'>",
        ] {
            assert!(has_script(yes.as_bytes()), "{yes}");
        }
        for no in [
            "<svg><path d=\"M0 0\"/></svg>",
            "<p>button=on</p>",
            "<p>Look on = the bright side</p>",
            "<svg><text>description</text></svg>",
            "<meta name=\"description\" content=\"x\">",
        ] {
            assert!(!has_script(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn output_paths_have_one_spelling() {
        assert_eq!(key("a/./b//c.png"), "a/b/c.png");
        assert_eq!(key("./index.html"), "index.html");
    }
}
