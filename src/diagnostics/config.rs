//! A problem of a site.yaml value (or of a Markdown image, or a form field name) that would
//! reach the output invalid: `language`, a reserved form field name, an image the image policy
//! refuses. Raised by `config::checks`, `forms` and `markdown`; wrapped in `Problem::Config`.

use super::Lang;
use crate::msg;
use crate::urls::Refused;

/// A problem of a site.yaml value (see the module header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    /// `language` that is not a language tag (`ja`, `ja-JP`, `en`).
    Language { value: String },
    /// A form field named like a field, honeypot or control value our form or the provider
    /// uses; `owner` says whose (`tsunagari`, `formspree`…).
    ReservedFieldName { name: String, owner: &'static str },
    /// A Markdown image the image policy refuses (plain `http:`, `mailto:`…): removed.
    ImageRemoved(Refused),
    /// A form handler whose `id` is still the placeholder `init` writes: nothing arrives.
    FormPlaceholder { handler: String, value: String },
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
            ConfigProblem::FormPlaceholder { handler, value } => {
                msg!(
                    lang,
                    "config-form-placeholder",
                    handler = handler,
                    value = value
                )
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
            ConfigProblem::FormPlaceholder { .. } => msg!(lang, "config-form-placeholder-help"),
        }
    }
}
