//! Messages and help for the problems of odd or hostile text: control characters, files and
//! paths over the limits, floods of unknown fields, challenges closed without a date. Kept
//! beside `diagnostics` so its two big matches only delegate here.

use super::Lang;
use crate::msg;

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
        match self {
            ControlCharacter { code_point } => {
                msg!(lang, "control-character", code_point = code_point)
            }
            ControlCharacterRemoved {
                code_point,
                more: 0,
            } => {
                msg!(lang, "control-character-removed", code_point = code_point)
            }
            ControlCharacterRemoved { code_point, more } => msg!(
                lang,
                "control-characters-removed",
                code_point = code_point,
                more = more
            ),
            FileTooLarge { limit_mib } => msg!(lang, "file-too-large", limit_mib = limit_mib),
            PathTooLong { value, bytes } => {
                let start: String = value.chars().take(20).collect();
                msg!(lang, "path-too-long", start = start, bytes = bytes)
            }
            TooManyUnknownFields { more } => msg!(lang, "too-many-unknown-fields", more = more),
            ClosedWithoutUpdated => msg!(lang, "closed-without-updated"),
        }
    }

    /// How to fix it.
    pub fn help(&self, lang: Lang) -> String {
        use TextProblem::*;
        match self {
            ControlCharacter { .. } => msg!(lang, "control-character-help"),
            ControlCharacterRemoved { .. } => msg!(lang, "control-character-removed-help"),
            FileTooLarge { .. } => msg!(lang, "file-too-large-help"),
            PathTooLong { .. } => msg!(lang, "path-too-long-help"),
            TooManyUnknownFields { .. } => msg!(lang, "too-many-unknown-fields-help"),
            ClosedWithoutUpdated => msg!(lang, "closed-without-updated-help"),
        }
    }
}
