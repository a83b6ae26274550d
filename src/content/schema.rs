//! The front-matter schema of every content kind as data: which keys a kind accepts, in the
//! order the reader reads them, what type each value has and which are required.
//!
//! Two readers share it: `content` (the keys a file may use, for "did you mean", and whether
//! `title` and `date` are required) and `cms` (the web editor's fields). The tests below parse a
//! file of every kind written from this table, so the reader and the table cannot drift apart:
//! a key the reader reads is in the table, a key in the table is read, and the required flags
//! match the reader's "missing field" errors.

use super::{Kind, Role};

/// What a value is, as far as the web editor and the checks need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// One line of text.
    Text,
    /// A date (or date and time).
    Date,
    Boolean,
    /// A list of texts (a single text is read as a one-item list).
    List,
    Integer,
    /// An image path or URL (`urls::Use::Image`).
    Image,
    /// A full `https://` URL (`urls::Use::Website`).
    Website,
    /// One of the 47 prefectures (`japan::PREFECTURES`).
    Prefecture,
    /// `WorkStyle::ALIASES`.
    WorkStyle,
    /// `DeclaredStatus::ALIASES`.
    Status,
    /// `form:` — a handler name of `site.yaml`, or `false`.
    Form,
    /// `layout:` — a template name (`accessibility`).
    Layout,
}

/// One front-matter key of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub ty: Type,
    pub required: bool,
}

const fn opt(key: &'static str, ty: Type) -> Field {
    Field {
        key,
        ty,
        required: false,
    }
}

const fn req(key: &'static str, ty: Type) -> Field {
    Field {
        key,
        ty,
        required: true,
    }
}

/// Read by every kind after its own fields.
const TAIL: [Field; 5] = [
    opt("updated", Type::Date),
    opt("draft", Type::Boolean),
    opt("image", Type::Image),
    opt("image_alt", Type::Text),
    opt("tags", Type::List),
];

const CHALLENGE: [Field; 17] = [
    req("title", Type::Text),
    opt("summary", Type::Text),
    req("date", Type::Date),
    req("municipality", Type::Text),
    req("prefecture", Type::Prefecture),
    opt("organization", Type::Text),
    opt("themes", Type::List),
    opt("work_style", Type::WorkStyle),
    opt("engagement", Type::List),
    opt("reward", Type::Text),
    opt("duration", Type::Text),
    opt("visits", Type::Text),
    opt("capacity", Type::Text),
    opt("deadline", Type::Date),
    opt("status", Type::Status),
    opt("skills", Type::List),
    opt("form", Type::Form),
];

const CASE: [Field; 7] = [
    req("title", Type::Text),
    opt("summary", Type::Text),
    req("date", Type::Date),
    req("municipality", Type::Text),
    req("prefecture", Type::Prefecture),
    opt("themes", Type::List),
    opt("challenges", Type::List),
];

const COLUMN: [Field; 4] = [
    req("title", Type::Text),
    opt("summary", Type::Text),
    req("date", Type::Date),
    opt("author", Type::Text),
];

const PAGE: [Field; 6] = [
    req("title", Type::Text),
    opt("summary", Type::Text),
    opt("date", Type::Date),
    opt("form", Type::Form),
    opt("weight", Type::Integer),
    opt("layout", Type::Layout),
];

const PROFILE: [Field; 7] = [
    opt("title", Type::Text),
    opt("summary", Type::Text),
    opt("date", Type::Date),
    req("municipality", Type::Text),
    req("prefecture", Type::Prefecture),
    opt("website", Type::Website),
    opt("contact", Type::Text),
];

/// `_index.md` of the home page or a section.
const INDEX: [Field; 3] = [
    opt("title", Type::Text),
    opt("summary", Type::Text),
    opt("date", Type::Date),
];

/// The fields of a file of `role`, its own first, then the ones every kind has.
pub fn fields(role: Role) -> impl Iterator<Item = Field> {
    let own: &'static [Field] = match role {
        Role::Home | Role::Section(_) => &INDEX,
        Role::Page(Kind::Challenge) => &CHALLENGE,
        Role::Page(Kind::Case) => &CASE,
        Role::Page(Kind::Column) => &COLUMN,
        Role::Page(Kind::Page) => &PAGE,
        Role::Page(Kind::Municipality) => &PROFILE,
    };
    own.iter().chain(TAIL.iter()).copied()
}

/// The keys a file of `role` may use (for "did you mean").
pub fn keys(role: Role) -> Vec<&'static str> {
    fields(role).map(|f| f.key).collect()
}

/// Whether `key` is required in a file of `role`.
pub fn required(role: Role, key: &str) -> bool {
    fields(role).any(|f| f.key == key && f.required)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Problem, Severity};

    const ROLES: [Role; 7] = [
        Role::Home,
        Role::Section(Kind::Challenge),
        Role::Page(Kind::Challenge),
        Role::Page(Kind::Case),
        Role::Page(Kind::Column),
        Role::Page(Kind::Page),
        Role::Page(Kind::Municipality),
    ];

    /// A valid value of each type, as front matter.
    fn sample(ty: Type) -> &'static str {
        match ty {
            Type::Text => "テスト",
            Type::Date => "2026-04-01",
            Type::Boolean => "false",
            Type::List => "[観光, 農業]",
            Type::Integer => "3",
            Type::Image => "/images/photo.jpg",
            Type::Website => "https://www.example.jp/",
            Type::Prefecture => "新潟県",
            Type::WorkStyle => "remote",
            Type::Status => "open",
            Type::Form => "contact",
            Type::Layout => "accessibility",
        }
    }

    /// Parses a file of `role` with every field of the table but `leave_out`, recording every
    /// key the reader asked for.
    fn parse_without(
        role: Role,
        leave_out: &str,
    ) -> (Vec<String>, Vec<crate::diagnostics::Diagnostic>) {
        let mut text = String::from("---\n");
        for f in fields(role).filter(|f| f.key != leave_out) {
            text.push_str(&format!("{}: {}\n", f.key, sample(f.ty)));
        }
        text.push_str("---\n本文\n");
        let entry = super::super::Entry {
            rel: "content/x.md".into(),
            role,
            slug: "x".into(),
            bundle: None,
            assets: vec![],
        };
        let (source, diags) = super::super::parse_source(entry, text);
        assert!(source.is_some(), "{role:?}: {diags:?}");
        (crate::fields::take_asked(), diags)
    }

    #[test]
    fn the_reader_reads_exactly_the_keys_of_the_table() {
        for role in ROLES {
            let (mut asked, diags) = parse_without(role, "");
            let errors: Vec<_> = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            assert!(
                errors.is_empty(),
                "{role:?}: every table key is accepted: {errors:?}"
            );
            asked.sort();
            asked.dedup();
            let mut table: Vec<String> = keys(role).into_iter().map(String::from).collect();
            table.sort();
            assert_eq!(asked, table, "{role:?}: keys the reader reads vs the table");
        }
    }

    #[test]
    fn required_flags_are_the_readers() {
        for role in ROLES {
            for f in fields(role) {
                let (_, diags) = parse_without(role, f.key);
                let missing = diags.iter().any(
                    |d| matches!(&d.problem, Problem::MissingField { field } if field == f.key),
                );
                assert_eq!(missing, f.required, "{role:?} `{}`", f.key);
            }
        }
    }
}
