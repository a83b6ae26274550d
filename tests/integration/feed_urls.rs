//! Issue 14, feeds and metadata: every URL of the feeds, the sitemap and the JSON-LD is
//! absolute, percent-encoded ASCII that decodes back to a page the build wrote; feed titles name
//! their scope; feed and sitemap times move when a challenge's status changes.

use crate::common::{percent_decoded, SiteTest, SAMPLE_NOW};
use serde_json::Value;
use std::path::Path;

const BASE: &str = "https://tsunagari.example.jp/";

/// Every file below `dir` whose name ends with `suffix`, relative, `/`-separated.
fn files(dir: &Path, suffix: &str) -> Vec<String> {
    crate::common::snapshot(dir)
        .into_keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p.ends_with(suffix))
        .collect()
}

/// Checks one URL of `file`: ASCII without spaces, below the site, naming an output of the
/// build once decoded. Returns whether it decoded to something else (a Japanese path).
fn check(t: &SiteTest, file: &str, url: &str) -> bool {
    assert!(
        url.bytes().all(|b| (0x21..=0x7E).contains(&b)),
        "{file}: not encoded ASCII: {url}"
    );
    let decoded = percent_decoded(url);
    let path = decoded
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{file}: not absolute below the site: {url}"));
    let out = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    assert!(
        t.exists(&out),
        "{file}: {url} decodes to {decoded}, not written"
    );
    decoded != url
}

#[test]
fn every_feed_sitemap_and_json_ld_url_is_encoded_ascii_naming_a_page() {
    let t = SiteTest::sample();
    t.build_at(SAMPLE_NOW).unwrap();
    let mut checked = 0;
    let mut japanese = 0;
    let mut count = |file: &str, url: &str| {
        checked += 1;
        japanese += usize::from(check(&t, file, url));
    };
    let feeds = files(&t.public(), "atom.xml");
    assert!(feeds.len() > 10, "{feeds:?}");
    for f in feeds.iter().chain([&"sitemap.xml".to_string()]) {
        let text = t.read(f);
        let doc = roxmltree::Document::parse(&text).unwrap();
        for n in doc.descendants().filter(|n| n.is_element()) {
            let name = n.tag_name().name();
            if matches!(name, "id" | "loc") {
                count(f, n.text().unwrap());
            }
            if name == "link" {
                count(f, n.attribute("href").unwrap());
            }
            if let Some(b) = n.attribute(("http://www.w3.org/XML/1998/namespace", "base")) {
                count(f, b);
            }
        }
    }
    let json: Value = serde_json::from_str(&t.read("challenges/open.json")).unwrap();
    count("open.json", json["home_page_url"].as_str().unwrap());
    count("open.json", json["feed_url"].as_str().unwrap());
    let items = json["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        count("open.json", item["id"].as_str().unwrap());
        count("open.json", item["url"].as_str().unwrap());
        if let Some(m) = item["_challenge"]["municipality_url"].as_str() {
            count("open.json", m);
        }
    }
    for page in files(&t.public(), "index.html") {
        let doc = t.html(&page);
        let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
        for s in doc.select(&sel) {
            let v: Value = serde_json::from_str(&s.inner_html()).unwrap();
            let mut urls = Vec::new();
            ld_urls(&v, &mut urls);
            for u in urls {
                count(&page, &u);
            }
        }
    }
    assert!(checked > 500, "only {checked} URLs checked");
    assert!(
        japanese > 50,
        "only {japanese} of {checked} URLs had Japanese"
    );
}

/// The site URLs of a JSON-LD value (`url`, `item`, `mainEntityOfPage`, `image`), anywhere in it.
fn ld_urls(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let is_url = matches!(k.as_str(), "url" | "item" | "mainEntityOfPage" | "image");
                match x {
                    Value::String(s) if is_url && s.starts_with(BASE) => out.push(s.clone()),
                    _ => ld_urls(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| ld_urls(x, out)),
        _ => {}
    }
}

#[test]
fn feed_titles_name_what_they_follow() {
    let t = SiteTest::sample();
    t.build_at(SAMPLE_NOW).unwrap();
    let title = |f: &str| {
        let text = t.read(f);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let n = doc
            .root_element()
            .children()
            .find(|n| n.has_tag_name("title"));
        n.unwrap().text().unwrap().to_string()
    };
    let site = "つながりポータル";
    let yaml = std::fs::read_to_string(t.root.join("site.yaml")).unwrap();
    assert!(yaml.contains(site), "the sample's title changed");
    assert_eq!(title("atom.xml"), format!("{site}の新着情報"));
    let section = title("challenges/atom.xml");
    assert!(
        section.starts_with("課題") && section.contains("新着情報"),
        "{section}"
    );
    assert!(section.ends_with(site), "{section}");
    let pref = title("prefectures/niigata/atom.xml");
    assert!(pref.starts_with("新潟県（都道府県）の新着情報"), "{pref}");
}

/// A site with one challenge (date 2026-03-01, deadline 2026-05-10, closing soon from 7 days
/// before): (Atom `<updated>`, JSON feed `date_modified`, sitemap `<lastmod>`) of its entry
/// when built at `now`; None where the feed does not list it.
fn times_at(now: &str) -> (String, Option<String>, String) {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nclosing_soon_days: 7\n",
    );
    t.file(
        "content/challenges/tsuki.md",
        &crate::common::challenge("deadline: 2026-05-10\n"),
    );
    t.build_at(now).unwrap();
    let url = "https://test.example.jp/challenges/tsuki/";
    let atom = t.read("atom.xml");
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let entry = doc
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .expect("the challenge is in the site feed");
    let child = |n: roxmltree::Node, tag: &str| {
        let c = n.children().find(|c| c.has_tag_name(tag)).unwrap();
        c.text().unwrap().to_string()
    };
    assert_eq!(child(entry, "id"), url);
    let updated = child(entry, "updated");
    let json: Value = serde_json::from_str(&t.read("challenges/open.json")).unwrap();
    let modified = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["url"] == url)
        .map(|i| i["date_modified"].as_str().unwrap().to_string());
    let sitemap = t.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let entry = doc
        .descendants()
        .find(|n| n.has_tag_name("url") && child(*n, "loc") == url)
        .unwrap();
    (updated, modified, child(entry, "lastmod"))
}

#[test]
fn feed_and_sitemap_times_move_when_a_challenge_changes_status() {
    // Open: the page's own date.
    let open = times_at("2026-04-01");
    assert_eq!(open.0, "2026-03-01T00:00:00+09:00");
    assert_eq!(open.1.as_deref(), Some("2026-03-01T00:00:00+09:00"));
    assert_eq!(open.2, "2026-03-01");
    // Closing soon (募集中 → 締切間近 on 2026-05-03): the start of that day.
    let soon = times_at("2026-05-05");
    assert_eq!(soon.0, "2026-05-03T00:00:00+09:00");
    assert_eq!(soon.1.as_deref(), Some("2026-05-03T00:00:00+09:00"));
    assert_eq!(soon.2, "2026-05-03");
    // Closed by its deadline: the end of the deadline day; the JSON feed lists open ones only.
    let closed = times_at("2026-05-11");
    assert_eq!(closed.0, "2026-05-10T23:59:59+09:00");
    assert_eq!(closed.1, None);
    assert_eq!(closed.2, "2026-05-10");
}
