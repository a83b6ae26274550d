//! Content problems as data, and their rendering for people (Japanese or English) and for CI.
//!
//! Every stage returns its value plus a list of [`Diagnostic`]s instead of stopping at the first
//! problem, so a build reports everything at once. A diagnostic carries the file (relative to the
//! site root), a 1-based line and column, the offending source line, and a [`Problem`] that knows
//! how to explain itself and how to fix it. Nothing here prints: callers decide where text goes.

mod text;
use std::path::PathBuf;
pub use text::TextProblem;

mod entry;
pub use entry::NameFault;
pub use entry::{EntryIssue, Fenced};
mod files;
pub use files::FileProblem;

mod bug;
mod markdown;
use bug::{bug_help, bug_message};
mod report;
mod theme_strings;
pub use report::{display_path, display_width, sort, Diagnostic};

/// Language of messages for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of value a field expects; used in type-mismatch messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Text,
    List,
    Date,
    Bool,
    Integer,
    Mapping,
}

impl Expected {
    fn ja(self) -> &'static str {
        match self {
            Expected::Text => "文字列",
            Expected::List => "リスト（例: [観光, 農業]）",
            Expected::Date => "日付（例: 2026-03-31）",
            Expected::Bool => "true または false",
            Expected::Integer => "整数",
            Expected::Mapping => "「キー: 値」の組",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Expected::Text => "a text",
            Expected::List => "a list (e.g. [tourism, farming])",
            Expected::Date => "a date (e.g. 2026-03-31)",
            Expected::Bool => "true or false",
            Expected::Integer => "a whole number",
            Expected::Mapping => "a set of `key: value` pairs",
        }
    }
}

/// Everything that can be wrong with a site's sources. Each variant explains itself in
/// [`Problem::message`] and tells how to fix it in [`Problem::help`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NotUtf8,
    UnclosedFrontMatter,
    YamlSyntax {
        detail: String,
    },
    YamlTooComplex,
    FrontMatterNotMapping,
    FrontMatterTooLarge {
        limit_kib: usize,
    },
    MissingField {
        field: String,
    },
    UnknownField {
        field: String,
        suggestion: Option<String>,
    },
    WrongType {
        field: String,
        expected: Expected,
    },
    InvalidDate {
        field: String,
        value: String,
    },
    InvalidPrefecture {
        value: String,
        suggestion: Option<String>,
    },
    InvalidChoice {
        field: String,
        value: String,
        allowed: Vec<String>,
        suggestion: Option<String>,
    },
    EmptyValue {
        field: String,
    },
    BrokenLink {
        target: String,
    },
    LinkToDraft {
        target: String,
    },
    UnknownChallenge {
        slug: String,
        suggestion: Option<String>,
    },
    MissingImage {
        path: String,
    },
    DuplicateUrl {
        url: String,
        other: PathBuf,
    },
    InvalidSlug {
        slug: String,
    },
    UnknownSection {
        folder: String,
        suggestion: Option<String>,
    },
    StrayFile,
    UnsafeUrlRemoved {
        url: String,
    },
    RawHtmlEscaped,
    OpenPastDeadline {
        deadline: String,
    },
    InvalidSiteValue {
        field: String,
        value: String,
        why: String,
    },
    MissingSiteConfig,
    Template {
        detail: String,
    },
    /// A file that exists but cannot be read (permissions, a folder named like a file…).
    Unreadable {
        detail: String,
    },
    UnknownForm {
        name: String,
        suggestion: Option<String>,
    },
    InsecureFormAction {
        url: String,
    },
    NoPrivacyPage,
    /// A file or folder under content/ or static/ that was left out (see `crate::walk`).
    Entry {
        issue: EntryIssue,
    },
    /// A URL from site.yaml or front matter that the URL policy (`crate::urls`) refuses.
    UrlRefused(crate::urls::Refused),
    /// Odd or hostile text: control characters, sizes, path lengths (see `text`).
    Text(TextProblem),
    /// A heading attribute other than a safe `#id` or `.class`, as written.
    HeadingAttributeDropped {
        attribute: String,
    },
    /// A `{#id}` the theme or an earlier heading of the page already uses.
    HeadingIdChanged {
        id: String,
        now: String,
    },
    /// A second footnote definition with the label of an earlier one.
    DuplicateFootnote {
        label: String,
    },
    /// A panic inside tsunagari (caught by the dev server): a bug, not a content problem.
    /// `during` names the files being processed, or the request answered, when known.
    Bug {
        message: String,
        during: String,
    },
    /// A Content-Security-Policy or security-header problem (messages live in `csp`).
    Security(crate::csp::CspProblem),
    /// Outputs that collide, files that run script, an old output folder left behind.
    Files(FileProblem),
    /// A site.yaml value that would reach the output invalid (messages live in `config::checks`).
    Config(crate::config::ConfigProblem),
    /// A theme's or site's `strings.yaml` value that cannot be used.
    Strings(crate::strings::StringsProblem),
}

impl Problem {
    /// One sentence: what is wrong.
    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        let ja = lang == Lang::Ja;
        match self {
            NotUtf8 => {
                if ja {
                    "ファイルが UTF-8 ではありません".into()
                } else {
                    "the file is not UTF-8".into()
                }
            }
            UnclosedFrontMatter => {
                if ja {
                    "フロントマター（先頭の --- で始まる部分）が閉じられていません".into()
                } else {
                    "the front matter (the block starting with ---) is never closed".into()
                }
            }
            YamlSyntax { detail } => {
                if ja {
                    format!("YAML の書き方に誤りがあります（{detail}）")
                } else {
                    format!("the YAML is not valid ({detail})")
                }
            }
            YamlTooComplex => {
                if ja {
                    "YAML が複雑すぎます（エイリアスの展開が多すぎるか、入れ子が深すぎます）".into()
                } else {
                    "the YAML is too complex (too many alias expansions or too deeply nested)"
                        .into()
                }
            }
            FrontMatterNotMapping => {
                if ja {
                    "フロントマターは「項目名: 値」の形で書く必要があります".into()
                } else {
                    "the front matter must be a set of `field: value` lines".into()
                }
            }
            FrontMatterTooLarge { limit_kib } => {
                if ja {
                    format!("フロントマターが大きすぎます（上限 {limit_kib} KiB）")
                } else {
                    format!("the front matter is too large (limit {limit_kib} KiB)")
                }
            }
            MissingField { field } => {
                if ja {
                    format!("必須の項目「{field}」がありません")
                } else {
                    format!("the required field `{field}` is missing")
                }
            }
            UnknownField { field, .. } => {
                if ja {
                    format!("「{field}」という項目はありません")
                } else {
                    format!("there is no field named `{field}`")
                }
            }
            WrongType { field, expected } => {
                if ja {
                    format!("「{field}」には{}を書いてください", expected.ja())
                } else {
                    format!("`{field}` must be {}", expected.en())
                }
            }
            InvalidDate { field, value } => {
                if ja {
                    format!("「{field}」の日付「{value}」は正しい日付ではありません")
                } else {
                    format!("`{field}`: `{value}` is not a valid date")
                }
            }
            InvalidPrefecture { value, .. } => {
                if ja {
                    format!("「prefecture」の値「{value}」は都道府県名ではありません")
                } else {
                    format!("`prefecture`: `{value}` is not the name of a prefecture")
                }
            }
            InvalidChoice { field, value, .. } => {
                if ja {
                    format!("「{field}」に「{value}」は使えません")
                } else {
                    format!("`{field}` cannot be `{value}`")
                }
            }
            EmptyValue { field } => {
                if ja {
                    format!("「{field}」が空です")
                } else {
                    format!("`{field}` is empty")
                }
            }
            BrokenLink { target } => {
                if ja {
                    format!("リンク先「{target}」が見つかりません")
                } else {
                    format!("the link target `{target}` does not exist")
                }
            }
            LinkToDraft { target } => {
                if ja {
                    format!("リンク先「{target}」は下書き（または公開日前）のため公開されません")
                } else {
                    format!("the link target `{target}` is a draft (or scheduled) and will not be published")
                }
            }
            UnknownChallenge { slug, .. } => {
                if ja {
                    format!("「challenges」に書かれた課題「{slug}」が見つかりません")
                } else {
                    format!("`challenges` names `{slug}`, but there is no such challenge")
                }
            }
            MissingImage { path } => {
                if ja {
                    format!("画像「{path}」が見つかりません")
                } else {
                    format!("the image `{path}` does not exist")
                }
            }
            DuplicateUrl { url, other } => {
                if ja {
                    format!("URL「{url}」が「{}」と重複しています", other.display())
                } else {
                    format!("the URL `{url}` is also produced by `{}`", other.display())
                }
            }
            InvalidSlug { slug } => {
                if ja {
                    format!("ファイル名「{slug}」は URL に使えない文字を含んでいます")
                } else {
                    format!(
                        "the file name `{slug}` contains characters that cannot be used in a URL"
                    )
                }
            }
            UnknownSection { folder, .. } => {
                if ja {
                    format!("content/ の中のフォルダ「{folder}」は使えません")
                } else {
                    format!("the folder `{folder}` in content/ is not a known section")
                }
            }
            StrayFile => {
                if ja {
                    "このファイルはページでもページの付属ファイルでもないため、出力されません"
                        .into()
                } else {
                    "this file is neither a page nor part of a page bundle, so it is not published"
                        .into()
                }
            }
            UnsafeUrlRemoved { url } => {
                let url = crate::urls::visible(url);
                if ja {
                    format!("危険な URL「{url}」のリンクを無効にしました")
                } else {
                    format!("the unsafe URL `{url}` was removed")
                }
            }
            RawHtmlEscaped => {
                if ja {
                    "Markdown の中の HTML はタグとして使われず、文字としてそのまま表示されます"
                        .into()
                } else {
                    "HTML inside Markdown is not passed through; it is shown as text".into()
                }
            }
            OpenPastDeadline { deadline } => {
                if ja {
                    format!("「status: open」ですが、締切（{deadline}）を過ぎています")
                } else {
                    format!("`status: open`, but the deadline ({deadline}) has passed")
                }
            }
            InvalidSiteValue { field, value, why } => {
                if ja {
                    format!("site.yaml の「{field}」の値「{value}」が正しくありません: {why}")
                } else {
                    format!("site.yaml: `{field}` = `{value}` is not valid: {why}")
                }
            }
            MissingSiteConfig => {
                if ja {
                    "site.yaml が見つかりません".into()
                } else {
                    "site.yaml was not found".into()
                }
            }
            UnknownForm { name, .. } => {
                if ja {
                    format!("フォーム「{name}」は site.yaml の forms.handlers にありません")
                } else {
                    format!("there is no form handler `{name}` in forms.handlers of site.yaml")
                }
            }
            InsecureFormAction { url } => {
                if ja {
                    format!("フォームの送信先「{url}」は https:// ではありません")
                } else {
                    format!("the form action `{url}` is not https://")
                }
            }
            Security(p) => p.message(lang),
            Files(p) => p.message(ja),
            Config(p) => p.message(lang),
            Strings(p) => theme_strings::message(p, ja),
            NoPrivacyPage => {
                if ja {
                    "フォームがあるのに、プライバシーポリシーのページ（content/privacy.md）がありません".into()
                } else {
                    "the site has forms but no privacy policy page (content/privacy.md)".into()
                }
            }
            Unreadable { detail } => {
                if ja {
                    format!("ファイルを読み込めません（{detail}）")
                } else {
                    format!("the file cannot be read ({detail})")
                }
            }
            Entry { issue } => issue.message(lang),
            UrlRefused(r) => r.message(lang),
            Text(p) => p.message(lang),
            Template { detail } => {
                if ja {
                    format!("テンプレートの処理に失敗しました: {detail}")
                } else {
                    format!("a template failed: {detail}")
                }
            }
            HeadingAttributeDropped { .. } | HeadingIdChanged { .. } | DuplicateFootnote { .. } => {
                markdown::message(self, ja)
            }
            Bug { message, during } => bug_message(ja, message, during),
        }
    }

    /// How to fix it, when there is something useful to say.
    pub fn help(&self, lang: Lang) -> Option<String> {
        use Problem::*;
        let ja = lang == Lang::Ja;
        let s = match self {
            NotUtf8 => if ja {
                "エディタで文字コードを「UTF-8」にして保存し直してください（Shift_JIS は使えません）".into()
            } else {
                "save the file again with the UTF-8 encoding (Shift_JIS is not supported)".into()
            },
            UnclosedFrontMatter => if ja {
                "項目の最後の行の次に、--- だけの行を入れてください".into()
            } else {
                "add a line containing only --- after the last field".into()
            },
            YamlSyntax { detail } if ja && detail.contains("quoted scalar") => {
                "引用符（\" または '）が閉じられていません。値の終わりにも同じ引用符を付けてください".into()
            }
            YamlSyntax { detail } if ja && detail.contains("flow") => {
                "[ ] または { } が閉じられていません。例: themes: [観光, 農業]".into()
            }
            YamlSyntax { detail } if ja && detail.contains("mapping values are not allowed") => {
                "値の中に「: 」があります。値全体を \"...\" で囲んでください（例: title: \"募集: 広報パートナー\"）".into()
            }
            YamlSyntax { detail } if ja && detail.contains("cannot start any token") => {
                "タブ文字や、YAML で特別な意味を持つ記号（@ ` % など）から値を始めることはできません。字下げは半角スペースで、値は \"...\" で囲んでください".into()
            }
            YamlSyntax { .. } => if ja {
                "「項目名: 値」の形か、コロン（:）の後の半角スペース、字下げ、引用符の閉じ忘れを確認してください。値に「:」や「#」を含むときは \"...\" で囲みます".into()
            } else {
                "check the `field: value` form, the space after each colon, indentation and unclosed quotes; wrap values containing `:` or `#` in \"...\"".into()
            },
            YamlTooComplex => if ja {
                "アンカー（&）とエイリアス（*）を使わずに値を直接書いてください".into()
            } else {
                "write the values out directly instead of using anchors (&) and aliases (*)".into()
            },
            FrontMatterNotMapping => if ja {
                "例: title: 地域の魅力を伝える広報パートナー募集".into()
            } else {
                "for example: title: Looking for a PR partner".into()
            },
            FrontMatterTooLarge { .. } => if ja {
                "長い文章はフロントマターではなく本文に書いてください".into()
            } else {
                "put long text in the body, not in the front matter".into()
            },
            MissingField { field } => if ja {
                format!("フロントマターに「{field}: …」の行を加えてください")
            } else {
                format!("add a line `{field}: …` to the front matter")
            },
            UnknownField { suggestion: Some(s), .. } => if ja {
                format!("「{s}」のことですか？")
            } else {
                format!("did you mean `{s}`?")
            },
            UnknownField { suggestion: None, .. } => if ja {
                "項目名の綴りを確認してください。使える項目は `tsunagari new` で作られるファイルに説明付きで並んでいます".into()
            } else {
                "check the spelling; `tsunagari new` writes a file listing every field with an explanation".into()
            },
            WrongType { .. } => return None,
            InvalidDate { .. } => if ja {
                "日付は 2026-03-31 のように「年-月-日」で、0001-01-02 から 9998-12-31 までの実在する日を書いてください（期限のない課題には deadline を書きません）".into()
            } else {
                "write a real date from 0001-01-02 to 9998-12-31 as year-month-day, e.g. 2026-03-31 (a challenge without a deadline has no deadline field)".into()
            },
            InvalidPrefecture { suggestion: Some(s), .. } => if ja {
                format!("「{s}」のことですか？ 都道府県名は「東京都」「大阪府」「新潟県」のように省略せずに書いてください")
            } else {
                format!("did you mean `{s}`? Write the prefecture in full, e.g. 東京都, 大阪府, 新潟県")
            },
            InvalidPrefecture { suggestion: None, .. } => if ja {
                "都道府県名は「東京都」「大阪府」「新潟県」のように省略せずに書いてください".into()
            } else {
                "write the prefecture in full, e.g. 東京都, 大阪府, 新潟県".into()
            },
            InvalidChoice { allowed, suggestion, .. } => {
                let list = allowed.join(" / ");
                match (suggestion, ja) {
                    (Some(s), true) => format!("「{s}」のことですか？ 使える値: {list}"),
                    (Some(s), false) => format!("did you mean `{s}`? Allowed: {list}"),
                    (None, true) => format!("使える値: {list}"),
                    (None, false) => format!("allowed: {list}"),
                }
            }
            EmptyValue { .. } => if ja {
                "値を書くか、その行を削除してください".into()
            } else {
                "write a value or remove the line".into()
            },
            BrokenLink { .. } => if ja {
                "リンク先のファイル名と、このファイルからの相対パス（例: ../cases/foo.md）を確認してください".into()
            } else {
                "check the file name and the path relative to this file (e.g. ../cases/foo.md)".into()
            },
            LinkToDraft { .. } => if ja {
                "リンク先の draft を外すか、リンクを削除してください".into()
            } else {
                "publish the target (remove `draft`) or remove the link".into()
            },
            UnknownChallenge { suggestion: Some(s), .. } => if ja {
                format!("「{s}」のことですか？ 課題のファイル名（.md を除く）を書きます")
            } else {
                format!("did you mean `{s}`? Use the challenge's file name without .md")
            },
            UnknownChallenge { suggestion: None, .. } => if ja {
                "課題のファイル名（.md を除く）を書いてください".into()
            } else {
                "use the challenge's file name without .md".into()
            },
            MissingImage { .. } => if ja {
                "画像をページと同じフォルダ（ページバンドル）か static/ に置き、ファイル名を確認してください".into()
            } else {
                "put the image next to the page (in its bundle) or in static/, and check the name".into()
            },
            DuplicateUrl { .. } => if ja {
                "どちらかのファイル名を変えてください".into()
            } else {
                "rename one of the two files".into()
            },
            InvalidSlug { .. } => if ja {
                "ファイル名には英数字・ハイフン（-）・アンダースコア（_）を使ってください（例: sado-tourism.md）".into()
            } else {
                "use letters, digits, - and _ in file names (e.g. sado-tourism.md)".into()
            },
            UnknownSection { suggestion: Some(s), .. } => if ja {
                format!("「{s}」のことですか？ 使えるフォルダ: challenges / cases / columns")
            } else {
                format!("did you mean `{s}`? Known folders: challenges / cases / columns")
            },
            UnknownSection { suggestion: None, .. } => if ja {
                "使えるフォルダ: challenges（課題）/ cases（事例）/ columns（コラム）。画像などは static/ に置きます".into()
            } else {
                "known folders: challenges / cases / columns; put images and files in static/".into()
            },
            StrayFile => if ja {
                "画像などは static/ に置くか、ページをフォルダにまとめて（例: challenges/foo/index.md）その中に置いてください".into()
            } else {
                "put files in static/, or make the page a bundle (challenges/foo/index.md) and put them beside it".into()
            },
            UnsafeUrlRemoved { .. } => if ja {
                "使える URL は https://・http://・mailto:・tel: と、サイト内のパス（/challenges/、../about/ など）です。javascript: / data: などや、// やバックスラッシュで始まる URL、見えない文字を含む URL は使えません".into()
            } else {
                "allowed: https://, http://, mailto:, tel: and site paths (/challenges/, ../about/); javascript:, data: and other schemes, URLs starting with // or a backslash, and URLs with invisible characters are not".into()
            },
            RawHtmlEscaped => if ja {
                "改行や強調は Markdown で書いてください。YouTube・地図の埋め込みは site.yaml の markdown.allow_iframes で許可できます".into()
            } else {
                "use Markdown for formatting; YouTube and map embeds can be allowed with markdown.allow_iframes in site.yaml".into()
            },
            OpenPastDeadline { .. } => if ja {
                "募集を終えたなら status: closed に、延長したなら deadline を新しい日付にしてください".into()
            } else {
                "set status: closed if recruiting has ended, or move the deadline".into()
            },
            UnknownForm { suggestion: Some(s), .. } => {
                if ja {
                    format!("「{s}」のことですか？ フォームを出さないときは form: false と書きます")
                } else {
                    format!("did you mean `{s}`? Write form: false for no form")
                }
            }
            UnknownForm { suggestion: None, .. } => {
                if ja {
                    "site.yaml の forms.handlers に書いた名前を使うか、フォームを出さないときは form: false と書きます".into()
                } else {
                    "use a name from forms.handlers in site.yaml, or form: false for no form".into()
                }
            }
            InsecureFormAction { .. } => {
                if ja {
                    "個人情報を送るので https:// の URL にしてください（http:// はテスト用に localhost・127.0.0.1 だけ使えます）".into()
                } else {
                    "personal data must travel over https:// (http:// only for localhost or 127.0.0.1 while testing)".into()
                }
            }
            Security(p) => p.help(lang),
            Files(p) => p.help(ja),
            Config(p) => p.help(lang),
            Strings(p) => theme_strings::help(p, ja),
            NoPrivacyPage => {
                if ja {
                    "個人情報の取り扱いを説明する content/privacy.md を作ってください（tsunagari init のひな形があります）".into()
                } else {
                    "add content/privacy.md explaining how personal data is handled (tsunagari init writes a starter)".into()
                }
            }
            Unreadable { .. } => {
                if ja {
                    "ファイルの読み取り権限を確認してください".into()
                } else {
                    "check that the file can be read".into()
                }
            }
            Entry { issue } => issue.help(lang),
            Text(p) => return Some(p.help(lang)),
            InvalidSiteValue { .. } | Template { .. } => return None,
            UrlRefused(r) => r.help(lang),
            Bug { .. } => bug_help(ja).into(),
            MissingSiteConfig => if ja {
                "サイトのフォルダで実行するか --root で指定してください。新しく作るときは tsunagari init を使います".into()
            } else {
                "run inside the site folder or pass --root; start a new site with tsunagari init".into()
            },
            HeadingAttributeDropped { .. } | HeadingIdChanged { .. } | DuplicateFootnote { .. } => {
                markdown::help(self, ja)
            }
        };
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_source_line_caret_and_help() {
        let text = "---\ntitle: a\nprefecture: 東京\n---\n";
        let d = Diagnostic::error(
            "content/challenges/a.md",
            Problem::InvalidPrefecture {
                value: "東京".into(),
                suggestion: Some("東京都".into()),
            },
        )
        .at(text, 3, 13)
        .with_span(2);
        let r = d.render(Lang::Ja);
        assert!(r.starts_with("エラー: content/challenges/a.md:3:13: 「prefecture」の値「東京」は都道府県名ではありません\n"), "{r}");
        assert!(r.contains("3 | prefecture: 東京\n"), "{r}");
        // 12 ASCII columns before the value, then two wide characters = four carets.
        assert!(r.contains("  |             ^^^^\n"), "{r}");
        assert!(r.contains("= ヒント: 「東京都」のことですか？"), "{r}");
        let en = d.render(Lang::En);
        assert!(en.contains("did you mean `東京都`?"), "{en}");
    }

    #[test]
    fn github_format_escapes_newlines() {
        let d = Diagnostic::error(
            "a.md",
            Problem::YamlSyntax {
                detail: "x\ny".into(),
            },
        )
        .at("a\nb", 2, 1);
        let g = d.render_github(Lang::En);
        assert!(g.starts_with("::error file=a.md,line=2,col=1::"));
        assert!(!g.contains('\n'));
    }

    #[test]
    fn wide_characters_count_double() {
        assert_eq!(display_width("ab"), 2);
        assert_eq!(display_width("東京"), 4);
        assert_eq!(display_width("ﾃﾚﾜｰｸ"), 5);
    }
}
