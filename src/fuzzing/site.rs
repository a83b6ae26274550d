//! The `whole_site` target: a small site made from the fuzzer's bytes, built end to end into
//! memory (`prepare` + `emit`, the same stages as `tsunagari check`).
//!
//! Input format (so seeds stay readable): the text before the first separator line is
//! `site.yaml`; then each `%%% <path>` line starts a file with that path (under `content/`,
//! `static/` or `templates/`; other paths fall back to a fixed one). At most [`MAX_FILES`]
//! files. The site lives in a per-process folder under /dev/shm (or the temp folder).

use crate::date::DateTime;
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::pipeline::{self, BuildOptions, Failure};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Starts a file: `%%% content/challenges/a.md`.
const SEPARATOR: &str = "\n%%% ";
const MAX_FILES: usize = 6;
/// Paths used when the fuzzer's path is not one a site may hold.
const FALLBACK: [&str; 6] = [
    "content/challenges/a.md",
    "content/cases/b.md",
    "content/columns/c.md",
    "content/about.md",
    "content/municipalities/m.md",
    "content/_index.md",
];
const DEFAULT_SITE_YAML: &str = "title: テスト\nbase_url: https://test.example.jp/\n";

/// Builds the site described by `data` into memory.
///
/// Invariants: no panic; the build either succeeds or fails with content problems (never
/// usage or I/O: the folder exists and the sink accepts every safe path); every problem names
/// a file of the site, and its line exists in that file; nothing is written to an unsafe path;
/// no generated file is written twice (one output would silently replace another), and no
/// bundle file replaces a generated one; two builds give the same bytes.
pub fn whole_site(data: &[u8]) {
    let files = parse_input(data);
    let root = site_dir();
    write_site(&root, &files).expect("writing the fuzz site");
    let first = build(&root);
    let second = build(&root);
    let _ = std::fs::remove_dir_all(&root);
    match &first {
        Ok(out) => {
            assert!(out.contains_key("index.html"), "no home page");
            assert!(out.contains_key("404.html"), "no 404 page");
        }
        Err(diags) => {
            assert!(diags.iter().any(Diagnostic::is_error), "{diags:?}");
            for d in diags {
                check_diagnostic(d, &files);
            }
        }
    }
    assert!(first == second, "two builds of the same site differ");
}

/// The files of the site: (relative path, bytes).
fn parse_input(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let sep = SEPARATOR.as_bytes();
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(sep.len()).position(|w| w == sep) {
        parts.push(&rest[..i]);
        rest = &rest[i + sep.len()..];
    }
    parts.push(rest);
    let mut files = vec![(
        "site.yaml".to_string(),
        if parts[0].is_empty() {
            DEFAULT_SITE_YAML.as_bytes().to_vec()
        } else {
            parts[0].to_vec()
        },
    )];
    for (n, part) in parts[1..].iter().take(MAX_FILES).enumerate() {
        let (head, body) = match part.iter().position(|&b| b == b'\n') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => (*part, &[][..]),
        };
        let wanted = String::from_utf8_lossy(head).trim().to_string();
        let path = if usable_path(&wanted) && !files.iter().any(|(p, _)| *p == wanted) {
            wanted
        } else {
            FALLBACK[n % FALLBACK.len()].to_string()
        };
        if let Some(f) = files.iter_mut().find(|(p, _)| *p == path) {
            f.1 = body.to_vec();
        } else {
            files.push((path, body.to_vec()));
        }
    }
    files
}

/// A path a site may hold that cannot clash with another file's folder.
fn usable_path(p: &str) -> bool {
    let parts: Vec<&str> = p.split('/').collect();
    p.len() <= 120
        && parts.len() >= 2
        && parts.len() <= 5
        && matches!(parts[0], "content" | "static" | "templates")
        && parts.iter().all(|c| {
            !c.is_empty()
                && *c != "."
                && *c != ".."
                && c.chars().all(|ch| !ch.is_control() && ch != '\\')
        })
}

/// This thread's site folder, emptied (tests may run targets on several threads at once).
fn site_dir() -> PathBuf {
    let base = Path::new("/dev/shm");
    let base = if base.is_dir() {
        base.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    let dir = base.join(format!("tsunagari-fuzz-{}-{thread}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Writes the files; a file whose path is another file's folder (or the reverse) is skipped,
/// as a file system would refuse it.
fn write_site(root: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    std::fs::create_dir_all(root.join("content"))?;
    for (rel, bytes) in files {
        let path = root.join(rel);
        let parent = path.parent().expect("paths have a folder");
        if std::fs::create_dir_all(parent).is_err() || path.is_dir() {
            continue;
        }
        std::fs::write(&path, bytes)?;
    }
    Ok(())
}

type Output = BTreeMap<String, Vec<u8>>;

/// `check`-like build into memory: the output files, or the problems.
fn build(root: &Path) -> Result<Output, Vec<Diagnostic>> {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: None,
        base_url: None,
        drafts: false,
        now: DateTime::parse("2026-04-01").expect("a valid date"),
        write: false,
    };
    let sink = Memory {
        root: root.to_path_buf(),
        files: Mutex::default(),
    };
    let result = pipeline::prepare(&opts).and_then(|mut p| pipeline::emit(&mut p, root, &sink));
    match result {
        Ok(()) => {
            let files = sink.files.into_inner().expect("no poisoned lock");
            Ok(files.into_iter().map(|(k, (v, _))| (k, v)).collect())
        }
        Err(Failure::Content(d)) => Err(d),
        Err(other) => panic!("a fuzz site fails with more than content problems: {other:?}"),
    }
}

/// A problem names `site.yaml`, a file of the site or the theme's templates, and a line of it.
fn check_diagnostic(d: &Diagnostic, files: &[(String, Vec<u8>)]) {
    let path = d.path.to_string_lossy().replace('\\', "/");
    assert!(d.path.is_relative(), "{d:?}");
    let Some((_, bytes)) = files.iter().find(|(p, _)| *p == path) else {
        // Folders (unknown sections) and theme files are named without a line.
        assert!(
            d.line == 0 || path.starts_with("templates/") || path.starts_with("themes/"),
            "{d:?} names a file the site does not have"
        );
        return;
    };
    // Lines as an editor shows them (a lone CR is a line break), which is how files are read.
    let text = crate::unicode::as_read(String::from_utf8_lossy(bytes).into_owned());
    let lines = text.split('\n').count();
    if let Some(shown) = &d.source_line {
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\t'),
            "a control character would reach the terminal: {d:?}"
        );
    }
    assert!(
        d.line <= lines,
        "line {} of a {lines}-line file: {d:?}",
        d.line
    );
    let _ = d.render(crate::diagnostics::Lang::Ja);
    let _ = d.render(crate::diagnostics::Lang::En);
}

/// Output in memory. Remembers whether a file was generated (`write`) or copied, to see one
/// output replacing another.
struct Memory {
    root: PathBuf,
    files: Mutex<BTreeMap<String, (Vec<u8>, bool)>>,
}

impl Memory {
    fn put(
        &self,
        path: &str,
        bytes: Vec<u8>,
        generated: bool,
        may_replace: bool,
    ) -> io::Result<()> {
        let bad = path.is_empty()
            || path.starts_with('/')
            || path.contains('\\')
            || path
                .split('/')
                .any(|c| c.is_empty() || c == "." || c == "..");
        assert!(!bad, "unsafe output path {path:?}");
        let mut files = self.files.lock().expect("no poisoned lock");
        if let Some((_, was_generated)) = files.get(path) {
            assert!(
                may_replace || !*was_generated,
                "{path} is written twice: one output replaces another"
            );
        }
        files.insert(path.to_string(), (bytes, generated));
        Ok(())
    }
}

impl Sink for Memory {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.put(path, bytes.to_vec(), true, false)
    }
    /// `static/` may replace anything (documented); bundle files may not.
    fn copy(&self, path: &str, src: &Path) -> io::Result<()> {
        let bytes = std::fs::read(src)?;
        // Copies come from the physical path (the root resolved).
        let real = self
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.root.clone());
        let from_static = src.starts_with(real.join("static"));
        self.put(path, bytes, false, from_static)
    }
}
