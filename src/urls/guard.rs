//! Keeps URL making in `urls`: reads the crate's own sources and fails when code outside
//! `src/urls/` builds a site URL the two ways it can be built by hand.
//!
//! 1. Reading the base path: every site URL starts with it, so code that reads `base_path` is
//!    making one. Allowed: `config` (which owns the field and hands it to [`super::Urls`]), the
//!    site view giving it to templates as a variable, and the fuzz bodies asserting its shape.
//! 2. A format placeholder followed by a segment only `urls` may add (`{base}page/{n}/`,
//!    `{}atom.xml`, `{rel}index.html`, …). Allowed: the dev server mapping a requested path to
//!    a file (`serve`), which reads URLs rather than making them.
//!
//! What this cannot see: a URL written without the base path or a placeholder (a literal
//! `"/challenges/"`); review still catches those. Comment lines and `#[cfg(test)] mod tests`
//! blocks are not read.

use std::path::Path;

/// Segments `urls` adds after a list or page URL, or after the base path.
const SEGMENTS: [&str; 13] = [
    "page/",
    "atom.xml",
    "open.json",
    "sitemap.xml",
    "index.html",
    "404.html",
    "assets/",
    "search/",
    "status/",
    "municipalities/",
    "thanks/",
    "privacy/",
    "kininaru/",
];

/// Lines (trimmed) that may read `base_path` in any file: the site view for templates.
const BASE_PATH_LINES: [&str; 2] = ["base_path: &'a str,", "base_path: &c.base_path,"];

/// The code lines of a source (number, text): no comment lines, nothing from the unit tests on.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..end]
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.starts_with("//"))
}

/// Where `text` (a file at `rel`, `/`-separated below `src/`) makes a URL by hand.
fn offences(rel: &str, text: &str) -> Vec<String> {
    if rel.starts_with("urls/") {
        return Vec::new();
    }
    let mut found = Vec::new();
    let base_path_ok = rel == "config.rs" || rel.starts_with("fuzzing/");
    let segments_ok = rel.starts_with("serve/");
    for (n, line) in code_lines(text) {
        if !base_path_ok && line.contains("base_path") && !BASE_PATH_LINES.contains(&line) {
            found.push(format!("src/{rel}:{n}: reads base_path: {line}"));
        }
        if !segments_ok && SEGMENTS.iter().any(|s| line.contains(&format!("}}{s}"))) {
            found.push(format!("src/{rel}:{n}: adds a URL segment: {line}"));
        }
    }
    found
}

#[test]
fn no_module_but_urls_makes_a_site_url() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = crate::test_files::rust_files(&src);
    assert!(files.len() > 20, "the sources were found");
    let mut found = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        found.extend(offences(&rel, &std::fs::read_to_string(&f).unwrap()));
    }
    assert!(
        found.is_empty(),
        "ask crate::urls::Urls (Config::urls) instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_guard_sees_the_ways_a_url_is_made_by_hand() {
    let by_hand = [
        "let u = format!(\"{}challenges/\", c.base_path);",
        "v.push(format!(\"{base}page/{i}/\"));",
        "let feed = format!(\"{}atom.xml\", term.url);",
        "sink.write(&format!(\"{rel}index.html\"), b)?;",
    ];
    for line in by_hand {
        assert_eq!(offences("render.rs", line).len(), 1, "{line}");
        assert!(offences("urls/make.rs", line).is_empty(), "{line}");
    }
    assert!(offences("render.rs", "    base_path: &c.base_path,").is_empty());
    assert!(offences("render.rs", "// format!(\"{}atom.xml\", c.base_path)").is_empty());
    let tests =
        "fn f() {}\n#[cfg(test)]\nmod tests {\n    let x = format!(\"{}page/\", c.base_path);\n}\n";
    assert!(offences("render.rs", tests).is_empty());
    assert_eq!(
        offences("site.rs", "fn f() {}\nlet u = c.base_path.clone();\n"),
        ["src/site.rs:2: reads base_path: let u = c.base_path.clone();"]
    );
}
