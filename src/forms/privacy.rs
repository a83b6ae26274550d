//! The privacy notice of a handler (`privacy:`), shown next to the consent box: why the data is
//! asked for (required), who receives it, which service stores it and for how long.

use super::fields::At;
use crate::diagnostics::{Diagnostic, Problem};
use crate::fields::Fields;

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

/// Reads `privacy:`. Without it, or without its `purpose:`, the problem is `privacy.purpose`
/// missing: at the handler's `provider:` line, or at `privacy:`.
pub(super) fn read(f: &mut Fields<'_>, at: At<'_>) -> Privacy {
    let (doc, text, file) = at;
    let Some(pdoc) = f.sub("privacy") else {
        let p = doc.pos("provider");
        let field = "privacy.purpose".into();
        let missing = Diagnostic::error(file, Problem::MissingField { field });
        f.diags.push(missing.at(text, p.line, 1));
        return Privacy::default();
    };
    let mut pf = Fields::new(&pdoc, text, file, pdoc.first_line);
    let privacy = Privacy {
        purpose: pf.req_text("purpose").unwrap_or_default(),
        recipient: pf.text("recipient"),
        service: pf.text("service"),
        retention: pf.text("retention"),
    };
    let mut d = pf.finish(&["purpose", "recipient", "service", "retention"]);
    for x in &mut d {
        if let Problem::MissingField { field } = &mut x.problem {
            *field = "privacy.purpose".into();
            let p = doc.pos("privacy");
            *x = x.clone().at(text, p.line, p.key_col);
        }
    }
    f.diags.extend(d);
    privacy
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read_privacy(yaml: &str) -> (Privacy, Vec<Diagnostic>) {
        let doc = crate::yaml::parse_mapping(yaml, 1).expect("yaml");
        let file = Path::new("site.yaml");
        let mut f = Fields::new(&doc, yaml, file, 1);
        let privacy = read(&mut f, (&doc, yaml, file));
        (privacy, f.diags)
    }

    fn missing_at(d: &[Diagnostic]) -> Vec<(String, usize, usize)> {
        d.iter()
            .filter_map(|d| match &d.problem {
                Problem::MissingField { field } => Some((field.clone(), d.line, d.column)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_notice_reads_every_key() {
        let yaml = "provider: generic\nprivacy:\n  purpose: 確認のため\n  recipient: 企画課\n  service: 自前\n  retention: 1年\n";
        let (p, d) = read_privacy(yaml);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.purpose, "確認のため");
        assert_eq!(p.recipient.as_deref(), Some("企画課"));
        assert_eq!(p.service.as_deref(), Some("自前"));
        assert_eq!(p.retention.as_deref(), Some("1年"));
    }

    #[test]
    fn without_a_notice_the_purpose_is_missing_at_the_provider_line() {
        let (p, d) = read_privacy("id: x\nprovider: generic\n");
        assert_eq!(p, Privacy::default());
        assert_eq!(missing_at(&d), [("privacy.purpose".to_string(), 2, 1)]);
    }

    #[test]
    fn without_a_purpose_it_is_missing_at_privacy_and_unknown_keys_are_named() {
        let yaml = "id: x\nprovider: generic\nprivacy:\n  retention: 1年\n  purpse: x\n";
        let (p, d) = read_privacy(yaml);
        assert_eq!(p.retention.as_deref(), Some("1年"));
        assert_eq!(missing_at(&d), [("privacy.purpose".to_string(), 3, 1)]);
        assert!(d.iter().any(|d| matches!(&d.problem,
            Problem::UnknownField { field, suggestion } if field == "purpse" && suggestion.as_deref() == Some("purpose"))));
    }
}
