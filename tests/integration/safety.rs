//! Secure by default: nothing injected through front matter or Markdown runs in a browser,
//! nothing is written outside the output folder, and a failed build leaves the last good
//! output byte-identical.

use crate::common::*;
use scraper::Html;

const EVIL: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

fn assert_inert(doc: &Html, ctx: &str) {
    let sel = scraper::Selector::parse("*").unwrap();
    for el in doc.select(&sel) {
        if el.value().name() == "script"
            && el.value().attr("type") == Some("module")
            && el.value().attr("src").is_some_and(|s| {
                ["status.js", "search.js", "keep.js", "share.js"]
                    .iter()
                    .any(|f| {
                        let (stem, ext) = f.split_once('.').unwrap();
                        s.contains(&format!("/assets/{stem}.")) && s.ends_with(ext)
                    })
            })
        {
            // The theme's own scripts, from this host, with no text of their own.
            assert_eq!(
                el.text().collect::<String>(),
                "",
                "{ctx}: script with inline text"
            );
        } else if el.value().name() == "script" {
            // Otherwise the one script element allowed is structured data, which never runs: its
            // text must be JSON with no `<` that could close the element.
            assert_eq!(
                el.value().attr("type"),
                Some("application/ld+json"),
                "{ctx}: a <script> element reached the output"
            );
            let text: String = el.text().collect();
            assert!(
                !text.contains("</") && !text.contains("<!"),
                "{ctx}: JSON-LD could close its element"
            );
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{ctx}: JSON-LD does not parse: {e}"));
        }
        for (name, value) in el.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "{ctx}: event handler attribute {name}={value}"
            );
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_lowercase();
            assert!(
                !v.starts_with("javascript:")
                    && !v.starts_with("vbscript:")
                    && !v.starts_with("data:"),
                "{ctx}: {name}={value}"
            );
        }
        if el.value().name() == "img" {
            assert_ne!(
                el.value().attr("src"),
                Some("x"),
                "{ctx}: injected <img> reached the output"
            );
        }
    }
}

#[test]
fn injected_html_and_javascript_urls_never_reach_the_output_live() {
    let t = SiteTest::empty();
    let q = |s: &str| serde_json::to_string(s).unwrap();
    t.file(
        "content/challenges/evil.md",
        &format!(
            "---\ntitle: {}\nmunicipality: {}\nprefecture: 新潟県\ndate: 2026-03-01\nsummary: {}\nthemes: [{}]\nreward: {}\n---\n\
             <script>alert(3)</script>\n\n\
             段落 <img src=x onerror=alert(4)> と <a href=\"javascript:alert(5)\">リンク</a>\n\n\
             [押して](javascript:alert(6)) [これも](JaVaScRiPt:alert(7)) [データ](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox)\n\n\
             ![画像](javascript:alert(8))\n\n\
             <iframe src=\"https://evil.example/\"></iframe>\n",
            q(EVIL), q(EVIL), q(EVIL), q(EVIL), q(EVIL)
        ),
    );
    t.build();
    for page in [
        "challenges/evil/index.html",
        "challenges/index.html",
        "index.html",
    ] {
        let doc = t.html(page);
        assert_inert(&doc, page);
    }
    let doc = t.html("challenges/evil/index.html");
    // The text is shown, escaped, so staff see what they wrote.
    assert!(texts(&doc, "h1")[0].contains("<script>alert(1)</script>"));
    assert!(texts(&doc, ".prose")
        .iter()
        .any(|s| s.contains("<script>alert(3)</script>")));
    assert!(
        texts(&doc, ".prose").iter().any(|s| s.contains("押して")),
        "link text stays, the link goes"
    );
    // Feeds escape too: the content is text to an XML parser.
    let atom = t.read("challenges/atom.xml");
    let feed = roxmltree::Document::parse(&atom).expect("feed stays well-formed");
    assert!(feed.descendants().all(|n| !n.has_tag_name("script")));
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let before = t.snapshot();
    assert!(!before.is_empty());
    // Break one file and add a new valid one: nothing of either may appear.
    t.file(
        "content/challenges/open-later.md",
        "---\ntitle: 壊れた\nprefecture: 東京\n---\n",
    );
    t.file(
        "content/columns/new.md",
        "---\ntitle: 新しい\ndate: 2026-03-01\n---\n",
    );
    assert!(t.build_at(NOW).is_err());
    assert_eq!(before, t.snapshot(), "public/ changed after a failed build");
    assert_no_staging_left(&t);
}

#[test]
fn output_folder_cannot_be_the_site_or_its_sources() {
    let t = SiteTest::from_fixture("minimal");
    let before = snapshot(&t.root);
    for out in [".", "content", "content/public", ".."] {
        let (code, _, err) = t.cli(&["build", "--now", NOW, "--output", out]);
        assert_eq!(code, 2, "--output {out}: {err}");
        assert!(err.contains("出力先"), "{err}");
    }
    assert_eq!(before, snapshot(&t.root), "the site is untouched");
}

#[test]
fn a_folder_of_someone_elses_files_is_not_replaced() {
    let t = SiteTest::from_fixture("minimal");
    t.file("docs/大事な資料.txt", "消さないで");
    let (code, _, err) = t.cli(&["build", "--now", NOW, "--output", "docs"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        std::fs::read_to_string(t.root.join("docs/大事な資料.txt")).unwrap(),
        "消さないで"
    );
}

#[test]
fn raw_html_is_allowed_only_when_the_site_says_so() {
    let t = SiteTest::empty();
    t.file("site.yaml", "title: テスト\nbase_url: https://test.example.jp/\nmarkdown:\n  allow_iframes: [www.youtube-nocookie.com]\n");
    t.file(
        "content/columns/video.md",
        "---\ntitle: 動画\ndate: 2026-03-01\n---\n<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"町の紹介\" onload=\"x()\"></iframe>\n",
    );
    t.build();
    let doc = t.html("columns/video/index.html");
    assert_eq!(
        attrs(&doc, ".embed iframe", "src"),
        ["https://www.youtube-nocookie.com/embed/abc"]
    );
    assert_eq!(attrs(&doc, ".embed iframe", "title"), ["町の紹介"]);
    assert_inert(&doc, "video");
}

#[test]
fn template_error_mid_render_leaves_previous_output_and_no_staging() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let before = t.snapshot();
    // Pages start streaming into the staging folder; the column template then fails.
    t.file(
        "templates/column.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.no_such_field }}{% endblock main %}",
    );
    match t.build_at(NOW) {
        Err(tsunagari::pipeline::Failure::Content(d)) => {
            assert!(
                d.iter().any(|d| d.path.ends_with("column.html")),
                "{}",
                render(&d)
            );
        }
        other => panic!(
            "expected a template error, got {:?}",
            other.map(|r| r.files)
        ),
    }
    assert_eq!(before, t.snapshot(), "public/ changed after a failed build");
    assert_no_staging_left(&t);
}

/// A failed build removes its staging folder (and never leaves an old output beside it).
fn assert_no_staging_left(t: &SiteTest) {
    let leftovers: Vec<_> = std::fs::read_dir(&t.root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains("tsunagari"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folder left behind: {leftovers:?}"
    );
}
