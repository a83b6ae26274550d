//! Checks of site.yaml values that end up in the output as they are written (the page's `lang`,
//! the base URL that prefixes every absolute URL) and of form field names, with their problems
//! for people ([`ConfigProblem`], wrapped in [`crate::diagnostics::Problem::Config`]).

use crate::diagnostics::Lang;
use crate::msg;
use crate::urls::{Reason, Refused, Use};

/// A problem of a site.yaml value found by this module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    /// `language` that is not a language tag (`ja`, `ja-JP`, `en`).
    Language { value: String },
    /// A form field named like a field, honeypot or control value our form or the provider
    /// uses; `owner` says whose (`tsunagari`, `formspree`…).
    ReservedFieldName { name: String, owner: &'static str },
    /// A Markdown image the image policy refuses (plain `http:`, `mailto:`…): removed.
    ImageRemoved(Refused),
}

impl ConfigProblem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ConfigProblem::Language { value } => {
                msg!(lang, "config-language", value = crate::urls::visible(value))
            }
            ConfigProblem::ReservedFieldName { name, owner } => {
                let owner = match *owner {
                    "tsunagari" => msg!(lang, "config-owner-tsunagari"),
                    o => o.to_string(),
                };
                msg!(
                    lang,
                    "config-reserved-field-name",
                    name = name,
                    owner = owner
                )
            }
            ConfigProblem::ImageRemoved(r) => {
                msg!(lang, "config-image-removed", refusal = r.message(lang))
            }
        }
    }

    pub fn help(&self, lang: Lang) -> String {
        match self {
            ConfigProblem::Language { .. } => msg!(lang, "config-language-help"),
            ConfigProblem::ReservedFieldName { .. } => {
                msg!(lang, "config-reserved-field-name-help")
            }
            ConfigProblem::ImageRemoved(r) => r.help(lang),
        }
    }
}

/// Reports a `language` that is not a language tag and a `base_url` the URL policy or
/// [`base_url_refusal`] refuses, each at its value; true when `base_url` was reported.
pub fn report(f: &mut crate::fields::Fields<'_>, base_url: &str, language: &str) -> bool {
    use crate::diagnostics::Problem;
    if !language_tag(language) {
        let value = language.to_string();
        f.problem_at(
            "language",
            Problem::Config(ConfigProblem::Language { value }),
        );
    }
    match base_url_refusal(base_url.trim()).filter(|_| !base_url.is_empty()) {
        Some(r) => f.problem_at("base_url", Problem::UrlRefused(r)),
        None => return false,
    }
    true
}

/// True for a language tag as `lang` needs it (BCP 47's shape): a primary subtag of 2–3
/// letters, then subtags of 1–8 letters or digits, joined by `-` (`ja`, `ja-JP`, `zh-Hant-TW`).
pub fn language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Why `base_url` is refused, as a URL problem, or `None` when [`crate::urls::check`] and the
/// base URL's own rules accept it: on top of the URL policy, no `'` (it is copied into every
/// absolute URL, in attributes of any quoting) and no empty or dot segment in the path.
pub fn base_url_refusal(u: &str) -> Option<Refused> {
    // The path prefixes every page URL: an empty or dot segment (`https://a.jp//portal/`) would
    // make every internal link `//portal/…`, a link to the host `portal`.
    let path = u.split_once("://").map_or("", |(_, r)| r);
    let path = &path[path.find('/').unwrap_or(path.len())..];
    let odd_path = path.contains("//") || path.split('/').any(|s| s == "." || s == "..");
    let reason = match crate::urls::check(u, Use::Website) {
        Err(r) => r,
        Ok(()) if u.contains('\'') => Reason::Unencoded('\''),
        Ok(()) if odd_path => Reason::HiddenNetworkPath,
        Ok(()) => return None,
    };
    Some(Refused::new("base_url", u, reason, Use::Website))
}

/// Field names a form may not give a field of its own, and whose they are: our fixed fields
/// and hidden values, the id our honeypot takes (`form-hp`), every provider's honeypot, and the
/// control names providers read from a post (Formspree's `_next` would let a visitor choose
/// where the form sends them). Names starting with `_` are kept for providers altogether.
pub fn reserved_field_name(name: &str) -> Option<&'static str> {
    const RESERVED: [(&str, &str); 11] = [
        ("consent", "tsunagari"),
        ("challenge", "tsunagari"),
        ("municipality", "tsunagari"),
        ("page_url", "tsunagari"),
        ("hp", "tsunagari"),
        ("website", "tsunagari"),
        ("form_name", "Netlify"),
        ("bot_field", "Netlify"),
        ("g_recaptcha_response", "reCAPTCHA"),
        ("h_captcha_response", "hCaptcha"),
        ("cf_turnstile_response", "Turnstile"),
    ];
    let lower = name.to_ascii_lowercase();
    if let Some((_, owner)) = RESERVED.iter().find(|(n, _)| *n == lower) {
        return Some(owner);
    }
    if lower.starts_with("_formrun") {
        return Some("formrun");
    }
    lower.starts_with('_').then_some("Formspree")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_letters_digits_and_hyphens() {
        for ok in ["ja", "en", "ja-JP", "zh-Hant-TW", "es-419"] {
            assert!(language_tag(ok), "{ok}");
        }
        for bad in [
            "ja\" onload=\"x",
            "",
            "j",
            "japanese",
            "ja_JP",
            "ja-",
            "-ja",
            "ja JP",
            "日本語",
        ] {
            assert!(!language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn base_urls_refuse_quotes_userinfo_and_bad_ports() {
        assert_eq!(base_url_refusal("https://kankei.example.jp/portal/"), None);
        let reason = |u: &str| base_url_refusal(u).map(|r| r.reason);
        assert_eq!(reason("https://a.jp/\"x"), Some(Reason::Unencoded('"')));
        assert_eq!(reason("https://a.jp/'x"), Some(Reason::Unencoded('\'')));
        assert_eq!(reason("https://a.jp/<x>"), Some(Reason::Unencoded('<')));
        assert_eq!(reason("https://a.jp/a b/"), Some(Reason::Unencoded(' ')));
        assert_eq!(reason("https://a:b@a.jp/"), Some(Reason::Userinfo));
        assert_eq!(
            reason("https://a.jp//portal/"),
            Some(Reason::HiddenNetworkPath)
        );
        assert_eq!(
            reason("https://a.jp/a/../"),
            Some(Reason::HiddenNetworkPath)
        );
        assert_eq!(
            reason("https://a.jp:99999999/"),
            Some(Reason::BadPort("99999999".into()))
        );
    }

    #[test]
    fn provider_and_form_names_are_reserved() {
        for name in [
            "hp",
            "website",
            "Website",
            "_gotcha",
            "_next",
            "_subject",
            "_replyto",
            "_formrun_gotcha",
            "consent",
            "challenge",
            "municipality",
            "page_url",
        ] {
            assert!(reserved_field_name(name).is_some(), "{name}");
        }
        assert_eq!(reserved_field_name("_next"), Some("Formspree"));
        for name in ["phone", "company_url", "role", "name", "message"] {
            assert_eq!(reserved_field_name(name), None, "{name}");
        }
    }
}
