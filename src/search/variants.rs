//! The variant table: spellings of one word that a visitor should find each other with
//! (申し込み/申込み/申込, 子ども/子供/こども). Built in from `variants.tsv`, extended by a site's
//! `search.synonyms`. Every variant is folded into its group's canonical form (the first word)
//! after normalisation, in the index and in the query; the manifest carries the groups so
//! `search-index.js` folds queries with the same table (`fold` there mirrors [`Variants::fold`]).
//!
//! Folding scans the text once: at each character the longest word of the table that starts
//! there is replaced by its canonical form (canonical forms are in the table too, mapping to
//! themselves, so a variant inside a canonical form is never rewritten), otherwise the character
//! is kept.

use super::tokenize::{decode, normalize};
use rustc_hash::FxHashMap;

const BUILT_IN: &str = include_str!("variants.tsv");

/// The groups of a variant table and a lookup by first character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variants {
    /// Normalised groups, canonical form first: what the manifest delivers.
    groups: Vec<Vec<String>>,
    /// First character → (word, group), longest words first.
    by_first: FxHashMap<char, Vec<(String, usize)>>,
    /// The first characters as bits (code point mod 65,536, so exact in the BMP): a character
    /// whose bit is clear starts no word, which most characters of a text show without a hash
    /// lookup.
    firsts: Box<[u64; 1024]>,
    /// The first two characters of the words as bits ([`pair_bit`]; a one-character word's
    /// second is `\0`): a character whose first bit is set starts no word either when neither
    /// its pair with the next character nor its pair with `\0` is set, which spares a hash
    /// lookup at most places of common hiragana (し, こ, ま start words).
    pairs: Box<[u64; 1024]>,
}

impl Default for Variants {
    fn default() -> Variants {
        Variants {
            groups: Vec::new(),
            by_first: FxHashMap::default(),
            firsts: Box::new([0; 1024]),
            pairs: Box::new([0; 1024]),
        }
    }
}

/// The bit of the characters `a`, `b` in [`Variants::pairs`]: (word, mask).
fn pair_bit(a: char, b: char) -> (usize, u64) {
    let h = (a as u32 ^ (b as u32).rotate_left(16)).wrapping_mul(0x9E37_79B9) >> 16;
    let h = h as usize;
    (h >> 6, 1 << (h & 63))
}

/// The bit of `c` in [`Variants::firsts`]: (word, mask).
fn first_bit(c: char) -> (usize, u64) {
    let b = c as usize & 0xFFFF;
    (b >> 6, 1 << (b & 63))
}

impl Variants {
    /// The built-in table.
    pub fn built_in() -> Variants {
        let groups = BUILT_IN
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| l.split('\t').map(str::to_string).collect::<Vec<_>>());
        Variants::default().with(groups)
    }

    /// The table with more groups (a site's synonyms). Words are normalised; a group with a word
    /// the table knows already joins that word's group (its canonical form stays).
    pub fn with<I>(mut self, groups: I) -> Variants
    where
        I: IntoIterator<Item = Vec<String>>,
    {
        for group in groups {
            let words: Vec<String> = group
                .iter()
                .map(|w| normalize(w).trim().to_string())
                .filter(|w| !w.is_empty())
                .collect();
            let known = words.iter().find_map(|w| self.group_of(w));
            let g = known.unwrap_or_else(|| {
                self.groups.push(Vec::new());
                self.groups.len() - 1
            });
            for w in words {
                if self.group_of(&w).is_none() {
                    let first = w.chars().next().expect("words are not empty");
                    self.by_first.entry(first).or_default().push((w.clone(), g));
                    self.groups[g].push(w);
                }
            }
        }
        for list in self.by_first.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
        self.firsts = Box::new([0; 1024]);
        self.pairs = Box::new([0; 1024]);
        for (c, list) in &self.by_first {
            let (w, m) = first_bit(*c);
            self.firsts[w] |= m;
            for (word, _) in list {
                let (w, m) = pair_bit(*c, word.chars().nth(1).unwrap_or('\0'));
                self.pairs[w] |= m;
            }
        }
        self.groups.retain(|g| !g.is_empty());
        self
    }

    fn group_of(&self, w: &str) -> Option<usize> {
        let first = w.chars().next()?;
        self.by_first
            .get(&first)?
            .iter()
            .find(|(x, _)| x == w)
            .map(|(_, g)| *g)
    }

    /// The groups, canonical form first, in table order.
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// The words that start with `c`, longest first (none for most characters).
    fn starting(&self, c: char) -> Option<&Vec<(String, usize)>> {
        let (w, m) = first_bit(c);
        if self.firsts[w] & m == 0 {
            return None;
        }
        self.by_first.get(&c)
    }

    /// Walks normalised text as folding does: at each place the longest word of the table (its
    /// group and text) or, between such words, the text where none starts (`None`, one call a
    /// stretch, so plain text is handed over whole). Bytes that start no character are skipped
    /// without decoding.
    fn walk(&self, s: &str, mut f: impl FnMut(Option<usize>, &str)) {
        let b = s.as_bytes();
        let mut plain = 0;
        let mut i = 0;
        while i < b.len() {
            let x = b[i];
            if x < 0x80 && self.firsts[0] == 0 && self.firsts[1] == 0 {
                // No word starts with an ASCII character.
                i += 1;
                continue;
            }
            let Some((c, n)) = decode(b, i) else { break };
            let pair = |d: char| {
                let (w, m) = pair_bit(c, d);
                self.pairs[w] & m != 0
            };
            let second = || decode(b, i + n).map_or('\0', |(d, _)| d);
            let hit = self
                .starting(c)
                .filter(|_| pair(second()) || pair('\0'))
                .and_then(|list| list.iter().find(|(w, _)| b[i..].starts_with(w.as_bytes())));
            match hit {
                Some((w, g)) => {
                    if plain < i {
                        f(None, &s[plain..i]);
                    }
                    f(Some(*g), &s[i..i + w.len()]);
                    i += w.len();
                    plain = i;
                }
                None => i += n,
            }
        }
        if plain < s.len() {
            f(None, &s[plain..]);
        }
    }

    /// Folds normalised text: every word of the table becomes its canonical form.
    pub fn fold(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 8);
        self.walk(s, |group, text| {
            out.push_str(group.map_or(text, |g| self.groups[g][0].as_str()));
        });
        out
    }

    /// The groups that occur in normalised text, as folding finds them (the longest word at
    /// each place), in order of appearance; a group may repeat.
    pub fn groups_in(&self, s: &str) -> Vec<usize> {
        let mut out = Vec::new();
        self.walk(s, |group, _| out.extend(group));
        out
    }

    /// Folds in place, copying only from the first word whose canonical form differs from it.
    pub fn fold_in_place(&self, s: &mut String) {
        let mut out: Option<String> = None;
        let mut at = 0;
        self.walk(s, |group, text| {
            let canonical = group.map(|g| self.groups[g][0].as_str());
            match (&mut out, canonical) {
                (Some(o), _) => o.push_str(canonical.unwrap_or(text)),
                (None, Some(c)) if c != text => {
                    let mut o = String::with_capacity(s.len() + 8);
                    o.push_str(&s[..at]);
                    o.push_str(c);
                    out = Some(o);
                }
                (None, _) => at += text.len(),
            }
        });
        if let Some(o) = out {
            *s = o;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_a_built_in_group_folds_to_its_canonical_form() {
        let v = Variants::built_in();
        assert!(v.groups().len() >= 30, "{}", v.groups().len());
        for g in v.groups() {
            assert!(g.len() >= 2, "{g:?}");
            for w in g {
                assert_eq!(v.fold(w), g[0], "{w}");
                // Inside a sentence too.
                assert_eq!(v.fold(&format!("の{w}を")), format!("の{}を", g[0]), "{w}");
            }
        }
    }

    #[test]
    fn a_character_sharing_a_first_characters_bit_starts_no_word() {
        let v = Variants::built_in();
        // 申 starts 申し込み; the character 65,536 code points on has the same bit.
        let twin = char::from_u32('申' as u32 + 0x10000).unwrap();
        let text = format!("{twin}し込み、申し込み");
        assert_eq!(
            v.fold(&text),
            format!("{twin}し込み、{}", v.fold("申し込み"))
        );
        assert_eq!(v.groups_in(&text).len(), 1);
    }

    /// Folding in place copies from the first change only: the same text as [`Variants::fold`],
    /// with canonical forms, variants, plain text and ASCII mixed (a site's synonym may start
    /// with a letter).
    #[test]
    fn folding_in_place_equals_folding() {
        let plain = Variants::built_in();
        let ascii = Variants::built_in().with([vec!["uターン".to_string(), "移住".to_string()]]);
        let mut pieces: Vec<String> = plain.groups().iter().flatten().cloned().collect();
        pieces.extend(["の", "u", "x", "移住", "uターン", "ー", "申"].map(String::from));
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..5_000 {
            let mut text = String::new();
            for _ in 0..(seed % 6) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(&pieces[(seed % pieces.len() as u64) as usize]);
            }
            for v in [&plain, &ascii] {
                let mut in_place = text.clone();
                v.fold_in_place(&mut in_place);
                assert_eq!(in_place, v.fold(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn the_issue_pairs_meet() {
        let v = Variants::built_in();
        let f = |s: &str| v.fold(&normalize(s));
        for (a, b) in [
            ("申し込み", "申込み"),
            ("申し込み", "申込"),
            ("取り組み", "取組"),
            ("まちづくり", "街づくり"),
            ("子ども", "子供"),
            ("問い合わせ", "問合せ"),
            ("受け付け", "受付"),
            ("打ち合わせ", "打合せ"),
            ("引き継ぎ", "引継"),
            ("様々な", "さまざまな"),
        ] {
            assert_eq!(f(a), f(b), "{a} / {b}");
        }
        // The longest word wins: 申込み is not 申込 + み.
        assert_eq!(f("申込みの受付け"), "申し込みの受け付け");
        assert_eq!(f("出入口"), "出入り口");
    }

    #[test]
    fn site_synonyms_extend_the_table_and_join_known_groups() {
        let v = Variants::built_in().with([
            vec!["移住".to_string(), "Ｕターン".to_string()],
            vec!["申請".to_string(), "申込".to_string()],
        ]);
        assert_eq!(v.fold("uターン"), "移住");
        // 申込 is built in: 申請 joins its group, whose canonical form stays.
        assert_eq!(v.fold("申請"), "申し込み");
        assert_eq!(Variants::default().with([vec!["a".into()]]).fold("a"), "a");
        // A one-character word is found wherever it is, before any character.
        let v = Variants::built_in().with([vec!["しま".to_string(), "島".to_string()]]);
        assert_eq!(v.fold("島なみの島と島"), "しまなみのしまとしま");
    }

    #[test]
    fn the_shared_vectors_carry_the_built_in_table() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/search/tokenizer-vectors.json"
        );
        let vectors: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let groups: Vec<Vec<String>> = serde_json::from_value(vectors["variants"].clone()).unwrap();
        assert_eq!(groups, Variants::built_in().groups());
        let v = Variants::built_in();
        for case in vectors["folds"].as_array().unwrap() {
            let (input, want) = (case[0].as_str().unwrap(), case[1].as_str().unwrap());
            assert_eq!(v.fold(&normalize(input)), want, "{input}");
        }
    }
}
