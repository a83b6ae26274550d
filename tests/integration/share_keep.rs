//! Issue 14, "Share" and "気になる": share links are plain links to the networks with the page's
//! absolute, percent-encoded URL (no third-party script); the 気になる page is per visitor
//! (noindex, out of the sitemap) and every 気になる button carries what it lists; and every
//! status badge of an open challenge with a deadline carries it, so `assets/status.js` keeps
//! each one true (cards, challenge pages, あわせて読みたい, related lists).

use crate::common::*;
use scraper::{ElementRef, Html, Selector};

/// The value of query parameter `name` of `url`, still encoded.
fn param<'a>(url: &'a str, name: &str) -> &'a str {
    let query = url.split_once('?').unwrap().1;
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{url} has no {name}"))
}

fn portal() -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/portal/\n",
    );
    t.file(
        "content/challenges/港.md",
        "---\ntitle: 魚 & 港? 100%\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\ndeadline: 2026-06-30\n---\n本文\n",
    );
    t.file(
        "content/cases/c.md",
        "---\ntitle: 事例\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\n---\n本文\n",
    );
    t.build();
    t
}

#[test]
fn share_links_carry_the_absolute_encoded_url_as_plain_same_tab_links() {
    let t = portal();
    for (file, page, title) in [
        (
            "challenges/港/index.html",
            "https://test.example.jp/portal/challenges/%E6%B8%AF/",
            "魚 & 港? 100%",
        ),
        (
            "cases/c/index.html",
            "https://test.example.jp/portal/cases/c/",
            "事例",
        ),
    ] {
        let doc = t.html(file);
        // share.js shares the heading and the canonical URL: the page carries neither twice.
        assert_eq!(texts(&doc, "article h1"), [title], "{file}");
        assert!(
            attrs(&doc, "[data-share]", "data-title").is_empty(),
            "{file}"
        );
        assert!(attrs(&doc, "[data-share]", "data-url").is_empty(), "{file}");
        let hrefs = attrs(&doc, ".share a", "href");
        assert_eq!(hrefs.len(), 3, "{file}");
        let prefixes = [
            ("https://social-plugins.line.me/lineit/share?", "url"),
            ("https://x.com/intent/post?", "url"),
            ("https://www.facebook.com/sharer/sharer.php?", "u"),
        ];
        for (href, (prefix, name)) in hrefs.iter().zip(prefixes) {
            assert!(href.starts_with(prefix), "{href}");
            assert!(href.is_ascii(), "{href}");
            let value = param(href, name);
            assert!(!value.contains(['/', ':', '&', '?', '#']), "{href}");
            assert_eq!(percent_decoded(value), page, "{href}");
        }
        // No title in the links: each network reads the page's own card (og:title).
        assert!(hrefs.iter().all(|h| !h.contains("text=")), "{hrefs:?}");
        assert_eq!(attrs(&doc, "meta[property='og:title']", "content").len(), 1);
        // The links open in the same tab, so there is no new tab to announce (and no opener
        // to cut off with rel=noopener).
        assert!(attrs(&doc, ".share a", "target").is_empty(), "{file}");
        assert_eq!(texts(&doc, ".share a").len(), 3, "{file}");
        // No button without JavaScript: share.js makes the ones the browser can run (with the
        // texts of assets/strings.js).
        assert!(attrs(&doc, ".share button", "type").is_empty(), "{file}");
        // Only the theme's own scripts, from this host.
        for src in attrs(&doc, "script[src]", "src") {
            assert!(src.starts_with("/portal/assets/"), "{src}");
        }
    }
    // Other kinds of page have no share links.
    assert!(texts(&t.html("index.html"), ".share a").is_empty());
}

#[test]
fn keep_page_is_noindex_out_of_the_sitemap_and_linked_from_every_footer() {
    let t = portal();
    let doc = t.html("kininaru/index.html");
    assert_eq!(attrs(&doc, "meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(texts(&doc, "h1"), ["気になるリスト"]);
    assert!(texts(&doc, "noscript")
        .concat()
        .contains("JavaScript が必要です"));
    // The page's badges and the buttons' labels come from strings.yaml through strings.js,
    // which keep.js imports; no page carries them.
    let texts_js = t.read(&t.asset("strings.js"));
    for text in [
        r#""closed":"募集終了""#,
        r#""keep":"気になる""#,
        r#""kept":"気になるを外す""#,
    ] {
        assert!(texts_js.contains(text), "{text} in {texts_js}");
    }
    assert!(t.read(&t.asset("keep.js")).contains("from './strings."));
    assert!(attrs(&doc, "template[data-keep-item]", "data-closed").is_empty());
    assert!(!t.read("sitemap.xml").contains("kininaru"));
    let keep = t.asset("keep.js");
    for file in [
        "index.html",
        "challenges/港/index.html",
        "kininaru/index.html",
    ] {
        let doc = t.html(file);
        assert_eq!(
            attrs(&doc, ".site-footer a[href='/portal/kininaru/']", "href").len(),
            1,
            "{file}"
        );
        assert_eq!(
            attrs(
                &doc,
                &format!("script[src='/portal/{keep}']"),
                "data-keep-key"
            ),
            ["/portal/"],
            "{file}"
        );
    }
}

#[test]
fn keep_buttons_on_cards_and_challenge_pages_carry_what_the_keep_page_lists() {
    let t = portal();
    let url = "/portal/challenges/港/";
    for file in [
        "challenges/index.html",
        "challenges/港/index.html",
        "index.html",
    ] {
        let doc = t.html(file);
        let sel = |css: &str| Selector::parse(css).unwrap();
        let own_page = file.starts_with("challenges/港");
        let b = "button[data-keep]";
        if own_page {
            assert_eq!(attrs(&doc, b, "data-url"), [url], "{file}");
            assert_eq!(attrs(&doc, b, "aria-pressed"), ["false"]);
            // Without JavaScript (or storage) no button shows.
            assert_eq!(attrs(&doc, b, "hidden"), [""]);
        } else {
            // Cards carry no button (issue 16): keep.js makes it from the card's title link.
            assert!(attrs(&doc, b, "data-url").is_empty(), "{file}");
        }
        // keep.js reads what the 気になる page lists from around the button: on a card its title
        // link, place and badge; on the challenge's page its h1, place and first badge.
        let around = doc
            .select(&sel(if own_page {
                "article.entry"
            } else {
                ".card--challenge"
            }))
            .find(|e| {
                own_page
                    || e.select(&sel(".card-title a"))
                        .any(|a| a.value().attr("href") == Some(url))
            })
            .expect("the card or page of the challenge");
        let text = |css: &str| {
            around
                .select(&sel(css))
                .next()
                .unwrap()
                .text()
                .collect::<String>()
        };
        let title = text(".card-title a, h1");
        assert_eq!(title.trim(), "魚 & 港? 100%", "{file}");
        let place = text(".card-place, .entry-meta .place");
        assert_eq!(
            place.split_whitespace().collect::<Vec<_>>(),
            ["新潟県", "汐見町"]
        );
        let badge = around.select(&sel(".status")).next().unwrap().value();
        assert_eq!(badge.attr("class"), Some("status status--open"), "{file}");
        assert_eq!(
            badge.attr("data-deadline"),
            Some("2026-07-01T00:00:00+09:00")
        );
    }
    // A case has no button: the challenge of its town is a compact link in あわせて読みたい
    // (partials/briefs.html) with its status badge; the challenge's own page has the button.
    let case = t.html("cases/c/index.html");
    assert!(attrs(&case, "button[data-keep]", "data-url").is_empty());
    assert_eq!(attrs(&case, ".similar li a", "href"), [url]);
    assert_eq!(texts(&case, ".similar li .status"), ["募集中"]);
}

#[test]
fn a_site_page_at_kininaru_replaces_the_generated_one() {
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "content/kininaru.md",
        "---\ntitle: 町の気になる話\ndate: 2026-03-01\n---\n本文\n",
    );
    t.build();
    assert_eq!(
        texts(&t.html("kininaru/index.html"), "h1"),
        ["町の気になる話"]
    );
}

/// The URL of the challenge a status badge is about: the page's own (its header and facts),
/// else the first challenge link of the list item it is in (cards, あわせて読みたい, related).
fn challenge_of(badge: ElementRef, own: &str) -> (String, bool) {
    let link = Selector::parse("a[href^='/challenges/']").unwrap();
    for node in badge.ancestors() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if el.value().name() == "li" {
            let href = el.select(&link).next().and_then(|a| a.value().attr("href"));
            let href = href.unwrap_or_else(|| panic!("no challenge link in {}", el.html()));
            return (href.to_string(), true);
        }
    }
    (own.to_string(), false)
}

#[test]
fn every_status_badge_of_an_open_challenge_with_a_deadline_carries_it() {
    for (t, now) in [
        (SiteTest::from_fixture("minimal"), NOW),
        (SiteTest::sample(), SAMPLE_NOW),
    ] {
        t.build_at(now).unwrap();
        let files: Vec<String> = t
            .snapshot()
            .keys()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|p| p.to_str().unwrap().to_string())
            .collect();
        // Which challenges have a deadline: a deadline beside the status on their own page.
        let has_deadline = |url: &str| {
            let doc = t.html(&format!("{}index.html", &url[1..]));
            !texts(&doc, ".entry-status .deadline").is_empty()
        };
        let badge = Selector::parse(".status").unwrap();
        let (mut in_lists, mut checked) = (0, 0);
        for file in &files {
            let doc: Html = t.html(file);
            let own = format!("/{}", file.trim_end_matches("index.html"));
            for b in doc.select(&badge) {
                // The 気になる page's item template is filled by its script.
                let in_template = b
                    .ancestors()
                    .any(|n| ElementRef::wrap(n).is_some_and(|e| e.value().name() == "template"));
                if in_template {
                    continue;
                }
                let class = b.value().attr("class").unwrap();
                if class.contains("status--closed") {
                    assert!(b.value().attr("data-deadline").is_none(), "{file}");
                    continue;
                }
                let (url, listed) = challenge_of(b, &own);
                if !has_deadline(&url) {
                    continue;
                }
                let at = |a: &str| b.value().attr(a).map(str::to_string);
                assert!(
                    at("data-deadline").is_some() && at("data-soon").is_some(),
                    "{file}: the badge of {url} has no deadline: {}",
                    b.html()
                );
                checked += 1;
                // Badges of the related and あわせて読みたい cards, which once lacked it.
                in_lists += usize::from(
                    listed
                        && b.ancestors().any(|n| {
                            ElementRef::wrap(n).is_some_and(|e| {
                                e.value()
                                    .classes()
                                    .any(|c| c == "related" || c == "similar")
                            })
                        }),
                );
            }
        }
        assert!(
            checked > 0 && in_lists > 0,
            "{checked} badges, {in_lists} in link lists"
        );
    }
}
