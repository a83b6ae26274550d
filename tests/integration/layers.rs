//! The library's modules form layers: no module uses, directly or through others, a module that
//! uses it. Every file in `src/` is read, its `crate::…` paths (and `use crate::{a, b}` groups)
//! collected per top-level module (a submodule counts as its parent), and the graph checked for
//! cycles. Items under `#[cfg(test)]` (and the files of `#[cfg(test)] mod x;`) are left out: a
//! test module may build its fixtures with a higher layer (theme's tests read render's template
//! list), and it is not part of the library; everything else in the file is read. `cli` and `fuzzing` are checked like every other module: they sit on
//! top, and nothing may use them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Edges that still close a cycle, each with what removes it. The test fails when one of them
/// is gone, so the list only shrinks.
const ALLOWED: [(&str, &str, &str); 0] = [];

/// The library's code of a file: [`code_only`], with every item under `#[cfg(test)]` (a
/// `mod x;` line, or an item up to its closing brace) blanked, lines kept.
fn library_code(src: &str) -> String {
    let code = code_only(src);
    let mut lines: Vec<String> = code.lines().map(str::to_string).collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "#[cfg(test)]" {
            i += 1;
            continue;
        }
        // The item: up to a `;` before any `{`, or to the brace that closes its first `{`.
        let mut depth = 0i32;
        let mut opened = false;
        let mut j = i;
        'item: while j < lines.len() {
            for c in lines[j].chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    ';' if !opened => break 'item,
                    _ => {}
                }
                if opened && depth == 0 {
                    break 'item;
                }
            }
            j += 1;
        }
        let last = j.min(lines.len() - 1);
        for l in &mut lines[i..=last] {
            l.clear();
        }
        i = j + 1;
    }
    lines.join("\n")
}

/// Files that are test modules: declared `#[cfg(test)] mod x;` beside or above them.
fn test_module_files(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for f in files {
        let code = code_only(&std::fs::read_to_string(f).unwrap());
        let lines: Vec<&str> = code.lines().collect();
        let dir = if f
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
        {
            f.parent().unwrap().to_path_buf()
        } else {
            f.with_extension("")
        };
        for w in lines.windows(2) {
            let decl = w[1].trim();
            if w[0].trim() == "#[cfg(test)]" && decl.starts_with("mod ") && decl.ends_with(';') {
                let name = decl.trim_start_matches("mod ").trim_end_matches(';').trim();
                out.insert(dir.join(format!("{name}.rs")));
                out.insert(dir.join(name).join("mod.rs"));
            }
        }
    }
    out
}

/// One use of module `to` by module `from`, at a file and line.
#[derive(Debug, Clone)]
struct Edge {
    to: String,
    at: String,
}

type Graph = BTreeMap<String, Vec<Edge>>;

/// Source text with comments removed and string and character literals emptied, lines kept.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let keep_lines = |out: &mut String, s: &[u8]| {
        out.extend(s.iter().filter(|&&c| c == b'\n').map(|_| '\n'));
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            i += end;
        } else if rest.starts_with(b"/*") {
            let (mut depth, mut j) = (0usize, 0usize);
            while j < rest.len() {
                if rest[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            keep_lines(&mut out, &rest[..j]);
            i += j;
        } else if let Some(len) = raw_string_len(rest) {
            keep_lines(&mut out, &rest[..len]);
            out.push_str("\"\"");
            i += len;
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            keep_lines(&mut out, &rest[..j.min(rest.len())]);
            out.push_str("\"\"");
            i += j + 1;
        } else if rest[0] == b'\'' && char_literal_len(rest).is_some() {
            out.push_str("' '");
            i += char_literal_len(rest).unwrap_or(1);
        } else {
            let len = src[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&src[i..i + len]);
            i += len;
        }
    }
    out
}

/// Length of a raw string literal (`r"…"`, `r#"…"#`, `br"…"`) starting at `s`, if one does.
fn raw_string_len(s: &[u8]) -> Option<usize> {
    let start = if s.starts_with(b"br") {
        2
    } else {
        usize::from(s.starts_with(b"r"))
    };
    if start == 0 {
        return None;
    }
    let hashes = s[start..].iter().take_while(|&&c| c == b'#').count();
    if s.get(start + hashes) != Some(&b'"') {
        return None;
    }
    let close: Vec<u8> = std::iter::once(b'"')
        .chain(std::iter::repeat_n(b'#', hashes))
        .collect();
    let body = start + hashes + 1;
    let end = s[body..]
        .windows(close.len())
        .position(|w| w == close.as_slice())?;
    Some(body + end + close.len())
}

/// Length of a character literal (`'a'`, `'\''`, `'\u{7F}'`, `'日'`) at `s`; None for a lifetime.
fn char_literal_len(s: &[u8]) -> Option<usize> {
    if s.get(1) == Some(&b'\\') {
        let end = s[2..].iter().position(|&c| c == b'\'')?;
        return Some(end + 3);
    }
    let c = std::str::from_utf8(&s[1..s.len().min(5)])
        .or_else(|e| std::str::from_utf8(&s[1..1 + e.valid_up_to()]))
        .ok()?
        .chars()
        .next()?;
    let len = 1 + c.len_utf8();
    (s.get(len) == Some(&b'\'')).then_some(len + 1)
}

/// The top-level module names a line of code reaches through `crate::`: `crate::a::b` gives
/// `a`, `crate::{a, b::c, d::{e}}` gives `a`, `b` and `d`. `super::` paths that climb to the
/// crate root (`depth` levels below it) count too.
fn crate_names(code: &str, depth: usize) -> Vec<String> {
    let mut names = Vec::new();
    let climbs = "super::".repeat(depth);
    for prefix in ["crate::", climbs.as_str()] {
        if prefix.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(at) = code[from..].find(prefix) {
            let start = from + at;
            from = start + prefix.len();
            let before = code[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '$') {
                continue;
            }
            let rest = &code[from..];
            if let Some(group) = rest.strip_prefix('{') {
                names.extend(group_heads(group));
            } else {
                names.push(ident(rest));
            }
        }
    }
    names.retain(|n| !n.is_empty() && n != "self");
    names
}

/// The first path segment of each item of a `{…}` group (the text after the `{`).
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut item_start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if item_start && !c.is_whitespace() => {
                heads.push(ident(&group[i..]));
                item_start = false;
            }
            _ => {}
        }
    }
    heads
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module graph of the crate whose sources are in `src`.
fn graph(src: &Path) -> Graph {
    let mut modules = BTreeSet::new();
    for e in std::fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        if p.is_dir()
            || (p.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main")
        {
            modules.insert(name);
        }
    }
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut g: Graph = modules.iter().map(|m| (m.clone(), Vec::new())).collect();
    let test_modules = test_module_files(&files);
    for f in files {
        let rel = f.strip_prefix(src).unwrap();
        let parts: Vec<String> = rel
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        let from = parts[0].trim_end_matches(".rs").to_string();
        if !modules.contains(&from) {
            continue; // lib.rs, main.rs
        }
        // src/a.rs and src/a/mod.rs are at depth 1, src/a/b.rs at depth 2.
        let depth = parts.len() - usize::from(parts.last().unwrap() == "mod.rs");
        if test_modules.contains(&f) {
            continue;
        }
        let code = library_code(&std::fs::read_to_string(&f).unwrap());
        for (n, line) in code.lines().enumerate() {
            for to in crate_names(line, depth) {
                if to != from && modules.contains(&to) {
                    let at = format!("{}:{}", Path::new("src").join(rel).display(), n + 1);
                    g.get_mut(&from).unwrap().push(Edge { to, at });
                }
            }
        }
    }
    g
}

/// A cycle of the graph as the modules on it (first = last) with the place of each step.
fn find_cycle(g: &Graph) -> Option<Vec<(String, String)>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        g: &Graph,
        m: &str,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<(String, String)>,
    ) -> Option<Vec<(String, String)>> {
        marks.insert(m.to_string(), Mark::Open);
        for e in &g[m] {
            match marks[&e.to] {
                Mark::Open => {
                    let start = path.iter().position(|(n, _)| *n == e.to).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push((m.to_string(), e.at.clone()));
                    cycle.push((e.to.clone(), String::new()));
                    return Some(cycle);
                }
                Mark::New => {
                    path.push((m.to_string(), e.at.clone()));
                    if let Some(c) = visit(g, &e.to, marks, path) {
                        return Some(c);
                    }
                    path.pop();
                }
                Mark::Done => {}
            }
        }
        marks.insert(m.to_string(), Mark::Done);
        None
    }
    let mut marks: BTreeMap<String, Mark> = g.keys().map(|k| (k.clone(), Mark::New)).collect();
    for m in g.keys() {
        if marks[m] == Mark::New {
            if let Some(c) = visit(g, m, &mut marks, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn show(cycle: &[(String, String)]) -> String {
    cycle
        .windows(2)
        .map(|w| format!("  {} -> {}   ({})", w[0].0, w[1].0, w[0].1))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn library_modules_form_layers_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut g = graph(&src);
    assert!(
        g.len() > 20 && g.values().any(|e| !e.is_empty()),
        "no modules read: {g:?}"
    );
    for (from, to, why) in ALLOWED {
        let edges = g.get_mut(from).unwrap();
        let before = edges.len();
        edges.retain(|e| e.to != to);
        assert!(
            edges.len() < before,
            "{from} -> {to} is gone: remove it from ALLOWED in tests/integration/layers.rs ({why})"
        );
    }
    if let Some(cycle) = find_cycle(&g) {
        panic!(
            "module cycle (each step: where the first module names the second):\n{}",
            show(&cycle)
        );
    }
}

#[test]
fn crate_paths_are_read_from_code_only() {
    let code = code_only(
        "use crate::{alpha, beta::{x, y}, gamma::z};\n\
         // crate::comment\n\
         let s = \"crate::string\"; let c = '\"'; let r = r#\"crate::raw\"#;\n\
         fn f<'a>(x: &'a str) { crate::delta::f(x); super::super::epsilon::g(); }\n\
         /* crate::block */ let t = \"a // b\"; crate::zeta::h();",
    );
    let names: Vec<String> = code.lines().flat_map(|l| crate_names(l, 2)).collect();
    assert_eq!(
        names,
        ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    );
    assert_eq!(code.lines().count(), 5, "lines are kept for the report");
}

#[test]
fn a_cycle_is_found_and_shown_with_its_places() {
    let edge = |to: &str, at: &str| Edge {
        to: to.into(),
        at: at.into(),
    };
    let mut g: Graph = BTreeMap::new();
    g.insert("a".into(), vec![edge("b", "src/a.rs:3")]);
    g.insert("b".into(), vec![edge("c", "src/b.rs:5")]);
    g.insert("c".into(), vec![edge("b", "src/c/d.rs:7")]);
    let cycle = find_cycle(&g).expect("b -> c -> b");
    assert_eq!(
        show(&cycle),
        "  b -> c   (src/b.rs:5)\n  c -> b   (src/c/d.rs:7)"
    );
    g.get_mut("c").unwrap().clear();
    assert!(find_cycle(&g).is_none());
}

#[test]
fn only_the_items_under_cfg_test_are_left_out() {
    let src = "use crate::a;\n#[cfg(test)]\nfn helper() {\n    crate::b::x();\n}\nuse crate::c;\n#[cfg(test)]\nmod tests;\n#[cfg(test)]\nmod inline {\n    use crate::d;\n}\nfn f() { crate::e::y(); }\n";
    let code = library_code(src);
    let names: Vec<String> = code.lines().flat_map(|l| crate_names(l, 1)).collect();
    assert_eq!(names, ["a", "c", "e"], "{code}");
}
