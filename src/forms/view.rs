//! The form of one handler on one page ([`FormView`]), what the theme's `partials/form.html`
//! renders: the hidden values each provider wants, its honeypot, the consent name, the link.

use super::captcha::Captcha;
use super::fields::Field;
use super::names::{Mode, Provider};
use super::Handler;
use crate::strings::Strings;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

/// What the theme needs to render one form on one page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FormView {
    pub handler: String,
    pub provider: Provider,
    pub mode: Mode,
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
    /// The theme's texts: headings, subject, button, default labels, service names.
    pub strings: &'a Strings,
}

/// What a provider adds to the hidden values and how it is told a bot filled the form.
struct Extras {
    form_name: Option<String>,
    honeypot: Option<String>,
}

impl Handler {
    /// The form of this handler on a page.
    pub fn view(&self, ctx: &FormContext<'_>) -> FormView {
        let mut hidden = self.page_values(ctx);
        let extras = self.extras(ctx, &mut hidden);
        let link = (self.mode == Mode::Link).then(|| self.link(&hidden));
        let st = ctx.strings;
        FormView {
            handler: self.name.clone(),
            provider: self.provider,
            mode: self.mode,
            action: self.action.clone(),
            form_name: extras.form_name,
            fields: self.fields.iter().map(|f| f.labelled(st)).collect(),
            consent_name: self.post_name("consent"),
            hidden: hidden
                .into_iter()
                .map(|(name, value)| NameValue { name, value })
                .collect(),
            honeypot: extras.honeypot,
            captcha: self.captcha.clone(),
            submit_label: (self.submit_label.clone()).unwrap_or_else(|| st.form_submit.clone()),
            purpose: self.privacy.purpose.clone(),
            recipient: (self.privacy.recipient.clone()).unwrap_or_else(|| ctx.recipient.clone()),
            service: self.service_name(st),
            retention: self.privacy.retention.clone(),
            privacy_url: ctx.privacy_url.clone(),
            link,
            heading: if ctx.challenge.is_some() {
                st.form_heading_challenge.clone()
            } else {
                st.form_heading.clone()
            },
        }
    }

    /// Display name of the service that stores submissions: `privacy.service`, else the
    /// provider's (its name, or the theme's text for one that has no name of its own).
    pub fn service_name(&self, strings: &Strings) -> String {
        match &self.privacy.service {
            Some(s) => s.clone(),
            None => self.provider.service_name(strings).into(),
        }
    }

    /// The name one of our values is posted under: a Google form takes only the entries it was
    /// given (`None`: not sent), the others take our names.
    fn post_name(&self, ours: &str) -> Option<String> {
        if self.provider.takes_entry_ids() {
            self.entries.get(ours).cloned()
        } else {
            Some(ours.to_string())
        }
    }

    /// The page's challenge, municipality and address, under the names the provider takes.
    fn page_values(&self, ctx: &FormContext<'_>) -> Vec<(String, String)> {
        [
            ("challenge", ctx.challenge),
            ("municipality", ctx.municipality),
            ("page_url", Some(ctx.page_url.as_str())),
        ]
        .into_iter()
        .filter_map(|(ours, value)| Some((self.post_name(ours)?, value?.to_string())))
        .collect()
    }

    /// The provider's own hidden values (added to `hidden`), form name and honeypot.
    fn extras(&self, ctx: &FormContext<'_>, hidden: &mut Vec<(String, String)>) -> Extras {
        let mut form_name = None;
        let honeypot = match self.provider {
            Provider::Formspree => {
                hidden.push(("_next".into(), ctx.thanks_url.clone()));
                let st = ctx.strings;
                let subject = match ctx.challenge {
                    Some(c) => Strings::fill(&st.form_subject_challenge, &[("title", c)]),
                    None => st.form_subject.clone(),
                };
                hidden.push(("_subject".into(), subject));
                Some("_gotcha")
            }
            Provider::Netlify => {
                let name = format!("{}-{}", self.name, ctx.slug);
                hidden.insert(0, ("form-name".into(), name.clone()));
                form_name = Some(name);
                Some("bot-field")
            }
            Provider::Formrun => Some("_formrun_gotcha"),
            // A Google form cannot be told to ignore a field.
            Provider::GoogleForms => None,
            Provider::Generic | Provider::Link | Provider::Embed => Some("website"),
        };
        Extras {
            form_name,
            honeypot: honeypot.map(String::from),
        }
    }

    /// The button's URL in link mode: Google forms open with the hidden values filled in.
    fn link(&self, hidden: &[(String, String)]) -> String {
        match self.provider {
            Provider::GoogleForms => super::google::prefilled(&self.action, hidden),
            Provider::Generic
            | Provider::Formspree
            | Provider::Netlify
            | Provider::Formrun
            | Provider::Link
            | Provider::Embed => self.action.clone(),
        }
    }
}
