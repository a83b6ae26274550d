//! What each provider reads from its handler (`provider`, `id`, `action`/`url`, `mode`) and what
//! it decides: the page a form posts to or opens, a fixed mode, the service's display name. Every
//! choice is an exhaustive match on [`Provider`], so a new provider must say what it does.

use super::names::{choices, Mode, Provider};
use crate::diagnostics::Problem;
use crate::fields::Fields;
use crate::messages::Text;
use crate::suggest::did_you_mean;
use crate::urls::{Reason, Refused, Use};
use crate::yaml::Doc;

impl Provider {
    /// The mode of providers that are a mode themselves; the others read `mode:`.
    pub fn fixed_mode(self) -> Option<Mode> {
        match self {
            Provider::Link => Some(Mode::Link),
            Provider::Embed => Some(Mode::Embed),
            Provider::Generic
            | Provider::Formspree
            | Provider::Netlify
            | Provider::Formrun
            | Provider::GoogleForms => None,
        }
    }

    /// True when the site itself receives the POST (Netlify): no outside host to allow.
    pub fn posts_to_site(self) -> bool {
        match self {
            Provider::Netlify => true,
            Provider::Generic
            | Provider::Formspree
            | Provider::Formrun
            | Provider::GoogleForms
            | Provider::Link
            | Provider::Embed => false,
        }
    }

    /// True when the form takes only its own field ids (`entries:`), not our field names.
    pub fn takes_entry_ids(self) -> bool {
        match self {
            Provider::GoogleForms => true,
            Provider::Generic
            | Provider::Formspree
            | Provider::Netlify
            | Provider::Formrun
            | Provider::Link
            | Provider::Embed => false,
        }
    }

    /// Display name of the service that stores submissions, when `privacy.service` is not set:
    /// a product name, or the theme's text (`strings.yaml`) where visitors read a description.
    pub fn service_name(self, strings: &crate::strings::Strings) -> &str {
        match self {
            Provider::Formspree => "Formspree",
            Provider::Netlify => "Netlify Forms",
            Provider::Formrun => "formrun",
            Provider::GoogleForms => &strings.form_service_google_forms,
            Provider::Generic | Provider::Link | Provider::Embed => &strings.form_service_generic,
        }
    }
}

/// Reads `provider:` (required). A missing or unknown one is reported here and comes back as
/// `None`: the handler is then read like a generic one, without the checks of its action.
pub(super) fn read_provider(f: &mut Fields<'_>) -> Option<Provider> {
    let name = f.req_text("provider")?;
    let provider = Provider::from_name(&name);
    if provider.is_none() {
        let suggestion = did_you_mean(&name, Provider::names());
        f.problem_at(
            "provider",
            Problem::InvalidChoice {
                field: "provider".into(),
                value: name,
                allowed: Provider::names().map(String::from).collect(),
                suggestion,
            },
        );
    }
    provider
}

/// Reads `mode:` unless the provider is a mode itself; `form` when not said (or misspelt).
pub(super) fn read_mode(f: &mut Fields<'_>, provider: Option<Provider>) -> Mode {
    if let Some(mode) = provider.and_then(Provider::fixed_mode) {
        return mode; // `mode:` stays unread: reported as unknown
    }
    f.choice("mode", &choices(Mode::names()))
        .and_then(Mode::from_name)
        .unwrap_or(Mode::Form)
}

/// The page a handler posts to (or opens): `given` (`action:`/`url:`), else made from `id`,
/// checked by the URL policy. Netlify always posts to the site itself.
pub(super) fn action(
    f: &mut Fields<'_>,
    doc: &Doc,
    provider: Provider,
    given: String,
    id: Option<&str>,
    mode: Mode,
) -> String {
    let mut action = match provider {
        Provider::Generic | Provider::Link | Provider::Embed => given,
        Provider::Formspree => from_id(f, given, id, |id| format!("https://formspree.io/f/{id}")),
        Provider::Formrun => from_id(f, given, id, |id| format!("https://form.run/api/v1/r/{id}")),
        Provider::GoogleForms => from_id(f, given, id, |id| google_forms_action(id, mode)),
        // The thanks page: Netlify stores the POST and shows it.
        Provider::Netlify => return "/thanks/".into(),
    };
    check_action(f, doc, &mut action);
    action
}

/// `given` when set, else the provider's URL for `id`; neither is reported at `provider`.
fn from_id(
    f: &mut Fields<'_>,
    given: String,
    id: Option<&str>,
    url: impl FnOnce(&str) -> String,
) -> String {
    if !given.is_empty() {
        return given;
    }
    match id {
        Some(id) => url(id),
        None => {
            f.problem_at("provider", Problem::MissingField { field: "id".into() });
            String::new()
        }
    }
}

/// A Google form's page: `viewform` opens it (link mode), `formResponse` takes our POST.
fn google_forms_action(id: &str, mode: Mode) -> String {
    let page = match mode {
        Mode::Link => "viewform",
        Mode::Form | Mode::Embed => "formResponse",
    };
    format!("https://docs.google.com/forms/d/e/{id}/{page}")
}

/// Reports a handler without an action, or one the URL policy refuses for posting personal
/// data (plain http stays `InsecureFormAction`); a refused action is cleared.
fn check_action(f: &mut Fields<'_>, doc: &Doc, action: &mut String) {
    let key = if doc.positions.contains_key("url") {
        "url"
    } else {
        "action"
    };
    if action.is_empty() {
        f.problem_at(
            "provider",
            Problem::MissingField {
                field: "action".into(),
            },
        );
        return;
    }
    let Err(reason) = crate::urls::check(action, Use::FormAction) else {
        return;
    };
    let problem = match reason {
        Reason::NotHttps => Problem::InsecureFormAction {
            url: action.clone(),
        },
        reason => Problem::UrlRefused(Refused::new(key, action, reason, Use::FormAction)),
    };
    f.problem_at(key, problem);
    action.clear();
}

/// Provider ids and captcha site keys go into URLs and attributes: letters, digits, `-`, `_`
/// (and `@`, which formrun uses) only, so an id can never change the host or add a query.
pub(super) fn valid_token(s: &str) -> bool {
    s.len() <= 200
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '@'))
}

/// The `id` `tsunagari init` writes into its starter form, to be replaced by the staff's own.
pub const PLACEHOLDER_ID: &str = "YOUR-FORM-ID";

/// Warns, at `id`, while a handler still has the starter's placeholder: the site builds and
/// previews, but nothing sent through the form arrives until staff set their form's id.
pub(super) fn check_placeholder(f: &mut Fields<'_>, handler: &str, id: Option<&str>) {
    if id == Some(PLACEHOLDER_ID) {
        let problem = crate::diagnostics::ConfigProblem::FormPlaceholder {
            handler: handler.into(),
            value: PLACEHOLDER_ID.into(),
        };
        f.warning_at_key("id", Problem::Config(problem));
    }
}

/// A provider id becomes part of the action URL: only a plain token.
pub(super) fn check_id(f: &mut Fields<'_>, id: Option<&str>) {
    if let Some(bad) = id.filter(|id| !valid_token(id)) {
        f.problem_at(
            "id",
            Problem::InvalidSiteValue {
                field: "id".into(),
                value: crate::urls::visible(bad),
                why: Text::new("why-form-id"),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use std::path::Path;

    /// Reads one handler's provider, mode and action as `Handler::parse` does.
    fn read(yaml: &str) -> (Option<Provider>, Mode, String, Vec<Diagnostic>) {
        let doc = crate::yaml::parse_mapping(yaml, 1).expect("yaml");
        let mut f = Fields::new(&doc, yaml, Path::new("site.yaml"), 1);
        let provider = read_provider(&mut f);
        let id = f.text("id");
        let given = f.text("action").unwrap_or_default();
        let mode = read_mode(&mut f, provider);
        let action = match provider {
            Some(p) => action(&mut f, &doc, p, given, id.as_deref(), mode),
            None => given,
        };
        check_id(&mut f, id.as_deref());
        (provider, mode, action, f.diags)
    }

    fn missing(d: &[Diagnostic]) -> Vec<String> {
        d.iter()
            .filter_map(|d| match &d.problem {
                Problem::MissingField { field } => Some(field.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn formspree_and_formrun_post_to_their_id() {
        let (p, mode, action, d) = read("provider: formspree\nid: xyz\n");
        assert_eq!((p, mode), (Some(Provider::Formspree), Mode::Form));
        assert_eq!(action, "https://formspree.io/f/xyz");
        assert!(d.is_empty(), "{d:?}");
        let (_, _, action, d) = read("provider: formrun\nid: '@abc'\n");
        assert_eq!(action, "https://form.run/api/v1/r/@abc");
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn a_provider_without_id_or_action_says_both_are_missing() {
        for provider in ["formspree", "formrun", "google_forms"] {
            let (_, _, action, d) = read(&format!("provider: {provider}\n"));
            assert_eq!(action, "");
            assert_eq!(missing(&d), ["id", "action"], "{provider}");
        }
        let (_, _, _, d) = read("provider: generic\n");
        assert_eq!(missing(&d), ["action"]);
    }

    #[test]
    fn an_id_that_is_not_a_token_is_refused() {
        let (_, _, _, d) = read("provider: formspree\nid: a/b?c\n");
        assert!(
            matches!(&d[..], [x] if matches!(&x.problem, Problem::InvalidSiteValue { field, .. } if field == "id")),
            "{d:?}"
        );
        assert_eq!(d[0].line, 2);
    }

    #[test]
    fn google_forms_opens_viewform_in_link_mode_and_posts_to_form_response() {
        let (_, mode, action, d) = read("provider: google_forms\nid: 1FAIpQ\n");
        assert_eq!(mode, Mode::Form);
        assert_eq!(
            action,
            "https://docs.google.com/forms/d/e/1FAIpQ/formResponse"
        );
        assert!(d.is_empty(), "{d:?}");
        let (_, mode, action, _) = read("provider: google_forms\nid: 1FAIpQ\nmode: LINK\n");
        assert_eq!(mode, Mode::Link);
        assert_eq!(action, "https://docs.google.com/forms/d/e/1FAIpQ/viewform");
    }

    #[test]
    fn netlify_posts_to_the_thanks_page_whatever_the_action() {
        let (p, _, action, d) = read("provider: netlify\naction: http://example.jp/\n");
        assert_eq!(p, Some(Provider::Netlify));
        assert_eq!(action, "/thanks/");
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn link_and_embed_are_their_own_mode_and_need_an_https_action() {
        let (_, mode, action, d) = read("provider: link\naction: https://example.jp/form\n");
        assert_eq!(
            (mode, action.as_str()),
            (Mode::Link, "https://example.jp/form")
        );
        assert!(d.is_empty(), "{d:?}");
        let (_, mode, action, d) = read("provider: embed\naction: http://example.jp/form\n");
        assert_eq!((mode, action.as_str()), (Mode::Embed, ""));
        assert!(
            matches!(&d[..], [x] if matches!(x.problem, Problem::InsecureFormAction { .. })),
            "{d:?}"
        );
    }

    #[test]
    fn an_unknown_provider_is_reported_with_a_suggestion_and_its_action_kept_unchecked() {
        let (p, mode, action, d) = read("provider: formspre\naction: http://example.jp/\n");
        assert_eq!(
            (p, mode, action.as_str()),
            (None, Mode::Form, "http://example.jp/")
        );
        match &d[..] {
            [x] => match &x.problem {
                Problem::InvalidChoice {
                    field,
                    suggestion,
                    allowed,
                    ..
                } => {
                    assert_eq!(field, "provider");
                    assert_eq!(suggestion.as_deref(), Some("formspree"));
                    assert_eq!(allowed.len(), Provider::ALL.len());
                }
                other => panic!("{other:?}"),
            },
            _ => panic!("{d:?}"),
        }
    }

    #[test]
    fn a_misspelt_mode_is_reported_and_read_as_form() {
        let (_, mode, _, d) = read("provider: generic\naction: https://a.jp/\nmode: lnk\n");
        assert_eq!(mode, Mode::Form);
        assert!(
            matches!(&d[..], [x] if matches!(&x.problem, Problem::InvalidChoice { field, .. } if field == "mode")),
            "{d:?}"
        );
    }

    #[test]
    fn only_netlify_posts_to_the_site_and_only_google_forms_takes_entry_ids() {
        for p in Provider::ALL {
            assert_eq!(p.posts_to_site(), *p == Provider::Netlify, "{p:?}");
            assert_eq!(p.takes_entry_ids(), *p == Provider::GoogleForms, "{p:?}");
        }
    }
}
