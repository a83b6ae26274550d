//! Fuzz target bodies. Each takes the fuzzer's bytes, runs real library code on them and
//! asserts invariants (a failed assertion is a crash, like a panic). The `fuzz/` crate
//! (cargo-fuzz, libFuzzer) calls these functions, and so does a plain `cargo test`
//! (`tests/integration/harden_fuzz.rs`), which replays every committed corpus and regression
//! input, so CI needs neither nightly nor libFuzzer.
//!
//! Not part of the public API: the module is only public so the fuzz crate can reach it.
//! It must not change what the library does; it only calls it.

mod html;
mod site;

pub use site::whole_site;

use crate::config::Config;
use crate::content::{self, Entry, Kind, Role};
use crate::diagnostics::{Diagnostic, Lang};
use crate::markdown::{self, LinkTarget};
use crate::search::tokenize;
use std::path::Path;

/// A target body: the fuzzer's bytes in, a panic when an invariant breaks.
pub type Body = fn(&[u8]);

/// Every target: its name (the folder under `fuzz/corpus/` and `fuzz/regressions/`) and body.
pub const TARGETS: [(&str, Body); 5] = [
    ("front_matter", front_matter),
    ("markdown", markdown),
    ("tokenizer", tokenizer),
    ("site_yaml", site_yaml),
    ("whole_site", whole_site),
];

/// Bytes as text the way a content file is read: invalid UTF-8 is replaced (the loader reports
/// it; the parsers behind it only ever see text), a leading BOM removed.
fn text_of(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()
}

/// Every role a content file can have; the fuzzer's text is parsed as each of them.
const ROLES: [(&str, Role); 8] = [
    ("content/_index.md", Role::Home),
    (
        "content/challenges/_index.md",
        Role::Section(Kind::Challenge),
    ),
    ("content/challenges/x.md", Role::Page(Kind::Challenge)),
    ("content/cases/x.md", Role::Page(Kind::Case)),
    ("content/columns/x.md", Role::Page(Kind::Column)),
    ("content/x.md", Role::Page(Kind::Page)),
    (
        "content/municipalities/x.md",
        Role::Page(Kind::Municipality),
    ),
    ("content/cases/_index.md", Role::Section(Kind::Case)),
];

/// Front matter: split, YAML, and the schema of every content kind.
///
/// Invariants: no panic; every diagnostic names the file and a line (≥ 1) and column inside the
/// text and renders in both languages; the body offset is a character boundary and the body
/// line is the line that offset is on; the same text gives the same result twice.
pub fn front_matter(data: &[u8]) {
    let text = text_of(data);
    for (rel, role) in ROLES {
        let entry = Entry {
            rel: rel.into(),
            role,
            slug: "x".into(),
            bundle: None,
            assets: Vec::new(),
        };
        let (source, diags) = content::parse_source(entry.clone(), text.clone());
        // Positions are of the text as read: normalised to NFC (which can change the number of
        // characters on a line, never the lines). The source keeps that text with control
        // characters taken out of the body; the body offset and line are of what it keeps.
        let read = crate::unicode::as_read(text.clone());
        for d in &diags {
            assert_eq!(d.path, Path::new(rel), "{d:?}");
            check_position(d, &read);
        }
        if let Some(s) = &source {
            assert!(s.text.is_char_boundary(s.body_offset), "body offset {s:?}");
            let line = 1 + s.text[..s.body_offset].matches('\n').count();
            assert_eq!(s.body_line, line, "body line of {rel}");
        }
        let (again, diags_again) = content::parse_source(entry, text.clone());
        assert_eq!(diags, diags_again, "diagnostics differ between two runs");
        assert_eq!(
            source.map(|s| format!("{:?}", (s.common, s.extra))),
            again.map(|s| format!("{:?}", (s.common, s.extra))),
            "parsed values differ between two runs"
        );
    }
}

/// `site.yaml`: parsing and validation of the whole configuration.
///
/// Invariants: no panic; every diagnostic names `site.yaml` and a place inside it; a valid
/// configuration has a usable base URL; the same text gives the same result twice.
pub fn site_yaml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let first = Config::parse(&text);
    match &first {
        Ok(c) => {
            assert!(c.base_url.ends_with('/'), "{:?}", c.base_url);
            assert!(c.base_path.starts_with('/') && c.base_path.ends_with('/'));
            assert!(c.urls().absolute("/x/").ends_with("/x/"), "{c:?}");
        }
        Err(diags) => {
            assert!(
                !diags.is_empty(),
                "a failed configuration names its problems"
            );
            for d in diags {
                assert_eq!(d.path, Path::new("site.yaml"), "{d:?}");
                if d.line > 0 {
                    check_position(d, &crate::unicode::as_read(text.to_string()));
                } else {
                    check_messages(d);
                }
            }
        }
    }
    let second = Config::parse(&text);
    assert_eq!(
        format!("{first:?}"),
        format!("{second:?}"),
        "two parses differ"
    );
}

/// The default theme's ids, reserved as in a real build (computed once per process).
fn theme_ids() -> std::sync::Arc<markdown::ReservedIds> {
    static IDS: std::sync::OnceLock<std::sync::Arc<markdown::ReservedIds>> =
        std::sync::OnceLock::new();
    IDS.get_or_init(|| {
        let root = Path::new("/nonexistent-fuzz-site");
        let fence = crate::walk::Fence::new(root, None);
        let (theme, _) = crate::theme::Theme::load(root, "default", &fence);
        std::sync::Arc::new(theme.reserved_ids())
    })
    .clone()
}

/// The default theme's texts for bodies.
fn theme_labels() -> markdown::Labels {
    static LABELS: std::sync::OnceLock<markdown::Labels> = std::sync::OnceLock::new();
    LABELS
        .get_or_init(|| markdown::Labels::new(&crate::theme::default_strings()))
        .clone()
}

/// Markdown body with the site's default options (raw HTML off, no iframes) and the default
/// theme's reserved ids.
///
/// Invariants: no panic; the HTML is well formed (`html::check`: balanced tags, quoted
/// attributes, no script or event handler, no `javascript:`/`vbscript:`/`data:` URL); every
/// problem points at a character boundary inside the body; heading ids are unique and not the
/// theme's; rendering twice gives the same bytes.
pub fn markdown(data: &[u8]) {
    let body = String::from_utf8_lossy(data);
    let opts = markdown::Options {
        reserved_ids: theme_ids(),
        labels: theme_labels(),
        ..markdown::Options::default()
    };
    // Some `.md` links resolve, some are drafts, some are missing: all three paths run.
    let resolve = |target: &str| match target.len() % 3 {
        0 => LinkTarget::Url(format!("/challenges/{}/", target.len())),
        1 => LinkTarget::Draft,
        _ => LinkTarget::Missing,
    };
    let r = markdown::render(&body, &opts, &resolve);
    if let Err(e) = html::check(&r.html) {
        panic!(
            "unsafe or malformed HTML: {e}\n--- body\n{body}\n--- html\n{}",
            r.html
        );
    }
    for f in &r.found {
        let end = f.offset.checked_add(f.len).expect("range overflows");
        assert!(end <= body.len(), "{f:?} ends after the body");
        assert!(
            body.is_char_boundary(f.offset),
            "{f:?} starts inside a character"
        );
        assert!(!f.problem.message(Lang::Ja).is_empty());
    }
    let mut ids = std::collections::HashSet::new();
    for h in &r.headings {
        assert!(!h.id.is_empty(), "{h:?}");
        assert!(!opts.reserved_ids.contains(&h.id), "{h:?} takes a theme id");
        assert!(ids.insert(h.id.clone()), "duplicate heading id {h:?}");
        assert!(
            (2..=6).contains(&h.level),
            "{h:?}: body headings never compete with h1"
        );
    }
    let again = markdown::render(&body, &opts, &resolve);
    assert_eq!(r.html, again.html, "two renders differ");
    // The search text read back from the HTML never panics.
    let _ = markdown::text_of(&r.html);
}

/// The search tokenizer.
///
/// Invariants: no panic; deterministic; the fast normalisation equals plain NFKC with the
/// tokenizer's own mappings; `tokenize` is normalise-then-split; positions count 0, 1, 2…;
/// every token is non-empty and occurs in the normalised text.
pub fn tokenizer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let normalized = tokenize::normalize(&text);
    assert_eq!(
        normalized,
        tokenize::normalize(&text),
        "normalize is not deterministic"
    );
    assert_eq!(
        normalized,
        tokenize::normalize_reference(&text),
        "fast normalisation differs from plain NFKC for {text:?}"
    );
    let tokens = tokenize::tokenize(&text);
    assert_eq!(tokens, tokenize::tokenize_normalized(&normalized));
    assert_eq!(
        tokens,
        tokenize::tokenize(&text),
        "tokenize is not deterministic"
    );
    for (i, t) in tokens.iter().enumerate() {
        assert_eq!(t.pos as usize, i, "{t:?}");
        assert!(!t.text.is_empty(), "{t:?}");
        assert!(
            normalized.contains(&t.text),
            "{t:?} is not in {normalized:?}"
        );
        assert!(
            !t.boundary || t.text.chars().next().is_some_and(tokenize::is_kanji),
            "{t:?}: only kanji start a boundary"
        );
    }
}

/// A diagnostic with a position: the line (≥ 1) exists in `text` (counting the empty line after
/// a final newline, which editors show), the column is inside it or just past its end, and the
/// diagnostic renders.
fn check_position(d: &Diagnostic, text: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(d.line >= 1, "diagnostic without a line: {d:?}");
    assert!(
        d.line <= lines.len(),
        "line {} of a {}-line text: {d:?}",
        d.line,
        lines.len()
    );
    let line = lines[d.line - 1].trim_end_matches('\r');
    assert!(
        d.column >= 1 && d.column <= line.chars().count() + 1,
        "column {} of a {}-character line {line:?}: {d:?}",
        d.column,
        line.chars().count()
    );
    check_messages(d);
}

/// Messages exist in both languages and every rendering works.
fn check_messages(d: &Diagnostic) {
    for lang in [Lang::Ja, Lang::En] {
        assert!(!d.problem.message(lang).is_empty(), "{d:?}");
        let _ = d.problem.help(lang);
        assert!(!d.render(lang).is_empty());
        assert!(!d.render_github(lang).is_empty());
    }
}
