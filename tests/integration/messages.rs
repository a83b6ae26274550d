//! `--lang en` has no untranslated message. Every build of the test driver checks its
//! diagnostics in English (`common::assert_english`), so each test reaching a problem checks its
//! translation; these tests add every site we have and show that the check can fail.

use crate::common::*;
use tsunagari::diagnostics::{Diagnostic, Problem};

#[test]
fn every_site_reports_in_english() {
    for (name, site, now) in every_site() {
        let warnings = site
            .build_at(now)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"))
            .warnings;
        assert_english(&site.root, &warnings);
    }
}

#[test]
fn the_english_check_refuses_japanese_that_is_not_the_sites() {
    let site = SiteTest::empty();
    site.file("content/a.md", "---\ntitle: 佐渡の観光\n---\n");
    // A value the site holds may be Japanese…
    let ok = Diagnostic::error(
        "content/a.md",
        Problem::MissingField {
            field: "佐渡の観光".into(),
        },
    );
    assert_english(&site.root, &[ok]);
    // …a value that tsunagari wrote itself may not.
    let ours = Diagnostic::error(
        "content/a.md",
        Problem::YamlSyntax {
            detail: "閉じられていません".into(),
        },
    );
    let r = std::panic::catch_unwind(|| assert_english(&site.root, &[ours]));
    assert!(
        r.is_err(),
        "a Japanese value that is not from the site must fail"
    );
}

#[test]
fn english_output_of_the_binary_names_no_japanese_of_ours() {
    // The lines the command line prints itself come from the catalogue; its English side is
    // checked by the unit tests. Here: a content error end to end, with a Japanese site.
    let site = SiteTest::empty();
    site.file(
        "content/challenges/a.md",
        "---\ntitle: 課題\nprefecture: 東京府\n---\n",
    );
    let (code, _, err) = site.cli(&["--lang", "en", "check", "--now", NOW]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("error(s)") && err.contains("did you mean `東京都`?"),
        "{err}"
    );
    for line in err.lines().filter(|l| !l.contains(" | ")) {
        let own: String = line.split('`').step_by(2).collect();
        assert!(!own.chars().any(is_japanese), "{line}");
    }
}

/// One usage or I/O failure of the binary: what to run (in the site folder, with `env`) and the
/// exact line it prints in Japanese and in English.
struct FailurePath {
    name: &'static str,
    args: Vec<String>,
    env: Option<(&'static str, &'static str)>,
    ja: String,
    en: String,
}

/// Runs the binary in `dir` with `--lang lang` before the other arguments.
fn run_in(dir: &std::path::Path, lang: &str, f: &FailurePath) -> (i32, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tsunagari"));
    cmd.arg("--lang").arg(lang).args(&f.args).current_dir(dir);
    cmd.env_remove("SOURCE_DATE_EPOCH");
    if let Some((k, v)) = f.env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    (o.status.code().unwrap_or(-1), err)
}

/// Every usage or I/O failure the binary can be led into from outside, each in one language
/// per line (no "ja / en" lines left): `--lang ja` prints exactly the Japanese text (as it was
/// before the catalogue, without the English tail), `--lang en` exactly the English one, with
/// no Japanese of ours.
#[test]
fn usage_and_io_failures_speak_one_language() {
    let t = SiteTest::from_fixture("minimal");
    let root = t.root.canonicalize().unwrap();
    let r = root.display();
    // An output folder holding someone else's files, and a lock file that is a folder.
    t.file("theirs/notes.txt", "mine");
    let other = SiteTest::from_fixture("minimal");
    let other_root = other.root.canonicalize().unwrap();
    std::fs::create_dir_all(other_root.join(".public.tsunagari-lock")).unwrap();
    t.file("content/challenges/taken.md", &challenge(""));
    t.file("nonempty/x.txt", "x");
    t.file("bare/site.yaml", "title: t\nbase_url: https://e.jp/\n");
    let s = |v: &str| v.to_string();
    let paths = vec![
        FailurePath {
            name: "output is the site",
            args: vec![s("build"), s("--now"), s(NOW), s("--output"), format!("{r}")],
            env: None,
            ja: format!("エラー: 出力先 {r} はサイトのフォルダそのものか、その親です。public/ などの別のフォルダを指定してください"),
            en: format!("error: the output folder {r} is the site folder or contains it; choose another folder such as public/"),
        },
        FailurePath {
            name: "output inside content/",
            args: vec![s("build"), s("--now"), s(NOW), s("--output"), format!("{r}/content/out")],
            env: None,
            ja: format!("エラー: 出力先 {r}/content/out が content/ の中にあるか、content/ を含んでいます。public/ などの別のフォルダを指定してください"),
            en: format!("error: the output folder {r}/content/out is inside content/ or contains it; choose another folder such as public/"),
        },
        FailurePath {
            name: "output not ours",
            args: vec![s("build"), s("--now"), s(NOW), s("--output"), format!("{r}/theirs")],
            env: None,
            ja: format!("エラー: 出力先 {r}/theirs には tsunagari が作ったものではないファイルがあります。上書きしないよう中止しました。空のフォルダか別の場所を指定してください"),
            en: format!("error: {r}/theirs is not empty and was not made by tsunagari; refusing to replace it (choose an empty folder or another place)"),
        },
        FailurePath {
            name: "output is a file",
            args: vec![s("build"), s("--now"), s(NOW), s("--output"), format!("{r}/theirs/notes.txt")],
            env: None,
            ja: format!("エラー: 出力先 {r}/theirs/notes.txt はフォルダではありません（ファイルなどがあります）。上書きしないよう中止しました。別の場所を指定してください"),
            en: format!("error: the output path {r}/theirs/notes.txt exists and is not a folder; refusing to replace it (choose another place)"),
        },
        FailurePath {
            name: "output under a file",
            args: vec![s("build"), s("--now"), s(NOW), s("--output"), format!("{r}/theirs/notes.txt/out")],
            env: None,
            ja: format!("エラー: 出力先 {r}/theirs/notes.txt/out を作れません。{r}/theirs/notes.txt がフォルダではありません"),
            en: format!("error: cannot create the output folder {r}/theirs/notes.txt/out: {r}/theirs/notes.txt is not a folder"),
        },
        FailurePath {
            name: "lock file is a folder",
            args: vec![s("build"), s("--now"), s(NOW), s("--root"), format!("{}", other_root.display())],
            env: None,
            ja: format!("エラー: ロックファイル {}/.public.tsunagari-lock がフォルダであるため使えません。取り除いてからビルドしてください", other_root.display()),
            en: format!("error: the lock file {}/.public.tsunagari-lock is a folder; remove it and build again", other_root.display()),
        },
        FailurePath {
            name: "no site folder",
            args: vec![s("check"), s("--now"), s(NOW), s("--root"), s("nope")],
            env: None,
            ja: s("エラー: サイトのフォルダ nope がありません。フォルダ名を確かめるか、新しいサイトを tsunagari init nope で作ってください"),
            en: s("error: site folder nope not found; check the name, or make a new site with tsunagari init nope"),
        },
        FailurePath {
            name: "no content/",
            args: vec![s("check"), s("--now"), s(NOW), s("--root"), s("bare")],
            env: None,
            ja: format!("エラー: {r}/bare に content/ フォルダがありません。サイトのフォルダで実行するか --root で指定してください。新しいサイトは tsunagari init フォルダ名 で作れます"),
            en: format!("error: {r}/bare has no content/ folder; run inside the site folder or pass --root, or make a new site with tsunagari init DIR"),
        },
        FailurePath {
            name: "bad --base-url",
            args: vec![s("build"), s("--now"), s(NOW), s("--base-url"), s("nowhere")],
            env: None,
            ja: s("エラー: --base-url nowhere は URL ではありません"),
            en: s("error: --base-url nowhere is not a URL"),
        },
        FailurePath {
            name: "bad --now",
            args: vec![s("check"), s("--now"), s("tomorrow")],
            env: None,
            ja: s("エラー: --now tomorrow: 2026-04-01 か 2026-04-01T09:00:00+09:00 の形で書いてください"),
            en: s("error: --now tomorrow: use 2026-04-01 or RFC 3339 (2026-04-01T09:00:00+09:00)"),
        },
        FailurePath {
            name: "SOURCE_DATE_EPOCH not a number",
            args: vec![s("check")],
            env: Some(("SOURCE_DATE_EPOCH", "soon")),
            ja: s("エラー: SOURCE_DATE_EPOCH=soon は秒数ではありません"),
            en: s("error: SOURCE_DATE_EPOCH=soon is not a number of seconds"),
        },
        FailurePath {
            name: "SOURCE_DATE_EPOCH out of range",
            args: vec![s("check")],
            env: Some(("SOURCE_DATE_EPOCH", "253402300800")),
            ja: s("エラー: SOURCE_DATE_EPOCH=253402300800: 0001-01-03 から 9998-12-30 までの日時にしてください"),
            en: s("error: SOURCE_DATE_EPOCH=253402300800: out of range (years 0001 to 9998)"),
        },
        FailurePath {
            name: "new on an existing file",
            args: vec![s("new"), s("challenge"), s("taken")],
            env: None,
            ja: s("エラー: ./content/challenges/taken.md はすでにあります。上書きしません"),
            en: s("error: ./content/challenges/taken.md already exists; not overwritten"),
        },
        FailurePath {
            name: "new with a bad slug",
            args: vec![s("new"), s("case"), s("a.b")],
            env: None,
            ja: s("エラー: 「a.b」はファイル名に使えません。英数字・-・_ を使ってください（例: sado-tourism）"),
            en: s("error: `a.b` cannot be a file name; use letters, digits, - and _ (e.g. sado-tourism)"),
        },
        FailurePath {
            name: "new without content/",
            args: vec![s("new"), s("column"), s("c"), s("--root"), s("bare")],
            env: None,
            ja: s("エラー: bare に content/ がありません"),
            en: s("error: bare has no content/ folder"),
        },
        FailurePath {
            name: "init in a folder that is not empty",
            args: vec![s("init"), s("nonempty")],
            env: None,
            ja: s("エラー: nonempty は空ではありません。空のフォルダを指定してください"),
            en: s("error: nonempty is not empty; choose an empty folder"),
        },
    ];
    for f in &paths {
        let (code, ja) = run_in(&t.root, "ja", f);
        assert_eq!(code, 2, "{}: {ja}", f.name);
        assert_eq!(ja, format!("{}\n", f.ja), "{}", f.name);
        let (code, en) = run_in(&t.root, "en", f);
        assert_eq!(code, 2, "{}: {en}", f.name);
        assert_eq!(en, format!("{}\n", f.en), "{}", f.name);
        let own: String = en.split('`').step_by(2).collect();
        assert!(!own.chars().any(is_japanese), "{}: {en}", f.name);
    }
    assert!(!t.exists("index.html"), "nothing was built into public/");
}

/// `--help` of every command, in the language `--lang` chose: Japanese has none of clap's
/// English (headings, the help flag, `[default: …]`), English has no Japanese.
#[test]
fn help_follows_the_chosen_language() {
    let t = SiteTest::empty();
    let clap_english = [
        "Usage:",
        "Options:",
        "Commands:",
        "Arguments:",
        "Print",
        "[default",
    ];
    for command in [
        &[][..],
        &["build"],
        &["check"],
        &["serve"],
        &["init"],
        &["new"],
    ] {
        let mut args: Vec<&str> = command.to_vec();
        args.push("--help");
        let (code, ja, _) = t.cli(&args);
        assert_eq!(code, 0, "{args:?}");
        assert!(
            ja.contains("使い方: tsunagari") && ja.contains("オプション:"),
            "{ja}"
        );
        for word in clap_english {
            assert!(!ja.contains(word), "{args:?}: {word} in\n{ja}");
        }
        let mut en_args = vec!["--lang", "en"];
        en_args.extend(&args);
        let (code, en, _) = t.cli(&en_args);
        assert_eq!(code, 0, "{en_args:?}");
        assert!(
            en.contains("Usage: tsunagari") && en.contains("Print help"),
            "{en}"
        );
        assert!(!en.chars().any(is_japanese), "{en_args:?}:\n{en}");
    }
    let (_, new_ja, _) = t.cli(&["new", "-h"]);
    assert!(
        new_ja.contains("引数:\n  <KIND>  作るもの: challenge（課題）"),
        "{new_ja}"
    );
}

/// A theme without a template every site needs: one problem per template, in one language.
#[test]
fn a_missing_template_is_named_in_one_language() {
    let t = SiteTest::from_fixture("minimal");
    t.edit("site.yaml", "title:", "theme: mine\ntitle:");
    t.file(
        "themes/mine/templates/base.html",
        "{% block main %}{% endblock %}",
    );
    let missing: Vec<Diagnostic> = t
        .errors()
        .into_iter()
        .filter(|d| matches!(d.problem, Problem::TemplateMissing { .. }))
        .collect();
    let page = missing
        .iter()
        .find(|d| {
            d.problem
                == Problem::TemplateMissing {
                    name: "page.html".into(),
                }
        })
        .unwrap_or_else(|| panic!("{missing:?}"));
    assert_eq!(
        page.problem.message(tsunagari::diagnostics::Lang::Ja),
        "テンプレートの処理に失敗しました: テンプレート page.html がありません"
    );
    assert_eq!(
        page.problem.message(tsunagari::diagnostics::Lang::En),
        "a template failed: template page.html is missing"
    );
}
