//! Messages and help for forgiving input: the common slips of staff who type front matter with a
//! Japanese input method (full-width colon, a missing space, `、` between list items, dates as
//! `2026/4/1`), either understood with a warning that shows the canonical form, or refused at
//! the line with a hint. Kept beside `diagnostics` so its two big matches only delegate here.

use super::Lang;
use crate::msg;

/// A slip in front matter (carried by `Problem::Input`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {
    /// `title：値`: a full-width colon after a key (an error; YAML cannot read the line).
    FullWidthColon { key: String, canonical: String },
    /// `title:値`: no space after the colon of a key (an error; YAML reads it as text).
    NoSpaceAfterColon { key: String, canonical: String },
    /// `themes: 観光、移住`: one text split at `、` `・` `，` into a list (a warning).
    ListSplit { field: String, canonical: String },
    /// `2026/4/1`, `2026年4月1日`, `２０２６-０４-０１`: a date understood (a warning).
    DateRewritten {
        field: String,
        value: String,
        canonical: String,
    },
    /// A deadline before the page's own `date` (a warning).
    DeadlineBeforeDate { deadline: String, date: String },
    /// A deadline more than two years after the build date (a warning).
    DeadlineFarAhead { deadline: String, today: String },
}

impl InputProblem {
    /// One sentence: what is wrong.
    pub fn message(&self, lang: Lang) -> String {
        use InputProblem::*;
        match self {
            FullWidthColon { key, .. } => msg!(lang, "full-width-colon", key = key),
            NoSpaceAfterColon { key, .. } => msg!(lang, "no-space-after-colon", key = key),
            ListSplit { field, canonical } => {
                msg!(lang, "list-split", field = field, canonical = canonical)
            }
            DateRewritten {
                field,
                value,
                canonical,
            } => msg!(
                lang,
                "date-rewritten",
                field = field,
                value = value,
                canonical = canonical
            ),
            DeadlineBeforeDate { deadline, date } => {
                msg!(
                    lang,
                    "deadline-before-date",
                    deadline = deadline,
                    date = date
                )
            }
            DeadlineFarAhead { deadline, today } => {
                msg!(
                    lang,
                    "deadline-far-ahead",
                    deadline = deadline,
                    today = today
                )
            }
        }
    }

    /// How to fix it.
    pub fn help(&self, lang: Lang) -> String {
        use InputProblem::*;
        match self {
            FullWidthColon { canonical, .. } => {
                msg!(lang, "full-width-colon-help", canonical = canonical)
            }
            NoSpaceAfterColon { canonical, .. } => {
                msg!(lang, "no-space-after-colon-help", canonical = canonical)
            }
            ListSplit { canonical, field } => {
                msg!(
                    lang,
                    "list-split-help",
                    canonical = canonical,
                    field = field
                )
            }
            DateRewritten { canonical, .. } => {
                msg!(lang, "date-rewritten-help", canonical = canonical)
            }
            DeadlineBeforeDate { .. } => msg!(lang, "deadline-before-date-help"),
            DeadlineFarAhead { .. } => msg!(lang, "deadline-far-ahead-help"),
        }
    }
}
