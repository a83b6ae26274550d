//! Issue 11, Markdown part: hostile bodies never put live markup on a page, never panic, and
//! never give the page an id twice (neither among themselves nor against the theme's ids).

use crate::common::*;
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::Path;
use tsunagari::diagnostics::{Problem, Severity};

/// Bodies an author (or an attacker with an author's account) might write: heading attributes,
/// code fence info strings, link and image titles, alt text, footnote labels, autolinks, raw
/// HTML of every dangerous kind, comments cut short, tables, task lists.
const HOSTILE: &str = r#"## 応募 {#x autofocus onfocus=alert(1)}

## A {.c style="color:red"}

## B {#y onclick="alert(1)" .d srcdoc=x formaction=javascript:alert(1) hidden}

## C {#"onmouseover="alert(1) ."onclick="x}

## D {#javascript:alert(1)}

```js" onmouseover="alert(1)
code
```

```" style="color:red
more
```

[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1) "t\" onmouseover=\"x") [c](https://x.example/ "\" onclick=\"alert(1)")
<javascript:alert(1)> <https://x.example/?q="onmouseover=alert(1)> <info@example.jp>
[d][r] [e](vbscript:msgbox(1)) [f](data:text/html,<script>alert(1)</script>) [g]( java	script:alert(1))

[r]: javascript:alert(1) "x"

![alt" onerror="alert(1)](/x.png "t\" onload=\"y") ![x](javascript:alert(1)) ![<img src=x onerror=alert(1)>](/y.png)

注[^a" onmouseover="b] と[^main] と[^site-header]

[^a" onmouseover="b]: 脚注
[^main]: 脚注2
[^site-header]: 脚注3

<script>alert(1)</script>

<iframe src="https://evil.example/" srcdoc="<script>alert(1)</script>"></iframe>

<iframe src="https://evil.example\.www.youtube-nocookie.com/embed/x"></iframe>

<iframe src="https://www.youtube-nocookie.com/embed/ok" onload="alert(1)" title="動画"></iframe>

<object data="x.swf"></object>

<embed src="x.swf">

<base href="https://evil.example/">

<meta http-equiv="refresh" content="0;url=javascript:alert(1)">

<form action="https://evil.example/"><button formaction="javascript:alert(1)">送信</button></form>

<svg onload=alert(1)><style>body{display:none}</style></svg>

<math><mi xlink:href="javascript:alert(1)">x</mi></math>

段落 <img src=x onerror=alert(1)> と <a href="javascript:alert(1)">リンク</a> と <b style="color:red">太字</b>

<!--><script>alert(1)</script>-->

<!---><img src=x onerror=alert(1)>

<!-- a --!><script>alert(1)</script><!-- b -->

| 左 | 中 | 右 |
|:--|:-:|--:|
| <i onclick=x>1</i> | 2 | 3 |

- [x] 済み
- [ ] まだ
"#;

fn front(title: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2026-03-01\n---\n")
}

/// A site whose home intro, section intro, a column and a plain page all carry the corpus.
fn hostile_site(site_yaml_extra: &str) -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        &format!("title: テスト\nbase_url: https://test.example.jp/\n{site_yaml_extra}"),
    );
    t.file(
        "content/_index.md",
        &format!("{}{HOSTILE}", front("ホーム")),
    )
    .file(
        "content/columns/_index.md",
        &format!("{}{HOSTILE}", front("コラム")),
    )
    .file(
        "content/columns/hostile.md",
        &format!("{}{HOSTILE}", front("悪意")),
    )
    .file("content/about.md", &format!("{}{HOSTILE}", front("概要")))
    // The images the bodies show (a missing one would be an error).
    .file("static/x.png", "png")
    .file("static/y.png", "png");
    t
}

/// A URL a browser would run as script, however it is disguised.
fn is_script_url(value: &str) -> bool {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:text/html"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// Every way the corpus could come alive, checked with an HTML parser: attributes anywhere in
/// the document, elements inside `<main>` (the theme's own head and header are not body text).
fn assert_inert(rel: &str, doc: &Html, allowed_iframe: Option<&str>) {
    let all = Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        for (name, value) in el.value().attrs() {
            let name = name.to_ascii_lowercase();
            assert!(
                !name.starts_with("on")
                    && !["style", "srcdoc", "formaction", "autofocus"].contains(&name.as_str()),
                "{rel}: <{} {name}=\"{value}\">",
                el.value().name()
            );
            assert!(
                !is_script_url(value),
                "{rel}: <{} {name}=\"{value}\">",
                el.value().name()
            );
        }
    }
    let main = Selector::parse("main *").unwrap();
    for el in doc.select(&main) {
        let name = el.value().name();
        assert!(
            !["script", "object", "embed", "base", "meta", "form", "svg", "math", "style"]
                .contains(&name),
            "{rel}: <{name}> inside main"
        );
        if name == "iframe" {
            let src = el.value().attr("src").unwrap_or_default();
            assert!(
                allowed_iframe.is_some_and(|host| src.starts_with(&format!("https://{host}/"))),
                "{rel}: iframe {src}"
            );
        }
    }
}

#[test]
fn hostile_markdown_puts_no_live_markup_on_any_page() {
    for (extra, iframe) in [
        ("", None),
        (
            "markdown:\n  allow_iframes: [www.youtube-nocookie.com]\n",
            Some("www.youtube-nocookie.com"),
        ),
    ] {
        let t = hostile_site(extra);
        t.build();
        for rel in [
            "index.html",
            "columns/index.html",
            "columns/hostile/index.html",
            "about/index.html",
        ] {
            let doc = t.html(rel);
            assert_inert(rel, &doc, iframe);
            // The text is still there for people to read (and to fix).
            assert!(
                t.read(rel)
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{rel}"
            );
        }
        let doc = t.html("columns/hostile/index.html");
        let iframes = attrs(&doc, "main iframe", "src");
        match iframe {
            None => assert!(iframes.is_empty(), "{iframes:?}"),
            Some(_) => assert_eq!(iframes, ["https://www.youtube-nocookie.com/embed/ok"]),
        }
    }
}

#[test]
fn safe_heading_ids_and_classes_survive_and_tables_align_by_class() {
    let t = hostile_site("");
    t.build();
    let doc = t.html("columns/hostile/index.html");
    assert_eq!(attrs(&doc, ".prose h2.c", "class"), ["c"]);
    assert_eq!(attrs(&doc, ".prose h2.d", "id"), ["y"]);
    assert_eq!(
        attrs(&doc, ".prose th", "class"),
        ["align-left", "align-center", "align-right"]
    );
    assert_eq!(
        attrs(&doc, ".prose a[href^=mailto]", "href"),
        ["mailto:info@example.jp"]
    );
    let css = t.read(&t.asset("style.css"));
    assert!(
        css.contains(".align-center"),
        "the theme styles the classes"
    );
}

#[test]
fn dropped_heading_attributes_are_warnings_with_file_and_line() {
    let t = SiteTest::empty();
    t.file(
        "content/about.md",
        "---\ntitle: 応募\n---\n本文\n\n## 応募 {#x autofocus onfocus=alert(1)}\n\n## A {.c style=\"color:red\"}\n",
    );
    let r = t.build();
    let dropped: Vec<_> = r
        .warnings
        .iter()
        .filter(|d| matches!(d.problem, Problem::HeadingAttributeDropped { .. }))
        .collect();
    let at: Vec<_> = dropped
        .iter()
        .map(|d| (d.path.to_string_lossy().into_owned(), d.line, d.column))
        .collect();
    assert_eq!(
        at,
        [
            ("content/about.md".to_string(), 6, 7),
            ("content/about.md".to_string(), 6, 7),
            ("content/about.md".to_string(), 8, 6),
        ],
        "{}",
        render(&r.warnings)
    );
    assert!(dropped.iter().all(|d| d.severity == Severity::Warning));
    let en = dropped[1].render(tsunagari::diagnostics::Lang::En);
    assert!(en.contains("`onfocus=alert(1)`"), "{en}");
    let ja = dropped[2].render(tsunagari::diagnostics::Lang::Ja);
    assert!(
        ja.contains("style=\"color:red\"") && ja.contains("{#id}"),
        "{ja}"
    );
}

#[test]
fn abrupt_comments_in_a_body_build() {
    let t = SiteTest::empty();
    t.file(
        "content/about.md",
        "---\ntitle: 概要\n---\n<!-->\n\n本文 <!---> と <!--> です\n\n<!--->\n",
    );
    t.build();
    let html = t.read("about/index.html");
    assert!(html.contains("本文"), "{html}");
}

/// Every id of every HTML page under public/, with the pages that repeat one.
fn repeated_ids(t: &SiteTest) -> Vec<String> {
    repeated_ids_in(
        t.snapshot()
            .into_iter()
            .map(|(rel, bytes)| (rel.to_string_lossy().into_owned(), bytes)),
    )
}

/// The ids repeated within one page, for HTML files given as (path, bytes).
fn repeated_ids_in(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Vec<String> {
    let sel = Selector::parse("[id]").unwrap();
    let mut repeated = Vec::new();
    let mut pages = 0;
    for (rel, bytes) in files {
        if !rel.ends_with(".html") {
            continue;
        }
        pages += 1;
        let doc = Html::parse_document(std::str::from_utf8(&bytes).unwrap());
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for el in doc.select(&sel) {
            *seen.entry(el.value().id().unwrap_or_default()).or_default() += 1;
        }
        repeated.extend(
            seen.into_iter()
                .filter(|(_, n)| *n > 1)
                .map(|(id, n)| format!("{rel}: id {id:?} ×{n}")),
        );
    }
    assert!(pages > 0);
    repeated
}

/// Headings that take the theme's ids (`apply`, `main`, `page-title`…), custom ids that do,
/// repeated headings, and footnotes named like theme ids, on every kind of page.
const ID_CLASHES: &str = "本文[^main]と[^1]。\n\n## Apply\n\n## 応募\n\n## main\n\n## page-title\n\n## 目次 {#site-header}\n\n## 同意 {#form-consent}\n\n## Form Name\n\n## pref-1\n\n## search-q {#search-q}\n\n## 応募\n\n## Apply\n\n## fn-main\n\n### toc-heading\n\n[^main]: 脚注\n[^1]: 脚注\n";

fn id_clash_site() -> SiteTest {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\nforms:\n  default: apply\n  handlers:\n    apply:\n      provider: formspree\n      id: xabcdefg\n      privacy:\n        purpose: 応募内容の確認のため\n",
    );
    t.file("content/privacy.md", &format!("---\ntitle: プライバシー\n---\n{ID_CLASHES}"))
        .file("content/_index.md", &format!("---\ntitle: ホーム\n---\n{ID_CLASHES}"))
        .file(
            "content/challenges/apply.md",
            &format!(
                "---\ntitle: 課題\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\ndeadline: 2026-12-31\n---\n{ID_CLASHES}"
            ),
        )
        .file(
            "content/cases/case.md",
            &format!(
                "---\ntitle: 事例\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\nchallenges: [apply]\n---\n{ID_CLASHES}"
            ),
        )
        .file(
            "content/columns/column.md",
            &format!("---\ntitle: コラム\ndate: 2026-03-01\n---\n{ID_CLASHES}"),
        )
        .file(
            "content/municipalities/shiomi.md",
            &format!("---\nmunicipality: 汐見町\nprefecture: 新潟県\n---\n{ID_CLASHES}"),
        );
    t
}

#[test]
fn no_built_page_has_a_repeated_id() {
    let mut sites = every_site();
    sites.push(("id clashes".into(), id_clash_site(), NOW));
    for (name, t, now) in &sites {
        if let Err(e) = t.build_at(now) {
            panic!("{name}: {e:?}");
        }
        let repeated = repeated_ids(t);
        assert!(repeated.is_empty(), "{name}:\n{}", repeated.join("\n"));
    }
}

#[test]
fn body_ids_give_way_to_the_theme_and_stay_readable() {
    let t = id_clash_site();
    t.build();
    let doc = t.html("challenges/apply/index.html");
    let ids = attrs(&doc, ".prose h2, .prose h3", "id");
    assert_eq!(
        ids,
        [
            "apply-2",
            "応募",
            "main-2",
            "page-title-2",
            "site-header-2",
            "md-form-consent",
            "md-form-name",
            "md-pref-1",
            "search-q-2",
            "応募-2",
            "apply-3",
            "fn-main-2",
            "toc-heading-2"
        ]
    );
    // The table of contents links the ids the headings got; footnotes link up.
    let toc: Vec<String> = attrs(&doc, "a[href^='#']", "href");
    assert!(toc.contains(&"#apply-2".to_string()), "{toc:?}");
    assert!(toc.contains(&"#fn-main".to_string()), "{toc:?}");
    assert_eq!(attrs(&doc, "#fn-main", "class"), ["footnote-definition"]);
}

#[test]
fn ids_of_a_site_theme_and_template_overrides_are_reserved() {
    let t = SiteTest::empty();
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for e in walkdir::WalkDir::new(&default)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&default).unwrap();
            t.bytes(
                &format!("themes/mine/{}", rel.to_string_lossy()),
                &std::fs::read(e.path()).unwrap(),
            );
        }
    }
    t.edit(
        "themes/mine/templates/base.html",
        "<main id=\"main\"",
        "<div id=\"mine-banner\"></div><div id=\"slot-{{ page_kind | default(value='x') }}-end\"></div><main id=\"main\"",
    );
    t.file(
        "templates/partials/toc.html",
        "<nav class=\"toc\" aria-labelledby=\"my-toc\"><h2 id='my-toc'>目次</h2></nav>\n",
    );
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\ntheme: mine\n",
    );
    t.file(
        "content/about.md",
        "---\ntitle: 概要\n---\n## Mine Banner\n\n## My TOC\n\n## slot-a-end\n\n## toc-heading\n",
    );
    t.build();
    let doc = t.html("about/index.html");
    assert_eq!(
        attrs(&doc, ".prose h2", "id"),
        ["mine-banner-2", "my-toc-2", "slot-a-end-2", "toc-heading"]
    );
    assert!(repeated_ids(&t).is_empty());
}

#[test]
fn preview_renames_a_heading_when_a_template_starts_using_its_id() {
    use tsunagari::incremental::Session;
    let t = SiteTest::empty();
    t.file(
        "content/about.md",
        "---\ntitle: 概要\n---\n## Promo Box\n\n本文\n",
    );
    let mut s = Session::new(tsunagari::pipeline::options(&t.root, NOW));
    let heading_id = |s: &Session| {
        let files = s.files();
        let doc = Html::parse_document(std::str::from_utf8(&files["about/index.html"]).unwrap());
        attrs(&doc, ".prose h2", "id")
    };
    s.update(None).unwrap();
    s.finish().unwrap();
    assert_eq!(heading_id(&s), ["promo-box"]);
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    t.file(
        "templates/base.html",
        &base.replacen(
            "<main id=\"main\"",
            "<div id=\"promo-box\"></div><main id=\"main\"",
            1,
        ),
    );
    s.update(Some(&["templates/base.html".into()])).unwrap();
    s.finish().unwrap();
    assert_eq!(heading_id(&s), ["promo-box-2"]);
    let files = s.files();
    let pages: Vec<(String, Vec<u8>)> =
        files.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect();
    assert!(repeated_ids_in(pages).is_empty());
}
