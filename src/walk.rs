//! Walks a source folder (`content/`, `static/`) and reports every entry it cannot use instead of
//! dropping it: unreadable files and folders, FIFOs, sockets and devices, broken links, links
//! that leave the site, and link loops.
//!
//! Symbolic links are followed only when their target resolves inside the site root (folders
//! too, with loop detection), so a link to `/etc/passwd` is never read or published, while a
//! link to a shared image folder inside the site keeps working. Callers decide the severity:
//! content problems are errors, static ones warnings. This module reads nothing but folder
//! listings and file metadata (plus an open-and-close probe where the caller asks for one).
//!
//! Inside the site, the output folder (with what a build keeps beside it) and `.git` are fenced
//! off (`fence`): never read, whether reached through a link or met in place. Names that cannot
//! be published portably (`name`: a `\`, `:`, control characters…) are reported too, so every
//! path a walk returns is one the output can hold as it is.

use crate::diagnostics::EntryIssue;
use std::path::{Path, PathBuf};

mod fence;
pub use fence::Fence;
mod name;
pub use name::rename;

/// What a walk found: usable files and the entries it had to leave out, both relative to the
/// walked folder, in sorted order.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub issues: Vec<(PathBuf, EntryIssue)>,
}

/// How to walk one folder.
pub struct Rules<'a> {
    /// Entries (files or whole folders) to pass over without a word, by path relative to the
    /// walked folder: hidden files, editor backups.
    pub skip: &'a dyn Fn(&Path) -> bool,
    /// Files to open once so an unreadable one is reported now rather than failing later.
    pub probe: &'a dyn Fn(&Path) -> bool,
    /// Places never read (the build's output folder, `.git`).
    pub fence: &'a Fence,
}

/// Walks `dir` (below the site root `root`).
pub fn walk(root: &Path, dir: &Path, rules: &Rules<'_>) -> Walk {
    let mut out = Walk::default();
    let root = match root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            out.issues.push((PathBuf::new(), unreadable(&e, true)));
            return out;
        }
    };
    let ctx = Ctx { root, rules };
    // The folder itself may be a link: the same rule applies to it.
    let is_link = dir.symlink_metadata().is_ok_and(|m| m.is_symlink());
    let target = ctx
        .target(dir, is_link)
        .and_then(|t| ctx.fenced(&t).map_or(Ok(t), Err));
    match target {
        Ok(t) if t.is_dir() => {
            let mut stack = vec![t.clone()];
            ctx.walk_into(&t, Path::new(""), &mut stack, &mut out);
        }
        Ok(_) => out
            .issues
            .push((PathBuf::new(), EntryIssue::Special { kind: kind_of(dir) })),
        Err(issue) => out.issues.push((PathBuf::new(), issue)),
    }
    out
}

struct Ctx<'a> {
    /// The canonical site root: nothing outside it is read.
    root: PathBuf,
    rules: &'a Rules<'a>,
}

impl Ctx<'_> {
    /// Walks the physical folder `dir`, naming entries `prefix/…`. `stack` holds the canonical
    /// folders being walked through links, to stop loops.
    fn walk_into(&self, dir: &Path, prefix: &Path, stack: &mut Vec<PathBuf>, out: &mut Walk) {
        let rel_of = |p: &Path| prefix.join(p.strip_prefix(dir).unwrap_or(p));
        let mut walker = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !(self.rules.skip)(&rel_of(e.path())));
        while let Some(e) = walker.next() {
            let e = match e {
                Ok(e) => e,
                Err(err) => {
                    let rel = err.path().map(&rel_of).unwrap_or_default();
                    let io = err
                        .io_error()
                        .map(ToString::to_string)
                        .unwrap_or_else(|| err.to_string());
                    out.issues.push((
                        rel,
                        EntryIssue::Unreadable {
                            detail: io,
                            folder: true,
                        },
                    ));
                    continue;
                }
            };
            if e.depth() == 0 {
                continue;
            }
            let rel = rel_of(e.path());
            let ft = e.file_type();
            // A name that cannot be published is left out whole (a folder with all it holds, a
            // link without being followed): its files could land elsewhere than they are.
            if let Some(issue) = name::check(e.file_name()) {
                if ft.is_dir() {
                    walker.skip_current_dir();
                }
                out.issues.push((rel, issue));
                continue;
            }
            // Links are judged by where they lead (in `link`), the rest where they are.
            let here = (!ft.is_symlink())
                .then(|| self.rules.fence.entry(e.path(), ft.is_dir()))
                .flatten();
            if let Some(place) = here {
                if ft.is_dir() {
                    walker.skip_current_dir();
                }
                let target = self.shown(e.path());
                out.issues.push((rel, EntryIssue::Fenced { target, place }));
            } else if ft.is_dir() {
                continue;
            } else if ft.is_file() {
                self.file(e.path(), rel, out);
            } else if ft.is_symlink() {
                self.link(e.path(), rel, stack, out);
            } else {
                let kind = kind_of(e.path());
                out.issues.push((rel, EntryIssue::Special { kind }));
            }
        }
    }

    fn file(&self, path: &Path, rel: PathBuf, out: &mut Walk) {
        if (self.rules.probe)(&rel) {
            if let Err(e) = std::fs::File::open(path) {
                out.issues.push((rel, unreadable(&e, false)));
                return;
            }
        }
        out.files.push(rel);
    }

    /// A link inside the walked folder: followed only when it stays inside the site.
    fn link(&self, path: &Path, rel: PathBuf, stack: &mut Vec<PathBuf>, out: &mut Walk) {
        let target = match self.target(path, true) {
            Ok(t) => t,
            Err(issue) => return out.issues.push((rel, issue)),
        };
        if let Some(issue) = self.fenced(&target) {
            out.issues.push((rel, issue));
        } else if target.is_file() {
            self.file(path, rel, out);
        } else if target.is_dir() {
            // A link to a folder that holds it (or one being walked) would never end.
            let inside = path.parent().is_some_and(|p| p.starts_with(&target));
            if inside || stack.contains(&target) {
                let target = self.shown(&target);
                return out.issues.push((rel, EntryIssue::LinkLoop { target }));
            }
            stack.push(target.clone());
            self.walk_into(&target, &rel, stack, out);
            stack.pop();
        } else {
            let kind = kind_of(&target);
            out.issues.push((rel, EntryIssue::Special { kind }));
        }
    }

    /// Where `path` leads, when it may be read: inside the site root.
    fn target(&self, path: &Path, is_link: bool) -> Result<PathBuf, EntryIssue> {
        let written = || {
            std::fs::read_link(path)
                .map(|t| t.display().to_string())
                .unwrap_or_default()
        };
        match path.canonicalize() {
            Ok(t) if t.starts_with(&self.root) => Ok(t),
            Ok(_) => Err(EntryIssue::LinkOutside { target: written() }),
            Err(_) if is_link => Err(EntryIssue::BrokenLink { target: written() }),
            Err(e) => Err(unreadable(&e, true)),
        }
    }

    /// Why the physical path `t`, where a link (or the walked folder) leads, may not be read.
    fn fenced(&self, t: &Path) -> Option<EntryIssue> {
        let place = self.rules.fence.target(&self.root, t)?;
        let target = self.shown(t);
        Some(EntryIssue::Fenced { target, place })
    }

    /// A path inside the site, relative to its root, for messages.
    fn shown(&self, p: &Path) -> String {
        p.strip_prefix(&self.root)
            .unwrap_or(p)
            .display()
            .to_string()
    }
}

fn unreadable(e: &std::io::Error, folder: bool) -> EntryIssue {
    EntryIssue::Unreadable {
        detail: e.to_string(),
        folder,
    }
}

/// What kind of special file `p` is, for messages.
fn kind_of(p: &Path) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if let Ok(m) = std::fs::metadata(p) {
            let t = m.file_type();
            if t.is_fifo() {
                return "fifo";
            } else if t.is_socket() {
                return "socket";
            } else if t.is_block_device() || t.is_char_device() {
                return "device";
            }
        }
    }
    let _ = p;
    "special"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(root: &Path, dir: &Path) -> Walk {
        walk(
            root,
            dir,
            &Rules {
                skip: &|p| p.file_name().is_some_and(|n| n == ".hidden"),
                probe: &|_| true,
                fence: &Fence::default(),
            },
        )
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_inside_the_site() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let dir = root.join("static");
        std::fs::create_dir_all(dir.join("real")).unwrap();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::write(root.join("shared/logo.svg"), "<svg/>").unwrap();
        std::fs::write(dir.join("real/a.txt"), "a").unwrap();
        std::fs::write(tmp.path().join("secret"), "s").unwrap();
        std::fs::write(dir.join(".hidden"), "h").unwrap();
        symlink(root.join("shared"), dir.join("images")).unwrap();
        symlink(tmp.path().join("secret"), dir.join("passwd")).unwrap();
        symlink("/etc", dir.join("etc")).unwrap();
        symlink("nowhere", dir.join("broken")).unwrap();
        symlink("..", dir.join("real/up")).unwrap();
        let w = all(&root, &dir);
        let files: Vec<String> = w.files.iter().map(|f| f.display().to_string()).collect();
        assert_eq!(files, ["images/logo.svg", "real/a.txt"]);
        let issues: Vec<(String, &EntryIssue)> = w
            .issues
            .iter()
            .map(|(p, i)| (p.display().to_string(), i))
            .collect();
        assert!(matches!(issues[0], (ref p, EntryIssue::BrokenLink { .. }) if p == "broken"));
        assert!(matches!(issues[1], (ref p, EntryIssue::LinkOutside { .. }) if p == "etc"));
        assert!(matches!(issues[2], (ref p, EntryIssue::LinkOutside { .. }) if p == "passwd"));
        assert!(matches!(issues[3], (ref p, EntryIssue::LinkLoop { .. }) if p == "real/up"));
        assert_eq!(issues.len(), 4);
    }

    #[cfg(unix)]
    #[test]
    fn links_that_chase_each_other_stop() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for d in ["c/x", "c/z"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        symlink(root.join("c/z"), root.join("c/x/y")).unwrap();
        symlink(root.join("c/x"), root.join("c/z/w")).unwrap();
        let w = all(root, &root.join("c"));
        assert!(w.files.is_empty());
        assert!(
            w.issues
                .iter()
                .all(|(_, i)| matches!(i, EntryIssue::LinkLoop { .. })),
            "{:?}",
            w.issues
        );
        assert_eq!(w.issues.len(), 2, "{:?}", w.issues);
    }
}
