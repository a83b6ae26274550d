//! What the watcher watches: the site folder itself (not its subfolders: `site.yaml`, and the
//! source folders coming and going), the source folders `content/`, `static/`, `templates/`
//! and `themes/`, and where the links the build follows lead. Never the rest of the site folder
//! (the output folder, `.git`, `node_modules`), and never anything outside the site.
//!
//! The watcher itself follows no link (notify's `follow_symlinks(false)`): a link to `/` or
//! `/usr` under `static/` would otherwise put the whole system under watch (each folder an
//! inotify watch; `/proc` even fails to watch, and the server would not start), and a change
//! there would rebuild the site. The build follows only links whose target stays inside the
//! site (`walk`); this module finds those links and watches their targets as trees of their
//! own, reporting a change there under the link's path too, which is the path the build reads
//! it by.
//!
//! Must not: read files (only folder listings and link targets), or watch the output folder.

use std::path::{Path, PathBuf};

/// The folders of a site that hold sources, below its root.
pub(crate) const SOURCES: [&str; 4] = ["content", "static", "templates", "themes"];

/// A site's watched places, found by [`Scope::discover`].
#[derive(Debug, Default)]
pub(crate) struct Scope {
    /// The canonical site root.
    root: PathBuf,
    /// The build's fence (the output folder, what builds keep beside it, `.git`): never watched,
    /// by the same rule the build's walk uses.
    fence: crate::walk::Fence,
    /// Physical folders (or linked files) watched recursively, links inside not followed.
    pub trees: Vec<PathBuf>,
    /// The links the build follows: (canonical target, the link's physical path).
    links: Vec<(PathBuf, PathBuf)>,
}

impl Scope {
    /// Finds the source folders of the site at `root` (canonical) and, through every link in
    /// them that stays inside the site, the places they lead to.
    pub fn discover(root: &Path, output: &Path) -> Scope {
        let mut scope = Scope {
            root: root.to_path_buf(),
            fence: crate::walk::Fence::new(root, Some(output)),
            ..Scope::default()
        };
        let mut queue = Vec::new();
        for name in SOURCES {
            let p = root.join(name);
            match p.symlink_metadata() {
                Ok(m) if m.is_dir() => queue.push(p),
                Ok(m) if m.is_symlink() => scope.follow(&p, &mut queue),
                _ => {}
            }
        }
        // Each target is walked once: a place already inside a watched tree is not added again,
        // and a link loop ends there.
        while let Some(place) = queue.pop() {
            if scope.trees.iter().any(|t| place.starts_with(t)) {
                continue;
            }
            scope.trees.push(place.clone());
            let entries = walkdir::WalkDir::new(&place).follow_links(false);
            for entry in entries.into_iter().flatten() {
                if entry.path_is_symlink() {
                    scope.follow(entry.path(), &mut queue);
                }
            }
        }
        scope.trees.sort();
        scope
    }

    /// Records `link` when the build follows it (its target is inside the site, not fenced by
    /// `walk::Fence`, and not a folder holding the link), and queues its target.
    fn follow(&mut self, link: &Path, queue: &mut Vec<PathBuf>) {
        let Ok(target) = link.canonicalize() else {
            return;
        };
        let fenced = target == self.root
            || !target.starts_with(&self.root)
            || self.fence.target(&self.root, &target).is_some()
            || link.parent().is_some_and(|p| p.starts_with(&target));
        if fenced {
            return;
        }
        self.links.push((target.clone(), link.to_path_buf()));
        queue.push(target);
    }

    /// The paths (relative to the root) under which a change of the physical path `p` is seen
    /// by the build: `p` itself and its names through every followed link (links to links
    /// included).
    pub fn names(&self, p: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut todo = vec![p.to_path_buf()];
        // A bound against a pathological chain of links; the build reports their loops.
        let mut budget = 256;
        while let Some(q) = todo.pop() {
            if budget == 0 {
                break;
            }
            budget -= 1;
            if let Ok(rel) = q.strip_prefix(&self.root) {
                out.push(rel.to_path_buf());
            }
            for (target, link) in &self.links {
                if let Ok(rest) = q.strip_prefix(target) {
                    todo.push(if rest.as_os_str().is_empty() {
                        link.clone()
                    } else {
                        link.join(rest)
                    });
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Whether a change at `rel` (relative to the root) may change what is watched: a source
    /// folder itself, a link, a folder (which may hold links), or a link that was removed.
    pub fn moved_by(&self, rel: &Path) -> bool {
        let p = self.root.join(rel);
        rel.components().count() == 1
            || p.symlink_metadata()
                .is_ok_and(|m| m.is_symlink() || m.is_dir())
            || self.links.iter().any(|(_, link)| *link == p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_out_of_the_site_are_not_watched_and_links_inside_are_named_by_their_path() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        let (root, outside) = (base.join("site"), base.join("outside"));
        for d in ["content/a", "static", "shared/img", "public", "outside"] {
            let d = if d == "outside" {
                outside.clone()
            } else {
                root.join(d)
            };
            std::fs::create_dir_all(d).unwrap();
        }
        symlink("/", root.join("static/.well-known")).unwrap();
        symlink(&outside, root.join("static/d")).unwrap();
        symlink(root.join("shared"), root.join("static/shared")).unwrap();
        symlink(root.join("shared"), root.join("content/a/shared")).unwrap();
        symlink(root.join("public"), root.join("static/out")).unwrap();
        symlink(root.join("content"), root.join("content/a/up")).unwrap();
        let scope = Scope::discover(&root, &root.join("public"));
        assert_eq!(
            scope.trees,
            vec![
                root.join("content"),
                root.join("shared"),
                root.join("static")
            ]
        );
        assert_eq!(
            scope.names(&root.join("shared/img/x.png")),
            vec![
                PathBuf::from("content/a/shared/img/x.png"),
                PathBuf::from("shared/img/x.png"),
                PathBuf::from("static/shared/img/x.png"),
            ]
        );
        assert_eq!(
            scope.names(&root.join("content/a/b.md")),
            vec![PathBuf::from("content/a/b.md")]
        );
        assert!(scope.moved_by(Path::new("templates")));
        assert!(scope.moved_by(Path::new("static/shared")));
        assert!(!scope.moved_by(Path::new("content/a/b.md")));
    }
}
