//! Contact and apply forms (issue 5): every provider's markup read back with an HTML parser, and
//! every build-time check with its file and line.

use crate::common::*;
use scraper::{Html, Selector};
use tsunagari::diagnostics::{Lang, Problem};

const PRIVACY: &str =
    "      privacy:\n        purpose: 応募内容の確認のため\n        retention: 1年間\n";

/// A site with one open challenge, one closed challenge, a privacy page and `handlers` YAML.
fn site(handlers: &str) -> SiteTest {
    let t = SiteTest::empty();
    t.file("site.yaml", &format!("title: テスト\nbase_url: https://test.example.jp/\nforms:\n  default: apply\n  handlers:\n{handlers}"));
    t.file(
        "content/privacy.md",
        "---\ntitle: プライバシーポリシー\n---\n本文\n",
    );
    t.file(
        "content/challenges/open.md",
        &challenge("organization: 汐見町 産業振興課\ndeadline: 2026-06-30\n"),
    );
    t.file(
        "content/challenges/closed.md",
        &challenge("status: closed\n"),
    );
    t
}

fn form(t: &SiteTest, page: &str) -> Html {
    t.html(page)
}

fn hidden(doc: &Html) -> Vec<(String, String)> {
    let sel = Selector::parse("form input[type=hidden]").unwrap();
    doc.select(&sel)
        .map(|e| {
            (
                e.value().attr("name").unwrap().to_string(),
                e.value().attr("value").unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// What every rendered form must have: labels for every control, 必須 in text on required ones,
/// a required consent box, a privacy link, and a honeypot hidden from people and screen readers.
fn check_common(doc: &Html) {
    let controls =
        Selector::parse("form input:not([type=hidden]), form textarea, form select").unwrap();
    for c in doc.select(&controls) {
        let id = c.value().attr("id").expect("every control has an id");
        let label = Selector::parse(&format!("label[for='{id}']")).unwrap();
        let text: String = doc
            .select(&label)
            .next()
            .unwrap_or_else(|| panic!("no label for {id}"))
            .text()
            .collect();
        if c.value().attr("required").is_some() {
            assert!(text.contains("必須"), "required {id} says 必須: {text}");
        }
    }
    assert_eq!(attrs(doc, "form input#form-consent", "required"), [""]);
    assert_eq!(attrs(doc, "form input#form-consent", "type"), ["checkbox"]);
    assert_eq!(attrs(doc, ".privacy-notice a", "href"), ["/privacy/"]);
    assert!(texts(doc, ".privacy-notice dd")
        .iter()
        .any(|d| d == "応募内容の確認のため"));
}

#[test]
fn generic_handler_posts_our_field_names_with_context() {
    let t = site(&format!("    apply:\n      provider: generic\n      action: https://forms.example.jp/submit\n{PRIVACY}"));
    t.build();
    let doc = form(&t, "challenges/open/index.html");
    check_common(&doc);
    assert_eq!(
        attrs(&doc, "form.contact-form", "action"),
        ["https://forms.example.jp/submit"]
    );
    assert_eq!(attrs(&doc, "form.contact-form", "method"), ["post"]);
    assert_eq!(
        attrs(&doc, "form.contact-form", "accept-charset"),
        ["UTF-8"]
    );
    let names = attrs(&doc, "form .field input, form .field textarea", "name");
    assert_eq!(
        names,
        ["name", "email", "organization", "message", "consent"]
    );
    assert_eq!(attrs(&doc, "#form-email", "type"), ["email"]);
    assert_eq!(attrs(&doc, "#form-email", "autocomplete"), ["email"]);
    assert_eq!(attrs(&doc, "#form-name", "autocomplete"), ["name"]);
    assert_eq!(
        attrs(&doc, "#form-organization", "autocomplete"),
        ["organization"]
    );
    assert_eq!(
        hidden(&doc),
        [
            ("challenge".to_string(), "課題".to_string()),
            ("municipality".to_string(), "汐見町".to_string()),
            (
                "page_url".to_string(),
                "https://test.example.jp/challenges/open/".to_string()
            ),
        ]
    );
    // The honeypot is a text input, out of the tab order, inside an aria-hidden box.
    assert_eq!(
        attrs(&doc, ".hp[aria-hidden=true] input", "name"),
        ["website"]
    );
    assert_eq!(attrs(&doc, ".hp input", "type"), ["text"]);
    assert_eq!(attrs(&doc, ".hp input", "tabindex"), ["-1"]);
    // The recipient defaults to the challenge's organisation.
    assert!(texts(&doc, ".privacy-notice dd")
        .iter()
        .any(|d| d == "汐見町 産業振興課"));
    // Closed challenges show no form; the thank-you page exists.
    assert!(texts(
        &form(&t, "challenges/closed/index.html"),
        "form.contact-form"
    )
    .is_empty());
    assert_eq!(texts(&t.html("thanks/index.html"), "h1"), ["送信しました"]);
}

#[test]
fn formspree_adds_honeypot_redirect_and_subject() {
    let t = site(&format!(
        "    apply:\n      provider: formspree\n      id: abcd1234\n{PRIVACY}"
    ));
    t.build();
    let doc = form(&t, "challenges/open/index.html");
    check_common(&doc);
    assert_eq!(
        attrs(&doc, "form.contact-form", "action"),
        ["https://formspree.io/f/abcd1234"]
    );
    let h = hidden(&doc);
    assert!(
        h.contains(&("_next".into(), "https://test.example.jp/thanks/".into())),
        "{h:?}"
    );
    assert!(
        h.contains(&("_subject".into(), "【応募・問い合わせ】課題".into())),
        "{h:?}"
    );
    assert_eq!(attrs(&doc, ".hp input", "name"), ["_gotcha"]);
    assert!(texts(&doc, ".privacy-notice dd")
        .iter()
        .any(|d| d == "Formspree"));
}

#[test]
fn netlify_names_each_challenge_form() {
    let t = site(&format!("    apply:\n      provider: netlify\n{PRIVACY}"));
    t.build();
    let doc = form(&t, "challenges/open/index.html");
    check_common(&doc);
    assert_eq!(attrs(&doc, "form.contact-form", "data-netlify"), ["true"]);
    assert_eq!(
        attrs(&doc, "form.contact-form", "netlify-honeypot"),
        ["bot-field"]
    );
    assert_eq!(attrs(&doc, "form.contact-form", "name"), ["apply-open"]);
    assert_eq!(attrs(&doc, "form.contact-form", "action"), ["/thanks/"]);
    assert_eq!(
        hidden(&doc)[0],
        ("form-name".to_string(), "apply-open".to_string())
    );
    assert_eq!(attrs(&doc, ".hp input", "name"), ["bot-field"]);
}

#[test]
fn formrun_posts_to_its_endpoint() {
    let t = site(
        &format!("    apply:\n      provider: formrun\n      id: @example\n{PRIVACY}")
            .replace("@example", "\"@example\""),
    );
    t.build();
    let doc = form(&t, "challenges/open/index.html");
    check_common(&doc);
    assert_eq!(
        attrs(&doc, "form.contact-form", "action"),
        ["https://form.run/api/v1/r/@example"]
    );
    assert_eq!(attrs(&doc, ".hp input", "name"), ["_formrun_gotcha"]);
}

#[test]
fn google_forms_maps_fields_to_entries_in_form_and_link_modes() {
    let entries = "      entries:\n        name: entry.1\n        email: entry.2\n        message: entry.3\n        challenge: entry.4\n        page_url: entry.5\n";
    let t = site(&format!(
        "    apply:\n      provider: google_forms\n      id: 1FAIpQLSexample\n{entries}{PRIVACY}"
    ));
    t.build();
    let doc = form(&t, "challenges/open/index.html");
    check_common(&doc);
    assert_eq!(
        attrs(&doc, "form.contact-form", "action"),
        ["https://docs.google.com/forms/d/e/1FAIpQLSexample/formResponse"]
    );
    assert_eq!(
        attrs(&doc, "form .field input, form .field textarea", "name"),
        ["entry.1", "entry.2", "entry.3"],
        "unmapped organization is left out; consent is not sent"
    );
    assert_eq!(
        hidden(&doc),
        [
            ("entry.4".to_string(), "課題".to_string()),
            (
                "entry.5".to_string(),
                "https://test.example.jp/challenges/open/".to_string()
            )
        ]
    );
    assert!(
        attrs(&doc, ".hp input", "name").is_empty(),
        "Google Forms has no honeypot field"
    );
    // mode: link → a prefilled link instead of a form.
    let t = site(&format!("    apply:\n      provider: google_forms\n      id: 1FAIpQLSexample\n      mode: link\n{entries}{PRIVACY}"));
    t.build();
    let doc = form(&t, "challenges/open/index.html");
    assert!(texts(&doc, "form.contact-form").is_empty());
    let href = attrs(&doc, ".apply a.button", "href");
    assert_eq!(href.len(), 1);
    assert!(href[0].starts_with("https://docs.google.com/forms/d/e/1FAIpQLSexample/viewform?usp=pp_url&entry.4=%E8%AA%B2%E9%A1%8C&entry.5=https%3A%2F%2F"), "{}", href[0]);
    assert_eq!(attrs(&doc, ".privacy-notice a", "href"), ["/privacy/"]);
}

#[test]
fn link_and_embed_modes_for_services_without_post() {
    let t = site("    apply:\n      provider: link\n      url: https://logoform.jp/f/example\n      privacy:\n        purpose: 応募内容の確認のため\n        service: LoGoフォーム\n");
    t.build();
    let doc = form(&t, "challenges/open/index.html");
    assert_eq!(
        attrs(&doc, ".apply a.button", "href"),
        ["https://logoform.jp/f/example"]
    );
    assert!(texts(&doc, ".apply a.button")[0].contains("LoGoフォーム"));
    assert!(texts(&doc, ".privacy-notice dd")
        .iter()
        .any(|d| d == "応募内容の確認のため"));
    let t = site(&format!("    apply:\n      provider: embed\n      url: https://forms.office.com/r/example\n{PRIVACY}"));
    t.build();
    let doc = form(&t, "challenges/open/index.html");
    assert_eq!(
        attrs(&doc, ".apply iframe", "src"),
        ["https://forms.office.com/r/example"]
    );
    assert!(!attrs(&doc, ".apply iframe", "title").is_empty());
}

#[test]
fn fields_are_configurable_and_pages_choose_their_form() {
    let handlers = format!(
        "    apply:\n      provider: generic\n      action: https://forms.example.jp/a\n{PRIVACY}      fields:\n        - {{ name: organization, required: true }}\n        - {{ name: phone, label: 電話番号, type: tel, autocomplete: tel }}\n        - name: role\n          label: 所属\n          type: select\n          options: [自治体, 企業, 個人]\n    contact:\n      provider: generic\n      action: https://forms.example.jp/c\n{PRIVACY}"
    );
    let t = site(&handlers);
    t.file(
        "content/challenges/no-form.md",
        &challenge("deadline: 2026-06-30\nform: false\n"),
    );
    t.file(
        "content/challenges/other.md",
        &challenge("deadline: 2026-06-30\nform: contact\n"),
    );
    t.file(
        "content/contact.md",
        "---\ntitle: お問い合わせ\nform: contact\n---\n本文\n",
    );
    t.build();
    let doc = form(&t, "challenges/open/index.html");
    check_common(&doc);
    assert_eq!(
        attrs(
            &doc,
            "form .field input, form .field textarea, form .field select",
            "name"
        ),
        [
            "name",
            "email",
            "organization",
            "phone",
            "role",
            "message",
            "consent"
        ]
    );
    assert_eq!(attrs(&doc, "#form-organization", "required"), [""]);
    assert_eq!(attrs(&doc, "#form-phone", "type"), ["tel"]);
    assert_eq!(
        texts(&doc, "#form-role option"),
        ["選択してください", "自治体", "企業", "個人"]
    );
    assert!(texts(
        &form(&t, "challenges/no-form/index.html"),
        "form.contact-form"
    )
    .is_empty());
    assert_eq!(
        attrs(
            &form(&t, "challenges/other/index.html"),
            "form.contact-form",
            "action"
        ),
        ["https://forms.example.jp/c"]
    );
    let contact = form(&t, "contact/index.html");
    check_common(&contact);
    assert_eq!(
        attrs(&contact, "form.contact-form", "action"),
        ["https://forms.example.jp/c"]
    );
    assert!(
        hidden(&contact).iter().all(|(n, _)| n != "challenge"),
        "a contact page is about no challenge"
    );
    assert!(
        texts(&contact, ".privacy-notice dd")
            .iter()
            .any(|d| d == "テスト"),
        "recipient defaults to the site's organisation"
    );
}

#[test]
fn insecure_action_and_unknown_provider_are_errors_with_lines() {
    let t = site(&format!("    apply:\n      provider: generic\n      action: http://forms.example.jp/submit\n{PRIVACY}"));
    let d = t.errors();
    let x = expect_at(&d, "site.yaml", 8, |p| {
        matches!(p, Problem::InsecureFormAction { .. })
    });
    assert!(x.render(Lang::Ja).contains("https://"));
    // Loopback http is allowed, for local testing.
    let t = site(&format!("    apply:\n      provider: generic\n      action: http://127.0.0.1:8080/submit\n{PRIVACY}"));
    t.build();
    let t = site(&format!(
        "    apply:\n      provider: formspre\n      id: x\n{PRIVACY}"
    ));
    let d = t.errors();
    let x = expect_at(
        &d,
        "site.yaml",
        7,
        |p| matches!(p, Problem::InvalidChoice { field, .. } if field == "provider"),
    );
    assert!(x.render(Lang::Ja).contains("「formspree」のことですか？"));
}

#[test]
fn unknown_handler_names_are_errors_with_lines() {
    let t = site(&format!(
        "    apply:\n      provider: generic\n      action: https://f.example.jp/\n{PRIVACY}"
    ));
    t.file(
        "content/contact.md",
        "---\ntitle: お問い合わせ\nform: contct\n---\n",
    );
    let d = t.errors();
    let x = expect_at(&d, "content/contact.md", 3, |p| {
        matches!(p, Problem::UnknownForm { .. })
    });
    assert_eq!(x.column, 7);
    assert!(
        x.render(Lang::Ja).contains("forms.handlers"),
        "{}",
        x.render(Lang::Ja)
    );
    let t = site(&format!(
        "    apply:\n      provider: generic\n      action: https://f.example.jp/\n{PRIVACY}"
    ));
    let yaml = std::fs::read_to_string(t.root.join("site.yaml"))
        .unwrap()
        .replace("default: apply", "default: aply");
    t.file("site.yaml", &yaml);
    let d = t.errors();
    let x = expect_at(&d, "site.yaml", 4, |p| {
        matches!(p, Problem::UnknownForm { .. })
    });
    assert!(x.render(Lang::Ja).contains("「apply」のことですか？"));
}

#[test]
fn google_forms_mapping_must_cover_required_fields() {
    let t = site(&format!("    apply:\n      provider: google_forms\n      id: x\n      entries:\n        name: entry.1\n        email: entry.2\n{PRIVACY}"));
    let d = t.errors();
    let x = expect_at(
        &d,
        "site.yaml",
        9,
        |p| matches!(p, Problem::MissingFormEntry { field } if field == "message"),
    );
    assert!(x.render(Lang::Ja).contains("entries.message"));
}

#[test]
fn a_form_needs_a_purpose_and_the_site_a_privacy_page() {
    let t = site("    apply:\n      provider: generic\n      action: https://f.example.jp/\n");
    let d = t.errors();
    expect_at(
        &d,
        "site.yaml",
        7,
        |p| matches!(p, Problem::MissingField { field } if field == "privacy.purpose"),
    );
    let t = site(&format!(
        "    apply:\n      provider: generic\n      action: https://f.example.jp/\n{PRIVACY}"
    ));
    t.remove("content/privacy.md");
    let d = t.errors();
    let x = expect_at(&d, "site.yaml", 3, |p| *p == Problem::NoPrivacyPage);
    assert!(x.render(Lang::Ja).contains("content/privacy.md"));
}
