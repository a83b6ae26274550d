//! Where templates and theme assets come from: `themes/<name>/` beside the site when it exists,
//! else the default theme embedded in the binary; then the site's own `templates/` overrides
//! templates file by file. Theme `static/` files are copied under the site's own `static/`.

use crate::diagnostics::{Diagnostic, Problem};
use crate::markdown::ReservedIds;
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

    /// The ids the templates give elements (`id="main"`, `id="form-{{ f.name }}"`), which
    /// bodies must not use, plus the ones tsunagari adds to pages itself.
    pub fn reserved_ids(&self) -> ReservedIds {
        let mut reserved = ReservedIds::default();
        for f in self.templates.values() {
            for value in id_values(&String::from_utf8_lossy(&f.bytes)) {
                reserve(&mut reserved, &value);
            }
        }
        for id in GENERATED_IDS {
            reserved.add_exact(id);
        }
        reserved
    }

    /// The embedded default theme, untouched (for `tsunagari init`).
    pub fn embedded_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
        DEFAULT_THEME.iter().copied()
    }
}

/// Ids tsunagari puts on pages outside the templates: the preview's problem overlay
/// (`serve/client.js`; a test keeps this list in step).
const GENERATED_IDS: [&str; 1] = ["tsunagari-problems"];

/// The raw values of `id` attributes in a template (`id="a"`, `id='a'`, `id=a`, any case,
/// spaces around `=`), template tags left in. Quotes inside `{{ }}`, `{% %}` and `{# #}` do
/// not end a value. Over-matching (`id=` in text) only reserves an id too many.
fn id_values(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = lower[from..].find("id").map(|p| p + from) {
        from = p + 2;
        let after_name = p > 0 && (b[p - 1].is_ascii_whitespace() || b[p - 1] == b'}');
        let mut i = skip_space(b, p + 2);
        if !after_name || b.get(i) != Some(&b'=') {
            continue;
        }
        i = skip_space(b, i + 1);
        let quote = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                i += 1;
                Some(q)
            }
            Some(_) => None,
            None => break,
        };
        let start = i;
        while i < b.len() {
            match (b[i], quote) {
                (b'{', _) if matches!(b.get(i + 1), Some(b'{' | b'%' | b'#')) => {
                    i = tag_end(text, i);
                    continue;
                }
                (c, Some(q)) if c == q => break,
                (c, None) if c.is_ascii_whitespace() || c == b'>' => break,
                _ => i += 1,
            }
        }
        out.push(text[start..i.min(b.len())].to_string());
        from = i.max(from);
    }
    out
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The byte after the Tera tag (`{{ }}`, `{% %}`, `{# #}`) that starts at `i`; the end of
/// the text when it is not closed.
fn tag_end(text: &str, i: usize) -> usize {
    let close = match text.as_bytes()[i + 1] {
        b'{' => "}}",
        b'%' => "%}",
        _ => "#}",
    };
    text[i + 2..]
        .find(close)
        .map_or(text.len(), |e| i + 2 + e + close.len())
}

/// Reserves one raw `id` value: literal text exactly, `{{ … }}` as a wildcard. Inside
/// `{% if %}…{% else %}…{% endif %}` each branch is an id of its own, so each literal run
/// between block tags is reserved as well as the whole value with the tags as wildcards.
fn reserve(reserved: &mut ReservedIds, value: &str) {
    reserved.add_pattern(pieces(value, true));
    if value.contains("{%") {
        let mut rest = value;
        while let Some(open) = rest.find("{%") {
            reserved.add_pattern(pieces(&rest[..open], false));
            rest = &rest[tag_end(rest, open).min(rest.len())..];
        }
        reserved.add_pattern(pieces(rest, false));
    }
}

/// The literal pieces of a value, split at every `{{ }}` (and at `{% %}` when `blocks`);
/// Tera comments are dropped.
fn pieces(value: &str, blocks: bool) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut i = 0;
    let b = value.as_bytes();
    while i < b.len() {
        if b[i] == b'{' && matches!(b.get(i + 1), Some(b'{' | b'%' | b'#')) {
            let kind = b[i + 1];
            i = tag_end(value, i);
            if kind == b'{' || (kind == b'%' && blocks) {
                out.push(String::new());
            }
            continue;
        }
        let next = value[i..].find('{').map_or(b.len(), |n| i + n.max(1));
        out.last_mut()
            .expect("starts with one")
            .push_str(&value[i..next]);
        i = next;
    }
    out
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
    fn template_ids_are_found_in_every_spelling() {
        let t = r#"<main id="main"><h2 ID = 'toc-heading'>x</h2><p id=bare>
            <input id="form-{{ f.name | default(value="x") }}" aria-labelledby="not-an-id">
            <li data-id="no" id="{{ h.id }}"></li><h3 id="{% if a %}one{% else %}two{% endif %}">
            <h2 id="pref-{{ loop.index }}-x{# note #}">{{ id }}</h2>"#;
        let got = id_values(t);
        assert_eq!(
            got,
            [
                "main",
                "toc-heading",
                "bare",
                "form-{{ f.name | default(value=\"x\") }}",
                "{{ h.id }}",
                "{% if a %}one{% else %}two{% endif %}",
                "pref-{{ loop.index }}-x{# note #}"
            ]
        );
        let mut r = ReservedIds::default();
        for v in &got {
            reserve(&mut r, v);
        }
        for id in [
            "main",
            "toc-heading",
            "bare",
            "form-email",
            "one",
            "two",
            "pref-3-x",
        ] {
            assert!(r.contains(id), "{id}");
        }
        for id in ["not-an-id", "no", "form", "pref-3", "anything"] {
            assert!(!r.contains(id), "{id}");
        }
    }

    #[test]
    fn the_default_theme_reserves_its_ids() {
        let theme = Theme::load(Path::new("/nonexistent-site-root"), "default").unwrap();
        let r = theme.reserved_ids();
        for id in [
            "main",
            "site-header",
            "page-title",
            "apply",
            "apply-heading",
            "form-consent",
            "form-name",
            "pref-1",
            "search-q",
            "tsunagari-problems",
        ] {
            assert!(r.contains(id), "{id}");
        }
        assert!(!r.contains("地域の課題"));
    }

    #[test]
    fn generated_ids_are_the_ones_serve_adds() {
        let serve = include_str!("serve/client.js");
        let mut found = Vec::new();
        for line in serve.lines() {
            if let Some(rest) = line.split(".id = '").nth(1) {
                found.push(rest.split('\'').next().unwrap_or_default().to_string());
            }
        }
        assert_eq!(found, GENERATED_IDS);
    }

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
