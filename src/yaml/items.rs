//! Positions inside lists: the YAML tree has none for list items, so the block's lines are
//! scanned.

use super::Pos;

/// Line and column (1-based, in characters) of the value of the `index`-th (0-based) `field:`
/// inside the list whose key is at `list` — block items (`- url: …`) or flow ones
/// (`[{name: a, url: …}]`). The YAML tree has no positions for list items, so the block's lines
/// are scanned; `None` when the text is shaped so that the count cannot be trusted.
pub fn nth_value_pos(text: &str, list: Pos, field: &str, index: usize) -> Option<(usize, usize)> {
    let key_indent = list.key_col.saturating_sub(1);
    let mut seen = 0;
    for (i, line) in text.lines().enumerate().skip(list.line.saturating_sub(1)) {
        let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
        let start = if i + 1 == list.line {
            list.value_col.saturating_sub(1).min(chars.len())
        } else {
            let indent = chars.iter().take_while(|c| **c == ' ').count();
            match chars.get(indent) {
                None | Some('#') => continue,
                Some(c) if indent < key_indent || (indent == key_indent && *c != '-') => break,
                _ => indent,
            }
        };
        let mut at = start;
        while let Some(col) = find_key(&chars, at, field) {
            if seen == index {
                return Some((i + 1, col + 1));
            }
            seen += 1;
            at = col + 1;
        }
    }
    None
}

/// Index of the first value character of a `field:` key at or after `from` in `chars`.
fn find_key(chars: &[char], from: usize, field: &str) -> Option<usize> {
    let key: Vec<char> = field.chars().collect();
    let mut i = from;
    while i + key.len() < chars.len() {
        let before_ok = i == 0 || matches!(chars[i - 1], ' ' | '{' | ',' | '-');
        if before_ok && chars[i..i + key.len()] == key[..] {
            let mut j = i + key.len();
            while chars.get(j) == Some(&' ') {
                j += 1;
            }
            if chars.get(j) == Some(&':') && matches!(chars.get(j + 1), None | Some(' ' | '\t')) {
                j += 1;
                while matches!(chars.get(j), Some(' ' | '\t')) {
                    j += 1;
                }
                return Some(j);
            }
        }
        i += 1;
    }
    None
}
