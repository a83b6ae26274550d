//! Messages and help for the Markdown body problems (heading attributes, ids, footnotes), kept beside
//! `diagnostics.rs` so that file stays small enough to read.

use super::Lang;
use super::Problem::{self, *};
use crate::msg;

pub(super) fn message(p: &Problem, lang: Lang) -> String {
    match p {
        HeadingAttributeDropped { attribute } => {
            msg!(lang, "heading-attribute-dropped", attribute = attribute)
        }
        HeadingIdChanged { id, now } => msg!(lang, "heading-id-changed", id = id, now = now),
        DuplicateFootnote { label } => msg!(lang, "duplicate-footnote", label = label),
        _ => unreachable!("diagnostics sends only Markdown problems here"),
    }
}

pub(super) fn help(p: &Problem, lang: Lang) -> String {
    match p {
        HeadingAttributeDropped { .. } => msg!(lang, "heading-attribute-dropped-help"),
        HeadingIdChanged { .. } => msg!(lang, "heading-id-changed-help"),
        DuplicateFootnote { .. } => msg!(lang, "duplicate-footnote-help"),
        _ => unreachable!("diagnostics sends only Markdown problems here"),
    }
}
