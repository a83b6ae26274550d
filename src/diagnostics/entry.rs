//! Messages for files and folders a walk could not use (see `crate::walk`), and for output
//! folders that are refused. Kept apart from the big `Problem` match so that area's texts
//! live together.

use super::Lang;
use crate::msg;

/// Why a file or folder under `content/` or `static/` was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryIssue {
    /// Permissions (or a vanished entry): the folder cannot be listed, the file cannot be opened.
    Unreadable { detail: String, folder: bool },
    /// A symbolic link whose target does not exist.
    BrokenLink { target: String },
    /// A symbolic link that leads outside the site folder; never followed.
    LinkOutside { target: String },
    /// A link to a folder that contains it (or one already being walked).
    LinkLoop { target: String },
    /// A FIFO, socket or device: not a file that can be published.
    Special { kind: &'static str },
    /// The output folder (or what a build keeps beside it) or `.git`, reached through a link
    /// or found in place: never read as a source.
    Fenced { target: String, place: Fenced },
    /// A name that cannot be published portably (a `\`, `:`, control character, a name Windows
    /// reserves…); `rename` is a name that would do.
    BadName { fault: NameFault, rename: String },
}

/// What is wrong with a file or folder name (see `crate::walk`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameFault {
    /// A character Windows, URLs or static hosts cannot take in a file name.
    Char(char),
    /// Bytes that are not UTF-8: the name cannot be written in a URL as it is.
    NotUtf8,
    /// `CON`, `NUL`, `COM1`… (with any extension): reserved on Windows.
    Reserved,
    /// Ends in `.` or a space, which Windows drops.
    Trailing,
}

/// A place inside the site that is never read as a source (see `crate::walk`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fenced {
    /// The output folder, its staging folder, the previous output during a swap, the lock file.
    Output,
    /// Git's repository folder.
    Git,
}

impl EntryIssue {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            EntryIssue::Unreadable {
                detail,
                folder: true,
            } => msg!(lang, "folder-unreadable", detail = detail),
            EntryIssue::Unreadable { detail, .. } => msg!(lang, "file-unreadable", detail = detail),
            EntryIssue::BrokenLink { target } => msg!(lang, "entry-broken-link", target = target),
            EntryIssue::LinkOutside { target } => {
                msg!(lang, "entry-link-outside", target = target)
            }
            EntryIssue::LinkLoop { target } => msg!(lang, "entry-link-loop", target = target),
            EntryIssue::Special { kind } => msg!(lang, "entry-special", kind = kind),
            EntryIssue::Fenced {
                target,
                place: Fenced::Output,
            } => msg!(lang, "fenced-output", target = target),
            EntryIssue::Fenced {
                target,
                place: Fenced::Git,
            } => msg!(lang, "fenced-git", target = target),
            EntryIssue::BadName { fault, .. } => {
                msg!(lang, "bad-name", what = bad_name_what(fault, lang))
            }
        }
    }

    pub fn help(&self, lang: Lang) -> String {
        let fix = match self {
            EntryIssue::BadName { rename, .. } => {
                return msg!(lang, "bad-name-help", rename = rename)
            }
            EntryIssue::Unreadable { .. } => msg!(lang, "entry-unreadable-fix"),
            EntryIssue::BrokenLink { .. } | EntryIssue::LinkOutside { .. } => {
                msg!(lang, "entry-link-fix")
            }
            EntryIssue::LinkLoop { .. } => msg!(lang, "entry-link-loop-fix"),
            EntryIssue::Special { .. } => msg!(lang, "entry-special-fix"),
            EntryIssue::Fenced { .. } => msg!(lang, "entry-fenced-fix"),
        };
        msg!(lang, "entry-left-out-help", fix = fix)
    }
}

fn bad_name_what(fault: &NameFault, lang: Lang) -> String {
    match fault {
        NameFault::Char(c) if c.is_control() || !c.is_ascii() => {
            let code_point = format!("U+{:04X}", *c as u32);
            msg!(lang, "bad-name-control", code_point = code_point)
        }
        NameFault::Char(c) => msg!(lang, "bad-name-char", char = c),
        NameFault::NotUtf8 => msg!(lang, "bad-name-not-utf8"),
        NameFault::Reserved => msg!(lang, "bad-name-reserved"),
        NameFault::Trailing => msg!(lang, "bad-name-trailing"),
    }
}
