//! The texts tsunagari itself writes into pages, feeds and forms ("ホーム", "… | site",
//! "募集中"…), read from the theme's `templates/strings.yaml` so a theme or a site can change
//! them and translators find them in one file. No visitor text is assembled in Rust.
//!
//! [`Strings`] has one field per key (the list is fixed: a misspelt key in a theme's file is an
//! error at its line). Values are layered: the embedded default theme's file has every key, a
//! theme's own file and the site's `templates/strings.yaml` replace the keys they give. A
//! value's placeholders (`{title}`, `{site}`…) are filled by name; each key takes only the
//! names listed in [`KEYS`], and any other is an error at its line when the file is read.

use crate::content::{Kind, WorkStyle};
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Expected, Lang, Problem};
use crate::fields::Fields;
use crate::site::Status;
use crate::taxonomy::TaxonomyKind;
use crate::yaml::Node;
use serde::Serialize;
use std::path::Path;

/// Declares [`Strings`] and [`KEYS`] from one list: key, then the placeholders it takes.
macro_rules! strings {
    ($($key:ident: [$($ph:literal),*]),* $(,)?) => {
        /// Every text key of `strings.yaml` (see the default theme's file for what each is).
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
        pub struct Strings {
            $(pub $key: String,)*
            /// Days of the week, Sunday first.
            pub weekdays: Vec<String>,
        }

        /// Each text key and the placeholders its value may use.
        pub const KEYS: &[(&str, &[&str])] = &[$((stringify!($key), &[$($ph),*]),)*];

        impl Strings {
            fn slot(&mut self, key: &str) -> Option<&mut String> {
                match key {
                    $(stringify!($key) => Some(&mut self.$key),)*
                    _ => None,
                }
            }
        }
    };
}

strings! {
    page_title: ["title", "site"],
    page_number: ["n"],
    home: [],
    not_found: [],
    thanks: [],
    thanks_description: ["site"],
    search: [],
    search_description: ["site"],
    browse_by: ["taxonomy"],
    taxonomy_description: ["site", "taxonomy"],
    section_description: ["site", "kind"],
    term_description: ["site", "heading", "n"],
    menu_regions: [],
    status: [],
    status_open: [],
    status_closing_soon: [],
    status_closed: [],
    status_heading: ["status"],
    term_prefecture: ["term"],
    term_themes: ["term"],
    term_work_style: ["term"],
    term_engagement: ["term"],
    term_skills: ["term"],
    term_tags: ["term"],
    municipalities_description: ["site"],
    municipality_heading: ["name"],
    municipality_description: ["name"],
    kind_challenge: [],
    kind_case: [],
    kind_column: [],
    kind_page: [],
    kind_municipality: [],
    section_challenges: [],
    section_cases: [],
    section_columns: [],
    section_municipalities: [],
    taxonomy_prefecture: [],
    taxonomy_themes: [],
    taxonomy_work_style: [],
    taxonomy_engagement: [],
    taxonomy_skills: [],
    taxonomy_tags: [],
    work_style_remote: [],
    work_style_onsite: [],
    work_style_hybrid: [],
    date: ["year", "month", "day"],
    date_weekday: ["date", "weekday"],
    feed_term: ["term", "taxonomy", "site"],
    feed_challenge: ["status", "title", "prefecture", "municipality"],
    list_separator: [],
}

/// The list key, besides the text keys.
const WEEKDAYS: &str = "weekdays";

/// Where the strings file sits in a theme and in a site's `templates/`.
pub const FILE: &str = "strings.yaml";

/// A problem of a strings file (wrapped in [`Problem::Strings`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringsProblem {
    /// `{name}` that the key does not fill.
    UnknownPlaceholder {
        key: String,
        name: String,
        allowed: Vec<String>,
    },
    /// `weekdays` that is not a list of seven texts.
    Weekdays,
}

impl StringsProblem {
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            StringsProblem::UnknownPlaceholder { key, name, .. } if ja => {
                format!("「{key}」の文に {{{name}}} は使えません")
            }
            StringsProblem::UnknownPlaceholder { key, name, .. } => {
                format!("`{key}` cannot use {{{name}}}")
            }
            StringsProblem::Weekdays if ja => {
                "「weekdays」は日曜日から始まる 7 つの曜日のリストにしてください".into()
            }
            StringsProblem::Weekdays => {
                "`weekdays` must be a list of seven days, Sunday first".into()
            }
        }
    }

    pub fn help(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            StringsProblem::UnknownPlaceholder { allowed, .. } if allowed.is_empty() => {
                if ja {
                    "この文に差し込める名前はありません。{ } を外してください".into()
                } else {
                    "this text takes no placeholders: remove the { }".into()
                }
            }
            StringsProblem::UnknownPlaceholder { allowed, .. } => {
                let list: Vec<String> = allowed.iter().map(|a| format!("{{{a}}}")).collect();
                if ja {
                    format!("使える名前: {}", list.join("、"))
                } else {
                    format!("it takes: {}", list.join(", "))
                }
            }
            StringsProblem::Weekdays if ja => "例: weekdays: [日, 月, 火, 水, 木, 金, 土]".into(),
            StringsProblem::Weekdays => "e.g. weekdays: [Sun, Mon, Tue, Wed, Thu, Fri, Sat]".into(),
        }
    }
}

impl Strings {
    /// The default theme's texts (every key), embedded in the binary.
    pub fn embedded() -> Strings {
        let text = crate::theme::DEFAULT_THEME
            .iter()
            .find(|(rel, _)| *rel == "templates/strings.yaml")
            .and_then(|(_, b)| std::str::from_utf8(b).ok())
            .unwrap_or_default();
        let mut s = Strings::default();
        let diags = s.read(text, Path::new("(default theme)/templates/strings.yaml"));
        debug_assert!(diags.is_empty(), "{diags:?}");
        s
    }

    /// Replaces the keys `text` (a strings file shown as `path`) gives; every problem is
    /// reported at its line, and the keys with a problem keep their value.
    pub fn read(&mut self, text: &str, path: &Path) -> Vec<Diagnostic> {
        let text = crate::unicode::as_read(text.to_string());
        let doc = match crate::yaml::parse_mapping(text.trim_start_matches('\u{feff}'), 1) {
            Ok(d) => d,
            Err(e) => return vec![Diagnostic::error(path, e.problem).at(&text, e.line, e.column)],
        };
        let mut f = Fields::new(&doc, &text, path, 1);
        for (key, allowed) in KEYS {
            let Some(node) = f.node(key) else { continue };
            let value = match node {
                Node::Null => continue,
                Node::Seq(_) | Node::Map(_) => None,
                n => n.as_text(),
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
            let unknown = placeholders(&value)
                .find(|p| !allowed.contains(p))
                .map(str::to_string);
            match unknown {
                Some(name) => {
                    let problem = StringsProblem::UnknownPlaceholder {
                        key: (*key).into(),
                        name,
                        allowed: allowed.iter().map(|a| (*a).into()).collect(),
                    };
                    f.problem_at(key, Problem::Strings(problem));
                }
                None => *self.slot(key).expect("listed in KEYS") = value,
            }
        }
        match f.node(WEEKDAYS) {
            Some(Node::Seq(days))
                if days.len() == 7 && days.iter().all(|d| d.as_text().is_some()) =>
            {
                self.weekdays = days.iter().filter_map(Node::as_text).collect();
            }
            None | Some(Node::Null) => {}
            Some(_) => f.problem_at(WEEKDAYS, Problem::Strings(StringsProblem::Weekdays)),
        }
        let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).chain([WEEKDAYS]).collect();
        f.finish(&known)
    }

    /// `template` with each `{name}` replaced by its value in `values`.
    pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name = placeholder_at(after);
            match name.and_then(|n| values.iter().find(|(k, _)| *k == n)) {
                Some((n, v)) => {
                    out.push_str(v);
                    rest = &after[n.len() + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// `{title} | {site}`: the `<title>` of a page titled `title`.
    pub fn page_title(&self, title: &str, site: &str) -> String {
        Strings::fill(&self.page_title, &[("title", title), ("site", site)])
    }

    /// `（2ページ目）` after the title of page `n` of a list; nothing on the first page.
    pub fn page_number(&self, n: usize) -> String {
        if n > 1 {
            Strings::fill(&self.page_number, &[("n", &n.to_string())])
        } else {
            String::new()
        }
    }

    pub fn kind(&self, kind: Kind) -> &str {
        match kind {
            Kind::Challenge => &self.kind_challenge,
            Kind::Case => &self.kind_case,
            Kind::Column => &self.kind_column,
            Kind::Page => &self.kind_page,
            Kind::Municipality => &self.kind_municipality,
        }
    }

    /// A section's title when its `_index.md` gives none.
    pub fn section(&self, kind: Kind) -> &str {
        match kind {
            Kind::Challenge => &self.section_challenges,
            Kind::Case => &self.section_cases,
            Kind::Column => &self.section_columns,
            Kind::Municipality => &self.section_municipalities,
            Kind::Page => "",
        }
    }

    pub fn status(&self, status: Status) -> &str {
        match status {
            Status::Open => &self.status_open,
            Status::ClosingSoon => &self.status_closing_soon,
            Status::Closed => &self.status_closed,
        }
    }

    pub fn work_style(&self, w: WorkStyle) -> &str {
        match w {
            WorkStyle::Remote => &self.work_style_remote,
            WorkStyle::Onsite => &self.work_style_onsite,
            WorkStyle::Hybrid => &self.work_style_hybrid,
        }
    }

    pub fn taxonomy(&self, kind: TaxonomyKind) -> &str {
        match kind {
            TaxonomyKind::Prefecture => &self.taxonomy_prefecture,
            TaxonomyKind::Themes => &self.taxonomy_themes,
            TaxonomyKind::WorkStyle => &self.taxonomy_work_style,
            TaxonomyKind::Engagement => &self.taxonomy_engagement,
            TaxonomyKind::Skills => &self.taxonomy_skills,
            TaxonomyKind::Tags => &self.taxonomy_tags,
        }
    }

    /// The heading of term `term`'s page in taxonomy `kind`.
    pub fn term_heading(&self, kind: TaxonomyKind, term: &str) -> String {
        let template = match kind {
            TaxonomyKind::Prefecture => &self.term_prefecture,
            TaxonomyKind::Themes => &self.term_themes,
            TaxonomyKind::WorkStyle => &self.term_work_style,
            TaxonomyKind::Engagement => &self.term_engagement,
            TaxonomyKind::Skills => &self.term_skills,
            TaxonomyKind::Tags => &self.term_tags,
        };
        Strings::fill(template, &[("term", term)])
    }

    /// A date as visitors read it (`2026年3月31日`).
    pub fn date(&self, d: Date) -> String {
        let (y, m, day) = (d.year.to_string(), d.month.to_string(), d.day.to_string());
        Strings::fill(&self.date, &[("year", &y), ("month", &m), ("day", &day)])
    }

    /// A date with its day of the week (`2026年3月31日（火）`).
    pub fn date_weekday(&self, d: Date) -> String {
        let weekday = self.weekdays.get(d.weekday()).map_or("", String::as_str);
        let date = self.date(d);
        Strings::fill(&self.date_weekday, &[("date", &date), ("weekday", weekday)])
    }
}

/// The `{name}`s of a value (a name is ASCII letters, digits and `_`; other braces are text).
fn placeholders(value: &str) -> impl Iterator<Item = &str> {
    value
        .match_indices('{')
        .filter_map(|(i, _)| placeholder_at(&value[i + 1..]))
}

/// The name of a placeholder whose `{` is just before `after`.
fn placeholder_at(after: &str) -> Option<&str> {
    let end = after.find('}')?;
    let name = &after[..end];
    let ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    ok.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_gives_every_key() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("themes/default/templates/strings.yaml"))
            .expect("the default theme has a strings file");
        let mut s = Strings::default();
        assert_eq!(s.read(&text, Path::new("strings.yaml")), []);
        let mut empty = Vec::new();
        for (key, _) in KEYS {
            if s.slot(key).is_some_and(|v| v.is_empty()) {
                empty.push(*key);
            }
        }
        assert_eq!(empty, Vec::<&str>::new(), "keys without a default value");
        assert_eq!(s.weekdays.len(), 7);
        assert_eq!(s, Strings::embedded());
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        let s = Strings::embedded();
        assert_eq!(s.page_title("移住", "汐見町"), "移住 | 汐見町");
        assert_eq!(s.page_number(1), "");
        assert_eq!(s.page_number(3), "（3ページ目）");
        let d = Date::parse("2026-03-31").unwrap();
        assert_eq!(s.date(d), "2026年3月31日");
        assert_eq!(s.date_weekday(d), "2026年3月31日（火）");
        assert_eq!(
            s.term_heading(TaxonomyKind::Themes, "観光"),
            "テーマ「観光」の課題・事例"
        );
        // Braces that are not a placeholder of the call stay text.
        assert_eq!(
            Strings::fill("{a} {b} {} {x y}", &[("a", "1")]),
            "1 {b} {} {x y}"
        );
    }

    #[test]
    fn unknown_keys_and_placeholders_are_errors_at_their_line() {
        let mut s = Strings::embedded();
        let text = "home: トップ\npage_titel: x\nthanks: \"{site}\"\nweekdays: [a, b]\n";
        let diags = s.read(text, Path::new("templates/strings.yaml"));
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
        assert_eq!(s.thanks, Strings::embedded().thanks);
    }

    /// Japanese string literals outside tests in the files that write what visitors read, with
    /// the ones allowed: text tsunagari reads (not writes) and messages for staff.
    #[test]
    fn no_visitor_text_is_written_in_rust() {
        const FILES: [&str; 13] = [
            "src/view/common.rs",
            "src/view/front.rs",
            "src/view/lists.rs",
            "src/view/mod.rs",
            "src/view/page.rs",
            "src/view/places.rs",
            "src/view/reader.rs",
            "src/render.rs",
            "src/feeds.rs",
            "src/structured.rs",
            "src/date.rs",
            "src/taxonomy.rs",
            "src/search/mod.rs",
        ];
        const ALLOWED: [&str; 5] = [
            // Engagement values as staff write them, mapped to schema.org employment types.
            "\"副業\" | \"兼業\"",
            "\"プロボノ\" | \"ボランティア\"",
            "\"業務委託\"",
            "\"インターン\" | \"インターンシップ\"",
            // A diagnostic (a missing template), for staff.
            "\"テンプレート {name} がありません / template {name} is missing\"",
        ];
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        for file in FILES {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in code.lines().enumerate() {
                let mut line = line.trim_start();
                if line.starts_with("//") {
                    continue;
                }
                for allowed in ALLOWED {
                    if let Some(i) = line.find(allowed) {
                        line = &line[..i];
                    }
                }
                let japanese = |c: char| matches!(c, '\u{3000}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}');
                let literal = line
                    .split('"')
                    .skip(1)
                    .step_by(2)
                    .any(|l| l.chars().any(japanese));
                if literal {
                    found.push(format!("{file}:{}: {line}", n + 1));
                }
            }
        }
        assert!(
            found.is_empty(),
            "visitor text in Rust (move it to strings.yaml):\n{}",
            found.join("\n")
        );
    }
}
