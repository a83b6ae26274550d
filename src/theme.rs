//! Where templates and theme assets come from: `themes/<name>/` beside the site when it exists,
//! else the default theme embedded in the binary; then the site's own `templates/` overrides
//! templates file by file. Theme `static/` files are copied under the site's own `static/`.
//! The texts tsunagari writes (`crate::strings`) come from `templates/strings.yaml` the same
//! way, key by key: the default theme's, then the theme's own, then the site's.
//! Folders on disk are walked by `crate::walk`'s rules, and what cannot be used is reported.

use crate::diagnostics::Expected;
use crate::diagnostics::{display_path, Diagnostic, EntryIssue, Problem};
use crate::markdown::ReservedIds;
use crate::strings::{Strings, StringsProblem, KEYS, WEEKDAYS};
use crate::walk::Fence;
use crate::yaml::Node;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod assets;
pub use assets::Assets;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

pub use embedded::DEFAULT_THEME;

/// One file of the theme: its bytes and where it came from (for error messages).
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeFile {
    pub bytes: Vec<u8>,
    pub origin: PathBuf,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`base.html`, `partials/card.html`) → file.
    pub templates: BTreeMap<String, ThemeFile>,
    /// Path under the output root (`assets/style.css`) → file, as the theme has it.
    pub assets: BTreeMap<String, ThemeFile>,
    /// The assets as the build writes them: style sheets and scripts under fingerprinted names.
    pub published: Assets,
    /// The texts of pages, feeds and forms (`templates/strings.yaml`, not a template).
    pub strings: Strings,
}

impl Theme {
    /// Loads theme `name` for the site at `root`, with every problem found on the way: a
    /// template that cannot be used is an error, a theme asset a warning (the site builds
    /// without it). Every entry is read by the rules of `crate::walk` (links only inside the
    /// site, nothing inside `fence`). The theme is complete only when no error was reported.
    pub fn load(root: &Path, name: &str, fence: &Fence) -> (Theme, Vec<Diagnostic>) {
        let mut theme = Theme {
            strings: default_strings(),
            ..Theme::default()
        };
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
                if rel == STRINGS {
                    theme.read_strings(&file, &mut diags);
                } else {
                    theme.insert(&rel, file);
                }
            }
        } else if name == "default" {
            // The embedded strings file is already read.
            for (rel, bytes) in DEFAULT_THEME.iter().filter(|(rel, _)| *rel != STRINGS) {
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
                    why: crate::messages::Text::new("why-theme-missing").arg("name", name),
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
                if rel == "strings.yaml" {
                    theme.read_strings(&file, &mut diags);
                } else {
                    theme.templates.insert(rel, file);
                }
            }
        }
        // The texts of the theme's scripts, as one module they import (`Strings::script_module`).
        theme.assets.insert(
            SCRIPT_STRINGS.to_string(),
            ThemeFile {
                bytes: theme.strings.script_module(),
                origin: PathBuf::from(STRINGS),
            },
        );
        theme.published = Assets::publish(&theme.assets);
        (theme, diags)
    }

    /// Takes the keys a strings file gives over the ones read before.
    fn read_strings(&mut self, file: &ThemeFile, diags: &mut Vec<Diagnostic>) {
        match std::str::from_utf8(&file.bytes) {
            Ok(text) => diags.extend(read_strings(&mut self.strings, text, &file.origin)),
            Err(_) => diags.push(Diagnostic::error(&file.origin, Problem::NotUtf8)),
        }
    }

    fn insert(&mut self, rel: &str, file: ThemeFile) {
        if let Some(t) = rel.strip_prefix("templates/") {
            self.templates.insert(t.to_string(), file);
        } else if let Some(s) = rel.strip_prefix("static/") {
            self.assets.insert(s.to_string(), file);
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

/// The strings file inside a theme folder.
const STRINGS: &str = "templates/strings.yaml";

/// The generated module of the texts the theme's scripts write (it replaces a theme's own file
/// of that name).
const SCRIPT_STRINGS: &str = "assets/strings.js";

/// The default theme's texts (every key), embedded in the binary.
pub fn default_strings() -> Strings {
    let text = DEFAULT_THEME
        .iter()
        .find(|(rel, _)| *rel == STRINGS)
        .and_then(|(_, b)| std::str::from_utf8(b).ok())
        .unwrap_or_default();
    let mut s = Strings::default();
    let diags = read_strings(
        &mut s,
        text,
        Path::new("(default theme)/templates/strings.yaml"),
    );
    debug_assert!(diags.is_empty(), "{diags:?}");
    s
}

/// Replaces the keys `text` (a strings file shown as `path`) gives; every problem is reported
/// at its line, and the keys with a problem keep their value.
fn read_strings(strings: &mut Strings, text: &str, path: &Path) -> Vec<Diagnostic> {
    let text = crate::unicode::as_read(text.to_string());
    let doc = match crate::yaml::parse_mapping(text.trim_start_matches('\u{feff}'), 1) {
        Ok(d) => d,
        Err(e) => return vec![Diagnostic::error(path, e.problem).at(&text, e.line, e.column)],
    };
    let mut f = crate::fields::Fields::new(&doc, &text, path, 1);
    for (key, _) in KEYS {
        let value = match f.node(key) {
            None | Some(Node::Null) => continue,
            Some(Node::Seq(_) | Node::Map(_)) => None,
            Some(n) => n.as_text(),
        };
        let Some(value) = value else {
            let expected = Expected::Text;
            f.problem_at(
                key,
                Problem::WrongType {
                    field: (*key).into(),
                    expected,
                },
            );
            continue;
        };
        if let Some(Err(p)) = strings.set(key, value) {
            f.problem_at(key, Problem::Strings(p));
        }
    }
    let days = match f.node(WEEKDAYS) {
        None | Some(Node::Null) => None,
        Some(Node::Seq(days)) => Some(days.iter().map(Node::as_text).collect()),
        Some(_) => Some(None),
    };
    if let Some(days) = days {
        let set = days.map_or(Err(StringsProblem::Weekdays), |d| strings.set_weekdays(d));
        if let Err(p) = set {
            f.problem_at(WEEKDAYS, Problem::Strings(p));
        }
    }
    let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).chain([WEEKDAYS]).collect();
    f.finish(&known)
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
        let root = Path::new("/nonexistent-site-root");
        let (theme, problems) = Theme::load(root, "default", &Fence::new(root, None));
        assert!(problems.is_empty());
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
    fn the_default_theme_gives_every_string() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("themes/default").join(STRINGS)).unwrap();
        let mut s = Strings::default();
        assert!(read_strings(&mut s, &text, Path::new(STRINGS)).is_empty());
        assert_eq!(
            s.missing(),
            Vec::<&str>::new(),
            "keys without a default value"
        );
        assert_eq!(s, default_strings());
    }

    #[test]
    fn strings_with_unknown_keys_or_placeholders_are_errors_at_their_line() {
        let mut s = default_strings();
        let text = "home: トップ\npage_titel: x\nthanks: \"{site}\"\nweekdays: [a, b]\n";
        let diags = read_strings(&mut s, text, Path::new("templates/strings.yaml"));
        let got: Vec<(usize, &Problem)> = diags.iter().map(|d| (d.line, &d.problem)).collect();
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            matches!(got[0], (3, Problem::Strings(StringsProblem::UnknownPlaceholder { name, .. })) if name == "site")
        );
        assert!(matches!(
            got[1],
            (4, Problem::Strings(StringsProblem::Weekdays))
        ));
        assert!(
            matches!(got[2], (2, Problem::UnknownField { suggestion: Some(x), .. }) if x == "page_title")
        );
        // Good keys are taken, bad ones keep their value.
        assert_eq!(s.home, "トップ");
        assert_eq!(s.thanks, default_strings().thanks);
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
