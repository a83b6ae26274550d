//! Memory of a build: what it frees once used (issue 16: 200,000 pages in 4 GiB).

use crate::common::SiteTest;
use std::sync::Arc;
use tsunagari::output::Memory;
use tsunagari::pipeline;

/// The build date the sample portal is written for (its drafts are linked only later).
const NOW: &str = "2026-11-21";

/// Each page's body HTML is freed once the pages and feeds that show it are written, before
/// the search index is built; the pages and the Atom feed still carry every body.
#[test]
fn a_build_frees_body_html_once_pages_and_feeds_are_written() {
    let t = SiteTest::sample();
    let mut prepared = pipeline::prepare(&pipeline::options(&t.root, NOW)).expect("builds");
    let site = &prepared.site;
    assert!(!site.html_released);
    let urls = site.config.urls();
    let bodies: Vec<(String, String)> = site
        .pages
        .iter()
        .filter(|p| !p.body.html.is_empty())
        .map(|p| (urls.output_path(&p.url), p.body.html.clone()))
        .collect();
    assert!(bodies.len() > 10, "{}", bodies.len());
    let memory = Memory::default();
    pipeline::emit(&mut prepared, &t.root, &memory).expect("builds");

    let site = &prepared.site;
    assert!(site.html_released);
    let kept: Vec<&str> = site
        .pages
        .iter()
        .filter(|p| !p.body.html.is_empty())
        .map(|p| p.url.as_str())
        .collect();
    assert!(kept.is_empty(), "body HTML kept after the build: {kept:?}");
    // What the search index reads is still there.
    assert!(site.pages.iter().any(|p| !p.body.text.is_empty()));

    let files = memory.into_map();
    for (path, html) in &bodies {
        let page = String::from_utf8_lossy(&files[path]);
        assert!(page.contains(html.as_str()), "{path} lacks its body");
    }
    let atom = String::from_utf8_lossy(&files["atom.xml"]);
    let contents: Vec<&str> = atom.split("<content type=\"html\"").skip(1).collect();
    assert!(!contents.is_empty());
    for c in contents {
        let text = &c[c.find('>').expect("a content element") + 1..];
        assert!(
            text.starts_with("&lt;"),
            "an entry without its body: {c:.80}"
        );
    }
}

/// A body someone else holds (the dev server's Markdown cache) is not freed: only the site's
/// own copy could be, and the cache renders from it again.
#[test]
fn a_body_shared_with_a_cache_is_kept() {
    let t = SiteTest::sample();
    let mut prepared = pipeline::prepare(&pipeline::options(&t.root, NOW)).expect("builds");
    let shared = Arc::clone(&prepared.site.pages[0].body);
    assert!(!shared.html.is_empty());
    prepared.site.release_html();
    assert_eq!(prepared.site.pages[0].body.html, shared.html);
    assert!(prepared.site.pages[1].body.html.is_empty());
}
