//! The one message catalogue: every text tsunagari writes for people (the message and help of
//! every [`crate::diagnostics::Problem`], and every line the command line prints) lives in
//! `catalogue.yaml`, in Japanese and English, with named placeholders (`{file}`, `{errors}`).
//! Code asks for a text by id through [`msg!`](crate::msg) or an owned [`Text`]; nothing else
//! builds Japanese or English sentences.
//!
//! The catalogue is YAML so staff and translators can review it as they review front matter:
//! one id per entry, `ja` and `en` side by side. `{{` and `}}` are literal braces. It is parsed
//! once, on first use. Tests (below, and `tests/integration/messages.rs`) hold it complete: every
//! id has both languages with the same placeholders, every id the code names exists with the
//! arguments it needs, no entry is unused, and English output holds no Japanese of our own.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::{Display, Write as _};
use std::sync::LazyLock;

/// Language of messages for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

#[cfg(test)]
mod tests;

/// Marks placed around every argument while [`marking`] runs, so a test can tell the values
/// that came from the site (which may be Japanese) from the text of the catalogue.
pub const MARK_OPEN: char = '\u{E000}';
pub const MARK_CLOSE: char = '\u{E001}';

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Lit(String),
    Arg(String),
}

/// One text in one language, split at its placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Template(Vec<Piece>);

impl Template {
    fn parse(src: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut lit = String::new();
        let mut chars = src.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    {
                        return Err(format!("placeholder {{{name}}} (write {{{{ for a brace)"));
                    }
                    if !lit.is_empty() {
                        pieces.push(Piece::Lit(std::mem::take(&mut lit)));
                    }
                    pieces.push(Piece::Arg(name));
                }
                '}' => return Err("a lone } (write }} for a brace)".into()),
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            pieces.push(Piece::Lit(lit));
        }
        Ok(Template(pieces))
    }

    #[cfg(test)]
    fn placeholders(&self) -> std::collections::BTreeSet<&str> {
        self.0
            .iter()
            .filter_map(|p| match p {
                Piece::Arg(a) => Some(a.as_str()),
                Piece::Lit(_) => None,
            })
            .collect()
    }

    #[cfg(test)]
    fn literal_text(&self) -> String {
        self.0
            .iter()
            .filter_map(|p| match p {
                Piece::Lit(l) => Some(l.as_str()),
                Piece::Arg(_) => None,
            })
            .collect()
    }
}

mod table {
    include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
}

/// Every message, by id.
pub struct Catalogue {
    entries: BTreeMap<String, [Template; 2]>,
}

impl Catalogue {
    fn parse(table: &[(&str, &str, &str)]) -> Result<Catalogue, String> {
        let mut entries = BTreeMap::new();
        for &(id, ja, en) in table {
            let ja = Template::parse(ja).map_err(|m| format!("{id}.ja: {m}"))?;
            let en = Template::parse(en).map_err(|m| format!("{id}.en: {m}"))?;
            entries.insert(id.to_string(), [ja, en]);
        }
        Ok(Catalogue { entries })
    }

    fn get(&self, id: &str, lang: Lang) -> Option<&Template> {
        let [ja, en] = self.entries.get(id)?;
        Some(if lang == Lang::Ja { ja } else { en })
    }
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    Catalogue::parse(table::CATALOGUE)
        .unwrap_or_else(|e| panic!("src/messages/catalogue.yaml: {e}"))
});

thread_local! {
    static MARKING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with every argument of every text made on this thread put between [`MARK_OPEN`]
/// and [`MARK_CLOSE`] (for tests that check where the words of a message come from).
#[doc(hidden)]
pub fn marking<R>(f: impl FnOnce() -> R) -> R {
    let before = MARKING.with(|m| m.replace(true));
    let r = f();
    MARKING.with(|m| m.set(before));
    r
}

/// A value from the site (a path, a name) put into a line that is not itself a message; marked
/// like an argument while [`marking`] runs.
pub fn value(v: impl Display) -> String {
    if MARKING.with(Cell::get) {
        format!("{MARK_OPEN}{v}{MARK_CLOSE}")
    } else {
        v.to_string()
    }
}

/// The text `id` in `lang` with its placeholders filled from `args`. An id missing from the
/// catalogue gives the id itself and a missing argument its `{name}` (the tests forbid both,
/// but a message must never stop a build).
pub fn text(lang: Lang, id: &str, args: &[(&str, &dyn Display)]) -> String {
    let Some(t) = CATALOGUE.get(id, lang) else {
        return id.to_string();
    };
    let mark = MARKING.with(Cell::get);
    let mut out = String::new();
    for p in &t.0 {
        match p {
            Piece::Lit(l) => out.push_str(l),
            Piece::Arg(a) => match args.iter().find(|(k, _)| k == a) {
                Some((_, v)) if mark => {
                    let _ = write!(out, "{MARK_OPEN}{v}{MARK_CLOSE}");
                }
                Some((_, v)) => {
                    let _ = write!(out, "{v}");
                }
                None => {
                    let _ = write!(out, "{{{a}}}");
                }
            },
        }
    }
    out
}

/// `msg!(lang, "id", name = value, …)`: the catalogue's text `id` in `lang`, with each
/// `{name}` filled by `value` (anything `Display`).
#[macro_export]
macro_rules! msg {
    ($lang:expr, $id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        $crate::messages::text(
            $lang,
            $id,
            &[$((stringify!($k), &$v as &dyn ::std::fmt::Display)),*],
        )
    };
}

/// A text chosen now and written later, in the language of whoever prints it (for errors that
/// travel up to the command line, such as [`crate::pipeline::Failure`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    id: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Text {
    pub fn new(id: &'static str) -> Text {
        Text {
            id,
            args: Vec::new(),
        }
    }

    /// Fills `{name}` with `value`.
    pub fn arg(mut self, name: &'static str, value: impl Display) -> Text {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn id(&self) -> &'static str {
        self.id
    }

    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, &dyn Display)> = self
            .args
            .iter()
            .map(|(k, v)| (*k, v as &dyn Display))
            .collect();
        text(lang, self.id, &args)
    }
}
