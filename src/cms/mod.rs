//! The web editor for staff: `static/admin/index.html` (Sveltia CMS, pinned, with Subresource
//! Integrity) and `static/admin/config.yml`, written from the content schema
//! (`content::schema`, the table `check` reads front matter by), `site.yaml` and the themes the
//! content already uses. Labels and hints for staff are data (`labels.yaml`).
//!
//! Owns what the editor is told; it never changes how content is read. `tsunagari cms` rewrites
//! `config.yml` and keeps the `backend:` block staff wrote (their repository and login).

use crate::config::Config;
use crate::content::schema::{self, Field, Type};
use crate::content::{DeclaredStatus, Extra, Kind, Role, WorkStyle};
use crate::diagnostics::Diagnostic;
use crate::yaml::{Doc, Node};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// The Sveltia CMS release the admin page loads; `tests/browser/package.json` pins the same.
pub const SVELTIA_VERSION: &str = "0.221.1";

/// Where the admin page loads the CMS from (its host is in [`ADMIN_CSP`]).
pub fn script_url() -> String {
    format!("https://unpkg.com/@sveltia/cms@{SVELTIA_VERSION}/dist/sveltia-cms.js")
}

/// The admin page's own policy: the CMS script from its CDN, the styles Svelte writes inline,
/// GitHub's API and avatars, and `blob:` previews. One text for the page's `<meta>` and for the
/// rules of the editor's files in `_headers` (`pipeline::emit_headers`, `csp::headers_file`);
/// every other path keeps the site's strict policy.
pub const ADMIN_CSP: &str = "default-src 'self'; script-src 'self' https://unpkg.com; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; font-src 'self' https://fonts.gstatic.com; img-src 'self' blob: data: https:; media-src 'self' blob:; frame-src 'self' blob:; connect-src 'self' blob: data: https://unpkg.com https://api.github.com https://www.githubstatus.com; object-src 'none'; base-uri 'self'";

/// `static/admin/index.html`.
pub fn index_html() -> String {
    include_str!("index.html")
        .replace("{csp}", ADMIN_CSP)
        .replace("{script}", &script_url())
}

/// The `backend:` block of a new `config.yml`.
const DEFAULT_BACKEND: &str = include_str!("backend.yml");

/// Texts of `labels.yaml`, read once per call (small).
struct Labels(Doc);

impl Labels {
    fn load() -> Labels {
        let doc = crate::yaml::parse_mapping(include_str!("labels.yaml"), 1)
            .expect("src/cms/labels.yaml is valid YAML (tested)");
        Labels(doc)
    }

    fn text(&self, path: &[&str]) -> String {
        let mut node: Option<&Node> = None;
        let mut entries = &self.0.entries;
        for key in path {
            node = entries.iter().find(|(k, _)| k == key).map(|(_, n)| n);
            if let Some(Node::Map(m)) = node {
                entries = m;
            }
        }
        node.and_then(Node::as_text).unwrap_or_default()
    }

    #[cfg(test)]
    fn keys(&self, section: &str) -> Vec<String> {
        match self.0.entries.iter().find(|(k, _)| k == section) {
            Some((_, Node::Map(m))) => m.iter().map(|(k, _)| k.clone()).collect(),
            _ => Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct CmsConfig {
    locale: &'static str,
    site_url: String,
    media_folder: &'static str,
    public_folder: &'static str,
    output: Output,
    collections: Vec<Collection>,
}

/// Empty optional fields are left out of the file: `form: ''` or `image: ''` would not read.
#[derive(Serialize)]
struct Output {
    omit_empty_optional_fields: bool,
}

#[derive(Serialize)]
struct Collection {
    name: &'static str,
    label: String,
    label_singular: String,
    folder: String,
    create: bool,
    slug: &'static str,
    extension: &'static str,
    format: &'static str,
    identifier_field: &'static str,
    fields: Vec<Widget>,
}

#[derive(Serialize)]
struct Widget {
    name: &'static str,
    label: String,
    widget: &'static str,
    required: bool,
    hint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<Choice>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_format: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<bool>,
}

#[derive(Serialize)]
struct Choice {
    label: String,
    value: String,
}

/// The collections: name, folder under `content/`, and the role its files have.
const COLLECTIONS: [(&str, &str, Role); 5] = [
    ("challenges", "challenges", Role::Page(Kind::Challenge)),
    ("cases", "cases", Role::Page(Kind::Case)),
    ("columns", "columns", Role::Page(Kind::Column)),
    (
        "municipalities",
        "municipalities",
        Role::Page(Kind::Municipality),
    ),
    ("pages", "", Role::Page(Kind::Page)),
];

/// What the site already uses, offered in hints.
#[derive(Default)]
pub struct Known {
    pub themes: BTreeSet<String>,
}

impl Known {
    /// The themes of the challenges and cases under `root/content` (files that do not read
    /// cleanly are skipped: `check` reports them).
    pub fn read(root: &Path) -> Known {
        let fence = crate::walk::Fence::new(root, None);
        let (entries, _) = crate::content::discover(root, &fence);
        let (sources, _) = crate::content::load(root, entries);
        let mut known = Known::default();
        for s in sources {
            match &s.extra {
                Extra::Challenge(c) => known.themes.extend(c.themes.iter().cloned()),
                Extra::Case(c) => known.themes.extend(c.themes.iter().cloned()),
                _ => {}
            }
        }
        known
    }
}

fn widget(f: Field, labels: &Labels, known: &Known) -> Widget {
    let mut hint = labels.text(&["fields", f.key, "hint"]);
    if f.key == "themes" && !known.themes.is_empty() {
        let list: Vec<&str> = known.themes.iter().map(String::as_str).collect();
        hint = format!("{hint}。このサイトのテーマ：{}", list.join("、"));
    }
    let mut w = Widget {
        name: f.key,
        label: labels.text(&["fields", f.key, "label"]),
        widget: "string",
        required: f.required,
        hint,
        options: None,
        value_type: None,
        format: None,
        time_format: None,
        default: None,
    };
    let choices = |pairs: &[(&str, &'static str)]| {
        let mut out: Vec<Choice> = Vec::new();
        for (label, value) in pairs.iter().filter(|(l, v)| l != v) {
            out.push(Choice {
                label: (*label).to_string(),
                value: (*value).to_string(),
            });
        }
        Some(out)
    };
    match f.ty {
        Type::Text | Type::Website | Type::Form => {}
        Type::Date => {
            w.widget = "datetime";
            w.format = Some("YYYY-MM-DD");
            w.time_format = Some(false);
        }
        Type::Boolean => {
            w.widget = "boolean";
            w.default = Some(false);
        }
        Type::List => w.widget = "list",
        Type::Integer => {
            w.widget = "number";
            w.value_type = Some("int");
        }
        Type::Image => w.widget = "image",
        Type::Prefecture => {
            w.widget = "select";
            let names = crate::japan::PREFECTURES.iter().map(|(p, _)| Choice {
                label: (*p).to_string(),
                value: (*p).to_string(),
            });
            w.options = Some(names.collect());
        }
        Type::WorkStyle => {
            w.widget = "select";
            w.options = choices(&WorkStyle::ALIASES);
        }
        Type::Status => {
            w.widget = "select";
            w.options = choices(&DeclaredStatus::ALIASES);
        }
        Type::Layout => {
            w.widget = "select";
            w.options = Some(vec![Choice {
                label: "accessibility".into(),
                value: "accessibility".into(),
            }]);
        }
    }
    w
}

fn collection(
    name: &'static str,
    folder: &str,
    role: Role,
    labels: &Labels,
    known: &Known,
) -> Collection {
    let mut fields: Vec<Widget> = schema::fields(role)
        .map(|f| widget(f, labels, known))
        .collect();
    fields.push(Widget {
        name: "body",
        label: labels.text(&["body", "label"]),
        widget: "markdown",
        required: false,
        hint: labels.text(&["body", "hint"]),
        options: None,
        value_type: None,
        format: None,
        time_format: None,
        default: None,
    });
    let folder = if folder.is_empty() {
        "content".to_string()
    } else {
        format!("content/{folder}")
    };
    Collection {
        name,
        label: labels.text(&["collections", name, "label"]),
        label_singular: labels.text(&["collections", name, "singular"]),
        folder,
        create: true,
        // Digits and `-` are always a valid slug; staff may type another when creating.
        slug: "{{year}}{{month}}{{day}}-{{hour}}{{minute}}{{second}}",
        extension: "md",
        format: "frontmatter",
        identifier_field: if role == Role::Page(Kind::Municipality) {
            "municipality"
        } else {
            "title"
        },
        fields,
    }
}

/// The text of `config.yml` for a site with `config`, keeping `previous`'s `backend:` block.
pub fn config_text(config: &Config, known: &Known, previous: Option<&str>) -> String {
    let labels = Labels::load();
    let cms = CmsConfig {
        locale: "ja",
        site_url: config.base_url.clone(),
        media_folder: "static/images",
        public_folder: "/images",
        output: Output {
            omit_empty_optional_fields: true,
        },
        collections: COLLECTIONS
            .iter()
            .map(|(n, f, r)| collection(n, f, *r, &labels, known))
            .collect(),
    };
    let backend = previous
        .and_then(backend_block)
        .unwrap_or_else(|| DEFAULT_BACKEND.to_string());
    format!(
        "# Sveltia CMS の設定です。`tsunagari cms` で作り直せます（backend: の部分はそのまま残ります）。\n{backend}{}",
        crate::yaml::to_text(&cms)
    )
}

/// The top-level `backend:` block of a `config.yml` (with its comments), if it has one.
fn backend_block(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        let top = !line.starts_with([' ', '\t', '#']) && !line.is_empty();
        if top {
            inside = line.starts_with("backend:");
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Writes `static/admin/config.yml` under `root` from its `site.yaml` and content. Returns the
/// path written; a `site.yaml` with errors gives its diagnostics.
pub fn write_config(root: &Path) -> Result<std::path::PathBuf, CmsError> {
    let config = Config::load(root).map_err(CmsError::Site)?;
    let known = Known::read(root);
    let dir = root.join("static").join("admin");
    let path = dir.join("config.yml");
    let previous = std::fs::read_to_string(&path).ok();
    let text = config_text(&config, &known, previous.as_deref());
    std::fs::create_dir_all(&dir).map_err(|e| CmsError::Io(dir.clone(), e))?;
    std::fs::write(&path, text).map_err(|e| CmsError::Io(path.clone(), e))?;
    Ok(path)
}

/// Why `config.yml` could not be written.
#[derive(Debug)]
pub enum CmsError {
    Site(Vec<Diagnostic>),
    Io(std::path::PathBuf, std::io::Error),
}

impl CmsError {
    /// The I/O failure for people (a `site.yaml` that does not read is named as such).
    pub fn into_text(self) -> crate::messages::Text {
        let (path, detail) = match self {
            CmsError::Io(path, e) => (path.display().to_string(), e.to_string()),
            CmsError::Site(d) => ("site.yaml".to_string(), format!("{} problem(s)", d.len())),
        };
        crate::messages::Text::new("fail-io-at")
            .arg("path", path)
            .arg("detail", detail)
    }
}

#[cfg(test)]
mod tests;
