//! Google Forms: a Google form takes only its own field ids (`entry.N`), so `entries:` maps each
//! of our fields (and the hidden ones we send) to one, and a link can prefill them.

use super::fields::Field;
use crate::diagnostics::Problem;
use crate::fields::Fields;
use crate::messages::Text;
use crate::yaml::Node;
use std::collections::BTreeMap;

/// Reads `entries:` (our field → `entry.N`); every handler may have it, only Google Forms uses it.
pub(super) fn read_entries(f: &mut Fields<'_>) -> BTreeMap<String, String> {
    let mut entries = BTreeMap::new();
    if let Some(Node::Map(m)) = f.node("entries") {
        for (k, v) in m {
            if let Some(v) = v.as_text() {
                entries.insert(k.clone(), v);
            }
        }
    }
    entries
}

/// Posts every field under its entry: a required field without one is reported, an optional one
/// dropped (it could not be posted); every entry must be a distinct `entry.N`.
pub(super) fn map_fields(
    f: &mut Fields<'_>,
    fields: &mut Vec<Field>,
    entries: &BTreeMap<String, String>,
) {
    for field in fields.iter_mut() {
        match entries.get(&field.name) {
            Some(e) => field.post_name = e.clone(),
            None if field.required => f.problem_at(
                "entries",
                Problem::MissingFormEntry {
                    field: field.name.clone(),
                },
            ),
            None => {}
        }
    }
    fields.retain(|x| entries.contains_key(&x.name));
    for (k, v) in entries {
        if !valid_entry(entries, v) {
            f.problem_at(
                "entries",
                Problem::InvalidSiteValue {
                    field: format!("entries.{k}"),
                    value: v.clone(),
                    why: Text::new("why-form-entry"),
                },
            );
        }
    }
}

/// A Google Forms `entry.N` (digits), used by one field only: it becomes a `name` attribute.
fn valid_entry(entries: &BTreeMap<String, String>, v: &str) -> bool {
    let digits = v.strip_prefix("entry.").unwrap_or("");
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && entries.values().filter(|x| *x == v).count() == 1
}

/// The form's page with `hidden` filled in (Google's `usp=pp_url` prefill).
pub(super) fn prefilled(action: &str, hidden: &[(String, String)]) -> String {
    let mut u = format!("{action}?usp=pp_url");
    for (k, v) in hidden {
        u.push_str(&format!("&{}={}", percent_encode(k), percent_encode(v)));
    }
    u
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use std::path::Path;

    fn map(yaml: &str) -> (Vec<Field>, Vec<Diagnostic>) {
        let doc = crate::yaml::parse_mapping(yaml, 1).expect("yaml");
        let mut f = Fields::new(&doc, yaml, Path::new("site.yaml"), 1);
        let entries = read_entries(&mut f);
        let mut fields = super::super::fields::default_fields();
        map_fields(&mut f, &mut fields, &entries);
        (fields, f.diags)
    }

    #[test]
    fn percent_encoding_is_utf8() {
        assert_eq!(percent_encode("課題 a&b"), "%E8%AA%B2%E9%A1%8C%20a%26b");
    }

    #[test]
    fn mapped_fields_post_under_their_entry_and_unmapped_optional_ones_are_dropped() {
        let (fields, d) =
            map("entries:\n  name: entry.1\n  email: entry.2\n  message: entry.3\n  challenge: entry.9\n");
        assert!(d.is_empty(), "{d:?}");
        let posted: Vec<_> = fields
            .iter()
            .map(|f| (f.name.as_str(), f.post_name.as_str()))
            .collect();
        assert_eq!(
            posted,
            [
                ("name", "entry.1"),
                ("email", "entry.2"),
                ("message", "entry.3")
            ]
        );
    }

    #[test]
    fn a_required_field_without_entry_and_bad_or_shared_entries_are_reported() {
        let (_, d) = map("entries:\n  name: entry.1\n  email: entry.1\n  organization: '42'\n");
        let problems: Vec<String> = d
            .iter()
            .map(|d| match &d.problem {
                Problem::MissingFormEntry { field } => format!("entries.{field}"),
                Problem::InvalidSiteValue { field, value, .. } => format!("{field}={value}"),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            problems,
            [
                "entries.message",
                "entries.email=entry.1",
                "entries.name=entry.1",
                "entries.organization=42",
            ]
        );
        assert!(d.iter().all(|d| d.line == 1));
    }

    #[test]
    fn a_prefilled_link_encodes_names_and_values() {
        let hidden = [("entry.9".to_string(), "空き家 & 移住".to_string())];
        assert_eq!(
            prefilled("https://docs.google.com/forms/d/e/X/viewform", &hidden),
            "https://docs.google.com/forms/d/e/X/viewform?usp=pp_url&entry.9=%E7%A9%BA%E3%81%8D%E5%AE%B6%20%26%20%E7%A7%BB%E4%BD%8F"
        );
    }
}
