//! docs/templates.md is the theme author's reference: every variable each template gets. This
//! test keeps it true. It builds the views of the snapshot fixture, the sample portal and a small
//! site with what those two lack (a form with a captcha), through the library
//! (`pipeline::prepare`, `view::Plan`, `view::Reader`, `view::build`), serialises each view's
//! data, and collects every key path each template receives (arrays as `[]`). The global
//! context (`site`, and any other global) is read the way Tera sees it: one output rendered
//! with templates that dump their whole context. Both ways are checked against the tables of
//! the document: a variable a view produces that the document does not list fails, and so does
//! a documented variable no view produces. The differences are printed.

use crate::common::{SiteTest, NOW, SAMPLE_NOW};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;
use tsunagari::output::Memory;
use tsunagari::pipeline;
use tsunagari::render::{Renderer, REQUIRED_TEMPLATES};
use tsunagari::theme::ThemeFile;
use tsunagari::view::{self, Data, Plan, Reader};

/// Template name → every key path it receives.
type Paths = BTreeMap<String, BTreeSet<String>>;

/// The name in docs/templates.md of the template a view is rendered with: a plain page's
/// `layout` is documented with `page.html`.
fn doc_name(template: &str) -> String {
    if REQUIRED_TEMPLATES.contains(&template) {
        template.to_string()
    } else {
        "page.html".to_string()
    }
}

/// Every key path of `value` below `prefix`: objects add `.key`, arrays `[]`; `null` and empty
/// arrays still name their own path (the variable is there, and empty).
fn collect(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(path.clone());
                collect(v, &path, out);
            }
        }
        serde_json::Value::Array(items) => {
            let path = format!("{prefix}[]");
            for item in items {
                if item.is_object() {
                    collect(item, &path, out);
                }
            }
        }
        _ => {}
    }
}

/// The views of every output of the site at `root` built at `now`, with the global context.
fn paths_of(root: &Path, now: &str, out: &mut Paths) {
    let prepared = match pipeline::prepare(&pipeline::options(root, now)) {
        Ok(p) => p,
        Err(e) => panic!("{} does not build: {e:?}", root.display()),
    };
    let site = &prepared.site;
    let plan = Plan::new(site);
    let mut data_keys = BTreeSet::new();
    let mut add = |template: &str, data: &Data| {
        let json = serde_json::to_value(data).expect("a view serialises");
        if let Some(map) = json.as_object() {
            data_keys.extend(map.keys().cloned());
        }
        collect(&json, "", out.entry(doc_name(template)).or_default());
    };
    for output in &plan.outputs {
        let reader = Reader::new(site, &plan.lists, false);
        let v = view::build(&reader, output);
        add(&v.template, &v.data);
    }
    let reader = Reader::new(site, &plan.lists, false);
    let script = ("/assets/search.0123456789.js".into(), Vec::new());
    let v = view::front::search(&reader, "/search/index-0123.json", &script);
    add(&v.template, &v.data);
    // The global context: every template dumps its whole context, the home page is rendered.
    let mut theme = prepared.theme.clone();
    for file in theme.templates.values_mut() {
        *file = ThemeFile {
            bytes: b"{{ __tera_context | safe }}".to_vec(),
            origin: file.origin.clone(),
        };
    }
    let renderer = Renderer::new(&theme, site).unwrap_or_else(|d| panic!("{d:?}"));
    let home = plan
        .outputs
        .iter()
        .position(|o| *o == view::Output::Home)
        .expect("a home page");
    let memory = Memory::default();
    let rendered = renderer
        .render_outputs(site, &plan, &[home], &memory, false)
        .expect("rendered");
    assert!(
        rendered.diagnostics.is_empty(),
        "{:?}",
        rendered.diagnostics
    );
    let files = memory.into_map();
    let dump = std::str::from_utf8(&files["index.html"]).expect("utf-8");
    let context = TeraValue::parse(dump);
    let mut globals = BTreeSet::new();
    let serde_json::Value::Object(map) = context else {
        panic!("the context is not a map: {dump}")
    };
    for (k, v) in map {
        if !data_keys.contains(&k) {
            let mut one = serde_json::Map::new();
            one.insert(k, v);
            collect(&serde_json::Value::Object(one), "", &mut globals);
        }
    }
    // Globals are given to every template.
    for paths in out.values_mut() {
        paths.extend(globals.iter().cloned());
    }
}

/// A reader of Tera's display of a value (`{"key": value, …}`, `[…]`, strings in Rust's
/// `{:?}` quoting, nothing at all for `none`), enough to collect its key paths.
struct TeraValue<'a> {
    text: &'a [u8],
    at: usize,
}

impl TeraValue<'_> {
    fn parse(text: &str) -> serde_json::Value {
        let mut p = TeraValue {
            text: text.trim().as_bytes(),
            at: 0,
        };
        let v = p.value();
        assert_eq!(p.at, p.text.len(), "unread context dump: {text}");
        v
    }

    fn peek(&self) -> u8 {
        self.text.get(self.at).copied().unwrap_or(0)
    }

    fn expect(&mut self, s: &[u8]) {
        assert!(
            self.text[self.at..].starts_with(s),
            "expected {:?} at {}",
            String::from_utf8_lossy(s),
            self.at
        );
        self.at += s.len();
    }

    fn value(&mut self) -> serde_json::Value {
        match self.peek() {
            b'{' => {
                self.at += 1;
                let mut map = serde_json::Map::new();
                while self.peek() != b'}' {
                    if !map.is_empty() {
                        self.expect(b", ");
                    }
                    let key = self.string();
                    self.expect(b": ");
                    map.insert(key, self.value());
                }
                self.at += 1;
                serde_json::Value::Object(map)
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                while self.peek() != b']' {
                    if !items.is_empty() {
                        self.expect(b", ");
                    }
                    items.push(self.value());
                }
                self.at += 1;
                serde_json::Value::Array(items)
            }
            b'"' => serde_json::Value::String(self.string()),
            // A number, a bool, or nothing (none) up to the next separator.
            _ => {
                while !matches!(self.peek(), b',' | b'}' | b']' | 0) {
                    self.at += 1;
                }
                serde_json::Value::Null
            }
        }
    }

    /// A string in `{:?}` quoting; escapes are skipped, not decoded (keys have none).
    fn string(&mut self) -> String {
        self.expect(b"\"");
        let start = self.at;
        while self.peek() != b'"' {
            if self.peek() == b'\\' {
                self.at += 1;
            }
            assert!(self.at < self.text.len(), "unterminated string");
            self.at += 1;
        }
        let s = String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
        self.at += 1;
        s
    }
}

/// What the views produce across the three sites, built once for the tests below.
static PRODUCED: LazyLock<Paths> = LazyLock::new(produced);

fn produced() -> Paths {
    let mut out = Paths::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/snapshots");
    paths_of(&fixture, NOW, &mut out);
    paths_of(Path::new(env!("CARGO_MANIFEST_DIR")), SAMPLE_NOW, &mut out);
    let extra = extra_site();
    paths_of(&extra.root, NOW, &mut out);
    out
}

/// A site with what the snapshot fixture and the sample lack: a form with a captcha.
fn extra_site() -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nforms:\n  handlers:\n    contact:\n      provider: formspree\n      id: xabc\n      captcha:\n        provider: turnstile\n        sitekey: 0x4AAA\n      privacy:\n        purpose: 回答のため\n",
    );
    t.file(
        "content/privacy.md",
        "---\ntitle: プライバシーポリシー\n---\n本文\n",
    );
    t.file(
        "content/contact.md",
        "---\ntitle: お問い合わせ\nform: contact\n---\n本文\n",
    );
    t
}

/// One row of a table of docs/templates.md: its section, its variable, and the full paths
/// (template, path) it stands for.
struct Row {
    section: String,
    variable: String,
    paths: Vec<(String, String)>,
}

/// The rows of the document, with every place each one stands for. A table is for what the
/// `Given to:` or `Found at:` line above it names: `x.html` (its top-level variables),
/// `x.html path`, `* path` (every template), or `Object .path` (that path of every place the
/// section `### Object` is found at).
fn rows(doc: &str, templates: &[String]) -> Vec<Row> {
    let mut places: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut out = Vec::new();
    let mut section = String::new();
    let mut current: Option<Vec<(String, String)>> = None;
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix('#') {
            section = h.trim_start_matches('#').trim().to_string();
            current = None;
        } else if let Some(rest) = line
            .strip_prefix("Given to:")
            .or_else(|| line.strip_prefix("Found at:"))
        {
            let mut here = Vec::new();
            for token in backticked(rest) {
                let (place, path) = token.rsplit_once(' ').unwrap_or((token, ""));
                let bases: Vec<(String, String)> = if place == "*" {
                    templates
                        .iter()
                        .map(|t| (t.clone(), String::new()))
                        .collect()
                } else if place.ends_with(".html") {
                    vec![(place.to_string(), String::new())]
                } else {
                    places
                        .get(place)
                        .unwrap_or_else(|| panic!("{section}: no section `### {place}` above"))
                        .clone()
                };
                here.extend(bases.into_iter().map(|(t, p)| (t, format!("{p}{path}"))));
            }
            places.insert(section.clone(), here.clone());
            current = Some(here);
        } else if let Some(cell) = line.strip_prefix("| `") {
            let variable = cell.split('`').next().unwrap_or_default().to_string();
            let here = current.as_ref().unwrap_or_else(|| {
                panic!("{section}: the table of `{variable}` has no Given to/Found at line")
            });
            let paths = here
                .iter()
                .map(|(t, p)| {
                    // Top-level rows are names, object rows are `.field`s.
                    assert_eq!(
                        p.is_empty(),
                        !variable.starts_with('.'),
                        "{section}: `{variable}` does not fit where the table is found"
                    );
                    (t.clone(), format!("{p}{variable}"))
                })
                .collect();
            out.push(Row {
                section: section.clone(),
                variable,
                paths,
            });
        }
    }
    out
}

/// Every difference between the document and what the views produce.
fn differences(doc: &str, produced: &Paths) -> Vec<String> {
    let templates: Vec<String> = produced.keys().cloned().collect();
    let rows = rows(doc, &templates);
    let mut documented: Paths = Paths::new();
    for row in &rows {
        for (t, p) in &row.paths {
            documented.entry(t.clone()).or_default().insert(p.clone());
        }
    }
    let mut diffs = Vec::new();
    for (t, paths) in produced {
        for p in paths {
            if !documented.get(t).is_some_and(|d| d.contains(p)) {
                diffs.push(format!(
                    "{t} receives `{p}`, which docs/templates.md does not list"
                ));
            }
        }
    }
    for row in &rows {
        let made = |(t, p): &(String, String)| produced.get(t).is_some_and(|s| s.contains(p));
        if !row.paths.iter().any(made) {
            diffs.push(format!(
                "docs/templates.md lists `{}` ({}), which no view produces",
                row.variable, row.section
            ));
        }
    }
    diffs
}

const DOC: &str = include_str!("../../docs/templates.md");

#[test]
fn the_template_reference_lists_every_variable_and_only_those() {
    let diffs = differences(DOC, &PRODUCED);
    let templates: Vec<&String> = PRODUCED.keys().collect();
    // Every required template but base.html (the frame the others extend) has a view.
    assert_eq!(
        templates.len(),
        REQUIRED_TEMPLATES.len() - 1,
        "{templates:?}"
    );
    assert!(
        diffs.is_empty(),
        "docs/templates.md and the views differ ({}):\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn the_reference_check_sees_a_missing_and_a_stale_variable() {
    let missing = DOC.replace("| `.deadline_ja` |", "| dropped |");
    let stale = missing.replace(
        "| `.capacity` |",
        "| `.headcount` | text | gone | |\n| `.capacity` |",
    );
    let diffs = differences(&stale, &PRODUCED);
    for expected in [
        "challenge.html receives `page.challenge.deadline_ja`, which docs/templates.md does not list",
        "section.html receives `pages[].challenge.deadline_ja`, which docs/templates.md does not list",
        "docs/templates.md lists `.headcount` (Challenge), which no view produces",
    ] {
        assert!(diffs.iter().any(|d| d == expected), "{expected}\nnot in {diffs:#?}");
    }
    // Every template, the globals included, is checked: `site.title` is in all of them.
    let no_title = DOC.replace(
        "| `.title` | text | site name",
        "| title | text | site name",
    );
    let diffs = differences(&no_title, &PRODUCED);
    assert_eq!(
        diffs.iter().filter(|d| d.contains("`site.title`")).count(),
        PRODUCED.len(),
        "{diffs:#?}"
    );
}

/// The texts between backticks of a line.
fn backticked(line: &str) -> impl Iterator<Item = &str> {
    line.split('`').skip(1).step_by(2)
}
