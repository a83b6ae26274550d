//! Where templates and theme assets come from: `themes/<name>/` beside the site when it exists,
//! else the default theme embedded in the binary; then the site's own `templates/` overrides
//! templates file by file. Theme `static/` files are copied under the site's own `static/`.
//! Folders on disk are walked by `crate::walk`'s rules, and what cannot be used is reported.

use crate::diagnostics::{display_path, Diagnostic, EntryIssue, Problem};
use crate::walk::Fence;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

pub use embedded::DEFAULT_THEME;

/// One file of the theme: its bytes and where it came from (for error messages).
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub bytes: Vec<u8>,
    pub origin: PathBuf,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`base.html`, `partials/card.html`) → file.
    pub templates: BTreeMap<String, ThemeFile>,
    /// Path under the output root (`assets/style.css`) → file.
    pub assets: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// Loads theme `name` for the site at `root`, with every problem found on the way: a
    /// template that cannot be used is an error, a theme asset a warning (the site builds
    /// without it). Every entry is read by the rules of `crate::walk` (links only inside the
    /// site, nothing inside `fence`). The theme is complete only when no error was reported.
    pub fn load(root: &Path, name: &str, fence: &Fence) -> (Theme, Vec<Diagnostic>) {
        let mut theme = Theme::default();
        let mut diags = Vec::new();
        let dir = root.join("themes").join(name);
        if dir.symlink_metadata().is_ok() {
            let shown = Path::new("themes").join(name);
            // Only templates/ and static/ of a theme are used; the rest is never read.
            let used = |rel: &Path| {
                rel.components()
                    .next()
                    .is_some_and(|c| c.as_os_str() == "templates" || c.as_os_str() == "static")
            };
            let asset = |rel: &Path| rel.starts_with("static");
            let tree = Tree {
                root,
                dir: &dir,
                shown: &shown,
                fence,
            };
            for (rel, file) in tree.read(&used, &asset, &mut diags) {
                theme.insert(&rel, file);
            }
        } else if name == "default" {
            for (rel, bytes) in DEFAULT_THEME {
                let origin = PathBuf::from(format!("(default theme)/{rel}"));
                let bytes = bytes.to_vec();
                theme.insert(rel, ThemeFile { bytes, origin });
            }
        } else {
            diags.push(Diagnostic::error(
                "site.yaml",
                Problem::InvalidSiteValue {
                    field: "theme".into(),
                    value: name.into(),
                    why: format!("themes/{name}/ がありません。default を使うか、テーマのフォルダを置いてください"),
                },
            ));
        }
        let overrides = root.join("templates");
        if overrides.symlink_metadata().is_ok() {
            let tree = Tree {
                root,
                dir: &overrides,
                shown: Path::new("templates"),
                fence,
            };
            for (rel, file) in tree.read(&|_| true, &|_| false, &mut diags) {
                theme.templates.insert(rel, file);
            }
        }
        (theme, diags)
    }

    fn insert(&mut self, rel: &str, file: ThemeFile) {
        if let Some(t) = rel.strip_prefix("templates/") {
            self.templates.insert(t.to_string(), file);
        } else if let Some(s) = rel.strip_prefix("static/") {
            self.assets.insert(s.to_string(), file);
        }
    }

    /// The embedded default theme, untouched (for `tsunagari init`).
    pub fn embedded_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
        DEFAULT_THEME.iter().copied()
    }
}

/// One folder of theme files on disk: `dir` inside the site `root`, shown as `shown`.
struct Tree<'a> {
    root: &'a Path,
    dir: &'a Path,
    shown: &'a Path,
    fence: &'a Fence,
}

impl Tree<'_> {
    /// Every usable file below the folder as (`/`-separated relative path, file), sorted, hidden
    /// ones and those `used` rejects passed over. What cannot be used is reported: as a warning
    /// when it is an `asset`, else as an error.
    fn read(
        &self,
        used: &dyn Fn(&Path) -> bool,
        asset: &dyn Fn(&Path) -> bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(String, ThemeFile)> {
        let skip = |rel: &Path| {
            !used(rel)
                || rel
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        };
        let walked = crate::walk::walk(
            self.root,
            self.dir,
            &crate::walk::Rules {
                skip: &skip,
                probe: &|_| true,
                fence: self.fence,
            },
        );
        let mut report = |rel: &Path, issue: EntryIssue| {
            let path = display_path(&self.shown.join(rel));
            let problem = Problem::Entry { issue };
            diags.push(if asset(rel) && !rel.as_os_str().is_empty() {
                Diagnostic::warning(path, problem)
            } else {
                Diagnostic::error(path, problem)
            });
        };
        for (rel, issue) in walked.issues {
            report(&rel, issue);
        }
        let mut files = Vec::new();
        for rel in walked.files {
            let origin = display_path(&self.shown.join(&rel));
            match std::fs::read(self.dir.join(&rel)) {
                Ok(bytes) => {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    files.push((rel, ThemeFile { bytes, origin }));
                }
                Err(e) => report(
                    &rel,
                    EntryIssue::Unreadable {
                        detail: e.to_string(),
                        folder: false,
                    },
                ),
            }
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_matches_the_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let tree = Tree {
            root,
            dir: &root.join("themes/default"),
            shown: Path::new("themes/default"),
            fence: &Fence::default(),
        };
        let mut diags = Vec::new();
        let on_disk: Vec<String> = tree
            .read(&|_| true, &|_| false, &mut diags)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        assert!(diags.is_empty(), "{diags:?}");
        let embedded: Vec<String> = DEFAULT_THEME.iter().map(|(r, _)| r.to_string()).collect();
        assert_eq!(on_disk, embedded);
        for name in crate::render::REQUIRED_TEMPLATES {
            assert!(
                embedded.contains(&format!("templates/{name}")),
                "missing {name}"
            );
        }
    }
}
