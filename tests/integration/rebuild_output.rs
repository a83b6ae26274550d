//! Incremental output (issue 16): a build writes only the files whose bytes changed, so a sync
//! (`rsync`, an object store) uploads nothing for a rebuild with nothing changed. Each test
//! reads the whole output folder (bytes, inode, mtime) before and after a rebuild.

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// What a sync or a reader sees of one file: its bytes and whether it was written again.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    bytes: Vec<u8>,
    ino: u64,
    mtime: (i64, i64),
}

/// Every file of `dir` (links not followed), by relative path.
fn state(dir: &Path) -> BTreeMap<PathBuf, Seen> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.path().symlink_metadata().unwrap();
            let seen = Seen {
                bytes: std::fs::read(e.path()).unwrap(),
                ino: m.ino(),
                mtime: (m.mtime(), m.mtime_nsec()),
            };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), seen)
        })
        .collect()
}

/// Every folder of `dir`, by relative path.
fn folders(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// What a build left beside its output folder (staging folder, lock): nothing, once it ended.
fn beside(t: &SiteTest) -> Vec<String> {
    std::fs::read_dir(&t.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.tsunagari-"))
        .collect()
}

/// The sample portal with a file of its own under `static/` (published as a copy of its bytes).
fn portal() -> SiteTest {
    let t = SiteTest::sample();
    t.bytes("static/files/guide.pdf", b"%PDF-1.4 a guide for visitors");
    t
}

const CHALLENGE: &str = "content/challenges/hamakaze-library.md";

#[test]
fn a_rebuild_with_nothing_changed_writes_no_file() {
    let t = portal();
    let first = t.build_at(SAMPLE_NOW).unwrap();
    let before = state(&t.public());
    assert!(before.contains_key(Path::new("files/guide.pdf")));
    assert_eq!(first.written, before.len(), "{first:?}");
    let again = t.build_at(SAMPLE_NOW).unwrap();
    assert_eq!(again.written, 0, "nothing is written");
    assert_eq!(again.unchanged, before.len());
    assert_eq!(again.removed, 0);
    assert_eq!(again.files, before.len());
    assert_eq!(state(&t.public()), before, "same bytes, inodes and mtimes");
    assert!(beside(&t).is_empty(), "{:?}", beside(&t));
}

#[test]
fn changing_one_page_body_rewrites_only_the_files_whose_bytes_changed() {
    let t = portal();
    t.build_at(SAMPLE_NOW).unwrap();
    let before = state(&t.public());
    t.edit(CHALLENGE, "蔵書は約4万冊。", "蔵書は約5万冊。");
    let r = t.build_at(SAMPLE_NOW).unwrap();
    let after = state(&t.public());
    // New or changed bytes (the search manifest's name follows its content).
    let changed: BTreeSet<&PathBuf> = after
        .iter()
        .filter(|(p, s)| before.get(*p).is_none_or(|b| b.bytes != s.bytes))
        .map(|(p, _)| p)
        .collect();
    let touched: BTreeSet<&PathBuf> = after
        .iter()
        .filter(|(p, s)| {
            before
                .get(*p)
                .is_none_or(|b| b.ino != s.ino || b.mtime != s.mtime)
        })
        .map(|(p, _)| p)
        .collect();
    let gone = before.keys().filter(|p| !after.contains_key(*p)).count();
    assert!(
        changed.contains(&PathBuf::from("challenges/hamakaze-library/index.html")),
        "{changed:?}"
    );
    assert_eq!(touched, changed, "written exactly when the bytes changed");
    assert_eq!(r.written, changed.len());
    assert_eq!(r.unchanged, after.len() - changed.len());
    assert_eq!(r.removed, gone);
}

#[test]
fn deleting_a_page_removes_its_files_and_empty_folders() {
    let t = portal();
    t.build_at(SAMPLE_NOW).unwrap();
    let before = state(&t.public());
    assert!(t.exists("challenges/hamakaze-library/index.html"));
    t.remove(CHALLENGE);
    t.remove("static/files/guide.pdf");
    let r = t.build_at(SAMPLE_NOW).unwrap();
    let after = state(&t.public());
    assert!(
        !t.exists("challenges/hamakaze-library"),
        "its folder is gone"
    );
    assert!(!t.exists("files"), "a folder left empty is gone");
    let gone: Vec<_> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    assert!(
        gone.contains(&&PathBuf::from("files/guide.pdf")),
        "{gone:?}"
    );
    assert_eq!(r.removed, gone.len(), "{gone:?}");
    // What stays and did not change keeps its inode.
    for (p, s) in &after {
        if before.get(p).is_some_and(|b| b.bytes == s.bytes) {
            assert_eq!(before[p].ino, s.ino, "{}", p.display());
        }
    }
    // The output equals a clean build's.
    let clean = tempfile::tempdir().unwrap();
    let out = clean.path().join("public");
    let (code, _, err) = t.cli(&[
        "build",
        "--now",
        SAMPLE_NOW,
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(snapshot(&out), t.snapshot());
    assert_eq!(folders(&out), folders(&t.public()));
}

#[test]
fn a_failing_build_leaves_the_previous_output_identical() {
    let t = portal();
    t.build_at(SAMPLE_NOW).unwrap();
    let before = state(&t.public());
    let dirs = folders(&t.public());
    // A changed page (rendered and staged first), a removed one, and a broken one.
    t.edit(CHALLENGE, "蔵書は約4万冊。", "蔵書は約5万冊。");
    t.remove("static/files/guide.pdf");
    t.file("content/columns/broken.md", "---\ntitle: [\n---\n");
    assert!(t.build_at(SAMPLE_NOW).is_err());
    assert_eq!(state(&t.public()), before, "paths, bytes, inodes, mtimes");
    assert_eq!(folders(&t.public()), dirs);
    assert!(beside(&t).is_empty(), "{:?}", beside(&t));
}

#[test]
fn a_file_and_a_folder_trade_places_between_builds() {
    let t = SiteTest::from_fixture("minimal");
    t.file("static/swap/index.html", "<p>a folder</p>");
    t.file("static/flip", "a file");
    t.build();
    assert_eq!(t.read("swap/index.html"), "<p>a folder</p>");
    t.remove("static/swap/index.html");
    std::fs::remove_dir(t.root.join("static/swap")).unwrap();
    t.file("static/swap", "a file now");
    t.remove("static/flip");
    t.file("static/flip/index.html", "<p>a folder now</p>");
    let r = t.build();
    assert_eq!(t.read("swap"), "a file now");
    assert_eq!(t.read("flip/index.html"), "<p>a folder now</p>");
    assert_eq!((r.written, r.removed), (2, 2), "{r:?}");
}

#[test]
fn a_file_put_into_the_output_by_hand_is_removed_and_a_damaged_output_repaired() {
    let t = portal();
    t.build_at(SAMPLE_NOW).unwrap();
    let before = state(&t.public());
    // As a commit cut short would leave it: a file missing, one with other bytes; and a
    // file someone put there (the output is the build's alone: it goes).
    std::fs::remove_file(t.public().join("files/guide.pdf")).unwrap();
    std::fs::write(t.public().join("index.html"), "half").unwrap();
    t.file("public/notes/by-hand.txt", "mine");
    let r = t.build_at(SAMPLE_NOW).unwrap();
    assert_eq!((r.written, r.removed), (2, 1), "{r:?}");
    assert!(!t.exists("notes"));
    let after = state(&t.public());
    let bytes = |s: &BTreeMap<PathBuf, Seen>| -> BTreeMap<PathBuf, Vec<u8>> {
        s.iter()
            .map(|(p, s)| (p.clone(), s.bytes.clone()))
            .collect()
    };
    assert_eq!(bytes(&after), bytes(&before));
}
