//! Issue 15, 「もしかして」: the vocabulary file the manifest names holds the indexed pages' words
//! with their document frequency and display form, and nothing of pages that are not indexed.

use crate::common::*;

/// The manifest and the vocabulary it names, as the browser reads them.
fn vocabulary(t: &SiteTest) -> Vec<serde_json::Value> {
    let m = search_manifest(t);
    let url = m["vocab"]
        .as_str()
        .expect("the manifest names the vocabulary");
    assert!(
        url.starts_with("/search/v.") && url.ends_with(".json"),
        "{url}"
    );
    serde_json::from_str(&t.read(url.trim_start_matches('/'))).unwrap()
}

#[test]
fn the_vocabulary_has_the_indexed_words_and_nothing_of_drafts_or_scheduled_pages() {
    let t = SiteTest::empty();
    let page = |slug: &str, front: &str, body: &str| {
        t.file(
            &format!("content/columns/{slug}.md"),
            &format!("---\ntitle: お知らせ\n{front}---\n{body}\n"),
        );
    };
    page(
        "a",
        "date: 2026-03-01\n",
        "コミュニティースペースでボランティアを募集します。",
    );
    page(
        "b",
        "date: 2026-03-02\n",
        "オンラインコミュニティのボランティア。",
    );
    page(
        "draft",
        "date: 2026-03-03\ndraft: true\n",
        "ナイショノケイカク",
    );
    page("later", "date: 2030-01-01\n", "ミライノハッピョウ");
    t.build();
    let v = vocabulary(&t);
    assert!(
        v.contains(&serde_json::json!(["コミュニテイ", 2, "コミュニティ"])),
        "{v:?}"
    );
    assert!(v.contains(&serde_json::json!(["ボランテイア", 2, "ボランティア"])));
    assert!(v.contains(&serde_json::json!(["募集", 1])));
    let text = serde_json::to_string(&v).unwrap();
    for secret in ["ナイショ", "ケイカク", "ミライ", "ハッピョウ"] {
        assert!(
            !text.contains(secret),
            "{secret} leaked into the vocabulary"
        );
    }
}
