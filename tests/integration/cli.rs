//! The binary: exit codes, languages, init and new.

use crate::common::*;

#[test]
fn exit_codes() {
    let t = SiteTest::from_fixture("minimal");
    let (code, _, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("7 ページ"), "{err}");
    let (code, _, _) = t.cli(&["check", "--now", NOW]);
    assert_eq!(code, 0);
    t.file("content/columns/bad.md", "---\ntitle: x\n---\n");
    let (code, _, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("content/columns/bad.md:1:1"), "{err}");
    assert!(err.contains("ビルドを中止しました"), "{err}");
    let (code, _, _) = t.cli(&["check", "--now", NOW]);
    assert_eq!(code, 1);
    let (code, _, err) = t.cli(&["build", "--now", "昨日"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = t.cli(&["build", "--root", "does-not-exist"]);
    assert_eq!(code, 2);
    let (code, _, _) = t.cli(&["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn messages_in_english_and_github_format() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        &challenge("dedline: 2026-06-30\n"),
    );
    let (code, _, err) = t.cli(&["--lang", "en", "build", "--now", NOW]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: content/challenges/a.md:6:1: there is no field named `dedline`"),
        "{err}"
    );
    assert!(err.contains("did you mean `deadline`?"), "{err}");
    let (_, out, _) = t.cli(&["--format", "github", "check", "--now", NOW]);
    assert!(
        out.contains("::error file=content/challenges/a.md,line=6,col=1::"),
        "{out}"
    );
}

#[test]
fn check_writes_nothing() {
    let t = SiteTest::from_fixture("minimal");
    let (code, _, _) = t.cli(&["check", "--now", NOW]);
    assert_eq!(code, 0);
    assert!(!t.public().exists());
}

#[test]
fn source_date_epoch_sets_the_build_date() {
    let t = SiteTest::from_fixture("minimal");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tsunagari"))
        .args(["build"])
        .current_dir(&t.root)
        .env("SOURCE_DATE_EPOCH", "1775487600") // 2026-04-07 00:00 in Japan
        .output()
        .unwrap();
    assert!(out.status.success());
    let status = texts(
        &t.html("challenges/open-soon/index.html"),
        ".entry-status .status",
    );
    assert_eq!(status, ["募集終了"]);
}

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let t = SiteTest::empty();
    let (code, _, err) = t.cli(&["init", "new-site"]);
    assert_eq!(code, 0, "{err}");
    let site = t.root.join("new-site");
    // init dates its pages today, so build as of today.
    let (code, _, err) = t.cli(&["build", "--root", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(site
        .join("public/challenges/first-challenge/index.html")
        .exists());
    let (code, _, _) = t.cli(&["init", "new-site"]);
    assert_eq!(code, 2, "init refuses a folder that is not empty");
}

#[test]
fn new_writes_a_draft_with_every_field_and_never_overwrites() {
    let t = SiteTest::empty();
    for kind in ["challenge", "case", "column", "municipality"] {
        let (code, _, err) = t.cli(&["new", kind, "my-page"]);
        assert_eq!(code, 0, "{err}");
    }
    let text = std::fs::read_to_string(t.root.join("content/challenges/my-page.md")).unwrap();
    for field in [
        "title:",
        "municipality:",
        "prefecture:",
        "date:",
        "work_style:",
        "engagement:",
        "reward:",
        "deadline:",
        "draft: true",
    ] {
        assert!(text.contains(field), "{field} missing");
    }
    assert!(
        text.contains("# 【必須】"),
        "fields are explained in Japanese"
    );
    let r = t.build();
    assert_eq!(r.pages, 0, "new pages are drafts");
    assert_eq!(r.unpublished, 3);
    // The placeholder name ○○町 loses its symbols in the URL; the page builds at once.
    assert!(
        t.exists("municipalities/niigata/町/index.html"),
        "the new profile builds at once"
    );
    std::fs::write(t.root.join("content/challenges/my-page.md"), "大事な下書き").unwrap();
    let (code, _, _) = t.cli(&["new", "challenge", "my-page"]);
    assert_eq!(code, 2);
    assert_eq!(
        std::fs::read_to_string(t.root.join("content/challenges/my-page.md")).unwrap(),
        "大事な下書き"
    );
    let (code, _, _) = t.cli(&["new", "challenge", "../escape"]);
    assert_eq!(code, 2);
}

/// Every file `init` writes and the text `new` writes for every kind, at a fixed date, as
/// `%%% <name>` sections (the texts live in data files: this keeps them byte for byte).
fn scaffolds(today: tsunagari::date::Date) -> Vec<(String, String)> {
    use tsunagari::content::Kind;
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let mut out = Vec::new();
    let host = tsunagari::scaffold::Host::default();
    for path in tsunagari::scaffold::init(&site, today, host).unwrap() {
        let rel = path.strip_prefix(&site).unwrap().to_str().unwrap();
        // The publishing set-up pins the running version: kept out of the pinned text.
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace(tsunagari::scaffold::VERSION, "<version>");
        out.push((format!("init {rel}"), text));
    }
    for kind in [
        Kind::Challenge,
        Kind::Case,
        Kind::Column,
        Kind::Page,
        Kind::Municipality,
    ] {
        let text = tsunagari::scaffold::new_page_text(kind, today);
        out.push((format!("new {}", kind.id()), text));
    }
    out
}

#[test]
fn init_and_new_write_the_pinned_scaffolds() {
    // 60 days after 2026-11-21 is in the next year: the deadline placeholder is pinned too.
    let today = tsunagari::date::Date::new(2026, 11, 21).unwrap();
    let expected = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scaffold.txt"),
    )
    .unwrap();
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in expected.split_inclusive('\n') {
        match line.strip_prefix("%%% ") {
            Some(name) => sections.push((name.trim_end().to_string(), String::new())),
            None => sections.last_mut().unwrap().1.push_str(line),
        }
    }
    let actual = scaffolds(today);
    let names = |v: &[(String, String)]| v.iter().map(|s| s.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&actual), names(&sections));
    for ((name, text), (_, want)) in actual.iter().zip(&sections) {
        assert_eq!(
            text, want,
            "{name} differs from tests/fixtures/scaffold.txt"
        );
    }
}
