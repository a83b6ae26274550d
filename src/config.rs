//! `site.yaml` → a validated [`Config`]. Unknown keys are errors with a "did you mean", every
//! value is checked, and all problems are reported together.

use crate::content::TaxonomyKind;
use crate::date;
use crate::diagnostics::{Diagnostic, Expected, Problem, TextProblem};
use crate::fields::Fields;
use crate::messages::Text;
use crate::yaml::{self, Node};
use std::path::Path;

mod checks;
mod search;

/// A link in a menu.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
}

/// How much of raw HTML in Markdown a site trusts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkdownConfig {
    /// Pass raw HTML through untouched. Only for sites whose every author is trusted.
    pub allow_html: bool,
    /// Hosts whose `<iframe>` embeds are kept (rebuilt from a safe set of attributes).
    pub allow_iframes: Vec<String>,
}

/// What the accessibility-policy page template states (JIS X 8341-3 terms).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccessibilityConfig {
    /// The standard, e.g. `JIS X 8341-3:2016`.
    pub standard: String,
    /// Target level: `A`, `AA` or `AAA`.
    pub level: String,
    /// 準拠 / 一部準拠 / 配慮 (the guideline's terms); empty when not declared.
    pub conformance: String,
    /// Which pages the policy covers.
    pub scope: String,
}

impl Default for AccessibilityConfig {
    fn default() -> Self {
        AccessibilityConfig {
            standard: "JIS X 8341-3:2016".into(),
            level: "AA".into(),
            conformance: String::new(),
            scope: "このサイトのすべてのページ".into(),
        }
    }
}

/// Items per list page when `paginate_by` is not set. A list page repeats the site's header,
/// menu and footer once for all its cards: 36 cards of about 0.6 KB make a page of about
/// 25 KB, and a third fewer list files than 24 did (issue 16).
pub const DEFAULT_PAGINATE_BY: i64 = 36;

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Warnings of a usable site.yaml (a starter form's placeholder id): reported by the build.
    pub warnings: Vec<Diagnostic>,
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// Path part of `base_url` (`/` or `/portal/`); every internal URL starts with it.
    pub base_path: String,
    pub language: String,
    pub theme: String,
    pub paginate_by: usize,
    /// Offset from UTC in minutes; dates without a zone are in this zone.
    pub timezone: i32,
    /// Who runs the portal (a prefecture, a town hall); publisher in feeds and structured data.
    pub organization: String,
    pub copyright: Option<String>,
    /// Default OGP image, a path under static/ (`/images/ogp.png`) or an https URL.
    pub default_image: Option<String>,
    pub twitter_site: Option<String>,
    /// Main navigation; when absent, the sections and the about page.
    pub menu: Option<Vec<MenuItem>>,
    /// Footer links; when absent, the plain pages.
    pub footer_menu: Option<Vec<MenuItem>>,
    /// Challenges whose deadline is this close are marked "closing soon".
    pub closing_soon_days: i64,
    pub feed_limit: usize,
    pub markdown: MarkdownConfig,
    /// Taxonomies with term pages, in menu order.
    pub taxonomies: Vec<TaxonomyKind>,
    pub accessibility: AccessibilityConfig,
    /// Build the full-text search index and the /search/ page.
    pub search: bool,
    /// `search.synonyms`: groups of words the search treats as one spelling.
    pub search_synonyms: Vec<Vec<String>>,
    pub forms: crate::forms::FormsConfig,
    /// `security:`: extra Content-Security-Policy sources, the unsafe opt-in, `_headers`.
    pub security: crate::csp::SecurityConfig,
}

const KEYS: [&str; 21] = [
    "security",
    "forms",
    "search",
    "taxonomies",
    "accessibility",
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "paginate_by",
    "timezone",
    "organization",
    "copyright",
    "default_image",
    "twitter_site",
    "menu",
    "footer_menu",
    "closing_soon_days",
    "feed_limit",
    "markdown",
];

impl Config {
    /// Reads `root/site.yaml`. I/O problems and content problems both come back as diagnostics.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join("site.yaml");
        let limit = crate::content::MAX_FILE_BYTES;
        let text = match crate::content::read_limited(&path, limit) {
            Ok(Some(b)) => match String::from_utf8(b) {
                Ok(t) => t,
                Err(_) => return Err(vec![Diagnostic::error("site.yaml", Problem::NotUtf8)]),
            },
            Ok(None) => {
                let problem = Problem::Text(TextProblem::FileTooLarge {
                    limit_mib: limit >> 20,
                });
                return Err(vec![Diagnostic::error("site.yaml", problem)]);
            }
            Err(_) => {
                return Err(vec![Diagnostic::error(
                    "site.yaml",
                    Problem::MissingSiteConfig,
                )])
            }
        };
        Config::parse(&text)
    }

    /// Parses the text of a site.yaml. The text is normalised to NFC first (see
    /// [`crate::unicode::nfc`]), so every value, and every position, is in NFC.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse_nfc(&crate::unicode::as_read(text.to_string()))
    }

    fn parse_nfc(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let file = Path::new("site.yaml");
        let doc = yaml::parse_mapping(text.trim_start_matches('\u{feff}'), 1)
            .map_err(|e| vec![Diagnostic::error(file, e.problem).at(text, e.line, e.column)])?;
        let mut f = Fields::new(&doc, text, file, 1);
        let title = f.req_text("title").unwrap_or_default();
        let description = f.text("description").unwrap_or_default();
        let base_url_raw = f.req_text("base_url").unwrap_or_default();
        let language = f.text("language").unwrap_or_else(|| "ja".into());
        let theme = f.text("theme").unwrap_or_else(|| "default".into());
        let paginate_by = f.integer("paginate_by").unwrap_or(DEFAULT_PAGINATE_BY);
        let tz_raw = f.text("timezone").unwrap_or_else(|| "+09:00".into());
        let organization = f.text("organization").unwrap_or_else(|| title.clone());
        let copyright = f.text("copyright");
        let default_image = f.url("default_image", crate::urls::Use::Image);
        let twitter_site = f.text("twitter_site");
        let main_menu = read_menu(&mut f, text, "menu");
        let footer_menu = read_menu(&mut f, text, "footer_menu");
        let closing_soon_days = f.integer("closing_soon_days").unwrap_or(14);
        let feed_limit = f.integer("feed_limit").unwrap_or(20);
        let (markdown, mut sub_diags) = read_markdown(&mut f, text, file);
        let mut invalid = Vec::new();
        let base_url = normalise_base_url(&base_url_raw);
        let reported = checks::report(&mut f, &base_url_raw, &language);
        if !reported && !base_url_raw.is_empty() && base_url.is_none() {
            invalid.push(("base_url", base_url_raw.clone(), Text::new("why-base-url")));
        }
        let timezone = date::parse_offset(&tz_raw);
        invalid.extend(out_of_range(
            (&tz_raw, timezone),
            paginate_by,
            closing_soon_days,
            feed_limit,
            &theme,
        ));
        for (field, value, why) in invalid {
            f.problem_at(
                field,
                Problem::InvalidSiteValue {
                    field: field.into(),
                    value,
                    why,
                },
            );
        }
        let taxonomies = read_taxonomies(&mut f);
        let (search, search_synonyms, d) = search::read(&mut f, text, file);
        sub_diags.extend(d);
        let mut forms = crate::forms::FormsConfig::default();
        if let Some(fdoc) = f.sub("forms") {
            let (fc, d) = crate::forms::FormsConfig::parse(&fdoc, text, file);
            forms = fc;
            sub_diags.extend(d);
        }
        let (security, d) =
            crate::csp::SecurityConfig::read(&mut f, &doc, text, &forms, &markdown.allow_iframes);
        sub_diags.extend(d);
        let (accessibility, d) = read_accessibility(&mut f, text, file);
        sub_diags.extend(d);
        let mut diags = f.finish(&KEYS);
        diags.extend(sub_diags);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        let base_url = base_url.unwrap_or_default();
        let base_path = crate::urls::base_path(&base_url);
        Ok(Config {
            warnings: diags,
            title,
            description,
            base_url,
            base_path,
            language,
            theme,
            paginate_by: paginate_by as usize,
            timezone: timezone.unwrap_or(540),
            organization,
            copyright,
            default_image,
            twitter_site,
            menu: main_menu,
            footer_menu,
            closing_soon_days,
            feed_limit: feed_limit as usize,
            markdown,
            taxonomies,
            accessibility,
            search,
            search_synonyms,
            forms,
            security,
        })
    }

    /// Replaces the base URL (for preview deployments: `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> bool {
        match normalise_base_url(url) {
            Some(u) => {
                self.base_path = crate::urls::base_path(&u);
                self.base_url = u;
                true
            }
            None => false,
        }
    }

    /// The maker of this site's URLs and output paths.
    pub fn urls(&self) -> crate::urls::Urls<'_> {
        crate::urls::Urls::new(&self.base_url, &self.base_path)
    }
}

fn read_menu(f: &mut Fields<'_>, text: &str, key: &str) -> Option<Vec<MenuItem>> {
    let node = f.node(key)?;
    let Node::Seq(items) = node else {
        f.problem_at(
            key,
            Problem::WrongType {
                field: key.into(),
                expected: Expected::List,
            },
        );
        return None;
    };
    let mut out = Vec::new();
    for it in items {
        let Node::Map(m) = it else {
            f.problem_at(key, Problem::MenuItemNotMapping { key: key.into() });
            return None;
        };
        let get = |k: &str| {
            m.iter()
                .find(|(x, _)| x == k)
                .and_then(|(_, v)| v.as_text())
        };
        match (get("name"), get("url")) {
            (Some(name), Some(url)) if m.len() == 2 => out.push(MenuItem { name, url }),
            _ => {
                f.problem_at(key, Problem::MenuItemNotMapping { key: key.into() });
                return None;
            }
        }
    }
    Some(checked_menu(f, text, key, out))
}

/// Keeps the menu items whose URL the URL policy allows as a link; reports each other one at
/// its own `url:` value (line and column), so staff see which item is wrong.
fn checked_menu(f: &mut Fields<'_>, text: &str, key: &str, items: Vec<MenuItem>) -> Vec<MenuItem> {
    let list = f.pos(key);
    let mut out = Vec::with_capacity(items.len());
    for (i, mut item) in items.into_iter().enumerate() {
        item.url = item.url.trim().to_string();
        let Err(reason) = crate::urls::check(&item.url, crate::urls::Use::Link) else {
            out.push(item);
            continue;
        };
        let field = format!("{key}[{}].url", i + 1);
        let (line, col) =
            yaml::nth_value_pos(text, list, "url", i).unwrap_or((list.line, list.value_col));
        let span = text
            .lines()
            .nth(line.saturating_sub(1))
            .map_or(1, |l| l.trim_end().chars().count().saturating_sub(col - 1));
        let refused = crate::urls::Refused::new(&field, &item.url, reason, crate::urls::Use::Link);
        f.diags.push(
            Diagnostic::error("site.yaml", Problem::UrlRefused(refused))
                .at(text, line, col)
                .with_span(span),
        );
    }
    out
}

/// `markdown:` (allowed raw HTML and iframe hosts) and the problems inside it.
fn read_markdown(f: &mut Fields<'_>, text: &str, file: &Path) -> (MarkdownConfig, Vec<Diagnostic>) {
    let mut markdown = MarkdownConfig::default();
    let mut diags = Vec::new();
    if let Some(sub) = f.sub("markdown") {
        let mut m = Fields::new(&sub, text, file, 1);
        markdown.allow_html = m.boolean("allow_html");
        markdown.allow_iframes = m
            .list("allow_iframes")
            .into_iter()
            .map(|h| crate::csp::iframe_host(&h).unwrap_or(h)) // canonical, or reported
            .collect();
        diags = m.finish(&["allow_html", "allow_iframes"]);
    }
    (markdown, diags)
}

/// The values of site.yaml outside what they may be, as (field, value, how to write it), in
/// the order they are reported.
fn out_of_range(
    tz: (&str, Option<i32>),
    paginate_by: i64,
    closing_soon_days: i64,
    feed_limit: i64,
    theme: &str,
) -> Vec<(&'static str, String, Text)> {
    let mut invalid = Vec::new();
    if tz.1.is_none() {
        invalid.push(("timezone", tz.0.to_string(), Text::new("why-timezone")));
    }
    if !(1..=1000).contains(&paginate_by) {
        invalid.push((
            "paginate_by",
            paginate_by.to_string(),
            Text::new("why-range-1-1000"),
        ));
    }
    if !(0..=365).contains(&closing_soon_days) {
        invalid.push((
            "closing_soon_days",
            closing_soon_days.to_string(),
            Text::new("why-range-0-365"),
        ));
    }
    if !(1..=1000).contains(&feed_limit) {
        invalid.push((
            "feed_limit",
            feed_limit.to_string(),
            Text::new("why-range-1-1000"),
        ));
    }
    if !theme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        invalid.push(("theme", theme.to_string(), Text::new("why-theme-name")));
    }
    invalid
}

/// `taxonomies:` (all of them when absent), each once; unknown names reported with a
/// "did you mean".
fn read_taxonomies(f: &mut Fields<'_>) -> Vec<TaxonomyKind> {
    match f.node("taxonomies") {
        None => TaxonomyKind::ALL.to_vec(),
        Some(_) => {
            let mut out = Vec::new();
            for name in f.list("taxonomies") {
                match TaxonomyKind::from_key(&name) {
                    Some(k) if !out.contains(&k) => out.push(k),
                    Some(_) => {}
                    None => {
                        let allowed: Vec<String> = TaxonomyKind::ALL
                            .iter()
                            .map(|k| k.key().to_string())
                            .collect();
                        let suggestion =
                            crate::suggest::did_you_mean(&name, allowed.iter().map(String::as_str));
                        f.problem_at(
                            "taxonomies",
                            Problem::InvalidChoice {
                                field: "taxonomies".into(),
                                value: name,
                                allowed,
                                suggestion,
                            },
                        );
                    }
                }
            }
            out
        }
    }
}

/// `accessibility:` (what the accessibility-policy page states) and the problems inside it.
fn read_accessibility(
    f: &mut Fields<'_>,
    text: &str,
    file: &Path,
) -> (AccessibilityConfig, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut accessibility = AccessibilityConfig::default();
    if let Some(sub) = f.sub("accessibility") {
        let mut a = Fields::new(&sub, text, file, 1);
        if let Some(v) = a.text("standard") {
            accessibility.standard = v;
        }
        if let Some(v) = a.choice(
            "level",
            &[
                ("A", "A"),
                ("AA", "AA"),
                ("AAA", "AAA"),
                ("a", "A"),
                ("aa", "AA"),
                ("aaa", "AAA"),
            ],
        ) {
            accessibility.level = v.into();
        }
        if let Some(v) = a.choice(
            "conformance",
            &[("準拠", "準拠"), ("一部準拠", "一部準拠"), ("配慮", "配慮")],
        ) {
            accessibility.conformance = v.into();
        }
        if let Some(v) = a.text("scope") {
            accessibility.scope = v;
        }
        diags = a.finish(&["standard", "level", "conformance", "scope"]);
    }
    (accessibility, diags)
}

fn normalise_base_url(u: &str) -> Option<String> {
    let u = u.trim();
    // The base URL prefixes every absolute URL (canonical, og:url, feeds): the URL policy's
    // rules hold for it too (no hidden characters, backslashes or a disguised scheme), and
    // those of a base URL (no quote, user name or password, a real port).
    if checks::base_url_refusal(u).is_some() {
        return None;
    }
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.contains(char::is_whitespace) || u.contains(['?', '#']) {
        return None;
    }
    Some(if u.ends_with('/') {
        u.to_string()
    } else {
        format!("{u}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Lang;

    #[test]
    fn defaults_and_base_path() {
        let c = Config::parse("title: テスト\nbase_url: https://example.jp/portal\n").unwrap();
        assert_eq!(c.base_url, "https://example.jp/portal/");
        assert_eq!(c.base_path, "/portal/");
        assert_eq!(c.language, "ja");
        assert_eq!(c.paginate_by, 36);
        assert_eq!(c.timezone, 540);
        assert_eq!(
            c.urls().absolute("/portal/challenges/"),
            "https://example.jp/portal/challenges/"
        );
    }

    #[test]
    fn unknown_keys_get_did_you_mean() {
        let e = Config::parse("title: t\nbase_url: https://e.jp/\npaginte_by: 3\n").unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 3);
        assert_eq!(
            e[0].problem,
            Problem::UnknownField {
                field: "paginte_by".into(),
                suggestion: Some("paginate_by".into())
            }
        );
    }

    #[test]
    fn nested_and_invalid_values() {
        let e = Config::parse("title: t\nbase_url: ftp://x\nmarkdown:\n  allow_iframe: [a]\n")
            .unwrap_err();
        assert!(
            e.iter()
                .any(|d| d.line == 2 && matches!(d.problem, Problem::UrlRefused(_))),
            "{e:?}"
        );
        assert!(e.iter().any(|d| d.line == 4 && matches!(&d.problem, Problem::UnknownField { suggestion: Some(s), .. } if s == "allow_iframes")), "{e:?}");
    }

    #[test]
    fn yaml_syntax_errors_in_site_yaml_name_no_wrong_file_kind() {
        let e = Config::parse("title: [テスト\nbase_url: https://e.jp/\n").unwrap_err();
        assert!(matches!(e[0].problem, Problem::YamlSyntax { .. }), "{e:?}");
        let (ja, en) = (Lang::Ja, Lang::En);
        assert!(!e[0].problem.message(ja).contains("フロントマター"));
        assert!(!e[0].problem.message(en).contains("front matter"));
    }

    #[test]
    fn site_yaml_is_read_as_nfc() {
        let c = Config::parse(
            "title: か\u{3099}っこう\nbase_url: https://e.jp/\norganization: \"ハ\\u309A\"\n",
        )
        .unwrap();
        assert_eq!(
            (c.title.as_str(), c.organization.as_str()),
            ("がっこう", "パ")
        );
    }

    #[test]
    fn control_characters_in_site_yaml_are_refused_with_their_position() {
        let e = Config::parse("title: t\nbase_url: https://e.jp/\ndescription: 町の\u{1}紹介\n")
            .unwrap_err();
        assert_eq!((e[0].line, e[0].column), (3, 16), "{e:?}");
        assert_eq!(
            e[0].problem,
            Problem::Text(TextProblem::ControlCharacter {
                code_point: "U+0001".into()
            })
        );
        assert!(e[0]
            .problem
            .message(crate::diagnostics::Lang::Ja)
            .contains("U+0001"));
    }

    #[test]
    fn menus() {
        let c = Config::parse(
            "title: t\nbase_url: https://e.jp/\nmenu:\n  - name: 課題\n    url: /challenges/\n",
        )
        .unwrap();
        assert_eq!(
            c.menu.unwrap()[0],
            MenuItem {
                name: "課題".into(),
                url: "/challenges/".into()
            }
        );
    }
}
