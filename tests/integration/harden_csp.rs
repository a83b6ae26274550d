//! Issue 11, area csp: every page carries a strict Content-Security-Policy computed from what the
//! site uses, `_headers` carries it with the other security headers, `security:` in site.yaml
//! extends it only with checked sources, and no output needs 'unsafe-inline'.

use crate::common::*;
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use tsunagari::csp::{CspProblem, SourceIssue};
use tsunagari::diagnostics::Problem;

type Policy = BTreeMap<String, Vec<String>>;

fn parse_policy(text: &str) -> Policy {
    text.split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace().map(str::to_string);
            Some((words.next()?, words.collect()))
        })
        .collect()
}

/// The policy of the meta element of a page.
fn meta_policy(doc: &Html) -> Policy {
    let sel = Selector::parse(r#"meta[http-equiv="Content-Security-Policy"]"#).unwrap();
    let metas: Vec<_> = doc.select(&sel).collect();
    assert_eq!(metas.len(), 1, "one CSP meta element");
    parse_policy(metas[0].value().attr("content").unwrap())
}

/// The `/*` rule of `_headers`: header name → value.
fn headers(t: &SiteTest) -> BTreeMap<String, String> {
    let text = t.read("_headers");
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty());
    assert_eq!(lines.next(), Some("/*"), "{text}");
    // The rule ends at the next path (the fingerprinted assets' Cache-Control rules).
    lines
        .take_while(|l| !l.starts_with("/assets/"))
        .map(|l| {
            assert!(l.starts_with("  "), "header lines are indented: {l:?}");
            let (k, v) = l.trim().split_once(": ").unwrap();
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn html_files(t: &SiteTest) -> Vec<String> {
    let mut out: Vec<String> = t
        .snapshot()
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    out.sort();
    out
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

const PRIVACY: &str = "      privacy:\n        purpose: 応募内容の確認のため\n";

/// A site with every kind of form handler, a captcha, iframes, and content of every kind.
fn rich_site() -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        &format!(
            "title: テスト\nbase_url: https://test.example.jp/\nmarkdown:\n  allow_iframes: [www.youtube-nocookie.com]\nforms:\n  default: apply\n  handlers:\n    apply:\n      provider: generic\n      action: https://forms.example.jp/apply?x=1\n{PRIVACY}      captcha: {{ provider: turnstile, sitekey: abc }}\n    spree:\n      provider: formspree\n      id: xabc\n{PRIVACY}    gform:\n      provider: google_forms\n      id: e1\n      entries: {{ name: entry.1, email: entry.2, message: entry.3, consent: entry.4 }}\n{PRIVACY}    golink:\n      provider: link\n      url: https://link-only.example.jp/form\n{PRIVACY}    embedded:\n      provider: embed\n      url: https://embed.example.jp/f/1\n{PRIVACY}    net:\n      provider: netlify\n{PRIVACY}"
        ),
    );
    t.file(
        "content/privacy.md",
        "---\ntitle: プライバシーポリシー\n---\n本文\n",
    );
    t.file(
        "content/contact.md",
        "---\ntitle: お問い合わせ\nform: embedded\n---\n本文\n",
    );
    t.file(
        "content/challenges/open.md",
        &challenge("deadline: 2026-06-30\nthemes: [観光]\n"),
    );
    t.file(
        "content/challenges/closed.md",
        &challenge("status: closed\n"),
    );
    t.file(
        "content/cases/c.md",
        "---\ntitle: 事例\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\n---\n本文\n",
    );
    t.file("content/columns/k.md", "---\ntitle: コラム\ndate: 2026-03-01\n---\n| 左 | 中 | 右 |\n|:--|:-:|--:|\n| a | b | c |\n\n脚注[^1]\n\n- [x] 済み\n- [ ] まだ\n\n<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"動画\" style=\"color:red\"></iframe>\n\n<p style=\"color:red\" onclick=\"x()\">生の HTML</p>\n\n[^1]: 注\n");
    t
}

#[test]
fn every_page_has_the_meta_policy_before_anything_that_loads() {
    let t = rich_site();
    t.build();
    let files = html_files(&t);
    assert!(files.len() > 10, "{files:?}");
    let header = parse_policy(&headers(&t)["Content-Security-Policy"]);
    for f in &files {
        let text = t.read(f);
        let meta = text
            .find("http-equiv=\"Content-Security-Policy\"")
            .unwrap_or_else(|| panic!("{f}: no CSP meta"));
        for loader in ["<script", "<link", "<style", "<iframe", "<img"] {
            if let Some(i) = text.find(loader) {
                assert!(meta < i, "{f}: {loader} comes before the CSP meta");
            }
        }
        let mut policy = meta_policy(&Html::parse_document(&text));
        // The meta policy is the header's, less what browsers ignore in a meta element.
        for ignored in ["frame-ancestors", "report-uri", "report-to", "sandbox"] {
            assert!(!policy.contains_key(ignored), "{f}: {ignored} in meta");
        }
        policy.insert("frame-ancestors".into(), header["frame-ancestors"].clone());
        assert_eq!(policy, header, "{f}");
    }
}

#[test]
fn policy_names_the_configured_form_and_iframe_hosts_and_nothing_broader() {
    let t = rich_site();
    t.build();
    let p = meta_policy(&t.html("index.html"));
    assert_eq!(p["default-src"], strs(&["'self'"]));
    assert_eq!(
        p["script-src"],
        strs(&["'self'", "https://challenges.cloudflare.com"])
    );
    assert_eq!(p["style-src"], strs(&["'self'"]));
    assert_eq!(p["connect-src"], strs(&["'self'"]));
    assert_eq!(p["object-src"], strs(&["'none'"]));
    assert_eq!(p["base-uri"], strs(&["'none'"]));
    // Handlers in name order: apply (generic), gform, spree; link and netlify add nothing.
    assert_eq!(
        p["form-action"],
        strs(&[
            "'self'",
            "https://forms.example.jp",
            "https://docs.google.com",
            "https://formspree.io"
        ])
    );
    assert_eq!(
        p["frame-src"],
        strs(&[
            "https://challenges.cloudflare.com",
            "https://embed.example.jp",
            "https://www.youtube-nocookie.com",
            "https://*.www.youtube-nocookie.com"
        ])
    );
    assert_eq!(p["img-src"], strs(&["'self'", "https:"]));
    let all: Vec<&String> = p.values().flatten().collect();
    for s in &all {
        assert!(!s.contains("unsafe"), "{s}");
        assert!(s.as_str() != "*" && s.as_str() != "data:", "{s}");
        assert!(
            !s.contains("link-only"),
            "a link handler needs no source: {s}"
        );
    }
}

#[test]
fn a_site_without_forms_or_iframes_gets_the_strictest_policy() {
    let t = SiteTest::empty();
    t.build();
    assert_eq!(
        headers(&t)["Content-Security-Policy"],
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; connect-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    );
}

#[test]
fn headers_file_carries_the_security_headers() {
    let t = SiteTest::empty();
    t.build();
    let h = headers(&t);
    assert_eq!(h["X-Content-Type-Options"], "nosniff");
    assert_eq!(h["Referrer-Policy"], "strict-origin-when-cross-origin");
    assert_eq!(h["X-Frame-Options"], "SAMEORIGIN");
    assert_eq!(h["Cross-Origin-Opener-Policy"], "same-origin");
    assert!(h["Permissions-Policy"].contains("camera=()"));
    assert!(h["Content-Security-Policy"].ends_with("frame-ancestors 'self'"));
}

#[test]
fn security_csp_extends_the_policy_with_checked_sources() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nsecurity:\n  csp:\n    font-src: [https://fonts.example.jp]\n    connect-src: https://api.example.jp/v1/\n    frame-ancestors: [https://pref.example.jp]\n    style-src: [\"'sha256-abc+/='\"]\n",
    );
    t.build();
    let p = meta_policy(&t.html("index.html"));
    assert_eq!(p["font-src"], strs(&["'self'", "https://fonts.example.jp"]));
    assert_eq!(
        p["connect-src"],
        strs(&["'self'", "https://api.example.jp/v1/"])
    );
    assert_eq!(p["style-src"], strs(&["'self'", "'sha256-abc+/='"]));
    let h = headers(&t);
    assert!(
        h["Content-Security-Policy"].ends_with("frame-ancestors 'self' https://pref.example.jp")
    );
    // Another host may frame the site: X-Frame-Options cannot say so, so it is left out.
    assert!(!h.contains_key("X-Frame-Options"));
}

fn bad_source(
    d: &[tsunagari::diagnostics::Diagnostic],
    line: usize,
    value: &str,
    issue: SourceIssue,
) {
    expect_at(
        d,
        "site.yaml",
        line,
        |p| matches!(p, Problem::Security(CspProblem::BadSource { value: v, issue: i, .. }) if v == value && *i == issue),
    );
}

#[test]
fn security_csp_rejects_unsafe_broad_and_malformed_sources_with_their_line() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nsecurity:\n  csp:\n    script-src: [\"'unsafe-inline'\"]\n    style-src: [\"'nonce-abc'\"]\n    connect-src: [\"*\"]\n    frame-src: [\"https://x.example.jp; script-src *\"]\n    img-src: [http://images.example.jp]\n    form-action: [https://フォーム.example.jp]\n    media-src: [\"'none'\"]\n    worker-src: [cdn.example.jp]\n    font-src: [\"'unsafe-eval'\"]\n    scrip-src: [https://a.example.jp]\n    default-src: [https://a.example.jp]\n",
    );
    let d = t.errors();
    bad_source(&d, 5, "'unsafe-inline'", SourceIssue::Unsafe);
    bad_source(&d, 6, "'nonce-abc'", SourceIssue::Nonce);
    bad_source(&d, 7, "*", SourceIssue::TooBroad);
    bad_source(
        &d,
        8,
        "https://x.example.jp; script-src *",
        SourceIssue::Syntax,
    );
    bad_source(&d, 9, "http://images.example.jp", SourceIssue::Insecure);
    bad_source(&d, 10, "https://フォーム.example.jp", SourceIssue::NonAscii);
    bad_source(&d, 11, "'none'", SourceIssue::NoneKeyword);
    bad_source(&d, 12, "cdn.example.jp", SourceIssue::NoScheme);
    bad_source(&d, 13, "'unsafe-eval'", SourceIssue::WrongDirective);
    expect_at(
        &d,
        "site.yaml",
        14,
        |p| matches!(p, Problem::UnknownField { field, suggestion: Some(s) } if field == "scrip-src" && s == "script-src"),
    );
    // default-src stays 'self': it is not one of the directives a site can extend.
    expect_at(
        &d,
        "site.yaml",
        15,
        |p| matches!(p, Problem::UnknownField { field, .. } if field == "default-src"),
    );
}

#[test]
fn unsafe_sources_need_the_documented_opt_in() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nsecurity:\n  allow_unsafe: true\n  csp:\n    style-src: [\"'unsafe-inline'\"]\n",
    );
    t.build();
    let p = meta_policy(&t.html("index.html"));
    assert_eq!(p["style-src"], strs(&["'self'", "'unsafe-inline'"]));
}

#[test]
fn form_and_iframe_hosts_that_cannot_be_in_the_policy_are_errors() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        &format!("title: テスト\nbase_url: https://test.example.jp/\nmarkdown:\n  allow_iframes: [\"video.example.jp; script-src *\"]\nforms:\n  handlers:\n    a:\n      provider: generic\n      action: https://フォーム.example.jp/post\n{PRIVACY}"),
    );
    t.file(
        "content/privacy.md",
        "---\ntitle: プライバシーポリシー\n---\n本文\n",
    );
    let d = t.errors();
    let iframe = expect_at(
        &d,
        "site.yaml",
        4,
        |p| matches!(p, Problem::Security(CspProblem::IframeHost { value, issue: SourceIssue::NotHostName }) if value == "video.example.jp; script-src *"),
    );
    assert_eq!(iframe.column, 20, "{}", render(&d));
    bad_source(
        &d,
        9,
        "https://フォーム.example.jp/post",
        SourceIssue::NonAscii,
    );
}

#[test]
fn no_output_needs_unsafe_inline() {
    let t = rich_site();
    t.build();
    let any = Selector::parse("*").unwrap();
    for f in html_files(&t) {
        let doc = t.html(&f);
        for el in doc.select(&any) {
            let v = el.value();
            assert!(
                v.attr("style").is_none(),
                "{f}: style attribute on <{}>",
                v.name()
            );
            for (name, _) in v.attrs() {
                assert!(!name.starts_with("on"), "{f}: event handler {name}");
            }
            if v.name() == "script" {
                let data_block = v.attr("type") == Some("application/ld+json");
                assert!(v.attr("src").is_some() || data_block, "{f}: inline script");
            }
            assert_ne!(v.name(), "style", "{f}: <style> element");
        }
    }
    // The aligned table keeps its alignment through classes.
    let col = t.html("columns/k/index.html");
    assert_eq!(
        attrs(&col, ".prose th", "class"),
        strs(&["align-left", "align-center", "align-right"])
    );
}

#[test]
fn own_static_headers_file_wins_with_a_warning() {
    let t = SiteTest::empty();
    t.file("static/_headers", "/*\n  X-Custom: 1\n");
    let r = t.build();
    assert_eq!(t.read("_headers"), "/*\n  X-Custom: 1\n");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.path == std::path::Path::new("static/_headers")
                && matches!(w.problem, Problem::Security(CspProblem::OwnHeadersFile))),
        "{}",
        render(&r.warnings)
    );
    // The meta policy still protects every page.
    meta_policy(&t.html("index.html"));
}

#[test]
fn headers_false_writes_no_headers_file() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nsecurity:\n  headers: false\n",
    );
    t.build();
    assert!(!t.exists("_headers"));
    meta_policy(&t.html("index.html"));
}

#[test]
fn policy_and_headers_are_deterministic() {
    let a = rich_site();
    a.build();
    let b = rich_site();
    b.build();
    assert_eq!(a.read("_headers"), b.read("_headers"));
    assert_eq!(a.read("index.html"), b.read("index.html"));
}

// hardening: config

/// The directives and headers a site can ever have; nothing from site.yaml may add one.
const DIRECTIVES: [&str; 14] = [
    "default-src",
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "frame-src",
    "worker-src",
    "manifest-src",
    "object-src",
    "base-uri",
    "form-action",
    "frame-ancestors",
];
const HEADERS: [&str; 6] = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
];

/// Values that try to end a source, a directive, a policy or a header line, each written as a
/// YAML double-quoted scalar.
const INJECTIONS: [&str; 9] = [
    "www.youtube-nocookie.com/ *; object-src *; base-uri *",
    "x.example.jp/ ; script-src-elem 'unsafe-inline'",
    "x.example.jp\\nAccess-Control-Allow-Origin: *",
    "x.example.jp\\r\\nAccess-Control-Allow-Origin: *",
    "https://x.example.jp/a;script-src *",
    "https://x.example.jp/a,script-src *",
    "https://x.example.jp/a b'unsafe-inline'",
    "https://x.example.jp:443;base-uri *",
    "https://x.example.jp/\\u2028base-uri *",
];

/// Checks that a built site's policies (meta and `_headers`) hold only known directives, each
/// once, and `_headers` only the known headers.
fn assert_only_known_directives_and_headers(t: &SiteTest, what: &str) {
    let check = |policy: &str| {
        let names: Vec<&str> = policy
            .split(';')
            .filter_map(|d| d.split_whitespace().next())
            .collect();
        for n in &names {
            assert!(
                DIRECTIVES.contains(n),
                "{what}: directive {n:?} in {policy:?}"
            );
            assert_eq!(
                names.iter().filter(|x| *x == n).count(),
                1,
                "{what}: {policy:?}"
            );
        }
        for word in policy.split([';', ' ']).filter(|w| !w.is_empty()) {
            assert!(
                !word.contains(['\'', ',']) || word.starts_with('\''),
                "{what}: {word:?}"
            );
        }
    };
    let meta = Selector::parse(r#"meta[http-equiv="Content-Security-Policy"]"#).unwrap();
    let doc = t.html("index.html");
    check(
        doc.select(&meta)
            .next()
            .unwrap()
            .value()
            .attr("content")
            .unwrap(),
    );
    let h = headers(t);
    for k in h.keys() {
        assert!(HEADERS.contains(&k.as_str()), "{what}: header {k:?}");
    }
    check(&h["Content-Security-Policy"]);
}

#[test]
fn no_config_value_can_add_a_directive_or_a_header() {
    let slots: [fn(&str) -> String; 5] = [
        |v| format!("markdown:\n  allow_iframes: [\"{v}\"]\n"),
        |v| format!("security:\n  csp:\n    img-src: [\"{v}\"]\n"),
        |v| {
            format!("forms:\n  handlers:\n    a:\n      provider: generic\n      action: \"{v}\"\n{PRIVACY}")
        },
        |v| {
            format!(
                "forms:\n  handlers:\n    a:\n      provider: embed\n      url: \"{v}\"\n{PRIVACY}"
            )
        },
        |v| {
            format!("forms:\n  handlers:\n    a:\n      provider: generic\n      action: https://f.example.jp/\n      captcha: {{ provider: turnstile, sitekey: \"{v}\" }}\n{PRIVACY}")
        },
    ];
    for (i, slot) in slots.iter().enumerate() {
        for v in INJECTIONS {
            let t = SiteTest::empty();
            t.file(
                "site.yaml",
                &format!(
                    "title: テスト\nbase_url: https://test.example.jp/\n{}",
                    slot(v)
                ),
            );
            t.file(
                "content/privacy.md",
                "---\ntitle: プライバシー\n---\n本文\n",
            );
            // Refused (an error naming site.yaml), or built with nothing added.
            match t.build_at(NOW) {
                Ok(_) => assert_only_known_directives_and_headers(&t, &format!("slot {i}: {v}")),
                Err(tsunagari::pipeline::Failure::Content(d)) => {
                    assert!(
                        d.iter()
                            .any(|x| x.is_error() && x.path == std::path::Path::new("site.yaml")),
                        "slot {i}: {v}: {}",
                        render(&d)
                    );
                }
                Err(e) => panic!("slot {i}: {v}: {e:?}"),
            }
        }
    }
}

#[test]
fn iframe_hosts_with_paths_or_line_breaks_are_errors_at_their_item() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nmarkdown:\n  allow_iframes:\n    - www.youtube-nocookie.com\n    - \"www.youtube-nocookie.com/ *; object-src *; base-uri *\"\n    - |\n      x.example.jp\n      Access-Control-Allow-Origin: *\n    - jp\n    - 192.0.2.1\n",
    );
    let d = t.errors();
    let iframe = |line: usize, issue: SourceIssue| {
        let at: Vec<_> = d.iter().filter(|x| x.line == line).collect();
        assert_eq!(at.len(), 1, "line {line}:\n{}", render(&d));
        let x = at[0];
        assert!(
            matches!(&x.problem, Problem::Security(CspProblem::IframeHost { issue: i, .. }) if *i == issue),
            "line {line}:\n{}",
            render(&d)
        );
        assert_eq!(x.path, std::path::Path::new("site.yaml"));
        assert!(x.problem.help(tsunagari::diagnostics::Lang::Ja).is_some());
        assert!(!x
            .problem
            .message(tsunagari::diagnostics::Lang::Ja)
            .contains('\n'));
    };
    iframe(6, SourceIssue::NotHostName);
    iframe(8, SourceIssue::NotHostName);
    iframe(10, SourceIssue::SingleLabel);
    iframe(11, SourceIssue::IpAddress);
    assert_eq!(d.len(), 4, "{}", render(&d));
}

#[test]
fn policy_sources_are_written_in_canonical_form() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nmarkdown:\n  allow_iframes: [WWW.YouTube-NoCookie.COM]\nsecurity:\n  csp:\n    img-src: [HTTPS://Images.Example.JP/Photos/]\n",
    );
    t.build();
    let policy = meta_policy(&t.html("index.html"));
    assert_eq!(
        policy["frame-src"],
        strs(&[
            "https://www.youtube-nocookie.com",
            "https://*.www.youtube-nocookie.com"
        ])
    );
    assert!(policy["img-src"].contains(&"https://images.example.jp/Photos/".to_string()));
}
