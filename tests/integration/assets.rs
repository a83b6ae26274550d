//! Theme style sheets and scripts are published under fingerprinted names (issue 16): every
//! asset URL of every page names a published file, every module a script imports is published,
//! and a name changes exactly when the published bytes do (so hosts may cache them forever, and
//! unchanged assets are not uploaded again).

use crate::common::*;
use crate::harden_output::site_with_own_theme;
use scraper::Html;
use std::collections::BTreeMap;

/// Site paths of the files a page loads from its own host: style sheets, icons, preloads,
/// scripts.
fn loaded(doc: &Html) -> Vec<String> {
    let mut v = attrs(doc, "link[rel=stylesheet]", "href");
    v.extend(attrs(doc, "link[rel=icon]", "href"));
    v.extend(attrs(doc, "link[rel=modulepreload]", "href"));
    v.extend(attrs(doc, "script[src]", "src"));
    v
}

/// The relative module specifiers (`'./x.js'`, `"./x.js"`) of a script.
fn specifiers(js: &str) -> Vec<String> {
    let mut out = Vec::new();
    for q in ['\'', '"'] {
        let open = format!("{q}./");
        for (i, _) in js.match_indices(&open) {
            let rest = &js[i + open.len()..];
            if let Some(end) = rest.find(q) {
                out.push(rest[..end].to_string());
            }
        }
    }
    out
}

/// Whether a file name carries ten hex digits before its extension (`style.3f9a1c2e5b.css`).
fn content_named(name: &str) -> bool {
    name.split('.')
        .nth_back(1)
        .is_some_and(|h| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Every page of `t` (built with base path `base`) loads only published files, each of them a
/// fingerprinted style sheet or script or the icon; returns how many distinct files they are.
fn check_every_page(t: &SiteTest, base: &str) -> usize {
    let mut seen = std::collections::BTreeSet::new();
    for (path, _) in t
        .snapshot()
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
    {
        let path = path.to_str().unwrap();
        for url in loaded(&t.html(path)) {
            let rel = url
                .strip_prefix(base)
                .unwrap_or_else(|| panic!("{path}: {url} is not under {base}"));
            assert!(t.exists(rel), "{path}: {url} is not published");
            seen.insert(rel.to_string());
        }
    }
    for rel in &seen {
        if rel.ends_with(".css") || rel.ends_with(".js") {
            assert!(content_named(rel), "{rel} has no content name");
        }
    }
    seen.len()
}

#[test]
fn every_asset_url_of_every_page_names_a_published_file() {
    let t = SiteTest::sample();
    t.build_at(SAMPLE_NOW).unwrap();
    // Style sheet, icon, status, keep, share, search and its three modules.
    assert_eq!(check_every_page(&t, "/"), 9);
    let t = SiteTest::from_fixture("minimal");
    let mut o = tsunagari::pipeline::options(&t.root, "2026-04-01");
    o.base_url = Some("https://example.github.io/portal/".into());
    tsunagari::pipeline::build(&o).unwrap();
    assert!(check_every_page(&t, "/portal/") >= 5);
}

#[test]
fn every_module_a_published_script_imports_is_published() {
    let t = SiteTest::sample();
    t.build_at(SAMPLE_NOW).unwrap();
    let mut imports = 0;
    for (path, bytes) in t.snapshot() {
        let path = path.to_str().unwrap().to_string();
        if !(path.starts_with("assets/") && path.ends_with(".js")) {
            continue;
        }
        for s in specifiers(&String::from_utf8(bytes).unwrap()) {
            assert!(t.exists(&format!("assets/{s}")), "{path} imports ./{s}");
            assert!(content_named(&s), "{s}");
            imports += 1;
        }
    }
    // search.js imports three modules, two of which import search-index.js; keep.js status.js.
    assert!(imports >= 6, "{imports}");
}

/// Published name of every theme asset of `t`'s last build → its bytes.
fn assets(t: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    t.snapshot()
        .into_iter()
        .filter_map(|(p, b)| Some((p.to_str()?.strip_prefix("assets/")?.to_string(), b)))
        .collect()
}

#[test]
fn a_name_changes_when_its_bytes_change_and_only_then() {
    let t = site_with_own_theme();
    t.build();
    let first = assets(&t);
    t.build();
    assert_eq!(assets(&t), first, "a rebuild keeps every name and byte");

    // A changed style sheet: a new name, on every page; the scripts keep theirs.
    let css = "themes/mine/static/assets/style.css";
    let text = std::fs::read_to_string(t.root.join(css)).unwrap();
    t.file(css, &format!("{text}\n.changed {{ color: red; }}\n"));
    t.build();
    let second = assets(&t);
    let old_css = t.asset("style.css");
    assert!(!first.contains_key(old_css.trim_start_matches("assets/")));
    let gone: Vec<&String> = first.keys().filter(|k| !second.contains_key(*k)).collect();
    assert_eq!(gone.len(), 1, "only the style sheet is renamed: {gone:?}");
    assert!(gone[0].starts_with("style.") && gone[0].ends_with(".css"));
    let doc = t.html("index.html");
    assert_eq!(
        attrs(&doc, "link[rel=stylesheet]", "href"),
        [format!("/{old_css}")]
    );

    // A changed module renames it and every module that imports it, and nothing else.
    let js = "themes/mine/static/assets/search-index.js";
    let text = std::fs::read_to_string(t.root.join(js)).unwrap();
    t.file(js, &format!("{text}\n// changed\n"));
    t.build();
    let third = assets(&t);
    let mut renamed: Vec<String> = second
        .keys()
        .filter(|k| !third.contains_key(*k))
        .map(|k| k.split('.').next().unwrap().to_string())
        .collect();
    renamed.sort();
    assert_eq!(
        renamed,
        ["search", "search-index", "search-suggest", "search-text"]
    );
    for (name, bytes) in &third {
        if let Some(old) = second.get(name) {
            assert_eq!(old, bytes, "{name} kept its name with other bytes");
        }
    }
}

#[test]
fn headers_let_hosts_cache_fingerprinted_assets_for_good_and_nothing_else() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let headers = t.read("_headers");
    let cached: Vec<&str> = headers
        .split('\n')
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[1] == "  Cache-Control: public, max-age=31536000, immutable")
        .map(|w| w[0])
        .collect();
    let mut want: Vec<String> = ["keep.js", "search.js", "search-index.js", "share.js"]
        .iter()
        .chain(&[
            "search-suggest.js",
            "search-text.js",
            "status.js",
            "strings.js",
            "style.css",
        ])
        .map(|n| format!("/{}", t.asset(n)))
        .collect();
    want.sort();
    assert_eq!(cached, want, "{headers}");
    assert_eq!(headers.matches("Cache-Control").count(), want.len());
}

#[test]
fn the_texts_scripts_write_come_from_strings_yaml_as_one_module_they_import() {
    let t = site_with_own_theme();
    t.build();
    let js = |t: &SiteTest, name: &str| t.read(&t.asset(name));
    let strings = js(&t, "strings.js");
    assert!(strings.contains(r#""closed":"募集終了""#), "{strings}");
    assert!(
        strings.contains(r#""copied":"コピーしました""#),
        "{strings}"
    );
    // Pages carry none of them: status.js and share.js import the module.
    for name in ["status.js", "share.js"] {
        let imports = specifiers(&js(&t, name));
        assert_eq!(
            imports,
            [t.asset("strings.js").replace("assets/", "")],
            "{name}"
        );
    }
    let before = (
        t.asset("strings.js"),
        t.asset("status.js"),
        t.asset("style.css"),
    );

    // A site's own text renames the module and the scripts that import it, and nothing else.
    t.file("templates/strings.yaml", "status_closed: 受付終了\n");
    t.build();
    let strings = js(&t, "strings.js");
    assert!(strings.contains(r#""closed":"受付終了""#), "{strings}");
    assert_ne!(t.asset("strings.js"), before.0);
    assert_ne!(t.asset("status.js"), before.1);
    assert_eq!(t.asset("style.css"), before.2);
    let doc = t.html("index.html");
    assert!(attrs(&doc, "script[src]", "src").contains(&format!("/{}", t.asset("status.js"))));
}
