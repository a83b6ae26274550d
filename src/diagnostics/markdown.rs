//! Messages and help for the Markdown body problems (heading attributes, ids, footnotes), kept beside
//! `diagnostics.rs` so that file stays small enough to read.

use super::Problem::{self, *};

pub(super) fn message(p: &Problem, ja: bool) -> String {
    match p {
        HeadingAttributeDropped { attribute } => {
            if ja {
                format!("見出しの属性「{attribute}」は使えないため、取り除きました")
            } else {
                format!("the heading attribute `{attribute}` is not allowed and was removed")
            }
        }
        HeadingIdChanged { id, now } => {
            if ja {
                format!("見出しの id「{id}」はテーマか同じページの別の見出しが使っているため、「{now}」にしました")
            } else {
                format!("the heading id `{id}` is already used by the theme or another heading of the page; it is `{now}` instead")
            }
        }
        DuplicateFootnote { label } => {
            if ja {
                format!(
                    "脚注「[^{label}]」が2回以上定義されています。本文の参照は最初の定義を指します"
                )
            } else {
                format!("the footnote `[^{label}]` is defined more than once; references point to the first definition")
            }
        }
        _ => unreachable!("diagnostics sends only Markdown problems here"),
    }
}

pub(super) fn help(p: &Problem, ja: bool) -> String {
    match p {
        HeadingAttributeDropped { .. } => if ja {
            "見出しに付けられるのは {#id}（文字・数字・-・_）と {.class}（半角英数字・-・_）だけです"
        } else {
            "headings take only {#id} (letters, digits, -, _) and {.class} (ASCII letters, digits, -, _)"
        }
        .into(),
        HeadingIdChanged { .. } => if ja {
            "リンクで使う id なら、ほかと重ならない名前を {#…} に書いてください"
        } else {
            "if links use this id, give the heading a name of its own in {#…}"
        }
        .into(),
        DuplicateFootnote { .. } => if ja {
            "2つ目以降の定義の名前を変えるか（例: [^2]:）、1つにまとめてください"
        } else {
            "rename the later definition (e.g. [^2]:) or merge the two"
        }
        .into(),
        _ => unreachable!("diagnostics sends only Markdown problems here"),
    }
}
