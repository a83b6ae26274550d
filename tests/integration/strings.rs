//! The texts tsunagari writes come from `templates/strings.yaml`: a site (or a theme) that
//! changes a few of them changes exactly those texts in the output, and a mistake in the file
//! is an error at its line.

use crate::common::{expect_at, texts, SiteTest};
use std::path::Path;
use tsunagari::diagnostics::Problem;
use tsunagari::strings::StringsProblem;

/// Each override adds a marker (〈…〉) no other text has, so removing the markers must give
/// back the default build byte for byte.
const OVERRIDES: &str = "\
# A comment, and keys in any order.
status_open: 募集中〈S〉
home: ホーム〈H〉
page_title: \"{title} |〈T〉 {site}\"
date: \"{year}年{month}月{day}日〈D〉\"
";
const MARKERS: [&str; 4] = ["〈S〉", "〈H〉", "〈T〉", "〈D〉"];

fn site() -> SiteTest {
    let t = SiteTest::from_fixture("minimal");
    // The search index is named by a hash of its content, labels included.
    t.edit(
        "site.yaml",
        "paginate_by: 2",
        "paginate_by: 2\nsearch: false",
    );
    t
}

#[test]
fn a_site_that_overrides_some_strings_changes_exactly_those_texts() {
    let plain = site();
    plain.build();
    let before = plain.snapshot();

    let t = site();
    t.file("templates/strings.yaml", OVERRIDES);
    t.build();
    let after = t.snapshot();

    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let mut changed = 0;
    for (path, bytes) in &after {
        let text = String::from_utf8_lossy(bytes);
        let mut back = text.to_string();
        for m in MARKERS {
            back = back.replace(m, "");
        }
        changed += usize::from(back != text);
        assert!(
            back.as_bytes() == before[path].as_slice(),
            "{} differs in more than the overridden texts",
            path.display()
        );
    }
    assert!(changed > 0);

    // Each text is where the templates put it.
    let page = t.html("challenges/open-later/index.html");
    assert_eq!(
        texts(&page, "title"),
        ["締切が先の課題 |〈T〉 テストポータル"]
    );
    assert_eq!(
        texts(&page, ".breadcrumbs li:first-child")[0],
        "ホーム〈H〉"
    );
    assert!(texts(&page, ".status").contains(&"募集中〈S〉".to_string()));
    assert!(texts(&page, "time")
        .iter()
        .any(|d| d.starts_with("2026年3月10日〈D〉")));
    // Deadlines carry the day of the week after the date.
    assert!(texts(&page, "time").contains(&"2026年6月30日〈D〉（火）".to_string()));
    // Feeds too.
    let feed = t.read("challenges/atom.xml");
    assert!(feed.contains("【募集中〈S〉】締切が先の課題"), "{feed}");
}

#[test]
fn a_theme_gives_its_strings_and_the_site_overrides_single_keys() {
    let t = site();
    t.edit("site.yaml", "paginate_by: 2", "paginate_by: 2\ntheme: mine");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for e in walkdir::WalkDir::new(&theme)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&theme).unwrap();
            let to = Path::new("themes/mine").join(rel);
            t.bytes(to.to_str().unwrap(), &std::fs::read(e.path()).unwrap());
        }
    }
    // The theme's file gives only two keys; the rest come from the default theme.
    t.file(
        "themes/mine/templates/strings.yaml",
        "home: Home\nstatus_open: Open\n",
    );
    t.file(
        "templates/strings.yaml",
        "status_open: 受付中\nnot_found: 見つかりません\n",
    );
    t.build();
    // Templates see the same texts (`strings.not_found` in the heading).
    let missing = t.html("404.html");
    assert_eq!(texts(&missing, "h1"), ["見つかりません"]);
    assert_eq!(
        texts(&missing, "title"),
        ["見つかりません | テストポータル"]
    );
    let page = t.html("challenges/open-later/index.html");
    assert_eq!(texts(&page, ".breadcrumbs li:first-child")[0], "Home");
    assert!(texts(&page, ".status").contains(&"受付中".to_string()));
    assert_eq!(texts(&page, "title"), ["締切が先の課題 | テストポータル"]);
}

#[test]
fn unknown_keys_and_placeholders_are_errors_at_their_line() {
    let t = site();
    t.file(
        "templates/strings.yaml",
        "home: トップ\nhom: x\npage_title: \"{titel} | {site}\"\n",
    );
    let errors = t.errors();
    let file = "templates/strings.yaml";
    expect_at(
        &errors,
        file,
        2,
        |p| matches!(p, Problem::UnknownField { field, suggestion: Some(s) } if field == "hom" && s == "home"),
    );
    let d = expect_at(
        &errors,
        file,
        3,
        |p| matches!(p, Problem::Strings(StringsProblem::UnknownPlaceholder { name, .. }) if name == "titel"),
    );
    let shown = d.render(tsunagari::diagnostics::Lang::Ja);
    assert!(
        shown.contains("{title}") && shown.contains("{site}"),
        "{shown}"
    );
    assert_eq!(errors.len(), 2, "{}", crate::common::render(&errors));
}

/// The dev server takes a strings file like a template: adding, editing and removing
/// `templates/strings.yaml` while previewing re-renders every output, and each step serves
/// what a clean build writes.
#[test]
fn strings_edits_while_previewing_equal_a_clean_build() {
    use crate::incremental_support::{assert_same_as_clean, step};
    use tsunagari::incremental::{Mode, Session};
    let t = site();
    let opts = tsunagari::pipeline::options(&t.root, crate::common::NOW);
    let mut s = Session::new(opts.clone());
    s.update(None).unwrap();
    s.finish().unwrap();
    assert_same_as_clean(&s, &opts, "the first build");
    let saves = [
        ("a new strings file", Some(OVERRIDES.to_string())),
        (
            "an edited strings file",
            Some(OVERRIDES.replace("〈H〉", "〈H2〉")),
        ),
        ("a removed strings file", None),
    ];
    for (what, text) in saves {
        match text {
            Some(text) => t.file("templates/strings.yaml", &text),
            None => t.remove("templates/strings.yaml"),
        };
        let u = step(
            &mut s,
            &opts,
            what,
            &["templates/strings.yaml"],
            Mode::Incremental,
        );
        assert_eq!(u.rendered, u.outputs, "{what}: texts are on every page");
    }
}
