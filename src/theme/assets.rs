//! The theme's assets as published: style sheets and scripts under fingerprinted names
//! (`assets/style.3f9a1c2e5b.css`, the start of the SHA-256 of the published bytes), so a host
//! can cache them forever and a page never meets a style sheet or script of another build.
//! Other files (icons, fonts, pictures) keep their names, so a style sheet's relative `url()`s
//! still find them.
//!
//! A style sheet or script names a sibling style sheet or script by a quoted relative specifier
//! (`'./status.js'`, `"./search-index.js"`): those are rewritten to the sibling's published name
//! before the file itself is hashed, so a changed module changes the name of every module that
//! imports it, and an unchanged one keeps its name and bytes. Modules in an import cycle cannot
//! name each other by content: they (and what imports them) keep their own names.
//!
//! Must not know templates or URLs: it works on paths under the output root.

use super::ThemeFile;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// Hex digits of the content hash in a published name: 40 bits, so two versions of one file
/// share a name about once in a trillion changes.
const HASH_HEX: usize = 10;

/// The theme's assets as the build writes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assets {
    /// Published path (under the output root) → bytes and origin.
    pub files: BTreeMap<String, ThemeFile>,
    /// Source path (`assets/style.css`) → published path, for every asset.
    names: BTreeMap<String, String>,
    /// Published path of a script → published paths of the modules it imports, directly or
    /// not, sorted.
    imports: BTreeMap<String, Vec<String>>,
}

impl Assets {
    /// Publishes `sources` (path under the output root → file): style sheets and scripts get
    /// fingerprinted names with their references to each other rewritten.
    pub fn publish(sources: &BTreeMap<String, ThemeFile>) -> Assets {
        let mut out = Assets::default();
        let mut pending: BTreeMap<&str, (&ThemeFile, Vec<&str>)> = BTreeMap::new();
        for (path, file) in sources {
            if fingerprinted(path) {
                pending.insert(path, (file, references(path, &file.bytes, sources)));
            } else {
                out.names.insert(path.clone(), path.clone());
                out.files.insert(path.clone(), file.clone());
            }
        }
        // Leaves first: a file is named once every file it names has its name.
        loop {
            let ready: Vec<&str> = pending
                .iter()
                .filter(|(_, (_, refs))| refs.iter().all(|r| out.names.contains_key(*r)))
                .map(|(p, _)| *p)
                .collect();
            if ready.is_empty() {
                break;
            }
            for path in ready {
                let (file, refs) = pending.remove(path).expect("ready files are pending");
                let bytes = out.rewrite(path, &file.bytes, &refs);
                let name = hashed_name(path, &bytes);
                out.add(path, name, bytes, file, &refs);
            }
        }
        // An import cycle (a file importing itself too): its files, and what imports them, keep
        // their names; their references to named files are still rewritten.
        for path in pending.keys() {
            out.names.insert(path.to_string(), path.to_string());
        }
        for (path, (file, refs)) in pending {
            let bytes = out.rewrite(path, &file.bytes, &refs);
            out.add(path, path.to_string(), bytes, file, &refs);
        }
        out
    }

    /// Records `path` published as `name`, and the modules it imports.
    fn add(&mut self, path: &str, name: String, bytes: Vec<u8>, file: &ThemeFile, refs: &[&str]) {
        let mut imports: BTreeSet<String> = BTreeSet::new();
        for r in refs.iter().filter(|r| **r != path) {
            if let Some(n) = self.names.get(*r) {
                imports.insert(n.clone());
                imports.extend(self.imports.get(n).into_iter().flatten().cloned());
            }
        }
        imports.remove(&name);
        let origin = file.origin.clone();
        self.files.insert(name.clone(), ThemeFile { bytes, origin });
        self.imports
            .insert(name.clone(), imports.into_iter().collect());
        self.names.insert(path.to_string(), name);
    }

    /// `bytes` of `path` with every reference to a named sibling in `refs` renamed.
    fn rewrite(&self, path: &str, bytes: &[u8], refs: &[&str]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for r in refs.iter().filter(|r| **r != path) {
            let Some(name) = self.names.get(*r) else {
                continue;
            };
            for q in [b'\'', b'"'] {
                out = replace(
                    &out,
                    &specifier(q, file_name(r)),
                    &specifier(q, file_name(name)),
                );
            }
        }
        out
    }

    /// The published path of the asset at `path` (`assets/style.css`), if the theme has it.
    pub fn published(&self, path: &str) -> Option<&str> {
        self.names.get(path).map(String::as_str)
    }

    /// Published paths of the modules the asset at `path` imports, directly or not.
    pub fn imports(&self, path: &str) -> &[String] {
        self.published(path)
            .and_then(|p| self.imports.get(p))
            .map_or(&[], Vec::as_slice)
    }

    /// Published paths of the files whose name carries their hash (sorted), which may be
    /// cached for good.
    pub fn fingerprinted(&self) -> Vec<String> {
        self.names
            .iter()
            .filter(|(from, to)| from != to)
            .map(|(_, to)| to.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// Source path → published path, for every asset.
    pub fn names(&self) -> &BTreeMap<String, String> {
        &self.names
    }
}

/// Whether the file at `path` is published under a fingerprinted name.
fn fingerprinted(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e);
    matches!(ext, Some("css" | "js" | "mjs")) && !file_name(path).starts_with('.')
}

/// The last component of `path`.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The folder of `path`, with its final `/` (empty at the root).
fn folder(path: &str) -> &str {
    &path[..path.len() - file_name(path).len()]
}

/// `q./name q`, the way a module names a sibling.
fn specifier(q: u8, name: &str) -> Vec<u8> {
    let mut s = vec![q, b'.', b'/'];
    s.extend_from_slice(name.as_bytes());
    s.push(q);
    s
}

/// The fingerprinted siblings `bytes` (of `path`) names, sorted.
fn references<'a>(
    path: &str,
    bytes: &[u8],
    sources: &'a BTreeMap<String, ThemeFile>,
) -> Vec<&'a str> {
    let dir = folder(path);
    sources
        .keys()
        .filter(|other| fingerprinted(other) && folder(other) == dir)
        .filter(|other| {
            let name = file_name(other);
            [b'\'', b'"']
                .iter()
                .any(|q| contains(bytes, &specifier(*q, name)))
        })
        .map(String::as_str)
        .collect()
}

/// `path` with the start of the SHA-256 of `bytes` before its extension.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let (stem, ext) = path
        .rsplit_once('.')
        .expect("fingerprinted files have an extension");
    format!("{stem}.{}.{ext}", &hex[..HASH_HEX])
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// `hay` with every `from` replaced by `to`.
fn replace(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> BTreeMap<String, ThemeFile> {
        files
            .iter()
            .map(|(p, b)| {
                let file = ThemeFile {
                    bytes: b.as_bytes().to_vec(),
                    origin: (*p).into(),
                };
                (p.to_string(), file)
            })
            .collect()
    }

    fn text(a: &Assets, path: &str) -> String {
        let name = a.published(path).expect("published");
        String::from_utf8(a.files[name].bytes.clone()).unwrap()
    }

    #[test]
    fn style_sheets_and_scripts_get_content_names_and_other_files_keep_theirs() {
        let a = Assets::publish(&sources(&[
            ("assets/style.css", "body{}"),
            ("assets/favicon.svg", "<svg/>"),
            ("assets/x.js", "1"),
        ]));
        let css = a.published("assets/style.css").unwrap();
        assert!(
            css.starts_with("assets/style.") && css.ends_with(".css"),
            "{css}"
        );
        assert_eq!(css.len(), "assets/style..css".len() + HASH_HEX);
        assert_eq!(
            a.published("assets/favicon.svg"),
            Some("assets/favicon.svg")
        );
        assert_eq!(a.files.len(), 3);
        assert!(a.files.contains_key(css));
        assert_eq!(a.published("assets/none.css"), None);
    }

    #[test]
    fn a_name_changes_with_the_bytes_and_only_then() {
        let one = Assets::publish(&sources(&[("assets/s.css", "a{}"), ("assets/k.js", "1")]));
        let two = Assets::publish(&sources(&[("assets/s.css", "b{}"), ("assets/k.js", "1")]));
        let again = Assets::publish(&sources(&[("assets/s.css", "a{}"), ("assets/k.js", "1")]));
        assert_ne!(one.published("assets/s.css"), two.published("assets/s.css"));
        assert_eq!(one.published("assets/k.js"), two.published("assets/k.js"));
        assert_eq!(one, again);
    }

    #[test]
    fn imports_are_renamed_and_an_import_change_renames_the_importer() {
        let files = |leaf: &str| {
            sources(&[
                ("assets/leaf.js", leaf),
                ("assets/mid.js", "import { a } from './leaf.js';"),
                (
                    "assets/top.js",
                    "import './mid.js';\nimport(\"./leaf.js\");",
                ),
                ("assets/other.js", "import './leaf.jsx'; './elsewhere.js'"),
            ])
        };
        let a = Assets::publish(&files("export const a = 1;"));
        let leaf = file_name(a.published("assets/leaf.js").unwrap()).to_string();
        let mid = file_name(a.published("assets/mid.js").unwrap()).to_string();
        assert_eq!(
            text(&a, "assets/mid.js"),
            format!("import {{ a }} from './{leaf}';")
        );
        assert_eq!(
            text(&a, "assets/top.js"),
            format!("import './{mid}';\nimport(\"./{leaf}\");")
        );
        assert_eq!(
            text(&a, "assets/other.js"),
            "import './leaf.jsx'; './elsewhere.js'"
        );
        let mut want = vec![format!("assets/{leaf}"), format!("assets/{mid}")];
        want.sort();
        assert_eq!(a.imports("assets/top.js"), want.as_slice());
        assert!(a.imports("assets/other.js").is_empty());
        let b = Assets::publish(&files("export const a = 2;"));
        for p in ["assets/leaf.js", "assets/mid.js", "assets/top.js"] {
            assert_ne!(a.published(p), b.published(p), "{p}");
        }
        assert_eq!(
            a.published("assets/other.js"),
            b.published("assets/other.js")
        );
    }

    #[test]
    fn only_siblings_are_references() {
        let a = Assets::publish(&sources(&[
            ("assets/a.js", "import './b.js';"),
            ("lib/b.js", "1"),
        ]));
        assert_eq!(text(&a, "assets/a.js"), "import './b.js';");
        assert!(a.imports("assets/a.js").is_empty());
    }

    #[test]
    fn an_import_cycle_keeps_its_names() {
        let a = Assets::publish(&sources(&[
            ("assets/a.js", "import './b.js';"),
            ("assets/b.js", "import './a.js';"),
            ("assets/c.js", "import './a.js'; import './d.js';"),
            ("assets/d.js", "1"),
            ("assets/self.js", "import './self.js';"),
        ]));
        assert_eq!(a.published("assets/a.js"), Some("assets/a.js"));
        assert_eq!(a.published("assets/b.js"), Some("assets/b.js"));
        assert_eq!(a.published("assets/c.js"), Some("assets/c.js"));
        let d = file_name(a.published("assets/d.js").unwrap()).to_string();
        assert_ne!(d, "d.js");
        assert_eq!(
            text(&a, "assets/c.js"),
            format!("import './a.js'; import './{d}';")
        );
        assert_eq!(a.imports("assets/c.js").len(), 3, "a, b and d");
        // A file naming itself could not name its own hash.
        assert_eq!(a.published("assets/self.js"), Some("assets/self.js"));
        assert_eq!(text(&a, "assets/self.js"), "import './self.js';");
    }
}
