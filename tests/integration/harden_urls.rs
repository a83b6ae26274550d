//! Issue 11, area "urls": every URL from site.yaml or front matter goes through one policy
//! (`tsunagari::urls`), disguised schemes included; refused URLs are errors naming file, line
//! and column; Markdown body links follow the same policy (removed with a warning); and no built
//! page of any fixture site carries a URL with a disallowed scheme.

use crate::common::*;
use scraper::{Html, Selector};
use std::path::Path;
use tsunagari::diagnostics::{Diagnostic, Lang, Problem};

/// URLs browsers (or other readers) would follow somewhere they must not go, each written as a
/// YAML double-quoted scalar (so escapes like `\t` and `\u0001` reach the value).
const HOSTILE_YAML: [&str; 23] = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\\tscript:alert(1)",
    "java\\nscript:alert(1)",
    "\\u200Bjavascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&#58;alert(1)",
    "%6Aavascript:alert(1)",
    "javascript%3Aalert(1)",
    "javascript：alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "blob:https://evil.example/1",
    "evil-app:open",
    "\\\\\\\\evil.example/x",
    "/\\\\evil.example/x",
    "//evil.example/x",
    "https:evil.example",
    "https:///evil",
    "java script:alert(1)",
    "\\u3000javascript:alert(1)",
];

fn url_errors(d: &[Diagnostic]) -> Vec<&Diagnostic> {
    d.iter()
        .filter(|x| matches!(x.problem, Problem::UrlRefused(_)))
        .collect()
}

#[test]
fn hostile_menu_urls_are_errors_at_each_items_line_and_column() {
    let t = SiteTest::empty();
    let mut yaml = String::from("title: テスト\nbase_url: https://test.example.jp/\nmenu:\n");
    let mut expected = Vec::new();
    for (i, url) in HOSTILE_YAML.iter().enumerate() {
        yaml.push_str(&format!("  - name: 項目{i}\n    url: \"{url}\"\n"));
        expected.push((3 + 2 * i + 2, 10));
    }
    // Flow style, two items on one line, and the footer menu.
    yaml.push_str("footer_menu: [{name: a, url: /about/}, {name: b, url: \"vbscript:x\"}]\n");
    let flow_line = 3 + 2 * HOSTILE_YAML.len() + 1;
    let flow_col = "footer_menu: [{name: a, url: /about/}, {name: b, url: ".len() + 1;
    expected.push((flow_line, flow_col));
    t.file("site.yaml", &yaml);
    let errors = t.errors();
    let got: Vec<(usize, usize)> = url_errors(&errors)
        .iter()
        .map(|d| {
            assert_eq!(d.path, Path::new("site.yaml"), "{}", render(&errors));
            (d.line, d.column)
        })
        .collect();
    assert_eq!(got, expected, "{}", render(&errors));
    // Japanese first, with a help saying what to write; English with --lang en.
    let first = &url_errors(&errors)[0];
    assert!(first.problem.message(Lang::Ja).contains("menu[1].url"));
    assert!(first.problem.message(Lang::Ja).contains("javascript:"));
    assert!(first.problem.help(Lang::Ja).unwrap().contains("https://"));
    assert!(first.problem.help(Lang::En).unwrap().contains("allowed"));
}

#[test]
fn refused_url_messages_show_control_characters_as_escapes() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nmenu:\n  - name: a\n    url: \"\\u202E\\u200Bjavascript:x\"\n",
    );
    let errors = t.errors();
    let d = url_errors(&errors)[0];
    let text = d.render(Lang::Ja) + &d.render_github(Lang::En);
    assert!(!text.contains(['\u{202E}', '\u{200B}']), "{text:?}");
    assert!(text.contains("U+202E"), "{text}");
    // Control characters proper are refused before the URL policy, at the escape itself.
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nmenu:\n  - name: a\n    url: /a/\n  - name: b\n    url: \"\\u001b[2J\\u0001javascript:x\"\n",
    );
    let errors = t.errors();
    let d = expect_at(&errors, "site.yaml", 7, |p| matches!(p, Problem::Text(_)));
    assert_eq!(d.column, 11, "{}", render(&errors));
    let text = d.render(Lang::Ja) + &d.render_github(Lang::En);
    assert!(!text.contains(['\u{1b}', '\u{1}']), "{text:?}");
    assert!(text.contains("U+001B"), "{text}");
}

#[test]
fn hostile_site_yaml_images_forms_and_base_url_are_errors_at_their_value() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト
base_url: https://test.example.jp/
default_image: \"//evil.example/ogp.png\"
forms:
  handlers:
    a:
      provider: generic
      action: \"JavaScript:alert(1)\"
      privacy: { purpose: 確認のため }
    b:
      provider: link
      url: \"https://forms.example.jp\\\\@evil.example/\"
      privacy: { purpose: 確認のため }
    c:
      provider: formspree
      id: \"x/../../evil?\"
      privacy: { purpose: 確認のため }
      captcha:
        provider: turnstile
        sitekey: \"k\\\" onload=\\\"x\"
",
    );
    t.file(
        "content/privacy.md",
        "---\ntitle: プライバシー\n---\n本文\n",
    );
    let errors = t.errors();
    let at = |line: usize, col: usize| {
        assert!(
            errors
                .iter()
                .any(|d| d.path == Path::new("site.yaml") && d.line == line && d.column == col),
            "nothing at {line}:{col}:\n{}",
            render(&errors)
        )
    };
    at(3, 16); // default_image
    at(8, 15); // action
    at(12, 12); // url
    at(16, 11); // id
    at(20, 18); // sitekey
    assert_eq!(url_errors(&errors).len(), 3, "{}", render(&errors));

    let base = SiteTest::empty();
    base.file(
        "site.yaml",
        "title: テスト\nbase_url: \"https://test.example.jp\\\\@evil.example/\"\n",
    );
    let e = base.errors();
    expect_at(
        &e,
        "site.yaml",
        2,
        |p| matches!(p, Problem::UrlRefused(r) if r.field == "base_url"),
    );
}

#[test]
fn hostile_front_matter_urls_are_errors_at_their_value() {
    let t = SiteTest::empty();
    for (i, url) in HOSTILE_YAML.iter().enumerate() {
        t.file(
            &format!("content/challenges/c{i:02}.md"),
            &challenge(&format!("image: \"{url}\"\n")),
        );
        t.file(
            &format!("content/municipalities/m{i:02}.md"),
            &format!(
                "---\nmunicipality: 町{i}\nprefecture: 新潟県\nwebsite: \"{url}\"\n---\n紹介\n"
            ),
        );
    }
    t.file(
        "content/municipalities/relative.md",
        "---\nmunicipality: 汐見町\nprefecture: 新潟県\nwebsite: /town/\n---\n紹介\n",
    );
    let errors = t.errors();
    for i in 0..HOSTILE_YAML.len() {
        for (file, line) in [
            (format!("content/challenges/c{i:02}.md"), 6),
            (format!("content/municipalities/m{i:02}.md"), 4),
        ] {
            let d = url_errors(&errors)
                .into_iter()
                .find(|d| d.path == Path::new(&file))
                .unwrap_or_else(|| panic!("no URL error for {file}:\n{}", render(&errors)));
            assert_eq!((d.line, d.column), (line, if line == 6 { 8 } else { 10 }));
        }
    }
    let relative: Vec<_> = url_errors(&errors)
        .into_iter()
        .filter(|d| d.path == Path::new("content/municipalities/relative.md"))
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(relative, [(4, 10)], "{}", render(&errors));
}

#[test]
fn markdown_body_links_follow_the_same_policy_with_a_warning_per_line() {
    // The same disguises as Markdown (where pulldown-cmark decodes character references) and
    // the schemes only the policy refuses: every link and image is removed, its text kept.
    let bodies = [
        "[a](javascript:alert(1))",
        "[a](JaVaScRiPt:alert(1))",
        "[a](&#x6A;avascript:alert(1))",
        "[a](java&#9;script:alert(1))",
        "[a](&#1;javascript:alert(1))",
        "[a](javascript&colon;alert(1))",
        "[a](%6Aavascript:alert(1))",
        "[a](file:///etc/passwd)",
        "[a](blob:https://evil.example/1)",
        "[a](evil-app:open)",
        "[a](//evil.example/)",
        "[a](/\\evil.example/)",
        "[a](<\\\\evil.example/>)",
        "![a](data:image/svg+xml,<svg/onload=alert(1)>)",
        "![a](vbscript:x)",
        "<JAVASCRIPT:alert(1)>",
    ];
    let t = SiteTest::empty();
    let mut body = String::new();
    for b in bodies {
        body.push_str(b);
        body.push_str("\n\n");
    }
    body.push_str(
        "[ok](https://example.jp/) [mail](mailto:a@example.jp) [tel](tel:000) [p](/about/)\n",
    );
    t.file(
        "content/columns/c.md",
        &format!("---\ntitle: コラム\ndate: 2026-03-01\n---\n{body}"),
    );
    let report = t.build();
    let lines: Vec<usize> = report
        .warnings
        .iter()
        .filter(|d| matches!(d.problem, Problem::UnsafeUrlRemoved { .. }))
        .map(|d| d.line)
        .collect();
    let expected: Vec<usize> = (0..bodies.len()).map(|i| 5 + 2 * i).collect();
    assert_eq!(lines, expected, "{}", render(&report.warnings));
    let doc = t.html("columns/c/index.html");
    let hrefs = attrs(&doc, ".entry-body a, main a", "href");
    for h in &hrefs {
        assert!(allowed_in_output(h), "{h}");
    }
    for kept in [
        "https://example.jp/",
        "mailto:a@example.jp",
        "tel:000",
        "/about/",
    ] {
        assert!(hrefs.iter().any(|h| h == kept), "{kept} missing: {hrefs:?}");
    }
}

/// An independent reading of the policy for the sweep: what a browser would do with the value.
fn allowed_in_output(value: &str) -> bool {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase();
    if v.starts_with("//") || v.contains('\\') {
        return false;
    }
    let head = &v[..v.find(['/', '?', '#']).unwrap_or(v.len())];
    match head.find(':') {
        None => true,
        Some(i) => matches!(&head[..i], "http" | "https" | "mailto" | "tel"),
    }
}

const URL_ATTRS: [&str; 12] = [
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "background",
    "longdesc",
    "ping",
    "manifest",
    "xlink:href",
];

fn sweep_html(doc: &Html, ctx: &str) -> usize {
    let all = Selector::parse("*").unwrap();
    let mut checked = 0;
    for el in doc.select(&all) {
        let e = el.value();
        for (name, value) in e.attrs() {
            let mut values: Vec<&str> = Vec::new();
            if URL_ATTRS.contains(&name) {
                values.push(value);
            } else if name == "srcset" || name == "imagesrcset" {
                values.extend(value.split(',').filter_map(|c| c.split_whitespace().next()));
            } else if name == "content" {
                let prop = e.attr("property").or(e.attr("name")).unwrap_or("");
                if prop.ends_with(":image") || prop.ends_with(":url") {
                    values.push(value);
                }
                if e.attr("http-equiv")
                    .is_some_and(|h| h.eq_ignore_ascii_case("refresh"))
                {
                    values.push(value.split_once('=').map_or("", |(_, u)| u));
                }
            }
            for v in values {
                assert!(allowed_in_output(v), "{ctx}: <{}> {name}={v:?}", e.name());
                checked += 1;
            }
        }
    }
    checked
}

/// URL-valued members of JSON-LD and the JSON Feed.
const JSON_URL_KEYS: [&str; 10] = [
    "url",
    "sameAs",
    "image",
    "@id",
    "external_url",
    "home_page_url",
    "feed_url",
    "icon",
    "favicon",
    "logo",
];

fn sweep_json(v: &serde_json::Value, ctx: &str) -> usize {
    let mut checked = 0;
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if let (true, Some(s)) = (JSON_URL_KEYS.contains(&k.as_str()), x.as_str()) {
                    assert!(allowed_in_output(s), "{ctx}: {k}={s:?}");
                    checked += 1;
                }
                checked += sweep_json(x, ctx);
            }
        }
        serde_json::Value::Array(a) => {
            checked += a.iter().map(|x| sweep_json(x, ctx)).sum::<usize>()
        }
        _ => {}
    }
    checked
}

fn sweep_ld_json(doc: &Html, ctx: &str) -> usize {
    let sel = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    doc.select(&sel)
        .map(|s| {
            let text: String = s.text().collect();
            sweep_json(&serde_json::from_str(&text).unwrap(), ctx)
        })
        .sum()
}

/// Every HTML file of the output (attributes and JSON-LD), the HTML inside every Atom entry,
/// and the JSON Feed.
fn sweep_site(t: &SiteTest, name: &str) {
    let mut checked = 0;
    for (rel, bytes) in t.snapshot() {
        let ctx = format!("{name}: {}", rel.display());
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        let text = String::from_utf8_lossy(&bytes);
        if ext == "html" {
            let doc = Html::parse_document(&text);
            checked += sweep_html(&doc, &ctx) + sweep_ld_json(&doc, &ctx);
        } else if rel.ends_with("open.json") {
            checked += sweep_json(&serde_json::from_str(&text).unwrap(), &ctx);
        } else if ext == "xml" && text.contains("<feed") {
            let xml = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            for n in xml.descendants() {
                if let Some(h) = n.attribute("href") {
                    assert!(allowed_in_output(h), "{ctx}: href={h:?}");
                }
                if n.tag_name().name() == "content" {
                    let html = Html::parse_fragment(n.text().unwrap_or(""));
                    checked += sweep_html(&html, &ctx);
                }
            }
        }
    }
    assert!(
        checked > 10,
        "{name}: the sweep found almost no URLs ({checked})"
    );
}

/// A site that builds (with warnings) although its authors tried every disguise where the
/// policy lets a build go on: Markdown bodies, whose refused links are dropped.
fn hostile_but_valid_site() -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\ndefault_image: /ogp.png\nmenu:\n  - { name: 課題, url: /challenges/ }\n  - { name: 町, url: \"https://town.example.lg.jp/?a=javascript:x\" }\n  - { name: 電話, url: \"tel:0000\" }\n",
    );
    t.bytes("static/ogp.png", b"png");
    let body = "[a](file:///etc/passwd) [b](//evil.example/) [c](evil-app:x) [d](blob:x)\n\n\
                [e](&#x6A;avascript:alert(1)) ![f](/\\evil.example/x.png) <javascript:x>\n\n\
                [ok](https://example.jp/) [m](mailto:a@example.jp)\n";
    t.file(
        "content/challenges/a.md",
        &format!(
            "{}{body}",
            challenge("image: photo.png\n").replace("本文\n", "")
        ),
    );
    t.file("static/photo.png", "png");
    t.file(
        "content/municipalities/m.md",
        &format!("---\nmunicipality: 汐見町\nprefecture: 新潟県\nwebsite: https://town.example.lg.jp/\n---\n{body}"),
    );
    t.file(
        "content/columns/c.md",
        &format!("---\ntitle: コラム\ndate: 2026-03-01\nimage: https://cdn.example.jp/a.png\n---\n{body}"),
    );
    t
}

#[test]
fn no_built_page_of_any_fixture_site_carries_a_disallowed_url() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in &names {
        let t = SiteTest::from_fixture(name);
        t.build();
        sweep_site(&t, name);
    }
    let sample = SiteTest::sample();
    if let Err(e) = sample.build_at("2026-11-21") {
        panic!("sample: {e:?}");
    }
    sweep_site(&sample, "sample");
    let hostile = hostile_but_valid_site();
    let report = hostile.build();
    sweep_site(&hostile, "hostile");
    assert!(
        report
            .warnings
            .iter()
            .filter(|d| matches!(d.problem, Problem::UnsafeUrlRemoved { .. }))
            .count()
            >= 3 * 7,
        "{}",
        render(&report.warnings)
    );
}
