//! Ranking with the reference query engine (the browser client mirrors it; tests/browser/
//! checks the client on a real page).

use crate::common::*;
use tsunagari::search::{self, Filters, Index};

fn index(t: &SiteTest) -> Index {
    search_index(t, NOW)
}

fn urls(ix: &Index, q: &str, f: &Filters) -> Vec<String> {
    ix.query(q, f)
        .hits
        .iter()
        .map(|(d, _)| ix.docs[*d as usize].url.clone())
        .collect()
}

fn column(slug: &str, title: &str, body: &str) -> (String, String) {
    (
        format!("content/columns/{slug}.md"),
        format!("---\ntitle: {title}\ndate: 2026-03-01\n---\n{body}\n"),
    )
}

#[test]
fn a_title_hit_outranks_a_body_hit() {
    let t = SiteTest::empty();
    for (p, s) in [
        column(
            "body",
            "地域の話",
            "本文でワーケーションについて少しだけ触れます。そのほかの話題が続きます。",
        ),
        column(
            "title",
            "ワーケーションのすすめ",
            "働き方のひとつを紹介します。",
        ),
    ] {
        t.file(&p, &s);
    }
    let ix = index(&t);
    assert_eq!(
        urls(&ix, "ワーケーション", &Filters::default()),
        ["/columns/title/", "/columns/body/"]
    );
}

#[test]
fn kyoto_outranks_pages_that_only_contain_tokyo_to() {
    let t = SiteTest::empty();
    for (p, s) in [
        column(
            "tokyo",
            "東京都の取り組み",
            "東京都の職員が東京都内の企業と連携しています。",
        ),
        column(
            "kyoto",
            "古都の取り組み",
            "京都府の町で、京都の伝統を学ぶ催しを開きます。",
        ),
    ] {
        t.file(&p, &s);
    }
    let ix = index(&t);
    let hits = urls(&ix, "京都", &Filters::default());
    assert_eq!(
        hits.first().map(String::as_str),
        Some("/columns/kyoto/"),
        "{hits:?}"
    );
    // A longer query is a phrase: its bigrams must be adjacent.
    assert_eq!(
        urls(&ix, "京都府", &Filters::default()),
        ["/columns/kyoto/"]
    );
    assert_eq!(
        urls(&ix, "東京都内", &Filters::default()),
        ["/columns/tokyo/"]
    );
}

#[test]
fn bigrams_must_be_adjacent() {
    let t = SiteTest::empty();
    for (p, s) in [
        column("apart", "別々", "テレビとレワードとワークとーク。"),
        column("phrase", "働き方", "テレワークで関わります。"),
    ] {
        t.file(&p, &s);
    }
    let ix = index(&t);
    assert_eq!(
        urls(&ix, "テレワーク", &Filters::default()),
        ["/columns/phrase/"]
    );
}

#[test]
fn several_words_are_and() {
    let t = SiteTest::empty();
    for (p, s) in [
        column(
            "both",
            "観光の写真",
            "観光地をカメラで撮影する人を募集します。",
        ),
        column("tourism", "観光の企画", "観光プランを考えます。"),
        column("camera", "カメラの話", "カメラの選び方。"),
    ] {
        t.file(&p, &s);
    }
    let ix = index(&t);
    assert_eq!(
        urls(&ix, "観光 カメラ", &Filters::default()),
        ["/columns/both/"]
    );
    assert_eq!(
        urls(&ix, "観光　カメラ", &Filters::default()),
        ["/columns/both/"],
        "a full-width space separates too"
    );
    assert_eq!(urls(&ix, "観光", &Filters::default()).len(), 2);
    assert!(urls(&ix, "観光 存在しない語", &Filters::default()).is_empty());
}

#[test]
fn full_and_half_width_find_the_same_pages() {
    let t = SiteTest::empty();
    let (p, s) = column("dx", "役場のDX", "テレワークの導入を進めます。");
    t.file(&p, &s);
    let ix = index(&t);
    for q in ["DX", "ＤＸ", "dx", "テレワーク", "ﾃﾚﾜｰｸ", "テレワ－ク"] {
        assert_eq!(urls(&ix, q, &Filters::default()), ["/columns/dx/"], "{q}");
    }
}

#[test]
fn facet_filters_and_counts() {
    let t = SiteTest::from_fixture("minimal");
    let ix = index(&t);
    // 課題 appears in every challenge title; the case and the column mention 課題 too.
    let all = ix.query("課題", &Filters::default());
    let counts = &all.counts;
    assert_eq!(counts["kind"]["challenge"], 4);
    assert_eq!(counts["status"]["open"], 1);
    assert_eq!(counts["status"]["closing-soon"], 1);
    assert_eq!(counts["status"]["closed"], 2);
    assert_eq!(counts["pref"]["niigata"], 1);
    assert_eq!(counts["ws"]["remote"], 1);
    let f = Filters {
        prefecture: Some("niigata".into()),
        kind: Some("challenge".into()),
        ..Filters::default()
    };
    assert_eq!(urls(&ix, "課題", &f), ["/challenges/open-soon/"]);
    let closed = Filters {
        status: Some("closed".into()),
        ..Filters::default()
    };
    let got = urls(&ix, "課題", &closed);
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|u| u.contains("closed-by")));
    assert_eq!(
        ix.query("課題", &closed).counts["status"].len(),
        1,
        "counts follow the filtered results"
    );
}

#[test]
fn drafts_and_scheduled_pages_are_never_indexed() {
    let t = SiteTest::from_fixture("minimal");
    let mut o = tsunagari::pipeline::options(&t.root, NOW);
    o.drafts = true; // even in a preview build
    let p = tsunagari::pipeline::prepare(&o).unwrap_or_else(|e| panic!("{e:?}"));
    let ix = search::build(&p.site);
    assert!(ix
        .docs
        .iter()
        .all(|d| !d.url.contains("draft-column") && !d.url.contains("future-column")));
    assert!(urls(&ix, "下書き", &Filters::default()).is_empty());
}

fn challenge(slug: &str, title: &str, deadline: &str, body: &str) -> (String, String) {
    (
        format!("content/challenges/{slug}.md"),
        format!(
            "---\ntitle: {title}\nmunicipality: 緑ヶ丘市\nprefecture: 静岡県\ndate: 2026-03-01\n\
             deadline: {deadline}\nwork_style: remote\nsummary: 手伝ってください。\n---\n{body}\n"
        ),
    )
}

#[test]
fn a_whole_word_outranks_the_same_word_inside_a_longer_one() {
    let t = SiteTest::empty();
    for (p, s) in [
        // 山口 inside 登山口, in the title and many times: still below the whole word.
        column(
            "tozan",
            "登山口の整備",
            "登山口の案内板。登山口から山頂まで。",
        ),
        column("ken", "港のにぎわい", "山口県の港で朝市を開きます。"),
        column("daigaku", "学生と地域", "山口大学の学生が参加します。"),
    ] {
        t.file(&p, &s);
    }
    let ix = index(&t);
    assert_eq!(
        urls(&ix, "山口", &Filters::default()),
        ["/columns/ken/", "/columns/daigaku/", "/columns/tozan/"]
    );
}

#[test]
fn title_then_heading_then_summary_then_body() {
    let t = SiteTest::empty();
    for (p, s) in [
        column(
            "body",
            "地域の話",
            "本文で棚田に触れます。棚田、棚田、棚田。",
        ),
        column("heading", "地域の話", "## 棚田のこと\n\n少しだけ。"),
        (
            "content/columns/summary.md".into(),
            "---\ntitle: 地域の話\ndate: 2026-03-01\nsummary: 棚田を守る\n---\n別の話。\n".into(),
        ),
        column("title", "棚田の一日", "別の話。"),
    ] {
        t.file(&p, &s);
    }
    let ix = index(&t);
    assert_eq!(
        urls(&ix, "棚田", &Filters::default()),
        [
            "/columns/title/",
            "/columns/heading/",
            "/columns/summary/",
            "/columns/body/"
        ]
    );
}

#[test]
fn an_open_challenge_outranks_a_closed_one_of_equal_relevance() {
    let t = SiteTest::empty();
    // NOW is the fixtures' build day: one deadline before it, one long after.
    for (p, s) in [
        challenge(
            "closed",
            "古民家の活用",
            "2020-01-31",
            "古民家を直す。古民家を貸す。",
        ),
        challenge("open", "古民家の活用", "2099-01-31", "古民家を直す。"),
    ] {
        t.file(&p, &s);
    }
    let ix = index(&t);
    assert_eq!(
        urls(&ix, "古民家", &Filters::default()),
        ["/challenges/open/", "/challenges/closed/"]
    );
}

#[test]
fn scattered_bigrams_of_a_long_word_do_not_match() {
    let t = SiteTest::empty();
    for (p, s) in [
        column("community", "集いの場", "地域のコミュニティを育てます。"),
        // Every bigram of コミュニティ is here, each pair adjacent somewhere, never in a row.
        column("scattered", "雑記", "コミュ力。ミュニア。ュニティ。"),
    ] {
        t.file(&p, &s);
    }
    let ix = index(&t);
    assert_eq!(
        urls(&ix, "コミュニティー", &Filters::default()),
        ["/columns/community/"]
    );
}

/// Every module the search client imports is preloaded by the search page (no module comes a
/// round trip late), each preloaded file is published, and nothing else is preloaded.
#[test]
fn the_search_page_preloads_exactly_the_modules_its_script_imports() {
    let t = SiteTest::from_fixture("search");
    t.build();
    let doc = t.html("search/index.html");
    let mut preloaded: Vec<String> = attrs(&doc, "link[rel=modulepreload]", "href");
    for href in &preloaded {
        assert!(
            t.exists(href.trim_start_matches('/')),
            "{href} is not published"
        );
    }
    // The module graph from search.js, following every module's relative imports.
    let script = t.asset("search.js");
    assert_eq!(
        attrs(&doc, "script[type=module][src*='/search.']", "src"),
        [format!("/{script}")]
    );
    let mut imported: Vec<String> = Vec::new();
    let mut todo = vec![script.trim_start_matches("assets/").to_string()];
    while let Some(file) = todo.pop() {
        for m in t
            .read(&format!("assets/{file}"))
            .lines()
            .filter_map(|l| l.split("from './").nth(1))
            .filter_map(|rest| rest.split('\'').next())
        {
            let url = format!("/assets/{m}");
            if !imported.contains(&url) {
                imported.push(url);
                todo.push(m.to_string());
            }
        }
    }
    imported.sort();
    preloaded.sort();
    assert!(!imported.is_empty(), "search.js imports no module");
    assert_eq!(preloaded, imported);
}
