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
    t.file("content/about.md", "---\ntitle: 概要\n---\n本文\n");
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
    t.bytes("static/ogp.png", &crate::common::png());
    let body = "[a](file:///etc/passwd) [b](//evil.example/) [c](evil-app:x) [d](blob:x)\n\n\
                [e](&#x6A;avascript:alert(1)) ![f](/\\evil.example/x.png) <javascript:x>\n\n\
                [ok](https://example.jp/) [m](mailto:a@example.jp)\n";
    t.file(
        "content/challenges/a.md",
        &format!(
            "{}{body}",
            challenge("image: photo.png\nimage_alt: 写真\n").replace("本文\n", "")
        ),
    );
    t.bytes("static/photo.png", &crate::common::png());
    t.file(
        "content/municipalities/m.md",
        &format!("---\nmunicipality: 汐見町\nprefecture: 新潟県\nwebsite: https://town.example.lg.jp/\n---\n{body}"),
    );
    t.file(
        "content/columns/c.md",
        &format!("---\ntitle: コラム\ndate: 2026-03-01\nimage: https://cdn.example.jp/a.png\nimage_alt: 写真\n---\n{body}"),
    );
    t
}

#[test]
fn no_built_page_of_any_fixture_site_carries_a_disallowed_url() {
    for (name, t, now) in &every_site() {
        if let Err(e) = t.build_at(now) {
            panic!("{name}: {e:?}");
        }
        sweep_site(t, name);
    }
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

// hardening: config

/// Checks that `file:line` has exactly one diagnostic, a URL refused for `reason`.
fn refused_at(d: &[Diagnostic], file: &str, line: usize, reason: tsunagari::urls::Reason) {
    let at: Vec<&Diagnostic> = d
        .iter()
        .filter(|x| x.path == Path::new(file) && x.line == line)
        .collect();
    assert_eq!(at.len(), 1, "{file}:{line}:\n{}", render(d));
    assert!(
        matches!(&at[0].problem, Problem::UrlRefused(r) if r.reason == reason),
        "{file}:{line}: not {reason:?}:\n{}",
        render(d)
    );
}

#[test]
fn dot_slash_paths_never_become_protocol_relative_urls() {
    use tsunagari::urls::Reason;
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        &challenge("image: .//evil.example/x.png\n"),
    );
    t.file(
        "content/columns/b.md",
        "---\ntitle: コラム\ndate: 2026-03-01\nimage: \"../..//evil.example/x.png\"\n---\n本文\n",
    );
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\ndefault_image: \"/.//evil.example/ogp.png\"\n",
    );
    let d = t.errors();
    refused_at(&d, "content/challenges/a.md", 6, Reason::HiddenNetworkPath);
    refused_at(&d, "content/columns/b.md", 4, Reason::HiddenNetworkPath);
    refused_at(&d, "site.yaml", 3, Reason::HiddenNetworkPath);

    // In Markdown such links and images are removed with a warning; what stays (pages of a
    // bundle, images beside it) never starts with //.
    let t = SiteTest::empty();
    t.file(
        "content/columns/c/index.md",
        "---\ntitle: コラム\ndate: 2026-03-01\nimage: ./photo.png\nimage_alt: 写真\n---\n![a](.//evil.example/x.png)\n\n[b](.//evil.example/)\n\n![c](./photo.png) [d](../)\n",
    );
    t.bytes("content/columns/c/photo.png", &crate::common::png());
    let report = t.build();
    let removed: Vec<usize> = report
        .warnings
        .iter()
        .filter(|d| {
            matches!(&d.problem, Problem::UnsafeUrlRemoved { .. })
                || matches!(
                    &d.problem,
                    Problem::Config(tsunagari::diagnostics::ConfigProblem::ImageRemoved(_))
                )
        })
        .map(|d| d.line)
        .collect();
    assert_eq!(removed, [7, 9], "{}", render(&report.warnings));
    for f in ["columns/c/index.html", "columns/index.html", "index.html"] {
        let html = t.read(f);
        let doc = Html::parse_document(&html);
        for (css, attr) in [
            ("img", "src"),
            ("a", "href"),
            ("meta", "content"),
            ("link", "href"),
        ] {
            for v in attrs(&doc, css, attr) {
                assert!(!v.starts_with("//"), "{f}: {css} {attr}={v:?}");
                assert!(!v.contains("evil.example"), "{f}: {css} {attr}={v:?}");
            }
        }
    }
}

#[test]
fn http_images_are_errors_in_front_matter_and_site_yaml_and_removed_from_markdown() {
    use tsunagari::urls::Reason;
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\ndefault_image: http://images.example.jp/ogp.png\n",
    );
    t.file(
        "content/challenges/a.md",
        &challenge("image: HTTP://images.example.jp/a.png\n"),
    );
    let d = t.errors();
    refused_at(&d, "site.yaml", 3, Reason::InsecureImage);
    refused_at(&d, "content/challenges/a.md", 6, Reason::InsecureImage);
    for x in &d {
        assert!(x.problem.help(Lang::Ja).unwrap().contains("https://"));
        assert!(x.problem.help(Lang::En).unwrap().contains("https://"));
    }

    let t = SiteTest::empty();
    t.file(
        "content/columns/c.md",
        "---\ntitle: コラム\ndate: 2026-03-01\n---\n![a](http://images.example.jp/a.png)\n\n![b](https://images.example.jp/b.png)\n\n![c](mailto:a@example.jp)\n",
    );
    let report = t.build();
    let removed: Vec<(usize, String)> = report
        .warnings
        .iter()
        .filter_map(|d| match &d.problem {
            Problem::Config(tsunagari::diagnostics::ConfigProblem::ImageRemoved(r)) => {
                Some((d.line, r.url.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        removed,
        [
            (5, "http://images.example.jp/a.png".to_string()),
            (9, "mailto:a@example.jp".to_string())
        ],
        "{}",
        render(&report.warnings)
    );
    let doc = t.html("columns/c/index.html");
    assert_eq!(
        attrs(&doc, "main img", "src"),
        ["https://images.example.jp/b.png"]
    );
}

#[test]
fn urls_that_need_percent_encoding_are_refused_and_markdown_hrefs_are_encoded() {
    use tsunagari::urls::Reason;
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nforms:\n  handlers:\n    e:\n      provider: embed\n      url: \"https://forms.example.jp/a b\\\"c\"\n      privacy: { purpose: 確認のため }\n",
    );
    t.file(
        "content/privacy.md",
        "---\ntitle: プライバシー\n---\n本文\n",
    );
    refused_at(&t.errors(), "site.yaml", 7, Reason::Unencoded(' '));

    let t = SiteTest::empty();
    t.file(
        "content/columns/c.md",
        "---\ntitle: コラム\ndate: 2026-03-01\nimage: \"/images/a<b>.png\"\n---\n本文\n",
    );
    refused_at(
        &t.errors(),
        "content/columns/c.md",
        4,
        Reason::Unencoded('<'),
    );

    // Under a base path, so `/x y/"q"` names another application's page (below the base path
    // it would be a link to no output of the site, an error).
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/p/\n",
    );
    t.file("content/about.md", "---\ntitle: 概要\n---\n## a b\n");
    t.file(
        "content/columns/c.md",
        "---\ntitle: コラム\ndate: 2026-03-01\n---\n[n](<../about.md#a b>) [m](</x y/\"q\">) [e](<https://example.jp/a b>)\n",
    );
    t.build();
    let doc = t.html("columns/c/index.html");
    let hrefs = attrs(&doc, "main a", "href");
    for want in [
        "/p/about/#a%20b",
        "/x%20y/%22q%22",
        "https://example.jp/a%20b",
    ] {
        assert!(hrefs.iter().any(|h| h == want), "{want} not in {hrefs:?}");
    }
    for h in &hrefs {
        assert!(!h.contains([' ', '"', '<', '>']), "{h:?}");
    }
}

#[test]
fn base_url_and_language_that_would_be_invalid_in_the_output_are_errors() {
    use tsunagari::urls::Reason;
    for (value, reason) in [
        ("https://a:b@test.example.jp/", Reason::Userinfo),
        (
            "https://test.example.jp:99999999/",
            Reason::BadPort("99999999".into()),
        ),
        ("https://test.example.jp/a\\\"b/", Reason::Unencoded('"')),
        ("https://test.example.jp/a'b/", Reason::Unencoded('\'')),
        ("https://test.example.jp/<p>/", Reason::Unencoded('<')),
        ("https://test.example.jp/a b/", Reason::Unencoded(' ')),
        (
            "https://test.example.jp//portal/",
            Reason::HiddenNetworkPath,
        ),
    ] {
        let t = SiteTest::empty();
        t.file(
            "site.yaml",
            &format!("title: テスト\nbase_url: \"{value}\"\n"),
        );
        let d = t.errors();
        refused_at(&d, "site.yaml", 2, reason);
        assert!(d[0].problem.help(Lang::Ja).is_some());
    }
    for bad in ["ja\\\" onload=\\\"x", "japanese", "ja_JP", "日本語"] {
        let t = SiteTest::empty();
        t.file(
            "site.yaml",
            &format!("title: テスト\nbase_url: https://test.example.jp/\nlanguage: \"{bad}\"\n"),
        );
        let d = t.errors();
        expect_at(&d, "site.yaml", 3, |p| {
            matches!(
                p,
                Problem::Config(tsunagari::diagnostics::ConfigProblem::Language { .. })
            )
        });
    }
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nlanguage: en-GB\n",
    );
    t.build();
    assert!(t.read("index.html").contains("lang=\"en-GB\""));
}

#[test]
fn form_field_names_used_by_the_form_or_its_provider_are_errors_at_their_line() {
    use tsunagari::diagnostics::ConfigProblem;
    for (provider, extra, name) in [
        ("generic", "action: https://f.example.jp/", "hp"),
        ("generic", "action: https://f.example.jp/", "website"),
        ("formspree", "id: xabc", "_gotcha"),
        ("formspree", "id: xabc", "_next"),
        ("formspree", "id: xabc", "_subject"),
        ("formrun", "id: xabc", "_formrun_gotcha"),
        ("netlify", "", "bot_field"),
        ("generic", "action: https://f.example.jp/", "consent"),
        ("generic", "action: https://f.example.jp/", "page_url"),
    ] {
        let t = SiteTest::empty();
        t.file(
            "site.yaml",
            &format!("title: テスト\nbase_url: https://test.example.jp/\nforms:\n  handlers:\n    a:\n      provider: {provider}\n      {extra}\n      privacy: {{ purpose: 確認のため }}\n      fields:\n        - {{ name: phone, type: tel }}\n        - name: {name}\n          label: ラベル\n"),
        );
        t.file(
            "content/privacy.md",
            "---\ntitle: プライバシー\n---\n本文\n",
        );
        let d = t.errors();
        let x = expect_at(
            &d,
            "site.yaml",
            11,
            |p| matches!(p, Problem::Config(ConfigProblem::ReservedFieldName { name: n, .. }) if n == name),
        );
        assert_eq!(x.column, 17, "{}", render(&d));
        assert!(x.problem.message(Lang::Ja).contains(name));
    }
    // A valid form: every id on the page is unique, and each label points at one control.
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nforms:\n  default: a\n  handlers:\n    a:\n      provider: generic\n      action: https://f.example.jp/\n      privacy: { purpose: 確認のため }\n      fields:\n        - { name: phone, type: tel }\n        - { name: Phone, type: tel }\n        - { name: company_url, type: url }\n",
    );
    t.file(
        "content/privacy.md",
        "---\ntitle: プライバシー\n---\n本文\n",
    );
    t.file(
        "content/challenges/a.md",
        &challenge("deadline: 2026-06-30\n"),
    );
    t.build();
    let doc = t.html("challenges/a/index.html");
    let ids = attrs(&doc, "[id]", "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
    for f in attrs(&doc, "label[for]", "for") {
        assert_eq!(ids.iter().filter(|i| **i == f).count(), 1, "{f}");
    }
}

#[test]
fn dates_that_leave_four_digit_years_in_the_site_time_zone_are_errors_at_their_line() {
    for (tz, date) in [
        ("+09:00", "0001-01-01T00:00:00+23:59"),
        ("+14:00", "9999-12-31T23:59:59+00:00"),
        ("+09:00", "9999-12-31"),
        ("+09:00", "0001-01-01"),
    ] {
        let t = SiteTest::empty();
        t.file(
            "site.yaml",
            &format!("title: テスト\nbase_url: https://test.example.jp/\ntimezone: \"{tz}\"\n"),
        );
        t.file(
            "content/columns/c.md",
            &format!("---\ntitle: コラム\ndate: \"{date}\"\n---\n本文\n"),
        );
        let d = t.errors();
        expect_at(&d, "content/columns/c.md", 3, |p| {
            matches!(p, Problem::InvalidDate { .. })
        });
    }
    // The last accepted dates stay four-digit years in feeds, the sitemap and next-rebuild.
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\ntimezone: \"+14:00\"\n",
    );
    t.file(
        "content/challenges/a.md",
        &challenge("deadline: 9998-12-31\nupdated: \"9998-12-31T23:59:59Z\"\n"),
    );
    t.build();
    for f in [
        "atom.xml",
        "sitemap.xml",
        ".tsunagari/next-rebuild",
        "challenges/a/index.html",
    ] {
        let text = t.read(f);
        assert!(!text.contains("10000-"), "{f}: {text}");
    }
}
