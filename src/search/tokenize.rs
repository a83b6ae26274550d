//! The search tokenizer. `themes/default/static/assets/search-index.js` implements the same steps and
//! both are checked against `tests/search/tokenizer-vectors.json`, so the browser looks up
//! exactly the tokens the index holds.
//!
//! 1. Normalise: NFKC (full-width `ＤＸ` → `DX`, half-width `ﾃﾚﾜｰｸ` → `テレワーク`), lowercase,
//!    drop zero-width characters and soft hyphens, turn every dash-like character into `ー`
//!    after kana (a long-vowel mark typed with the wrong key) and `-` elsewhere, and every
//!    tilde-like character into `~`.
//!    Then fold spellings that readers treat as one ([`fold_kana`]): `々` repeats the kanji before
//!    it (人々 → 人人); ヴァ ヴィ ヴ ヴェ ヴォ become バ ビ ブ ベ ボ (ゔ likewise); the small vowels
//!    ァィゥェォ/ぁぃぅぇぉ and ヮ/ゎ become large (ウィルス = ウイルス, ディ = デイ); a long-vowel mark
//!    `ー` that ends a katakana word is dropped (コンピューター = コンピュータ). The small ャュョッ,
//!    ヵ and ヶ are kept: they change the reading (ビョウイン 病院 is not ビヨウイン 美容院, キャク is
//!    not キヤク), and ヶ/ヵ mark place names (関ヶ原).
//! 2. Split: runs of CJK characters (kanji, kana, hangul) become overlapping bigrams, a single
//!    character stays a unigram; runs of other letters and digits become words; everything else
//!    separates.
//!    The index adds every kanji of a longer run alone too (`scan_units`), so 島 finds 島根県
//!    and 広島; the query side needs nothing more (a one-character word is already a unigram).
//! 3. Mark word edges ([`START`], [`END`]): a CJK token whose first character is a kanji not
//!    preceded by a kanji (or preceded by a place suffix such as 県 or 市, itself not one) starts a word — it is a
//!    *boundary* token; a token whose last character is followed by no kanji or by a suffix ends
//!    one. The index remembers per page which marks a token had, so `京都` ranks pages with
//!    京都府 (a whole word) above pages that only have 東京都 (京都 follows 東), and 山口 ranks
//!    山口県 above 登山口.

use unicode_normalization::UnicodeNormalization;

/// One token: its text, its position in the token stream, and whether it starts at a kanji
/// boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub pos: u32,
    pub boundary: bool,
}

fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            ..='\u{2015}' | '\u{2212}' | '\u{2500}' | '\u{2501}' | '\u{30FC}' | '\u{FE63}'
    )
}

fn is_tilde(c: char) -> bool {
    matches!(
        c,
        '~' | '\u{301C}' | '\u{223C}' | '\u{223D}' | '\u{2053}' | '\u{3030}'
    )
}

pub fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309F}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}')
}

pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}' | '\u{3005}' | '\u{3006}' | '\u{3007}')
}

/// Kanji, or a small ヶ/ヵ inside a place name (関ヶ原): no boundary after these.
fn joins_kanji(c: char) -> bool {
    is_kanji(c) || c == '\u{30F5}' || c == '\u{30F6}'
}

pub fn is_cjk(c: char) -> bool {
    is_kanji(c) || is_kana(c) || matches!(c, '\u{AC00}'..='\u{D7AF}')
}

/// Step 1: the normalised text.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// Step 1 the slow, obvious way: plain NFKC of the whole text, then the same mappings. The
/// reference: [`normalize`] must equal it (a unit test and the `tokenizer` fuzz target check).
#[doc(hidden)]
pub fn normalize_reference(s: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in s.nfkc().flat_map(char::to_lowercase) {
        let c = if is_zero_width(c) {
            continue;
        } else if is_dash(c) {
            if prev.is_some_and(is_kana) {
                'ー'
            } else {
                '-'
            }
        } else if is_tilde(c) {
            '~'
        } else {
            c
        };
        out.push(c);
        prev = Some(c);
    }
    fold_kana(&mut out);
    out
}

/// Characters that NFKC leaves alone and that never compose with what precedes them: copied
/// straight through, which is most of Japanese prose.
fn nfkc_stable(c: char) -> bool {
    matches!(c,
        '\u{20}'..='\u{7E}' | '\n' | '\t'
        | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{3001}' | '\u{3002}' | '\u{3005}' | '\u{300C}'..='\u{300F}')
}

/// Step 1 into a reused buffer. Stable characters are copied; NFKC runs only on the segments
/// around other characters (from the last stable character before them, so combining marks
/// still compose), which makes normalising Japanese prose several times faster. Each character
/// is decoded once (the next one is carried over), and stretches of stable characters that
/// need no mapping are copied whole.
pub fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    let b = s.as_bytes();
    // `s[copy..i]`: stable characters that stay as they are, not yet copied.
    let mut copy = 0;
    let mut i = 0;
    let mut cur = decode(b, i);
    let mut cur_stable = cur.is_some_and(|(c, _)| nfkc_stable(c));
    while let Some((c, n)) = cur {
        // Most text: stable characters kept as they are and followed by stable ones, passed
        // over from their bytes without decoding.
        if cur_stable && !needs_mapping(b, i) {
            let k = kept_stretch(b, i, n);
            if k > i {
                i = k;
                cur = decode(b, i);
                cur_stable = cur.is_some();
                continue;
            }
        }
        let after = i + n;
        let next = decode(b, after);
        let next_stable = next.is_none_or(|(d, _)| nfkc_stable(d));
        // A stable character is copied unless the next one might combine with it. Stable
        // characters other than ASCII have no case; of them only dashes are mapped.
        if next_stable {
            let keep = cur_stable && !c.is_ascii_uppercase() && c != '-' && c != '\u{30FC}';
            let mapped = match c {
                _ if keep => None,
                _ if cur_stable => Some(c),
                // Full-width ASCII and the ideographic space: NFKC's mapping, without its
                // buffers.
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
                '\u{3000}' => Some(' '),
                _ => None,
            };
            if keep || mapped.is_some() {
                if let Some(m) = mapped {
                    out.push_str(&s[copy..i]);
                    push_mapped(m.to_ascii_lowercase(), out);
                    copy = after;
                }
                i = after;
                cur = next;
                cur_stable = next_stable;
                continue;
            }
        }
        out.push_str(&s[copy..i]);
        // A segment: up to the next stable character that is followed by another stable one.
        let mut j = after;
        while let Some((d, m)) = decode(b, j) {
            let k = j + m;
            if nfkc_stable(d) && decode(b, k).is_none_or(|(e, _)| nfkc_stable(e)) {
                break;
            }
            j = k;
        }
        for c in s[i..j].nfkc() {
            if c.is_ascii() {
                push_mapped(c.to_ascii_lowercase(), out);
            } else {
                for l in c.to_lowercase() {
                    push_mapped(l, out);
                }
            }
        }
        i = j;
        copy = j;
        cur = decode(b, i);
        cur_stable = cur.is_some_and(|(c, _)| nfkc_stable(c));
    }
    out.push_str(&s[copy..]);
    fold_kana(out);
}

/// The end of the stretch from `i` of stable characters that stay as they are and are
/// followed by a stable character or the end (the first one, `n` bytes long, is stable and
/// needs no mapping): they are copied verbatim.
#[inline(always)]
fn kept_stretch(b: &[u8], i: usize, n: usize) -> usize {
    let (mut k, mut m) = (i, n);
    loop {
        let next = k + m;
        if next == b.len() {
            return next;
        }
        let Some(len) = stable_len(b, next) else {
            return k;
        };
        k = next;
        if needs_mapping(b, k) {
            return k;
        }
        m = len;
    }
}

/// The length of the character at byte `i` if it is [`nfkc_stable`] (all stable characters
/// are ASCII or three bytes long), from its bytes.
#[inline(always)]
fn stable_len(b: &[u8], i: usize) -> Option<usize> {
    let x = *b.get(i)?;
    match x {
        0x20..=0x7E | b'\n' | b'\t' => Some(1),
        0xE3..=0xE9 => {
            let cp = (u32::from(x) & 0x0F) << 12
                | (u32::from(b[i + 1]) & 0x3F) << 6
                | u32::from(b[i + 2]) & 0x3F;
            char::from_u32(cp).filter(|&c| nfkc_stable(c)).map(|_| 3)
        }
        _ => None,
    }
}

/// Whether the stable character at byte `i` is mapped: a capital, `-` or `ー` (a dash).
#[inline(always)]
fn needs_mapping(b: &[u8], i: usize) -> bool {
    b[i].is_ascii_uppercase() || b[i] == b'-' || b[i..].starts_with("ー".as_bytes())
}

/// The character of valid UTF-8 `b` at byte `i` and its length, without slicing.
#[inline(always)]
pub(crate) fn decode(b: &[u8], i: usize) -> Option<(char, usize)> {
    let x = *b.get(i)?;
    let (cp, n) = if x < 0x80 {
        return Some((char::from(x), 1));
    } else if x < 0xE0 {
        ((u32::from(x) & 0x1F) << 6 | u32::from(b[i + 1]) & 0x3F, 2)
    } else if x < 0xF0 {
        (
            (u32::from(x) & 0x0F) << 12
                | (u32::from(b[i + 1]) & 0x3F) << 6
                | u32::from(b[i + 2]) & 0x3F,
            3,
        )
    } else {
        (
            (u32::from(x) & 0x07) << 18
                | (u32::from(b[i + 1]) & 0x3F) << 12
                | (u32::from(b[i + 2]) & 0x3F) << 6
                | u32::from(b[i + 3]) & 0x3F,
            4,
        )
    };
    char::from_u32(cp).map(|c| (c, n))
}

/// Pushes a lowercased character with the mappings of step 1: zero-width characters dropped,
/// dashes and tildes unified (a dash after kana, the last character pushed, is a long-vowel
/// mark).
#[inline(always)]
fn push_mapped(c: char, out: &mut String) {
    let c = if is_zero_width(c) {
        return;
    } else if is_dash(c) {
        if out.chars().next_back().is_some_and(is_kana) {
            'ー'
        } else {
            '-'
        }
    } else if is_tilde(c) {
        '~'
    } else {
        c
    };
    out.push(c);
}

fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}')
}

/// Characters [`fold_kana`] may change.
fn kana_foldable(c: char) -> bool {
    matches!(
        c,
        '々' | 'ヴ'
            | 'ゔ'
            | 'ー'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ヮ'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'ゎ'
    )
}

/// The small vowel after ヴ/ゔ as a row index: ァ 0, ィ 1, ェ 3, ォ 4 (ゥ is not folded into ヴ).
fn vu_row(c: Option<char>) -> Option<usize> {
    match c? {
        'ァ' | 'ぁ' => Some(0),
        'ィ' | 'ぃ' => Some(1),
        'ェ' | 'ぇ' => Some(3),
        'ォ' | 'ぉ' => Some(4),
        _ => None,
    }
}

/// The spelling folds of step 1 on NFKC-normalised, lowercased text (see the module header);
/// idempotent. One pass over the bytes: every character it may change starts with the byte
/// 0xE3, and the text is copied only from the first change on (so not at all for most texts,
/// whose ー sit inside katakana words).
pub fn fold_kana(s: &mut String) {
    let b = s.as_bytes();
    let mut out: Option<String> = None;
    // With `out` started: `s[copied..i]` is still to be copied into it.
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != 0xE3 {
            i += 1;
            continue;
        }
        let c = match decode(b, i) {
            Some((c, _)) if kana_foldable(c) => c,
            _ => {
                i += 3;
                continue;
            }
        };
        // The last character of the folded text so far.
        let last = match &mut out {
            Some(o) => {
                o.push_str(&s[copied..i]);
                copied = i;
                o.chars().next_back()
            }
            None => s[..i].chars().next_back(),
        };
        let (fold, len) = fold_one(s, i, c, last);
        if fold == Some(c) && len == 3 {
            i += 3;
            continue;
        }
        let o = out.get_or_insert_with(|| {
            copied = i;
            let mut o = String::with_capacity(s.len());
            o.push_str(&s[..i]);
            o
        });
        o.extend(fold);
        i += len;
        copied = i;
    }
    if let Some(mut o) = out {
        o.push_str(&s[copied..]);
        *s = o;
    }
}

/// What the foldable character `c` at byte `i` of `s`, after `last` (folded), becomes (`None`:
/// dropped) and how many bytes it takes (ヴ takes the small vowel after it).
fn fold_one(s: &str, i: usize, c: char, last: Option<char>) -> (Option<char>, usize) {
    let large = match c {
        '々' => {
            return match last {
                Some(k) if is_kanji(k) && k != '々' => (Some(k), 3),
                _ => (Some(c), 3),
            }
        }
        'ヴ' | 'ゔ' => {
            let row = vu_row(s[i + 3..].chars().next());
            let b = if c == 'ヴ' {
                "バビブベボ"
            } else {
                "ばびぶべぼ"
            };
            let len = if row.is_some() { 6 } else { 3 };
            return (b.chars().nth(row.unwrap_or(2)), len);
        }
        'ァ' => 'ア',
        'ィ' => 'イ',
        'ゥ' => 'ウ',
        'ェ' => 'エ',
        'ォ' => 'オ',
        'ヮ' => 'ワ',
        'ぁ' => 'あ',
        'ぃ' => 'い',
        'ぅ' => 'う',
        'ぇ' => 'え',
        'ぉ' => 'お',
        'ゎ' => 'わ',
        'ー' if last.is_some_and(is_katakana) => {
            let next = s[i + 3..].chars().find(|&n| n != 'ー');
            if next.is_none_or(|n| !is_katakana(n)) {
                return (None, 3);
            }
            c
        }
        _ => c,
    };
    (Some(large), 3)
}

/// A token as the scanner sees it, before any allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raw<'a> {
    /// One or two CJK characters.
    Cjk(char, Option<char>),
    /// A word of other letters and digits (a slice of the normalised text).
    Word(&'a str),
    /// A kanji of a longer run, indexed alone so a one-character query finds it ([`scan_units`]).
    Unit(char),
}

/// Marks of one occurrence of a token (the index keeps, per page, every mark seen).
/// `START`: the token starts a kanji word: its first character is a kanji not preceded by a
/// kanji, or preceded by a place suffix (長野県|松本市). `END`: the token ends a word: its last
/// character is not a kanji, or is a place suffix, or is followed by no kanji or by a suffix
/// (山口|県). A one-character CJK run and a word of letters carry both.
pub const START: u8 = 1;
pub const END: u8 = 2;

/// Kanji that end a place name or an organisation's level (県, 市, 町 …): a word before them
/// is whole (山口 in 山口県), and one after them starts a new word (松本 in 長野県松本市).
pub fn is_suffix(c: char) -> bool {
    matches!(
        c,
        '県' | '府' | '都' | '道' | '市' | '区' | '町' | '村' | '郡'
    )
}

/// Steps 2 and 3: calls `f(token, position, marks)` for every token of normalised text; the
/// token's boundary ([`Token::boundary`]) is `marks & START != 0`.
pub fn scan<'a, F: FnMut(Raw<'a>, u32, u8)>(s: &'a str, f: F) {
    scan_impl(s, false, f);
}

/// [`scan`] for the index: also every kanji of a run of two or more CJK characters as a
/// [`Raw::Unit`], at the position of the bigram it starts (the last one: of the bigram it ends),
/// with that kanji's own marks. Units take no position of their own, so bigram positions
/// are the query's. A query never has units: a one-character word is already a unigram.
pub fn scan_units<'a, F: FnMut(Raw<'a>, u32, u8)>(s: &'a str, f: F) {
    scan_impl(s, true, f);
}

/// Spaces, punctuation and brackets of the CJK symbols block (not its numerals and marks, which
/// are letters or numbers) and the katakana middle dot: none is alphanumeric.
#[inline(always)]
fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' | '\u{30FB}')
}

/// Class bits of a CJK character, worked out once as it joins a run.
const KANJI: u8 = 1;
/// Kanji, or a small ヶ/ヵ ([`joins_kanji`]).
const JOINS: u8 = 2;
/// A place suffix ([`is_suffix`]).
const SUFFIX: u8 = 4;

/// The class bits of `c` if it is CJK ([`is_cjk`]).
#[inline(always)]
fn cjk_bits(c: char) -> Option<u8> {
    // The common ranges first: hiragana, katakana, the main kanji block.
    if matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30F4}' | '\u{30F7}'..='\u{30FA}') {
        Some(0)
    } else if matches!(c, '\u{4E00}'..='\u{9FFF}') {
        Some(KANJI | JOINS | if is_suffix(c) { SUFFIX } else { 0 })
    } else if c < '\u{3005}' {
        None
    } else if is_kanji(c) {
        Some(KANJI | JOINS | if is_suffix(c) { SUFFIX } else { 0 })
    } else if is_cjk(c) {
        Some(if joins_kanji(c) { JOINS } else { 0 })
    } else {
        None
    }
}

/// The marks of the characters `run[a..=b]` as one token.
#[inline(always)]
fn marks(run: &[(char, u8)], a: usize, b: usize) -> u8 {
    let has = |k: usize, bit: u8| run[k].1 & bit != 0;
    // After a place suffix a new word starts, unless this is a suffix too (京都|府 is one word).
    let start =
        has(a, KANJI) && (a == 0 || !has(a - 1, JOINS) || (has(a - 1, SUFFIX) && !has(a, SUFFIX)));
    let end = !has(b, KANJI)
        || has(b, SUFFIX)
        || run
            .get(b + 1)
            .is_none_or(|&(_, n)| n & JOINS == 0 || n & SUFFIX != 0);
    (if start { START } else { 0 }) | (if end { END } else { 0 })
}

fn scan_impl<'a, F: FnMut(Raw<'a>, u32, u8)>(s: &'a str, units: bool, mut f: F) {
    #[inline(always)]
    fn flush<'a, F: FnMut(Raw<'a>, u32, u8)>(
        run: &mut Vec<(char, u8)>,
        pos: &mut u32,
        units: bool,
        f: &mut F,
    ) {
        let n = run.len();
        if n == 1 {
            f(Raw::Cjk(run[0].0, None), *pos, marks(run, 0, 0));
            *pos += 1;
        } else if n > 1 {
            for k in 0..n - 1 {
                f(
                    Raw::Cjk(run[k].0, Some(run[k + 1].0)),
                    *pos,
                    marks(run, k, k + 1),
                );
                if units && run[k].1 & KANJI != 0 {
                    f(Raw::Unit(run[k].0), *pos, marks(run, k, k));
                }
                *pos += 1;
            }
            if units && run[n - 1].1 & KANJI != 0 {
                f(Raw::Unit(run[n - 1].0), *pos - 1, marks(run, n - 1, n - 1));
            }
        }
        run.clear();
    }
    let mut pos = 0u32;
    let mut run: Vec<(char, u8)> = Vec::with_capacity(64);
    let mut word_start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if let Some(bits) = cjk_bits(c) {
            if let Some(st) = word_start.take() {
                f(Raw::Word(&s[st..i]), pos, START | END);
                pos += 1;
            }
            run.push((c, bits));
        } else {
            if !run.is_empty() {
                flush(&mut run, &mut pos, units, &mut f);
            }
            // Japanese punctuation (、。「」・) is common and never alphanumeric: no table lookup.
            let alnum = if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                !is_cjk_punctuation(c) && c.is_alphanumeric()
            };
            if alnum {
                word_start.get_or_insert(i);
            } else if let Some(st) = word_start.take() {
                f(Raw::Word(&s[st..i]), pos, START | END);
                pos += 1;
            }
        }
    }
    flush(&mut run, &mut pos, units, &mut f);
    if let Some(st) = word_start {
        f(Raw::Word(&s[st..]), pos, START | END);
    }
}

/// Steps 2 and 3 on already normalised text.
pub fn tokenize_normalized(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    scan(s, |raw, pos, marks| {
        // Only a kanji starts a boundary (a word of letters is whole by itself).
        let boundary = marks & START != 0 && !matches!(raw, Raw::Word(_));
        let text = match raw {
            Raw::Cjk(a, Some(b)) => [a, b].iter().collect(),
            Raw::Cjk(a, None) | Raw::Unit(a) => a.to_string(),
            Raw::Word(w) => w.to_string(),
        };
        out.push(Token {
            text,
            pos,
            boundary,
        });
    });
    out
}

/// Normalises and tokenises.
pub fn tokenize(s: &str) -> Vec<Token> {
    tokenize_normalized(&normalize(s))
}

/// The compact form used by the shared test vectors: `text@pos`, `^` first for boundaries.
pub fn describe(tokens: &[Token]) -> Vec<String> {
    tokens
        .iter()
        .map(|t| format!("{}{}@{}", if t.boundary { "^" } else { "" }, t.text, t.pos))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folds as they were first written (a `Vec<char>` of the whole text): [`fold_kana`] must
    /// give the same.
    fn fold_kana_reference(s: &mut String) {
        if !s.contains(kana_foldable) {
            return;
        }
        let chars: Vec<char> = s.chars().collect();
        s.clear();
        let mut last: Option<char> = None;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            i += 1;
            let out = match c {
                '々' => match last {
                    Some(k) if is_kanji(k) && k != '々' => k,
                    _ => c,
                },
                'ヴ' | 'ゔ' => {
                    let row = vu_row(chars.get(i).copied());
                    if row.is_some() {
                        i += 1;
                    }
                    let b = if c == 'ヴ' {
                        "バビブベボ"
                    } else {
                        "ばびぶべぼ"
                    };
                    b.chars().nth(row.unwrap_or(2)).unwrap_or(c)
                }
                'ァ' => 'ア',
                'ィ' => 'イ',
                'ゥ' => 'ウ',
                'ェ' => 'エ',
                'ォ' => 'オ',
                'ヮ' => 'ワ',
                'ぁ' => 'あ',
                'ぃ' => 'い',
                'ぅ' => 'う',
                'ぇ' => 'え',
                'ぉ' => 'お',
                'ゎ' => 'わ',
                'ー' if last.is_some_and(is_katakana) => {
                    let next = chars[i..].iter().find(|&&n| n != 'ー');
                    if next.is_none_or(|&n| !is_katakana(n)) {
                        continue;
                    }
                    c
                }
                _ => c,
            };
            s.push(out);
            last = Some(out);
        }
    }

    /// The vectors the JavaScript tokenizer is checked against too (tests/js/).
    /// The fast path must give exactly what plain NFKC gives, whatever is mixed in.
    #[test]
    fn fast_normalisation_matches_plain_nfkc() {
        let reference = normalize_reference;
        let pool: Vec<char> = "aZ 9か\u{3099}は\u{309A}カ\u{3099}ｶﾞﾃﾚﾜｰｸＤＸ（）：①㈱e\u{0301}A\u{030A}가\u{11A8}\u{1100}\u{1161}漢、。「」ー－—〜～\u{200B}\u{00AD}ΣİﬁＩ\u{FF9E}\u{FF9F}\u{309B}\n"
            .chars()
            .collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let len = (seed % 12) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(pool[(seed % pool.len() as u64) as usize]);
            }
            assert_eq!(normalize(&s), reference(&s), "{s:?}");
        }
    }

    /// Random strings over `pool`, `n` of them, up to `max` characters each (xorshift).
    fn random_texts(pool: &str, n: usize, max: u64) -> Vec<String> {
        let pool: Vec<char> = pool.chars().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        (0..n)
            .map(|_| {
                let len = next() % (max + 1);
                (0..len)
                    .map(|_| pool[(next() % pool.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    /// The one-pass folds equal the plain ones, also where the text grows (々 after a kanji
    /// outside the BMP) and over long runs of ー.
    #[test]
    fn one_pass_kana_folds_match_the_plain_ones() {
        let pool = "々人𠀋ヴゔァィゥェォヮぁぃぅぇぉゎャッーカかa-ヶ 、";
        let mut texts = random_texts(pool, 30_000, 10);
        texts.push(format!("コ{}", "ー".repeat(300)));
        texts.push(format!("コ{}ヒ", "ー".repeat(300)));
        texts.push("𠀋々々".to_string());
        for t in texts {
            let (mut fast, mut plain) = (t.clone(), t.clone());
            fold_kana(&mut fast);
            fold_kana_reference(&mut plain);
            assert_eq!(fast, plain, "{t:?}");
        }
    }

    /// The carried-over character of the fast path: half-width kana and their voicing marks,
    /// combining marks after stable characters, characters outside the BMP, dashes after kana.
    #[test]
    fn fast_normalisation_edge_cases() {
        for (input, want) in [
            ("ｶﾞｷﾞ", "ガギ"),
            ("か\u{3099}き", "がき"),
            ("e\u{0301}x", "\u{e9}x"),
            ("𠀋々の𩸽", "𠀋𠀋の𩸽"),
            ("ア-イ-", "アーイ"),
            ("あ－a-", "あーa-"),
            ("ＡＢＣ　ｄ", "abc d"),
            ("x\u{200B}y\u{00AD}", "xy"),
        ] {
            assert_eq!(normalize(input), want, "{input:?}");
            assert_eq!(normalize_reference(input), want, "{input:?}");
        }
        let long = "日本語のテキスト、".repeat(500) + "ｶﾞ";
        assert_eq!(normalize(&long), normalize_reference(&long));
    }

    #[test]
    fn long_vowel_at_the_end_of_a_katakana_word_is_dropped() {
        assert_eq!(normalize("コンピューター"), normalize("コンピュータ"));
        assert_eq!(normalize("コンピューターの活用"), "コンピュータの活用");
        assert_eq!(normalize("サーバー・センター"), "サーバ・センタ");
        // Inside a word, and after hiragana, the mark stays.
        assert_eq!(normalize("コーヒー"), "コーヒ");
        assert_eq!(normalize("すごーい"), "すごーい");
        // A dash typed after kana is a long-vowel mark, so it goes too.
        assert_eq!(normalize("センター－"), "センタ");
    }

    #[test]
    fn vu_is_folded_into_the_b_row() {
        assert_eq!(normalize("ヴァイオリン"), normalize("バイオリン"));
        assert_eq!(normalize("ヴィ ヴ ヴェ ヴォ"), "ビ ブ ベ ボ");
        assert_eq!(normalize("ｳﾞｪﾙ"), "ベル");
        assert_eq!(normalize("ゔぁ"), "ば");
    }

    #[test]
    fn small_vowels_become_large_but_small_ya_yu_yo_tsu_stay() {
        assert_eq!(normalize("ウィルス"), normalize("ウイルス"));
        assert_eq!(normalize("ディサービス"), "デイサービス");
        assert_eq!(
            normalize("びょういん きゃく ビッグ"),
            "びょういん きゃく ビッグ"
        );
        assert_eq!(normalize("関ヶ原"), "関ヶ原");
    }

    #[test]
    fn iteration_mark_repeats_the_kanji_before_it() {
        assert_eq!(normalize("人々"), "人人");
        assert_eq!(normalize("時々々"), "時時時");
        // With no kanji before it there is nothing to repeat.
        assert_eq!(normalize("々"), "々");
        assert_eq!(normalize("の々"), "の々");
    }

    #[test]
    fn the_index_scan_adds_each_kanji_of_a_run_without_moving_positions() {
        let mut got = Vec::new();
        scan_units("広島の島根", |raw, pos, b| got.push((raw, pos, b)));
        let want = [
            (Raw::Cjk('広', Some('島')), 0, START | END),
            (Raw::Unit('広'), 0, START),
            (Raw::Cjk('島', Some('の')), 1, END),
            (Raw::Unit('島'), 1, END),
            (Raw::Cjk('の', Some('島')), 2, 0),
            (Raw::Cjk('島', Some('根')), 3, START | END),
            (Raw::Unit('島'), 3, START),
            (Raw::Unit('根'), 3, END),
        ];
        assert_eq!(got, want);
        // Without units, exactly the query's tokens.
        let mut plain = Vec::new();
        scan("広島の島根", |raw, pos, b| plain.push((raw, pos, b)));
        let bigrams: Vec<_> = want
            .iter()
            .filter(|t| !matches!(t.0, Raw::Unit(_)))
            .copied()
            .collect();
        assert_eq!(plain, bigrams);
    }

    /// The punctuation shortcut agrees with Unicode: none of those characters is alphanumeric,
    /// and the CJK symbols block's numerals and marks around them are left to the table.
    #[test]
    fn cjk_punctuation_is_never_alphanumeric() {
        for c in ('\u{3000}'..='\u{303F}').chain(['\u{30FB}']) {
            if is_cjk_punctuation(c) {
                assert!(!c.is_alphanumeric(), "{c:?}");
            }
        }
        assert!(!is_cjk_punctuation('\u{3021}') && '\u{3021}'.is_alphanumeric());
        assert!(!is_cjk_punctuation('\u{3005}'));
    }

    /// Marks of the token that spells `word` where it first occurs in `text`.
    fn marks_of(text: &str, word: &str) -> u8 {
        let mut found = None;
        let chars: Vec<char> = word.chars().collect();
        scan_units(text, |raw, _, m| {
            let hit = match raw {
                Raw::Cjk(a, Some(b)) => chars == [a, b],
                Raw::Cjk(a, None) | Raw::Unit(a) => chars == [a],
                Raw::Word(w) => w == word,
            };
            if hit && found.is_none() {
                found = Some(m);
            }
        });
        found.unwrap_or_else(|| panic!("{word} not in {text}"))
    }

    #[test]
    fn place_suffixes_bound_words_on_both_sides() {
        assert_eq!(marks_of("山口県の港", "山口"), START | END);
        assert_eq!(marks_of("登山口から", "山口"), END);
        assert_eq!(marks_of("東京都の", "京都"), END);
        assert_eq!(marks_of("京都府の", "京都"), START | END);
        // A municipality after its prefecture starts a word; 松本 ends before 市.
        assert_eq!(marks_of("長野県松本市", "松本"), START | END);
        // Inside a longer compound, neither edge.
        assert_eq!(marks_of("山口大学", "口大"), 0);
        assert_eq!(marks_of("町の本屋", "町"), START | END);
        assert_eq!(marks_of("美郷町で", "町"), END);
        assert_eq!(marks_of("dx推進", "dx"), START | END);
    }

    #[test]
    fn normalisation_is_idempotent() {
        for s in [
            "コンピューターーの",
            "ヴァヴゥ",
            "人々",
            "ァー",
            "ヴーァ",
            "〆々",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once, "{s:?}");
        }
    }

    #[test]
    fn shared_vectors() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/search/tokenizer-vectors.json"
        );
        let vectors: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let cases = vectors["cases"].as_array().unwrap();
        assert!(cases.len() >= 20);
        for case in cases {
            let input = case["input"].as_str().unwrap();
            let normalized = case["normalized"].as_str().unwrap();
            let tokens: Vec<String> = case["tokens"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            assert_eq!(normalize(input), normalized, "normalize({input:?})");
            assert_eq!(describe(&tokenize(input)), tokens, "tokenize({input:?})");
        }
        for h in vectors["hashes"].as_array().unwrap() {
            let (s, want) = (h[0].as_str().unwrap(), h[1].as_u64().unwrap());
            assert_eq!(u64::from(super::super::fnv1a(s)), want, "fnv1a({s:?})");
        }
    }
}
