//! `--lang en` has no untranslated message. Every build of the test driver checks its
//! diagnostics in English (`common::assert_english`), so each test reaching a problem checks its
//! translation; these tests add every site we have and show that the check can fail.

use crate::common::*;
use tsunagari::diagnostics::{Diagnostic, Problem};

#[test]
fn every_site_reports_in_english() {
    for (name, site, now) in every_site() {
        let warnings = site
            .build_at(now)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"))
            .warnings;
        assert_english(&site.root, &warnings);
    }
}

#[test]
fn the_english_check_refuses_japanese_that_is_not_the_sites() {
    let site = SiteTest::empty();
    site.file("content/a.md", "---\ntitle: 佐渡の観光\n---\n");
    // A value the site holds may be Japanese…
    let ok = Diagnostic::error(
        "content/a.md",
        Problem::MissingField {
            field: "佐渡の観光".into(),
        },
    );
    assert_english(&site.root, &[ok]);
    // …a value that tsunagari wrote itself may not.
    let ours = Diagnostic::error(
        "content/a.md",
        Problem::YamlSyntax {
            detail: "閉じられていません".into(),
        },
    );
    let r = std::panic::catch_unwind(|| assert_english(&site.root, &[ours]));
    assert!(
        r.is_err(),
        "a Japanese value that is not from the site must fail"
    );
}

#[test]
fn english_output_of_the_binary_names_no_japanese_of_ours() {
    // The lines the command line prints itself come from the catalogue; its English side is
    // checked by the unit tests. Here: a content error end to end, with a Japanese site.
    let site = SiteTest::empty();
    site.file(
        "content/challenges/a.md",
        "---\ntitle: 課題\nprefecture: 東京\n---\n",
    );
    let (code, _, err) = site.cli(&["--lang", "en", "check", "--now", NOW]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error(s)") && err.contains("did you mean `東京都`?"),
        "{err}"
    );
    for line in err.lines().filter(|l| !l.contains(" | ")) {
        let own: String = line.split('`').step_by(2).collect();
        assert!(!own.chars().any(is_japanese), "{line}");
    }
}
