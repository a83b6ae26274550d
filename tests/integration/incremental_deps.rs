//! Recorded dependencies are precise: an edit re-renders the outputs that read what it changed,
//! not every output of a list the page is in.

use crate::common::SiteTest;
use crate::incremental_support::step;
use tsunagari::incremental::{Mode, Session};
use tsunagari::pipeline;

const NOW: &str = "2026-04-01";

/// A site of `n` open challenges in one prefecture, five per list page.
fn many_challenges(n: usize) -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テストポータル\nbase_url: https://test.example.jp/\npaginate_by: 5\n",
    );
    for i in 0..n {
        t.file(
            &format!("content/challenges/c{i:03}.md"),
            &format!(
                "---\ntitle: 課題{i}\nmunicipality: 藍川町\nprefecture: 徳島県\ndate: 2026-01-{:02}\n\
                 deadline: 2026-12-{:02}\nthemes: [観光]\n---\n最初の段落{i}です。{}\n\n## 詳細\n\n詳しい説明{i}。\n",
                1 + i % 28,
                1 + i % 28,
                // A lead longer than a summary, so the summary ends inside it.
                "町の外の人と一緒に取り組みたい課題です。".repeat(8)
            ),
        );
    }
    t
}

#[test]
fn a_body_edit_that_leaves_the_summary_renders_only_its_page() {
    let t = many_challenges(40);
    let opts = pipeline::options(&t.root, NOW);
    let mut s = Session::new(opts.clone());
    s.update(None).unwrap();
    s.finish().unwrap();
    let rel = "content/challenges/c007.md";
    t.edit(rel, "詳しい説明7。", "詳しい説明7を書き直しました。");
    let u = step(
        &mut s,
        &opts,
        "a body edit below the lead",
        &[rel],
        Mode::Patch,
    );
    assert_eq!(u.rendered, 1, "only the page reads its body");
}

#[test]
fn a_summary_edit_renders_the_list_pages_that_show_it_not_every_list_page() {
    let t = many_challenges(40);
    let opts = pipeline::options(&t.root, NOW);
    let mut s = Session::new(opts.clone());
    let first = s.update(None).unwrap();
    s.finish().unwrap();
    let rel = "content/challenges/c007.md";
    t.edit(rel, "最初の段落7です。", "最初の段落7を書き直しました。");
    let u = step(&mut s, &opts, "a summary edit", &[rel], Mode::Patch);
    // 40 challenges at five per page: 8 pages each for the section, the open status list, the
    // prefecture, the theme and the municipality's term lists. The card is on one page of each,
    // plus the page itself, the home page and the municipality page.
    assert!(
        u.rendered >= 3 && u.rendered <= 12,
        "a summary edit rendered {} of {} outputs",
        u.rendered,
        first.outputs
    );
}
