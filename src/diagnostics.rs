//! Content problems as data, and their rendering for people (Japanese or English) and for CI.
//!
//! Every stage returns its value plus a list of [`Diagnostic`]s instead of stopping at the first
//! problem, so a build reports everything at once. A diagnostic carries the file (relative to the
//! site root), a 1-based line and column, the offending source line, and a [`Problem`] that knows
//! how to explain itself and how to fix it. Nothing here prints: callers decide where text goes.

mod input;
mod text;
pub use input::InputProblem;
use std::path::PathBuf;
pub use text::TextProblem;

mod entry;
pub use entry::NameFault;
pub use entry::{EntryIssue, Fenced};
mod files;
pub use files::FileProblem;
mod config;
pub use config::ConfigProblem;
mod csp;
pub use csp::{CspProblem, SourceIssue};

mod bug;
mod images;
pub use images::ImageProblem;
mod markdown;
use crate::msg;
use bug::bug_message;
mod report;
mod theme_strings;
pub use report::{display_path, display_width, sort, Diagnostic};

pub use crate::messages::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of value a field expects; used in type-mismatch messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Text,
    List,
    Date,
    Bool,
    Integer,
    Mapping,
}

impl Expected {
    /// "a text", "a list (e.g. …)": what the field takes, in `lang`.
    fn text(self, lang: Lang) -> String {
        match self {
            Expected::Text => msg!(lang, "expected-text"),
            Expected::List => msg!(lang, "expected-list"),
            Expected::Date => msg!(lang, "expected-date"),
            Expected::Bool => msg!(lang, "expected-bool"),
            Expected::Integer => msg!(lang, "expected-integer"),
            Expected::Mapping => msg!(lang, "expected-mapping"),
        }
    }
}

/// Everything that can be wrong with a site's sources. Each variant explains itself in
/// [`Problem::message`] and tells how to fix it in [`Problem::help`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NotUtf8,
    UnclosedFrontMatter,
    YamlSyntax {
        detail: String,
    },
    YamlTooComplex,
    FrontMatterNotMapping,
    FrontMatterTooLarge {
        limit_kib: usize,
    },
    MissingField {
        field: String,
    },
    UnknownField {
        field: String,
        suggestion: Option<String>,
    },
    WrongType {
        field: String,
        expected: Expected,
    },
    InvalidDate {
        field: String,
        value: String,
    },
    InvalidPrefecture {
        value: String,
        suggestion: Option<String>,
    },
    InvalidChoice {
        field: String,
        value: String,
        allowed: Vec<String>,
        suggestion: Option<String>,
    },
    EmptyValue {
        field: String,
    },
    BrokenLink {
        target: String,
    },
    LinkToDraft {
        target: String,
    },
    UnknownChallenge {
        slug: String,
        suggestion: Option<String>,
    },
    MissingImage {
        path: String,
    },
    /// Images: unreadable rasters, missing alt texts, a default share picture that is no raster.
    Image(ImageProblem),
    /// `prefecture: 新潟` taken as `新潟県`.
    PrefectureShort {
        value: String,
        canonical: String,
    },
    /// `municipality: 新潟県汐見町` with `prefecture: 新潟県`, taken as `汐見町`.
    MunicipalityWithPrefecture {
        value: String,
        canonical: String,
    },
    /// A body link to a file (PDF, image…) that is neither in the page's bundle nor in `static/`.
    MissingFile {
        target: String,
    },
    /// A body link to a site URL (`/challenges/x/`) that no page has.
    BrokenUrl {
        target: String,
    },
    /// A body link to a URL of the kind the site generates (a term, a list page, a feed…) that
    /// none of the build's outputs has, found once the render plan exists.
    NoSuchOutput {
        target: String,
        suggestion: Option<String>,
    },
    /// A body link to a site URL written without the base path, taken as `canonical`.
    UrlWithoutBasePath {
        target: String,
        canonical: String,
    },
    /// `other` is the file that makes the same URL; empty for a page tsunagari generates.
    DuplicateUrl {
        url: String,
        other: PathBuf,
    },
    /// `rename`: the file (or bundle folder) name that would do, as `EntryIssue::BadName` offers.
    InvalidSlug {
        slug: String,
        rename: String,
    },
    UnknownSection {
        folder: String,
        suggestion: Option<String>,
    },
    StrayFile,
    UnsafeUrlRemoved {
        url: String,
    },
    RawHtmlEscaped,
    OpenPastDeadline {
        deadline: String,
    },
    InvalidSiteValue {
        field: String,
        value: String,
        /// What a valid value looks like (a catalogue text).
        why: crate::messages::Text,
    },
    /// An item of `menu` / `footer_menu` that is not a `name`/`url` pair.
    MenuItemNotMapping {
        key: String,
    },
    /// A required form field without its Google Forms entry number in `entries`.
    MissingFormEntry {
        field: String,
    },
    MissingSiteConfig,
    Template {
        detail: String,
    },
    /// A template the theme must have (`render::REQUIRED_TEMPLATES`) is not there.
    TemplateMissing {
        name: String,
    },
    /// A file that exists but cannot be read (permissions, a folder named like a file…).
    Unreadable {
        detail: String,
    },
    UnknownForm {
        name: String,
        suggestion: Option<String>,
    },
    InsecureFormAction {
        url: String,
    },
    NoPrivacyPage,
    /// A file or folder under content/ or static/ that was left out (see `crate::walk`).
    Entry {
        issue: EntryIssue,
    },
    /// A URL from site.yaml or front matter that the URL policy (`crate::urls`) refuses.
    UrlRefused(crate::urls::Refused),
    /// Odd or hostile text: control characters, sizes, path lengths (see `text`).
    Text(TextProblem),
    /// A slip of typing in front matter (`diagnostics/input.rs`).
    Input(InputProblem),
    /// A heading attribute other than a safe `#id` or `.class`, as written.
    HeadingAttributeDropped {
        attribute: String,
    },
    /// A `{#id}` the theme or an earlier heading of the page already uses.
    HeadingIdChanged {
        id: String,
        now: String,
    },
    /// A second footnote definition with the label of an earlier one.
    DuplicateFootnote {
        label: String,
    },
    /// A panic inside tsunagari (caught by the dev server): a bug, not a content problem.
    /// `during` names the files being processed, or the request answered, when known.
    Bug {
        message: String,
        during: String,
    },
    /// A Content-Security-Policy or security-header problem (`diagnostics/csp.rs`).
    Security(CspProblem),
    /// Outputs that collide, files that run script, an old output folder left behind.
    Files(FileProblem),
    /// A site.yaml value that would reach the output invalid (see `diagnostics/config.rs`).
    Config(ConfigProblem),
    /// A theme's or site's `strings.yaml` value that cannot be used (`diagnostics/theme_strings.rs`).
    Strings(crate::strings::StringsProblem),
}

impl Problem {
    /// One sentence: what is wrong.
    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        match self {
            NotUtf8 => msg!(lang, "not-utf8"),
            UnclosedFrontMatter => msg!(lang, "unclosed-front-matter"),
            YamlSyntax { detail } => msg!(lang, "yaml-syntax", detail = detail),
            YamlTooComplex => msg!(lang, "yaml-too-complex"),
            FrontMatterNotMapping => msg!(lang, "front-matter-not-mapping"),
            FrontMatterTooLarge { limit_kib } => {
                msg!(lang, "front-matter-too-large", limit_kib = limit_kib)
            }
            MissingField { field } => msg!(lang, "missing-field", field = field),
            UnknownField { field, .. } => msg!(lang, "unknown-field", field = field),
            WrongType { field, expected } => {
                msg!(
                    lang,
                    "wrong-type",
                    field = field,
                    expected = expected.text(lang)
                )
            }
            InvalidDate { field, value } => {
                msg!(lang, "invalid-date", field = field, value = value)
            }
            InvalidPrefecture { value, .. } => msg!(lang, "invalid-prefecture", value = value),
            InvalidChoice { field, value, .. } => {
                msg!(lang, "invalid-choice", field = field, value = value)
            }
            EmptyValue { field } => msg!(lang, "empty-value", field = field),
            BrokenLink { target } => msg!(lang, "broken-link", target = target),
            LinkToDraft { target } => msg!(lang, "link-to-draft", target = target),
            UnknownChallenge { slug, .. } => msg!(lang, "unknown-challenge", slug = slug),
            MissingImage { path } => msg!(lang, "missing-image", path = path),
            Image(p) => p.message(lang),
            MissingFile { target } => msg!(lang, "missing-file", target = target),
            PrefectureShort {
                value: v,
                canonical: c,
            } => msg!(lang, "prefecture-short", value = v, canonical = c),
            MunicipalityWithPrefecture { value, canonical } => msg!(
                lang,
                "municipality-with-prefecture",
                value = value,
                canonical = canonical
            ),
            BrokenUrl { target } => msg!(lang, "broken-url", target = target),
            NoSuchOutput { target, .. } => msg!(lang, "no-such-output", target = target),
            UrlWithoutBasePath { target, canonical } => msg!(
                lang,
                "url-without-base-path",
                target = target,
                canonical = canonical
            ),
            DuplicateUrl { url, other } if other.as_os_str().is_empty() => {
                msg!(lang, "duplicate-url-generated", url = url)
            }
            DuplicateUrl { url, other } => {
                msg!(lang, "duplicate-url", url = url, other = other.display())
            }
            InvalidSlug { slug, .. } => msg!(lang, "invalid-slug", slug = slug),
            UnknownSection { folder, .. } => msg!(lang, "unknown-section", folder = folder),
            StrayFile => msg!(lang, "stray-file"),
            UnsafeUrlRemoved { url } => {
                msg!(lang, "unsafe-url-removed", url = crate::urls::visible(url))
            }
            RawHtmlEscaped => msg!(lang, "raw-html-escaped"),
            OpenPastDeadline { deadline } => {
                msg!(lang, "open-past-deadline", deadline = deadline)
            }
            InvalidSiteValue { field, value, why } => msg!(
                lang,
                "invalid-site-value",
                field = field,
                value = value,
                why = why.render(lang)
            ),
            MissingSiteConfig => msg!(lang, "missing-site-config"),
            MenuItemNotMapping { key } => msg!(lang, "menu-item-not-mapping", key = key),
            MissingFormEntry { field } => msg!(lang, "missing-form-entry", field = field),
            UnknownForm { name, .. } => msg!(lang, "unknown-form", name = name),
            InsecureFormAction { url } => msg!(lang, "insecure-form-action", url = url),
            NoPrivacyPage => msg!(lang, "no-privacy-page"),
            Unreadable { detail } => msg!(lang, "unreadable", detail = detail),
            Template { detail } => msg!(lang, "template-failed", detail = detail),
            TemplateMissing { name } => msg!(lang, "template-missing", name = name),
            Security(p) => p.message(lang),
            Files(p) => p.message(lang),
            Config(p) => p.message(lang),
            Strings(p) => theme_strings::message(p, lang),
            Entry { issue } => issue.message(lang),
            UrlRefused(r) => r.message(lang),
            Text(p) => p.message(lang),
            Input(p) => p.message(lang),
            HeadingAttributeDropped { .. } | HeadingIdChanged { .. } | DuplicateFootnote { .. } => {
                markdown::message(self, lang)
            }
            Bug { message, during } => bug_message(lang, message, during),
        }
    }

    /// How to fix it, when there is something useful to say.
    pub fn help(&self, lang: Lang) -> Option<String> {
        use Problem::*;
        let s = match self {
            NotUtf8 => msg!(lang, "not-utf8-help"),
            UnclosedFrontMatter => msg!(lang, "unclosed-front-matter-help"),
            YamlSyntax { detail } => yaml_help(detail, lang),
            YamlTooComplex => msg!(lang, "yaml-too-complex-help"),
            FrontMatterNotMapping => msg!(lang, "front-matter-not-mapping-help"),
            FrontMatterTooLarge { .. } => msg!(lang, "front-matter-too-large-help"),
            MissingField { field } => msg!(lang, "missing-field-help", field = field),
            UnknownField {
                suggestion: Some(s),
                ..
            } => msg!(lang, "unknown-field-suggest-help", suggestion = s),
            UnknownField { .. } => msg!(lang, "unknown-field-help"),
            WrongType { .. } | InvalidSiteValue { .. } | Template { .. } => return None,
            TemplateMissing { .. } => return None,
            MenuItemNotMapping { .. } => return None,
            MissingFormEntry { field } => msg!(lang, "missing-form-entry-help", field = field),
            InvalidDate { .. } => msg!(lang, "invalid-date-help"),
            InvalidPrefecture {
                suggestion: Some(s),
                ..
            } => msg!(lang, "invalid-prefecture-suggest-help", suggestion = s),
            InvalidPrefecture { .. } => msg!(lang, "invalid-prefecture-help"),
            InvalidChoice {
                allowed,
                suggestion,
                ..
            } => choice_help(allowed, suggestion.as_deref(), lang),
            EmptyValue { .. } => msg!(lang, "empty-value-help"),
            BrokenLink { .. } => msg!(lang, "broken-link-help"),
            LinkToDraft { .. } => msg!(lang, "link-to-draft-help"),
            UnknownChallenge {
                suggestion: Some(s),
                ..
            } => msg!(lang, "unknown-challenge-suggest-help", suggestion = s),
            UnknownChallenge { .. } => msg!(lang, "unknown-challenge-help"),
            MissingImage { .. } => msg!(lang, "missing-image-help"),
            Image(p) => p.help(lang),
            MissingFile { .. } => msg!(lang, "missing-file-help"),
            PrefectureShort { canonical, .. } => {
                msg!(lang, "prefecture-short-help", canonical = canonical)
            }
            MunicipalityWithPrefecture { canonical, .. } => {
                msg!(
                    lang,
                    "municipality-with-prefecture-help",
                    canonical = canonical
                )
            }
            BrokenUrl { .. } => msg!(lang, "broken-url-help"),
            NoSuchOutput {
                suggestion: Some(s),
                ..
            } => msg!(lang, "no-such-output-suggest-help", suggestion = s),
            NoSuchOutput { .. } => msg!(lang, "no-such-output-help"),
            UrlWithoutBasePath { canonical, .. } => {
                msg!(lang, "url-without-base-path-help", canonical = canonical)
            }
            DuplicateUrl { .. } => msg!(lang, "duplicate-url-help"),
            InvalidSlug { rename, .. } => msg!(lang, "bad-name-help", rename = rename),
            UnknownSection {
                suggestion: Some(s),
                ..
            } => msg!(lang, "unknown-section-suggest-help", suggestion = s),
            UnknownSection { .. } => msg!(lang, "unknown-section-help"),
            StrayFile => msg!(lang, "stray-file-help"),
            UnsafeUrlRemoved { .. } => msg!(lang, "unsafe-url-removed-help"),
            RawHtmlEscaped => msg!(lang, "raw-html-escaped-help"),
            OpenPastDeadline { .. } => msg!(lang, "open-past-deadline-help"),
            UnknownForm {
                suggestion: Some(s),
                ..
            } => msg!(lang, "unknown-form-suggest-help", suggestion = s),
            UnknownForm { .. } => msg!(lang, "unknown-form-help"),
            InsecureFormAction { .. } => msg!(lang, "insecure-form-action-help"),
            NoPrivacyPage => msg!(lang, "no-privacy-page-help"),
            Unreadable { .. } => msg!(lang, "unreadable-help"),
            MissingSiteConfig => msg!(lang, "missing-site-config-help"),
            Security(p) => p.help(lang),
            Files(p) => p.help(lang),
            Config(p) => p.help(lang),
            Strings(p) => theme_strings::help(p, lang),
            Entry { issue } => issue.help(lang),
            Text(p) => p.help(lang),
            Input(p) => p.help(lang),
            UrlRefused(r) => r.help(lang),
            Bug { .. } => msg!(lang, "bug-help"),
            HeadingAttributeDropped { .. } | HeadingIdChanged { .. } | DuplicateFootnote { .. } => {
                markdown::help(self, lang)
            }
        };
        Some(s)
    }
}

/// Help for a YAML syntax error, chosen by libyaml's description of it.
fn yaml_help(detail: &str, lang: Lang) -> String {
    if detail.contains("quoted scalar") {
        msg!(lang, "yaml-syntax-quote-help")
    } else if detail.contains("flow") {
        msg!(lang, "yaml-syntax-flow-help")
    } else if detail.contains("mapping values are not allowed") {
        msg!(lang, "yaml-syntax-colon-help")
    } else if detail.contains("cannot start any token") {
        msg!(lang, "yaml-syntax-token-help")
    } else {
        msg!(lang, "yaml-syntax-help")
    }
}

fn choice_help(allowed: &[String], suggestion: Option<&str>, lang: Lang) -> String {
    let allowed = allowed.join(" / ");
    match suggestion {
        Some(s) => msg!(
            lang,
            "invalid-choice-suggest-help",
            suggestion = s,
            allowed = allowed
        ),
        None => msg!(lang, "invalid-choice-help", allowed = allowed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_source_line_caret_and_help() {
        let text = "---\ntitle: a\nprefecture: 東京\n---\n";
        let d = Diagnostic::error(
            "content/challenges/a.md",
            Problem::InvalidPrefecture {
                value: "東京".into(),
                suggestion: Some("東京都".into()),
            },
        )
        .at(text, 3, 13)
        .with_span(2);
        let r = d.render(Lang::Ja);
        assert!(r.starts_with("エラー: content/challenges/a.md:3:13: 「prefecture」の値「東京」は都道府県名ではありません\n"), "{r}");
        assert!(r.contains("3 | prefecture: 東京\n"), "{r}");
        // 12 ASCII columns before the value, then two wide characters = four carets.
        assert!(r.contains("  |             ^^^^\n"), "{r}");
        assert!(r.contains("= ヒント: 「東京都」のことですか？"), "{r}");
        let en = d.render(Lang::En);
        assert!(en.contains("did you mean `東京都`?"), "{en}");
    }

    #[test]
    fn github_format_escapes_newlines() {
        let d = Diagnostic::error(
            "a.md",
            Problem::YamlSyntax {
                detail: "x\ny".into(),
            },
        )
        .at("a\nb", 2, 1);
        let g = d.render_github(Lang::En);
        assert!(g.starts_with("::error file=a.md,line=2,col=1::"));
        assert!(!g.contains('\n'));
    }

    #[test]
    fn wide_characters_count_double() {
        assert_eq!(display_width("ab"), 2);
        assert_eq!(display_width("東京"), 4);
        assert_eq!(display_width("ﾃﾚﾜｰｸ"), 5, "half-width katakana");
        assert_eq!(
            display_width("ｶﾞ"),
            2,
            "a half-width voiced mark is a column of its own"
        );
        assert_eq!(display_width("が"), 2);
        assert_eq!(
            display_width("か\u{3099}"),
            2,
            "a combining mark takes no column"
        );
        assert_eq!(display_width("e\u{301}"), 1);
        assert_eq!(display_width("🎉"), 2, "emoji are wide");
        assert_eq!(
            display_width("👩\u{200D}🌾"),
            2,
            "a ZWJ sequence is one emoji"
        );
        assert_eq!(display_width("a\tb"), 3);
        assert_eq!(display_width("（ＤＸ）"), 8, "full-width forms");
    }

    #[test]
    fn carets_line_up_after_emoji_and_combining_marks() {
        // The caret must sit under the value: as many spaces as the terminal columns before it.
        for (before, columns) in [("🎉 ", 3), ("か\u{3099}", 2), ("ﾃﾚﾜｰｸ", 5), ("東京 ", 5)]
        {
            let text = format!("---\ntitle: {before}xy\n---\n");
            let column = "title: ".chars().count() + before.chars().count() + 1;
            let d = Diagnostic::error("a.md", Problem::StrayFile)
                .at(&text, 2, column)
                .with_span(2);
            let r = d.render(Lang::En);
            let caret = format!("  | {}^^\n", " ".repeat("title: ".len() + columns));
            assert!(r.contains(&caret), "{r}");
        }
    }
}
