//! What the output folder holds before a build, and the commit that brings it to what the build
//! produced. The folder is read once, without following any link, so a file counts as "already
//! there" only when its whole path is real folders inside the output; a link (or anything but a
//! regular file) is never compared, only replaced or removed, never followed.
//!
//! The commit first removes what this build did not produce (files, links, then folders left
//! empty, deepest first), then moves each staged file in with one rename, so every file is
//! replaced atomically and a file can take the place of a folder and the other way round.

use super::open_no_follow;
use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// One entry of the previous output, as found (links not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    /// A regular file and its size.
    File(u64),
    Dir,
    /// A link, a FIFO, a socket: never read, replaced or removed.
    Other,
}

/// The previous output: every entry below the output folder, by path relative to it.
#[derive(Debug, Default)]
pub(super) struct Previous {
    entries: HashMap<PathBuf, Entry>,
}

/// What the commit did: files removed, and the first entry that could not be removed (the new
/// build is in place all the same).
#[derive(Debug, Default)]
pub(super) struct Removal {
    pub removed: usize,
    pub left: Option<(PathBuf, io::Error)>,
}

impl Previous {
    /// Reads the folder `out` (empty when it does not exist).
    pub fn scan(out: &Path) -> io::Result<Previous> {
        let mut entries = HashMap::new();
        if out.symlink_metadata().is_err() {
            return Ok(Previous { entries });
        }
        for e in walkdir::WalkDir::new(out).follow_links(false).min_depth(1) {
            let e = e?;
            let kind = if e.file_type().is_dir() {
                Entry::Dir
            } else if e.file_type().is_file() {
                Entry::File(e.metadata()?.len())
            } else {
                Entry::Other
            };
            let rel = e.path().strip_prefix(out).map_err(io::Error::other)?;
            entries.insert(rel.to_path_buf(), kind);
        }
        Ok(Previous { entries })
    }

    /// Whether the previous output holds exactly `bytes` at `rel` (in `out`).
    pub fn holds(&self, out: &Path, rel: &str, bytes: &[u8]) -> bool {
        if self.entries.get(Path::new(rel)) != Some(&Entry::File(bytes.len() as u64)) {
            return false;
        }
        let mut old = Vec::with_capacity(bytes.len());
        open_no_follow(&out.join(rel))
            .and_then(|mut f| f.read_to_end(&mut old))
            .is_ok_and(|_| old == bytes)
    }

    /// Whether the previous output holds at `rel` (in `out`) the same bytes as `src` (`len`
    /// bytes long), read side by side, never both whole in memory.
    pub fn holds_copy(&self, out: &Path, rel: &str, src: &mut impl Read, len: u64) -> bool {
        if self.entries.get(Path::new(rel)) != Some(&Entry::File(len)) {
            return false;
        }
        let Ok(mut old) = open_no_follow(&out.join(rel)) else {
            return false;
        };
        same_stream(&mut old, src).unwrap_or(false)
    }

    /// Removes from `out` every entry this build did not produce (`produced` says which
    /// relative paths it did), then the folders left empty (`needed` says which folders hold a
    /// produced file: those are not even tried). Failures are not fatal: the first is returned
    /// (a later build tries again).
    pub fn remove_unproduced(
        &self,
        out: &Path,
        produced: &dyn Fn(&Path) -> bool,
        needed: &dyn Fn(&Path) -> bool,
    ) -> Removal {
        let mut done = Removal::default();
        let mut note = |p: &Path, e: io::Error| {
            if e.kind() != io::ErrorKind::NotFound && done.left.is_none() {
                done.left = Some((out.join(p), e));
            }
        };
        let mut dirs = Vec::new();
        let mut gone: Vec<&PathBuf> = Vec::new();
        for (rel, kind) in &self.entries {
            match kind {
                Entry::Dir if needed(rel) => {}
                Entry::Dir => dirs.push(rel),
                _ if produced(rel) => {}
                _ => gone.push(rel),
            }
        }
        gone.sort();
        let mut removed = 0;
        for rel in gone {
            match std::fs::remove_file(out.join(rel)) {
                Ok(()) => removed += 1,
                Err(e) => note(rel, e),
            }
        }
        // Deepest first, so a folder emptied of empty folders goes too. A folder that still
        // holds files (kept ones, or ones that could not be removed) stays.
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for rel in dirs {
            let _ = std::fs::remove_dir(out.join(rel));
        }
        done.removed = removed;
        done
    }
}

/// Moves the staged file `rel` from `staging` into `out`, creating its folders when missing.
pub(super) fn move_in(staging: &Path, out: &Path, rel: &Path) -> io::Result<()> {
    let (from, to) = (staging.join(rel), out.join(rel));
    let at = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", to.display()));
    match std::fs::rename(&from, &to) {
        Err(e) if e.kind() == io::ErrorKind::NotFound && from.exists() => {
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(at)?;
            }
            std::fs::rename(&from, &to).map_err(at)
        }
        r => r.map_err(at),
    }
}

/// Whether two readers give the same bytes to the end.
fn same_stream(a: &mut impl Read, b: &mut impl Read) -> io::Result<bool> {
    let (mut x, mut y) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    loop {
        let n = read_full(a, &mut x)?;
        let m = read_full(b, &mut y)?;
        if n != m || x[..n] != y[..m] {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

/// Fills `buf` as far as the reader goes; fewer bytes only at its end.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_compare_to_the_end() {
        let long = vec![7u8; 200_000];
        let mut other = long.clone();
        assert!(same_stream(&mut &long[..], &mut &other[..]).unwrap());
        other[150_000] = 8;
        assert!(!same_stream(&mut &long[..], &mut &other[..]).unwrap());
        assert!(!same_stream(&mut &long[..], &mut &long[..100]).unwrap());
        assert!(same_stream(&mut &b""[..], &mut &b""[..]).unwrap());
    }

    #[test]
    fn only_real_files_of_the_same_bytes_are_held() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(out.join("a")).unwrap();
        std::fs::write(out.join("a/index.html"), "same").unwrap();
        std::fs::write(tmp.path().join("elsewhere"), "same").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("elsewhere"), out.join("link")).unwrap();
            std::os::unix::fs::symlink(out.join("a"), out.join("dirlink")).unwrap();
        }
        let p = Previous::scan(&out).unwrap();
        assert!(p.holds(&out, "a/index.html", b"same"));
        assert!(
            !p.holds(&out, "a/index.html", b"sane"),
            "same size, other bytes"
        );
        assert!(!p.holds(&out, "a/index.html", b"longer"));
        assert!(!p.holds(&out, "a", b""), "a folder is not a file");
        assert!(!p.holds(&out, "link", b"same"), "a link is never followed");
        assert!(!p.holds(&out, "dirlink/index.html", b"same"));
        assert!(p.holds_copy(&out, "a/index.html", &mut &b"same"[..], 4));
        assert!(!p.holds_copy(&out, "a/index.html", &mut &b"samf"[..], 4));
        assert!(Previous::scan(&tmp.path().join("missing"))
            .unwrap()
            .entries
            .is_empty());
    }

    #[test]
    fn removes_what_was_not_produced_and_the_folders_left_empty() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        for f in [
            "keep/index.html",
            "gone/deep/index.html",
            "keep/old.css",
            "x",
        ] {
            let p = out.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, f).unwrap();
        }
        let p = Previous::scan(&out).unwrap();
        let produced = |rel: &Path| rel == Path::new("keep/index.html");
        let r = p.remove_unproduced(&out, &produced, &|d| d == Path::new("keep"));
        assert_eq!(r.removed, 3);
        assert!(r.left.is_none());
        let mut left: Vec<_> = walkdir::WalkDir::new(&out)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap().path().strip_prefix(&out).unwrap().to_path_buf())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [PathBuf::from("keep"), PathBuf::from("keep/index.html")]
        );
    }

    #[test]
    fn moving_in_creates_folders_and_replaces_files() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, out) = (tmp.path().join("s"), tmp.path().join("o"));
        std::fs::create_dir_all(staging.join("a/b")).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(staging.join("a/b/c.html"), "new").unwrap();
        std::fs::write(staging.join("top.html"), "new top").unwrap();
        std::fs::write(out.join("top.html"), "old top").unwrap();
        move_in(&staging, &out, Path::new("a/b/c.html")).unwrap();
        move_in(&staging, &out, Path::new("top.html")).unwrap();
        assert_eq!(std::fs::read(out.join("a/b/c.html")).unwrap(), b"new");
        assert_eq!(std::fs::read(out.join("top.html")).unwrap(), b"new top");
        assert!(move_in(&staging, &out, Path::new("missing.html")).is_err());
    }
}
