//! Contact and apply forms as data: the handlers a site declares in `site.yaml` (`forms:`), their
//! providers, fields, privacy notice and spam protection, checked at build time, and the form
//! each page shows. The theme renders [`FormView`]; nothing here knows HTML.
//!
//! `names` is the one place a provider, mode, captcha or field type name becomes a variant;
//! `provider`, `fields`, `google`, `privacy` and `captcha` each read one part of a handler, and
//! `view` makes the form of a page. What a provider changes is an exhaustive match on
//! [`Provider`] (in `provider` and `view`; `csp` asks [`Provider::posts_to_site`]).
//!
//! ```yaml
//! forms:
//!   default: apply                 # the handler of every open challenge
//!   handlers:
//!     apply:
//!       provider: formspree        # generic | formspree | netlify | formrun | google_forms | link | embed
//!       id: xyzabcd
//!       privacy:
//!         purpose: 応募内容の確認と、課題を掲載した自治体への取り次ぎのため
//!         retention: 受付から1年間
//!       fields:                    # optional: change or add fields
//!         - { name: organization, required: true }
//!         - { name: phone, label: 電話番号, type: tel, autocomplete: tel }
//! ```

use crate::diagnostics::{Diagnostic, Expected, Problem};
use crate::fields::Fields;
use crate::suggest::did_you_mean;
use crate::yaml::{Doc, Node};
use std::collections::BTreeMap;
use std::path::Path;

mod captcha;
mod fields;
mod google;
mod names;
mod privacy;
mod provider;
mod reserved;
mod view;

pub use captcha::Captcha;
pub use fields::{default_fields, Field};
pub use names::{CaptchaProvider, FieldKind, Mode, Provider};
pub use privacy::Privacy;
pub use provider::PLACEHOLDER_ID;
pub use view::{FormContext, FormView, NameValue};

/// The keys of one handler.
const HANDLER_KEYS: [&str; 11] = [
    "provider",
    "id",
    "action",
    "url",
    "mode",
    "fields",
    "entries",
    "privacy",
    "captcha",
    "submit_label",
    "service",
];

/// A handler declared in `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handler {
    pub name: String,
    /// The provider; one that is missing or unknown (reported) is read as [`Provider::Generic`].
    pub provider: Provider,
    pub mode: Mode,
    /// Where the form posts (or, for link/embed, the page it opens).
    pub action: String,
    pub fields: Vec<Field>,
    /// Google Forms: our field → `entry.N`, for hidden fields too.
    pub entries: BTreeMap<String, String>,
    pub privacy: Privacy,
    pub captcha: Option<Captcha>,
    /// `submit_label:`; without it the button says the theme's `form_submit`.
    pub submit_label: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormsConfig {
    pub default: Option<String>,
    pub handlers: BTreeMap<String, Handler>,
    /// Line of `forms:` in site.yaml, for site-wide problems (no privacy page).
    pub line: usize,
}

/// `https://…`, or `http://` on a loopback host (for local testing), and nothing the URL policy
/// refuses ([`crate::urls::Use::FormAction`]).
pub fn acceptable_action(url: &str) -> bool {
    crate::urls::allowed(url, crate::urls::Use::FormAction)
}

impl FormsConfig {
    /// Reads `forms:` from site.yaml. Every problem is reported with its line.
    pub fn parse(doc: &Doc, text: &str, file: &Path) -> (FormsConfig, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut f = Fields::new(doc, text, file, doc.first_line);
        let default = f.text("default");
        let mut handlers = BTreeMap::new();
        if let Some(hdoc) = f.sub("handlers") {
            for (name, _) in &hdoc.entries {
                let mut hf = Fields::new(&hdoc, text, file, hdoc.first_line);
                let one = hf.sub(name);
                // Only `name` is read here: the other handlers are not unknown keys.
                diags.extend(hf.diags);
                if let Some(one) = one {
                    let (h, d) = Handler::parse(name, &one, text, file);
                    diags.extend(d);
                    handlers.insert(name.clone(), h);
                }
            }
        }
        if let Some(d) = &default {
            if !handlers.contains_key(d) {
                let suggestion = did_you_mean(d, handlers.keys().map(String::as_str));
                f.problem_at(
                    "default",
                    Problem::UnknownForm {
                        name: d.clone(),
                        suggestion,
                    },
                );
            }
        }
        diags.extend(f.finish(&["default", "handlers"]));
        (
            FormsConfig {
                default,
                handlers,
                line: doc.first_line,
            },
            diags,
        )
    }

    /// The handler a page shows: `form: false` → none; `form: name` → that one; else the
    /// default for challenges.
    pub fn handler_for(&self, choice: &FormChoice, is_challenge: bool) -> Option<&Handler> {
        match choice {
            FormChoice::None => None,
            FormChoice::Named(n) => self.handlers.get(n),
            FormChoice::Default if is_challenge => {
                self.default.as_ref().and_then(|d| self.handlers.get(d))
            }
            FormChoice::Default => None,
        }
    }
}

/// What a page's front matter says about its form.
#[derive(Debug, Clone, Hash, Default, PartialEq, Eq)]
pub enum FormChoice {
    /// Not said: challenges use `forms.default`, other pages have none.
    #[default]
    Default,
    /// `form: false`
    None,
    /// `form: <handler>`
    Named(String),
}

/// Reads `form:` from front matter.
pub fn read_choice(f: &mut Fields<'_>) -> (FormChoice, (usize, usize)) {
    let p = f.pos("form");
    let choice = match f.node("form") {
        None | Some(Node::Null) => FormChoice::Default,
        Some(Node::Bool(false)) => FormChoice::None,
        Some(Node::Str(s)) if !s.trim().is_empty() => FormChoice::Named(s.trim().to_string()),
        Some(_) => {
            f.problem_at(
                "form",
                Problem::WrongType {
                    field: "form".into(),
                    expected: Expected::Text,
                },
            );
            FormChoice::Default
        }
    };
    (choice, (p.line, p.value_col))
}

impl Handler {
    /// Reads one handler, part by part, in the order its problems are reported.
    fn parse(name: &str, doc: &Doc, text: &str, file: &Path) -> (Handler, Vec<Diagnostic>) {
        let mut f = Fields::new(doc, text, file, doc.first_line);
        let provider = provider::read_provider(&mut f);
        let id = f.text("id");
        let given = (f.text("action").or_else(|| f.text("url"))).unwrap_or_default();
        let mode = provider::read_mode(&mut f, provider);
        let action = match provider {
            Some(p) => provider::action(&mut f, doc, p, given, id.as_deref(), mode),
            None => given,
        };
        provider::check_id(&mut f, id.as_deref());
        provider::check_placeholder(&mut f, name, id.as_deref());
        let mut fields = fields::read(&mut f, (doc, text, file));
        let entries = google::read_entries(&mut f);
        if provider.is_some_and(Provider::takes_entry_ids) {
            google::map_fields(&mut f, &mut fields, &entries);
        }
        let privacy = privacy::read(&mut f, (doc, text, file));
        let captcha = captcha::read(&mut f, text, file);
        let submit_label = f.text("submit_label");
        let _ = f.text("service"); // accepted where `privacy.service` belongs
        let handler = Handler {
            name: name.into(),
            provider: provider.unwrap_or(Provider::Generic),
            mode,
            action,
            fields,
            entries,
            privacy,
            captcha,
            submit_label,
        };
        (handler, f.finish(&HANDLER_KEYS))
    }
}

#[cfg(test)]
mod tests;
