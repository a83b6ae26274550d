//! `search:` in site.yaml: `true`/`false`, or a mapping with `enabled` (default true) and
//! `synonyms`, groups of words the search treats as one spelling (added to the built-in variant
//! table, `search::Variants`; the first word of a new group is its canonical form).

use crate::diagnostics::{Diagnostic, Problem};
use crate::fields::Fields;
use crate::messages::Text;
use crate::yaml::{self, Node};
use std::path::Path;

/// The search settings: index or not, and the site's synonym groups.
pub(super) fn read(
    f: &mut Fields<'_>,
    text: &str,
    file: &Path,
) -> (bool, Vec<Vec<String>>, Vec<Diagnostic>) {
    match f.node("search") {
        None => return (true, Vec::new(), Vec::new()),
        Some(Node::Map(_)) => {}
        Some(_) => return (f.boolean("search"), Vec::new(), Vec::new()),
    }
    let Some(sub) = f.sub("search") else {
        return (true, Vec::new(), Vec::new());
    };
    let mut s = Fields::new(&sub, text, file, 1);
    let enabled = match s.node("enabled") {
        Some(_) => s.boolean("enabled"),
        None => true,
    };
    let at = s.pos("synonyms");
    let mut groups = Vec::new();
    let mut diags = Vec::new();
    match s.node("synonyms") {
        None | Some(Node::Null) => {}
        Some(Node::Seq(items)) => {
            for (i, item) in items.iter().enumerate() {
                match group(item) {
                    Some(g) => groups.push(g),
                    None => {
                        let (line, column) =
                            yaml::item_pos(text, at, i).unwrap_or((at.line, at.value_col));
                        diags.push(Diagnostic::error(file, invalid(item)).at(text, line, column));
                    }
                }
            }
        }
        Some(other) => s.problem_at("synonyms", invalid(other)),
    }
    diags.extend(s.finish(&["enabled", "synonyms"]));
    (enabled, groups, diags)
}

/// A group: a list of two or more different words, none empty or holding a space.
fn group(item: &Node) -> Option<Vec<String>> {
    let Node::Seq(words) = item else {
        return None;
    };
    let mut out: Vec<String> = Vec::new();
    for w in words {
        let w = w.as_text().filter(|_| !matches!(w, Node::Null))?;
        let w = w.trim();
        if w.is_empty() || w.contains(char::is_whitespace) {
            return None;
        }
        if !out.iter().any(|x| x == w) {
            out.push(w.to_string());
        }
    }
    (out.len() >= 2).then_some(out)
}

fn invalid(value: &Node) -> Problem {
    Problem::InvalidSiteValue {
        field: "search.synonyms".into(),
        value: show(value),
        why: Text::new("why-synonym-group"),
    }
}

/// A node as a person wrote it, near enough: `[a, b]` for lists.
fn show(n: &Node) -> String {
    match n {
        Node::Seq(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Node::Map(_) => "{…}".into(),
        n => n.as_text().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn site(search: &str) -> String {
        format!("title: 町\nbase_url: https://example.jp/\nsearch:{search}\n")
    }

    #[test]
    fn search_may_be_a_boolean_or_a_mapping_with_synonyms() {
        let c = Config::parse(&site(" false")).unwrap();
        assert!(!c.search && c.search_synonyms.is_empty());
        let c = Config::parse(&site(
            "\n  synonyms:\n    - [移住, Uターン, 移住]\n    - [ワーケーション, ワーケ]",
        ))
        .unwrap();
        assert!(c.search);
        assert_eq!(
            c.search_synonyms,
            [vec!["移住", "Uターン"], vec!["ワーケーション", "ワーケ"]]
        );
        let c = Config::parse(&site("\n  enabled: false\n  synonyms: [[a, b]]")).unwrap();
        assert!(!c.search);
        assert_eq!(c.search_synonyms, [vec!["a", "b"]]);
    }

    #[test]
    fn a_bad_synonym_group_is_reported_where_it_is() {
        for (yaml, line, column) in [
            ("\n  synonyms:\n    - [移住]", 5, 7),
            ("\n  synonyms:\n    - [移住, Uターン]\n    - 移住", 6, 7),
            ("\n  synonyms:\n    - [移 住, 定住]", 5, 7),
            ("\n  synonyms: 移住", 4, 13),
        ] {
            let d = Config::parse(&site(yaml)).unwrap_err();
            assert_eq!(d.len(), 1, "{yaml}: {d:?}");
            assert_eq!((d[0].line, d[0].column), (line, column), "{yaml}");
            let ja = d[0].problem.message(crate::messages::Lang::Ja);
            assert!(ja.contains("search.synonyms"), "{ja}");
        }
        let d = Config::parse(&site("\n  synonym: []")).unwrap_err();
        assert!(format!("{d:?}").contains("synonym"));
    }
}
