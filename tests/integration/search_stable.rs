//! Stable search files (issue 15): document ids and file names that do not move when a page is
//! added or edited, so a deploy sync uploads a few search files, not all of them.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tsunagari::search::{Filters, Index};

/// The build day: 2026-11-21 is a Saturday, so the `week` level starts on 2026-11-16.
const TODAY: &str = "2026-11-21";

fn index(t: &SiteTest) -> Index {
    search_index(t, TODAY)
}

/// The files under public/search/ (the search page's index.html aside), by path in search/.
fn search_files(t: &SiteTest) -> BTreeMap<PathBuf, Vec<u8>> {
    t.build_at(TODAY).unwrap_or_else(|e| panic!("{e:?}"));
    t.snapshot()
        .into_iter()
        .filter_map(|(p, b)| {
            let rel = p.strip_prefix("search").ok()?.to_path_buf();
            (rel != Path::new("index.html")).then_some((rel, b))
        })
        .collect()
}

/// Paths new, removed or changed in bytes from `a` to `b`, as a sync sees them.
fn churn(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    let mut changed: Vec<String> = a
        .iter()
        .filter(|(p, bytes)| b.get(*p) != Some(*bytes))
        .chain(b.iter().filter(|(p, _)| !a.contains_key(*p)))
        .map(|(p, _)| p.display().to_string())
        .collect();
    changed.sort();
    changed
}

fn new_challenge(date: &str) -> String {
    format!(
        "---\ntitle: 棚田の石積みを直す仲間を募集\nmunicipality: 小島町\nprefecture: 香川県\n\
         themes: [農業]\nstatus: open\ndate: {date}\n---\n棚田の石積みを地域の人と直します。\
         週末に集まり、石の積み方を職人から学びます。\n"
    )
}

#[test]
fn adding_a_page_today_leaves_the_older_levels_files_as_they_were() {
    let t = SiteTest::from_fixture("search-quality");
    let before = search_files(&t);
    t.file("content/challenges/new-today.md", &new_challenge(TODAY));
    let after = search_files(&t);
    let changed = churn(&before, &after);
    // The page is the `week` level's only document: its pack, the last metadata and text
    // packs, the facet table, the vocabulary and the manifest (old name removed, new added).
    let outside = |p: &String| {
        !(p.starts_with("week.")
            || p.starts_with("m.")
            || p == "f.bin"
            || p == "v.json"
            || p.starts_with("d.")
            || p.starts_with("t."))
    };
    let unexpected: Vec<&String> = changed.iter().filter(|p| outside(p)).collect();
    assert!(unexpected.is_empty(), "changed: {changed:?}");
    assert!(
        changed.iter().any(|p| p.starts_with("week.")),
        "{changed:?}"
    );
    let chunks = changed.iter().filter(|p| p.starts_with("d.")).count();
    assert_eq!(chunks, 1, "one metadata pack: {changed:?}");
    assert!(
        changed.len() <= 8,
        "{} files changed: {changed:?}",
        changed.len()
    );
    // The older levels have packs (all kept their bytes, above).
    for level in ["base.", "month."] {
        assert!(
            before
                .keys()
                .any(|p| p.to_string_lossy().starts_with(level)),
            "{:?}",
            before.keys().collect::<Vec<_>>()
        );
    }
}

#[test]
fn an_unchanged_rebuild_writes_the_same_search_files() {
    let t = SiteTest::from_fixture("search-quality");
    let a = search_files(&t);
    let b = search_files(&t);
    assert_eq!(churn(&a, &b), Vec::<String>::new());
}

#[test]
fn search_files_do_not_depend_on_the_number_of_threads() {
    // Tokenizing, grouping and writing run in parallel: the bytes must not depend on how the
    // work was split (nor on hash map order: each build seeds its maps anew).
    let t = SiteTest::from_fixture("search-quality");
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| search_files(&t))
    };
    let one = on(1);
    assert!(one.keys().any(|p| p.to_string_lossy().starts_with("base.")));
    assert_eq!(churn(&one, &on(4)), Vec::<String>::new());
}

#[test]
fn document_ids_stay_when_an_older_page_is_edited() {
    let t = SiteTest::from_fixture("search-quality");
    let urls = |ix: &Index| ix.docs.iter().map(|d| d.url.clone()).collect::<Vec<_>>();
    let first = index(&t);
    let before = urls(&first);
    // A new title and body: every page keeps its number.
    t.edit("content/challenges/tanada.md", "title: ", "title: 【更新】");
    t.file(
        "content/challenges/tanada.md",
        &format!(
            "{}\n追記：石積みの講習会を開きます。\n",
            std::fs::read_to_string(t.root.join("content/challenges/tanada.md")).unwrap()
        ),
    );
    let edited = index(&t);
    assert!(edited.docs.iter().any(|d| d.title.starts_with("【更新】")));
    assert_eq!(urls(&edited), before);
    // A new first theme moves the page within the `base` level (related pages stay together),
    // but the newer level's pages keep their numbers.
    t.edit(
        "content/challenges/tanada.md",
        "themes: [農業]",
        "themes: [DX]",
    );
    let moved = index(&t);
    let month = first.levels[1];
    assert!(month.end > month.start, "{:?}", first.levels);
    assert_eq!(moved.levels, first.levels);
    let range = month.start as usize..month.end as usize;
    assert_eq!(urls(&moved)[range.clone()], before[range]);
}

#[test]
fn levels_cover_the_documents_and_older_scores_do_not_move() {
    let t = SiteTest::from_fixture("search-quality");
    let q = |ix: &Index| ix.query("棚田", &Filters::default()).hits;
    let before = index(&t);
    t.file("content/challenges/new-today.md", &new_challenge(TODAY));
    let after = index(&t);
    // base, month, week: contiguous, in order, covering every document.
    let ends: Vec<(u32, u32)> = after.levels.iter().map(|l| (l.start, l.end)).collect();
    assert_eq!(ends.first().map(|e| e.0), Some(0));
    assert!(ends.windows(2).all(|w| w[0].1 == w[1].0), "{ends:?}");
    assert_eq!(ends.last().map(|e| e.1), Some(after.docs.len() as u32));
    let week = after.levels[2];
    assert_eq!(week.end - week.start, 1);
    assert_eq!(
        after.docs[week.start as usize].url,
        "/challenges/new-today/"
    );
    for (_, list) in after.postings.iter() {
        assert!(list.windows(2).all(|w| w[0].doc < w[1].doc));
    }
    // The new page is found, and every older page keeps its id and its score.
    let hits = q(&after);
    assert!(hits.iter().any(|(d, _)| *d == week.start), "{hits:?}");
    let mut old: Vec<(u32, u64)> = hits.into_iter().filter(|(d, _)| *d < week.start).collect();
    let mut was = q(&before);
    old.sort();
    was.sort();
    assert_eq!(old, was);
}
