//! Messages of `Problem::Strings`: a theme's or site's `strings.yaml` value that cannot be used.

pub fn message(p: &crate::strings::StringsProblem, ja: bool) -> String {
    use crate::strings::StringsProblem::*;
    match p {
        UnknownPlaceholder { key, name, .. } if ja => {
            format!("「{key}」の文に {{{name}}} は使えません")
        }
        UnknownPlaceholder { key, name, .. } => format!("`{key}` cannot use {{{name}}}"),
        Weekdays if ja => "「weekdays」は日曜日から始まる 7 つの曜日のリストにしてください".into(),
        Weekdays => "`weekdays` must be a list of seven days, Sunday first".into(),
    }
}

pub fn help(p: &crate::strings::StringsProblem, ja: bool) -> String {
    use crate::strings::StringsProblem::*;
    match p {
        UnknownPlaceholder { allowed, .. } if allowed.is_empty() => {
            if ja {
                "この文に差し込める名前はありません。{ } を外してください".into()
            } else {
                "this text takes no placeholders: remove the { }".into()
            }
        }
        UnknownPlaceholder { allowed, .. } => {
            let list: Vec<String> = allowed.iter().map(|a| format!("{{{a}}}")).collect();
            if ja {
                format!("使える名前: {}", list.join("、"))
            } else {
                format!("it takes: {}", list.join(", "))
            }
        }
        Weekdays if ja => "例: weekdays: [日, 月, 火, 水, 木, 金, 土]".into(),
        Weekdays => "e.g. weekdays: [Sun, Mon, Tue, Wed, Thu, Fri, Sat]".into(),
    }
}
