//! The only module that knows YAML: splits front matter from a Markdown file, and turns YAML text
//! into a small neutral tree ([`Node`]) plus the line and column of every key.
//!
//! serde_yaml's `Value` carries no positions, so we find keys ourselves by scanning the block's
//! lines (indentation gives the nesting). That is enough to point staff at the right line for
//! every field-level problem, and it lets validation report all problems of a file at once
//! instead of serde's first-error-wins. Syntax errors keep libyaml's own position.

use crate::diagnostics::{Problem, TextProblem};
use std::collections::HashMap;

mod colon;
mod items;
pub use items::{item_pos, nth_value_pos};

/// Largest front matter accepted; anything bigger is a mistake (or an attack).
pub const MAX_FRONT_MATTER: usize = 256 * 1024;

/// `value` written as YAML (the web editor's `config.yml`). Plain data never fails to serialise.
pub fn to_text<T: serde::Serialize>(value: &T) -> String {
    serde_yaml::to_string(value).expect("plain data serialises to YAML")
}

/// A YAML value without positions.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The value as text when it is a scalar (numbers and booleans are written back as text).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Node::Str(s) => Some(s.clone()),
            Node::Int(i) => Some(i.to_string()),
            Node::Float(f) => Some(f.to_string()),
            Node::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// Where a key stands in the file: 1-based line, and 1-based columns of the key and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub key_col: usize,
    pub value_col: usize,
}

/// A parsed YAML mapping: its entries in order, and the position of each key by dotted path
/// (`title`, `markdown.allow_iframes`).
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub entries: Vec<(String, Node)>,
    pub positions: HashMap<String, Pos>,
    /// Line of the first line of the YAML text in the file.
    pub first_line: usize,
}

impl Doc {
    /// Position of `path`, or of its nearest ancestor with a known position.
    pub fn nearest_pos(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return *pos;
            }
            match p.rsplit_once('.') {
                Some((parent, _)) => p = parent,
                None => return self.pos(p),
            }
        }
    }

    pub fn pos(&self, path: &str) -> Pos {
        self.positions.get(path).copied().unwrap_or(Pos {
            line: self.first_line,
            key_col: 1,
            value_col: 1,
        })
    }
}

/// A YAML problem at a position in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub problem: Problem,
}

/// A Markdown file split into front matter and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML text between the fences (empty when the file has none).
    pub front: &'a str,
    /// Line number (1-based) of the first YAML line.
    pub front_line: usize,
    pub body: &'a str,
    /// Line number (1-based) of the first body line.
    pub body_line: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    pub has_front_matter: bool,
}

/// Splits `---` front matter from the body. The opening fence must be the first line; the
/// closing fence is the next line that is `---` (or `...`). Returns Err when it is never closed.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, YamlError> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            front: "",
            front_line: 1,
            body: text,
            body_line: 1,
            body_offset: 0,
            has_front_matter: false,
        });
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let l = text[offset..end].trim_end();
        if l == "---" || l == "..." {
            // A closing fence on the last line, without a line break, leaves an empty body on
            // that same line.
            let body_line = if text[..end].ends_with('\n') {
                line + 1
            } else {
                line
            };
            return Ok(Split {
                front: &text[first_end..offset],
                front_line: 2,
                body: &text[end..],
                body_line,
                body_offset: end,
                has_front_matter: true,
            });
        }
        offset = end;
        line += 1;
    }
    Err(YamlError {
        line: 1,
        column: 1,
        problem: Problem::UnclosedFrontMatter,
    })
}

/// Parses a YAML mapping whose first line is line `first_line` of its file.
pub fn parse_mapping(src: &str, first_line: usize) -> Result<Doc, YamlError> {
    if src.len() > MAX_FRONT_MATTER {
        return Err(YamlError {
            line: first_line,
            column: 1,
            problem: Problem::FrontMatterTooLarge {
                limit_kib: MAX_FRONT_MATTER / 1024,
            },
        });
    }
    // Every caller normalises its file on read; this catches any other YAML text too.
    let src = &*crate::unicode::nfc(src);
    if let Some((offset, c)) = crate::unicode::find_forbidden(src).or_else(|| find_stray_break(src))
    {
        // libyaml refuses raw control characters too, but without saying which or where.
        let before = &src[..offset];
        return Err(YamlError {
            line: first_line + before.matches('\n').count(),
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            problem: Problem::Text(TextProblem::ControlCharacter {
                code_point: crate::unicode::code_point(c),
            }),
        });
    }
    if src.trim().is_empty() {
        return Ok(Doc {
            first_line,
            ..Doc::default()
        });
    }
    let value: serde_yaml::Value =
        serde_yaml::from_str(src).map_err(|e| syntax_error(&e, src, first_line))?;
    let entries = match convert(value, 0).map_err(|problem| YamlError {
        line: first_line,
        column: 1,
        problem,
    })? {
        Node::Map(m) => m,
        Node::Null => Vec::new(),
        _ => {
            // A lone `title：値` is one text, not a mapping.
            if let Some(slip) = colon::slips(src).into_iter().next() {
                return Err(slip_error(slip, first_line));
            }
            return Err(YamlError {
                line: first_line,
                column: 1,
                problem: Problem::FrontMatterNotMapping,
            });
        }
    };
    let doc = Doc {
        entries,
        positions: key_positions(src, first_line),
        first_line,
    };
    // Escapes (`"\v"`, `"\x01"`, `"\uFFFE"`) decode to characters the raw scan cannot see.
    // The decoded tree says whether there is one (a backslash in a plain or block scalar is
    // literal); the escape itself says where, else the nearest key.
    let found = doc.entries.iter().find_map(|(key, node)| {
        forbidden_in(key, node).map(|(path, c)| {
            forbidden_escape(src)
                .map(|(l, col, ch)| (first_line + l - 1, col, ch))
                .unwrap_or_else(|| {
                    let pos = doc.nearest_pos(&path);
                    (pos.line, pos.value_col, c)
                })
        })
    });
    if let Some((line, column, c)) = found {
        return Err(YamlError {
            line,
            column,
            problem: Problem::Text(TextProblem::ControlCharacter {
                code_point: crate::unicode::code_point(c),
            }),
        });
    }
    Ok(doc)
}

/// A libyaml error as staff need it: at the line to look at, explained in their words.
fn syntax_error(e: &serde_yaml::Error, src: &str, first_line: usize) -> YamlError {
    let (mut line, mut column) = e.location().map_or((0, 1), |l| (l.line(), l.column()));
    let msg = e.to_string();
    let problem = if msg.contains("repetition limit") || msg.contains("recursion limit") {
        Problem::YamlTooComplex
    } else {
        let (detail, context) = describe_libyaml(&msg);
        // An unclosed quote or bracket is reported where the file ends; where it was
        // opened is where staff need to look.
        if let Some((l, c)) = context {
            line = l;
            column = c;
        }
        Problem::YamlSyntax { detail }
    };
    // libyaml reports the end of the input one line past the last one; staff need a line
    // they can see.
    let (line, column) = clamp_to_text(src, line.max(1), column.max(1));
    // `title：値` and `title:値` fail on a later line, in libyaml's English: name the line.
    if let Some(slip) = colon::explain(src, line).filter(|_| problem != Problem::YamlTooComplex) {
        return slip_error(slip, first_line);
    }
    YamlError {
        line: first_line + line - 1,
        column,
        problem,
    }
}

fn slip_error(slip: colon::Slip, first_line: usize) -> YamlError {
    YamlError {
        line: first_line + slip.line - 1,
        column: slip.column,
        problem: slip.problem,
    }
}

/// A line break libyaml counts but tsunagari's positions (and most editors) do not: a lone
/// carriage return (not before `\n`) and the Unicode line and paragraph separators. Refused like
/// control characters, so every later position agrees with the file as staff see it.
fn find_stray_break(src: &str) -> Option<(usize, char)> {
    let b = src.as_bytes();
    src.char_indices().find(|&(i, c)| {
        matches!(c, '\u{2028}' | '\u{2029}') || (c == '\r' && b.get(i + 1) != Some(&b'\n'))
    })
}

/// A 1-based (line, column) moved onto the last line of `src` when it lies beyond it.
fn clamp_to_text(src: &str, line: usize, column: usize) -> (usize, usize) {
    let lines: Vec<&str> = src.split('\n').collect();
    // A final newline ends the last line; it does not start a new one.
    let count = if src.ends_with('\n') {
        lines.len() - 1
    } else {
        lines.len()
    }
    .max(1);
    if line <= count {
        return (line, column);
    }
    let last = lines[count - 1].trim_end_matches('\r');
    (count, last.chars().count() + 1)
}

/// The first escape in a double-quoted scalar that decodes to a forbidden character, as
/// (1-based line within `src`, 1-based column of the backslash, the character). A quote opens a
/// double-quoted scalar only where a YAML value or key can start (after `:`, `-`, `[`, `{`, `,`,
/// `?` or at the start of a line); inside plain and single-quoted scalars `\` is literal.
fn forbidden_escape(src: &str) -> Option<(usize, usize, char)> {
    // A double-quoted scalar can go on over several lines.
    let mut quoted = false;
    for (n, line) in src.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if !quoted {
                if c == '#' && (i == 0 || chars[i - 1] == ' ') {
                    break;
                }
                if c == '"' {
                    let before = chars[..i].iter().rev().find(|c| **c != ' ');
                    quoted = matches!(before, None | Some(':' | '-' | '[' | '{' | ',' | '?'));
                }
                i += 1;
                continue;
            }
            match c {
                '"' => quoted = false,
                '\\' => {
                    let (decoded, len) = decode_escape(&chars[i + 1..]);
                    if let Some(d) = decoded.filter(|d| crate::unicode::is_forbidden(*d)) {
                        return Some((n + 1, i + 1, d));
                    }
                    i += len;
                }
                _ => {}
            }
            i += 1;
        }
    }
    None
}

/// The character a YAML double-quoted escape (after its backslash) stands for, and how many
/// characters the escape takes after the backslash.
fn decode_escape(rest: &[char]) -> (Option<char>, usize) {
    let hex = |n: usize| {
        let digits: String = rest.get(1..=n)?.iter().collect();
        u32::from_str_radix(&digits, 16)
            .ok()
            .and_then(char::from_u32)
    };
    match rest.first() {
        Some('0') => (Some('\0'), 1),
        Some('a') => (Some('\u{7}'), 1),
        Some('b') => (Some('\u{8}'), 1),
        Some('v') => (Some('\u{B}'), 1),
        Some('f') => (Some('\u{C}'), 1),
        Some('e') => (Some('\u{1B}'), 1),
        Some('N') => (Some('\u{85}'), 1),
        Some('x') => (hex(2), 3),
        Some('u') => (hex(4), 5),
        Some('U') => (hex(8), 9),
        Some(_) => (None, 1),
        None => (None, 0),
    }
}

/// The dotted path and the first forbidden character in a key or value of `node`.
fn forbidden_in(path: &str, node: &Node) -> Option<(String, char)> {
    let bad = crate::unicode::find_forbidden;
    match node {
        Node::Str(s) => bad(s).map(|(_, c)| (path.to_string(), c)),
        Node::Seq(items) => items.iter().find_map(|n| forbidden_in(path, n)),
        Node::Map(entries) => entries.iter().find_map(|(k, v)| {
            let sub = format!("{path}.{k}");
            match bad(k) {
                Some((_, c)) => Some((sub, c)),
                None => forbidden_in(&sub, v),
            }
        }),
        _ => None,
    }
    .or_else(|| bad(path).map(|(_, c)| (path.to_string(), c)))
}

/// Splits libyaml's "PROBLEM at line L column C, CONTEXT at line L2 column C2" into a text
/// without positions, and the context position when the context is an unclosed construct.
fn describe_libyaml(msg: &str) -> (String, Option<(usize, usize)>) {
    let strip = |s: &str| {
        s.split(" at line ")
            .next()
            .unwrap_or(s)
            .split(" at position ")
            .next()
            .unwrap_or(s)
            .trim()
            .to_string()
    };
    let (problem, context) = match msg.split_once(", while ") {
        Some((p, c)) => (p, Some(format!("while {c}"))),
        None => (msg, None),
    };
    let mut detail = strip(problem);
    let mut pos = None;
    if let Some(c) = context {
        detail = format!("{detail}, {}", strip(&c));
        let unclosed = ["quoted scalar", "flow sequence", "flow mapping"]
            .iter()
            .any(|k| c.contains(k));
        // The start of the input is written `at position 0`, not `at line 1 column 1`.
        if unclosed && c.contains(" at position ") {
            pos = Some((1, 1));
        }
        if let (true, Some(rest)) = (unclosed, c.split(" at line ").nth(1)) {
            let mut it = rest.split(" column ");
            let l = it.next().and_then(|x| x.trim().parse().ok());
            let col = it.next().and_then(|x| {
                x.trim_end_matches(|ch: char| !ch.is_ascii_digit())
                    .parse()
                    .ok()
            });
            if let (Some(l), Some(col)) = (l, col) {
                pos = Some((l, col));
            }
        }
    }
    (detail, pos)
}

fn convert(v: serde_yaml::Value, depth: usize) -> Result<Node, Problem> {
    use serde_yaml::Value as V;
    if depth > 32 {
        return Err(Problem::YamlTooComplex);
    }
    Ok(match v {
        V::Null => Node::Null,
        V::Bool(b) => Node::Bool(b),
        V::Number(n) => match n.as_i64() {
            Some(i) => Node::Int(i),
            None => Node::Float(n.as_f64().unwrap_or(0.0)),
        },
        V::String(s) => Node::Str(crate::unicode::nfc_string(s)),
        V::Sequence(s) => Node::Seq(
            s.into_iter()
                .map(|x| convert(x, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        V::Mapping(m) => {
            let mut out = Vec::with_capacity(m.len());
            for (k, v) in m {
                let key = match k {
                    V::String(s) => crate::unicode::nfc_string(s),
                    V::Number(n) => n.to_string(),
                    V::Bool(b) => b.to_string(),
                    _ => return Err(Problem::FrontMatterNotMapping),
                };
                out.push((key, convert(v, depth + 1)?));
            }
            Node::Map(out)
        }
        V::Tagged(t) => convert(t.value, depth + 1)?,
    })
}

/// Finds `key:` lines and their nesting by indentation. Keys inside list items (`- key: v`)
/// are recorded under the list's path (`menu.key`), first occurrence only.
fn key_positions(src: &str, first_line: usize) -> HashMap<String, Pos> {
    let mut out = HashMap::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut block_indent: Option<usize> = None; // inside a `|` or `>` block scalar
    for (i, raw) in src.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut indent = line.chars().count() - trimmed.chars().count();
        if let Some(bi) = block_indent {
            if indent > bi {
                continue;
            }
            block_indent = None;
        }
        let mut rest = trimmed;
        if let Some(r) = rest.strip_prefix("- ") {
            rest = r.trim_start();
            indent += trimmed.chars().count() - rest.chars().count();
        }
        let Some((key, after)) = split_key(rest) else {
            continue;
        };
        while stack.last().is_some_and(|(ind, _)| *ind >= indent) {
            stack.pop();
        }
        let mut path: String = stack
            .iter()
            .map(|(_, k)| k.as_str())
            .collect::<Vec<_>>()
            .join(".");
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(&key);
        let key_col = indent + 1;
        let after_trim = after.trim_start();
        let value_col = if after_trim.is_empty() {
            key_col
        } else {
            line.chars().count() - after_trim.chars().count() + 1
        };
        out.entry(path).or_insert(Pos {
            line: first_line + i,
            key_col,
            value_col,
        });
        if after_trim.starts_with('|') || after_trim.starts_with('>') {
            block_indent = Some(indent);
        }
        stack.push((indent, key));
    }
    out
}

/// `key: value` → (key, " value"); handles quoted keys. None for lines that are not keys.
fn split_key(s: &str) -> Option<(String, &str)> {
    if let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = s[1..].find(q)? + 1;
        let after = s[end + 1..].strip_prefix(':')?;
        return Some((s[1..end].to_string(), after));
    }
    let idx = s.find(':')?;
    let after = &s[idx + 1..];
    if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t')) {
        return None; // `https://…` in a plain scalar, not a key
    }
    let key = s[..idx].trim_end();
    if key.is_empty() || key.starts_with(['[', '{', '&', '*', '!', '|', '>']) {
        return None;
    }
    Some((key.to_string(), after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split_front_matter("---\ntitle: a\n---\n\n本文\n").unwrap();
        assert_eq!(s.front, "title: a\n");
        assert_eq!(s.front_line, 2);
        assert_eq!(s.body, "\n本文\n");
        assert_eq!(s.body_line, 4);
        assert!(s.has_front_matter);
        let none = split_front_matter("# 見出し\n").unwrap();
        assert!(!none.has_front_matter);
        assert_eq!(none.body_line, 1);
    }

    #[test]
    fn a_closing_fence_on_the_last_line_leaves_the_body_on_that_line() {
        let s = split_front_matter("---\ntitle: a\n---").unwrap();
        assert_eq!((s.body_line, s.body_offset, s.body), (3, 16, ""));
        let s = split_front_matter("---\ntitle: a\n---\n").unwrap();
        assert_eq!((s.body_line, s.body), (4, ""));
    }

    #[test]
    fn unclosed_front_matter_points_at_the_opening_fence() {
        let e = split_front_matter("---\ntitle: a\n\n本文\n").unwrap_err();
        assert_eq!((e.line, e.problem), (1, Problem::UnclosedFrontMatter));
    }

    #[test]
    fn key_positions_follow_nesting() {
        let src = "title: a\nmarkdown:\n  allow_iframes:\n    - www.youtube.com\nmenu:\n  - name: 課題\n    url: /c/\nprefecture:   東京\n";
        let doc = parse_mapping(src, 2).unwrap();
        assert_eq!(
            doc.pos("title"),
            Pos {
                line: 2,
                key_col: 1,
                value_col: 8
            }
        );
        assert_eq!(doc.pos("markdown.allow_iframes").line, 4);
        assert_eq!(doc.pos("menu.name").line, 7);
        assert_eq!(doc.pos("menu.url").line, 8);
        assert_eq!(
            doc.pos("prefecture"),
            Pos {
                line: 9,
                key_col: 1,
                value_col: 15
            }
        );
    }

    #[test]
    fn syntax_error_has_file_line() {
        let src = "title: a\nsummary: \"unclosed\ndate: 2026-01-01\n";
        let e = parse_mapping(src, 2).unwrap_err();
        assert!(matches!(e.problem, Problem::YamlSyntax { .. }), "{e:?}");
        // Where the quote opens, not where the text runs out.
        assert_eq!((e.line, e.column), (3, 10), "{e:?}");
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let mut src = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (i, c) in ('b'..='i').enumerate() {
            let prev = (b'a' + i as u8) as char;
            src.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        // 9^9 expansions if followed naively; the parser must refuse instead of eating memory.
        let e = parse_mapping(&src, 2).unwrap_err();
        assert_eq!(e.problem, Problem::YamlTooComplex);
    }

    #[test]
    fn values_become_nodes() {
        let doc = parse_mapping(
            "capacity: 3\ndraft: true\nthemes: [観光, 農業]\nempty:\n",
            1,
        )
        .unwrap();
        assert_eq!(doc.entries[0], ("capacity".into(), Node::Int(3)));
        assert_eq!(doc.entries[1], ("draft".into(), Node::Bool(true)));
        assert_eq!(
            doc.entries[2].1,
            Node::Seq(vec![Node::Str("観光".into()), Node::Str("農業".into())])
        );
        assert_eq!(doc.entries[3].1, Node::Null);
    }

    #[test]
    fn a_backslash_in_a_block_scalar_is_text() {
        // `"\x0b"` inside a folded block scalar is six characters, not a control character.
        let doc = parse_mapping("summary: >\n  \"\\x0b\"\n  y\ntitle: \"ok\"\n", 2).unwrap();
        assert_eq!(doc.entries[0].1, Node::Str("\"\\x0b\" y\n".into()));
    }

    #[test]
    fn errors_at_the_end_of_the_input_point_at_its_last_line() {
        // Unclosed at the very start (libyaml: "at position 0"), and an unfinished key
        // without a final newline (libyaml: one line past the end).
        for (src, line, column) in [("{", 2, 2), ("title: t\nfoo", 3, 4), ("a: [1,\n", 2, 7)] {
            let e = parse_mapping(src, 2).unwrap_err();
            assert!(matches!(e.problem, Problem::YamlSyntax { .. }), "{e:?}");
            assert_eq!((e.line, e.column), (line, column), "{src:?}");
        }
    }

    #[test]
    fn stray_line_breaks_are_refused_where_they_are() {
        for (src, line, column, cp) in [
            ("title: a\rb: c\n", 2, 9, "U+000D"),
            ("title: a\nsummary: x\u{2028}y: z\n", 3, 11, "U+2028"),
            ("title: a\u{2029}\n", 2, 9, "U+2029"),
        ] {
            let e = parse_mapping(src, 2).unwrap_err();
            assert_eq!(
                (e.line, e.column, e.problem),
                (
                    line,
                    column,
                    Problem::Text(TextProblem::ControlCharacter {
                        code_point: cp.into()
                    })
                ),
                "{src:?}"
            );
        }
        // CRLF files are fine.
        assert!(parse_mapping("title: a\r\nb: c\r\n", 2).is_ok());
    }

    #[test]
    fn raw_control_character_is_named_with_its_position() {
        let e = parse_mapping("title: a\nsummary: 改行\u{B}あり\n", 2).unwrap_err();
        assert_eq!(
            (e.line, e.column, e.problem),
            (
                3,
                12,
                Problem::Text(TextProblem::ControlCharacter {
                    code_point: "U+000B".into()
                })
            )
        );
    }

    #[test]
    fn escaped_control_characters_are_refused_at_their_key() {
        for (src, line, column) in [
            ("title: a\nsummary: \"x\\vy\"\n", 3, 12),
            ("title: a\ntags: [ok, \"\\x01\"]\n", 3, 13),
            (
                "forms:\n  handlers:\n    a:\n      id: \"\\uFFFE\"\n",
                5,
                12,
            ),
            ("\"\\x07\": 1\n", 2, 2),
            // The same key twice in a list: the line of the escape, not of the first key.
            ("menu:\n  - url: /a/\n  - url: \"\\e[2J\"\n", 4, 11),
            // In plain and single-quoted scalars a backslash is literal; only the real escape counts.
            ("a: C:\\v 'x\\v' \"it's\"\nb: 'q'\nc: \"\\N\"\n", 4, 5),
            // An escape on a continuation line of a double-quoted scalar.
            (
                "title: a\nsummary: \"first line\n  second \\x0b line\"\n",
                4,
                10,
            ),
        ] {
            let e = parse_mapping(src, 2).unwrap_err();
            assert!(
                matches!(
                    e.problem,
                    Problem::Text(TextProblem::ControlCharacter { .. })
                ),
                "{src}: {e:?}"
            );
            assert_eq!((e.line, e.column), (line, column), "{src}");
        }
    }

    #[test]
    fn keys_and_values_are_nfc() {
        let doc =
            parse_mapping("themes: [か\u{3099}っこう]\nsummary: \"ハ\\u309Aン\"\n", 1).unwrap();
        assert_eq!(
            doc.entries[0].1,
            Node::Seq(vec![Node::Str("がっこう".into())])
        );
        assert_eq!(doc.entries[1].1, Node::Str("パン".into()));
    }

    #[test]
    fn deep_nesting_is_still_refused() {
        let src = format!("a: {}1{}\n", "[".repeat(200), "]".repeat(200));
        let e = parse_mapping(&src, 2).unwrap_err();
        assert_eq!(e.problem, Problem::YamlTooComplex);
        let src = format!("a: {}1{}\n", "[".repeat(40), "]".repeat(40));
        assert_eq!(
            parse_mapping(&src, 2).unwrap_err().problem,
            Problem::YamlTooComplex
        );
    }

    #[test]
    fn non_mapping_is_an_error() {
        let e = parse_mapping("- a\n- b\n", 2).unwrap_err();
        assert_eq!(e.problem, Problem::FrontMatterNotMapping);
    }
}
