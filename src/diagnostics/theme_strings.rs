//! Messages of `Problem::Strings`: a theme's or site's `strings.yaml` value that cannot be used
//! (`crate::strings` finds them; their texts are the catalogue's).

use super::Lang;
use crate::msg;
use crate::strings::StringsProblem;

pub fn message(p: &StringsProblem, lang: Lang) -> String {
    match p {
        StringsProblem::UnknownPlaceholder { key, name, .. } => {
            msg!(lang, "strings-unknown-placeholder", key = key, name = name)
        }
        StringsProblem::Weekdays => msg!(lang, "strings-weekdays"),
    }
}

pub fn help(p: &StringsProblem, lang: Lang) -> String {
    match p {
        StringsProblem::UnknownPlaceholder { allowed, .. } if allowed.is_empty() => {
            msg!(lang, "strings-no-placeholder-help")
        }
        StringsProblem::UnknownPlaceholder { allowed, .. } => {
            let list: Vec<String> = allowed.iter().map(|a| format!("{{{a}}}")).collect();
            let list = list.join(&msg!(lang, "strings-list-separator"));
            msg!(lang, "strings-placeholders-help", allowed = list)
        }
        StringsProblem::Weekdays => msg!(lang, "strings-weekdays-help"),
    }
}
