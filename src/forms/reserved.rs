//! The field names a form may not use for a field of its own (our fixed fields and every
//! provider's control names).

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
