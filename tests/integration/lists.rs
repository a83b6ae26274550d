//! Issue 16, lists: pages counted from the oldest item, so adding the newest challenge changes
//! only the newest page of each list it is in (compared byte for byte); municipality pages are
//! paginated like every list; the sitemap lists exactly the list pages a build writes.

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A challenge in 新潟県, dated `day` days after 2026-01-01, open on `NOW` (2026-04-01) when
/// `open`, with the theme 観光 and, for every third one, DX.
fn dated(day: u32, municipality: &str, open: bool, kind: &str) -> String {
    let (month, d) = if day < 31 {
        (1, day + 1)
    } else if day < 59 {
        (2, day - 30)
    } else {
        (3, day - 58)
    };
    let deadline = if open { "2026-12-31" } else { "2026-03-31" };
    let themes = if day.is_multiple_of(3) {
        "[観光, DX]"
    } else {
        "[観光]"
    };
    let extra = if kind == "challenge" {
        format!("deadline: {deadline}\nwork_style: remote\n")
    } else {
        String::new()
    };
    format!(
        "---\ntitle: {kind}{day}\nmunicipality: {municipality}\nprefecture: 新潟県\ndate: 2026-{month:02}-{d:02}\nthemes: {themes}\n{extra}---\n本文\n"
    )
}

/// 40 challenges over 汐見町 and 高峰町, every fourth open, in pages of 5.
fn forty() -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\npaginate_by: 5\n",
    );
    for day in 0..40u32 {
        let town = if day.is_multiple_of(2) {
            "汐見町"
        } else {
            "高峰町"
        };
        t.file(
            &format!("content/challenges/c{day:02}.md"),
            &dated(day, town, day.is_multiple_of(4), "challenge"),
        );
    }
    t
}

/// Is `path` (under the output folder) a list page: a section, the open challenges, a
/// taxonomy index, a term, a municipality, or an older page of any of them?
fn is_list(path: &str) -> bool {
    let top = path.split('/').next().unwrap_or("");
    path.ends_with("index.html")
        && (path.contains("/page/")
            || [
                "challenges/index.html",
                "cases/index.html",
                "columns/index.html",
                "challenges/status/open/index.html",
            ]
            .contains(&path)
            || [
                "prefectures",
                "themes",
                "work-styles",
                "engagements",
                "skills",
                "tags",
            ]
            .contains(&top)
            || top == "municipalities")
}

fn slashed(p: &std::path::Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The list pages of a build, by path.
fn lists(files: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(p, b)| (slashed(p), b.clone()))
        .filter(|(p, _)| is_list(p))
        .collect()
}

/// List pages new, removed or with other bytes in `after`.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    paths
        .into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .cloned()
        .collect()
}

#[test]
fn adding_the_newest_challenge_changes_only_the_newest_page_of_its_lists() {
    let t = forty();
    t.build();
    let before = lists(&t.snapshot());
    // 40 in pages of 5: the list itself and page/1/ … page/7/.
    assert!(before.contains_key("challenges/page/7/index.html"));
    assert!(!before.contains_key("challenges/page/8/index.html"));
    t.file(
        "content/challenges/new.md",
        &dated(89, "汐見町", true, "challenge"),
    );
    t.build();
    let after = lists(&t.snapshot());
    assert_eq!(
        changed(&before, &after),
        [
            "challenges/index.html",
            "challenges/status/open/index.html",
            "municipalities/index.html",
            "municipalities/niigata/汐見町/index.html",
            "prefectures/index.html",
            "prefectures/niigata/index.html",
            "themes/index.html",
            "themes/観光/index.html",
            "work-styles/index.html",
            "work-styles/remote/index.html",
        ],
        "only the newest page of each list the challenge is in, and the indexes with counts"
    );
}

#[test]
fn a_filled_page_adds_one_numbered_page_and_leaves_the_older_ones_alone() {
    let t = forty();
    t.build();
    let before = lists(&t.snapshot());
    // Five newer challenges fill a page of the challenge list: page/8/ appears with the five
    // newest of the 40, and only the three pages before it change (their pager shows the pages
    // near the newest end); page/1/ … page/4/ keep their bytes.
    for day in 80..85 {
        t.file(
            &format!("content/challenges/n{day}.md"),
            &dated(day, "汐見町", false, "challenge"),
        );
    }
    t.build();
    let after = lists(&t.snapshot());
    let older: Vec<String> = changed(&before, &after)
        .into_iter()
        .filter(|p| p.starts_with("challenges/page/"))
        .collect();
    assert_eq!(
        older,
        [
            "challenges/page/5/index.html",
            "challenges/page/6/index.html",
            "challenges/page/7/index.html",
            "challenges/page/8/index.html",
        ]
    );
    let page8 = t.html("challenges/page/8/index.html");
    assert_eq!(
        texts(&page8, ".card-title"),
        [
            "challenge36",
            "challenge39",
            "challenge38",
            "challenge37",
            "challenge35"
        ],
        "newest first, the open one (36) first"
    );
    assert_eq!(
        attrs(&page8, ".pager a[rel=prev]", "href"),
        ["/challenges/"]
    );
    assert_eq!(
        attrs(&page8, ".pager a[rel=next]", "href"),
        ["/challenges/page/7/"]
    );
    assert_eq!(
        texts(&page8, ".pager [aria-current=page]"),
        ["8"],
        "the current page is marked for assistive technology"
    );
}

#[test]
fn municipality_pages_are_paginated_with_the_profile_on_the_newest() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\npaginate_by: 3\n",
    );
    t.file(
        "content/municipalities/shiomi.md",
        "---\nmunicipality: 汐見町\nprefecture: 新潟県\nsummary: 海の町です。\n---\n町の紹介文です。\n",
    );
    for day in 0..5 {
        t.file(
            &format!("content/challenges/c{day}.md"),
            &dated(day * 2, "汐見町", day == 0, "challenge"),
        );
        t.file(
            &format!("content/cases/k{day}.md"),
            &dated(day * 2 + 1, "汐見町", false, "case"),
        );
    }
    t.build();
    // Ten items in pages of three: page/1/ and page/2/ hold the oldest six, the municipality's
    // own URL the newest four and the profile.
    let newest = t.html("municipalities/niigata/汐見町/index.html");
    assert_eq!(
        texts(
            &newest,
            "section[aria-labelledby=m-challenges-heading] .card-title"
        ),
        ["challenge8", "challenge6"]
    );
    assert_eq!(
        texts(
            &newest,
            "section[aria-labelledby=m-cases-heading] .card-title"
        ),
        ["case9", "case7"]
    );
    assert!(texts(&newest, ".prose")
        .iter()
        .any(|s| s.contains("町の紹介文")));
    let p1 = t.html("municipalities/niigata/汐見町/page/1/index.html");
    // The oldest three; the one open challenge first.
    assert_eq!(
        texts(
            &p1,
            "section[aria-labelledby=m-challenges-heading] .card-title"
        ),
        ["challenge0", "challenge2"]
    );
    assert_eq!(
        texts(&p1, "section[aria-labelledby=m-cases-heading] .card-title"),
        ["case1"]
    );
    assert!(!texts(&p1, "main").concat().contains("町の紹介文"));
    assert_eq!(
        attrs(&p1, "link[rel=canonical]", "href"),
        ["https://test.example.jp/municipalities/niigata/汐見町/page/1/"]
    );
    assert_eq!(
        attrs(&p1, ".pager a[rel=prev]", "href"),
        ["/municipalities/niigata/汐見町/page/2/"]
    );
    assert!(t.exists("municipalities/niigata/汐見町/page/2/index.html"));
    assert!(!t.exists("municipalities/niigata/汐見町/page/3/index.html"));
}

#[test]
fn the_sitemap_lists_exactly_the_list_pages_written() {
    let t = forty();
    t.file("content/cases/k.md", &dated(3, "汐見町", false, "case"));
    t.build();
    let written: BTreeSet<String> = lists(&t.snapshot())
        .into_keys()
        .map(|p| {
            format!(
                "https://test.example.jp/{}",
                p.trim_end_matches("index.html")
            )
        })
        .collect();
    let sitemap = t.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let listed: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .map(percent_decoded)
        .filter(|l| {
            is_list(&format!(
                "{}index.html",
                &l["https://test.example.jp/".len()..]
            ))
        })
        .collect();
    assert!(written.len() > 30, "{written:?}");
    assert_eq!(listed, written);
}

#[test]
fn skill_terms_have_only_their_newest_page_and_say_where_the_rest_is() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\npaginate_by: 5\n",
    );
    for day in 0..12 {
        let text =
            dated(day, "汐見町", false, "challenge").replace("themes:", "skills: [企画]\nthemes:");
        t.file(&format!("content/challenges/c{day:02}.md"), &text);
    }
    t.build();
    // 12 items in pages of 5: the newest page has the newest 7; the oldest 5 have no page of
    // the skill, but the challenge list (all pages) and the theme 観光 (all pages) have them.
    let doc = t.html("skills/企画/index.html");
    assert_eq!(texts(&doc, ".card").len(), 7);
    assert_eq!(
        texts(&doc, ".list-more"),
        ["これより前の 5 件は、課題の一覧（新しい順）や検索から探せます。"]
    );
    assert!(
        texts(&doc, ".pager").is_empty(),
        "no pager without older pages"
    );
    assert!(!t.exists("skills/企画/page/1/index.html"));
    assert!(t.exists("themes/観光/page/1/index.html"));
    assert!(t.exists("challenges/page/1/index.html"));
    assert!(!t
        .read("sitemap.xml")
        .contains("skills/%E4%BC%81%E7%94%BB/page/"));
}
