//! Issue 11, text: Unicode normalisation, control characters, feeds of closed challenges, and
//! the limits on file size, path length and unknown keys.

use crate::common::{challenge, expect_at, render, SiteTest};
use serde_json::Value;
use std::path::Path;
use tsunagari::diagnostics::{Lang, Problem, TextProblem};

const NFD_GAKKOU: &str = "か\u{3099}っこう"; // がっこう as macOS writes it
const NFD_THEME: &str = "ハ\u{309A}ンつ\u{3099}くり"; // パンづくり
const NFD_TOWN: &str = "か\u{3099}も町"; // がも町

fn jsonld(t: &SiteTest, page: &str) -> Vec<Value> {
    let doc = t.html(page);
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let script: String = doc.select(&sel).next().unwrap().text().collect();
    let v: Value = serde_json::from_str(&script).unwrap();
    v["@graph"].as_array().unwrap().clone()
}

/// Every `.xml` file of the output, parsed.
fn assert_xml_outputs_parse(t: &SiteTest) -> usize {
    let mut n = 0;
    for (path, bytes) in t.snapshot() {
        if path.extension().is_some_and(|e| e == "xml") {
            let text = String::from_utf8(bytes).unwrap();
            if let Err(e) = roxmltree::Document::parse(&text) {
                panic!("{} is not well-formed XML: {e}", path.display());
            }
            n += 1;
        }
    }
    n
}

/// (loc, lastmod) of every sitemap entry.
fn sitemap(t: &SiteTest) -> Vec<(String, Option<String>)> {
    let text = t.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("url"))
        .map(|u| {
            let get = |tag: &str| {
                u.children()
                    .find(|n| n.has_tag_name(tag))
                    .and_then(|n| n.text().map(str::to_string))
            };
            (get("loc").unwrap(), get("lastmod"))
        })
        .collect()
}

fn lastmod(t: &SiteTest, loc: &str) -> Option<String> {
    sitemap(t)
        .into_iter()
        .find(|(l, _)| l == loc)
        .unwrap_or_else(|| panic!("{loc} not in the sitemap"))
        .1
}

/// (`updated` of the feed, `updated` of the entry with id `id`).
fn atom_updated(t: &SiteTest, feed: &str, id: &str) -> (String, String) {
    let text = t.read(feed);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    let text_of = |n: roxmltree::Node, tag: &str| {
        n.children()
            .find(|c| c.has_tag_name(tag))
            .and_then(|c| c.text().map(str::to_string))
            .unwrap()
    };
    let entry = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .find(|e| text_of(*e, "id") == id)
        .unwrap_or_else(|| panic!("{id} not in {feed}"));
    (text_of(root, "updated"), text_of(entry, "updated"))
}

fn dirs(t: &SiteTest, rel: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(t.public().join(rel))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| n != "page")
        .collect();
    v.sort();
    v
}

#[test]
fn nfd_file_names_and_front_matter_give_one_term_one_municipality_and_nfc_urls() {
    let t = SiteTest::empty();
    // Written on a Mac: file name, theme and municipality in NFD.
    t.file(
        &format!("content/challenges/{NFD_GAKKOU}.md"),
        &format!("---\ntitle: 学校の課題\nmunicipality: {NFD_TOWN}\nprefecture: 新潟県\ndate: 2026-03-01\nthemes: [{NFD_THEME}]\n---\n[パンの課題](pan.md)\n"),
    );
    // Written elsewhere: the same words in NFC, linking to the NFD file by its NFC name.
    t.file(
        "content/challenges/pan.md",
        "---\ntitle: パンの課題\nmunicipality: がも町\nprefecture: 新潟県\ndate: 2026-03-02\nthemes: [パンづくり]\n---\n[学校の課題](がっこう.md)\n",
    );
    t.file(
        &format!("content/municipalities/{NFD_TOWN}.md"),
        &format!("---\nmunicipality: {NFD_TOWN}\nprefecture: 新潟県\n---\n町の紹介\n"),
    );
    t.build();
    assert!(
        t.exists("challenges/がっこう/index.html"),
        "page URL in NFC"
    );
    assert_eq!(dirs(&t, "themes"), ["パンづくり"], "one term, in NFC");
    assert_eq!(dirs(&t, "municipalities/niigata"), ["がも町"]);
    let town = t.html("municipalities/niigata/がも町/index.html");
    let links = crate::common::attrs(&town, "main a", "href");
    for page in ["/challenges/がっこう/", "/challenges/pan/"] {
        assert!(links.iter().any(|h| h == page), "{page} in {links:?}");
    }
    // Links between the two pages resolve in both directions.
    let gakkou = t.html("challenges/がっこう/index.html");
    assert!(crate::common::attrs(&gakkou, "main a", "href").contains(&"/challenges/pan/".into()));
    let pan = t.html("challenges/pan/index.html");
    assert!(crate::common::attrs(&pan, "main a", "href").contains(&"/challenges/がっこう/".into()));
    // Nothing in the output is NFD.
    for (path, bytes) in t.snapshot() {
        let name = path.to_string_lossy();
        assert!(
            !name.contains('\u{3099}') && !name.contains('\u{309A}'),
            "{name}"
        );
        if let Ok(text) = String::from_utf8(bytes) {
            assert!(
                !text.contains('\u{3099}') && !text.contains('\u{309A}'),
                "{name} has NFD text"
            );
        }
    }
}

#[test]
fn nfd_asset_names_in_a_bundle_are_published_under_their_nfc_name() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/b/index.md",
        &challenge("image: がぞう.svg\nimage_alt: 画像\n"),
    );
    t.file(
        "content/challenges/b/か\u{3099}そ\u{3099}う.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    t.build();
    assert!(t.exists("challenges/b/がぞう.svg"));
}

#[test]
fn control_characters_in_front_matter_are_refused_with_line_column_and_code_point() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/raw.md",
        &challenge("summary: 改行が\u{B}混ざった要約\n"),
    );
    t.file(
        "content/challenges/escaped.md",
        &challenge("tags: [ok, \"\\x01\"]\n"),
    );
    let e = t.errors();
    let is_control = |cp: &'static str| move |p: &Problem| matches!(p, Problem::Text(TextProblem::ControlCharacter { code_point }) if code_point == cp);
    let raw = expect_at(&e, "content/challenges/raw.md", 6, is_control("U+000B"));
    assert_eq!(raw.column, 13, "{}", render(&e));
    assert!(raw.problem.message(Lang::Ja).contains("U+000B"));
    assert!(raw.problem.help(Lang::Ja).unwrap().contains("Word"));
    assert!(raw.problem.message(Lang::En).contains("U+000B"));
    expect_at(&e, "content/challenges/escaped.md", 6, is_control("U+0001"));
    assert_eq!(e.len(), 2, "{}", render(&e));
}

#[test]
fn control_characters_in_site_yaml_are_refused() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\norganization: \"町\\v役場\"\n",
    );
    let e = t.errors();
    expect_at(
        &e,
        "site.yaml",
        3,
        |p| matches!(p, Problem::Text(TextProblem::ControlCharacter { code_point }) if code_point == "U+000B"),
    );
}

fn hostile_site() -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/hostile.md",
        &format!(
            "---\ntitle: 課題\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\nthemes: [\"<&>\", \"]]>\"]\n---\n{}\n\nつづき\u{1}と\u{FFFE}と\u{7F}と\u{85}\n\n数値参照 &#11; &#xFFFF; &#1; も\n",
            "Word から貼った\u{B}改行\u{C}"
        ),
    );
    t.file(
        "content/columns/c.md",
        "---\ntitle: コラム\ndate: 2026-03-02\n---\n要約に\u{1B}[31mエスケープ\n",
    );
    t
}

#[test]
fn control_characters_in_the_body_are_removed_with_a_warning_naming_the_line() {
    let t = hostile_site();
    let report = t.build();
    let w = &report.warnings;
    let removed = expect_at(
        w,
        "content/challenges/hostile.md",
        8,
        |p| matches!(p, Problem::Text(TextProblem::ControlCharacterRemoved { code_point, more: 5 }) if code_point == "U+000B"),
    );
    assert_eq!(removed.column, 11);
    assert!(removed.problem.message(Lang::Ja).contains("U+000B"));
    expect_at(
        w,
        "content/columns/c.md",
        5,
        |p| matches!(p, Problem::Text(TextProblem::ControlCharacterRemoved { code_point, more: 0 }) if code_point == "U+001B"),
    );
    let html = t.read("challenges/hostile/index.html");
    assert!(
        html.contains("Word から貼った改行"),
        "removed, not replaced"
    );
    // What the source held raw is gone. (Numeric references such as `&#11;` are decoded by
    // the Markdown renderer; the XML writers drop what XML cannot hold, tested below.)
    for c in ['\u{C}', '\u{FFFE}', '\u{7F}', '\u{85}', '\u{1B}'] {
        assert!(!html.contains(c), "{}", tsunagari::unicode::code_point(c));
    }
    assert_xml_outputs_parse(&t);
}

#[test]
fn feeds_and_sitemaps_of_every_fixture_site_parse_as_xml() {
    let mut sites = crate::common::every_site();
    sites.push(("hostile".into(), hostile_site(), crate::common::NOW));
    for (name, t, now) in &sites {
        if let Err(e) = t.build_at(now) {
            panic!("{name}: {e:?}");
        }
        let n = assert_xml_outputs_parse(t);
        assert!(
            n >= 2,
            "{name}: the Atom feed and the sitemap at least, got {n}"
        );
        assert!(t.exists("sitemap.xml") && t.exists("atom.xml"), "{name}");
    }
}

#[test]
fn xml_writers_drop_characters_xml_does_not_allow() {
    let s = tsunagari::feeds::xml("a\u{B}b\u{0}c\u{FFFE}d<&>\u{1F600}\t\n");
    assert_eq!(s, "abcd&lt;&amp;&gt;\u{1F600}\t\n");
}

const CLOSED_EARLY: &str = "https://test.example.jp/challenges/closed-early/";
const CLOSED_LATE: &str = "https://test.example.jp/challenges/closed-late/";

fn closed_site(updated: &str) -> SiteTest {
    let t = SiteTest::empty();
    // Closed by status on the 20th, although the deadline is still ahead.
    t.file(
        "content/challenges/closed-early.md",
        &challenge(&format!("deadline: 2026-06-30\nstatus: closed\n{updated}")),
    );
    // Closed by its deadline on the 25th.
    t.file(
        "content/challenges/closed-late.md",
        &challenge("deadline: 2026-03-25\n"),
    );
    t.file(
        "content/challenges/open.md",
        &challenge("deadline: 2026-06-30\n"),
    );
    t
}

#[test]
fn closing_a_challenge_shows_in_json_ld_sitemap_and_atom() {
    let t = closed_site("updated: 2026-03-20\n");
    let report = t.build();
    assert!(report.warnings.is_empty(), "{}", render(&report.warnings));
    for page in ["closed-early", "closed-late"] {
        let ld = jsonld(&t, &format!("challenges/{page}/index.html"));
        assert!(
            ld.iter().all(|n| n["@type"] != "JobPosting"),
            "{page}: an expired posting carries no JobPosting: {ld:?}"
        );
    }
    let open = jsonld(&t, "challenges/open/index.html");
    assert!(open.iter().any(|n| n["@type"] == "JobPosting"));
    assert_eq!(lastmod(&t, CLOSED_EARLY).as_deref(), Some("2026-03-20"));
    assert_eq!(lastmod(&t, CLOSED_LATE).as_deref(), Some("2026-03-25"));
    let (feed, early) = atom_updated(&t, "challenges/atom.xml", CLOSED_EARLY);
    assert_eq!(early, "2026-03-20T00:00:00+09:00");
    let (_, late) = atom_updated(&t, "challenges/atom.xml", CLOSED_LATE);
    assert_eq!(
        late, "2026-03-25T23:59:59+09:00",
        "the end of the deadline day"
    );
    assert_eq!(feed, late, "the feed is as new as its newest change");
    let (_, site_feed_entry) = atom_updated(&t, "atom.xml", CLOSED_LATE);
    assert_eq!(site_feed_entry, late);
}

#[test]
fn closed_by_status_without_updated_warns_at_the_status_line_and_uses_the_build_date() {
    for updated in ["", "updated: 2026-02-01\n"] {
        let t = closed_site(updated);
        let report = t.build();
        let w = expect_at(
            &report.warnings,
            "content/challenges/closed-early.md",
            7,
            |p| matches!(p, Problem::Text(TextProblem::ClosedWithoutUpdated)),
        );
        assert!(w.problem.help(Lang::Ja).unwrap().contains("updated:"));
        assert_eq!(
            lastmod(&t, CLOSED_EARLY).as_deref(),
            Some("2026-04-01"),
            "{updated}"
        );
        let first = t.snapshot();
        t.build();
        assert_eq!(
            first,
            t.snapshot(),
            "same sources and build date, same bytes"
        );
    }
}

#[test]
fn content_files_and_site_yaml_over_the_size_limit_are_refused() {
    let limit = tsunagari::content::MAX_FILE_BYTES as usize;
    let t = SiteTest::empty();
    let mut big = challenge("").into_bytes();
    big.resize(limit + 1, b'a');
    t.bytes("content/challenges/big.md", &big);
    t.file("content/challenges/ok.md", &challenge(""));
    let e = t.errors();
    assert_eq!(e.len(), 1, "{}", render(&e));
    assert_eq!(e[0].path, Path::new("content/challenges/big.md"));
    assert_eq!(
        e[0].problem,
        Problem::Text(TextProblem::FileTooLarge { limit_mib: 10 })
    );
    assert!(e[0].problem.message(Lang::Ja).contains("10 MiB"));

    t.remove("content/challenges/big.md");
    let mut yaml = b"title: t\nbase_url: https://test.example.jp/\n#".to_vec();
    yaml.resize(limit + 1, b'#');
    t.bytes("site.yaml", &yaml);
    let e = t.errors();
    assert_eq!(e.len(), 1, "{}", render(&e));
    assert_eq!(e[0].path, Path::new("site.yaml"));
    assert!(matches!(
        e[0].problem,
        Problem::Text(TextProblem::FileTooLarge { .. })
    ));
}

#[test]
fn term_names_that_make_too_long_url_segments_are_errors_at_their_line() {
    let long = "長".repeat(86); // 258 bytes
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        &format!("---\ntitle: 課題\nmunicipality: {long}\nprefecture: 新潟県\ndate: 2026-03-01\nthemes: [観光, {long}]\ntags:\n  - {long}\n---\n本文\n"),
    );
    t.file(
        "content/challenges/ok.md",
        &challenge(&format!("skills: [{}]\n", "短".repeat(85))),
    );
    let e = t.errors();
    let too_long = |p: &Problem| {
        matches!(
            p,
            Problem::Text(TextProblem::PathTooLong { bytes: 258, .. })
        )
    };
    let lines: Vec<usize> = e
        .iter()
        .filter(|d| too_long(&d.problem))
        .map(|d| d.line)
        .collect();
    assert_eq!(lines, [3, 6, 7], "{}", render(&e));
    assert!(
        e.iter()
            .all(|d| d.path == Path::new("content/challenges/a.md")),
        "{}",
        render(&e)
    );
    assert!(e[0].problem.message(Lang::Ja).contains("255"));
}

#[test]
fn thousands_of_unknown_keys_are_reported_as_twenty_and_a_count() {
    let keys: String = (0..20_000).map(|i| format!("x{i}: 1\n")).collect();
    let t = SiteTest::empty();
    t.file("content/challenges/a.md", &challenge(&keys));
    let e = t.errors();
    let unknown: Vec<usize> = e
        .iter()
        .filter(|d| matches!(d.problem, Problem::UnknownField { .. }))
        .map(|d| d.line)
        .collect();
    assert_eq!(unknown, (6..26).collect::<Vec<_>>());
    let rest = expect_at(&e, "content/challenges/a.md", 26, |p| {
        matches!(
            p,
            Problem::Text(TextProblem::TooManyUnknownFields { more: 19_980 })
        )
    });
    assert!(rest.problem.message(Lang::Ja).contains("19980"));
    assert_eq!(e.len(), 21);
}
