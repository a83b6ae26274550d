//! Spam protection of a handler beyond the honeypot: an optional captcha widget (`captcha:`),
//! whose service decides what the page loads and what the policy allows (`csp`).

use super::names::{choices, CaptchaProvider};
use super::provider::valid_token;
use crate::diagnostics::Problem;
use crate::fields::Fields;
use crate::messages::Text;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Captcha {
    pub provider: CaptchaProvider,
    pub sitekey: String,
}

/// Reads `captcha:` (`provider`, `sitekey`, both required); `None` when absent or incomplete.
pub(super) fn read(f: &mut Fields<'_>, text: &str, file: &std::path::Path) -> Option<Captcha> {
    let cdoc = f.sub("captcha")?;
    let mut cf = Fields::new(&cdoc, text, file, cdoc.first_line);
    let provider = cf
        .choice("provider", &choices(CaptchaProvider::names()))
        .and_then(CaptchaProvider::from_name);
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
        provider: provider?,
        sitekey: sitekey?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use std::path::Path;

    fn read_captcha(yaml: &str) -> (Option<Captcha>, Vec<Diagnostic>) {
        let doc = crate::yaml::parse_mapping(yaml, 1).expect("yaml");
        let mut f = Fields::new(&doc, yaml, Path::new("site.yaml"), 1);
        let captcha = read(&mut f, yaml, Path::new("site.yaml"));
        (captcha, f.diags)
    }

    #[test]
    fn a_captcha_names_its_service_in_any_case() {
        let (c, d) = read_captcha("captcha:\n  provider: Turnstile\n  sitekey: 0x4AAA-b_c\n");
        assert!(d.is_empty(), "{d:?}");
        let c = c.expect("captcha");
        assert_eq!(c.provider, CaptchaProvider::Turnstile);
        assert_eq!(c.sitekey, "0x4AAA-b_c");
        assert_eq!(read_captcha("provider: x\n"), (None, Vec::new()));
    }

    #[test]
    fn an_unknown_service_or_a_bad_key_is_reported_at_its_line() {
        let (c, d) = read_captcha("captcha:\n  provider: hcapcha\n  sitekey: a\"b\n");
        assert_eq!(c, None);
        let found: Vec<_> = d
            .iter()
            .map(|d| match &d.problem {
                Problem::InvalidChoice { suggestion, .. } => (d.line, suggestion.clone()),
                Problem::InvalidSiteValue { field, .. } => (d.line, Some(field.clone())),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            found,
            [
                (2, Some("hcaptcha".to_string())),
                (3, Some("captcha.sitekey".to_string()))
            ]
        );
    }

    #[test]
    fn a_captcha_without_sitekey_is_reported_and_dropped() {
        let (c, d) = read_captcha("captcha:\n  provider: recaptcha\n");
        assert_eq!(c, None);
        assert!(
            matches!(&d[..], [x] if matches!(&x.problem, Problem::MissingField { field } if field == "sitekey")),
            "{d:?}"
        );
    }
}
