//! Whole handlers through `FormsConfig::parse`, and the form each provider makes on a page.

use super::*;

fn parse(handlers: &str) -> (FormsConfig, Vec<Diagnostic>) {
    let text = format!("forms:\n  default: apply\n  handlers:\n{handlers}");
    let top = crate::yaml::parse_mapping(&text, 1).expect("yaml");
    let mut f = Fields::new(&top, &text, Path::new("site.yaml"), 1);
    let doc = f.sub("forms").expect("forms");
    FormsConfig::parse(&doc, &text, Path::new("site.yaml"))
}

fn handler(yaml: &str) -> Handler {
    let (forms, d) = parse(&format!(
        "    apply:\n{yaml}      privacy:\n        purpose: 確認のため\n"
    ));
    assert!(d.is_empty(), "{d:?}");
    forms.handlers["apply"].clone()
}

/// The default theme's texts.
static STRINGS: std::sync::LazyLock<crate::strings::Strings> =
    std::sync::LazyLock::new(crate::theme::default_strings);

fn ctx() -> FormContext<'static> {
    FormContext {
        challenge: Some("空き家の活用"),
        municipality: Some("汐見町"),
        recipient: "汐見町 企画課".into(),
        page_url: "https://a.jp/challenges/akiya/".into(),
        slug: "akiya",
        thanks_url: "https://a.jp/thanks/".into(),
        privacy_url: "/privacy/".into(),
        strings: &STRINGS,
    }
}

fn hidden(v: &FormView) -> Vec<(&str, &str)> {
    v.hidden
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect()
}

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
fn a_null_handler_does_not_make_the_others_unknown_keys() {
    let (forms, d) = parse(
        "    apply:\n    other:\n      provider: generic\n      action: https://a.jp/x\n      privacy:\n        purpose: p\n",
    );
    assert!(forms.handlers.contains_key("other"));
    // Only the default naming the empty handler is a problem.
    let problems: Vec<_> = d.iter().map(|d| (&d.problem, d.line)).collect();
    assert!(
        matches!(&problems[..], [(Problem::UnknownForm { name, .. }, 2)] if name == "apply"),
        "{problems:?}"
    );
}

#[test]
fn a_handler_reports_every_part_in_reading_order() {
    let (forms, d) = parse(
        "    apply:\n      provider: formspree\n      mode: link\n      id: a/b\n      fields: [x]\n      captcha: { provider: nope, sitekey: k }\n      colour: red\n",
    );
    let kinds: Vec<(usize, String)> = d
        .iter()
        .map(|d| {
            let name = format!("{:?}", d.problem);
            (
                d.line,
                name[..name.find([' ', '(', '{']).unwrap_or(name.len())].to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (7, "InvalidSiteValue".to_string()),
            (8, "WrongType".to_string()),
            (5, "MissingField".to_string()),
            (9, "InvalidChoice".to_string()),
            (10, "UnknownField".to_string()),
        ],
        "{d:?}"
    );
    let h = &forms.handlers["apply"];
    assert_eq!((h.provider, h.mode), (Provider::Formspree, Mode::Link));
    assert_eq!(
        h.action, "https://formspree.io/f/a/b",
        "the id is reported, not the URL"
    );
    assert_eq!(h.captcha, None);
}

#[test]
fn an_unknown_provider_reads_as_generic_after_being_reported() {
    let (forms, d) = parse("    apply:\n      provider: netlfy\n      privacy: { purpose: p }\n");
    assert!(matches!(&d[..], [x] if matches!(&x.problem,
        Problem::InvalidChoice { suggestion, .. } if suggestion.as_deref() == Some("netlify"))));
    assert_eq!(forms.handlers["apply"].provider, Provider::Generic);
}

#[test]
fn link_and_embed_providers_leave_mode_unread() {
    let (_, d) = parse(
        "    apply:\n      provider: link\n      url: https://a.jp/f\n      mode: form\n      privacy: { purpose: p }\n",
    );
    assert!(matches!(&d[..], [x] if matches!(&x.problem,
        Problem::UnknownField { field, .. } if field == "mode")));
}

#[test]
fn formspree_sends_where_to_return_a_subject_and_a_honeypot() {
    let h = handler("      provider: formspree\n      id: xyz\n");
    let v = h.view(&ctx());
    assert_eq!(v.action, "https://formspree.io/f/xyz");
    assert_eq!(
        hidden(&v),
        [
            ("challenge", "空き家の活用"),
            ("municipality", "汐見町"),
            ("page_url", "https://a.jp/challenges/akiya/"),
            ("_next", "https://a.jp/thanks/"),
            ("_subject", "【応募・問い合わせ】空き家の活用"),
        ]
    );
    assert_eq!(v.honeypot.as_deref(), Some("_gotcha"));
    assert_eq!(v.consent_name.as_deref(), Some("consent"));
    assert_eq!(v.service, "Formspree");
    assert_eq!(v.recipient, "汐見町 企画課");
    assert_eq!(v.heading, "この課題に応募・問い合わせる");
}

#[test]
fn netlify_names_the_form_after_handler_and_page() {
    let v = handler("      provider: netlify\n").view(&ctx());
    assert_eq!(v.action, "/thanks/");
    assert_eq!(v.form_name.as_deref(), Some("apply-akiya"));
    assert_eq!(hidden(&v)[0], ("form-name", "apply-akiya"));
    assert_eq!(v.honeypot.as_deref(), Some("bot-field"));
    assert_eq!(v.service, "Netlify Forms");
}

#[test]
fn formrun_generic_link_and_embed_have_their_honeypots_and_services() {
    let formrun = handler("      provider: formrun\n      id: '@x'\n").view(&ctx());
    assert_eq!(formrun.honeypot.as_deref(), Some("_formrun_gotcha"));
    assert_eq!(formrun.service, "formrun");
    assert_eq!(hidden(&formrun).len(), 3);
    for p in ["generic", "link", "embed"] {
        let v = handler(&format!(
            "      provider: {p}\n      action: https://a.jp/f\n"
        ))
        .view(&ctx());
        assert_eq!(v.honeypot.as_deref(), Some("website"), "{p}");
        assert_eq!(
            v.service,
            "このサイトの運営者が指定するフォーム受付システム"
        );
        assert_eq!(v.link.as_deref(), (p == "link").then_some("https://a.jp/f"));
    }
}

#[test]
fn google_forms_posts_entries_only_and_prefills_its_link() {
    let entries = "      entries:\n        name: entry.1\n        email: entry.2\n        message: entry.3\n        challenge: entry.4\n        consent: entry.5\n";
    let form = handler(&format!(
        "      provider: google_forms\n      id: G1\n{entries}"
    ));
    let v = form.view(&ctx());
    assert_eq!(hidden(&v), [("entry.4", "空き家の活用")]);
    assert_eq!(v.honeypot, None);
    assert_eq!(v.consent_name.as_deref(), Some("entry.5"));
    assert_eq!(v.link, None);
    let link = handler(&format!(
        "      provider: google_forms\n      id: G1\n      mode: link\n{entries}"
    ))
    .view(&ctx());
    assert_eq!(
        link.link.as_deref(),
        Some("https://docs.google.com/forms/d/e/G1/viewform?usp=pp_url&entry.4=%E7%A9%BA%E3%81%8D%E5%AE%B6%E3%81%AE%E6%B4%BB%E7%94%A8")
    );
}

#[test]
fn the_view_serialises_names_as_templates_compare_them() {
    let h = handler(
        "      provider: google_forms\n      id: G1\n      entries: { name: entry.1, email: entry.2, message: entry.3 }\n      captcha: { provider: hCaptcha, sitekey: k1 }\n",
    );
    let json = serde_json::to_value(h.view(&ctx())).unwrap();
    assert_eq!(json["provider"], "google_forms");
    assert_eq!(json["mode"], "form");
    assert_eq!(json["captcha"]["provider"], "hcaptcha");
    assert_eq!(json["fields"][2]["type"], "textarea");
    assert_eq!(json["fields"][0]["post_name"], "entry.1");
}

#[test]
fn a_page_without_challenge_gets_the_general_heading_and_subject() {
    let h = handler("      provider: formspree\n      id: xyz\n");
    let page = FormContext {
        challenge: None,
        municipality: None,
        ..ctx()
    };
    let v = h.view(&page);
    assert_eq!(v.heading, "お問い合わせ");
    assert!(hidden(&v).contains(&("_subject", "【お問い合わせ】")));
    assert_eq!(v.recipient, "汐見町 企画課");
}

#[test]
fn the_theme_gives_the_texts_staff_did_not_write() {
    let mut strings = crate::theme::default_strings();
    strings.form_heading_challenge = "Apply".into();
    strings.form_subject_challenge = "Re: {title}".into();
    strings.form_submit = "Send".into();
    strings.form_field_message = "Message".into();
    strings.form_service_generic = "our form service".into();
    let page = FormContext {
        strings: &strings,
        ..ctx()
    };
    let v = handler("      provider: formspree\n      id: xyz\n").view(&page);
    assert_eq!(v.heading, "Apply");
    assert!(hidden(&v).contains(&("_subject", "Re: 空き家の活用")));
    assert_eq!(v.submit_label, "Send");
    assert_eq!(v.fields[3].label.as_deref(), Some("Message"));
    let generic = handler("      provider: generic\n      action: https://a.jp/f\n").view(&page);
    assert_eq!(generic.service, "our form service");
    // What staff wrote in site.yaml wins over the theme.
    let own = handler(
        "      provider: formspree\n      id: xyz\n      submit_label: 応募する\n      fields:\n        - { name: message, label: ご質問 }\n",
    )
    .view(&page);
    assert_eq!(own.submit_label, "応募する");
    assert_eq!(own.fields[3].label.as_deref(), Some("ご質問"));
}
