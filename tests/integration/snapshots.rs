//! Snapshots of one output of every kind, from `tests/fixtures/sites/snapshots/` built at
//! `common::NOW` (2026-04-01): the whole file as a visitor (or a feed reader, a crawler, a host)
//! gets it, so a change to a template, a view or a URL shows up as a diff to review, not only as
//! a failed selector. The snapshots live in `tests/integration/snapshots/<kind>.snap`;
//! CONTRIBUTING.md says how to review and accept a change. The output is deterministic (fixed
//! build date, sorted walks); the search manifest's hashed name is a function of the indexed
//! content and stays. Only tsunagari's own version (`generator`) is redacted, so a release does
//! not touch every snapshot.

use crate::common::{snapshot, SiteTest};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

/// Every output file of the fixture, by its path under the output folder (`/`-separated).
/// Built once for all the tests below; the site's temporary folder is gone afterwards.
static OUTPUT: LazyLock<BTreeMap<String, Vec<u8>>> = LazyLock::new(|| {
    let t = SiteTest::from_fixture("snapshots");
    let report = t.build();
    assert!(
        report.warnings.is_empty(),
        "the snapshot fixture should build without warnings:\n{}",
        crate::common::render(&report.warnings)
    );
    snapshot(&t.public())
        .into_iter()
        .map(|(path, bytes)| (slashed(&path), bytes))
        .collect()
});

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `<meta name="generator" content="tsunagari 1.2.3">` and Atom's `<generator version="1.2.3">`
/// with `[version]` in place of the version.
fn without_version(text: &str) -> String {
    let v = env!("CARGO_PKG_VERSION");
    text.replace(&format!("\"tsunagari {v}\""), "\"tsunagari [version]\"")
        .replace(&format!("version=\"{v}\""), "version=\"[version]\"")
}

/// Theme assets' content hashes (`style.3f9a1c2e5b.css`) as `[hash]`, so that a change to the
/// style sheet or a script does not change every snapshot (`assets.rs` tests the names).
fn without_hashes(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let hashed = b[i] == b'.'
            && b.len() > i + 12
            && b[i + 1..i + 11]
                .iter()
                .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
            && [".css", ".js", ".mjs"]
                .iter()
                .any(|e| b[i + 11..].starts_with(e.as_bytes()));
        if hashed {
            out.push_str(".[hash]");
            i += 11;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Compares the output file at `path` with the snapshot `<name>.snap`.
fn check(name: &str, path: &str) {
    let bytes = OUTPUT
        .get(path)
        .unwrap_or_else(|| panic!("the fixture has no output {path}"));
    let text = without_hashes(&without_version(
        std::str::from_utf8(bytes).expect("text output"),
    ));
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => path,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// One test per output kind, named for the kind (its snapshot has the same name), with the
/// output file that shows it; `KINDS` lists them for the stale-snapshot check.
macro_rules! kinds {
    ($($name:ident: $path:literal,)*) => {
        const KINDS: &[(&str, &str)] = &[$((stringify!($name), $path)),*];
        $(
            #[test]
            fn $name() {
                check(stringify!($name), $path);
            }
        )*
    };
}

kinds! {
    // Pages: a challenge open with a deadline (bundle image, table, footnote, apply form,
    // a linked case), closing soon (another handler), closed by its deadline, closed early.
    challenge_open: "challenges/harbor-brand/index.html",
    challenge_closing_soon: "challenges/takamine-dx/index.html",
    challenge_closed: "challenges/takamine-farm/index.html",
    challenge_closed_by_status: "challenges/shiomi-library/index.html",
    case: "cases/shiomi-newsletter/index.html",
    column: "columns/first-step/index.html",
    page: "about/index.html",
    page_with_form: "contact/index.html",
    page_accessibility: "accessibility/index.html",
    // Lists: a section over two pages (the newest at the list's URL, the older one numbered
    // from the oldest), the open challenges, taxonomy indexes (prefectures are grouped by
    // region), term pages. Older term and municipality pages: `integration/lists.rs`.
    section_list: "challenges/index.html",
    section_list_older: "challenges/page/1/index.html",
    status_open: "challenges/status/open/index.html",
    taxonomy_index: "themes/index.html",
    taxonomy_index_prefectures: "prefectures/index.html",
    term_page: "themes/ふるさと納税/index.html",
    term_page_prefecture: "prefectures/niigata/index.html",
    // Municipalities: with a profile and pages, pages only, a profile only.
    municipality_index: "municipalities/index.html",
    municipality_with_profile: "municipalities/niigata/汐見町/index.html",
    municipality_without_profile: "municipalities/nagano/高峰村/index.html",
    municipality_profile_only: "municipalities/gunma/草津町/index.html",
    // The pages of their own.
    home: "index.html",
    not_found: "404.html",
    thanks: "thanks/index.html",
    keep: "kininaru/index.html",
    search_page: "search/index.html",
    // Feeds and files for machines.
    atom_feed: "atom.xml",
    atom_feed_section: "challenges/atom.xml",
    json_feed: "challenges/open.json",
    sitemap: "sitemap.xml",
    robots_txt: "robots.txt",
    headers: "_headers",
    next_rebuild: ".tsunagari/next-rebuild",
}

/// The list of every output path: an output that appears, disappears or moves is a diff here.
#[test]
fn output_files() {
    let list: Vec<&str> = OUTPUT.keys().map(String::as_str).collect();
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("output_files", without_hashes(&list.join("\n")));
    });
}

/// A snapshot file whose kind was renamed or removed would otherwise lie there unchecked.
#[test]
fn every_snapshot_file_belongs_to_a_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/snapshots");
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(kind) = name.strip_suffix(".snap") else {
            continue; // `.snap.new` / `.pending-snap`: a change waiting for review
        };
        if kind != "output_files" && !KINDS.iter().any(|(k, _)| *k == kind) {
            stale.push(name);
        }
    }
    assert!(stale.is_empty(), "snapshots no test checks: {stale:?}");
}
