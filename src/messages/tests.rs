//! The catalogue against itself and against the code: both languages everywhere, the same
//! placeholders, no Japanese of ours in English, every id the code names present with exactly
//! the arguments its text needs, and no entry left unused. The code side is read from `src/`
//! (every `msg!(…, "id", name = …)` and `Text::new("id").arg("name", …)`), so a new message is
//! checked the moment it is written.

use super::*;
use crate::msg;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Characters only Japanese text uses: kana, CJK ideographs, full-width forms and punctuation.
pub(crate) fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x20000..=0x2FFFF | 0x31F0..=0x31FF)
}

/// `text` without what stands between backticks (values staff type as they are, such as
/// `東京都`, may be quoted in English).
fn outside_backticks(text: &str) -> String {
    text.split('`').step_by(2).collect()
}

fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

#[test]
fn every_entry_has_both_languages_with_the_same_placeholders() {
    assert!(catalogue().entries.len() > 150);
    for (id, [ja, en]) in &catalogue().entries {
        assert!(!ja.0.is_empty() && !en.0.is_empty(), "{id}: empty text");
        assert_eq!(
            ja.placeholders(),
            en.placeholders(),
            "{id}: placeholders differ"
        );
        assert!(
            id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{id}: ids are kebab-case"
        );
    }
}

#[test]
fn english_has_no_japanese_of_its_own() {
    for (id, [ja, en]) in &catalogue().entries {
        let own = outside_backticks(&en.literal_text());
        assert!(
            !own.chars().any(is_japanese),
            "{id}.en is not English: {own}"
        );
        // And the Japanese is Japanese (catches swapped languages).
        assert!(
            ja.literal_text().chars().any(is_japanese) || ja == en,
            "{id}.ja"
        );
    }
}

#[test]
fn templates_parse_braces_and_placeholders() {
    let t = Template::parse("{{#id}} と {name}、{n} 件").unwrap();
    assert_eq!(t.placeholders(), BTreeSet::from(["name", "n"]));
    assert_eq!(t.literal_text(), "{#id} と 、 件");
    assert!(Template::parse("a } b").is_err());
    assert!(Template::parse("{Bad}").is_err());
    assert!(Template::parse("{}").is_err());
}

#[test]
fn filling_and_marking() {
    let n = 3;
    assert_eq!(msg!(Lang::Ja, "cli-warnings", count = n), "警告 3 件。");
    assert_eq!(msg!(Lang::En, "cli-warnings", count = n), "3 warning(s).");
    let marked = marking(|| msg!(Lang::En, "missing-field", field = "タイトル"));
    assert_eq!(
        marked,
        "the required field `\u{E000}タイトル\u{E001}` is missing"
    );
    assert_eq!(value("x"), "x", "marking ends with its closure");
    let t = Text::new("why-theme-missing").arg("name", "観光");
    assert_eq!(
        t.render(Lang::En),
        "there is no themes/観光/; use default or add the theme's folder"
    );
    assert_eq!(text(Lang::En, "no-such-id", &[]), "no-such-id");
}

/// One call site: the id and the names of the arguments it passes.
#[derive(Debug)]
struct Call {
    file: PathBuf,
    id: String,
    args: BTreeSet<String>,
}

/// Skips a string literal starting at `i` (at its `"`); returns its content and the index after.
fn string_at(s: &[char], i: usize) -> (String, usize) {
    let mut j = i + 1;
    let mut out = String::new();
    while j < s.len() && s[j] != '"' {
        if s[j] == '\\' {
            j += 1;
        }
        out.push(s[j]);
        j += 1;
    }
    (out, j + 1)
}

/// The top-level pieces of a macro's arguments, from just after `(` to the matching `)`.
fn macro_args(s: &[char], mut i: usize) -> Vec<String> {
    let (mut depth, mut parts, mut cur) = (0usize, Vec::new(), String::new());
    while i < s.len() {
        let c = s[i];
        match c {
            '"' => {
                let (lit, next) = string_at(s, i);
                cur.push('"');
                cur.push_str(&lit);
                cur.push('"');
                i = next;
                continue;
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                i += 1;
                continue;
            }
            _ => {}
        }
        cur.push(c);
        i += 1;
    }
    parts.push(cur);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn calls_in(file: &Path, src: &str) -> Vec<Call> {
    let s: Vec<char> = src.chars().collect();
    let text: String = s.iter().collect();
    let mut calls = Vec::new();
    for (start, _) in text.match_indices("msg!(") {
        let i = text[..start].chars().count() + "msg!(".len();
        let parts = macro_args(&s, i);
        if parts.len() < 2 || !parts[1].starts_with('"') {
            continue; // the macro's own definition
        }
        let args = parts[2..]
            .iter()
            .map(|p| p.split('=').next().unwrap().trim().to_string())
            .collect();
        calls.push(Call {
            file: file.to_path_buf(),
            id: parts[1].trim_matches('"').to_string(),
            args,
        });
    }
    for (start, _) in text.match_indices("Text::new(\"") {
        let rest = &text[start + "Text::new(\"".len()..];
        let id = rest[..rest.find('"').unwrap()].to_string();
        // The `.arg("name", …)` calls chained on it, up to the end of the expression.
        let after = &rest[id.len() + 1..];
        let chain = &after[..chain_end(after)];
        let args = chain
            .match_indices(".arg(\"")
            .map(|(k, _)| {
                let a = &chain[k + ".arg(\"".len()..];
                a[..a.find('"').unwrap()].to_string()
            })
            .collect();
        calls.push(Call {
            file: file.to_path_buf(),
            id,
            args,
        });
    }
    calls
}

/// Where the expression around a `Text::new("id"` ends in `rest` (which starts just after the
/// id, inside the parentheses): at a `;`, `,` or `}` outside any parentheses, or at the `)` that closes a
/// parenthesis opened before it (`Err(Text::new("a").arg("b", x)), next_arm`).
fn chain_end(rest: &str) -> usize {
    let s: Vec<char> = rest.chars().collect();
    let (mut depth, mut i) = (1i32, 0);
    while i < s.len() {
        match s[i] {
            '"' => {
                i = string_at(&s, i).1.min(s.len());
                continue;
            }
            '(' | '[' => depth += 1,
            ')' | ']' if depth == 0 => break,
            ')' | ']' => depth -= 1,
            ';' | ',' | '}' | '{' if depth == 0 => break,
            _ => {}
        }
        i += 1;
    }
    s[..i].iter().collect::<String>().len()
}

fn code_calls() -> Vec<Call> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = crate::test_files::rust_files(&root);
    let mut calls = Vec::new();
    for f in files {
        if f.ends_with("messages/tests.rs") {
            continue;
        }
        let src = std::fs::read_to_string(&f).unwrap();
        // Only the code: unit tests may name ids that do not exist on purpose.
        let code = src.split("#[cfg(test)]\nmod tests {").next().unwrap();
        let code: Vec<&str> = code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect();
        calls.extend(calls_in(&f, &code.join("\n")));
    }
    calls
}

#[test]
fn every_id_the_code_names_exists_with_its_arguments() {
    let calls = code_calls();
    assert!(
        calls.len() > 150,
        "the scan finds the calls ({})",
        calls.len()
    );
    for c in &calls {
        let Some([ja, _]) = catalogue().entries.get(&c.id) else {
            panic!(
                "{}: the id {:?} is not in catalogue.yaml",
                c.file.display(),
                c.id
            );
        };
        let wanted: BTreeSet<String> = ja.placeholders().into_iter().map(String::from).collect();
        assert_eq!(
            c.args,
            wanted,
            "{}: arguments of {:?}",
            c.file.display(),
            c.id
        );
    }
}

#[test]
fn every_entry_is_used() {
    let used: BTreeMap<String, usize> =
        code_calls().into_iter().fold(BTreeMap::new(), |mut m, c| {
            *m.entry(c.id).or_default() += 1;
            m
        });
    let unused: Vec<&String> = catalogue()
        .entries
        .keys()
        .filter(|id| !used.contains_key(*id))
        .collect();
    assert!(unused.is_empty(), "entries no code uses: {unused:?}");
}

#[test]
fn the_scan_reads_nested_and_multiline_calls() {
    let src = "let a = msg!(lang, \"x-y\", a = f(b, c), bb = \"s,(\");\nmsg!(\n  lang,\n  \"z\",\n)\nText::new(\"t\").arg(\"k\", 1).arg(\"l\", g(2));\nmatch x { 1 => Err(Text::new(\"u\").arg(\"m\", y)), _ => Ok(Text::new(\"v\").arg(\"n\", \"),;\")) }";
    let calls = calls_in(Path::new("f.rs"), src);
    let got: Vec<(String, Vec<String>)> = calls
        .into_iter()
        .map(|c| (c.id, c.args.into_iter().collect()))
        .collect();
    assert_eq!(
        got,
        [
            ("x-y".to_string(), vec!["a".to_string(), "bb".to_string()]),
            ("z".to_string(), vec![]),
            ("t".to_string(), vec!["k".to_string(), "l".to_string()]),
            ("u".to_string(), vec!["m".to_string()]),
            ("v".to_string(), vec!["n".to_string()]),
        ]
    );
}
