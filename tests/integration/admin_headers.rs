//! Issue 13 §3: the web editor works on Netlify and Cloudflare Pages. With `init`'s `admin/`,
//! `_headers` gives the editor's paths exactly the editor's Content-Security-Policy and every
//! other published path exactly the site's, on disjoint rules, as each host matches them (a small
//! matcher of each host's path syntax below); without the editor, `_headers` is one `/*` rule.

use crate::common::{render, NOW};
use crate::incremental_support::{assert_same_as_clean, step};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use tsunagari::incremental::{Mode, Session};
use tsunagari::pipeline::{self, Failure};

/// One rule of `_headers`: its path pattern and its headers.
type Rule = (String, Vec<(String, String)>);

fn parse_headers(text: &str) -> Vec<Rule> {
    let mut rules: Vec<Rule> = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        if let Some(header) = line.strip_prefix("  ") {
            let (k, v) = header.split_once(": ").expect("name: value");
            rules
                .last_mut()
                .expect("a path first")
                .1
                .push((k.into(), v.into()));
        } else {
            assert!(line.starts_with('/'), "a path line: {line:?}");
            rules.push((line.to_string(), Vec::new()));
        }
    }
    rules
}

#[derive(Clone, Copy, Debug)]
enum Tok {
    Lit(char),
    /// A character that may be missing (Netlify's `/?`).
    Opt(char),
    /// Any characters, `/` included.
    Star,
    /// One or more characters other than `/` (a `:placeholder`).
    Seg,
}

#[derive(Clone, Copy, Debug)]
enum Host {
    /// Cloudflare Pages: `*` any characters, `:name` one segment, exact case.
    Cloudflare,
    /// Netlify, as `@netlify/headers-parser` builds its RegExp: `^/<parts>/?$`, case-insensitive,
    /// a standalone `*` part being `?(.*)` (the `/` before it optional).
    Netlify,
}

fn tokens(host: Host, pattern: &str) -> Vec<Tok> {
    let part = |p: &str, out: &mut Vec<Tok>| {
        if p.starts_with(':') {
            out.push(Tok::Seg);
        } else {
            out.extend(
                p.chars()
                    .map(|c| if c == '*' { Tok::Star } else { Tok::Lit(c) }),
            );
        }
    };
    let mut out = Vec::new();
    match host {
        Host::Cloudflare => {
            for (i, p) in pattern.split('/').enumerate() {
                if i > 0 {
                    out.push(Tok::Lit('/'));
                }
                part(p, &mut out);
            }
        }
        Host::Netlify => {
            out.push(Tok::Lit('/'));
            for (i, p) in pattern.split('/').filter(|p| !p.is_empty()).enumerate() {
                if i > 0 {
                    out.push(Tok::Lit('/'));
                }
                if p == "*" {
                    out.pop();
                    out.extend([Tok::Opt('/'), Tok::Star]);
                } else {
                    part(p, &mut out);
                }
            }
            out.push(Tok::Opt('/'));
        }
    }
    out
}

fn matches_toks(t: &[Tok], s: &[char]) -> bool {
    match t.first() {
        None => s.is_empty(),
        Some(Tok::Lit(c)) => s.first() == Some(c) && matches_toks(&t[1..], &s[1..]),
        Some(Tok::Opt(c)) => {
            (s.first() == Some(c) && matches_toks(&t[1..], &s[1..])) || matches_toks(&t[1..], s)
        }
        Some(Tok::Star) => (0..=s.len()).any(|n| matches_toks(&t[1..], &s[n..])),
        Some(Tok::Seg) => (1..=s.len())
            .take_while(|&n| s[n - 1] != '/')
            .any(|n| matches_toks(&t[1..], &s[n..])),
    }
}

fn matches(host: Host, pattern: &str, path: &str) -> bool {
    let fold = |s: &str| match host {
        Host::Netlify => s.to_lowercase(),
        Host::Cloudflare => s.to_string(),
    };
    let path: Vec<char> = fold(path).chars().collect();
    matches_toks(&tokens(host, &fold(pattern)), &path)
}

/// The values of `name` that `host` sends for `path`: one per matching rule that sets it.
fn sent(rules: &[Rule], host: Host, path: &str, name: &str) -> Vec<String> {
    rules
        .iter()
        .filter(|(p, _)| matches(host, p, path))
        .flat_map(|(_, hs)| hs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()))
        .collect()
}

#[test]
fn the_matchers_follow_each_hosts_documented_rules() {
    use Host::*;
    assert!(matches(Cloudflare, "/*", "/"));
    assert!(matches(Cloudflare, "/a/*", "/a/b/c"));
    assert!(!matches(Cloudflare, "/a/*", "/ab/"));
    assert!(!matches(Cloudflare, "/A/", "/a/"));
    assert!(matches(Cloudflare, "/:x/", "/ab/"));
    assert!(!matches(Cloudflare, "/:x/", "/a/b/"));
    // Netlify: the splat takes the slash before it, and the trailing slash is optional.
    assert!(matches(Netlify, "/*", "/"));
    assert!(matches(Netlify, "/a/*", "/ab/"));
    assert!(matches(Netlify, "/admin/*", "/admin.html"));
    assert!(matches(Netlify, "/A/", "/a"));
    assert!(matches(Netlify, "/", "/"));
    assert!(!matches(Netlify, "/", "/a"));
    assert!(!matches(Netlify, "/a.html", "/a.htm"));
}

/// A site made by `init`, built at `NOW`; returns (temp dir, site root).
fn init_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let today = tsunagari::date::Date::parse(NOW).unwrap();
    tsunagari::scaffold::init(&root, today, tsunagari::scaffold::Host::default()).unwrap();
    (dir, root)
}

fn build(root: &Path) {
    match pipeline::build(&pipeline::options(root, NOW)) {
        Ok(_) => {}
        Err(Failure::Content(d)) => panic!("build failed:\n{}", render(&d)),
        Err(e) => panic!("build failed: {e:?}"),
    }
}

fn meta_csp(file: &Path) -> String {
    let doc = Html::parse_document(&std::fs::read_to_string(file).unwrap());
    let sel = Selector::parse(r#"meta[http-equiv="Content-Security-Policy"]"#).unwrap();
    let metas: Vec<_> = doc.select(&sel).collect();
    assert_eq!(metas.len(), 1, "{}", file.display());
    metas[0].value().attr("content").unwrap().to_string()
}

/// Every request path of the output: each file, and a folder's URL for its `index.html`.
fn request_paths(public: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for rel in crate::common::snapshot(public).keys() {
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel == "_headers" {
            continue;
        }
        if let Some(dir) = rel.strip_suffix("index.html") {
            out.push(format!("/{dir}"));
        }
        out.push(format!("/{rel}"));
    }
    out
}

#[test]
fn the_editor_and_the_site_get_their_own_policy_on_disjoint_rules() {
    let (_dir, root) = init_site();
    build(&root);
    let public = root.join("public");
    let text = std::fs::read_to_string(public.join("_headers")).unwrap();
    let rules = parse_headers(&text);
    let editor = meta_csp(&public.join("admin/index.html"));
    assert_eq!(
        editor,
        tsunagari::cms::ADMIN_CSP,
        "one source for the editor's policy"
    );
    let site = format!(
        "{}; frame-ancestors 'self'",
        meta_csp(&public.join("index.html"))
    );

    let mut paths = request_paths(&public);
    assert!(paths.len() > 20, "{paths:?}");
    for p in [
        "/",
        "/admin/",
        "/admin/index.html",
        "/admin/config.yml",
        "/search/",
    ] {
        assert!(paths.iter().any(|q| q == p), "{p} is published: {paths:?}");
    }
    // Paths the hosts may see but the output does not hold as such.
    paths.extend(["/challenges/x/", "/assets/style.css"].map(String::from));
    for host in [Host::Cloudflare, Host::Netlify] {
        for path in &paths {
            let is_editor = path.starts_with("/admin/");
            let (csp, coop) = if is_editor {
                (&editor, "same-origin-allow-popups")
            } else {
                (&site, "same-origin")
            };
            let what = format!("{host:?} {path}\n{text}");
            assert_eq!(
                sent(&rules, host, path, "Content-Security-Policy"),
                std::slice::from_ref(csp),
                "{what}"
            );
            assert_eq!(
                sent(&rules, host, path, "Cross-Origin-Opener-Policy"),
                [coop],
                "{what}"
            );
            for shared in [
                "X-Content-Type-Options",
                "Referrer-Policy",
                "Permissions-Policy",
                "X-Frame-Options",
            ] {
                assert_eq!(
                    sent(&rules, host, path, shared).len(),
                    1,
                    "{shared} once: {what}"
                );
            }
        }
    }
}

#[test]
fn without_the_editor_page_headers_are_one_rule_for_every_path() {
    let (_dir, root) = init_site();
    // Not tsunagari's page (staff changed it): it keeps the site's policy like any other file.
    let page = root.join("static/admin/index.html");
    let changed = std::fs::read_to_string(&page)
        .unwrap()
        .replace("</body>", "<p>x</p></body>");
    std::fs::write(&page, changed).unwrap();
    build(&root);
    let text = std::fs::read_to_string(root.join("public/_headers")).unwrap();
    // Besides the fingerprinted assets' Cache-Control (`assets.rs`).
    let rules: Vec<_> = parse_headers(&text)
        .into_iter()
        .filter(|(_, h)| h.iter().any(|(k, _)| k != "Cache-Control"))
        .collect();
    assert_eq!(rules.len(), 1, "{text}");
    assert_eq!(rules[0].0, "/*");
    assert_eq!(rules[0].1[0].0, "Content-Security-Policy");

    std::fs::remove_dir_all(root.join("static/admin")).unwrap();
    build(&root);
    let without = std::fs::read_to_string(root.join("public/_headers")).unwrap();
    assert_eq!(
        without, text,
        "the same file with or without an admin folder of one's own"
    );
}

#[test]
fn the_dev_server_writes_the_same_headers_as_a_clean_build() {
    let (_dir, root) = init_site();
    let opts = pipeline::options(&root, NOW);
    let mut s = Session::new(opts.clone());
    s.update(None).unwrap();
    s.finish().unwrap();
    assert_same_as_clean(&s, &opts, "the first build");
    let headers = s.files()["_headers"].clone();
    assert!(String::from_utf8_lossy(&headers).contains("\n/admin/\n"));

    // A new top-level entry gets its rule once the late outputs are written.
    std::fs::write(root.join("static/flyer.pdf"), b"%PDF-1.4\n").unwrap();
    step(
        &mut s,
        &opts,
        "a static file added",
        &["static/flyer.pdf"],
        Mode::Incremental,
    );
    assert!(String::from_utf8_lossy(&s.files()["_headers"]).contains("\n/flyer.pdf\n"));
    // The editor removed: back to one rule.
    std::fs::remove_dir_all(root.join("static/admin")).unwrap();
    step(
        &mut s,
        &opts,
        "the editor removed",
        &["static/admin"],
        Mode::Incremental,
    );
    assert!(!String::from_utf8_lossy(&s.files()["_headers"]).contains("/admin/"));
}
