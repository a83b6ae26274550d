//! Stale preview (issue 12): outputs the dev server kept from an earlier build although a clean
//! build now writes them differently. Each test replays a user's saves through
//! `Session::update` with the paths the watcher reports and compares every step with a clean
//! build; it goes on after a stale step, so a failure lists every step that stayed stale.

use crate::common::{attrs, render, SiteTest};
use crate::incremental_support::{clean_build, differences, served, started, Output};
use scraper::Html;
use std::path::PathBuf;
use tsunagari::incremental::Session;
use tsunagari::pipeline::BuildOptions;

const NOW: &str = "2026-11-21";

/// One save: update with `changed`, late outputs, then the comparison; a difference is noted
/// in `stale` (with the step's name) rather than stopping the series.
fn save(
    s: &mut Session,
    opts: &BuildOptions,
    what: &str,
    changed: &[&str],
    stale: &mut Vec<String>,
) {
    let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    if let Err(e) = s.update(Some(&changed)) {
        match e {
            tsunagari::pipeline::Failure::Content(d) => {
                panic!("{what}: update failed:\n{}", render(&d))
            }
            e => panic!("{what}: update failed: {e:?}"),
        }
    }
    s.finish().unwrap();
    if let Some(d) = differences(&clean_build(opts), &served(s)) {
        stale.push(format!("after {what}: {d}"));
    }
}

const SITE: &str = "title: 群馬の関係人口\nbase_url: https://gunma.example.jp/\n";

/// The case, as a new user would meet it: a profile of 草津町 (群馬県) and no page in
/// 群馬県, so the site has no 群馬県 term page and the profile shows 群馬県 as plain text. A
/// challenge of みなかみ町 (群馬県) added while the preview runs makes `/prefectures/gunma/`, and
/// a clean build links 群馬県 on the 草津町 page to it; the preview kept the old page, and kept it
/// through every later edit that did not touch 草津町.
#[test]
fn stale_preview_profile_page_links_a_prefecture_that_appears_later() {
    let t = SiteTest::empty();
    t.file("site.yaml", SITE);
    t.file(
        "content/municipalities/kusatsu.md",
        "---\nmunicipality: 草津町\nprefecture: 群馬県\nsummary: 湯畑のある温泉の町です。\n---\n\n草津町は、町の外から関わる人を歓迎しています。\n",
    );
    t.file(
        "content/challenges/shiomi-port.md",
        "---\ntitle: 港の朝市を広めたい\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-10-01\ndeadline: 2027-01-31\n---\n\n朝市の案内を一緒に作る人を探しています。\n",
    );
    let (mut s, opts) = started(&t, NOW);
    let mut stale = Vec::new();

    let added = "content/challenges/minakami-rafting.md";
    t.file(
        added,
        "---\ntitle: ラフティングの魅力を伝えたい\nmunicipality: みなかみ町\nprefecture: 群馬県\ndate: 2026-11-01\ndeadline: 2027-03-31\nthemes: [観光]\n---\n\n利根川のラフティングを、町の外の人と一緒に紹介したい。\n",
    );
    save(
        &mut s,
        &opts,
        "a challenge of みなかみ町 (群馬県) added",
        &[added],
        &mut stale,
    );
    assert!(
        served(&s).contains_key("prefectures/gunma/index.html"),
        "the new challenge makes the 群馬県 term page"
    );
    // What differs: `municipality.prefecture_url`, the link of 群馬県 on the 草津町 page.
    let kusatsu = "municipalities/gunma/草津町/index.html";
    let links = |files: &Output| {
        let doc = Html::parse_document(&String::from_utf8_lossy(&files[kusatsu]));
        attrs(&doc, ".entry-meta a", "href")
    };
    assert_eq!(links(&clean_build(&opts)), ["/prefectures/gunma/"]);
    if links(&served(&s)).is_empty() {
        stale.push(format!(
            "{kusatsu} does not link 群馬県 to /prefectures/gunma/"
        ));
    }

    // Every later edit: the new challenge's body and title, another page, site-wide data.
    t.edit(
        added,
        "紹介したい。",
        "紹介したい。川の安全講習もあります。",
    );
    save(
        &mut s,
        &opts,
        "a body edit of the new challenge",
        &[added],
        &mut stale,
    );
    t.edit(added, "title: ラフティングの魅力", "title: 川遊びの魅力");
    save(
        &mut s,
        &opts,
        "a title edit of the new challenge",
        &[added],
        &mut stale,
    );
    let other = "content/columns/onsen-notes.md";
    t.file(
        other,
        "---\ntitle: 温泉街で働くということ\ndate: 2026-11-10\ntags: [温泉]\n---\n\n湯の町の一日。\n",
    );
    save(&mut s, &opts, "a new column", &[other], &mut stale);
    t.edit(
        "content/challenges/shiomi-port.md",
        "deadline: 2027-01-31",
        "deadline: 2027-02-28",
    );
    save(
        &mut s,
        &opts,
        "a deadline edit of another challenge",
        &["content/challenges/shiomi-port.md"],
        &mut stale,
    );

    assert!(stale.is_empty(), "stale preview:\n{}", stale.join("\n"));
}

/// The other way round: the last page of 群馬県 deleted. A clean build has no 群馬県 term page
/// any more and shows 群馬県 as plain text on the 草津町 page; the preview kept a link to the
/// deleted `/prefectures/gunma/` (a broken link) through later edits.
#[test]
fn stale_preview_profile_page_keeps_a_link_to_a_removed_prefecture() {
    let t = SiteTest::empty();
    t.file("site.yaml", SITE);
    t.file(
        "content/municipalities/kusatsu.md",
        "---\nmunicipality: 草津町\nprefecture: 群馬県\n---\n\n草津町の紹介。\n",
    );
    let minakami = "content/challenges/minakami-rafting.md";
    t.file(
        minakami,
        "---\ntitle: ラフティングの魅力を伝えたい\nmunicipality: みなかみ町\nprefecture: 群馬県\ndate: 2026-11-01\n---\n\n利根川の話。\n",
    );
    let shiomi = "content/challenges/shiomi-port.md";
    t.file(
        shiomi,
        "---\ntitle: 港の朝市を広めたい\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-10-01\n---\n\n朝市の話。\n",
    );
    let (mut s, opts) = started(&t, NOW);
    let mut stale = Vec::new();
    t.remove(minakami);
    save(
        &mut s,
        &opts,
        "the only 群馬県 challenge deleted",
        &[minakami],
        &mut stale,
    );
    assert!(!served(&s).contains_key("prefectures/gunma/index.html"));
    t.edit(shiomi, "朝市の話。", "朝市の話。毎週日曜です。");
    save(
        &mut s,
        &opts,
        "a body edit of another challenge",
        &[shiomi],
        &mut stale,
    );
    assert!(stale.is_empty(), "stale preview:\n{}", stale.join("\n"));
}

/// A theme may show a plain page's tags (`page.tags`, each with the URL of its term page, or
/// none). Plain pages are not in the tag taxonomy, so whether `/tags/温泉/` exists depends on
/// other pages: a column tagged 温泉 added while the preview runs makes it, and a clean build
/// links the tag on the plain page. The page's fingerprint hashes only the page itself, its
/// body, related and similar pages and its municipality's profile, so the preview kept the tag
/// as plain text.
#[test]
fn stale_preview_plain_page_tag_links_a_term_that_appears_later() {
    let t = SiteTest::empty();
    t.file("site.yaml", SITE);
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"),
    )
    .unwrap();
    t.file(
        "templates/page.html",
        &page.replacen(
            "</header>",
            "</header>\n  {% include \"partials/tags.html\" %}",
            1,
        ),
    );
    t.file(
        "content/onsen.md",
        "---\ntitle: 温泉めぐりのご案内\ntags: [温泉]\n---\n\n町の温泉の案内です。\n",
    );
    t.file(
        "content/challenges/shiomi-port.md",
        "---\ntitle: 港の朝市を広めたい\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-10-01\n---\n\n朝市の話。\n",
    );
    let (mut s, opts) = started(&t, NOW);
    let mut stale = Vec::new();
    let column = "content/columns/onsen-notes.md";
    t.file(
        column,
        "---\ntitle: 温泉街で働くということ\ndate: 2026-11-10\ntags: [温泉]\n---\n\n湯の町の一日。\n",
    );
    save(
        &mut s,
        &opts,
        "a column tagged 温泉 added",
        &[column],
        &mut stale,
    );
    let tag_links = |files: &Output| {
        let doc = Html::parse_document(&String::from_utf8_lossy(&files["onsen/index.html"]));
        attrs(&doc, ".tags a", "href")
    };
    assert_eq!(tag_links(&clean_build(&opts)), ["/tags/温泉/"]);
    t.edit(column, "湯の町の一日。", "湯の町の一日。朝は早い。");
    save(
        &mut s,
        &opts,
        "a body edit of the column",
        &[column],
        &mut stale,
    );
    assert!(stale.is_empty(), "stale preview:\n{}", stale.join("\n"));
}
