//! Hardening of the output folder and of discovery (issue 11, area "output"): concurrent builds,
//! symlinked and dangerous output folders, entries under content/ and static/ that cannot be
//! used, and failed builds.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tsunagari::diagnostics::{EntryIssue, Fenced, Problem};
use tsunagari::pipeline::Failure;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_tsunagari");

/// Every entry below `dir` (folders, links and files, with their permissions), so a test can
/// assert that nothing at all changed.
pub(crate) fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let m = e.path().symlink_metadata().unwrap();
            let what = if m.is_symlink() {
                format!("link {}", std::fs::read_link(e.path()).unwrap().display())
            } else if m.is_dir() {
                "dir".to_string()
            } else {
                format!("file {:?}", std::fs::read(e.path()).unwrap())
            };
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, format!("{what} {:?}", m.permissions()))
        })
        .collect()
}

/// Names in the site folder left by a build beside its output (staging, old output, lock).
pub(crate) fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tsunagari"))
        .collect()
}

pub(crate) fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn concurrent_builds_into_one_output_all_finish_and_equal_a_single_build() {
    let t = SiteTest::from_fixture("minimal");
    let single = t.root.parent().unwrap().join("single");
    let o = run(
        &t.root,
        &["build", "--now", NOW, "--output", single.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = snapshot(&single);
    assert!(expected.contains_key(Path::new(".tsunagari/output")));
    for round in 0..3 {
        let builds: Vec<_> = (0..4)
            .map(|_| {
                Command::new(BIN)
                    .args(["build", "--now", NOW, "--quiet"])
                    .current_dir(&t.root)
                    .env_remove("SOURCE_DATE_EPOCH")
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for b in builds {
            let o = b.wait_with_output().unwrap();
            assert!(o.status.success(), "round {round}: {}", stderr(&o));
        }
        assert_eq!(
            snapshot(&t.public()),
            expected,
            "round {round}: the output equals a single build's"
        );
        assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
    }
}

#[cfg(unix)]
pub(crate) fn assert_written_through(t: &SiteTest, link_target: &Path, real: &Path) {
    for round in 0..2 {
        let (code, _, err) = t.cli(&["build", "--now", NOW]);
        assert_eq!(code, 0, "round {round}: {err}");
        let link = t.public();
        assert!(
            link.symlink_metadata().unwrap().is_symlink(),
            "round {round}: the link is kept"
        );
        assert_eq!(std::fs::read_link(&link).unwrap(), link_target);
        assert!(
            real.join("index.html").is_file(),
            "written through the link"
        );
        assert!(real.join(".tsunagari/output").is_file());
        assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
        assert!(leftovers(real.parent().unwrap()).is_empty());
    }
}

#[cfg(unix)]
#[test]
fn symlinked_output_folder_is_written_through_and_the_link_kept() {
    let t = SiteTest::from_fixture("minimal");
    let deploy = t.root.parent().unwrap().join("srv/www/portal");
    std::fs::create_dir_all(&deploy).unwrap();
    std::os::unix::fs::symlink(&deploy, t.public()).unwrap();
    assert_written_through(&t, &deploy, &deploy);
}

#[cfg(unix)]
#[test]
fn dangling_output_link_is_written_through_and_the_link_kept() {
    let t = SiteTest::from_fixture("minimal");
    let rel = Path::new("../srv/portal");
    std::os::unix::fs::symlink(rel, t.public()).unwrap();
    let real = t.root.parent().unwrap().join("srv/portal");
    assert_written_through(&t, rel, &real);
}

#[cfg(unix)]
#[test]
fn dangerous_output_paths_are_refused_before_anything_is_touched() {
    use std::os::unix::fs::symlink;
    let t = SiteTest::from_fixture("minimal");
    let top = t.root.parent().unwrap().to_path_buf();
    t.file("templates/.keep", "");
    t.file("themes/mine/templates/.keep", "");
    // static/ may be a link to shared assets elsewhere: those are sources too.
    t.file("../assets/logo.svg", "<svg/>");
    symlink("../assets", t.root.join("static")).unwrap();
    symlink("content", t.root.join("to-content")).unwrap();
    symlink("content/new", t.root.join("to-new-in-content")).unwrap();
    symlink("..", t.root.join("up")).unwrap();
    let assets_out = top.join("assets/out");
    let cases = [
        "site.yaml",
        "site.yaml/public",
        "content/challenges/open-soon.md",
        ".",
        "./",
        "..",
        "../..",
        "../site",
        "content",
        "content/public",
        "content/cases/good-case",
        "static",
        "static/out",
        "templates",
        "themes/mine",
        "public/../content",
        "public/../../site/content/x",
        "to-content",
        "to-new-in-content",
        "up",
        "up/site/static",
        assets_out.to_str().unwrap(),
    ];
    let before = tree(&top);
    for out in cases {
        let o = run(&t.root, &["build", "--now", NOW, "--output", out]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "--output {out}: {err}");
        assert!(err.contains("出力先"), "--output {out}: {err}");
        assert_eq!(before, tree(&top), "--output {out} changed the file system");
    }
    // The same refusals in English.
    let o = run(&t.root, &["--lang", "en", "build", "--output", "content"]);
    assert!(stderr(&o).contains("inside content/"), "{}", stderr(&o));
}

#[test]
fn a_build_failing_in_its_last_stage_leaves_the_previous_output_and_nothing_beside_it() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let before = tree(&t.public());
    // static/ is copied last; a file where the build made a folder fails the copy.
    t.file("static/challenges", "not a folder");
    match t.build_at(NOW) {
        Err(Failure::Io(m)) => {
            let m = m.render(tsunagari::diagnostics::Lang::En);
            assert!(m.contains("challenges"), "{m}");
        }
        other => panic!("expected an I/O failure, got {:?}", other.map(|r| r.files)),
    }
    assert_eq!(before, tree(&t.public()), "public/ is untouched");
    assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
}

#[test]
fn leftovers_of_a_killed_build_do_not_block_the_next() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    // What a build killed between staging and swap leaves: its staging folder and lock file
    // (the lock itself died with the process).
    t.file(".public.tsunagari-staging/index.html", "half a build");
    t.file(".public.tsunagari-lock", "pid 999999: tsunagari build\n");
    t.build();
    assert!(leftovers(&t.root).is_empty(), "{:?}", leftovers(&t.root));
    assert!(t.read("index.html").contains("テストポータル"));
}

pub(crate) fn entry_issues(d: &[tsunagari::diagnostics::Diagnostic]) -> Vec<(String, &EntryIssue)> {
    d.iter()
        .filter_map(|d| match &d.problem {
            Problem::Entry { issue } => Some((d.path.display().to_string(), issue)),
            _ => None,
        })
        .collect()
}

#[cfg(unix)]
pub(crate) fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status().unwrap().success();
    assert!(ok, "mkfifo {}", p.display());
}

#[cfg(unix)]
#[test]
fn unusable_entries_under_content_are_errors_and_links_inside_the_site_are_followed() {
    use std::os::unix::fs::symlink;
    let t = SiteTest::from_fixture("minimal");
    let top = t.root.parent().unwrap();
    let column = "---\ntitle: 外のコラム\ndate: 2026-03-01\n---\n秘密\n";
    t.file("../outside/leak.md", column);
    t.file("shared/columns/shared.md", column);
    symlink(
        top.join("outside/leak.md"),
        t.root.join("content/columns/leak.md"),
    )
    .unwrap();
    symlink(
        top.join("outside"),
        t.root.join("content/columns/outside-dir"),
    )
    .unwrap();
    symlink("missing.md", t.root.join("content/columns/broken.md")).unwrap();
    symlink("..", t.root.join("content/columns/loop")).unwrap();
    symlink("/etc/passwd", t.root.join("content/cases/good-case/passwd")).unwrap();
    symlink(
        "../../shared/columns",
        t.root.join("content/columns/shared"),
    )
    .unwrap();
    mkfifo(&t.root.join("content/columns/pipe.md"));
    let errors = match t.build_at(NOW) {
        Err(Failure::Content(d)) => d,
        other => panic!("expected content errors, got {:?}", other.map(|r| r.files)),
    };
    let found = entry_issues(&errors);
    let expect = |path: &str, pred: &dyn Fn(&EntryIssue) -> bool| {
        let hit = errors.iter().find(|d| d.path == Path::new(path));
        let d = hit.unwrap_or_else(|| panic!("{path} not reported:\n{}", render(&errors)));
        assert!(d.is_error(), "{path}");
        assert!(
            matches!(&d.problem, Problem::Entry { issue } if pred(issue)),
            "{path}: {:?}",
            d.problem
        );
    };
    expect("content/columns/leak.md", &|i| {
        matches!(i, EntryIssue::LinkOutside { .. })
    });
    expect("content/columns/outside-dir", &|i| {
        matches!(i, EntryIssue::LinkOutside { .. })
    });
    expect("content/columns/broken.md", &|i| {
        matches!(i, EntryIssue::BrokenLink { .. })
    });
    expect("content/columns/loop", &|i| {
        matches!(i, EntryIssue::LinkLoop { .. })
    });
    expect("content/cases/good-case/passwd", &|i| {
        matches!(i, EntryIssue::LinkOutside { .. })
    });
    expect("content/columns/pipe.md", &|i| {
        matches!(i, EntryIssue::Special { kind: "fifo" })
    });
    assert_eq!(found.len(), 6, "{}", render(&errors));
    // The message names what is wrong and how to fix it, in both languages.
    let d = errors.iter().find(|d| d.path.ends_with("leak.md")).unwrap();
    let ja = d.render(tsunagari::diagnostics::Lang::Ja);
    assert!(
        ja.contains("サイトのフォルダの外") && ja.contains("本物のファイル"),
        "{ja}"
    );
    let en = d.render(tsunagari::diagnostics::Lang::En);
    assert!(
        en.contains("outside the site folder") && en.contains("real file"),
        "{en}"
    );
    // Without the bad entries, the link that stays inside the site is followed.
    for bad in ["leak.md", "outside-dir", "broken.md", "loop", "pipe.md"] {
        std::fs::remove_file(t.root.join("content/columns").join(bad)).unwrap();
    }
    std::fs::remove_file(t.root.join("content/cases/good-case/passwd")).unwrap();
    t.build();
    assert!(t.exists("columns/shared/index.html"));
}

#[cfg(unix)]
#[test]
fn static_entries_that_cannot_be_copied_are_warnings_and_never_published() {
    use std::os::unix::fs::symlink;
    let t = SiteTest::from_fixture("minimal");
    let top = t.root.parent().unwrap();
    t.file("../secret.txt", "SECRET");
    t.file("static/ok.txt", "ok");
    t.file("shared/logo.svg", "<svg/>");
    symlink(top.join("secret.txt"), t.root.join("static/leak.txt")).unwrap();
    symlink("/etc", t.root.join("static/etc")).unwrap();
    symlink("gone.png", t.root.join("static/gone.png")).unwrap();
    symlink("../shared", t.root.join("static/images")).unwrap();
    mkfifo(&t.root.join("static/pipe"));
    let r = t.build();
    let found = entry_issues(&r.warnings);
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "static/etc",
            "static/gone.png",
            "static/leak.txt",
            "static/pipe"
        ]
    );
    assert!(r.warnings.iter().all(|d| !d.is_error()));
    for gone in ["leak.txt", "etc", "gone.png", "pipe"] {
        assert!(!t.exists(gone), "{gone} published");
    }
    assert_eq!(t.read("ok.txt"), "ok");
    assert_eq!(
        t.read("images/logo.svg"),
        "<svg/>",
        "links inside the site are followed"
    );
    let everything: Vec<u8> = t.snapshot().into_values().flatten().collect();
    assert!(!String::from_utf8_lossy(&everything).contains("SECRET"));
}

/// Runs the binary so that permissions bite: as an unprivileged user when the tests run as
/// root (root reads everything), which then owns the whole temporary folder.
#[cfg(unix)]
pub(crate) fn run_unprivileged(top: &Path, cwd: &Path, args: &[&str]) -> Output {
    let uid = Command::new("id").arg("-u").output().unwrap();
    let root_user = String::from_utf8_lossy(&uid.stdout).trim() == "0";
    let mut cmd = if root_user {
        for e in walkdir::WalkDir::new(top) {
            std::os::unix::fs::lchown(e.unwrap().path(), Some(65534), Some(65534)).unwrap();
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
        c
    } else {
        Command::new(BIN)
    };
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

#[cfg(unix)]
pub(crate) fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn unreadable_entries_are_errors_in_content_and_warnings_in_static() {
    let t = SiteTest::from_fixture("minimal");
    let top = t.root.parent().unwrap().to_path_buf();
    t.file(
        "content/columns/private/secret.md",
        "---\ntitle: 非公開\ndate: 2026-03-01\n---\n",
    );
    t.file("static/locked/a.txt", "a");
    t.file("static/secret.txt", "s");
    t.file("static/ok.txt", "ok");
    let locked = [
        "content/columns/private",
        "content/cases/good-case/photo.svg",
        "static/locked",
        "static/secret.txt",
    ];
    let lock = |mode| {
        for p in locked {
            chmod(
                &t.root.join(p),
                if p.ends_with(".svg") || p.ends_with(".txt") {
                    mode & 0o666
                } else {
                    mode
                },
            );
        }
    };
    chmod(&top, 0o755);
    lock(0o000);
    let o = run_unprivileged(&top, &t.root, &["build", "--now", NOW]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for content in [
        "content/columns/private",
        "content/cases/good-case/photo.svg",
    ] {
        assert!(
            err.contains(&format!("エラー: {content}: ")),
            "{content}:\n{err}"
        );
    }
    for stat in ["static/locked", "static/secret.txt"] {
        assert!(err.contains(&format!("警告: {stat}: ")), "{stat}:\n{err}");
    }
    assert!(err.contains("読み取り権限"), "{err}");
    // With content readable again, the build succeeds without the unreadable static files.
    chmod(&t.root.join("content/columns/private"), 0o755);
    chmod(&t.root.join("content/cases/good-case/photo.svg"), 0o644);
    let o = run_unprivileged(&top, &t.root, &["build", "--now", NOW]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("警告: static/secret.txt: "), "{err}");
    assert_eq!(t.read("ok.txt"), "ok");
    assert!(!t.exists("secret.txt") && !t.exists("locked/a.txt"));
    lock(0o755);
}

// Follow-ups: links into the output folder (and `.git`), and the theme's own walk.

/// The entries a report names with `Fenced`, with what they lead to.
pub(crate) fn fenced(d: &[tsunagari::diagnostics::Diagnostic]) -> Vec<(String, Fenced, bool)> {
    d.iter()
        .filter_map(|d| match &d.problem {
            Problem::Entry {
                issue: EntryIssue::Fenced { place, .. },
            } => Some((d.path.display().to_string(), *place, d.is_error())),
            _ => None,
        })
        .collect()
}

#[cfg(unix)]
pub(crate) fn link(t: &SiteTest, target: &str, at: &str) {
    let at = t.root.join(at);
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

#[cfg(unix)]
#[test]
fn links_into_the_output_folder_or_git_are_never_followed_and_builds_do_not_grow() {
    let t = SiteTest::from_fixture("minimal");
    t.file("static/ok.txt", "ok");
    t.file(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://token@example.jp/\n",
    );
    t.build();
    let clean = t.snapshot();
    // A killed build's staging folder, still there when the next build starts.
    t.file(".public.tsunagari-staging/index.html", "half a build");
    link(&t, "../public", "static/mirror");
    link(&t, "../public/index.html", "static/home.html");
    link(&t, "../../public/challenges", "static/deep/list");
    link(&t, "../.public.tsunagari-staging", "static/staging");
    link(&t, "../.git", "static/git");
    link(&t, "../.git/config", "static/config.txt");
    // Hidden entries are skipped, but .well-known/ is published: a repository in it is not.
    t.file("static/.well-known/.git/config", "[core]\n");
    t.file(
        "static/.well-known/security.txt",
        "Contact: mailto:a@example.jp\n",
    );
    link(&t, "../../../public", "content/cases/good-case/old");
    let errors = match t.build_at(NOW) {
        Err(Failure::Content(d)) => d,
        other => panic!("expected content errors, got {:?}", other.map(|r| r.files)),
    };
    assert_eq!(
        fenced(&errors),
        [
            ("content/cases/good-case/old".into(), Fenced::Output, true),
            ("static/.well-known/.git".into(), Fenced::Git, false),
            ("static/config.txt".into(), Fenced::Git, false),
            ("static/deep/list".into(), Fenced::Output, false),
            ("static/git".into(), Fenced::Git, false),
            ("static/home.html".into(), Fenced::Output, false),
            ("static/mirror".into(), Fenced::Output, false),
            ("static/staging".into(), Fenced::Output, false),
        ],
        "{}",
        render(&errors)
    );
    // Named, with why and what to do, in both languages.
    let d = errors.iter().find(|d| d.path.ends_with("mirror")).unwrap();
    let ja = d.render(tsunagari::diagnostics::Lang::Ja);
    assert!(ja.contains("出力先") && ja.contains("public"), "{ja}");
    let en = d.render(tsunagari::diagnostics::Lang::En);
    assert!(
        en.contains("output folder") && en.contains("remove"),
        "{en}"
    );
    // Static ones are warnings: the build goes on, and each build equals a clean one.
    std::fs::remove_file(t.root.join("content/cases/good-case/old")).unwrap();
    for round in 0..3 {
        let r = t.build();
        // The first build removes the killed build's staging folder: that link then dangles.
        let paths: Vec<String> = entry_issues(&r.warnings)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(paths.len(), 7, "round {round}: {paths:?}");
        assert_eq!(fenced(&r.warnings).len(), if round == 0 { 7 } else { 6 });
        let mut now = t.snapshot();
        let ours = now.remove(Path::new(".well-known/security.txt"));
        assert!(ours.is_some(), "round {round}: .well-known/ is copied");
        assert_eq!(
            now, clean,
            "round {round}: nothing of public/ or .git came back"
        );
    }
}

#[cfg(unix)]
#[test]
fn an_output_folder_anywhere_in_the_site_is_fenced_by_path_and_by_its_marker() {
    let t = SiteTest::from_fixture("minimal");
    t.file("build/notes.txt", "notes");
    // `--output build/www` inside the site, and a link to the folder holding it.
    link(&t, "../build", "static/b");
    link(&t, "../dist", "static/old");
    let o = run(&t.root, &["build", "--now", NOW, "--output", "dist"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for round in 0..2 {
        let o = run(&t.root, &["build", "--now", NOW, "--output", "build/www"]);
        let err = stderr(&o);
        assert!(o.status.success(), "{err}");
        // The output folder met inside a linked folder (once it exists), and another build's
        // output (by its marker).
        if round > 0 {
            assert!(err.contains("警告: static/b/www: "), "round {round}: {err}");
        }
        assert!(err.contains("警告: static/old: "), "round {round}: {err}");
        let www = snapshot(&t.root.join("build/www"));
        assert_eq!(
            www.get(Path::new("b/notes.txt")).map(Vec::as_slice),
            Some(&b"notes"[..])
        );
        let names: Vec<String> = www.keys().map(|p| p.display().to_string()).collect();
        assert!(
            names
                .iter()
                .all(|n| !n.starts_with("b/www") && !n.starts_with("old")),
            "round {round}: {names:?}"
        );
    }
    // `check` and `serve` write nothing but read the same way: the default public/ (and any
    // folder a build made) is fenced for them too.
    link(&t, "../public", "static/mirror");
    let o = run(&t.root, &["--lang", "en", "check", "--now", NOW]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("static/old: ") && err.contains("output folder"),
        "{err}"
    );
}

/// A site using `themes/mine`, a copy of the default theme.
pub(crate) fn site_with_own_theme() -> SiteTest {
    let t = SiteTest::from_fixture("minimal");
    t.edit("site.yaml", "paginate_by: 2", "paginate_by: 2\ntheme: mine");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for e in walkdir::WalkDir::new(&src) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&src).unwrap();
            let text = std::fs::read(e.path()).unwrap();
            t.bytes(&format!("themes/mine/{}", rel.display()), &text);
        }
    }
    t
}

/// (path, is error) of every entry a report names.
pub(crate) fn entries(d: &[tsunagari::diagnostics::Diagnostic]) -> Vec<(String, bool)> {
    d.iter()
        .filter(|d| matches!(d.problem, Problem::Entry { .. }))
        .map(|d| (d.path.display().to_string(), d.is_error()))
        .collect()
}

#[cfg(unix)]
#[test]
fn unusable_theme_and_template_entries_are_all_reported_templates_as_errors_assets_as_warnings() {
    let t = site_with_own_theme();
    t.build();
    t.file("../outside.css", "SECRET");
    t.file("../outside.html", "SECRET");
    link(
        &t,
        "/etc/passwd",
        "themes/mine/templates/partials/evil.html",
    );
    link(&t, "nowhere.html", "themes/mine/templates/broken.html");
    mkfifo(&t.root.join("themes/mine/templates/pipe.html"));
    link(&t, "../../../../outside.css", "themes/mine/static/leak.css");
    mkfifo(&t.root.join("themes/mine/static/assets/pipe"));
    link(&t, "../../../public", "themes/mine/static/mirror");
    link(&t, "../../outside.html", "templates/page.html");
    mkfifo(&t.root.join("templates/fifo.html"));
    let all = match t.build_at(NOW) {
        Err(Failure::Content(d)) => d,
        other => panic!("expected content errors, got {:?}", other.map(|r| r.files)),
    };
    let expected = |errors: bool| {
        let mut e: Vec<(String, bool)> = [
            ("templates/fifo.html", true),
            ("templates/page.html", true),
            ("themes/mine/static/assets/pipe", false),
            ("themes/mine/static/leak.css", false),
            ("themes/mine/static/mirror", false),
            ("themes/mine/templates/broken.html", true),
            ("themes/mine/templates/partials/evil.html", true),
            ("themes/mine/templates/pipe.html", true),
        ]
        .into_iter()
        .filter(|(_, err)| errors || !err)
        .map(|(p, e)| (p.to_string(), e))
        .collect();
        e.sort_by_key(|(p, _)| p.clone());
        e
    };
    assert_eq!(entries(&all), expected(true), "{}", render(&all));
    assert_eq!(
        fenced(&all),
        [("themes/mine/static/mirror".into(), Fenced::Output, false)]
    );
    // Without the broken templates the site builds; the assets are left out with a warning.
    for p in [
        "templates/fifo.html",
        "templates/page.html",
        "themes/mine/templates/broken.html",
        "themes/mine/templates/partials/evil.html",
        "themes/mine/templates/pipe.html",
    ] {
        std::fs::remove_file(t.root.join(p)).unwrap();
    }
    let r = t.build();
    assert_eq!(entries(&r.warnings), expected(false));
    for gone in ["leak.css", "assets/pipe", "mirror"] {
        assert!(!t.exists(gone), "{gone} published");
    }
    t.asset("style.css");
    let everything: Vec<u8> = t.snapshot().into_values().flatten().collect();
    assert!(!String::from_utf8_lossy(&everything).contains("SECRET"));
}

#[cfg(unix)]
#[test]
fn unreadable_theme_files_are_all_named_templates_as_errors_assets_as_warnings() {
    let t = site_with_own_theme();
    let top = t.root.parent().unwrap().to_path_buf();
    t.file("templates/page.html", "{% extends \"base.html\" %}");
    let locked = [
        ("themes/mine/templates/base.html", 0o000),
        ("themes/mine/templates/partials", 0o000),
        ("templates/page.html", 0o000),
        ("themes/mine/static/assets/style.css", 0o000),
    ];
    chmod(&top, 0o755);
    for (p, mode) in locked {
        chmod(&t.root.join(p), mode);
    }
    let o = run_unprivileged(&top, &t.root, &["build", "--now", NOW]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for e in [
        "themes/mine/templates/base.html",
        "themes/mine/templates/partials",
        "templates/page.html",
    ] {
        assert!(err.contains(&format!("エラー: {e}: ")), "{e}:\n{err}");
    }
    assert!(
        err.contains("警告: themes/mine/static/assets/style.css: "),
        "{err}"
    );
    assert!(err.contains("読み取り権限"), "{err}");
    for (p, _) in locked {
        chmod(&t.root.join(p), 0o755);
    }
}
