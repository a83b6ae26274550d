//! The card fragment cache (issue 16): each card is rendered once per build and reused, and
//! that changes no byte of any page.

use crate::common::{SiteTest, NOW, SAMPLE_NOW};
use std::collections::HashMap;
use std::sync::Arc;
use tsunagari::output::Memory;
use tsunagari::pipeline;
use tsunagari::render::Renderer;

/// Every HTML page of `t` rendered with the card cache on or off, and how many cards it kept.
fn render(t: &SiteTest, now: &str, cached: bool) -> (HashMap<String, Arc<Vec<u8>>>, usize) {
    let prepared =
        pipeline::prepare(&pipeline::options(&t.root, now)).unwrap_or_else(|e| panic!("{e:?}"));
    let mut renderer = Renderer::new(&prepared.theme, &prepared.site).unwrap();
    if !cached {
        renderer = renderer.without_card_cache();
    }
    let memory = Memory::default();
    let diags = renderer.render_site(&prepared.site, &memory).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    (memory.into_map(), renderer.card_cache().len())
}

#[test]
fn card_cache_output_equals_uncached_output() {
    for (t, now) in [
        (SiteTest::from_fixture("snapshots"), "2026-04-01"),
        (SiteTest::from_fixture("minimal"), NOW),
        (SiteTest::sample(), SAMPLE_NOW),
    ] {
        let (cached, kept) = render(&t, now, true);
        let (uncached, none) = render(&t, now, false);
        assert!(kept > 0, "the cache was used");
        assert_eq!(none, 0, "the switch turns it off");
        assert_eq!(cached.len(), uncached.len());
        let mut cards = 0;
        for (path, bytes) in &uncached {
            let same = cached.get(path).is_some_and(|c| c == bytes);
            assert!(same, "{path} differs with the card cache");
            cards += String::from_utf8_lossy(bytes)
                .matches("<li class=\"card ")
                .count();
        }
        // Cards appear on several outputs each: the cache renders fewer than the pages show.
        assert!(kept < cards, "{kept} cards kept for {cards} shown");
    }
}

/// `partials/cards.html` as it was before the cache: every card an `include`, rendered where it
/// appears. A theme that overrides `cards.html` like this gets the same bytes, uncached.
const INCLUDED_CARDS: &str = r#"{%- if compact is defined %}{% set card_compact = true %}{% else %}{% set card_compact = false %}{% endif %}
{%- if cards %}
<ul class="cards">
{%- for p in cards %}{% include "partials/card.html" %}{% endfor -%}
</ul>
{%- else %}
<p>まだ掲載しているものはありません。</p>
{%- endif %}
"#;

#[test]
fn cached_cards_equal_cards_included_where_they_appear() {
    let t = SiteTest::sample();
    t.build_at(SAMPLE_NOW).unwrap();
    let cached = t.snapshot();
    t.file("templates/partials/cards.html", INCLUDED_CARDS);
    t.build_at(SAMPLE_NOW).unwrap();
    let included = t.snapshot();
    assert_eq!(cached.len(), included.len());
    let mut lists = 0;
    for (path, bytes) in &included {
        assert!(
            cached.get(path) == Some(bytes),
            "{} differs",
            path.display()
        );
        lists += usize::from(String::from_utf8_lossy(bytes).contains("<ul class=\"cards\">"));
    }
    assert!(lists > 0, "no page of the sample shows cards");
}

#[test]
fn a_theme_card_template_still_decides_the_markup() {
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "templates/partials/card.html",
        "<li class=\"mine\"><a href=\"{{ p.url }}\">{{ p.title }}</a> h{{ hl }}</li>\n",
    );
    t.build();
    let doc = t.html("challenges/index.html");
    let mine = crate::common::texts(&doc, "li.mine");
    assert!(
        !mine.is_empty() && mine.iter().all(|m| m.ends_with(" h2")),
        "{mine:?}"
    );
    assert!(crate::common::texts(&doc, "li.card").is_empty());
}
