//! The texts tsunagari writes come from `templates/strings.yaml`: a site (or a theme) that
//! changes a few of them changes exactly those texts in the output, and a mistake in the file
//! is an error at its line.

use crate::common::{attrs, expect_at, texts, SiteTest};
use std::path::Path;
use tsunagari::diagnostics::Problem;
use tsunagari::strings::StringsProblem;

/// Each override adds a marker (〈…〉) no other text has, so removing the markers must give
/// back the default build byte for byte.
const OVERRIDES: &str = "\
# A comment, and keys in any order.
status_open: 募集中〈S〉
home: ホーム〈H〉
page_title: \"{title} |〈T〉 {site}\"
date: \"{year}年{month}月{day}日〈D〉\"
";
const MARKERS: [&str; 4] = ["〈S〉", "〈H〉", "〈T〉", "〈D〉"];

fn site() -> SiteTest {
    let t = SiteTest::from_fixture("minimal");
    // The search index is named by a hash of its content, labels included.
    t.edit(
        "site.yaml",
        "paginate_by: 2",
        "paginate_by: 2\nsearch: false",
    );
    t
}

#[test]
fn a_site_that_overrides_some_strings_changes_exactly_those_texts() {
    let plain = site();
    plain.build();
    let before = plain.snapshot();

    let t = site();
    t.file("templates/strings.yaml", OVERRIDES);
    t.build();
    // The scripts' texts (assets/strings.js) changed, so it and the scripts importing it have
    // new content-hashed names: read those as their names in the plain build.
    let renamed: Vec<(String, String)> = ["strings.js", "status.js", "keep.js", "share.js"]
        .iter()
        .map(|n| {
            (
                t.asset(n).replace("assets/", ""),
                plain.asset(n).replace("assets/", ""),
            )
        })
        .collect();
    assert_ne!(renamed[0].0, renamed[0].1);
    assert!(t.read(&t.asset("strings.js")).contains("募集中〈S〉"));
    let rename = |s: &str| {
        renamed
            .iter()
            .fold(s.to_string(), |s, (new, old)| s.replace(new, old))
    };
    let after: std::collections::BTreeMap<_, _> = t
        .snapshot()
        .into_iter()
        .map(|(p, b)| (std::path::PathBuf::from(rename(p.to_str().unwrap())), b))
        .collect();

    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let mut changed = 0;
    for (path, bytes) in &after {
        if bytes == &before[path] {
            continue; // unchanged (binary files too: images)
        }
        let text = String::from_utf8_lossy(bytes);
        let text = rename(&text);
        let mut back = text.to_string();
        for m in MARKERS {
            back = back.replace(m, "");
        }
        changed += usize::from(back != text);
        assert!(
            back.as_bytes() == before[path].as_slice(),
            "{} differs in more than the overridden texts",
            path.display()
        );
    }
    assert!(changed > 0);

    // Each text is where the templates put it.
    let page = t.html("challenges/open-later/index.html");
    assert_eq!(
        texts(&page, "title"),
        ["締切が先の課題 |〈T〉 テストポータル"]
    );
    assert_eq!(
        texts(&page, ".breadcrumbs li:first-child")[0],
        "ホーム〈H〉"
    );
    assert!(texts(&page, ".status").contains(&"募集中〈S〉".to_string()));
    assert!(texts(&page, "time")
        .iter()
        .any(|d| d.starts_with("2026年3月10日〈D〉")));
    // Deadlines carry the day of the week after the date.
    assert!(texts(&page, "time").contains(&"2026年6月30日〈D〉（火）".to_string()));
    // Feeds too.
    let feed = t.read("challenges/atom.xml");
    assert!(feed.contains("【募集中〈S〉】締切が先の課題"), "{feed}");
}

#[test]
fn a_theme_gives_its_strings_and_the_site_overrides_single_keys() {
    let t = site();
    t.edit("site.yaml", "paginate_by: 2", "paginate_by: 2\ntheme: mine");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for e in walkdir::WalkDir::new(&theme)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&theme).unwrap();
            let to = Path::new("themes/mine").join(rel);
            t.bytes(to.to_str().unwrap(), &std::fs::read(e.path()).unwrap());
        }
    }
    // The theme's file gives only two keys; the rest come from the default theme.
    t.file(
        "themes/mine/templates/strings.yaml",
        "home: Home\nstatus_open: Open\n",
    );
    t.file(
        "templates/strings.yaml",
        "status_open: 受付中\nnot_found: 見つかりません\n",
    );
    t.build();
    // Templates see the same texts (`strings.not_found` in the heading).
    let missing = t.html("404.html");
    assert_eq!(texts(&missing, "h1"), ["見つかりません"]);
    assert_eq!(
        texts(&missing, "title"),
        ["見つかりません | テストポータル"]
    );
    let page = t.html("challenges/open-later/index.html");
    assert_eq!(texts(&page, ".breadcrumbs li:first-child")[0], "Home");
    assert!(texts(&page, ".status").contains(&"受付中".to_string()));
    assert_eq!(texts(&page, "title"), ["締切が先の課題 | テストポータル"]);
}

#[test]
fn unknown_keys_and_placeholders_are_errors_at_their_line() {
    let t = site();
    t.file(
        "templates/strings.yaml",
        "home: トップ\nhom: x\npage_title: \"{titel} | {site}\"\n",
    );
    let errors = t.errors();
    let file = "templates/strings.yaml";
    expect_at(
        &errors,
        file,
        2,
        |p| matches!(p, Problem::UnknownField { field, suggestion: Some(s) } if field == "hom" && s == "home"),
    );
    let d = expect_at(
        &errors,
        file,
        3,
        |p| matches!(p, Problem::Strings(StringsProblem::UnknownPlaceholder { name, .. }) if name == "titel"),
    );
    let shown = d.render(tsunagari::diagnostics::Lang::Ja);
    assert!(
        shown.contains("{title}") && shown.contains("{site}"),
        "{shown}"
    );
    assert_eq!(errors.len(), 2, "{}", crate::common::render(&errors));
}

/// A form (staff give the email field's label) and a challenge body with a table, a task list
/// and an embed without a title: every text of theirs that Rust writes comes from strings.
fn with_form_and_markdown(t: &SiteTest) {
    t.edit(
        "site.yaml",
        "paginate_by: 2",
        "paginate_by: 2\nmarkdown:\n  allow_iframes: [www.youtube-nocookie.com]\nforms:\n  default: apply\n  handlers:\n    apply:\n      provider: formspree\n      id: xyz\n      privacy: { purpose: 確認のため }\n      fields:\n        - { name: email, label: 連絡先メール }\n",
    );
    t.file("content/privacy.md", "---\ntitle: 個人情報\n---\n本文\n");
    t.edit(
        "content/challenges/open-later.md",
        "---\n本文",
        "---\n| a |\n|---|\n| 1 |\n\n- [x] 済み\n- [ ] まだ\n\n<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>\n",
    );
}

/// Texts of the form and of Markdown come from strings.yaml; what `forms:` in site.yaml says
/// (here the email field's label) wins over them.
#[test]
fn a_site_strings_file_changes_form_and_markdown_texts() {
    let t = site();
    with_form_and_markdown(&t);
    let page = "challenges/open-later/index.html";
    let shown = |t: &SiteTest| {
        let doc = t.html(page);
        (
            texts(&doc, ".apply h2"),
            texts(&doc, "form button"),
            texts(&doc, "label[for=form-name], label[for=form-email]"),
            attrs(&doc, ".task", "aria-label"),
            attrs(&doc, ".table-scroll", "aria-label"),
            attrs(&doc, ".embed iframe", "title"),
            attrs(&doc, "input[name=_subject]", "value"),
        )
    };
    t.build();
    let (heading, button, labels, tasks, table, embed, subject) = shown(&t);
    assert_eq!(heading, ["この課題に応募・問い合わせる"]);
    assert_eq!(button, ["送信する"]);
    assert_eq!(labels, ["お名前（必須）", "連絡先メール（必須）"]);
    assert_eq!(tasks, ["完了", "未完了"]);
    assert_eq!(
        (table, embed),
        (vec!["表".into()], vec!["埋め込みコンテンツ".into()])
    );
    assert_eq!(subject, ["【応募・問い合わせ】締切が先の課題"]);

    t.file("templates/strings.yaml", FORM_AND_MARKDOWN);
    t.build();
    let (heading, button, labels, tasks, table, embed, subject) = shown(&t);
    assert_eq!(heading, ["応募する"]);
    assert_eq!(button, ["送る"]);
    assert_eq!(labels, ["氏名（必須）", "連絡先メール（必須）"]);
    assert_eq!(tasks, ["済", "未完了"]);
    assert_eq!((table, embed), (vec!["一覧".into()], vec!["動画".into()]));
    assert_eq!(subject, ["応募: 締切が先の課題"]);
}

/// Form and Markdown keys, with the email label the site sets itself.
const FORM_AND_MARKDOWN: &str = "\
form_heading_challenge: 応募する
form_submit: 送る
form_subject_challenge: \"応募: {title}\"
form_field_name: 氏名
form_field_email: E-mail
markdown_task_done: 済
markdown_table: 一覧
markdown_embed: 動画
";

/// The dev server takes a strings file like a template: adding, editing and removing
/// `templates/strings.yaml` while previewing re-renders every output, and each step serves
/// what a clean build writes.
#[test]
fn strings_edits_while_previewing_equal_a_clean_build() {
    use crate::incremental_support::{assert_same_as_clean, served, step};
    use tsunagari::incremental::{Mode, Session};
    let t = site();
    with_form_and_markdown(&t);
    let opts = tsunagari::pipeline::options(&t.root, crate::common::NOW);
    let mut s = Session::new(opts.clone());
    s.update(None).unwrap();
    s.finish().unwrap();
    assert_same_as_clean(&s, &opts, "the first build");
    let saves = [
        ("a new strings file", Some(OVERRIDES.to_string())),
        (
            "an edited strings file",
            Some(OVERRIDES.replace("〈H〉", "〈H2〉")),
        ),
        // Bodies are rendered with the Markdown texts: their cache must see the change.
        (
            "an edited Markdown text",
            Some(format!("{OVERRIDES}{FORM_AND_MARKDOWN}")),
        ),
        ("a removed strings file", None),
    ];
    for (what, text) in saves {
        match text {
            Some(text) => t.file("templates/strings.yaml", &text),
            None => t.remove("templates/strings.yaml"),
        };
        let u = step(
            &mut s,
            &opts,
            what,
            &["templates/strings.yaml"],
            Mode::Incremental,
        );
        assert_eq!(u.rendered, u.outputs, "{what}: texts are on every page");
        let page = &served(&s)["challenges/open-later/index.html"];
        let page = String::from_utf8_lossy(page);
        let edited = what == "an edited Markdown text";
        assert_eq!(page.contains("aria-label=\"済\""), edited, "{what}");
        assert_eq!(page.contains(">送る</button>"), edited, "{what}");
    }
}
