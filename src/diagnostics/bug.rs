//! The texts of [`super::Problem::Bug`]: a panic inside tsunagari, caught by the dev server.

use super::Lang;
use crate::msg;

pub(super) fn bug_message(lang: Lang, message: &str, during: &str) -> String {
    if during.is_empty() {
        msg!(lang, "bug", message = message)
    } else {
        msg!(lang, "bug-during", during = during, message = message)
    }
}
