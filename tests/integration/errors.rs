//! Every content error a build must catch, each checked for its file and line. Messages must
//! name the field and say how to fix the problem.

use crate::common::*;
use tsunagari::diagnostics::{Lang, Problem};

#[test]
fn broken_yaml_points_at_its_line() {
    let t = SiteTest::empty();
    t.file("content/challenges/a.md", "---\ntitle: 課題\nmunicipality: 汐見町\nsummary: \"閉じていない引用符\nprefecture: 新潟県\ndate: 2026-03-01\n---\n");
    let d = t.errors();
    let x = expect_at(&d, "content/challenges/a.md", 4, |p| {
        matches!(p, Problem::YamlSyntax { .. })
    });
    assert_eq!(x.column, 10, "points at the opening quote");
    let msg = x.render(Lang::Ja);
    assert!(
        msg.contains("YAML の書き方に誤り") && msg.contains("引用符"),
        "{msg}"
    );
}

#[test]
fn unclosed_front_matter_points_at_the_opening_fence() {
    let t = SiteTest::empty();
    t.file(
        "content/columns/a.md",
        "---\ntitle: コラム\ndate: 2026-03-01\n\n本文がここから始まる\n",
    );
    let d = t.errors();
    let x = expect_at(&d, "content/columns/a.md", 1, |p| {
        *p == Problem::UnclosedFrontMatter
    });
    assert!(x.render(Lang::Ja).contains("--- だけの行を入れて"));
}

#[test]
fn missing_required_field_names_the_field() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        "---\ntitle: 課題\nprefecture: 新潟県\ndate: 2026-03-01\n---\n",
    );
    let d = t.errors();
    let x = expect_at(
        &d,
        "content/challenges/a.md",
        1,
        |p| matches!(p, Problem::MissingField { field } if field == "municipality"),
    );
    let ja = x.render(Lang::Ja);
    assert!(
        ja.contains("必須の項目「municipality」がありません"),
        "{ja}"
    );
    assert!(x
        .render(Lang::En)
        .contains("the required field `municipality` is missing"));
}

#[test]
fn shortened_prefecture_is_taken_in_full_with_a_warning() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        "---\ntitle: 課題\nmunicipality: 八丈町\nprefecture: 東京\ndate: 2026-03-01\n---\n",
    );
    let w = t.build().warnings;
    let x = expect_at(
        &w,
        "content/challenges/a.md",
        4,
        |p| matches!(p, Problem::PrefectureShort { canonical, .. } if canonical == "東京都"),
    );
    assert!(
        x.render(Lang::Ja)
            .contains("「prefecture: 東京都」と書いてください"),
        "{}",
        x.render(Lang::Ja)
    );
    assert!(x.render(Lang::Ja).contains("4 | prefecture: 東京"));
    assert!(t.exists("prefectures/tokyo/index.html"));
}

#[test]
fn misspelt_prefecture_suggests_the_full_name() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        "---\ntitle: 課題\nmunicipality: 八丈町\nprefecture: 東京府\ndate: 2026-03-01\n---\n",
    );
    let d = t.errors();
    let x = expect_at(&d, "content/challenges/a.md", 4, |p| {
        matches!(p, Problem::InvalidPrefecture { .. })
    });
    assert_eq!(x.column, 13);
    assert!(
        x.render(Lang::Ja).contains("「東京都」のことですか？"),
        "{}",
        x.render(Lang::Ja)
    );
}

#[test]
fn wrong_work_style_lists_allowed_values() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        &challenge("work_style: テレワーク\n"),
    );
    let d = t.errors();
    let x = expect_at(
        &d,
        "content/challenges/a.md",
        6,
        |p| matches!(p, Problem::InvalidChoice { field, .. } if field == "work_style"),
    );
    let msg = x.render(Lang::Ja);
    assert!(
        msg.contains("remote") && msg.contains("リモート") && msg.contains("ハイブリッド"),
        "{msg}"
    );
}

#[test]
fn japanese_work_style_aliases_are_accepted() {
    let t = SiteTest::empty();
    t.file("content/challenges/a.md", &challenge("work_style: 現地\n"));
    t.build();
    let doc = t.html("challenges/a/index.html");
    assert!(texts(&doc, ".facts-table td").iter().any(|s| s == "現地"));
}

#[test]
fn impossible_date_is_an_error() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        &challenge("deadline: 2026-13-45\n"),
    );
    let d = t.errors();
    let x = expect_at(
        &d,
        "content/challenges/a.md",
        6,
        |p| matches!(p, Problem::InvalidDate { field, .. } if field == "deadline"),
    );
    assert!(x
        .render(Lang::Ja)
        .contains("「deadline」の日付「2026-13-45」は正しい日付ではありません"));
}

#[test]
fn misspelt_key_gets_did_you_mean() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        &challenge("dedline: 2026-06-30\n"),
    );
    let d = t.errors();
    let x = expect_at(
        &d,
        "content/challenges/a.md",
        6,
        |p| matches!(p, Problem::UnknownField { field, .. } if field == "dedline"),
    );
    assert!(x.render(Lang::Ja).contains("「deadline」のことですか？"));
    assert!(x.render(Lang::En).contains("did you mean `deadline`?"));
}

#[test]
fn broken_internal_link_points_at_line_and_column() {
    let t = SiteTest::empty();
    t.file("content/columns/a.md", "---\ntitle: コラム\ndate: 2026-03-01\n---\n\n一行目\n\n詳しくは [事例](../cases/nothing.md) をご覧ください。\n");
    let d = t.errors();
    let x = expect_at(
        &d,
        "content/columns/a.md",
        8,
        |p| matches!(p, Problem::BrokenLink { target } if target == "../cases/nothing.md"),
    );
    assert_eq!(x.column, 6, "column counts characters: `詳しくは ` is five");
    assert!(x
        .render(Lang::Ja)
        .contains("リンク先「../cases/nothing.md」が見つかりません"));
}

#[test]
fn link_to_a_draft_is_an_error() {
    let t = SiteTest::empty();
    t.file(
        "content/columns/a.md",
        "---\ntitle: コラム\ndate: 2026-03-01\n---\n[下書き](b.md)\n",
    );
    t.file(
        "content/columns/b.md",
        "---\ntitle: 下書き\ndate: 2026-03-01\ndraft: true\n---\n",
    );
    let d = t.errors();
    expect_at(&d, "content/columns/a.md", 5, |p| {
        matches!(p, Problem::LinkToDraft { .. })
    });
}

#[test]
fn file_that_is_not_utf8_is_reported_with_its_line() {
    let t = SiteTest::empty();
    // "---\ntitle: " then Shift_JIS for 課題 (0x89 0xDB 0x91 0xE8).
    let mut bytes = b"---\ntitle: ".to_vec();
    bytes.extend([0x89, 0xDB, 0x91, 0xE8]);
    bytes.extend(b"\n---\n");
    t.bytes("content/columns/sjis.md", &bytes);
    let d = t.errors();
    let x = expect_at(&d, "content/columns/sjis.md", 2, |p| *p == Problem::NotUtf8);
    assert_eq!(x.column, 8);
    assert!(x.render(Lang::Ja).contains("UTF-8"));
}

#[test]
fn yaml_alias_bomb_fails_fast() {
    let t = SiteTest::empty();
    let mut fm = String::from("---\ntitle: 爆弾\ndate: 2026-03-01\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    let names: Vec<char> = ('a'..='j').collect();
    for w in names.windows(2) {
        let (p, c) = (w[0], w[1]);
        fm.push_str(&format!(
            "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        ));
    }
    fm.push_str("---\n");
    t.file("content/columns/bomb.md", &fm);
    let d = t.errors();
    let x = expect_at(&d, "content/columns/bomb.md", 2, |p| {
        *p == Problem::YamlTooComplex
    });
    assert!(x.render(Lang::Ja).contains("複雑すぎます"));
}

#[test]
fn two_files_with_the_same_url() {
    let t = SiteTest::empty();
    t.file(
        "content/columns/same.md",
        "---\ntitle: a\ndate: 2026-03-01\n---\n",
    );
    t.file(
        "content/columns/same/index.md",
        "---\ntitle: b\ndate: 2026-03-01\n---\n",
    );
    let d = t.errors();
    let x = d
        .iter()
        .find(|d| matches!(d.problem, Problem::DuplicateUrl { .. }))
        .expect("duplicate reported");
    let msg = x.render(Lang::Ja);
    assert!(msg.contains("/columns/same/"), "{msg}");
    assert!(
        msg.contains("content/columns/same.md") && msg.contains("content/columns/same/index.md"),
        "{msg}"
    );
}

#[test]
fn plain_page_cannot_take_a_section_url() {
    let t = SiteTest::empty();
    t.file("content/challenges.md", "---\ntitle: 課題\n---\n");
    let d = t.errors();
    assert!(d
        .iter()
        .any(|d| matches!(d.problem, Problem::DuplicateUrl { .. })));
}

#[test]
fn all_problems_of_a_build_are_reported_together() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/a.md",
        &challenge("dedline: 2026-06-30\n"),
    );
    t.file(
        "content/challenges/b.md",
        "---\ntitle: 課題\nmunicipality: 町\nprefecture: 大坂府\ndate: 2026-02-30\n---\n",
    );
    t.file(
        "content/columns/c.md",
        "---\ntitle: コラム\ndate: 2026-03-01\n---\n[x](nothing.md)\n",
    );
    t.file("content/columns/d.md", "---\ntitle: [\n---\n");
    let d = t.errors();
    let files: std::collections::BTreeSet<_> =
        d.iter().map(|d| d.path.display().to_string()).collect();
    assert_eq!(files.len(), 4, "{}", render(&d));
    assert!(d.len() >= 5, "{}", render(&d));
}

#[test]
fn unknown_case_challenge_and_missing_image() {
    let t = SiteTest::empty();
    t.file("content/challenges/sado-tourism.md", &challenge(""));
    t.file(
        "content/cases/a.md",
        "---\ntitle: 事例\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\nchallenges: [sado-turism]\nimage: nothing.jpg\n---\n",
    );
    let d = t.errors();
    let x = expect_at(&d, "content/cases/a.md", 6, |p| {
        matches!(p, Problem::UnknownChallenge { .. })
    });
    assert!(x
        .render(Lang::Ja)
        .contains("「sado-tourism」のことですか？"));
    expect_at(&d, "content/cases/a.md", 7, |p| {
        matches!(p, Problem::MissingImage { .. })
    });
}

#[test]
fn site_yaml_errors_are_reported_with_lines() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\npaginate_by: 0\nthem: default\n",
    );
    let d = t.errors();
    expect_at(&d, "site.yaml", 3, |p| {
        matches!(p, Problem::InvalidSiteValue { .. })
    });
    let x = expect_at(&d, "site.yaml", 4, |p| {
        matches!(p, Problem::UnknownField { .. })
    });
    assert!(x.render(Lang::Ja).contains("「theme」のことですか？"));
}

#[test]
fn unknown_folder_in_content() {
    let t = SiteTest::empty();
    t.file("content/challenge/a.md", &challenge(""));
    let d = t.errors();
    let x = d
        .iter()
        .find(|d| matches!(d.problem, Problem::UnknownSection { .. }))
        .unwrap();
    assert!(x.render(Lang::Ja).contains("「challenges」のことですか？"));
}

/// Whatever staff type, parsing reports problems instead of panicking: every prefix of a real
/// challenge (cut at each character) and the same file with awkward characters spliced in.
#[test]
fn mangled_files_never_panic() {
    let original = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content/challenges/shiomi-fishery-brand/index.md"),
    )
    .unwrap();
    let entry = |rel: &str| tsunagari::content::Entry {
        rel: rel.into(),
        role: tsunagari::content::Role::Page(tsunagari::content::Kind::Challenge),
        slug: "x".into(),
        bundle: None,
        assets: vec![],
    };
    let opts = tsunagari::markdown::Options::default();
    let check = |text: String| {
        let (source, _) = tsunagari::content::parse_source(entry("content/challenges/x.md"), text);
        if let Some(s) = source {
            let _ = tsunagari::markdown::render(s.body(), &opts, &|_| {
                tsunagari::markdown::LinkTarget::Missing
            });
        }
    };
    let cuts: Vec<usize> = original.char_indices().map(|(i, _)| i).step_by(3).collect();
    for &i in &cuts {
        check(original[..i].to_string());
    }
    let splices = [
        "\"", "'", ":", "- ", "\t", "\n---\n", "[", "{", "&a ", "*a", "|", "#", "\u{feff}",
        "\u{200b}", "あ", "`", "<", "](", "\r",
    ];
    for (n, &i) in cuts.iter().enumerate().step_by(7) {
        let s = splices[n % splices.len()];
        check(format!("{}{s}{}", &original[..i], &original[i..]));
    }
}
