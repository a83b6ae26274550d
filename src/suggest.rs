//! "Did you mean …?" for misspelt field names and values.
//!
//! Compares by characters (not bytes) so Japanese values work: `東京` → `東京都`, `dedline` →
//! `deadline`. A candidate that extends the input (the input is a prefix of it) wins first, since
//! staff most often shorten a name; otherwise the closest by edit distance within a tolerance that
//! grows with length.

/// Returns the best candidate for `input`, if one is close enough.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let input_l = input.trim().to_lowercase();
    if input_l.is_empty() {
        return None;
    }
    let n = input_l.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for cand in candidates {
        let c = cand.to_lowercase();
        if c == input_l {
            return Some(cand.to_string());
        }
        let dist = if c.starts_with(&input_l) || input_l.starts_with(&c) {
            // Shortened or lengthened: cheap, but only when the common part is meaningful.
            if n.min(c.chars().count()) >= 2 {
                0
            } else {
                usize::MAX
            }
        } else {
            levenshtein(&input_l, &c)
        };
        let limit = match n {
            0..=2 => 1,
            3..=5 => 2,
            _ => 3,
        };
        if dist <= limit && best.is_none_or(|(d, _)| dist < d) {
            best = Some((dist, cand));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// Edit distance by characters, with a swap of two neighbours counting as one edit (optimal
/// string alignment, the restricted Damerau–Levenshtein distance).
pub fn levenshtein(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_keys() {
        let keys = ["title", "deadline", "date", "draft", "municipality"];
        assert_eq!(did_you_mean("dedline", keys).as_deref(), Some("deadline"));
        assert_eq!(did_you_mean("titel", keys).as_deref(), Some("title"));
        assert_eq!(
            did_you_mean("municipalty", keys).as_deref(),
            Some("municipality")
        );
        assert_eq!(did_you_mean("colour", keys), None);
    }

    #[test]
    fn japanese_prefix() {
        let prefs = ["東京都", "京都府", "大阪府", "北海道"];
        assert_eq!(did_you_mean("東京", prefs).as_deref(), Some("東京都"));
        assert_eq!(did_you_mean("大阪", prefs).as_deref(), Some("大阪府"));
        assert_eq!(did_you_mean("京都", prefs).as_deref(), Some("京都府"));
    }

    #[test]
    fn distance() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("ab", "ba"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        // Restricted: a swap counts once, but nothing is edited twice ("ca" → "abc" is 3, not 2).
        assert_eq!(levenshtein("ca", "abc"), 3);
        // By characters, not bytes.
        assert_eq!(levenshtein("東京", "東京都"), 1);
        assert_eq!(levenshtein("新潟県", "新鴻県"), 1);
    }
}
