//! Forgiving, exact input (issue 13 §4, YAML level): the slips of Japanese typing are either
//! understood with a warning that shows the canonical form, or refused at their own line with a
//! Japanese hint.

use crate::common::*;
use tsunagari::diagnostics::{InputProblem, Lang, Problem};

const FILE: &str = "content/challenges/a.md";

fn warnings(t: &SiteTest) -> Vec<tsunagari::diagnostics::Diagnostic> {
    t.build().warnings
}

#[test]
fn a_full_width_colon_is_refused_at_its_own_line_with_the_canonical_form() {
    // In the middle, on the last line of the front matter, inside a list item's mapping.
    for (front, line, column) in [
        ("title：観光の担い手\nmunicipality: 汐見町\n", 2, 6),
        ("municipality: 汐見町\ntitle：観光の担い手\n", 3, 6),
    ] {
        let t = SiteTest::empty();
        t.file(
            FILE,
            &format!("---\n{front}prefecture: 新潟県\ndate: 2026-03-01\n---\n"),
        );
        let d = t.errors();
        let x = expect_at(
            &d,
            FILE,
            line,
            |p| matches!(p, Problem::Input(InputProblem::FullWidthColon { key, .. }) if key == "title"),
        );
        assert_eq!(x.column, column);
        let ja = x.render(Lang::Ja);
        assert!(
            ja.contains("全角の「：」を半角の「: 」に") && ja.contains("title: 観光の担い手"),
            "{ja}"
        );
    }
    let t = SiteTest::empty();
    t.file(
        FILE,
        "---\ntitle: 課題\nmunicipality: 汐見町\nprefecture: 新潟県\ndate：2026-03-01\n---\n",
    );
    expect_at(
        &t.errors(),
        FILE,
        5,
        |p| matches!(p, Problem::Input(InputProblem::FullWidthColon { key, .. }) if key == "date"),
    );
}

#[test]
fn a_missing_space_after_a_colon_is_refused_at_its_own_line() {
    let t = SiteTest::empty();
    t.file(
        FILE,
        "---\ntitle:観光の担い手\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\n---\n",
    );
    let d = t.errors();
    let x = expect_at(
        &d,
        FILE,
        2,
        |p| matches!(p, Problem::Input(InputProblem::NoSpaceAfterColon { key, .. }) if key == "title"),
    );
    let ja = x.render(Lang::Ja);
    assert!(
        ja.contains("半角スペース") && ja.contains("title: 観光の担い手"),
        "{ja}"
    );
    // Nested, in a list of mappings: the site's menu.
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nmenu:\n  - name: 課題\n    url:/challenges/\n  - name: 事例\n    url: /cases/\n",
    );
    let got = match t.build_at(NOW) {
        Err(tsunagari::pipeline::Failure::Content(d)) => d,
        other => panic!("expected a content error, got {other:?}"),
    };
    expect_at(
        &got,
        "site.yaml",
        5,
        |p| matches!(p, Problem::Input(InputProblem::NoSpaceAfterColon { key, .. }) if key == "url"),
    );
}

#[test]
fn japanese_commas_split_a_list_with_a_warning_and_both_themes_exist() {
    let t = SiteTest::empty();
    t.file(
        FILE,
        &challenge("themes: 観光、移住\nskills: 写真・デザイン\nsummary: 観光、移住、農業の話\n"),
    );
    let w = warnings(&t);
    let x = expect_at(
        &w,
        FILE,
        6,
        |p| matches!(p, Problem::Input(InputProblem::ListSplit { field, .. }) if field == "themes"),
    );
    assert!(
        x.render(Lang::Ja).contains("[観光, 移住]"),
        "{}",
        x.render(Lang::Ja)
    );
    expect_at(
        &w,
        FILE,
        7,
        |p| matches!(p, Problem::Input(InputProblem::ListSplit { field, .. }) if field == "skills"),
    );
    // A text field is not a list: left as written.
    assert!(!w
        .iter()
        .any(|d| matches!(&d.problem, Problem::Input(InputProblem::ListSplit { field, .. }) if field == "summary")));
    let page = t.html("challenges/a/index.html");
    let themes = texts(&page, "a[href*='/themes/']");
    assert!(
        themes.iter().any(|x| x == "観光") && themes.iter().any(|x| x == "移住"),
        "{themes:?}"
    );
    // A written list keeps `・` inside a name.
    let t = SiteTest::empty();
    t.file(FILE, &challenge("themes: [農業・林業]\n"));
    assert!(warnings(&t).is_empty());
}

#[test]
fn typed_dates_are_read_with_a_warning_showing_the_canonical_form() {
    for (typed, canonical) in [
        ("2026/3/1", "2026-03-01"),
        ("2026年3月1日", "2026-03-01"),
        ("２０２６-０３-０１", "2026-03-01"),
    ] {
        let t = SiteTest::empty();
        t.file(
            FILE,
            &format!("---\ntitle: 課題\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: {typed}\n---\n本文\n"),
        );
        let w = warnings(&t);
        let x = expect_at(
            &w,
            FILE,
            5,
            |p| matches!(p, Problem::Input(InputProblem::DateRewritten { canonical: c, .. }) if c == canonical),
        );
        assert!(x.render(Lang::Ja).contains(canonical));
        let page = t.html("challenges/a/index.html");
        assert!(!attrs(&page, "time", "datetime").is_empty());
    }
}

#[test]
fn a_deadline_with_a_time_closes_at_that_time_and_shows_it() {
    let t = SiteTest::empty();
    t.file(FILE, &challenge("deadline: 2026-04-01 17:00\n"));
    // Before 17:00 on the day: open, the page shows the time, JobPosting ends at 17:00.
    t.build_at("2026-04-01T16:59:00+09:00").unwrap();
    let page = t.read("challenges/a/index.html");
    assert!(page.contains("17:00"), "the time is shown");
    assert!(
        page.contains("\"validThrough\":\"2026-04-01T17:00:00+09:00\""),
        "{page}"
    );
    let doc = t.html("challenges/a/index.html");
    assert!(attrs(&doc, "time", "datetime").contains(&"2026-04-01T17:00:00+09:00".to_string()));
    // From 17:00: closed (no JobPosting at all).
    t.build_at("2026-04-01T17:00:00+09:00").unwrap();
    let page = t.read("challenges/a/index.html");
    assert!(!page.contains("JobPosting"), "closed at 17:00");
    // A date alone still closes at the end of its day.
    let t = SiteTest::empty();
    t.file(FILE, &challenge("deadline: 2026-04-01\n"));
    t.build_at("2026-04-01T23:00:00+09:00").unwrap();
    assert!(t
        .read("challenges/a/index.html")
        .contains("T23:59:59+09:00"));
}

#[test]
fn odd_deadlines_are_warned_at_their_line() {
    let t = SiteTest::empty();
    t.file(FILE, &challenge("deadline: 2026-02-01\n"));
    let w = t.build_at(NOW).unwrap().warnings;
    expect_at(&w, FILE, 6, |p| {
        matches!(p, Problem::Input(InputProblem::DeadlineBeforeDate { .. }))
    });
    let t = SiteTest::empty();
    t.file(FILE, &challenge("deadline: 2028-04-02\n"));
    expect_at(&warnings(&t), FILE, 6, |p| {
        matches!(p, Problem::Input(InputProblem::DeadlineFarAhead { .. }))
    });
    // Exactly two years ahead is fine.
    let t = SiteTest::empty();
    t.file(FILE, &challenge("deadline: 2028-04-01\n"));
    assert!(warnings(&t).is_empty(), "{}", render(&warnings(&t)));
}

#[test]
fn a_wrong_list_item_is_reported_at_the_item() {
    let t = SiteTest::empty();
    t.file(FILE, &challenge("themes:\n  - 観光\n  - [移住, 農業]\n"));
    let d = t.errors();
    let x = expect_at(&d, FILE, 8, |p| matches!(p, Problem::WrongType { .. }));
    assert_eq!(x.column, 5);
    let t = SiteTest::empty();
    t.file(FILE, &challenge("tags: [a, {b: c}]\n"));
    let d = t.errors();
    let x = expect_at(&d, FILE, 6, |p| matches!(p, Problem::WrongType { .. }));
    assert_eq!(x.column, 11);
}
