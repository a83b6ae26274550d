//! The visible fields of a form: the defaults every form starts with, and `fields:` of a handler,
//! which changes them or adds to them, one item at a time.

use super::names::FieldKind;
use crate::diagnostics::{Diagnostic, Expected, Problem};
use crate::fields::Fields;
use crate::messages::Text;
use crate::strings::Strings;
use crate::suggest::did_you_mean;
use crate::yaml::{Doc, Node};
use std::path::Path;

/// The keys of one `fields:` item.
const KNOWN: [&str; 6] = [
    "name",
    "label",
    "type",
    "required",
    "autocomplete",
    "options",
];

/// One visible field of a form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Field {
    pub name: String,
    /// What staff wrote (`fields[].label`), or the name of a field `fields:` adds. `None` on a
    /// field every form has, until the form is viewed: then the theme's text for it
    /// (`form_field_<name>` in strings.yaml) is filled in, so the template always gets a text.
    pub label: Option<String>,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    pub required: bool,
    pub autocomplete: Option<String>,
    pub options: Vec<String>,
    /// The name the field is posted under (a Google Forms `entry.N`, else `name`).
    pub post_name: String,
}

impl Field {
    /// A field as `fields:` adds it before saying more: optional text, labelled with its name.
    fn new(name: &str) -> Field {
        Field {
            name: name.into(),
            label: Some(name.into()),
            kind: FieldKind::Text,
            required: false,
            autocomplete: None,
            options: Vec::new(),
            post_name: name.into(),
        }
    }
}

/// The fields every form starts with; `fields:` in a handler changes or adds to them. Their
/// labels come from the theme when the form is viewed ([`Field::label`]).
pub fn default_fields() -> Vec<Field> {
    let f = |name: &str, kind, required, ac: Option<&str>| Field {
        label: None,
        kind,
        required,
        autocomplete: ac.map(Into::into),
        ..Field::new(name)
    };
    vec![
        f("name", FieldKind::Text, true, Some("name")),
        f("email", FieldKind::Email, true, Some("email")),
        f("organization", FieldKind::Text, false, Some("organization")),
        f("message", FieldKind::Textarea, true, None),
    ]
}

impl Field {
    /// The field with its label as visitors read it: staff's, else the theme's text for a
    /// field every form has (else its name, which a field `fields:` adds always has).
    pub(super) fn labelled(&self, strings: &Strings) -> Field {
        let label = self.label.clone().unwrap_or_else(|| {
            let text = match self.name.as_str() {
                "name" => &strings.form_field_name,
                "email" => &strings.form_field_email,
                "organization" => &strings.form_field_organization,
                "message" => &strings.form_field_message,
                _ => &self.name,
            };
            text.clone()
        });
        Field {
            label: Some(label),
            ..self.clone()
        }
    }
}

/// Where a handler is written: its document, the whole site.yaml and its path.
pub(super) type At<'a> = (&'a Doc, &'a str, &'a Path);

/// The fields of a handler: the defaults, changed or extended by `fields:` (a list of mappings).
pub(super) fn read(f: &mut Fields<'_>, at: At<'_>) -> Vec<Field> {
    let mut fields = default_fields();
    match f.node("fields") {
        Some(Node::Seq(items)) => {
            // The YAML tree has no positions for items: the n-th `name:` key of the list is
            // found in the text, so count the items that have one.
            let mut named = 0;
            for item in items {
                read_item(f, at, named, item, &mut fields);
                named +=
                    usize::from(matches!(item, Node::Map(m) if m.iter().any(|(k, _)| k == "name")));
            }
        }
        Some(_) => f.problem_at(
            "fields",
            Problem::WrongType {
                field: "fields".into(),
                expected: Expected::List,
            },
        ),
        None => {}
    }
    fields
}

/// One item of `fields:`: a new field (before the message) or changes to the one of its name;
/// `named` items before it have a `name:` key.
fn read_item(f: &mut Fields<'_>, at: At<'_>, named: usize, item: &Node, fields: &mut Vec<Field>) {
    let Node::Map(m) = item else {
        let expected = Expected::Mapping;
        let field = "fields".into();
        return f.problem_at("fields", Problem::WrongType { field, expected });
    };
    let get = |k: &str| m.iter().find(|(x, _)| x == k).map(|(_, v)| v);
    let Some(name) = get("name").and_then(Node::as_text) else {
        let field = "fields[].name".into();
        return f.problem_at("fields", Problem::MissingField { field });
    };
    for (k, _) in m.iter().filter(|(k, _)| !KNOWN.contains(&k.as_str())) {
        let suggestion = did_you_mean(k, KNOWN);
        let field = format!("fields[].{k}");
        f.problem_at("fields", Problem::UnknownField { field, suggestion });
    }
    if !usable_name(f, at, named, &name) {
        return;
    }
    let at = match fields.iter().position(|x| x.name == name) {
        Some(at) => at,
        None => {
            // New fields go before the message.
            let at = (fields.iter().position(|x| x.name == "message")).unwrap_or(fields.len());
            fields.insert(at, Field::new(&name));
            at
        }
    };
    apply(f, &mut fields[at], get);
}

/// Letters, digits and `_`, and no name our form or a provider uses; reported when not (a
/// reserved name at the `named`-th `name:` of the list).
fn usable_name(f: &mut Fields<'_>, at: At<'_>, named: usize, name: &str) -> bool {
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        f.problem_at(
            "fields",
            Problem::InvalidSiteValue {
                field: "fields[].name".into(),
                value: name.into(),
                why: Text::new("why-form-field-name"),
            },
        );
        return false;
    }
    !reserved(f, at, named, name)
}

/// Reports a field named like one our form or the provider uses, at the `named`-th `name:` of
/// the list (see [`super::reserved::reserved_field_name`]); true when it was reported.
fn reserved(f: &mut Fields<'_>, at: At<'_>, named: usize, name: &str) -> bool {
    let (doc, text, file) = at;
    let Some(owner) = super::reserved::reserved_field_name(name) else {
        return false;
    };
    let problem = crate::diagnostics::ConfigProblem::ReservedFieldName {
        name: name.into(),
        owner,
    };
    let list = doc.pos("fields");
    let (line, col) = crate::yaml::nth_value_pos(text, list, "name", named)
        .unwrap_or((list.line, list.value_col));
    f.diags
        .push(Diagnostic::error(file, Problem::Config(problem)).at(text, line, col));
    true
}

/// What an item says about its field: label, type, required, autocomplete, options.
fn apply<'n>(f: &mut Fields<'_>, field: &mut Field, get: impl Fn(&str) -> Option<&'n Node>) {
    if let Some(l) = get("label").and_then(Node::as_text) {
        field.label = Some(l);
    }
    if let Some(t) = get("type").and_then(Node::as_text) {
        match FieldKind::from_name(&t) {
            Some(kind) => field.kind = kind,
            None => f.problem_at(
                "fields",
                Problem::InvalidChoice {
                    field: "fields[].type".into(),
                    suggestion: did_you_mean(&t, FieldKind::names()),
                    value: t,
                    allowed: FieldKind::names().map(String::from).collect(),
                },
            ),
        }
    }
    if let Some(Node::Bool(b)) = get("required") {
        field.required = *b;
    }
    if let Some(a) = get("autocomplete").and_then(Node::as_text) {
        field.autocomplete = Some(a);
    }
    if let Some(Node::Seq(opts)) = get("options") {
        field.options = opts.iter().filter_map(Node::as_text).collect();
    }
    if field.kind == FieldKind::Select && field.options.is_empty() {
        let name = &field.name;
        f.problem_at(
            "fields",
            Problem::MissingField {
                field: format!("fields[{name}].options"),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_fields(yaml: &str) -> (Vec<Field>, Vec<Diagnostic>) {
        let doc = crate::yaml::parse_mapping(yaml, 1).expect("yaml");
        let file = Path::new("site.yaml");
        let mut f = Fields::new(&doc, yaml, file, 1);
        let fields = read(&mut f, (&doc, yaml, file));
        (fields, f.diags)
    }

    fn names(fields: &[Field]) -> Vec<&str> {
        fields.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn without_fields_a_form_has_the_defaults() {
        let (fields, d) = read_fields("provider: generic\n");
        assert_eq!(fields, default_fields());
        assert_eq!(names(&fields), ["name", "email", "organization", "message"]);
        assert!(d.is_empty());
    }

    #[test]
    fn items_change_defaults_and_add_fields_before_the_message() {
        let yaml = "fields:\n  - { name: organization, required: true }\n  - { name: phone, label: 電話番号, type: tel, autocomplete: tel }\n  - { name: topic, type: select, options: [移住, 仕事] }\n";
        let (fields, d) = read_fields(yaml);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            names(&fields),
            ["name", "email", "organization", "phone", "topic", "message"]
        );
        assert!(fields[2].required);
        assert_eq!(fields[3].label.as_deref(), Some("電話番号"));
        assert_eq!(fields[4].label.as_deref(), Some("topic"));
        assert_eq!(fields[3].kind, FieldKind::Tel);
        assert_eq!(fields[3].autocomplete.as_deref(), Some("tel"));
        assert_eq!(fields[4].options, ["移住", "仕事"]);
        assert_eq!(fields[4].post_name, "topic");
    }

    #[test]
    fn default_labels_come_from_the_theme_and_staff_labels_win() {
        let (fields, _) = read_fields("fields:\n  - { name: email, label: 連絡先 }\n");
        let mut strings = crate::theme::default_strings();
        strings.form_field_name = "Name".into();
        strings.form_field_email = "E-mail".into();
        let labels: Vec<_> = fields.iter().map(|f| f.labelled(&strings).label).collect();
        let labels: Vec<_> = labels.iter().map(|l| l.as_deref().unwrap()).collect();
        assert_eq!(
            labels,
            [
                "Name",
                "連絡先",
                "ご所属（会社・団体名など）",
                "お問い合わせ内容"
            ]
        );
    }

    #[test]
    fn bad_items_are_reported_and_skipped() {
        let yaml = "fields:\n  - phone\n  - { label: x }\n  - { name: 'a b' }\n  - { name: consent }\n  - { name: x, type: phone, colour: red }\n  - { name: y, type: select }\n";
        let (fields, d) = read_fields(yaml);
        let problems: Vec<String> = d
            .iter()
            .map(|d| match &d.problem {
                Problem::WrongType { field, .. } => format!("type {field}"),
                Problem::MissingField { field } => format!("missing {field}"),
                Problem::InvalidSiteValue { field, value, .. } => format!("value {field}={value}"),
                Problem::Config(_) => "reserved".into(),
                Problem::UnknownField { field, suggestion } => {
                    format!("unknown {field} {suggestion:?}")
                }
                Problem::InvalidChoice {
                    field, suggestion, ..
                } => format!("choice {field} {suggestion:?}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            problems,
            [
                "type fields",
                "missing fields[].name",
                "value fields[].name=a b",
                "reserved",
                "unknown fields[].colour None",
                "choice fields[].type None",
                "missing fields[y].options",
            ]
        );
        // `consent` is reported at its own `name:` (line 5, although items before it have
        // none), the others at `fields:`.
        assert_eq!((d[3].line, d[3].column), (5, 13));
        assert_eq!(d[0].line, 1);
        assert_eq!(
            names(&fields),
            ["name", "email", "organization", "x", "y", "message"]
        );
    }

    #[test]
    fn fields_that_are_not_a_list_are_reported() {
        let (fields, d) = read_fields("fields: phone\n");
        assert_eq!(fields, default_fields());
        assert!(matches!(
            &d[..],
            [x] if matches!(x.problem, Problem::WrongType { expected: Expected::List, .. })
        ));
    }
}
