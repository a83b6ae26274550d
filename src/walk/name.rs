//! Which file and folder names can be published: a name becomes part of a path in the output
//! folder and of a URL, on whatever machine builds or hosts the site.
//!
//! Refused (and reported by the walk with a name that would do):
//! - `\` — Windows and browsers read it as `/`, so `x\passwd` would be published through a
//!   folder `x` the walk never checked (and could lead out of a bundle: `x\..\..\index.html`);
//! - `:` `*` `?` `"` `<` `>` `|` — Windows cannot store them (`:` also starts a URL scheme);
//! - control characters, bidirectional controls (they make a name read backwards in messages)
//!   and noncharacters;
//! - names that are not UTF-8 (they have no URL), names ending in `.` or a space (Windows drops
//!   them) and names Windows reserves (`CON`, `NUL`, `COM1`…, with any extension).

use crate::diagnostics::{EntryIssue, NameFault};
use std::ffi::OsStr;

/// Why `name` (one path component) cannot be published, with a name that would do.
pub(super) fn check(name: &OsStr) -> Option<EntryIssue> {
    let Some(s) = name.to_str() else {
        let rename = name.to_string_lossy().replace('\u{FFFD}', "-");
        return Some(EntryIssue::BadName {
            fault: NameFault::NotUtf8,
            rename: rename_str(&rename),
        });
    };
    let fault = fault(s)?;
    Some(EntryIssue::BadName {
        fault,
        rename: rename_str(s),
    })
}

fn fault(s: &str) -> Option<NameFault> {
    if let Some(c) = s.chars().find(|&c| bad_char(c)) {
        return Some(NameFault::Char(c));
    }
    if s.ends_with(['.', ' ']) {
        return Some(NameFault::Trailing);
    }
    reserved(s).then_some(NameFault::Reserved)
}

fn bad_char(c: char) -> bool {
    matches!(c, '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        || c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || matches!(c as u32, 0xFDD0..=0xFDEF)
        || (c as u32) & 0xFFFE == 0xFFFE
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9`, alone or before an extension.
fn reserved(s: &str) -> bool {
    let stem = s
        .split('.')
        .next()
        .unwrap_or(s)
        .trim_end()
        .to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit())
}

/// A name like `s` that can be published and used in a URL, where only letters, digits and
/// `keep` characters are wanted (content file names: `- _ . ー`): anything else (a space, a
/// character the walk refuses) becomes `-`, a trailing `.` or space goes, a reserved stem gets
/// a `_`. The one rename every "rename it, e.g. to …" hint offers.
pub fn rename(s: &str, keep: impl Fn(char) -> bool) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || keep(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    rename_str(&s)
}

/// A name like `s` that can be published: bad characters become `-`, a trailing `.` or space
/// goes, a reserved stem gets a `_`.
fn rename_str(s: &str) -> String {
    let mut r: String = s
        .chars()
        .map(|c| if bad_char(c) { '-' } else { c })
        .collect();
    while r.ends_with(['.', ' ']) {
        r.pop();
    }
    if r.is_empty() {
        r.push_str("file");
    }
    if reserved(&r) {
        let at = r.find('.').unwrap_or(r.len());
        r.insert(at, '_');
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(s: &str) -> Option<String> {
        match check(OsStr::new(s)) {
            Some(EntryIssue::BadName { rename, .. }) => {
                assert!(check(OsStr::new(&rename)).is_none(), "{rename}");
                Some(rename)
            }
            _ => None,
        }
    }

    #[test]
    fn names_that_cannot_be_published_are_refused_with_a_name_that_would_do() {
        for ok in [
            "a.png",
            "が.png",
            "レポート 2026.pdf",
            "-_.txt",
            "com10.txt",
            "console.log",
        ] {
            assert_eq!(renamed(ok), None, "{ok}");
        }
        let cases = [
            ("x\\passwd", "x-passwd"),
            (".well-known\\..\\passwd", ".well-known-..-passwd"),
            ("a:b.txt", "a-b.txt"),
            ("what?.html", "what-.html"),
            ("a\u{7}b", "a-b"),
            ("gpj.\u{202E}exe", "gpj.-exe"),
            ("note.", "note"),
            ("note ", "note"),
            ("CON", "CON_"),
            ("nul.txt", "nul_.txt"),
            ("Com1.png", "Com1_.png"),
            ("a\u{FFFF}", "a-"),
        ];
        for (bad, good) in cases {
            assert_eq!(renamed(bad).as_deref(), Some(good), "{bad:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_is_refused() {
        use std::os::unix::ffi::OsStrExt;
        let name = OsStr::from_bytes(b"caf\xe9.png");
        assert!(matches!(
            check(name),
            Some(EntryIssue::BadName { fault: NameFault::NotUtf8, rename }) if rename == "caf-.png"
        ));
    }
}
