//! The sample portal in content/ is our showcase: it must build cleanly and meet the brief.

use crate::common::*;
use std::path::Path;

#[test]
fn sample_portal_builds_without_warnings_and_meets_the_brief() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let mut o = tsunagari::pipeline::options(repo, "2026-11-21");
    o.output = Some(tmp.path().join("public"));
    let r = tsunagari::pipeline::build(&o).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(r.warnings.is_empty(), "{}", render(&r.warnings));
    let out = tmp.path().join("public");
    let count = |dir: &str| {
        std::fs::read_dir(out.join(dir))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.path().join("index.html").exists() && e.file_name() != "page")
            .count()
    };
    assert!(count("challenges") >= 12);
    assert!(count("cases") >= 6);
    assert!(count("columns") >= 6);
    for p in ["about", "privacy", "accessibility"] {
        assert!(out.join(p).join("index.html").exists(), "{p}");
    }
    let list = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("challenges/index.html")).unwrap(),
    );
    let places = texts(&list, ".card-place");
    let prefectures: std::collections::BTreeSet<_> = places
        .iter()
        .map(|p| p.split(' ').next().unwrap().to_string())
        .collect();
    assert!(prefectures.len() >= 6, "{prefectures:?}");
    let statuses = texts(&list, ".card .status");
    assert!(
        statuses.iter().any(|s| s == "募集終了"),
        "some challenges are closed"
    );
    assert!(statuses.iter().any(|s| s == "募集中"));
    let m = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("municipalities/niigata/汐見町/index.html")).unwrap(),
    );
    assert!(
        !texts(&m, ".prose p").is_empty(),
        "the sample shows a municipality profile"
    );
    assert!(!texts(&m, ".card").is_empty());
    // Forms: on open challenges (not closed ones) and on the contact page; a thank-you page.
    let read =
        |p: &str| scraper::Html::parse_document(&std::fs::read_to_string(out.join(p)).unwrap());
    assert_eq!(
        attrs(
            &read("challenges/shiomi-fishery-brand/index.html"),
            "form.contact-form",
            "action"
        ),
        ["https://formspree.io/f/xexample"]
    );
    assert!(attrs(
        &read("challenges/tomori-care-mobility/index.html"),
        "form.contact-form",
        "action"
    )
    .is_empty());
    assert_eq!(
        attrs(&read("contact/index.html"), "form.contact-form", "method"),
        ["post"]
    );
    assert!(out.join("thanks/index.html").exists());
    let a11y = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join("accessibility/index.html")).unwrap(),
    );
    assert_eq!(texts(&a11y, ".facts-table td")[1], "AA（一部準拠）");
    for case in std::fs::read_dir(out.join("cases"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index.html").exists())
    {
        let doc = scraper::Html::parse_document(
            &std::fs::read_to_string(case.path().join("index.html")).unwrap(),
        );
        assert!(
            !attrs(&doc, ".related a", "href").is_empty(),
            "{:?} is linked to a challenge",
            case.file_name()
        );
    }
}
