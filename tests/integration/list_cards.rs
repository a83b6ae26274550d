//! Issue 16, bytes of list pages: a card carries only what a visitor needs. No wrapper, no line
//! break, no placeholder element (a tone class: style.css draws the slot), no 気になる button
//! (keep.js makes it), a summary of at most one sentence or 60 characters in section lists and
//! none in term and municipality lists, where the list is already narrowed.

use crate::common::{SiteTest, SAMPLE_NOW};
use scraper::{Html, Selector};
use std::path::Path;

/// Every HTML file of the built site, by its path under public/.
fn pages(t: &SiteTest) -> Vec<(String, Html)> {
    let mut out = Vec::new();
    for (path, bytes) in t.snapshot() {
        if path.extension().is_some_and(|e| e == "html") {
            let text = String::from_utf8(bytes).unwrap();
            out.push((
                path.to_string_lossy().into_owned(),
                Html::parse_document(&text),
            ));
        }
    }
    out
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

#[test]
fn cards_carry_no_wrapper_placeholder_button_or_line_break() {
    let t = SiteTest::sample();
    t.build_at(SAMPLE_NOW).unwrap();
    let mut cards = 0;
    let mut toned = 0;
    for (path, doc) in pages(&t) {
        for card in doc.select(&sel("li.card")) {
            cards += 1;
            let html = card.html();
            let classes: Vec<&str> = card.value().classes().collect();
            let tones: Vec<&&str> = classes
                .iter()
                .filter(|c| c.starts_with("card--tone-"))
                .collect();
            let photo = card.select(&sel(".card-photo")).next().is_some();
            // A photo, or a tone (0–7) for the slot style.css draws: never both, never none.
            assert_eq!(tones.len(), usize::from(!photo), "{path}: {html}");
            if let Some(tone) = tones.first() {
                let n: u32 = tone["card--tone-".len()..].parse().unwrap();
                assert!(n < 8, "{path}: {tone}");
                toned += 1;
            }
            for gone in [
                "article",
                "div.card-photo--placeholder",
                "button",
                ".card-facts div",
            ] {
                assert!(
                    card.select(&sel(gone)).next().is_none(),
                    "{path}: {gone} in {html}"
                );
            }
            // The one line break a card may hold ends its picture (partials/picture.html).
            assert!(
                html.matches('\n').count() <= usize::from(photo),
                "{path}: {html}"
            );
        }
    }
    assert!(
        cards > 100 && toned > 0,
        "{cards} cards, {toned} without a photo"
    );
}

#[test]
fn section_lists_show_a_short_summary_and_term_and_town_lists_none() {
    let t = SiteTest::sample();
    t.build_at(SAMPLE_NOW).unwrap();
    let summaries = |doc: &Html| -> Vec<String> {
        doc.select(&sel(".card-summary"))
            .map(|e| e.text().collect())
            .collect()
    };
    let (mut sections, mut terms, mut towns) = (0, 0, 0);
    for (path, doc) in pages(&t) {
        let top = Path::new(&path)
            .iter()
            .next()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let cards = doc.select(&sel("li.card")).count();
        if cards == 0 {
            continue;
        }
        let found = summaries(&doc);
        for s in &found {
            // At most 60 characters, or 60 and the ellipsis of a cut.
            let n = s.chars().count();
            assert!(n <= 60 || (n == 61 && s.ends_with('…')), "{path}: {s}");
            assert!(!s.is_empty() && !s.contains('\n'), "{path}: {s:?}");
        }
        let term = [
            "themes",
            "prefectures",
            "tags",
            "skills",
            "engagements",
            "work-styles",
        ];
        if term.contains(&top.as_str()) {
            assert!(found.is_empty(), "{path}: {found:?}");
            terms += 1;
        } else if top == "municipalities" {
            assert!(found.is_empty(), "{path}: {found:?}");
            towns += 1;
        } else if ["challenges", "cases", "columns"].contains(&top.as_str())
            && doc.select(&sel("ul.cards")).count() == 1
            && doc.select(&sel("article.entry")).next().is_none()
        {
            // A section list (or 募集中): every card with a summary in its page shows it.
            assert!(!found.is_empty(), "{path}");
            sections += 1;
        }
    }
    assert!(
        sections >= 3 && terms > 5 && towns > 0,
        "{sections} {terms} {towns}"
    );
}
