//! Issue 13 §4, files, names and links: body images and linked files that do not exist, links
//! to internal pages written as URLs, a municipality written with its prefecture, `.MD` and
//! `.markdown` files, and file names with spaces.

use crate::common::{attrs, challenge, expect_at, render, SiteTest};
use std::path::PathBuf;
use tsunagari::diagnostics::{Diagnostic, Problem};
use tsunagari::incremental::Session;
use tsunagari::messages::Lang;
use tsunagari::pipeline::{self, Failure};

/// A challenge whose body is `body` (front matter lines 1–6, body from line 7).
fn with_body(body: &str) -> String {
    challenge("").replace("本文\n", body)
}

fn warnings_of(t: &SiteTest) -> Vec<Diagnostic> {
    t.build().warnings
}

#[test]
fn a_missing_body_image_is_an_error_at_its_line() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a/index.md",
        &with_body("本文\n\n![写真](photo.jpg)\n"),
    );
    let d = t.errors();
    let x = expect_at(
        &d,
        "content/challenges/a/index.md",
        9,
        |p| matches!(p, Problem::MissingImage { path } if path == "photo.jpg"),
    );
    assert_eq!(x.column, 1);
    assert!(x
        .render(Lang::Ja)
        .contains("画像「photo.jpg」が見つかりません"));
    // In the bundle it is fine, and written as it was.
    t.bytes("content/challenges/a/photo.jpg", b"\xff\xd8");
    t.build();
    assert_eq!(
        attrs(&t.html("challenges/a/index.html"), "main img", "src"),
        ["photo.jpg"]
    );
}

#[test]
fn a_missing_linked_file_is_an_error_and_static_or_bundle_files_are_found() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a/index.md",
        &with_body(
            "[募集要項](youkou.pdf) と [様式](/docs/様式.docx?v=2) と [地図](%E5%9C%B0%E5%9B%B3.pdf#page=2)\n\n[他の課題の資料](/challenges/b/資料.pdf)\n",
        ),
    );
    t.file("content/challenges/b/index.md", &challenge(""));
    let d = t.errors();
    let missing: Vec<(&str, usize)> = d
        .iter()
        .filter_map(|x| match &x.problem {
            Problem::MissingFile { target } => Some((target.as_str(), x.line)),
            _ => None,
        })
        .collect();
    assert_eq!(
        missing,
        [
            ("youkou.pdf", 7),
            ("/docs/様式.docx?v=2", 7),
            ("%E5%9C%B0%E5%9B%B3.pdf#page=2", 7),
            ("/challenges/b/資料.pdf", 9),
        ],
        "{}",
        render(&d)
    );
    t.bytes("content/challenges/a/youkou.pdf", b"%PDF")
        .bytes("content/challenges/a/地図.pdf", b"%PDF")
        .bytes("static/docs/様式.docx", b"PK")
        .bytes("content/challenges/b/資料.pdf", b"%PDF");
    t.build();
    let hrefs = attrs(&t.html("challenges/a/index.html"), "main a", "href");
    assert!(hrefs.contains(&"youkou.pdf".to_string()), "{hrefs:?}");
    assert!(t.exists("docs/様式.docx") && t.exists("challenges/b/資料.pdf"));
}

#[test]
fn links_to_internal_urls_are_checked() {
    let t = SiteTest::empty();
    t.file("content/challenges/b.md", &challenge(""));
    t.file("content/challenges/draft.md", &challenge("draft: true\n"));
    t.file(
        "content/about.md",
        "---\ntitle: このサイトについて\n---\n本文\n",
    );
    t.file(
        "content/columns/c.md",
        "---\ntitle: コラム\ndate: 2026-03-01\n---\n[ある](/challenges/b/#成果) [相対](../../challenges/b/) [ない](/challenges/nothing/#x) [概要](/about) [下書き](/challenges/draft/)\n\n[一覧](/challenges/) [テーマ](/themes/) [知らない](/somewhere/else/) [トップ](/)\n",
    );
    let d = t.errors();
    expect_at(
        &d,
        "content/columns/c.md",
        5,
        |p| matches!(p, Problem::BrokenUrl { target } if target == "/challenges/nothing/#x"),
    );
    expect_at(
        &d,
        "content/columns/c.md",
        5,
        |p| matches!(p, Problem::LinkToDraft { target } if target == "/challenges/draft/"),
    );
    assert_eq!(d.len(), 2, "{}", render(&d));
    let x = d
        .iter()
        .find(|x| matches!(x.problem, Problem::BrokenUrl { .. }))
        .unwrap();
    assert!(x.render(Lang::Ja).contains("のページがありません"));
}

#[test]
fn a_site_url_without_the_base_path_is_taken_with_it_and_warned() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/portal/\n",
    );
    t.file("content/challenges/b.md", &challenge(""));
    t.file("static/docs/a.pdf", "%PDF");
    t.file(
        "content/columns/c.md",
        "---\ntitle: コラム\ndate: 2026-03-01\n---\n[課題](/challenges/b/#成果)\n\n[資料](/docs/a.pdf) [基本](/portal/challenges/b/) [市のサイト](/soshiki/kikaku.html) [市の課](/soshiki/)\n",
    );
    let w = warnings_of(&t);
    let moved: Vec<(String, usize)> = w
        .iter()
        .filter_map(|x| match &x.problem {
            Problem::UrlWithoutBasePath { canonical, .. } => Some((canonical.clone(), x.line)),
            _ => None,
        })
        .collect();
    assert_eq!(
        moved,
        [
            ("/portal/challenges/b/#成果".to_string(), 5),
            ("/portal/docs/a.pdf".to_string(), 7)
        ],
        "{}",
        render(&w)
    );
    assert!(w[0]
        .render(Lang::Ja)
        .contains("「/portal/challenges/b/#成果」と書いてください"));
    let hrefs = attrs(&t.html("columns/c/index.html"), "main a", "href");
    assert_eq!(
        hrefs,
        [
            "/portal/challenges/b/#成果",
            "/portal/docs/a.pdf",
            "/portal/challenges/b/",
            "/soshiki/kikaku.html",
            "/soshiki/"
        ]
    );
}

/// The dev server: a file added to the bundle (or to `static/`) clears the error on the next
/// save, though the page's source did not change.
#[test]
fn the_preview_clears_a_missing_file_error_when_the_file_arrives() {
    let t = SiteTest::empty();
    t.file("content/challenges/b.md", &challenge(""));
    t.file(
        "content/challenges/a/index.md",
        &with_body("![写真](photo.jpg)\n\n[資料](/docs/a.pdf)\n"),
    );
    t.bytes("content/challenges/a/photo.jpg", b"\xff\xd8");
    t.file("static/docs/a.pdf", "%PDF");
    let mut s = Session::new(pipeline::options(&t.root, crate::common::NOW));
    s.update(None).unwrap();
    // Removing them makes errors …
    t.remove("content/challenges/a/photo.jpg");
    t.remove("static/docs/a.pdf");
    let changed = [
        PathBuf::from("content/challenges/a/photo.jpg"),
        PathBuf::from("static/docs/a.pdf"),
    ];
    let Err(Failure::Content(d)) = s.update(Some(&changed)) else {
        panic!("the preview should report the missing files");
    };
    expect_at(&d, "content/challenges/a/index.md", 7, |p| {
        matches!(p, Problem::MissingImage { .. })
    });
    expect_at(&d, "content/challenges/a/index.md", 9, |p| {
        matches!(p, Problem::MissingFile { .. })
    });
    // … and putting back only the static file leaves only the image's.
    t.file("static/docs/a.pdf", "%PDF");
    let Err(Failure::Content(d)) = s.update(Some(&changed[1..])) else {
        panic!("the image is still missing");
    };
    let errors: Vec<_> = d.iter().filter(|x| x.is_error()).collect();
    assert_eq!(errors.len(), 1, "{}", render(&d));
    assert!(matches!(errors[0].problem, Problem::MissingImage { .. }));
    t.bytes("content/challenges/a/photo.jpg", b"\xff\xd8");
    s.update(Some(&changed[..1])).unwrap();
    assert!(s.files().contains_key("challenges/a/photo.jpg"));
}

#[test]
fn a_municipality_written_with_its_prefecture_is_the_same_municipality() {
    let t = SiteTest::empty();
    t.file("content/challenges/a.md", &challenge(""));
    t.file(
        "content/challenges/b.md",
        &challenge("").replace("汐見町", "新潟県汐見町"),
    );
    t.file(
        "content/cases/c.md",
        "---\ntitle: 事例\nmunicipality: 汐見町\nprefecture: 新潟\ndate: 2026-03-01\n---\n本文\n",
    );
    let w = warnings_of(&t);
    let x = expect_at(
        &w,
        "content/challenges/b.md",
        3,
        |p| matches!(p, Problem::MunicipalityWithPrefecture { canonical, .. } if canonical == "汐見町"),
    );
    assert!(x
        .render(Lang::Ja)
        .contains("「municipality: 汐見町」と書いてください"));
    let x = expect_at(
        &w,
        "content/cases/c.md",
        4,
        |p| matches!(p, Problem::PrefectureShort { canonical, .. } if canonical == "新潟県"),
    );
    assert!(x
        .render(Lang::Ja)
        .contains("「新潟」を「新潟県」として扱いました"));
    // One municipality page, listing all three.
    let pages: Vec<_> = t
        .snapshot()
        .into_keys()
        .filter(|p| p.starts_with("municipalities/") && p.ends_with("index.html"))
        .collect();
    assert_eq!(pages.len(), 2, "the list and one municipality: {pages:?}");
    let page = pages.iter().find(|p| p.components().count() > 2).unwrap();
    let doc = t.html(page.to_str().unwrap());
    let links = attrs(&doc, "main a", "href");
    for slug in ["/challenges/a/", "/challenges/b/", "/cases/c/"] {
        assert!(links.iter().any(|l| l == slug), "{slug} in {links:?}");
    }
}

#[test]
fn a_prefecture_with_a_typo_is_still_an_error() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        &challenge("").replace("新潟県", "新瀉"),
    );
    let d = t.errors();
    expect_at(&d, "content/challenges/a.md", 4, |p| {
        matches!(p, Problem::InvalidPrefecture { .. })
    });
}

#[test]
fn upper_case_md_and_markdown_files_are_content() {
    let t = SiteTest::empty();
    t.file("content/challenges/a.MD", &challenge(""));
    t.file("content/challenges/b.markdown", &challenge(""));
    t.file(
        "content/columns/c/INDEX.Md",
        "---\ntitle: コラム\ndate: 2026-03-01\n---\n![図](zu.png)\n",
    );
    t.bytes("content/columns/c/zu.png", b"png");
    t.file("content/columns/c/memo.Markdown", "メモ\n");
    let r = t.build();
    assert!(t.exists("challenges/a/index.html") && t.exists("challenges/b/index.html"));
    assert!(t.exists("columns/c/index.html") && t.exists("columns/c/zu.png"));
    // A second Markdown file in a bundle is neither a page nor a copied file, and is said so.
    assert!(!t.exists("columns/c/memo.Markdown"));
    let stray: Vec<_> = r
        .warnings
        .iter()
        .filter(|x| matches!(x.problem, Problem::StrayFile))
        .map(|x| x.path.clone())
        .collect();
    assert_eq!(stray, [PathBuf::from("content/columns/c/memo.Markdown")]);
}

#[test]
fn a_space_in_a_file_name_gets_the_rename_hint_everywhere() {
    let t = SiteTest::empty();
    t.file("content/challenges/課題 1.md", &challenge(""));
    t.file(
        "content/columns/コラム　2/index.md",
        "---\ntitle: コラム\ndate: 2026-03-01\n---\n本文\n",
    );
    let d = t.errors();
    let hints: Vec<(String, String)> = d
        .iter()
        .filter(|x| matches!(x.problem, Problem::InvalidSlug { .. }))
        .map(|x| (x.path.display().to_string(), x.render(Lang::Ja)))
        .collect();
    assert_eq!(hints.len(), 2, "{}", render(&d));
    assert!(
        hints[0].1.contains("「課題-1.md」のように"),
        "{}",
        hints[0].1
    );
    assert!(
        hints[1].1.contains("「コラム-2」のように"),
        "{}",
        hints[1].1
    );
    // The same words as the walk's hint for a name it cannot publish.
    let t = SiteTest::empty();
    t.file("content/challenges/a/index.md", &challenge(""));
    t.bytes("content/challenges/a/資料.pdf ", b"%PDF");
    let all = match t.build_at(crate::common::NOW) {
        Ok(r) => r.warnings,
        Err(Failure::Content(d)) => d,
        Err(e) => panic!("{e:?}"),
    };
    let walk = all
        .iter()
        .find(|x| matches!(x.problem, Problem::Entry { .. }))
        .unwrap_or_else(|| panic!("{}", render(&all)))
        .render(Lang::Ja);
    let tail = |s: &str| s[s.find("のように").unwrap()..].to_string();
    assert_eq!(tail(&walk), tail(&hints[0].1));
}
