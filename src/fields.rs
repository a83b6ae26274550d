//! Reads typed fields out of a parsed front matter, collecting every problem with its position.
//!
//! Each content kind reads its fields through [`Fields`]; at the end, [`Fields::finish`] reports
//! every key nobody asked for as unknown, with a "did you mean". So a new field cannot be silently
//! ignored: it must be read somewhere or it is an error.

use crate::date::DateTime;
use crate::diagnostics::{Diagnostic, Expected, InputProblem, Problem, TextProblem};
use crate::suggest::did_you_mean;
use crate::yaml::{Doc, Node, Pos};
use std::path::Path;

/// What separates items when staff type a list as one text with a Japanese input method.
const LIST_SEPARATORS: [char; 3] = ['、', '・', '，'];

/// A one-text list split at [`LIST_SEPARATORS`]: items trimmed, empty and repeated ones left out.
fn split_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in text.split(LIST_SEPARATORS) {
        let item = item.trim();
        if !item.is_empty() && !out.iter().any(|x| x == item) {
            out.push(item.to_string());
        }
    }
    out
}

/// Unknown keys reported one by one per file; the rest are counted in one diagnostic.
pub const MAX_UNKNOWN_REPORTED: usize = 20;

#[cfg(test)]
thread_local! {
    /// Every key asked for on this thread since the last [`take_asked`] (tests only).
    static ASKED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The keys readers asked for on this thread since the last call: lets `content::schema`'s
/// tests compare what the reader reads with the schema table.
#[cfg(test)]
pub fn take_asked() -> Vec<String> {
    ASKED.with(|a| std::mem::take(&mut *a.borrow_mut()))
}

pub struct Fields<'a> {
    doc: &'a Doc,
    /// Whole file text, for quoting the offending line.
    text: &'a str,
    path: &'a Path,
    used: Vec<bool>,
    /// Line to point at for missing fields (the opening `---`).
    fence_line: usize,
    pub diags: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub fn new(doc: &'a Doc, text: &'a str, path: &'a Path, fence_line: usize) -> Self {
        Fields {
            doc,
            text,
            path,
            used: vec![false; doc.entries.len()],
            fence_line,
            diags: Vec::new(),
        }
    }

    fn get(&mut self, key: &str) -> Option<(&'a Node, Pos)> {
        #[cfg(test)]
        ASKED.with(|a| a.borrow_mut().push(key.to_string()));
        let i = self.doc.entries.iter().position(|(k, _)| k == key)?;
        self.used[i] = true;
        Some((&self.doc.entries[i].1, self.doc.pos(key)))
    }

    /// Records a problem at the value of `key`.
    pub fn problem_at(&mut self, key: &str, problem: Problem) {
        let pos = self.doc.pos(key);
        let span = self
            .text
            .lines()
            .nth(pos.line.saturating_sub(1))
            .map_or(1, |l| {
                l.trim_end()
                    .chars()
                    .count()
                    .saturating_sub(pos.value_col - 1)
            });
        self.diags.push(
            Diagnostic::error(self.path, problem)
                .at(self.text, pos.line, pos.value_col)
                .with_span(span),
        );
    }

    /// Records a warning pointing at `key` itself.
    pub fn warning_at_key(&mut self, key: &str, problem: Problem) {
        let pos = self.doc.pos(key);
        self.diags.push(
            Diagnostic::warning(self.path, problem)
                .at(self.text, pos.line, pos.key_col)
                .with_span(key.chars().count()),
        );
    }

    fn missing(&mut self, key: &str) {
        self.diags.push(
            Diagnostic::error(self.path, Problem::MissingField { field: key.into() })
                .at(self.text, self.fence_line, 1)
                .with_span(3),
        );
    }

    /// A scalar as text. Empty text counts as absent.
    pub fn text(&mut self, key: &str) -> Option<String> {
        let (node, _) = self.get(key)?;
        match node {
            Node::Null => None,
            Node::Seq(_) | Node::Map(_) => {
                self.problem_at(
                    key,
                    Problem::WrongType {
                        field: key.into(),
                        expected: Expected::Text,
                    },
                );
                None
            }
            n => n
                .as_text()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        }
    }

    /// Like [`Fields::text`], but an empty text (`""`) is kept: it says something on purpose
    /// (`image_alt: ""`, a decorative picture).
    pub fn text_or_empty(&mut self, key: &str) -> Option<String> {
        let empty = matches!(self.get(key), Some((n, _)) if n.as_text().is_some_and(|t| t.trim().is_empty()));
        if empty {
            return Some(String::new());
        }
        self.text(key)
    }

    /// A URL, checked by the URL policy for `usage` ([`crate::urls::check`]). A refused URL is
    /// reported at its value and read as absent, so it can never reach the output.
    pub fn url(&mut self, key: &str, usage: crate::urls::Use) -> Option<String> {
        let v = self.text(key)?;
        match crate::urls::check(&v, usage) {
            Ok(()) => Some(v),
            Err(reason) => {
                let refused = crate::urls::Refused::new(key, &v, reason, usage);
                self.problem_at(key, Problem::UrlRefused(refused));
                None
            }
        }
    }

    pub fn req_text(&mut self, key: &str) -> Option<String> {
        let present = self.doc.entries.iter().any(|(k, _)| k == key);
        let v = self.text(key);
        if v.is_none() {
            if present {
                let had_type_error = self.diags.iter().any(
                    |d| matches!(&d.problem, Problem::WrongType { field, .. } if field == key),
                );
                if !had_type_error {
                    self.problem_at(key, Problem::EmptyValue { field: key.into() });
                }
            } else {
                self.missing(key);
            }
        }
        v
    }

    /// A list of texts; a single text is accepted as a one-item list.
    pub fn list(&mut self, key: &str) -> Vec<String> {
        let Some((node, _)) = self.get(key) else {
            return Vec::new();
        };
        match node {
            Node::Null => Vec::new(),
            Node::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (index, it) in items.iter().enumerate() {
                    match it {
                        Node::Null => {}
                        Node::Seq(_) | Node::Map(_) => {
                            let problem = Problem::WrongType {
                                field: key.into(),
                                expected: Expected::List,
                            };
                            self.problem_at_item(key, index, problem);
                            return Vec::new();
                        }
                        n => {
                            let s = n.as_text().unwrap_or_default();
                            let s = s.trim();
                            if !s.is_empty() && !out.iter().any(|x| x == s) {
                                out.push(s.to_string());
                            }
                        }
                    }
                }
                out
            }
            Node::Map(_) => {
                self.problem_at(
                    key,
                    Problem::WrongType {
                        field: key.into(),
                        expected: Expected::List,
                    },
                );
                Vec::new()
            }
            n => {
                let text = n.as_text().unwrap_or_default();
                let items = split_list(&text);
                if items.len() > 1 {
                    let canonical = format!("[{}]", items.join(", "));
                    let problem = Problem::Input(InputProblem::ListSplit {
                        field: key.into(),
                        canonical,
                    });
                    self.warning_at(key, problem);
                }
                items
            }
        }
    }

    /// Records a problem at the `index`-th item of the list `key`, or at the key's value when
    /// the item cannot be found in the text.
    fn problem_at_item(&mut self, key: &str, index: usize, problem: Problem) {
        match crate::yaml::item_pos(self.text, self.doc.pos(key), index) {
            Some((line, column)) => self
                .diags
                .push(Diagnostic::error(self.path, problem).at(self.text, line, column)),
            None => self.problem_at(key, problem),
        }
    }

    /// Records a warning at the value of `key`.
    fn warning_at(&mut self, key: &str, problem: Problem) {
        let pos = self.doc.pos(key);
        self.diags.push(Diagnostic::warning(self.path, problem).at(
            self.text,
            pos.line,
            pos.value_col,
        ));
    }

    /// A date or timestamp. `2026/4/1`, `2026年4月1日` and full-width digits are understood,
    /// with a warning that shows the canonical form.
    pub fn date(&mut self, key: &str) -> Option<DateTime> {
        let s = self.text(key)?;
        if let Some(d) = DateTime::parse(&s) {
            return Some(d);
        }
        match crate::date::lenient(&s) {
            Some((d, canonical)) => {
                let problem = Problem::Input(InputProblem::DateRewritten {
                    field: key.into(),
                    value: s,
                    canonical,
                });
                self.warning_at(key, problem);
                Some(d)
            }
            None => {
                self.problem_at(
                    key,
                    Problem::InvalidDate {
                        field: key.into(),
                        value: s,
                    },
                );
                None
            }
        }
    }

    pub fn req_date(&mut self, key: &str) -> Option<DateTime> {
        if !self.doc.entries.iter().any(|(k, _)| k == key) {
            self.missing(key);
            return None;
        }
        let d = self.date(key);
        if d.is_none() && !self.diags.iter().any(|d| d.line == self.doc.pos(key).line) {
            self.problem_at(key, Problem::EmptyValue { field: key.into() });
        }
        d
    }

    pub fn boolean(&mut self, key: &str) -> bool {
        match self.get(key) {
            None | Some((Node::Null, _)) => false,
            Some((Node::Bool(b), _)) => *b,
            Some(_) => {
                self.problem_at(
                    key,
                    Problem::WrongType {
                        field: key.into(),
                        expected: Expected::Bool,
                    },
                );
                false
            }
        }
    }

    pub fn integer(&mut self, key: &str) -> Option<i64> {
        match self.get(key) {
            None | Some((Node::Null, _)) => None,
            Some((Node::Int(i), _)) => Some(*i),
            Some(_) => {
                self.problem_at(
                    key,
                    Problem::WrongType {
                        field: key.into(),
                        expected: Expected::Integer,
                    },
                );
                None
            }
        }
    }

    /// One of a fixed set of values; `aliases` maps accepted spellings to the canonical value.
    pub fn choice(&mut self, key: &str, aliases: &[(&str, &'static str)]) -> Option<&'static str> {
        let v = self.text(key)?;
        let lower = v.to_lowercase();
        if let Some((_, canon)) = aliases.iter().find(|(a, _)| *a == lower || *a == v) {
            return Some(canon);
        }
        let mut allowed: Vec<String> = Vec::new();
        for (a, _) in aliases {
            if !allowed.iter().any(|x| x == a) {
                allowed.push((*a).to_string());
            }
        }
        let suggestion = did_you_mean(&v, aliases.iter().map(|(a, _)| *a));
        self.problem_at(
            key,
            Problem::InvalidChoice {
                field: key.into(),
                value: v,
                allowed,
                suggestion,
            },
        );
        None
    }

    /// A nested mapping (`markdown:` in site.yaml) as a document of its own, positions kept.
    pub fn sub(&mut self, key: &str) -> Option<Doc> {
        let (node, _) = self.get(key)?;
        match node {
            Node::Null => None,
            Node::Map(entries) => {
                let prefix = format!("{key}.");
                let positions = self
                    .doc
                    .positions
                    .iter()
                    .filter_map(|(k, p)| k.strip_prefix(&prefix).map(|s| (s.to_string(), *p)))
                    .collect();
                Some(Doc {
                    entries: entries.clone(),
                    positions,
                    first_line: self.doc.pos(key).line,
                })
            }
            _ => {
                self.problem_at(
                    key,
                    Problem::WrongType {
                        field: key.into(),
                        expected: Expected::Mapping,
                    },
                );
                None
            }
        }
    }

    /// The raw node of a key, for shapes the helpers above do not cover.
    pub fn node(&mut self, key: &str) -> Option<&'a Node> {
        self.get(key).map(|(n, _)| n)
    }

    /// Position of a key, for checks made after reading.
    pub fn pos(&self, key: &str) -> Pos {
        self.doc.pos(key)
    }

    /// Reports every key that was not read as unknown, with a suggestion from `known`. Past
    /// [`MAX_UNKNOWN_REPORTED`], one diagnostic counts the rest: a front matter with thousands
    /// of stray keys (another file pasted in) must stay fast and readable.
    pub fn finish(mut self, known: &[&str]) -> Vec<Diagnostic> {
        let unknown: Vec<&String> = (self.doc.entries.iter().zip(&self.used))
            .filter(|(_, used)| !**used)
            .map(|((key, _), _)| key)
            .collect();
        if let Some(first_unlisted) = unknown.get(MAX_UNKNOWN_REPORTED) {
            let pos = self.doc.pos(first_unlisted);
            self.diags.push(
                Diagnostic::error(
                    self.path,
                    Problem::Text(TextProblem::TooManyUnknownFields {
                        more: unknown.len() - MAX_UNKNOWN_REPORTED,
                    }),
                )
                .at(self.text, pos.line, pos.key_col)
                .with_span(first_unlisted.chars().count()),
            );
        }
        for key in unknown.into_iter().take(MAX_UNKNOWN_REPORTED) {
            let pos = self.doc.pos(key);
            let suggestion = did_you_mean(key, known.iter().copied());
            self.diags.push(
                Diagnostic::error(
                    self.path,
                    Problem::UnknownField {
                        field: key.clone(),
                        suggestion,
                    },
                )
                .at(self.text, pos.line, pos.key_col)
                .with_span(key.chars().count()),
            );
        }
        self.diags
    }
}
