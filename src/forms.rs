//! Contact and apply forms as data: the handlers a site declares in `site.yaml` (`forms:`), their
//! providers, fields, privacy notice and spam protection, checked at build time, and the form
//! each page shows. The theme renders [`FormView`]; nothing here knows HTML.
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
use crate::messages::Text;
use crate::suggest::did_you_mean;
use crate::yaml::{Doc, Node};
use std::collections::BTreeMap;
use std::path::Path;

pub const PROVIDERS: [&str; 7] = [
    "generic",
    "formspree",
    "netlify",
    "formrun",
    "google_forms",
    "link",
    "embed",
];
const MODES: [(&str, &str); 3] = [("form", "form"), ("link", "link"), ("embed", "embed")];
const CAPTCHAS: [(&str, &str); 3] = [
    ("turnstile", "turnstile"),
    ("hcaptcha", "hcaptcha"),
    ("recaptcha", "recaptcha"),
];
const FIELD_TYPES: [(&str, &str); 7] = [
    ("text", "text"),
    ("email", "email"),
    ("tel", "tel"),
    ("url", "url"),
    ("textarea", "textarea"),
    ("select", "select"),
    ("number", "number"),
];

/// One visible field of a form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Field {
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    pub autocomplete: Option<String>,
    pub options: Vec<String>,
    /// The name the field is posted under (a Google Forms `entry.N`, else `name`).
    pub post_name: String,
}

/// The fields every form starts with; `fields:` in a handler changes or adds to them.
pub fn default_fields() -> Vec<Field> {
    let f = |name: &str, label: &str, kind: &str, required: bool, ac: Option<&str>| Field {
        name: name.into(),
        label: label.into(),
        kind: kind.into(),
        required,
        autocomplete: ac.map(Into::into),
        options: Vec::new(),
        post_name: name.into(),
    };
    vec![
        f("name", "お名前", "text", true, Some("name")),
        f("email", "メールアドレス", "email", true, Some("email")),
        f(
            "organization",
            "ご所属（会社・団体名など）",
            "text",
            false,
            Some("organization"),
        ),
        f("message", "お問い合わせ内容", "textarea", true, None),
    ]
}

/// Privacy notice shown next to the consent box.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Privacy {
    pub purpose: String,
    /// Department that receives the submissions; default: the challenge's organisation or
    /// municipality, or the site's organisation.
    pub recipient: Option<String>,
    /// The service that stores them; default: the provider's name.
    pub service: Option<String>,
    pub retention: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Captcha {
    pub provider: String,
    pub sitekey: String,
}

/// A handler declared in `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handler {
    pub name: String,
    pub provider: String,
    pub mode: String,
    /// Where the form posts (or, for link/embed, the page it opens).
    pub action: String,
    pub fields: Vec<Field>,
    /// Google Forms: our field → `entry.N`, for hidden fields too.
    pub entries: BTreeMap<String, String>,
    pub privacy: Privacy,
    pub captcha: Option<Captcha>,
    pub submit_label: String,
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

/// Provider ids and captcha site keys go into URLs and attributes: letters, digits, `-`, `_`
/// (and `@`, which formrun uses) only, so an id can never change the host or add a query.
fn valid_token(s: &str) -> bool {
    s.len() <= 200
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '@'))
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
    let Err(reason) = crate::urls::check(action, crate::urls::Use::FormAction) else {
        return;
    };
    let problem = match reason {
        crate::urls::Reason::NotHttps => Problem::InsecureFormAction {
            url: action.clone(),
        },
        reason => Problem::UrlRefused(crate::urls::Refused::new(
            key,
            action,
            reason,
            crate::urls::Use::FormAction,
        )),
    };
    f.problem_at(key, problem);
    action.clear();
}

/// A Google Forms `entry.N` (digits), used by one field only: it becomes a `name` attribute.
fn valid_entry(entries: &BTreeMap<String, String>, v: &str) -> bool {
    let digits = v.strip_prefix("entry.").unwrap_or("");
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && entries.values().filter(|x| *x == v).count() == 1
}

/// Reports a field named like one our form or the provider uses, at the `index`-th item's
/// `name:` (see [`crate::config::reserved_field_name`]); true when it was reported.
fn reserved(f: &mut Fields<'_>, at: (&Doc, &str, &Path), index: usize, name: &str) -> bool {
    let (doc, text, file) = at;
    let Some(owner) = crate::config::reserved_field_name(name) else {
        return false;
    };
    let problem = crate::config::ConfigProblem::ReservedFieldName {
        name: name.into(),
        owner,
    };
    let list = doc.pos("fields");
    let (line, col) = crate::config::nth_value_pos(text, list, "name", index)
        .unwrap_or((list.line, list.value_col));
    f.diags
        .push(Diagnostic::error(file, Problem::Config(problem)).at(text, line, col));
    true
}

/// A provider id becomes part of the action URL: only a plain token.
fn check_id(f: &mut Fields<'_>, id: Option<&str>) {
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
                let Some(one) = hf.sub(name) else {
                    diags.extend(hf.finish(&[]));
                    continue;
                };
                diags.extend(hf.diags);
                let (h, d) = Handler::parse(name, &one, text, file);
                diags.extend(d);
                handlers.insert(name.clone(), h);
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
    fn parse(name: &str, doc: &Doc, text: &str, file: &Path) -> (Handler, Vec<Diagnostic>) {
        let mut f = Fields::new(doc, text, file, doc.first_line);
        let provider = f.req_text("provider").unwrap_or_default();
        if !provider.is_empty() && !PROVIDERS.contains(&provider.as_str()) {
            let suggestion = did_you_mean(&provider, PROVIDERS);
            f.problem_at(
                "provider",
                Problem::InvalidChoice {
                    field: "provider".into(),
                    value: provider.clone(),
                    allowed: PROVIDERS.iter().map(|s| s.to_string()).collect(),
                    suggestion,
                },
            );
        }
        let id = f.text("id");
        let mut action = f
            .text("action")
            .or_else(|| f.text("url"))
            .unwrap_or_default();
        let mode = match provider.as_str() {
            "link" => "link".to_string(),
            "embed" => "embed".to_string(),
            _ => f.choice("mode", &MODES).unwrap_or("form").to_string(),
        };
        match provider.as_str() {
            "formspree" if action.is_empty() => match &id {
                Some(id) => action = format!("https://formspree.io/f/{id}"),
                None => f.problem_at("provider", Problem::MissingField { field: "id".into() }),
            },
            "formrun" if action.is_empty() => match &id {
                Some(id) => action = format!("https://form.run/api/v1/r/{id}"),
                None => f.problem_at("provider", Problem::MissingField { field: "id".into() }),
            },
            "google_forms" if action.is_empty() => match &id {
                Some(id) => {
                    let page = if mode == "link" {
                        "viewform"
                    } else {
                        "formResponse"
                    };
                    action = format!("https://docs.google.com/forms/d/e/{id}/{page}");
                }
                None => f.problem_at("provider", Problem::MissingField { field: "id".into() }),
            },
            "netlify" => action = "/thanks/".into(),
            _ => {}
        }
        if provider != "netlify" && !provider.is_empty() && PROVIDERS.contains(&provider.as_str()) {
            check_action(&mut f, doc, &mut action);
        }
        check_id(&mut f, id.as_deref());
        // Fields: the defaults, changed or extended by `fields:`.
        let mut fields = default_fields();
        if let Some(Node::Seq(items)) = f.node("fields") {
            for (index, item) in items.iter().enumerate() {
                let Node::Map(m) = item else {
                    f.problem_at(
                        "fields",
                        Problem::WrongType {
                            field: "fields".into(),
                            expected: Expected::Mapping,
                        },
                    );
                    continue;
                };
                let get = |k: &str| m.iter().find(|(x, _)| x == k).map(|(_, v)| v);
                let Some(fname) = get("name").and_then(Node::as_text) else {
                    f.problem_at(
                        "fields",
                        Problem::MissingField {
                            field: "fields[].name".into(),
                        },
                    );
                    continue;
                };
                for (k, _) in m {
                    const KNOWN: [&str; 6] = [
                        "name",
                        "label",
                        "type",
                        "required",
                        "autocomplete",
                        "options",
                    ];
                    if !KNOWN.contains(&k.as_str()) {
                        let suggestion = did_you_mean(k, KNOWN);
                        f.problem_at(
                            "fields",
                            Problem::UnknownField {
                                field: format!("fields[].{k}"),
                                suggestion,
                            },
                        );
                    }
                }
                let valid_name = !fname.is_empty()
                    && fname.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if valid_name && reserved(&mut f, (doc, text, file), index, &fname) {
                    continue;
                }
                if !valid_name {
                    f.problem_at(
                        "fields",
                        Problem::InvalidSiteValue {
                            field: "fields[].name".into(),
                            value: fname.clone(),
                            why: Text::new("why-form-field-name"),
                        },
                    );
                    continue;
                }
                let idx = fields
                    .iter()
                    .position(|x| x.name == fname)
                    .unwrap_or_else(|| {
                        // New fields go before the message.
                        let at = fields
                            .iter()
                            .position(|x| x.name == "message")
                            .unwrap_or(fields.len());
                        fields.insert(
                            at,
                            Field {
                                name: fname.clone(),
                                label: fname.clone(),
                                kind: "text".into(),
                                required: false,
                                autocomplete: None,
                                options: Vec::new(),
                                post_name: fname.clone(),
                            },
                        );
                        at
                    });
                let field = &mut fields[idx];
                if let Some(l) = get("label").and_then(Node::as_text) {
                    field.label = l;
                }
                if let Some(t) = get("type").and_then(Node::as_text) {
                    match FIELD_TYPES.iter().find(|(k, _)| *k == t) {
                        Some((_, canon)) => field.kind = (*canon).into(),
                        None => f.problem_at(
                            "fields",
                            Problem::InvalidChoice {
                                field: "fields[].type".into(),
                                value: t.clone(),
                                allowed: FIELD_TYPES.iter().map(|(k, _)| k.to_string()).collect(),
                                suggestion: did_you_mean(&t, FIELD_TYPES.iter().map(|(k, _)| *k)),
                            },
                        ),
                    }
                }
                if let Some(Node::Bool(b)) = get("required") {
                    field.required = *b;
                }
                if let Some(a) = get("autocomplete").and_then(Node::as_text) {
                    field.autocomplete = Some(a);
                }
                if let Some(Node::Seq(opts)) = get("options") {
                    field.options = opts.iter().filter_map(Node::as_text).collect();
                }
                if field.kind == "select" && field.options.is_empty() {
                    f.problem_at(
                        "fields",
                        Problem::MissingField {
                            field: format!("fields[{fname}].options"),
                        },
                    );
                }
            }
        } else if f.node("fields").is_some() {
            f.problem_at(
                "fields",
                Problem::WrongType {
                    field: "fields".into(),
                    expected: Expected::List,
                },
            );
        }
        // Google Forms: every field (and the hidden ones we send) maps to an entry.N id.
        let mut entries = BTreeMap::new();
        if let Some(Node::Map(m)) = f.node("entries") {
            for (k, v) in m {
                if let Some(v) = v.as_text() {
                    entries.insert(k.clone(), v);
                }
            }
        }
        if provider == "google_forms" {
            for field in &mut fields {
                match entries.get(&field.name) {
                    Some(e) => field.post_name = e.clone(),
                    None if field.required => f.problem_at(
                        "entries",
                        Problem::MissingFormEntry {
                            field: field.name.clone(),
                        },
                    ),
                    None => {}
                }
            }
            // Unmapped optional fields cannot be posted: drop them.
            fields.retain(|x| entries.contains_key(&x.name));
            for (k, v) in &entries {
                if !valid_entry(&entries, v) {
                    f.problem_at(
                        "entries",
                        Problem::InvalidSiteValue {
                            field: format!("entries.{k}"),
                            value: v.clone(),
                            why: Text::new("why-form-entry"),
                        },
                    );
                }
            }
        }
        // Privacy notice.
        let mut privacy = Privacy::default();
        match f.sub("privacy") {
            Some(pdoc) => {
                let mut pf = Fields::new(&pdoc, text, file, pdoc.first_line);
                privacy.purpose = pf.req_text("purpose").unwrap_or_default();
                privacy.recipient = pf.text("recipient");
                privacy.service = pf.text("service");
                privacy.retention = pf.text("retention");
                let mut d = pf.finish(&["purpose", "recipient", "service", "retention"]);
                for x in &mut d {
                    if let Problem::MissingField { field } = &mut x.problem {
                        *field = "privacy.purpose".into();
                        let p = doc.pos("privacy");
                        *x = x.clone().at(text, p.line, p.key_col);
                    }
                }
                f.diags.extend(d);
            }
            None => {
                let p = doc.pos("provider");
                f.diags.push(
                    Diagnostic::error(
                        file,
                        Problem::MissingField {
                            field: "privacy.purpose".into(),
                        },
                    )
                    .at(text, p.line, 1),
                );
            }
        }
        // Optional captcha.
        let captcha = f.sub("captcha").and_then(|cdoc| {
            let mut cf = Fields::new(&cdoc, text, file, cdoc.first_line);
            let provider = cf.choice("provider", &CAPTCHAS);
            let sitekey = cf.req_text("sitekey");
            if let Some(bad) = sitekey.as_ref().filter(|k| !valid_token(k)) {
                cf.problem_at(
                    "sitekey",
                    Problem::InvalidSiteValue {
                        field: "captcha.sitekey".into(),
                        value: crate::urls::visible(bad),
                        why: Text::new("why-sitekey"),
                    },
                );
            }
            f.diags.extend(cf.finish(&["provider", "sitekey"]));
            Some(Captcha {
                provider: provider?.into(),
                sitekey: sitekey?,
            })
        });
        let submit_label = f.text("submit_label").unwrap_or_else(|| "送信する".into());
        let _ = f.text("service");
        let diags = f.finish(&[
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
        ]);
        let handler = Handler {
            name: name.into(),
            provider,
            mode,
            action,
            fields,
            entries,
            privacy,
            captcha,
            submit_label,
        };
        (handler, diags)
    }

    /// Display name of the service that stores submissions.
    pub fn service_name(&self) -> String {
        if let Some(s) = &self.privacy.service {
            return s.clone();
        }
        match self.provider.as_str() {
            "formspree" => "Formspree".into(),
            "netlify" => "Netlify Forms".into(),
            "formrun" => "formrun".into(),
            "google_forms" => "Google フォーム".into(),
            _ => "このサイトの運営者が指定するフォーム受付システム".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

/// What the theme needs to render one form on one page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FormView {
    pub handler: String,
    pub provider: String,
    pub mode: String,
    pub action: String,
    /// Form element attributes beyond method/action (Netlify's).
    pub form_name: Option<String>,
    pub fields: Vec<Field>,
    /// Hidden inputs.
    pub hidden: Vec<NameValue>,
    /// Name the consent box posts under (None: checked by the browser, not sent).
    pub consent_name: Option<String>,
    /// Name of the honeypot input (None where the provider cannot ignore it).
    pub honeypot: Option<String>,
    pub captcha: Option<Captcha>,
    pub submit_label: String,
    pub purpose: String,
    pub recipient: String,
    pub service: String,
    pub retention: Option<String>,
    pub privacy_url: String,
    /// For link mode: the URL of the button (prefilled for Google Forms).
    pub link: Option<String>,
    pub heading: String,
}

/// Context of the page a form is on.
pub struct FormContext<'a> {
    pub challenge: Option<&'a str>,
    pub municipality: Option<&'a str>,
    pub recipient: String,
    pub page_url: String,
    pub slug: &'a str,
    pub thanks_url: String,
    pub privacy_url: String,
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Handler {
    /// The form of this handler on a page.
    pub fn view(&self, ctx: &FormContext<'_>) -> FormView {
        let mut hidden: Vec<(String, String)> = Vec::new();
        let post = |ours: &str| -> Option<String> {
            if self.provider == "google_forms" {
                self.entries.get(ours).cloned()
            } else {
                Some(ours.to_string())
            }
        };
        for (ours, value) in [
            ("challenge", ctx.challenge),
            ("municipality", ctx.municipality),
            ("page_url", Some(ctx.page_url.as_str())),
        ] {
            if let (Some(name), Some(v)) = (post(ours), value) {
                hidden.push((name, v.to_string()));
            }
        }
        let mut form_name = None;
        let honeypot = match self.provider.as_str() {
            "formspree" => {
                hidden.push(("_next".into(), ctx.thanks_url.clone()));
                let subject = match ctx.challenge {
                    Some(c) => format!("【応募・問い合わせ】{c}"),
                    None => "【お問い合わせ】".to_string(),
                };
                hidden.push(("_subject".into(), subject));
                Some("_gotcha".to_string())
            }
            "netlify" => {
                let name = format!("{}-{}", self.name, ctx.slug);
                hidden.insert(0, ("form-name".into(), name.clone()));
                form_name = Some(name);
                Some("bot-field".to_string())
            }
            "formrun" => Some("_formrun_gotcha".to_string()),
            "google_forms" => None,
            _ => Some("website".to_string()),
        };
        let link = (self.mode == "link").then(|| {
            if self.provider == "google_forms" {
                let mut u = format!("{}?usp=pp_url", self.action);
                for (k, v) in &hidden {
                    u.push_str(&format!("&{}={}", percent_encode(k), percent_encode(v)));
                }
                u
            } else {
                self.action.clone()
            }
        });
        FormView {
            handler: self.name.clone(),
            provider: self.provider.clone(),
            mode: self.mode.clone(),
            action: self.action.clone(),
            form_name,
            fields: self.fields.clone(),
            consent_name: if self.provider == "google_forms" {
                self.entries.get("consent").cloned()
            } else {
                Some("consent".into())
            },
            hidden: hidden
                .into_iter()
                .map(|(name, value)| NameValue { name, value })
                .collect(),
            honeypot,
            captcha: self.captcha.clone(),
            submit_label: self.submit_label.clone(),
            purpose: self.privacy.purpose.clone(),
            recipient: self
                .privacy
                .recipient
                .clone()
                .unwrap_or_else(|| ctx.recipient.clone()),
            service: self.service_name(),
            retention: self.privacy.retention.clone(),
            privacy_url: ctx.privacy_url.clone(),
            link,
            heading: if ctx.challenge.is_some() {
                "この課題に応募・問い合わせる".into()
            } else {
                "お問い合わせ".into()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_must_be_https_or_loopback() {
        assert!(acceptable_action("https://formspree.io/f/x"));
        assert!(acceptable_action("http://127.0.0.1:8080/submit"));
        assert!(acceptable_action("http://localhost/submit"));
        assert!(acceptable_action("http://[::1]:9000/"));
        assert!(!acceptable_action("http://example.jp/submit"));
        assert!(!acceptable_action("http://localhost.evil.example/"));
        assert!(!acceptable_action("javascript:alert(1)"));
        assert!(!acceptable_action("https:///nohost"));
    }

    #[test]
    fn percent_encoding_is_utf8() {
        assert_eq!(percent_encode("課題 a&b"), "%E8%AA%B2%E9%A1%8C%20a%26b");
    }
}
