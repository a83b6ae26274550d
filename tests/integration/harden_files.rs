//! Red-team findings on files and the output folder (issue 11): file names that cannot be
//! published (backslashes, colons…), outputs that collide, files that run script at their URL,
//! the lock file, a swap killed halfway, an old output file that cannot be removed, leftovers that are
//! links or files, and printing to a full stderr.

use crate::common::*;
use crate::harden_output::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use tsunagari::diagnostics::{EntryIssue, Problem};

/// The entries a report names as unusable names, with the name it suggests.
fn bad_names(d: &[tsunagari::diagnostics::Diagnostic]) -> Vec<(String, String, bool)> {
    d.iter()
        .filter_map(|d| match &d.problem {
            Problem::Entry {
                issue: EntryIssue::BadName { rename, .. },
            } => Some((d.path.display().to_string(), rename.clone(), d.is_error())),
            _ => None,
        })
        .collect()
}

/// Every file under public/ with text that only a file outside the site holds.
fn leaks(t: &SiteTest, secret: &str) -> Vec<PathBuf> {
    t.snapshot()
        .into_iter()
        .filter(|(_, b)| String::from_utf8_lossy(b).contains(secret))
        .map(|(p, _)| p)
        .collect()
}

#[cfg(unix)]
#[test]
fn a_backslash_in_a_static_name_never_publishes_a_file_through_a_link_outside() {
    let t = SiteTest::from_fixture("minimal");
    let top = t.root.parent().unwrap();
    t.file("../etc/passwd", "root:x:0:0:SECRET");
    t.file("../default/passwd", "root:x:0:0:SECRET");
    link(&t, top.join("etc").to_str().unwrap(), "static/x");
    t.file("static/x\\passwd", "");
    link(
        &t,
        top.join("default").to_str().unwrap(),
        "static/.well-known",
    );
    t.file("static/.well-known\\..\\passwd", "");
    t.file("static/back\\slash.txt", "b");
    // Through the binary, as the red team did: the build succeeds (exit 0, not 2).
    let (code, _, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("警告: static/x\\passwd: ") && err.contains("「x-passwd」"),
        "{err}"
    );
    assert!(err.contains("警告: static/back\\slash.txt: "), "{err}");
    assert!(leaks(&t, "SECRET").is_empty(), "{:?}", leaks(&t, "SECRET"));
    for gone in ["x/passwd", "passwd", "back/slash.txt", "back\\slash.txt"] {
        assert!(!t.exists(gone), "{gone} published");
    }
    let r = t.build();
    assert_eq!(
        bad_names(&r.warnings),
        [
            (
                "static/back\\slash.txt".into(),
                "back-slash.txt".into(),
                false
            ),
            ("static/x\\passwd".into(), "x-passwd".into(), false),
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_backslash_in_a_bundle_file_name_never_writes_outside_the_bundle() {
    let t = SiteTest::from_fixture("minimal");
    let bundle = "content/cases/good-case";
    t.file(&format!("{bundle}/x\\..\\..\\..\\index.html"), "PWNED");
    t.file(&format!("{bundle}/y\\..\\..\\..\\_headers"), "/*\n");
    t.file(&format!("{bundle}/a:b.png"), "png");
    let errors = t.errors();
    assert_eq!(
        bad_names(&errors),
        [
            (format!("{bundle}/a:b.png"), "a-b.png".into(), true),
            (
                format!("{bundle}/x\\..\\..\\..\\index.html"),
                "x-..-..-..-index.html".into(),
                true
            ),
            (
                format!("{bundle}/y\\..\\..\\..\\_headers"),
                "y-..-..-..-_headers".into(),
                true
            ),
        ],
        "{}",
        render(&errors)
    );
    assert!(!t.public().exists(), "nothing was written");
    // Renamed as suggested, the file is published inside its bundle, the home page is ours.
    std::fs::remove_file(t.root.join(format!("{bundle}/y\\..\\..\\..\\_headers"))).unwrap();
    std::fs::remove_file(t.root.join(format!("{bundle}/a:b.png"))).unwrap();
    std::fs::rename(
        t.root.join(format!("{bundle}/x\\..\\..\\..\\index.html")),
        t.root.join(format!("{bundle}/x-..-..-..-index.html")),
    )
    .unwrap();
    t.build();
    assert_eq!(t.read("cases/good-case/x-..-..-..-index.html"), "PWNED");
    assert!(!t.read("index.html").contains("PWNED"));
}

#[cfg(unix)]
#[test]
fn names_that_cannot_be_published_are_warnings_in_static_with_a_name_that_would_do() {
    use std::os::unix::ffi::OsStrExt;
    let t = SiteTest::from_fixture("minimal");
    for name in [
        "a:b.txt",
        "q?.txt",
        "bell\u{7}.txt",
        "con.txt",
        "trail.",
        "ok.txt",
    ] {
        t.file(&format!("static/{name}"), "x");
    }
    t.file("static/dir:x/inner.txt", "x");
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(t.root.join("static").join(latin1), "x").unwrap();
    let r = t.build();
    let found: Vec<(String, String)> = bad_names(&r.warnings)
        .into_iter()
        .map(|(p, n, error)| {
            assert!(!error, "{p}");
            (p, n)
        })
        .collect();
    let expected = [
        ("static/a:b.txt", "a-b.txt"),
        ("static/bell\u{7}.txt", "bell-.txt"),
        ("static/caf\u{FFFD}.txt", "caf-.txt"),
        ("static/con.txt", "con_.txt"),
        ("static/dir:x", "dir-x"),
        ("static/q?.txt", "q-.txt"),
        ("static/trail.", "trail"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(found, expected);
    let published: Vec<PathBuf> = t
        .snapshot()
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "txt") || p.starts_with("dir:x"))
        .filter(|p| p != Path::new("robots.txt"))
        .collect();
    assert_eq!(published, [PathBuf::from("ok.txt")]);
    // Said in both languages, with the code point of an invisible character.
    let d = r
        .warnings
        .iter()
        .find(|d| d.path.ends_with("bell\u{7}.txt"))
        .unwrap();
    assert!(d
        .render(tsunagari::diagnostics::Lang::Ja)
        .contains("U+0007"));
    assert!(d
        .render(tsunagari::diagnostics::Lang::En)
        .contains("rename"));
}

/// The files a report names with a collision (the other file, when there is one).
fn collisions(d: &[tsunagari::diagnostics::Diagnostic]) -> Vec<(String, Option<String>, bool)> {
    use tsunagari::diagnostics::FileProblem;
    d.iter()
        .filter_map(|d| match &d.problem {
            Problem::Files(FileProblem::Collision { other, .. }) => {
                Some((d.path.display().to_string(), other.clone(), d.is_error()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn bundle_files_that_land_on_a_generated_output_or_on_each_other_are_errors() {
    let t = SiteTest::from_fixture("minimal");
    let bundle = "content/cases/good-case";
    t.file(
        &format!("{bundle}/index.html"),
        "<p>author HTML without the CSP</p>",
    );
    t.file(&format!("{bundle}/が.png"), "composed");
    t.file(&format!("{bundle}/か\u{3099}.png"), "decomposed");
    let errors = t.errors();
    assert_eq!(
        collisions(&errors),
        [
            (format!("{bundle}/index.html"), None, true),
            (
                format!("{bundle}/が.png"),
                Some(format!("{bundle}/か\u{3099}.png")),
                true
            ),
        ],
        "{}",
        render(&errors)
    );
    let ja = render(&errors);
    assert!(ja.contains("/cases/good-case/index.html"), "{ja}");
    assert!(!t.public().exists(), "nothing was written");
}

#[test]
fn static_files_that_collide_are_warnings_and_replacing_a_generated_file_is_said() {
    use tsunagari::diagnostics::FileProblem;
    let t = SiteTest::from_fixture("minimal");
    t.file("static/か\u{3099}.png", "decomposed");
    t.file("static/が.png", "composed");
    t.file("static/robots.txt", "User-agent: *\n");
    t.file("static/cases/good-case/photo.svg", "<svg/>");
    let r = t.build();
    assert_eq!(
        collisions(&r.warnings),
        [(
            "static/が.png".into(),
            Some("static/か\u{3099}.png".into()),
            false
        )]
    );
    // The first in walk order is published, the other is not copied over it.
    assert_eq!(t.read("が.png"), "decomposed");
    let replaced: Vec<(String, String)> = r
        .warnings
        .iter()
        .filter_map(|d| match &d.problem {
            Problem::Files(FileProblem::Replaces { output }) => {
                Some((d.path.display().to_string(), output.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        replaced,
        [
            (
                "static/cases/good-case/photo.svg".into(),
                "cases/good-case/photo.svg".into()
            ),
            ("static/robots.txt".into(), "robots.txt".into()),
        ]
    );
    // Still allowed, as documented: static/ wins.
    assert_eq!(t.read("robots.txt"), "User-agent: *\n");
    assert_eq!(t.read("cases/good-case/photo.svg"), "<svg/>");
}

#[test]
fn files_that_run_script_at_their_url_are_named_in_a_warning() {
    use tsunagari::diagnostics::FileProblem;
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "static/evil.SVG",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" ONLOAD=\"alert(1)\"/>",
    );
    t.file("static/page.html", "<p>hi</p><Script src=x></Script>");
    t.file("static/feed.xml", "<a href=\"java\tscript:alert(1)\">x</a>");
    t.file("static/plain.svg", "<svg><path d=\"M0 0\"/></svg>");
    t.file("static/notes.txt", "<script>not a document</script>");
    t.file(
        "content/cases/good-case/chart.svg",
        "<svg><image href=\"x\" onerror=\"alert(1)\"/></svg>",
    );
    let r = t.build();
    let named: Vec<String> = r
        .warnings
        .iter()
        .filter(|d| matches!(d.problem, Problem::Files(FileProblem::RunsScript)))
        .map(|d| d.path.display().to_string())
        .collect();
    assert_eq!(
        named,
        [
            "content/cases/good-case/chart.svg",
            "static/evil.SVG",
            "static/feed.xml",
            "static/page.html"
        ]
    );
    let d = r
        .warnings
        .iter()
        .find(|d| d.path.ends_with("evil.SVG"))
        .unwrap();
    let ja = d.render(tsunagari::diagnostics::Lang::Ja);
    assert!(ja.contains("スクリプト") && ja.contains("_headers"), "{ja}");
    assert!(
        t.exists("evil.SVG"),
        "still published: a warning, not a refusal"
    );
}

#[cfg(unix)]
#[test]
fn a_link_at_the_lock_path_is_removed_and_never_written_through() {
    let t = SiteTest::from_fixture("minimal");
    let top = t.root.parent().unwrap().to_path_buf();
    std::fs::write(top.join("victim.txt"), "precious").unwrap();
    link(
        &t,
        top.join("victim.txt").to_str().unwrap(),
        ".public.tsunagari-lock",
    );
    let (code, _, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(top.join("victim.txt")).unwrap(),
        "precious"
    );
    // A dangling link does not create its target either.
    link(
        &t,
        top.join("created.txt").to_str().unwrap(),
        ".public.tsunagari-lock",
    );
    let (code, _, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(code, 0, "{err}");
    assert!(!top.join("created.txt").exists());
    assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
    // Something that is not a file there is refused with a message naming it.
    std::fs::create_dir(t.root.join(".public.tsunagari-lock")).unwrap();
    let (code, _, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("ロックファイル") && err.contains(".public.tsunagari-lock"),
        "{err}"
    );
}

#[test]
fn a_build_killed_between_the_renames_of_the_swap_gets_its_output_back() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let before = tree(&t.public());
    // Killed after moving public/ aside, before moving the new build in.
    std::fs::rename(t.public(), t.root.join(".public.tsunagari-old")).unwrap();
    // The next build fails on content; the last good output is there as it was.
    t.file("content/columns/broken.md", "---\ntitle: [\n---\n");
    let (code, _, err) = t.cli(&["build", "--now", NOW]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("出力フォルダは変更していません"), "{err}");
    assert_eq!(tree(&t.public()), before);
    assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
}

#[cfg(unix)]
#[test]
fn an_old_file_that_cannot_be_removed_does_not_fail_a_build_that_succeeded() {
    let t = SiteTest::from_fixture("minimal");
    let top = t.root.parent().unwrap().to_path_buf();
    chmod(&top, 0o755);
    t.build();
    // A file the build does not produce, in a folder made read-only by someone.
    std::fs::create_dir_all(t.public().join("locked")).unwrap();
    std::fs::write(t.public().join("locked/keep.txt"), "k").unwrap();
    chmod(&t.public().join("locked"), 0o555);
    t.file("static/new.txt", "new");
    let o = run_unprivileged(&top, &t.root, &["build", "--now", NOW]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "the build succeeded: {err}");
    assert_eq!(t.read("new.txt"), "new", "public/ is the new build");
    assert!(
        err.contains("警告: public/locked/keep.txt: ") && err.contains("chmod -R u+w"),
        "{err}"
    );
    // The next build tries again, and says so again.
    let o = run_unprivileged(&top, &t.root, &["build", "--now", NOW, "--lang", "en"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("public/locked/keep.txt") && err.contains("chmod -R u+w"),
        "{err}"
    );
    // Once it can be removed, it goes, with its folder, and nothing is left beside public/.
    chmod(&t.public().join("locked"), 0o755);
    let o = run_unprivileged(&top, &t.root, &["build", "--now", NOW]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!t.exists("locked"));
    assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
}

#[test]
fn a_leftover_staging_entry_that_is_a_link_or_a_file_does_not_block_the_build() {
    let t = SiteTest::from_fixture("minimal");
    let top = t.root.parent().unwrap().to_path_buf();
    t.file("../elsewhere/keep.txt", "keep");
    #[cfg(unix)]
    for target in ["nowhere", top.join("elsewhere").to_str().unwrap()] {
        link(&t, target, ".public.tsunagari-staging");
        t.build();
        assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
    }
    t.file(".public.tsunagari-staging", "a file");
    t.build();
    assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
    assert_eq!(
        std::fs::read_to_string(top.join("elsewhere/keep.txt")).unwrap(),
        "keep",
        "a link's target is never touched"
    );
}

/// stderr (or stdout) as `/dev/full`: every write fails with ENOSPC.
#[cfg(target_os = "linux")]
fn full() -> std::process::Stdio {
    std::process::Stdio::from(std::fs::File::create("/dev/full").unwrap())
}

#[cfg(target_os = "linux")]
#[test]
fn printing_to_a_full_stderr_or_a_closed_stdout_never_panics() {
    let t = SiteTest::from_fixture("minimal");
    let code = |args: &[&str], stdout_full: bool| {
        let mut c = Command::new(BIN);
        c.args(args)
            .current_dir(&t.root)
            .env_remove("SOURCE_DATE_EPOCH");
        c.stderr(full());
        if stdout_full {
            c.stdout(full());
        }
        c.status().unwrap().code()
    };
    assert_eq!(code(&["build", "--now", NOW], false), Some(0));
    assert_eq!(code(&["check", "--now", NOW], true), Some(0));
    t.file("content/columns/broken.md", "---\ntitle: [\n---\n");
    assert_eq!(code(&["build", "--now", NOW], false), Some(1));
    assert_eq!(
        code(&["--format", "github", "build", "--now", NOW], true),
        Some(1)
    );
    assert_eq!(code(&["build", "--root", "/nonexistent"], false), Some(2));
    assert_eq!(code(&["new", "challenge", "x:y"], true), Some(2));
}
