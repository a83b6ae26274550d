//! Red-team review of the dev server's recorded dependencies (issue 12): ways the preview could
//! serve bytes that differ from a clean build. Each test replays saves through
//! `Session::update` with the paths the watcher reports and compares with a clean build.

use crate::common::{render, SiteTest};
use crate::incremental_support::{clean_build, differences, served, started};
use std::path::PathBuf;
use tsunagari::incremental::Session;
use tsunagari::pipeline::{self, BuildOptions};

const NOW: &str = "2026-11-21";

/// One save: update with `changed` and the late outputs; then the served files must be a clean
/// build's.
fn save(s: &mut Session, opts: &BuildOptions, what: &str, changed: &[&str]) {
    let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    match s.update(Some(&changed)) {
        Ok(_) => {}
        Err(pipeline::Failure::Content(d)) => panic!("{what}: update failed:\n{}", render(&d)),
        Err(e) => panic!("{what}: update failed: {e:?}"),
    }
    s.finish().unwrap();
    if let Some(d) = differences(&clean_build(opts), &served(s)) {
        panic!("stale preview after {what}: {d}");
    }
}

/// A site with a form (so tsunagari writes its own `/thanks/`) whose menus are set in
/// site.yaml, so adding a plain page changes nothing site-wide.
const FORMS_SITE: &str = "title: 関係人口ポータル\nbase_url: https://kankei.example.jp/\n\
menu:\n  - { name: 課題, url: /challenges/ }\n\
footer_menu:\n  - { name: 町の紹介, url: /municipalities/ }\n\
forms:\n  default: apply\n  handlers:\n    apply:\n      provider: formspree\n      id: xexample\n      privacy:\n        purpose: 応募内容を自治体へ取り次ぐため\n";

fn forms_site() -> SiteTest {
    let t = SiteTest::empty();
    t.file("site.yaml", FORMS_SITE);
    t.file(
        "content/privacy.md",
        "---\ntitle: プライバシーポリシー\n---\n\n個人情報の扱い。\n",
    );
    t.file(
        "content/challenges/shiomi-port.md",
        "---\ntitle: 港の朝市を広めたい\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-10-01\ndeadline: 2027-01-31\n---\n\n朝市の話。\n",
    );
    t
}

/// `thanks/index.html` is either tsunagari's own thanks page or the site's plain page `thanks`.
/// When the plain page is added, the path stays and only the output behind it changes: the deps
/// the generated page read (site-wide values, section counts) are all unchanged, so the preview
/// kept the generated page instead of the staff's own.
#[test]
fn review_a_plain_page_replacing_the_generated_thanks_page_is_rendered() {
    let t = forms_site();
    let (mut s, opts) = started(&t, NOW);
    assert!(served(&s).contains_key("thanks/index.html"));
    let thanks = "content/thanks.md";
    t.file(
        thanks,
        "---\ntitle: 応募ありがとうございました\n---\n\n担当者から三日以内にご連絡します。\n",
    );
    save(&mut s, &opts, "a plain page `thanks` added", &[thanks]);
    t.remove(thanks);
    save(&mut s, &opts, "the plain page `thanks` deleted", &[thanks]);
}

/// An update that renders its outputs and then fails on the site's files (a bundle file on the
/// path of a generated page) must keep the last good build's deps: when it kept the values it
/// had just compared, the next update found nothing changed and served the page from before
/// the failed update (its old title) although a clean build shows the new one.
#[test]
fn review_an_update_failing_on_files_after_rendering_keeps_the_old_deps() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: 関係人口ポータル\nbase_url: https://kankei.example.jp/\n",
    );
    t.file(
        "content/challenges/bundle/index.md",
        "---\ntitle: 写真つきの課題\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-10-01\n---\n\n写真の話。\n",
    );
    // Another town and prefecture: not a similar page of the bundle page, whose files change.
    let other = "content/challenges/fuchu-market.md";
    t.file(
        other,
        "---\ntitle: 港の朝市を広めたい\nmunicipality: 府中市\nprefecture: 東京都\ndate: 2026-10-02\n---\n\n朝市の話。\n",
    );
    let (mut s, opts) = started(&t, NOW);
    // One save: a title edit, and a bundle file on the bundle page's own output path.
    let clash = "content/challenges/bundle/index.html";
    t.edit(
        other,
        "title: 港の朝市を広めたい",
        "title: 港の夕市を広めたい",
    );
    t.file(clash, "<p>手で書いたページ</p>\n");
    assert!(
        crate::incremental_support::try_clean_build(&opts).is_err(),
        "a clean build refuses the bundle file on a generated path"
    );
    let before = served(&s);
    let changed = [PathBuf::from(other), PathBuf::from(clash)];
    assert!(s.update(Some(&changed)).is_err(), "the update fails too");
    assert!(served(&s) == before, "the last good output stays");
    t.remove(clash);
    save(&mut s, &opts, "the bundle file removed", &[clash]);
}
