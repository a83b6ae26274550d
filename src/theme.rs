//! Where templates and theme assets come from: `themes/<name>/` beside the site when it exists,
//! else the default theme embedded in the binary; then the site's own `templates/` overrides
//! templates file by file. Theme `static/` files are copied under the site's own `static/`.

use crate::diagnostics::{Diagnostic, Problem};
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
    /// Loads theme `name` for the site at `root`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut theme = Theme::default();
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            for (rel, abs) in walk(&dir) {
                let bytes = std::fs::read(&abs).map_err(|e| io_diag(&abs, e))?;
                theme.insert(
                    &rel,
                    bytes,
                    crate::diagnostics::display_path(&Path::new("themes").join(name).join(&rel)),
                );
            }
        } else if name == "default" {
            for (rel, bytes) in DEFAULT_THEME {
                theme.insert(
                    rel,
                    bytes.to_vec(),
                    PathBuf::from(format!("(default theme)/{rel}")),
                );
            }
        } else {
            return Err(Diagnostic::error(
                "site.yaml",
                Problem::InvalidSiteValue {
                    field: "theme".into(),
                    value: name.into(),
                    why: format!("themes/{name}/ がありません。default を使うか、テーマのフォルダを置いてください"),
                },
            ));
        }
        let overrides = root.join("templates");
        if overrides.is_dir() {
            for (rel, abs) in walk(&overrides) {
                let bytes = std::fs::read(&abs).map_err(|e| io_diag(&abs, e))?;
                theme.templates.insert(
                    rel.clone(),
                    ThemeFile {
                        bytes,
                        origin: PathBuf::from("templates").join(rel),
                    },
                );
            }
        }
        Ok(theme)
    }

    fn insert(&mut self, rel: &str, bytes: Vec<u8>, origin: PathBuf) {
        if let Some(t) = rel.strip_prefix("templates/") {
            self.templates
                .insert(t.to_string(), ThemeFile { bytes, origin });
        } else if let Some(s) = rel.strip_prefix("static/") {
            self.assets
                .insert(s.to_string(), ThemeFile { bytes, origin });
        }
    }

    /// The embedded default theme, untouched (for `tsunagari init`).
    pub fn embedded_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
        DEFAULT_THEME.iter().copied()
    }
}

fn io_diag(p: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        p,
        Problem::Unreadable {
            detail: e.to_string(),
        },
    )
}

/// Files below `dir` as (`/`-separated relative path, absolute path), sorted, hidden ones skipped.
fn walk(dir: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_matches_the_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = walk(&dir).into_iter().map(|(r, _)| r).collect();
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
