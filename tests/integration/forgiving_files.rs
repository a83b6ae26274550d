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
    // Below the base path, a URL no output has is an error too (judged after the plan).
    expect_at(
        &d,
        "content/columns/c.md",
        7,
        |p| matches!(p, Problem::NoSuchOutput { target, .. } if target == "/somewhere/else/"),
    );
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
    assert_eq!(d.len(), 3, "{}", render(&d));
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

/// Two challenges on the theme 観光 in 汐見町 (新潟県), one page per list page: the site has
/// `/themes/観光/`, `/challenges/page/1/`, `/municipalities/niigata/汐見町/` and their feeds.
fn site_with_a_term(base_url: &str) -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        &format!("title: テスト\nbase_url: {base_url}\npaginate_by: 1\n"),
    );
    t.file("content/challenges/a.md", &challenge("themes: [観光]\n"));
    t.file("content/challenges/b.md", &challenge("themes: [観光]\n"));
    t
}

/// A column (front matter lines 1–4) whose body is `body`, from line 5.
fn column(body: &str) -> String {
    format!("---\ntitle: コラム\ndate: 2026-03-01\n---\n{body}")
}

#[test]
fn links_to_generated_pages_and_files_that_exist_are_fine_and_kept() {
    let t = site_with_a_term("https://test.example.jp/");
    let links = [
        "/themes/観光/",
        "/themes/%E8%A6%B3%E5%85%89/?from=column#top",
        "../../themes/観光/atom.xml",
        "/challenges/page/1/",
        "/challenges/status/open/",
        "/municipalities/niigata/汐見町/",
        "/prefectures/niigata/",
        "/atom.xml",
        "/challenges/open.json",
        "/search/?q=移住",
        "/sitemap.xml",
        "/assets/favicon.svg",
        "/404.html",
    ];
    let body: String = links.iter().map(|l| format!("[リンク]({l})\n\n")).collect();
    t.file("content/columns/c.md", &column(&body));
    let r = t.build();
    let odd: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.path.ends_with("c.md"))
        .collect();
    assert!(odd.is_empty(), "{odd:?}");
    assert_eq!(
        attrs(&t.html("columns/c/index.html"), "main a", "href"),
        links
    );
    assert!(t.exists("challenges/page/1/index.html") && t.exists("themes/観光/atom.xml"));
}

#[test]
fn a_misspelt_generated_url_is_an_error_at_its_line_with_the_closest_url() {
    let t = site_with_a_term("https://test.example.jp/");
    t.file(
        "content/columns/c.md",
        &column(
            "[テーマ](/themes/観光地/#a) と [町](/municipalities/niigata/汐見/)\n\n![図](/assets/nothing.png)\n\n[頁](/challenges/page/9/) [謎](/feeds/zzz-unknown-feed-name.xml)\n",
        ),
    );
    let d = t.errors();
    let x = expect_at(
        &d,
        "content/columns/c.md",
        5,
        |p| matches!(p, Problem::NoSuchOutput { target, .. } if target == "/themes/観光地/#a"),
    );
    assert_eq!(x.column, 1);
    assert!(
        matches!(&x.problem, Problem::NoSuchOutput { suggestion: Some(s), .. } if s == "/themes/観光/"),
        "{}",
        render(&d)
    );
    let ja = x.render(Lang::Ja);
    assert!(ja.contains("「/themes/観光/」のことですか？"), "{ja}");
    assert!(x.render(Lang::En).contains("did you mean `/themes/観光/`?"));
    let x = expect_at(
        &d,
        "content/columns/c.md",
        5,
        |p| matches!(p, Problem::NoSuchOutput { target, .. } if target.starts_with("/municipalities/")),
    );
    assert_eq!(x.column, 25, "{}", render(&d));
    assert!(
        matches!(&x.problem, Problem::NoSuchOutput { suggestion: Some(s), .. } if s == "/municipalities/niigata/汐見町/")
    );
    expect_at(
        &d,
        "content/columns/c.md",
        7,
        |p| matches!(p, Problem::MissingImage { path } if path == "/assets/nothing.png"),
    );
    expect_at(
        &d,
        "content/columns/c.md",
        9,
        |p| matches!(p, Problem::NoSuchOutput { target, .. } if target == "/challenges/page/9/"),
    );
    let x = expect_at(
        &d,
        "content/columns/c.md",
        9,
        |p| matches!(p, Problem::NoSuchOutput { target, .. } if target.starts_with("/feeds/")),
    );
    assert!(matches!(
        x.problem,
        Problem::NoSuchOutput {
            suggestion: None,
            ..
        }
    ));
    assert!(x
        .render(Lang::Ja)
        .contains("公開中の記事がそれを使っているときだけ"));
    assert_eq!(d.len(), 5, "{}", render(&d));
}

/// As for pages: below the base path a URL is judged; written without it, it is an error only
/// when the base path would make it an output's (bodies are rendered before the outputs are
/// known, so it cannot be rewritten as a page's URL is); otherwise another application on the
/// host may serve it.
#[test]
fn generated_urls_with_and_without_the_base_path() {
    let t = site_with_a_term("https://test.example.jp/portal/");
    t.file(
        "content/columns/c.md",
        &column("[基本](/portal/themes/観光/) [相対](../../themes/観光/) [他の](/themes/x/) [市](/soshiki/a.html)\n\n[なし](/themes/観光/?a=1#b)\n\n[誤り](/portal/themes/観光地/)\n"),
    );
    let d = t.errors();
    let x = expect_at(
        &d,
        "content/columns/c.md",
        7,
        |p| matches!(p, Problem::NoSuchOutput { target, .. } if target == "/themes/観光/?a=1#b"),
    );
    assert!(
        matches!(&x.problem, Problem::NoSuchOutput { suggestion: Some(s), .. } if s == "/portal/themes/観光/?a=1#b"),
        "{}",
        render(&d)
    );
    let x = expect_at(
        &d,
        "content/columns/c.md",
        9,
        |p| matches!(p, Problem::NoSuchOutput { target, .. } if target == "/portal/themes/観光地/"),
    );
    assert!(
        matches!(&x.problem, Problem::NoSuchOutput { suggestion: Some(s), .. } if s == "/portal/themes/観光/")
    );
    assert_eq!(d.len(), 2, "{}", render(&d));
    // Fixed, the other links are kept as written.
    t.edit("content/columns/c.md", "[なし](/themes/観光/?a=1#b)", "");
    t.edit("content/columns/c.md", "観光地", "観光");
    t.build();
    assert_eq!(
        attrs(&t.html("columns/c/index.html"), "main a", "href"),
        [
            "/portal/themes/観光/",
            "../../themes/観光/",
            "/themes/x/",
            "/soshiki/a.html",
            "/portal/themes/観光/"
        ]
    );
}

fn content_errors(r: Result<tsunagari::incremental::Update, Failure>) -> Vec<Diagnostic> {
    match r {
        Err(Failure::Content(d)) => d,
        Err(e) => panic!("{e:?}"),
        Ok(_) => panic!("expected content errors"),
    }
}

/// A term page that goes away (its last page leaves the theme) breaks the links to it: an
/// error in a clean build and in the dev server, the same; it clears when the term is back,
/// and the served files are then a clean build's.
#[test]
fn a_link_to_a_term_that_disappears_is_an_error_in_builds_and_the_preview() {
    let t = SiteTest::empty();
    t.file("content/challenges/a.md", &challenge("themes: [観光]\n"));
    t.file(
        "content/columns/c.md",
        &column("本文\n\n[観光の課題](/themes/観光/)\n"),
    );
    let opts = pipeline::options(&t.root, crate::common::NOW);
    let mut s = Session::new(opts.clone());
    s.update(None).unwrap();
    let a = [PathBuf::from("content/challenges/a.md")];
    t.edit("content/challenges/a.md", "themes: [観光]\n", "");
    let preview = content_errors(s.update(Some(&a)));
    let clean = t.errors();
    let x = expect_at(
        &clean,
        "content/columns/c.md",
        7,
        |p| matches!(p, Problem::NoSuchOutput { target, .. } if target == "/themes/観光/"),
    );
    assert_eq!(x.column, 1);
    assert_eq!(render(&preview), render(&clean));
    // An edit of the page with the link (the fast path's kind of edit) still reports it.
    t.edit("content/columns/c.md", "本文", "本文を直しました");
    let c = [PathBuf::from("content/columns/c.md")];
    assert_eq!(
        render(&content_errors(s.update(Some(&c)))),
        render(&t.errors())
    );
    // The term is back: no error, and the preview serves what a build writes.
    t.edit("content/challenges/a.md", "date:", "themes: [観光]\ndate:");
    s.update(Some(&a)).unwrap();
    s.finish().unwrap();
    crate::incremental_support::assert_same_as_clean(&s, &opts, "the term came back");
}

/// The dev server's fast path (an edited page, structure unchanged) checks the page's new links
/// to generated outputs against the outputs it has.
#[test]
fn the_preview_reports_a_broken_term_link_added_by_an_edit() {
    let t = SiteTest::empty();
    t.file("content/challenges/a.md", &challenge("themes: [観光]\n"));
    t.file("content/columns/c.md", &column("本文\n"));
    let mut s = Session::new(pipeline::options(&t.root, crate::common::NOW));
    s.update(None).unwrap();
    let c = [PathBuf::from("content/columns/c.md")];
    t.edit(
        "content/columns/c.md",
        "本文",
        "[観光](/themes/観光/) [誤り](/themes/観光地/)",
    );
    let preview = content_errors(s.update(Some(&c)));
    expect_at(
        &preview,
        "content/columns/c.md",
        5,
        |p| matches!(p, Problem::NoSuchOutput { target, .. } if target == "/themes/観光地/"),
    );
    assert_eq!(render(&preview), render(&t.errors()));
    t.edit("content/columns/c.md", "観光地", "観光");
    let u = s.update(Some(&c)).unwrap();
    assert!(u.warnings.is_empty(), "{}", render(&u.warnings));
}
