//! Issue 11's acceptance sweep: hostile sites, built end to end through the binary as CI would,
//! then read back with an HTML parser and an XML parser. Each part of the hardening has its own
//! narrow regression tests (`harden_*.rs`); this file checks the whole: whatever an author or an
//! attacker writes, the build never panics, no live handler or script URL reaches a page, no page
//! repeats an id, every feed and sitemap is XML, and refused input leaves `public/` untouched.

use crate::common::*;
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Front matter of a valid challenge, with `extra` lines.
fn fm(title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\n{extra}---\n"
    )
}

/// A site that is hostile but buildable: everything in it must be neutralised, not refused.
fn hostile_but_buildable() -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: \"<script>alert(1)</script>テスト\"\nbase_url: https://test.example.jp/\n\
         description: \"\\\"><img src=x onerror=alert(1)>\"\n",
    );
    // Heading attributes, comments that used to panic, raw HTML, script URLs in every spelling
    // Markdown accepts, control characters, headings that collide with the theme's ids.
    let body = "\
## 応募 {#x autofocus onfocus=alert(1)}\n\n\
## 見出し {.c style=\"position:fixed;inset:0\" onclick=alert(2)}\n\n\
## Apply\n\n## apply\n\n## main\n\n## page-title {#site-header}\n\n## 応募\n\n\
本文<!-->と<!--->と<!---->と<!-- x -->\n\n\
<script>alert(3)</script>\n\n<img src=x onerror=alert(4)>\n\n\
[a](javascript:alert(5)) [b](JaVaScRiPt:alert(6)) [c](&#x6A;avascript:alert(7)) \
[d](java&#x09;script:alert(8)) [e](data:text/html,<script>alert(9)</script>) [f](vbscript:x)\n\n\
![g](javascript:alert(10)) <javascript:alert(11)>\n\n\
```\"><script>alert(12)</script>\nコード\n```\n\n\
脚注[^1]と[^1]。\n\n[^1]: 注 {#fn}\n\n[^1]: 二つ目の定義\n\n\
実体参照&#11;と&#xFFFE;と&#x85;。\n\n\
制御文字\u{0B}と\u{01}と\u{7F}と\u{85}。\n";
    t.file(
        "content/challenges/evil.md",
        &format!("{}{body}", fm("悪意", "themes: [観光]\n")),
    );
    // Unicode NFD (as macOS writes file names and text): one term, one municipality, NFC URLs.
    let nfd_town = "かが町".replace('が', "か\u{3099}");
    let nfd_theme = "パン".replace('パ', "ハ\u{309A}");
    t.file(
        &format!("content/challenges/{}.md", "ハ\u{309A}ン"),
        &format!(
            "---\ntitle: NFD\nmunicipality: {nfd_town}\nprefecture: 新潟県\ndate: 2026-03-01\nthemes: [{nfd_theme}]\n---\n本文\n"
        ),
    );
    t.file(
        "content/challenges/nfc.md",
        "---\ntitle: NFC\nmunicipality: かが町\nprefecture: 新潟県\ndate: 2026-03-01\nthemes: [パン]\n---\n本文\n",
    );
    t.file(
        "content/columns/closed.md",
        "---\ntitle: コラム\ndate: 2026-03-02\n---\n## toc-heading\n\n## related-heading\n",
    );
    // Links in static/: outside the site, into the output folder, dangling. Each is a warning
    // and none is followed (the output must not grow from build to build).
    t.file("../outside/secret.txt", "SECRET");
    t.file("static/ok.txt", "ok");
    #[cfg(unix)]
    {
        let link = |to: &Path, at: &str| std::os::unix::fs::symlink(to, t.root.join(at)).unwrap();
        link(&t.root.join("../outside/secret.txt"), "static/leak.txt");
        link(Path::new("/etc"), "static/etc");
        link(&t.root.join("public"), "static/mirror");
        link(Path::new("/nonexistent/x.png"), "static/gone.png");
    }
    t
}

fn every_file(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(dir)
}

/// Attributes whose value a browser follows as a URL.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "srcset",
    "data",
    "xlink:href",
    "cite",
    "background",
];

fn scheme_of(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Everything a hostile page must never contain, checked with an HTML parser.
fn assert_page_is_inert(rel: &Path, html: &str) {
    let doc = Html::parse_document(html);
    let all = Selector::parse("*").unwrap();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for el in doc.select(&all) {
        let name = el.value().name();
        let ctx = format!("{}: <{name}>", rel.display());
        assert!(
            !matches!(name, "iframe" | "object" | "embed" | "base" | "frame"),
            "{ctx}: element that loads or redirects content"
        );
        if name == "script" {
            let ty = el.value().attr("type").unwrap_or("");
            let external = el.value().attr("src").is_some();
            assert!(
                ty == "application/ld+json" || (external && ty == "module"),
                "{ctx}: inline or unexpected script"
            );
        }
        for (attr, value) in el.value().attrs() {
            assert!(!attr.starts_with("on"), "{ctx}: handler {attr}={value}");
            assert!(
                !matches!(attr, "style" | "srcdoc" | "autofocus"),
                "{ctx}: attribute {attr}={value}"
            );
            if URL_ATTRS.contains(&attr) {
                let v = scheme_of(value);
                for bad in ["javascript:", "vbscript:", "data:", "file:"] {
                    assert!(!v.starts_with(bad), "{ctx}: {attr}={value}");
                }
            }
            if attr == "id" {
                *ids.entry(value.to_string()).or_default() += 1;
            }
        }
    }
    let repeated: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        repeated.is_empty(),
        "{}: repeated ids {repeated:?}",
        rel.display()
    );
}

/// Every page inert, every XML file XML, every JSON file JSON.
fn assert_output_is_safe(public: &Path) {
    let files = every_file(public);
    assert!(files.len() > 10, "too few files: {}", files.len());
    for (rel, bytes) in &files {
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        let text =
            || std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
        match ext {
            "html" => {
                assert_page_is_inert(rel, text());
                let bad = text()
                    .chars()
                    .find(|c| tsunagari::unicode::is_forbidden(*c));
                assert_eq!(bad, None, "{}: a control character", rel.display());
            }
            "xml" => {
                roxmltree::Document::parse(text())
                    .unwrap_or_else(|e| panic!("{}: not XML: {e}", rel.display()));
            }
            "json" => {
                serde_json::from_str::<serde_json::Value>(text())
                    .unwrap_or_else(|e| panic!("{}: not JSON: {e}", rel.display()));
            }
            _ => {}
        }
    }
}

#[test]
fn a_hostile_site_builds_into_inert_pages_unique_ids_and_valid_feeds() {
    let t = hostile_but_buildable();
    let (code, _out, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(
        code, 0,
        "the build must neutralise, not fail or panic:\n{err}"
    );
    assert!(
        err.contains("content/challenges/evil.md:"),
        "neutralised input is reported with its file and line:\n{err}"
    );
    assert_output_is_safe(&t.public());
    let everything: Vec<u8> = t.snapshot().into_values().flatten().collect();
    assert!(!String::from_utf8_lossy(&everything).contains("SECRET"));
    assert_eq!(t.read("ok.txt"), "ok");
    #[cfg(unix)]
    for link in [
        "static/leak.txt",
        "static/etc",
        "static/mirror",
        "static/gone.png",
    ] {
        assert!(err.contains(link), "{link} is not reported:\n{err}");
        assert!(
            !t.exists(link.trim_start_matches("static/")),
            "{link} published"
        );
    }
    // A second build over the first stays the same: nothing of public/ is read back in.
    let first = every_file(&t.public());
    let (code, _out, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(every_file(&t.public()), first);
    // NFD and NFC spellings are one municipality and one theme, at NFC URLs.
    let files = every_file(&t.public());
    let nfc_paths: Vec<String> = files
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    for p in &nfc_paths {
        assert!(
            !p.contains('\u{3099}') && !p.contains('\u{309A}'),
            "NFD in an output path: {p}"
        );
    }
    assert!(t.exists("challenges/パン/index.html"), "{nfc_paths:?}");
    assert!(t.exists("themes/パン/index.html"));
    let term = t.html("themes/パン/index.html");
    assert_eq!(
        texts(&term, ".card-title a").len(),
        2,
        "both spellings land on one term page"
    );
}

#[test]
fn every_fixture_site_and_the_sample_build_into_inert_pages_and_valid_feeds() {
    for (_, t, now) in &every_site() {
        let (code, _out, err) = t.cli(&["build", "--now", now]);
        assert_eq!(code, 0, "{}:\n{err}", t.root.display());
        assert_output_is_safe(&t.public());
    }
}

/// Input that must be refused: the build fails with the file and line, exits 1 (never 101, a
/// panic), and the last good output stays byte for byte as it was.
#[test]
fn refused_hostile_input_names_file_and_line_and_keeps_the_last_good_output() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/ok.md",
        &format!("{}本文\n", fm("良い", "")),
    );
    let (code, _, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(code, 0, "{err}");
    let good = every_file(&t.public());

    let site = "title: テスト\nbase_url: https://test.example.jp/\n";
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "site.yaml",
            format!("{site}menu:\n  - {{ name: 悪意, url: \"javascript:alert(1)\" }}\n"),
            "site.yaml:4:",
        ),
        (
            "site.yaml",
            format!("{site}footer_menu:\n  - name: 悪意\n    url: \" JaVaScRiPt:alert(1)\"\n"),
            "site.yaml:5:",
        ),
        (
            "site.yaml",
            format!("{site}menu:\n  - {{ name: 悪意, url: \"data:text/html,x\" }}\n"),
            "site.yaml:4:",
        ),
        (
            "content/challenges/ok.md",
            fm("良い\u{0B}", ""),
            "content/challenges/ok.md:2:",
        ),
        (
            "content/challenges/ok.md",
            format!("{}本文\n", fm("良い", "image: \"javascript:alert(1)\"\nimage_alt: 画像\n")),
            "content/challenges/ok.md:6:",
        ),
        (
            "content/municipalities/shiomi.md",
            "---\nmunicipality: 汐見町\nprefecture: 新潟県\nwebsite: \"javascript:alert(1)\"\n---\n"
                .to_string(),
            "content/municipalities/shiomi.md:4:",
        ),
    ];
    // A content file that is a link to a file outside the site: an error, never published.
    #[cfg(unix)]
    {
        t.file("../elsewhere.md", &format!("{}SECRET\n", fm("外", "")));
        std::fs::create_dir_all(t.root.join("content/columns")).unwrap();
        std::os::unix::fs::symlink(
            t.root.join("../elsewhere.md"),
            t.root.join("content/columns/link.md"),
        )
        .unwrap();
        let (code, _, err) = t.cli(&["build", "--now", NOW]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("content/columns/link.md"), "{err}");
        assert_eq!(every_file(&t.public()), good);
        std::fs::remove_file(t.root.join("content/columns/link.md")).unwrap();
    }
    for (file, text, at) in &cases {
        let before = std::fs::read(t.root.join(file)).ok();
        t.file(file, text);
        let (code, _, err) = t.cli(&["build", "--now", NOW]);
        assert_eq!(
            code, 1,
            "{file} must be refused as a content error:\n{text}\n{err}"
        );
        assert!(err.contains(at), "expected {at} in:\n{err}");
        assert_eq!(every_file(&t.public()), good, "public/ changed after {at}");
        match before {
            Some(b) => t.bytes(file, &b),
            None => t.remove(file),
        };
    }
}

#[test]
fn concurrent_builds_of_a_hostile_site_leave_one_whole_output() {
    let t = hostile_but_buildable();
    let (code, _, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(code, 0, "{err}");
    let single = every_file(&t.public());
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_tsunagari"))
                .args(["build", "--quiet", "--now", NOW])
                .current_dir(&t.root)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(every_file(&t.public()), single);
    let leftovers: Vec<_> = std::fs::read_dir(&t.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}
