//! Issue 15: spelling variants and normalisation meet in the index, checked with the reference
//! query engine (search-index.js folds queries with the same table, from the manifest).

use crate::common::*;
use tsunagari::diagnostics::Problem;
use tsunagari::search::{Filters, Index};

fn index(t: &SiteTest) -> Index {
    search_index(t, NOW)
}

fn urls(ix: &Index, q: &str) -> Vec<String> {
    ix.query(q, &Filters::default())
        .hits
        .iter()
        .map(|(d, _)| ix.docs[*d as usize].url.clone())
        .collect()
}

/// One column per spelling: (slug, text written on the page, what a visitor types).
const PAIRS: [(&str, &str, &str); 12] = [
    ("moushikomi", "申込みは窓口で受け付けます", "申し込み"),
    ("moushikomi2", "参加の申し込み方法", "申込"),
    ("torikumi", "移住支援の取組を紹介します", "取り組み"),
    ("toiawase", "お問合せは役場まで", "問い合わせ"),
    ("machi", "街づくりの担い手", "まちづくり"),
    ("kodomo", "子供の居場所づくり", "子ども"),
    ("uketsuke", "受付は午前九時から", "受け付け"),
    ("hikitsugi", "業務の引継ぎ", "引き継ぎ"),
    ("computer", "コンピューター教室", "コンピュータ"),
    ("violin", "ヴァイオリン演奏会", "バイオリン"),
    ("virus", "ウイルス対策の講習", "ウィルス"),
    ("hitobito", "地域の人々の暮らし", "人人"),
];

#[test]
fn each_spelling_finds_the_page_written_with_the_other() {
    let t = SiteTest::empty();
    for (slug, text, _) in PAIRS {
        t.file(
            &format!("content/columns/{slug}.md"),
            &format!("---\ntitle: お知らせ {slug}\ndate: 2026-03-01\n---\n{text}。\n"),
        );
    }
    let ix = index(&t);
    for (slug, text, query) in PAIRS {
        let want = format!("/columns/{slug}/");
        assert!(urls(&ix, query).contains(&want), "{query} → {want}");
        // And the page's own sentence still finds it.
        assert!(urls(&ix, text).contains(&want), "{text} → {want}");
    }
    // 申込 and 申し込み find exactly the same pages.
    assert_eq!(urls(&ix, "申込"), urls(&ix, "申し込み"));
    assert_eq!(urls(&ix, "申込").len(), 2);
}

#[test]
fn site_synonyms_fold_like_the_built_in_table_and_reach_the_manifest() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nsearch:\n  synonyms:\n    - [お試し移住, 移住体験]\n",
    );
    t.file(
        "content/columns/otameshi.md",
        "---\ntitle: 移住体験住宅のご案内\ndate: 2026-03-01\n---\n一週間から泊まれます。\n",
    );
    let ix = index(&t);
    assert_eq!(urls(&ix, "お試し移住"), ["/columns/otameshi/"]);
    t.build();
    let m = search_manifest(&t);
    let groups = m["variants"].as_array().unwrap();
    assert!(groups.contains(&serde_json::json!(["お試し移住", "移住体験"])));
    assert!(groups.contains(&serde_json::json!(["申し込み", "申込み", "申込", "申し込"])));
}

#[test]
fn a_bad_synonym_group_names_its_line() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nsearch:\n  synonyms:\n    - [移住]\n",
    );
    expect_at(
        &t.errors(),
        "site.yaml",
        5,
        |p| matches!(p, Problem::InvalidSiteValue { field, .. } if field == "search.synonyms"),
    );
}

#[test]
fn one_kanji_finds_pages_with_it_anywhere_a_word_start_first() {
    let t = SiteTest::empty();
    for (slug, title, body) in [
        ("shimane", "島根県の課題", "人口が減っています。"),
        ("hiroshima", "広島の海", "瀬戸内の景色。"),
        ("sake", "酒蔵めぐり", "日本酒の試飲。"),
        ("machi", "町の話", "商店街の催し。"),
        ("none", "山の話", "登山道の整備。"),
    ] {
        t.file(
            &format!("content/columns/{slug}.md"),
            &format!("---\ntitle: {title}\ndate: 2026-03-01\n---\n{body}\n"),
        );
    }
    let ix = index(&t);
    // 島 starts a word in 島根県 (a boundary), not in 広島: 島根 first.
    assert_eq!(
        urls(&ix, "島"),
        ["/columns/shimane/", "/columns/hiroshima/"]
    );
    assert_eq!(urls(&ix, "酒"), ["/columns/sake/"]);
    assert_eq!(urls(&ix, "海"), ["/columns/hiroshima/"]);
    assert_eq!(urls(&ix, "町"), ["/columns/machi/"]);
    assert_eq!(urls(&ix, "街"), ["/columns/machi/"]);
    // Bigram queries are unchanged: 島 alone does not make 島根 match 広島.
    assert_eq!(urls(&ix, "島根"), ["/columns/shimane/"]);
}
