//! `tsunagari init` and `tsunagari new`: files for staff to start from, each field explained in
//! Japanese. Never overwrites an existing file.

use crate::content::{valid_slug, Kind};
use crate::date::Date;
use std::io;
use std::path::{Path, PathBuf};

/// Front matter and body of a new page of `kind`, dated `today`.
pub fn new_page_text(kind: Kind, today: Date) -> String {
    let deadline = today.add_days(60);
    match kind {
        Kind::Challenge => format!(
            r#"---
# ── 課題（challenge）──────────────────────────────────────────
# 「#」で始まる行はメモです。サイトには表示されません。
# 値に「:」や「#」を含むときは "..." で囲んでください。

# 【必須】課題のタイトル。何をお願いしたいかが一目でわかるように。
title: 地域の魅力を発信する広報パートナーを募集します
# 【必須】自治体名（市区町村名）
municipality: ○○町
# 【必須】都道府県名。省略せずに書きます（例: 東京都・大阪府・北海道・新潟県）
prefecture: 新潟県
# 【必須】掲載日（年-月-日）。未来の日付にすると、その日まで公開されません
date: {today}
# 募集している団体（役場の課、地元企業、商工会など）
organization: ○○町 企画課
# 一覧やSNSで表示される短い説明（80〜120字ほど）
summary: 町の観光情報を、町の外に住む人の目線で発信してくれる方を探しています。
# テーマ（いくつでも）
themes: [観光, 広報]
# 働き方: remote（リモート）/ onsite（現地）/ hybrid（ハイブリッド）
work_style: hybrid
# 関わり方（いくつでも）: 副業 / 兼業 / プロボノ / 企業派遣 / ボランティア など
engagement: [副業, プロボノ]
# 報酬
reward: 月額3万円（交通費別途支給）
# 期間
duration: 6か月（延長の可能性あり）
# 現地に来てもらう頻度
visits: 月1回程度の現地訪問
# 募集人数
capacity: 2名
# 締切（年-月-日）。この日を過ぎると自動で「募集終了」になります
deadline: {deadline}
# 募集状況を手で決めるとき: open（募集中）/ closed（募集終了）。ふつうは書かなくて大丈夫です
# status: open
# 求めるスキル（いくつでも）
skills: [広報・PR, ライティング, SNS運用]
# タグ（いくつでも）
tags: [週末OK]
# 内容を更新した日（年-月-日）
# updated: {today}
# true にすると下書き（公開されません）
draft: true
# 画像。ページと同じフォルダ（challenges/名前/index.md の形）に置くか、/images/xxx.jpg のように static/ の中を指定します
# image: photo.jpg
# 画像の説明（目の見えない方のために）
# image_alt: 港の朝市のようす
---

## 概要

どんな課題かを、町の外の人にもわかる言葉で書きます。

## 地域の現状と課題

人口や売上など、現状がわかる数字を一つでも入れると伝わりやすくなります。

## お願いしたいこと

- お願いしたいことを、一つずつ書きます
- 期間や頻度もあわせて書くと、応募する人が想像しやすくなります

## こんな方を歓迎します

- どんな経験や気持ちを持った人に来てほしいかを書きます
"#
        ),
        Kind::Case => format!(
            r#"---
# ── 事例（case）───────────────────────────────────────────────
# 【必須】事例のタイトル
title: 副業人材と進めた観光サイトのリニューアル
# 【必須】自治体名
municipality: ○○町
# 【必須】都道府県名（省略せずに）
prefecture: 新潟県
# 【必須】掲載日（年-月-日）
date: {today}
# 一覧で表示される短い説明
summary: 町外の副業人材3名と半年かけて観光サイトを作り直し、問い合わせが倍になりました。
# テーマ（いくつでも）
themes: [観光, 広報]
# この事例のもとになった課題のファイル名（.md を除く）。課題のページにもこの事例が表示されます
# challenges: [sado-tourism-pr]
# タグ
tags: []
# draft: true にすると下書き
draft: true
# image: photo.jpg
# image_alt: 画像の説明
---

## 取り組みの背景

どんな課題があり、なぜ町の外の人の力を借りたのかを書きます。

## 関わった人たち

## 成果と今後

数字で示せる変化があれば、表にするとわかりやすくなります。
"#
        ),
        Kind::Column => format!(
            r#"---
# ── コラム（column）───────────────────────────────────────────
# 【必須】タイトル
title: 関係人口ってなんだろう
# 【必須】掲載日（年-月-日）
date: {today}
# 書いた人
author: ○○町 企画課
# 一覧で表示される短い説明
summary: 移住でも観光でもない、地域との新しい関わり方を紹介します。
# タグ
tags: [関係人口]
# draft: true にすると下書き
draft: true
---

## はじめに

本文を書きます。
"#
        ),
        Kind::Municipality => format!(
            r#"---
# ── 自治体のプロフィール（municipality）──────────────────────────
# この自治体のページ（課題と事例の一覧）の上に表示されます。
# 【必須】自治体名。課題・事例の municipality と同じ書き方にします
municipality: ○○町
# 【必須】都道府県名（省略せずに）
prefecture: 新潟県
# 一覧や検索結果に出る短い紹介
summary: 日本海に面した、人口4,800人の港町です。
# 公式サイトの URL
website: https://www.town.example.lg.jp/
# 問い合わせ先の部署
contact: ○○町 企画課 関係人口担当（0250-00-0000）
# 更新日
updated: {today}
# image: town.jpg
# image_alt: 港の風景
---

町の紹介を書きます。どんな町で、なぜ町の外の人と一緒に取り組みたいのかを伝えましょう。
"#
        ),
        Kind::Page => {
            format!("---\ntitle: ページのタイトル\n# 更新日\nupdated: {today}\n---\n\n本文\n")
        }
    }
}

/// Writes `content/<section>/<slug>.md` for `tsunagari new`. Returns the path written.
pub fn new_page(root: &Path, kind: Kind, slug: &str, today: Date) -> io::Result<PathBuf> {
    if !valid_slug(slug) || slug.contains('.') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("「{slug}」はファイル名に使えません。英数字・-・_ を使ってください（例: sado-tourism） / invalid slug"),
        ));
    }
    let dir = root.join("content").join(kind.folder());
    let path = dir.join(format!("{slug}.md"));
    let bundle = dir.join(slug).join("index.md");
    if path.exists() || bundle.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} はすでにあります。上書きしません / already exists, not overwritten",
                path.display()
            ),
        ));
    }
    std::fs::create_dir_all(&dir)?;
    write_new(&path, &new_page_text(kind, today))?;
    Ok(path)
}

/// Creates a starter site in `dir` that builds at once. Refuses a non-empty folder.
pub fn init(dir: &Path, today: Date) -> io::Result<Vec<PathBuf>> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} は空ではありません。空のフォルダを指定してください / folder is not empty",
                dir.display()
            ),
        ));
    }
    let mut files = vec![
        (
            "site.yaml".to_string(),
            "# サイト全体の設定です。\n\
             # サイトの名前\n\
             title: ○○県 関係人口ポータル\n\
             # サイトの説明（検索結果やSNSで表示されます）\n\
             description: ○○県の地域課題に、町の外から関わる人を募集しています。\n\
             # 公開するURL（最後の / まで）\n\
             base_url: https://kankei.example.jp/\n\
             # 運営する団体\n\
             organization: ○○県 地域振興課\n\
             # 一覧ページ1ページあたりの件数\n\
             paginate_by: 12\n\
             # 締切まで何日になったら「まもなく締切」と表示するか\n\
             closing_soon_days: 14\n"
                .to_string(),
        ),
        (
            "content/_index.md".into(),
            "---\ntitle: ○○県 関係人口ポータル\nsummary: 住んでいなくても、地域の力になれる。\n---\n\n○○県の市町村が、町の外に住む皆さんと一緒に取り組みたい課題を紹介しています。\n".into(),
        ),
        ("content/challenges/_index.md".into(), "---\ntitle: 課題を探す\n---\n\n地域が一緒に取り組む仲間を探している課題です。\n".into()),
        ("content/cases/_index.md".into(), "---\ntitle: 事例\n---\n".into()),
        ("content/columns/_index.md".into(), "---\ntitle: コラム\n---\n".into()),
        (
            "content/about.md".into(),
            "---\ntitle: このサイトについて\n---\n\nこのサイトは、○○県の地域課題と、町の外から関わりたい人をつなぐためのサイトです。\n".into(),
        ),
        (
            "content/privacy.md".into(),
            "---\ntitle: プライバシーポリシー\n---\n\nお問い合わせでいただいた個人情報は、お問い合わせへの対応のためにのみ利用します。\n".into(),
        ),
        (
            "content/accessibility.md".into(),
            "---\ntitle: ウェブアクセシビリティ方針\n---\n\n本サイトは、JIS X 8341-3:2016 の適合レベル AA に準拠することを目標としています。\n".into(),
        ),
    ];
    for (kind, slug) in [
        (Kind::Challenge, "first-challenge"),
        (Kind::Case, "first-case"),
        (Kind::Column, "first-column"),
    ] {
        let text = new_page_text(kind, today).replace("draft: true", "draft: false");
        files.push((format!("content/{}/{slug}.md", kind.folder()), text));
    }
    files.push(("static/.gitkeep".into(), String::new()));
    files.push((
        ".gitignore".into(),
        "/public\n/.public.tsunagari-*\n".into(),
    ));
    let mut written = Vec::new();
    for (rel, text) in files {
        let p = dir.join(&rel);
        std::fs::create_dir_all(p.parent().unwrap())?;
        write_new(&p, &text)?;
        written.push(p);
    }
    Ok(written)
}

fn write_new(path: &Path, text: &str) -> io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}
