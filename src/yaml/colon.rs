//! The two colon slips of Japanese typing: `title：値` (full-width colon) and `title:値` (no
//! space). libyaml reports both on the next line (or reads the line as text), in English; this
//! finds the line itself so the error can point at it and show the canonical form.

use crate::diagnostics::{InputProblem, Problem};

/// A key followed by a colon slip: 1-based line within the YAML text, 1-based column of the
/// colon, and the problem (with the line as it should be written).
#[derive(Debug, Clone, PartialEq)]
pub struct Slip {
    pub line: usize,
    pub column: usize,
    pub problem: Problem,
}

/// Every line of `src` shaped `key：value` or `key:value` (an ASCII field name, optionally
/// after `- `), outside block scalars. Text in a value may hold such a shape legitimately, so
/// callers use these only to explain a line YAML could not read.
pub fn slips(src: &str) -> Vec<Slip> {
    let mut out = Vec::new();
    let mut block_indent: Option<usize> = None;
    for (i, raw) in src.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if let Some(bi) = block_indent {
            if indent > bi {
                continue;
            }
            block_indent = None;
        }
        let (dash, rest) = match trimmed.strip_prefix("- ") {
            Some(r) => ("- ", r.trim_start_matches(' ')),
            None => ("", trimmed),
        };
        let key_len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
            .map_or(rest.len(), |(j, _)| j);
        let key = &rest[..key_len];
        if key.is_empty() || !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let after = &rest[key_len..];
        let value_after = |v: &str| v.trim_start_matches([' ', '\u{3000}']).to_string();
        let lead = &line[..line.len() - rest.len()];
        let column = lead.chars().count() + key.chars().count() + 1;
        let canonical = |v: String| {
            let pad = " ".repeat(indent);
            if v.is_empty() {
                format!("{pad}{dash}{key}:")
            } else {
                format!("{pad}{dash}{key}: {v}")
            }
        };
        let spaced = after.trim_start_matches(' ');
        if let Some(v) = spaced.strip_prefix('：') {
            let canonical = canonical(value_after(v));
            let column = column + (after.len() - spaced.len());
            let key = key.to_string();
            let problem = Problem::Input(InputProblem::FullWidthColon { key, canonical });
            out.push(Slip {
                line: i + 1,
                column,
                problem,
            });
        } else if let Some(v) = after.strip_prefix(':').filter(|v| {
            // `https://…`, `10:30` and `a::b` are text, not a key without its space.
            !v.starts_with("//")
                && v.chars()
                    .next()
                    .is_some_and(|c| !matches!(c, ' ' | '\t' | ':'))
        }) {
            let canonical = canonical(value_after(v));
            let key = key.to_string();
            let problem = Problem::Input(InputProblem::NoSpaceAfterColon { key, canonical });
            out.push(Slip {
                line: i + 1,
                column,
                problem,
            });
        }
        let after_value = after.trim_start_matches([' ', ':', '：']);
        if after_value.starts_with('|') || after_value.starts_with('>') {
            block_indent = Some(indent);
        }
    }
    out
}

/// The slip that explains a YAML error at 1-based `error_line` (within `src`): the nearest one at
/// or before it. None when no slip comes before the error, which then stands as libyaml said.
/// Only the error's own line or the content line just before it count: an earlier slip may be
/// text in a list (`- a:b`) that has nothing to do with the error.
pub fn explain(src: &str, error_line: usize) -> Option<Slip> {
    let content: Vec<usize> = (src.lines().enumerate())
        .filter(|(i, l)| {
            let t = l.trim();
            *i < error_line && !t.is_empty() && !t.starts_with('#')
        })
        .map(|(i, _)| i + 1)
        .collect();
    let near = &content[content.len().saturating_sub(2)..];
    slips(src).into_iter().rfind(|s| near.contains(&s.line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> (usize, usize, String) {
        let s = slips(src);
        assert_eq!(s.len(), 1, "{src:?}: {s:?}");
        let s = &s[0];
        let canonical = match &s.problem {
            Problem::Input(
                InputProblem::FullWidthColon { canonical, .. }
                | InputProblem::NoSpaceAfterColon { canonical, .. },
            ) => canonical.clone(),
            p => panic!("{p:?}"),
        };
        (s.line, s.column, canonical)
    }

    #[test]
    fn finds_full_width_colons() {
        assert_eq!(one("title：観光"), (1, 6, "title: 観光".into()));
        assert_eq!(one("a: b\ntitle ： 観光\n"), (2, 7, "title: 観光".into()));
        assert_eq!(
            one("menu:\n  - name：課題\n"),
            (2, 9, "  - name: 課題".into())
        );
    }

    #[test]
    fn finds_missing_spaces() {
        assert_eq!(one("title:観光"), (1, 6, "title: 観光".into()));
        assert_eq!(
            one("forms:\n  default:\n    id:abc\n"),
            (3, 7, "    id: abc".into())
        );
    }

    #[test]
    fn leaves_urls_times_and_text_alone() {
        for src in [
            "- https://example.jp/",
            "image: https://x/a.jpg",
            "- 10:30",
            "summary: |\n  note:this\n",
            "title: 観光：移住",
            "# a:b",
            "title: a",
        ] {
            assert!(slips(src).is_empty(), "{src:?}");
        }
    }

    /// (line, column, problem kind) of parsing `src` as front matter starting on line 2.
    fn parsed(src: &str) -> (usize, usize, &'static str) {
        let e = crate::yaml::parse_mapping(src, 2).unwrap_err();
        let kind = match e.problem {
            Problem::Input(InputProblem::FullWidthColon { .. }) => "full-width",
            Problem::Input(InputProblem::NoSpaceAfterColon { .. }) => "no-space",
            _ => "other",
        };
        (e.line, e.column, kind)
    }

    #[test]
    fn errors_point_at_the_slip_not_the_next_line() {
        for (src, want) in [
            (
                "title：観光
date: 2026-01-01
",
                (2, 6, "full-width"),
            ),
            (
                "date: 2026-01-01
title：観光
",
                (3, 6, "full-width"),
            ),
            (
                "date: 2026-01-01
title：観光",
                (3, 6, "full-width"),
            ),
            (
                "title：観光
",
                (2, 6, "full-width"),
            ),
            (
                "title:観光
date: 2026-01-01
",
                (2, 6, "no-space"),
            ),
            (
                "date: 2026-01-01
title:観光
",
                (3, 6, "no-space"),
            ),
            (
                "date: 2026-01-01
\n# c\ntitle:観光\nsummary: s\n",
                (5, 6, "no-space"),
            ),
            (
                "menu:\n  - name: a\n    url：/a/\n  - name: b\n",
                (4, 8, "full-width"),
            ),
            (
                "forms:\n  default:\n    id:abc\n    mode: x\n",
                (4, 7, "no-space"),
            ),
        ] {
            assert_eq!(parsed(src), want, "{src:?}");
        }
    }

    #[test]
    fn a_text_shaped_like_a_key_does_not_take_the_blame_for_another_error() {
        let src = "tags:\n  - a:b\n  - c\nsummary: \"unclosed\n";
        assert_eq!(parsed(src).2, "other");
        // Valid YAML with the shape in a list item stays valid.
        assert!(crate::yaml::parse_mapping("tags:\n  - a:b\n", 2).is_ok());
    }
}
