//! Hardening of the output folder and of discovery (issue 11, area "output"): concurrent builds,
//! symlinked and dangerous output folders, entries under content/ and static/ that cannot be
//! used, and failed builds.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tsunagari::diagnostics::{EntryIssue, Fenced, Problem};
use tsunagari::pipeline::Failure;

const BIN: &str = env!("CARGO_BIN_EXE_tsunagari");

/// Every entry below `dir` (folders, links and files, with their permissions), so a test can
/// assert that nothing at all changed.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
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
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tsunagari"))
        .collect()
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
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
fn assert_written_through(t: &SiteTest, link_target: &Path, real: &Path) {
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
        Err(Failure::Io(m)) => assert!(m.contains("challenges"), "{m}"),
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

fn entry_issues(d: &[tsunagari::diagnostics::Diagnostic]) -> Vec<(String, &EntryIssue)> {
    d.iter()
        .filter_map(|d| match &d.problem {
            Problem::Entry { issue } => Some((d.path.display().to_string(), issue)),
            _ => None,
        })
        .collect()
}

#[cfg(unix)]
fn mkfifo(p: &Path) {
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
fn run_unprivileged(top: &Path, cwd: &Path, args: &[&str]) -> Output {
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
fn chmod(p: &Path, mode: u32) {
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
fn fenced(d: &[tsunagari::diagnostics::Diagnostic]) -> Vec<(String, Fenced, bool)> {
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
fn link(t: &SiteTest, target: &str, at: &str) {
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
fn site_with_own_theme() -> SiteTest {
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
fn entries(d: &[tsunagari::diagnostics::Diagnostic]) -> Vec<(String, bool)> {
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
    assert!(t.exists("assets/style.css"));
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

// Red-team findings on files and the output folder (area "files").

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
fn an_old_output_that_cannot_be_removed_does_not_fail_a_build_that_succeeded() {
    let t = SiteTest::from_fixture("minimal");
    let top = t.root.parent().unwrap().to_path_buf();
    chmod(&top, 0o755);
    t.build();
    // A folder inside the output that cannot be emptied (made read-only by someone).
    std::fs::create_dir_all(t.public().join("locked")).unwrap();
    std::fs::write(t.public().join("locked/keep.txt"), "k").unwrap();
    chmod(&t.public().join("locked"), 0o555);
    t.file("static/new.txt", "new");
    let o = run_unprivileged(&top, &t.root, &["build", "--now", NOW]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "the swap succeeded: {err}");
    assert_eq!(t.read("new.txt"), "new", "public/ is the new build");
    assert!(!t.exists("locked"));
    assert!(
        err.contains("警告: .public.tsunagari-old: ") && err.contains("chmod -R u+w"),
        "{err}"
    );
    // The next build cannot remove it either: it says which folder and how.
    let o = run_unprivileged(&top, &t.root, &["build", "--now", NOW, "--lang", "en"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(".public.tsunagari-old") && err.contains("chmod -R u+w"),
        "{err}"
    );
    assert_eq!(t.read("new.txt"), "new", "public/ is untouched");
    // Once it can be removed, builds go on and leave nothing beside public/.
    chmod(&t.root.join(".public.tsunagari-old/locked"), 0o755);
    let o = run_unprivileged(&top, &t.root, &["build", "--now", NOW]);
    assert!(o.status.success(), "{}", stderr(&o));
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
