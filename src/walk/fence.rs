//! Places inside the site that a source walk must never read, even through a symbolic link that
//! stays inside the site: what builds write (the output folder, the staging folder, the previous
//! output during a swap, the lock file) and Git's repository folder.
//!
//! Reading the output folder as a source would copy the previous build into the next one, which
//! then grows with every build; `.git` holds the history and configuration, never for visitors.
//! The output folder is recognised both by the path this build writes to and by the marker every
//! build leaves in it, so a folder written by an earlier build with another `--output` (or the
//! `public/` beside a `serve` session, which writes nothing) is recognised too.

use crate::diagnostics::Fenced;
use crate::output::{BESIDE, MARKER};
use std::path::{Path, PathBuf};

/// The fenced places of one build.
#[derive(Debug, Clone, Default)]
pub struct Fence {
    /// Physical paths of this build's output folder and what it keeps beside it.
    output: Vec<PathBuf>,
}

impl Fence {
    /// The fence of a build of the site at `root` writing to `output` (default `root/public`).
    pub fn new(root: &Path, output: Option<&Path>) -> Fence {
        let out = output
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.join("public"));
        // An output path that cannot be resolved (a link loop) is refused before any build
        // writes; the marker and name rules below still hold.
        let output = match crate::output::resolve(&out) {
            Ok(o) => BESIDE
                .iter()
                .map(|w| crate::output::beside(&o, w))
                .chain([o.clone()])
                .collect(),
            Err(_) => Vec::new(),
        };
        Fence { output }
    }

    /// Why the physical entry `p` may not be read, judged on `p` alone (its parents are known to
    /// be fine).
    pub(super) fn entry(&self, p: &Path, is_dir: bool) -> Option<Fenced> {
        if self.output.iter().any(|o| p == o) || (is_dir && p.join(MARKER).is_file()) {
            return Some(Fenced::Output);
        }
        let name = p.file_name()?.to_str().unwrap_or("");
        if name.starts_with('.')
            && BESIDE
                .iter()
                .any(|w| name.ends_with(&format!(".tsunagari-{w}")))
        {
            return Some(Fenced::Output);
        }
        (name == ".git").then_some(Fenced::Git)
    }

    /// Why `p` (a physical path inside `root`, where a link leads) may not be read: judged on
    /// `p` and each folder between it and the root, since a link can lead deep into a fenced
    /// place.
    pub(crate) fn target(&self, root: &Path, p: &Path) -> Option<Fenced> {
        let mut is_dir = p.is_dir();
        for a in p
            .ancestors()
            .take_while(|a| *a != root && a.starts_with(root))
        {
            if let Some(f) = self.entry(a, is_dir) {
                return Some(f);
            }
            is_dir = true;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_staging_lock_marker_and_git_are_fenced() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        for d in [
            "public/a",
            "dist/.tsunagari",
            "static",
            ".git/objects",
            "docs",
        ] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("dist").join(MARKER), "").unwrap();
        let f = Fence::new(&root, None);
        let t = |p: &str| f.target(&root, &root.join(p));
        assert_eq!(t("public"), Some(Fenced::Output));
        assert_eq!(t("public/a"), Some(Fenced::Output));
        assert_eq!(t("public/a/x.html"), Some(Fenced::Output));
        assert_eq!(t(".public.tsunagari-staging/x"), Some(Fenced::Output));
        assert_eq!(t(".public.tsunagari-lock"), Some(Fenced::Output));
        assert_eq!(t(".dist.tsunagari-old/y"), Some(Fenced::Output));
        assert_eq!(t("dist/index.html"), Some(Fenced::Output), "by its marker");
        assert_eq!(t(".git/objects"), Some(Fenced::Git));
        assert_eq!(t("static"), None);
        assert_eq!(t("docs"), None);
        let other = Fence::new(&root, Some(&root.join("docs")));
        assert_eq!(
            other.target(&root, &root.join("docs")),
            Some(Fenced::Output)
        );
        assert_eq!(other.target(&root, &root.join("public/a")), None);
    }
}
