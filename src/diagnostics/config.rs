//! A problem of a site.yaml value (or of a Markdown image, or a form field name) that would
//! reach the output invalid: `language`, a reserved form field name, an image the image policy
//! refuses. Raised by `config::checks`, `forms` and `markdown`; wrapped in `Problem::Config`.

use super::Lang;
use crate::urls::Refused;

/// A problem of a site.yaml value (see the module header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    /// `language` that is not a language tag (`ja`, `ja-JP`, `en`).
    Language { value: String },
    /// A form field named like a field, honeypot or control value our form or the provider
    /// uses; `owner` says whose (`tsunagari`, `formspree`…).
    ReservedFieldName { name: String, owner: &'static str },
    /// A Markdown image the image policy refuses (plain `http:`, `mailto:`…): removed.
    ImageRemoved(Refused),
}

impl ConfigProblem {
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            ConfigProblem::Language { value } => {
                let value = crate::urls::visible(value);
                if ja {
                    format!("site.yaml の「language」の値「{value}」は言語の名前（言語タグ）ではありません")
                } else {
                    format!("site.yaml: `language` = `{value}` is not a language tag")
                }
            }
            ConfigProblem::ReservedFieldName { name, owner } => {
                let whose = match (*owner, ja) {
                    ("tsunagari", true) => "tsunagari のフォーム".to_string(),
                    ("tsunagari", false) => "tsunagari's form".to_string(),
                    (o, _) => o.to_string(),
                };
                if ja {
                    format!(
                        "フォームの項目名「{name}」は {whose} が使う名前なので、項目には使えません"
                    )
                } else {
                    format!(
                        "the form field name `{name}` is used by {whose} and cannot name a field"
                    )
                }
            }
            ConfigProblem::ImageRemoved(r) if ja => {
                format!("{}。この画像は外しました", r.message(lang))
            }
            ConfigProblem::ImageRemoved(r) => format!("{}; the image was removed", r.message(lang)),
        }
    }

    pub fn help(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            ConfigProblem::Language { .. } if ja => "ja（日本語）、en（英語）、ja-JP のように、英字・数字と - で書いてください".into(),
            ConfigProblem::Language { .. } => "write a language tag of letters, digits and `-`, such as ja, en or ja-JP".into(),
            ConfigProblem::ReservedFieldName { .. } if ja => "別の名前にしてください（例: company_url、phone）。迷惑投稿よけの欄や送信先サービスの設定と同じ名前にすると、応募が迷惑投稿として捨てられたり、送信後の移動先が変わったりします".into(),
            ConfigProblem::ImageRemoved(r) => r.help(lang),
            ConfigProblem::ReservedFieldName { .. } => "choose another name (e.g. company_url, phone): a field named like the spam trap or a provider setting gets real submissions filed as spam or changes where the visitor is sent".into(),
        }
    }
}
