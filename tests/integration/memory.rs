//! Memory of a build: what it frees once used (issue 16: 200,000 pages in 4 GiB).

use crate::common::SiteTest;
use std::path::Path;
use std::sync::Arc;
use tsunagari::content::{self, Source};
use tsunagari::output::Memory;
use tsunagari::{pipeline, site};

/// The build date the sample portal is written for (its drafts are linked only later).
const NOW: &str = "2026-11-21";

/// Each page's body HTML is taken out of the pages once the pages and feeds that show it are
/// written, for the search index, which frees it as it reads it; the pages and the Atom feed
/// still carry every body, and the index its text.
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
    let files = memory.into_map();
    // The index read the bodies before freeing them: a body's words are in the stored text.
    let mut stored = String::new();
    for (_, pack) in files.iter().filter(|(k, _)| k.starts_with("search/t.")) {
        for blob in tsunagari::search::pack::unpack(pack).expect("a pack") {
            let mut json = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(blob), &mut json)
                .expect("gzip");
            stored.push_str(&json);
        }
    }
    let mut found = 0;
    for (_, html) in &bodies {
        let text = tsunagari::markdown::text_of(html);
        let line = text.lines().next().unwrap_or("");
        if line.chars().count() > 8 && !line.contains(['"', '\\']) {
            let start: String = line.chars().take(8).collect();
            // Municipality profiles, drafts and future pages are not searched.
            found += usize::from(stored.contains(&start));
        }
    }
    assert!(found > 5, "{found}");
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

/// The bodies handed to the search index are moved out of the pages, in page order; one the
/// dev server's cache shares is copied and stays.
#[test]
fn taken_bodies_leave_the_pages_but_a_shared_one_is_copied() {
    let t = SiteTest::sample();
    let mut prepared = pipeline::prepare(&pipeline::options(&t.root, NOW)).expect("builds");
    let shared = Arc::clone(&prepared.site.pages[0].body);
    let before: Vec<String> = prepared
        .site
        .pages
        .iter()
        .map(|p| p.body.html.clone())
        .collect();
    assert!(!before[1].is_empty());
    let taken = prepared.site.take_html();
    assert_eq!(taken, before);
    assert!(prepared.site.html_released);
    assert_eq!(prepared.site.pages[0].body.html, shared.html);
    assert!(prepared.site.pages[1..]
        .iter()
        .all(|p| p.body.html.is_empty()));
}

/// An assembled page keeps of its rendered body what pages, feeds and the index read (HTML and
/// headings; the index reads the text from the HTML): the lead made the summary and is dropped, as are the problems and the links
/// to generated outputs, once reported.
#[test]
fn assembled_pages_keep_only_what_is_read_later() {
    let t = SiteTest::sample();
    let prepared = pipeline::prepare(&pipeline::options(&t.root, NOW)).expect("builds");
    let pages = &prepared.site.pages;
    let full: Vec<&str> = pages
        .iter()
        .filter(|p| !p.body.lead.is_empty() || !p.body.later.is_empty())
        .map(|p| p.url.as_str())
        .collect();
    assert!(full.is_empty(), "leads kept: {full:?}");
    let read = pages
        .iter()
        .filter(|p| !p.body.html.is_empty())
        .filter(|p| !p.body.headings.is_empty() && !p.summary.is_empty())
        .count();
    assert!(read > 10, "{read}");
}

/// Sources someone else holds (the dev server's cache) keep their bodies: only the build's own
/// copy of a source is cut to its front matter once rendered.
#[test]
fn sources_shared_with_a_cache_keep_their_bodies() {
    let t = SiteTest::sample();
    let mut kept: Vec<Arc<Source>> = Vec::new();
    let mut load = |root: &Path, entries: Vec<content::Entry>| {
        let (sources, d) = content::load(root, entries);
        let sources: Vec<Arc<Source>> = sources.into_iter().map(Arc::new).collect();
        kept = sources.clone();
        (sources, d)
    };
    let opts = pipeline::options(&t.root, NOW);
    pipeline::prepare_with(&opts, &mut load, &site::Fresh).expect("builds");
    assert!(kept.len() > 10, "{}", kept.len());
    for s in &kept {
        let file = std::fs::read_to_string(t.root.join(&s.entry.rel)).expect("a source");
        assert_eq!(s.text, file, "{}", s.entry.rel.display());
    }
}
