//! Issue 14, "Feeds and metadata": the JSON-LD of built pages read back (`JobPosting`'s
//! `baseSalary`, `directApply` and `employmentType`; no breadcrumb list of one item) and the
//! names of the search landmarks.

use crate::common::*;
use scraper::{Html, Selector};
use serde_json::Value;

/// The nodes of the page's one JSON-LD block.
fn graph(t: &SiteTest, page: &str) -> Vec<Value> {
    let doc = t.html(page);
    let sel = Selector::parse("script[type='application/ld+json']").unwrap();
    let scripts: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert_eq!(scripts.len(), 1, "{page}: one JSON-LD block");
    let v: Value = serde_json::from_str(&scripts[0]).unwrap();
    v["@graph"].as_array().unwrap().clone()
}

fn job(t: &SiteTest, slug: &str) -> Option<Value> {
    graph(t, &format!("challenges/{slug}/index.html"))
        .into_iter()
        .find(|n| n["@type"] == "JobPosting")
}

fn salary(reward: &str) -> Option<Value> {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/x.md",
        &challenge(&format!("reward: \"{reward}\"\ndeadline: 2026-06-30\n")),
    );
    t.build();
    job(&t, "x")
        .expect("open challenge")
        .get("baseSalary")
        .cloned()
}

#[test]
fn job_posting_base_salary_only_for_a_clear_amount() {
    assert_eq!(
        salary("時給1,500円"),
        Some(serde_json::json!({
            "@type": "MonetaryAmount",
            "currency": "JPY",
            "value": { "@type": "QuantitativeValue", "value": 1500, "unitText": "HOUR" }
        }))
    );
    let range = salary("月５万円～１０万円（交通費別途）").expect("a range");
    assert_eq!(range["value"]["minValue"], 50000);
    assert_eq!(range["value"]["maxValue"], 100000);
    assert_eq!(range["value"]["unitText"], "MONTH");
    for unclear in ["謝礼あり", "無償", "応相談", "1回 3万円", "1案件10万円"] {
        assert_eq!(salary(unclear), None, "{unclear}");
    }
}

#[test]
fn job_posting_employment_type_side_jobs_are_contractors() {
    let t = SiteTest::empty();
    let with = |e: &str| challenge(&format!("engagement: [{e}]\ndeadline: 2026-06-30\n"));
    t.file("content/challenges/side.md", &with("副業, 兼業"));
    t.file(
        "content/challenges/secondment.md",
        &with("企業派遣, プロボノ"),
    );
    t.file("content/challenges/unknown.md", &with("ワーケーション"));
    t.build();
    let types = |slug: &str| job(&t, slug).unwrap().get("employmentType").cloned();
    assert_eq!(types("side"), Some(serde_json::json!(["CONTRACTOR"])));
    assert_eq!(
        types("secondment"),
        Some(serde_json::json!(["OTHER", "VOLUNTEER"]))
    );
    assert_eq!(types("unknown"), None, "an unknown term claims nothing");
}

/// A site whose challenges take applications through `handler` (YAML of one handler).
fn with_form(handler: &str) -> SiteTest {
    let t = SiteTest::empty();
    t.file("site.yaml", &format!("title: テスト\nbase_url: https://test.example.jp/\nforms:\n  default: apply\n  handlers:\n    apply:\n{handler}      privacy:\n        purpose: 応募内容の確認のため\n"));
    t.file(
        "content/privacy.md",
        "---\ntitle: プライバシー\n---\n本文\n",
    );
    t.file(
        "content/challenges/open.md",
        &challenge("deadline: 2026-06-30\n"),
    );
    t.file(
        "content/challenges/closed.md",
        &challenge("status: closed\nupdated: 2026-03-20\n"),
    );
    t.build();
    t
}

#[test]
fn job_posting_direct_apply_when_the_form_is_on_the_page() {
    let direct = |t: &SiteTest| job(t, "open").unwrap()["directApply"].clone();
    let own = with_form("      provider: generic\n      action: https://forms.example.jp/submit\n");
    assert!(own
        .html("challenges/open/index.html")
        .select(&Selector::parse("form.contact-form").unwrap())
        .next()
        .is_some());
    assert_eq!(direct(&own), true);
    assert_eq!(
        job(&own, "closed"),
        None,
        "a closed challenge has no posting"
    );

    let link = with_form("      provider: google_forms\n      id: 1FAIpQLSexample\n      mode: link\n      entries:\n        name: entry.1\n        email: entry.2\n        message: entry.3\n");
    assert_eq!(
        direct(&link),
        true,
        "one click to the provider's prefilled form, details given once"
    );

    let none = SiteTest::empty();
    none.file(
        "content/challenges/open.md",
        &challenge("deadline: 2026-06-30\n"),
    );
    none.build();
    assert_eq!(direct(&none), false, "no form on the page");
}

#[test]
fn home_has_no_breadcrumb_list_of_one_item() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let home = graph(&t, "index.html");
    assert!(
        home.iter().all(|n| n["@type"] != "BreadcrumbList"),
        "{home:?}"
    );
    let site = home.iter().find(|n| n["@type"] == "WebSite").unwrap();
    assert_eq!(site["url"], "https://test.example.jp/");
    assert_eq!(site["name"], "テストポータル");
    // No page anywhere has a list of one; every page below home has one.
    for (path, _) in t.snapshot() {
        let p = path.to_str().unwrap();
        if !p.ends_with(".html") || p == "404.html" {
            continue;
        }
        let lists: Vec<Value> = graph(&t, p)
            .into_iter()
            .filter(|n| n["@type"] == "BreadcrumbList")
            .collect();
        if p == "index.html" {
            continue;
        }
        assert_eq!(lists.len(), 1, "{p}");
        assert!(
            lists[0]["itemListElement"].as_array().unwrap().len() > 1,
            "{p}"
        );
    }
}

/// The accessible name of a landmark element: `aria-label`, or the text of `aria-labelledby`.
fn landmark_name(doc: &Html, e: scraper::ElementRef) -> Option<String> {
    if let Some(l) = e.value().attr("aria-label") {
        return Some(l.trim().to_string());
    }
    let ids = e.value().attr("aria-labelledby")?;
    let text: Vec<String> = ids
        .split_whitespace()
        .flat_map(|id| texts(doc, &format!("#{id}")))
        .collect();
    Some(text.join(" "))
}

#[test]
fn search_landmarks_are_named_apart_on_every_page() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let landmarks = Selector::parse("[role=search], search").unwrap();
    let mut search_page = Vec::new();
    for (path, _) in t.snapshot() {
        let p = path.to_str().unwrap();
        if !p.ends_with(".html") {
            continue;
        }
        let doc = t.html(p);
        let names: Vec<String> = doc
            .select(&landmarks)
            .map(|e| landmark_name(&doc, e).unwrap_or_default())
            .collect();
        assert!(
            names.iter().all(|n| !n.is_empty()),
            "{p}: unnamed search region"
        );
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{p}: {names:?}");
        if p == "search/index.html" {
            search_page = names;
        }
    }
    // The search page has one search box: the header's is left out there (issue 15).
    assert_eq!(search_page, ["検索条件"]);
}
