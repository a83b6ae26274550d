//! Messages and help for the problems of odd or hostile text: control characters, files and
//! paths over the limits, floods of unknown fields, challenges closed without a date. Kept
//! beside `diagnostics` so its two big matches only delegate here.

use super::Lang;

/// A problem of odd or hostile text (carried by `Problem::Text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    /// A control character or noncharacter in front matter or site.yaml (refused).
    ControlCharacter { code_point: String },
    /// Control characters taken out of a Markdown body (a warning); `more` after the first.
    ControlCharacterRemoved { code_point: String, more: usize },
    /// A content file or site.yaml over the size limit, refused before it is read.
    FileTooLarge { limit_mib: u64 },
    /// A slug, term or asset path that would make an output path too long to write.
    PathTooLong { value: String, bytes: usize },
    /// Unknown keys past the first few reported in a file.
    TooManyUnknownFields { more: usize },
    /// `status: closed` without an `updated` date (not older than `date`).
    ClosedWithoutUpdated,
}

impl TextProblem {
    /// One sentence: what is wrong.
    pub fn message(&self, lang: Lang) -> String {
        use TextProblem::*;
        let ja = lang == Lang::Ja;
        match self {
            ControlCharacter { code_point } => {
                if ja {
                    format!("目に見えない制御文字（{code_point}）が含まれています")
                } else {
                    format!("an invisible control character ({code_point}) is in the text")
                }
            }
            ControlCharacterRemoved { code_point, more } => match (ja, more) {
                (true, 0) => format!("本文の目に見えない制御文字（{code_point}）を取り除きました"),
                (true, n) => {
                    format!(
                        "本文の目に見えない制御文字（{code_point} ほか {n} 個）を取り除きました"
                    )
                }
                (false, 0) => {
                    format!("removed an invisible control character ({code_point}) from the text")
                }
                (false, n) => format!(
                "removed invisible control characters ({code_point} and {n} more) from the text"
            ),
            },
            FileTooLarge { limit_mib } => {
                if ja {
                    format!("ファイルが大きすぎます（上限 {limit_mib} MiB）")
                } else {
                    format!("the file is too large (the limit is {limit_mib} MiB)")
                }
            }
            PathTooLong { value, bytes } => {
                let short: String = value.chars().take(20).collect();
                if ja {
                    format!("「{short}…」から作られる URL の部分が長すぎます（{bytes} バイト、上限 255 バイト）")
                } else {
                    format!("the URL segment made from “{short}…” is too long ({bytes} bytes, the limit is 255)")
                }
            }
            TooManyUnknownFields { more } => {
                if ja {
                    format!("ほかにも知らない項目が {more} 個あります")
                } else {
                    format!("{more} more unknown fields")
                }
            }
            ClosedWithoutUpdated => {
                if ja {
                    "status: closed で募集を終えた課題に、終えた日（updated）が書かれていません"
                        .into()
                } else {
                    "this challenge is closed with `status: closed` but does not say when (`updated`)"
                    .into()
                }
            }
        }
    }

    /// How to fix it.
    pub fn help(&self, lang: Lang) -> String {
        use TextProblem::*;
        let ja = lang == Lang::Ja;
        match self {
        ControlCharacter { .. } => if ja {
            "Word や Excel から貼り付けた文字によく含まれます。その行の値を消して手で打ち直すか、「\\v」「\\x0B」などのエスケープを消してください"
        } else {
            "these often come with text pasted from Word or Excel: delete the value and type it again, or remove escapes such as \\v or \\x0B"
        }
        .into(),
        ControlCharacterRemoved { .. } => if ja {
            "Word や Excel から貼り付けた文字によく含まれます。出力からは取り除きましたが、その行を打ち直すと警告が消えます"
        } else {
            "these often come with text pasted from Word or Excel; they are left out of the output, and retyping the line makes this warning go away"
        }
        .into(),
        FileTooLarge { .. } => if ja {
            "画像や PDF はページバンドルのフォルダか static/ に置き、本文からリンクしてください。長い文章はページを分けてください"
        } else {
            "put images and PDFs in the page bundle or static/ and link to them; split very long texts into several pages"
        }
        .into(),
        PathTooLong { .. } => if ja {
            "名前を短くしてください（日本語なら 85 文字程度まで）。長い説明は summary や本文に書きます"
        } else {
            "shorten the name (about 85 Japanese characters at most); put long descriptions in summary or the text"
        }
        .into(),
        TooManyUnknownFields { .. } => if ja {
            "フロントマターに別のファイルの内容が紛れ込んでいないか確認してください。最初の 20 個だけを表示しています"
        } else {
            "check that the front matter does not contain the contents of another file; only the first 20 are listed"
        }
        .into(),
        ClosedWithoutUpdated => if ja {
            "募集を終えた日を updated: 2026-04-01 のように書いてください。検索エンジンやフィードの読者に、募集終了が更新として伝わります（書かれていない間は、ビルドの日を終了日として扱います）"
        } else {
            "add the day it was closed, e.g. updated: 2026-04-01, so search engines and feed readers see the closing as an update (until then the build date is used)"
        }
        .into(),
    }
    }
}
