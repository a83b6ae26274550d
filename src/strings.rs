//! The texts tsunagari itself writes into pages, feeds and forms ("ホーム", "… | site",
//! "募集中"…), read from the theme's `templates/strings.yaml` so a theme or a site can change
//! them and translators find them in one file. No visitor text is assembled in Rust.
//!
//! [`Strings`] has one field per key (the list is fixed: a misspelt key in a theme's file is an
//! error at its line). Values are layered by `theme`, which reads the files: the embedded
//! default theme's file has every key, a theme's own file and the site's
//! `templates/strings.yaml` replace the keys they give. A value's placeholders (`{title}`,
//! `{site}`…) are filled by name; each key takes only the names listed in [`KEYS`], and
//! [`Strings::set`] refuses any other. The labels of kinds, statuses, work styles and
//! taxonomies are looked up by those types (`Kind::label(strings)`…): this module is plain data
//! below them.

use crate::date::Date;
use serde::Serialize;

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
    keep_title: [],
    keep_button: [],
    keep_button_kept: [],
    keep_description: ["site"],
    search: [],
    search_description: ["site"],
    search_landmark_site: [],
    search_landmark_page: [],
    browse_by: ["taxonomy"],
    taxonomy_description: ["site", "taxonomy"],
    section_description: ["site", "kind"],
    term_description: ["site", "heading", "n"],
    term_older_description: ["site", "heading"],
    menu_regions: [],
    status: [],
    status_open: [],
    status_closing_soon: [],
    status_closed: [],
    status_heading: ["status"],
    status_days_left: ["n"],
    share_native: [],
    share_copy: [],
    share_copied: [],
    share_copy_failed: [],
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
    date_short: ["month", "day"],
    feed_site: ["site"],
    feed_section: ["section", "site"],
    feed_term: ["term", "taxonomy", "site"],
    feed_challenge: ["status", "title", "prefecture", "municipality"],
    list_separator: [],
    form_heading_challenge: [],
    form_heading: [],
    form_subject_challenge: ["title"],
    form_subject: [],
    form_submit: [],
    form_field_name: [],
    form_field_email: [],
    form_field_organization: [],
    form_field_message: [],
    form_service_google_forms: [],
    form_service_generic: [],
    markdown_table: [],
    markdown_task_done: [],
    markdown_task_open: [],
    markdown_embed: [],
    preview_draft: [],
    preview_scheduled: ["date"],
    preview_draft_label: [],
    preview_scheduled_label: [],
}

/// The list key, besides the text keys.
pub const WEEKDAYS: &str = "weekdays";

/// Why [`Strings::set`] refused a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringsProblem {
    /// `{name}` that the key does not fill; `allowed` are the ones it does.
    UnknownPlaceholder {
        key: String,
        name: String,
        allowed: Vec<String>,
    },
    /// `weekdays` that is not a list of seven texts.
    Weekdays,
}

impl Strings {
    /// Sets text key `key` (one of [`KEYS`]) to `value` when its placeholders are ones the key
    /// fills; `None` when `key` is not a text key.
    pub fn set(&mut self, key: &str, value: String) -> Option<Result<(), StringsProblem>> {
        let allowed = KEYS.iter().find(|(k, _)| *k == key)?.1;
        if let Some(name) = placeholders(&value).find(|p| !allowed.contains(p)) {
            return Some(Err(StringsProblem::UnknownPlaceholder {
                key: key.into(),
                name: name.into(),
                allowed: allowed.iter().map(|a| (*a).into()).collect(),
            }));
        }
        *self.slot(key)? = value;
        Some(Ok(()))
    }

    /// Sets the days of the week (Sunday first): there must be seven.
    pub fn set_weekdays(&mut self, days: Vec<String>) -> Result<(), StringsProblem> {
        if days.len() != 7 {
            return Err(StringsProblem::Weekdays);
        }
        self.weekdays = days;
        Ok(())
    }

    /// Text keys left empty (the default theme's file must give every one).
    pub fn missing(&mut self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = KEYS
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| self.slot(k).is_some_and(|v| v.is_empty()))
            .collect();
        if self.weekdays.len() != 7 {
            out.push(WEEKDAYS);
        }
        out
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

    /// The published `assets/strings.js`: the texts the theme's scripts write in the visitor's
    /// browser (`status.js`, `share.js` and `keep.js` import it), one cached module instead of attributes
    /// on every page. Its name changes with its bytes, so a changed text reaches every page.
    pub fn script_module(&self) -> Vec<u8> {
        let texts = serde_json::json!({
            "open": self.status_open,
            "soon": self.status_closing_soon,
            "closed": self.status_closed,
            "days": self.status_days_left,
            "native": self.share_native,
            "copy": self.share_copy,
            "copied": self.share_copied,
            "failed": self.share_copy_failed,
            "keep": self.keep_button,
            "kept": self.keep_button_kept,
        });
        format!("// The theme's strings.yaml, for its scripts.\nexport default {texts};\n")
            .into_bytes()
    }

    /// `{title} | {site}`: the `<title>` of a page titled `title`.
    pub fn page_title(&self, title: &str, site: &str) -> String {
        Strings::fill(&self.page_title, &[("title", title), ("site", site)])
    }

    /// `（2ページ目）` after the title of page `n` of a list of `total` pages (`n` counted from
    /// the oldest page); nothing on the newest page, which is the list itself.
    pub fn page_number(&self, n: usize, total: usize) -> String {
        if n < total {
            Strings::fill(&self.page_number, &[("n", &n.to_string())])
        } else {
            String::new()
        }
    }

    /// A date as visitors read it (`2026年3月31日`).
    pub fn date(&self, d: Date) -> String {
        let (y, m, day) = (d.year.to_string(), d.month.to_string(), d.day.to_string());
        Strings::fill(&self.date, &[("year", &y), ("month", &m), ("day", &day)])
    }

    /// The note over a page a preview shows before its publication date (`date`, as
    /// visitors read dates).
    pub fn preview_scheduled(&self, d: Date) -> String {
        Strings::fill(&self.preview_scheduled, &[("date", &self.date(d))])
    }

    /// A date with its day of the week (`2026年3月31日（火）`).
    pub fn date_weekday(&self, d: Date) -> String {
        let weekday = self.weekdays.get(d.weekday()).map_or("", String::as_str);
        let date = self.date(d);
        Strings::fill(&self.date_weekday, &[("date", &date), ("weekday", weekday)])
    }

    /// A date in few characters for cards (`4月20日`): `date_short` when `this_year`, else the
    /// whole date.
    pub fn date_short(&self, d: Date, this_year: bool) -> String {
        if !this_year {
            return self.date(d);
        }
        let (m, day) = (d.month.to_string(), d.day.to_string());
        Strings::fill(&self.date_short, &[("month", &m), ("day", &day)])
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
    fn placeholders_are_filled_by_name() {
        let s = crate::theme::default_strings();
        assert_eq!(s.page_title("移住", "汐見町"), "移住 | 汐見町");
        assert_eq!(s.page_number(1, 1), "");
        assert_eq!(s.page_number(4, 4), "");
        assert_eq!(s.page_number(1, 4), "（1ページ目）");
        assert_eq!(s.page_number(3, 4), "（3ページ目）");
        let d = Date::parse("2026-03-31").unwrap();
        assert_eq!(s.date(d), "2026年3月31日");
        assert_eq!(s.date_weekday(d), "2026年3月31日（火）");
        assert_eq!(s.date_short(d, true), "3月31日");
        assert_eq!(s.date_short(d, false), "2026年3月31日");
        // Braces that are not a placeholder of the call stay text.
        assert_eq!(
            Strings::fill("{a} {b} {} {x y}", &[("a", "1")]),
            "1 {b} {} {x y}"
        );
    }

    #[test]
    fn a_value_takes_only_the_placeholders_of_its_key() {
        let mut s = Strings::default();
        assert_eq!(s.set("page_title", "{site}: {title}".into()), Some(Ok(())));
        assert_eq!(s.page_title("a", "b"), "b: a");
        let refused = s.set("home", "{site}".into());
        assert!(
            matches!(refused, Some(Err(StringsProblem::UnknownPlaceholder { name, allowed, .. })) if name == "site" && allowed.is_empty())
        );
        assert_eq!(s.home, "");
        assert_eq!(s.set("hom", "x".into()), None);
        assert_eq!(
            s.set_weekdays(vec!["a".into()]),
            Err(StringsProblem::Weekdays)
        );
    }

    /// Japanese string literals outside tests in the files that write what visitors read, with
    /// the ones allowed: text tsunagari reads (not writes).
    #[test]
    fn no_visitor_text_is_written_in_rust() {
        const FILES: &[&str] = &[
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
            "src/site/steps.rs",
            "src/site/browse.rs",
            "src/content/terms.rs",
            "src/search/mod.rs",
            "src/search/index.rs",
            "src/search/write.rs",
            "src/markdown.rs",
        ];
        // Every file of these folders but their test modules (`tests.rs`, `*_tests.rs`).
        const DIRS: &[&str] = &["src/forms", "src/markdown"];
        const ALLOWED: &[&str] = &[
            // Engagement values as staff write them, mapped to schema.org employment types.
            "\"副業\" | \"兼業\"",
            "\"プロボノ\" | \"ボランティア\"",
            "\"業務委託\"",
            "\"インターン\" | \"インターンシップ\"",
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
        for dir in DIRS {
            let mut more: Vec<String> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".rs") && !n.ends_with("tests.rs"))
                .map(|n| format!("{dir}/{n}"))
                .collect();
            assert!(!more.is_empty(), "{dir} has no source files");
            more.sort();
            files.extend(more);
        }
        let mut found = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in code.lines().enumerate() {
                let mut line = line.trim_start();
                if line.starts_with("//") {
                    continue;
                }
                for allowed in ALLOWED.iter() {
                    if let Some(i) = line.find(allowed) {
                        line = &line[..i];
                    }
                }
                let japanese = |c: char| matches!(c, '\u{3000}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}');
                // Escaped quotes (`\"`) are dropped: they do not end a literal.
                let literal = line
                    .replace("\\\"", "")
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
