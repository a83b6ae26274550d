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
    // Almost all text staff write is ASCII, kana, kanji and full-width forms, which NFC never
    // changes: checking ranges is several times cheaper than the quick-check tables.
    if all_nfc_stable(s.as_bytes()) || is_nfc_quick(s.chars()) == IsNormalized::Yes {
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

/// Characters that NFC leaves alone in a text made only of such characters: starters (canonical
/// combining class 0) with NFC_Quick_Check=Yes that are never the second half of a composition.
/// (`か` composes with a following U+3099, but U+3099 is not in these ranges, so a text of these
/// characters only has nothing to compose.) Only ranges that are sure are listed; anything else
/// goes to the quick-check tables. (The build reads the same ranges off the bytes, in
/// [`all_nfc_stable`]; the tests check both against the Unicode tables.)
#[cfg(test)]
fn nfc_stable(c: char) -> bool {
    matches!(c,
        '\0'..='\u{2FF}'               // ASCII, Latin-1, Latin Extended-A/B, IPA (combining marks start at U+0300)
        | '\u{2010}'..='\u{2027}'      // dashes, quotation marks, ellipsis
        | '\u{3000}'..='\u{3029}'      // ideographic space, CJK punctuation (U+302A–302F are combining marks)
        | '\u{3030}'..='\u{3096}'      // hiragana (U+3099/309A, the combining voicing marks, are not here)
        | '\u{309B}'..='\u{30FF}'      // spacing voicing marks, katakana
        | '\u{3400}'..='\u{4DBF}'      // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}'      // CJK Unified Ideographs
        | '\u{FF01}'..='\u{FFEF}') // full-width and half-width forms
}

/// [`nfc_stable`] for every character, read off the UTF-8 bytes: ASCII, U+0080–U+02FF
/// (`C2`–`CB`), U+2010–U+2027 (`E2 80 90`–`A7`), U+3000–U+3FFF (`E3`) but the combining marks
/// U+302A–302F and U+3099/309A, U+4000–U+9FFF (`E4`–`E9`), and U+FF00–U+FFEF (`EF BC`–`BF AF`).
/// Anything else answers false and goes to the quick-check tables.
fn all_nfc_stable(mut b: &[u8]) -> bool {
    // `b` is UTF-8 (it comes from a `&str`), so a lead byte is always followed by its
    // continuation bytes; a run of ASCII is passed over eight bytes at a time.
    loop {
        b = match b {
            [] => return true,
            [0x00..=0x7F, r @ ..] => skip_ascii(r),
            [0xC2..=0xCB, _, r @ ..]
            | [0xE2, 0x80, 0x90..=0xA7, r @ ..]
            | [0xE4..=0xE9, _, _, r @ ..]
            | [0xEF, 0xBC..=0xBE, _, r @ ..]
            | [0xEF, 0xBF, 0x80..=0xAF, r @ ..] => r,
            [0xE3, 0x80, 0xAA..=0xAF, ..] | [0xE3, 0x82, 0x99 | 0x9A, ..] => return false,
            [0xE3, _, _, r @ ..] => r,
            _ => return false,
        };
    }
}

/// `b` without its leading whole words of ASCII.
fn skip_ascii(mut b: &[u8]) -> &[u8] {
    while let Some((w, r)) = b.split_first_chunk::<8>() {
        if u64::from_le_bytes(*w) & HIGHS != 0 {
            break;
        }
        b = r;
    }
    b
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
    if !b.contains(&b'\r') || !(0..b.len()).any(lone) {
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

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
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
    if !may_have_forbidden(s) {
        return None;
    }
    s.char_indices().find(|&(_, c)| is_forbidden(c))
}

/// A cheap look at the UTF-8 bytes: false when `s` surely holds no [`is_forbidden`] character
/// (C0 controls but tab/LF/CR, DEL, C1 controls `C2 80–9F`, noncharacters U+FDD0–FDEF
/// `EF B7 90–AF` and U+xFFFE/xFFFF `… BF BE/BF`). Every page's text passes through here, so
/// the common bytes are skipped with one table look-up each.
pub fn may_have_forbidden(s: &str) -> bool {
    scan(
        s.as_bytes(),
        &FORBIDDEN_LEADS,
        word_may_forbid,
        |b, i| match b[i] {
            0xC2 => matches!(b.get(i + 1), Some(0x80..=0x9F)),
            0xEF => matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0xB7), Some(0x90..=0xAF)) | (Some(0xBF), Some(0xBE | 0xBF))
            ),
            0xF0..=0xF4 => {
                b.get(i + 1).is_some_and(|y| y & 0x0F == 0x0F)
                    && b.get(i + 2) == Some(&0xBF)
                    && matches!(b.get(i + 3), Some(0xBE | 0xBF))
            }
            _ => true,
        },
    )
}

/// False when `s` surely holds only characters XML 1.0 allows (see [`is_xml_char`]): the
/// characters it refuses are C0 controls but tab/LF/CR and U+FFFE/U+FFFF (`EF BF BE/BF`).
pub fn may_have_non_xml(s: &str) -> bool {
    scan(
        s.as_bytes(),
        &NON_XML_LEADS,
        word_may_non_xml,
        |b, i| match b[i] {
            0xEF => b.get(i + 1) == Some(&0xBF) && matches!(b.get(i + 2), Some(0xBE | 0xBF)),
            _ => true,
        },
    )
}

/// Bytes that can start a forbidden character (see [`may_have_forbidden`]).
const FORBIDDEN_LEADS: [bool; 256] = leads(&[0x7F, 0xC2, 0xEF, 0xF0, 0xF1, 0xF2, 0xF3, 0xF4]);
/// Bytes that can start a character XML 1.0 refuses (see [`may_have_non_xml`]).
const NON_XML_LEADS: [bool; 256] = leads(&[0xEF]);

/// C0 controls but tab, LF and CR, plus `extra`.
const fn leads(extra: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = !matches!(i, 0x09 | 0x0A | 0x0D);
        i += 1;
    }
    let mut j = 0;
    while j < extra.len() {
        t[extra[j] as usize] = true;
        j += 1;
    }
    t
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Some byte of `w` is below 0x20 (exact for ASCII bytes; bytes >= 0x80 never count).
fn word_has_low(w: u64) -> bool {
    w.wrapping_sub(0x2020_2020_2020_2020) & !w & HIGHS != 0
}

/// Some byte of `w` is `x` (may also answer true next to a true byte, never false wrongly).
fn word_has(w: u64, x: u8) -> bool {
    let v = w ^ (ONES * u64::from(x));
    v.wrapping_sub(ONES) & !v & HIGHS != 0
}

/// A word that may hold a byte [`FORBIDDEN_LEADS`] marks: below 0x20, 0x7F, 0xC2, 0xEF, 0xF0+.
fn word_may_forbid(w: u64) -> bool {
    word_has_low(w)
        || word_has(w, 0x7F)
        || word_has(w, 0xC2)
        || word_has(w, 0xEF)
        || w & (w << 1) & (w << 2) & (w << 3) & HIGHS != 0
}

/// A word that may hold a byte [`NON_XML_LEADS`] marks: below 0x20, or 0xEF.
fn word_may_non_xml(w: u64) -> bool {
    word_has_low(w) || word_has(w, 0xEF)
}

/// Whether `confirm` holds at any byte the table marks. Eight bytes at a time, a word that
/// `word` clears is passed over without looking at its bytes one by one.
fn scan(
    b: &[u8],
    table: &[bool; 256],
    word: fn(u64) -> bool,
    confirm: impl Fn(&[u8], usize) -> bool,
) -> bool {
    let at = |j: usize| table[b[j] as usize] && confirm(b, j);
    let mut i = 0;
    while i + 8 <= b.len() {
        let w = u64::from_le_bytes(b[i..i + 8].try_into().expect("eight bytes"));
        if word(w) && (i..i + 8).any(at) {
            return true;
        }
        i += 8;
    }
    (i..b.len()).any(at)
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
    fn line_and_column() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("日本\n語", "日本\n語".len()), (2, 2));
    }

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
    fn the_fast_nfc_ranges_are_starters_nfc_leaves_alone() {
        use unicode_normalization::char::canonical_combining_class;
        // Both fast paths: the character ranges and their reading off the bytes.
        let fast = |c: char| {
            let mut buf = [0u8; 4];
            nfc_stable(c) || all_nfc_stable(c.encode_utf8(&mut buf).as_bytes())
        };
        for c in (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| fast(c))
        {
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
            let quick = is_nfc_quick(std::iter::once(c));
            assert_eq!(quick, IsNormalized::Yes, "U+{:04X}", c as u32);
            // Never the second half of a composition: after any starter it stays as it is.
            for before in ['a', 'か', 'ᄀ', '가', 'e'] {
                let pair: String = [before, c].iter().collect();
                assert_eq!(pair.nfc().collect::<String>(), pair, "U+{:04X}", c as u32);
            }
        }
        let nfd = "か\u{3099}";
        assert_eq!(nfc(nfd), "が");
    }

    #[test]
    fn the_byte_reading_of_the_fast_nfc_ranges_is_the_same_in_any_text() {
        // Every character the ranges name is read as stable off its bytes (the test above
        // checks that the byte reading is safe), alone and amid ASCII runs that the
        // word-at-a-time skip passes over.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let alone = all_nfc_stable(c.encode_utf8(&mut buf).as_bytes());
            assert!(alone || !nfc_stable(c), "U+{:04X}", c as u32);
            if c.is_ascii() || (c as u32).is_multiple_of(7) {
                let amid = format!("abcdefghij{c}klmnopqrstuvwxyz日本");
                assert_eq!(all_nfc_stable(amid.as_bytes()), alone, "U+{:04X}", c as u32);
            }
        }
        assert!(all_nfc_stable("".as_bytes()));
        assert!(!all_nfc_stable("0123456789abcdef\u{301}".as_bytes()));
    }

    #[test]
    fn the_byte_filters_never_miss_a_character() {
        let all: String = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        for c in all.chars() {
            let one = c.to_string();
            if is_forbidden(c) {
                assert!(may_have_forbidden(&one), "U+{:04X}", c as u32);
            }
            if !is_xml_char(c) {
                assert!(may_have_non_xml(&one), "U+{:04X}", c as u32);
            }
        }
        assert!(!may_have_forbidden("地域の課題。ＤＸ\t\r\n（）"));
        // In every position of a longer text (the scan reads eight bytes at a time).
        let text = "あいう（ＤＸ）abc\t漢字テキスト。";
        for (i, _) in text.char_indices() {
            for bad in [
                '\u{1}',
                '\u{7F}',
                '\u{85}',
                '\u{FDD0}',
                '\u{FFFF}',
                '\u{1FFFE}',
                '\u{B}',
            ] {
                let mut t = text.to_string();
                t.insert(i, bad);
                assert!(may_have_forbidden(&t), "{t:?}");
                assert_eq!(find_forbidden(&t).map(|(_, c)| c), Some(bad));
                if !is_xml_char(bad) {
                    assert!(may_have_non_xml(&t), "{t:?}");
                }
            }
            assert!(!may_have_forbidden(text));
        }
        assert!(!may_have_non_xml("地域の課題。ＤＸ\t\r\n（）"));
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
