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

/// Line and column (1-based, in characters) of the `index`-th (0-based) item of the list whose
/// key is at `list`: a block item (`- 観光` on the lines below the key) or a flow item
/// (`[観光, 移住]` on the key's line). `None` when the text is shaped otherwise (a flow list over
/// several lines, quotes holding commas), so callers fall back to the key.
pub fn item_pos(text: &str, list: Pos, index: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let own: Vec<char> = lines.get(list.line.checked_sub(1)?)?.chars().collect();
    let value_start = list.value_col.saturating_sub(1);
    if own.get(value_start) == Some(&'[') {
        let mut col = value_start + 1;
        let mut seen = 0;
        while col < own.len() {
            while own.get(col) == Some(&' ') {
                col += 1;
            }
            if matches!(own.get(col), Some('"' | '\'' | '[' | '{')) && seen < index {
                return None;
            }
            if seen == index {
                return Some((list.line, col + 1));
            }
            let next = own[col..].iter().position(|c| matches!(c, ',' | ']'))?;
            if own[col + next] == ']' {
                return None;
            }
            col += next + 1;
            seen += 1;
        }
        return None;
    }
    let key_indent = list.key_col.saturating_sub(1);
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate().skip(list.line) {
        let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
        let indent = chars.iter().take_while(|c| **c == ' ').count();
        match chars.get(indent) {
            None | Some('#') => continue,
            Some('-')
                if indent >= key_indent && matches!(chars.get(indent + 1), None | Some(' ')) =>
            {
                if seen == index {
                    let start = chars[indent + 1..]
                        .iter()
                        .take_while(|c| **c == ' ')
                        .count();
                    return Some((i + 1, indent + 2 + start));
                }
                seen += 1;
            }
            _ if indent <= key_indent => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, key_col: usize, value_col: usize) -> Pos {
        Pos {
            line,
            key_col,
            value_col,
        }
    }

    #[test]
    fn finds_block_and_flow_items() {
        let text = "---\nthemes:\n  - 観光\n  -   移住\ntags: [a,  b, c]\n---\n";
        assert_eq!(item_pos(text, at(2, 1, 1), 0), Some((3, 5)));
        assert_eq!(item_pos(text, at(2, 1, 1), 1), Some((4, 7)));
        assert_eq!(item_pos(text, at(2, 1, 1), 2), None);
        assert_eq!(item_pos(text, at(5, 1, 7), 0), Some((5, 8)));
        assert_eq!(item_pos(text, at(5, 1, 7), 1), Some((5, 12)));
        assert_eq!(item_pos(text, at(5, 1, 7), 2), Some((5, 15)));
        assert_eq!(item_pos(text, at(5, 1, 7), 3), None);
        // A list at the key's own indentation (`- ` under `themes:` without indent).
        assert_eq!(
            item_pos("themes:\n- a\n- b\n", at(1, 1, 1), 1),
            Some((3, 3))
        );
        // Quoted items before the one asked for: the commas cannot be trusted.
        assert_eq!(item_pos("t: [\"a,b\", c]\n", at(1, 1, 4), 1), None);
    }
}
