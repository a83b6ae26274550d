//! Unicode hygiene for everything staff write: NFC normalisation on read, and the characters
//! that have no place in text (control characters and noncharacters, most of them invalid in
//! XML 1.0 and all of them parse errors in HTML).
//!
//! Owns the rules only; the readers (`content`, `config`, `yaml`) apply them once, on read, so no
//! later stage ever sees NFD text or a control character from a source file. The XML writers
//! (`feeds`) use [`is_xml_char`] as a last line of defence.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Text in Unicode NFC, except that CJK compatibility ideographs (U+F900–U+FAFF,
/// U+2F800–U+2FA1F) are kept as written: NFC would silently turn them into their unified
/// counterparts (`神` U+FA19 → `神` U+795E), which many fonts draw differently, and they are
/// deliberate choices in names. macOS does not decompose them in file names either.
///
/// Splitting at those characters is exact: each is a starter whose decomposition is a single
/// unified ideograph that composes with nothing, so normalising the runs between them gives
/// NFC everywhere else.
pub fn nfc(s: &str) -> Cow<'_, str> {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if is_cjk_compatibility_ideograph(c) {
            out.extend(s[start..i].nfc());
            out.push(c);
            start = i + c.len_utf8();
        }
    }
    out.extend(s[start..].nfc());
    if out == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(out)
    }
}

/// [`nfc`] of an owned string, reusing it when it is already normalised.
pub fn nfc_string(s: String) -> String {
    match nfc(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => o,
    }
}

/// A source file's text as staff see it in an editor: [`nfc`], and a lone carriage return (the
/// line end of classic Mac files, or one left by a broken paste) read as a line break, so that
/// every line number tsunagari reports is a line the editor shows. `\r\n` is left alone.
pub fn as_read(text: String) -> String {
    let text = nfc_string(text);
    let b = text.as_bytes();
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone) {
        return text;
    }
    // `\r` is ASCII, so replacing it byte for byte keeps the text UTF-8.
    let bytes: Vec<u8> = (0..b.len())
        .map(|i| if lone(i) { b'\n' } else { b[i] })
        .collect();
    String::from_utf8(bytes).expect("only an ASCII byte was replaced")
}

/// A path with every (UTF-8) component in NFC. File names from macOS arrive in NFD; URLs and
/// link targets compare in NFC.
pub fn nfc_path(p: &Path) -> PathBuf {
    match p.to_str() {
        Some(s) => match nfc(s) {
            Cow::Borrowed(_) => p.to_path_buf(),
            Cow::Owned(o) => PathBuf::from(o),
        },
        None => p.to_path_buf(),
    }
}

fn is_cjk_compatibility_ideograph(c: char) -> bool {
    matches!(c as u32, 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// Characters refused in front matter and site.yaml and removed from Markdown bodies: C0
/// controls except tab, line feed and carriage return; DEL and the C1 controls; and the
/// noncharacters (U+FDD0–U+FDEF and the last two code points of every plane). They are
/// invisible, usually pasted from a word processor or spreadsheet (Word writes U+000B for a
/// line break inside a paragraph), and make feeds invalid XML.
pub fn is_forbidden(c: char) -> bool {
    let u = c as u32;
    matches!(u, 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF)
        || (u & 0xFFFE) == 0xFFFE
}

/// The first forbidden character of `s` and its byte offset.
pub fn find_forbidden(s: &str) -> Option<(usize, char)> {
    s.char_indices().find(|&(_, c)| is_forbidden(c))
}

/// Characters XML 1.0 allows in a document (section 2.2, `Char`).
pub fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// `U+000B`: how messages name a character staff cannot see.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_kana_become_nfc() {
        assert_eq!(nfc("か\u{3099}"), "が");
        assert_eq!(nfc("ハ\u{309A}ン"), "パン");
        assert!(matches!(nfc("もう NFC です"), Cow::Borrowed(_)));
    }

    #[test]
    fn cjk_compatibility_ideographs_are_kept() {
        // U+FA19 (神) must not become U+795E, even next to text that does change.
        assert_eq!(nfc("\u{FA19}社のか\u{3099}"), "\u{FA19}社のが");
        assert_eq!(nfc("\u{2F800}"), "\u{2F800}");
        assert_eq!(nfc("\u{FA19}\u{3099}"), "\u{FA19}\u{3099}");
    }

    #[test]
    fn lone_carriage_returns_are_line_breaks() {
        assert_eq!(
            as_read("---\rtitle: a\r---\r本文\r".into()),
            "---\ntitle: a\n---\n本文\n"
        );
        assert_eq!(as_read("a\r\nb\r".into()), "a\r\nb\n");
        assert_eq!(as_read("か\u{3099}\r".into()), "が\n");
    }

    #[test]
    fn nfc_paths() {
        assert_eq!(
            nfc_path(Path::new("content/challenges/か\u{3099}っこう.md")),
            PathBuf::from("content/challenges/がっこう.md")
        );
    }

    #[test]
    fn forbidden_characters() {
        for c in [
            '\u{0}', '\u{1}', '\u{B}', '\u{C}', '\u{1F}', '\u{7F}', '\u{85}', '\u{9F}',
        ] {
            assert!(is_forbidden(c), "{}", code_point(c));
        }
        for c in [
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{FDD0}',
            '\u{1FFFF}',
            '\u{10FFFF}',
        ] {
            assert!(is_forbidden(c), "{}", code_point(c));
        }
        for c in [
            '\t', '\n', '\r', ' ', 'あ', '\u{A0}', '\u{3000}', '\u{FFFD}',
        ] {
            assert!(!is_forbidden(c), "{}", code_point(c));
        }
        // Everything allowed is valid XML 1.0.
        for u in 0..=0x10FFFFu32 {
            if let Some(c) = char::from_u32(u) {
                assert!(is_forbidden(c) || is_xml_char(c), "{}", code_point(c));
            }
        }
        assert_eq!(find_forbidden("ab\u{B}c"), Some((2, '\u{B}')));
        assert_eq!(code_point('\u{B}'), "U+000B");
    }
}
