//! The search tokenizer. `themes/default/static/assets/search.js` implements the same steps and
//! both are checked against `tests/search/tokenizer-vectors.json`, so the browser looks up
//! exactly the tokens the index holds.
//!
//! 1. Normalise: NFKC (full-width `ＤＸ` → `DX`, half-width `ﾃﾚﾜｰｸ` → `テレワーク`), lowercase,
//!    drop zero-width characters and soft hyphens, turn every dash-like character into `ー`
//!    after kana (a long-vowel mark typed with the wrong key) and `-` elsewhere, and every
//!    tilde-like character into `~`.
//! 2. Split: runs of CJK characters (kanji, kana, hangul) become overlapping bigrams, a single
//!    character stays a unigram; runs of other letters and digits become words; everything else
//!    separates.
//! 3. Mark boundaries: a CJK token whose first character is a kanji not preceded by a kanji in
//!    its run is a *boundary* token. The index also files it as `^token`, so `京都` can rank
//!    pages with 京都府 above pages that only have 東京都 (where 京都 follows 東).

use unicode_normalization::UnicodeNormalization;

/// One token: its text, its position in the token stream, and whether it starts at a kanji
/// boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub pos: u32,
    pub boundary: bool,
}

/// Prefix of boundary tokens in the index.
pub const BOUNDARY: char = '^';

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
    out
}

/// Steps 2 and 3 on already normalised text.
pub fn tokenize_normalized(s: &str) -> Vec<Token> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut pos = 0u32;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            let boundary = |k: usize| is_kanji(run[k]) && (k == 0 || !joins_kanji(run[k - 1]));
            if run.len() == 1 {
                out.push(Token {
                    text: run[0].to_string(),
                    pos,
                    boundary: boundary(0),
                });
                pos += 1;
            } else {
                for k in 0..run.len() - 1 {
                    out.push(Token {
                        text: run[k..k + 2].iter().collect(),
                        pos,
                        boundary: boundary(k),
                    });
                    pos += 1;
                }
            }
        } else if c.is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() && !is_cjk(chars[i]) {
                i += 1;
            }
            out.push(Token {
                text: chars[start..i].iter().collect(),
                pos,
                boundary: false,
            });
            pos += 1;
        } else {
            i += 1;
        }
    }
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

    /// The vectors the JavaScript tokenizer is checked against too (tests/js/).
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
