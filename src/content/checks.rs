//! Checks on content text that guard the rest of the build against odd or hostile input:
//! file size, control characters in bodies, output path lengths, and the closing date of a
//! challenge closed by hand. Each reports a diagnostic with the file (and line) to fix.

use super::{Challenge, Common, DeclaredStatus, Source};
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Problem, TextProblem};
use crate::fields::Fields;
use crate::{unicode, yaml};
use std::path::Path;

/// Largest content file (and site.yaml) read: anything bigger is a mistake (a video saved as
/// `.md`) or an attack, refused before it is read into memory.
pub const MAX_FILE_BYTES: u64 = 10 << 20;

/// Reads a file of at most `limit` bytes; `Ok(None)` when it is bigger. The size is checked
/// before reading, and the read itself stops past the limit (the file may grow meanwhile, or
/// be a device that reports no size).
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > limit {
        return Ok(None);
    }
    // Room for the whole file and one byte more: `read_to_end` on a `Take` has no size hint,
    // and growing from nothing cost a dozen reads and reallocations per file.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Removes forbidden characters (see [`unicode::is_forbidden`]) from the body, leaving the
/// front matter to `yaml`, which refuses them with their position. Returns the text and, when
/// something was removed, where the first one was (a byte offset in the returned text), which
/// it was, and how many more there were.
pub(super) fn strip_body_controls(text: String) -> (String, Option<(usize, char, usize)>) {
    // Only the body: an unclosed front matter stays as written, so the error about it (and
    // about any control character in it) is not hidden by taking characters out.
    let Ok(split) = yaml::split_front_matter(&text) else {
        return (text, None);
    };
    let body_offset = split.body_offset;
    let Some((i, first)) = unicode::find_forbidden(&text[body_offset..]) else {
        return (text, None);
    };
    let offset = body_offset + i;
    let mut more = 0;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..offset]);
    for c in text[offset..].chars() {
        if unicode::is_forbidden(c) {
            more += 1;
        } else {
            out.push(c);
        }
    }
    (out, Some((offset, first, more - 1)))
}

/// Longest output path component most file systems allow, in bytes.
pub const MAX_PATH_COMPONENT: usize = 255;
/// Longest output path (relative to the output folder) we write, in bytes: far below Linux's
/// PATH_MAX (4096), leaving room for the output folder's own path.
pub const MAX_OUTPUT_PATH: usize = 1024;

/// Output paths that most file systems refuse fail only when the build writes them; refuse
/// them here, naming the file. (Term names are checked where they are read, with their line.)
pub(super) fn check_path_lengths(s: &Source, diags: &mut Vec<Diagnostic>) {
    let too_long = |value: &str, bytes: usize| {
        Diagnostic::error(
            &s.entry.rel,
            Problem::Text(TextProblem::PathTooLong {
                value: value.to_string(),
                bytes,
            }),
        )
    };
    if s.entry.slug.len() > MAX_PATH_COMPONENT {
        diags.push(too_long(&s.entry.slug, s.entry.slug.len()));
    }
    for a in &s.entry.assets {
        let a = a.to_string_lossy();
        let bytes = a.len() + s.entry.slug.len() + "municipalities/".len();
        let long_part = a.split('/').find(|c| c.len() > MAX_PATH_COMPONENT);
        if let Some(part) = long_part {
            diags.push(too_long(part, part.len()));
        } else if bytes > MAX_OUTPUT_PATH {
            diags.push(too_long(&a, bytes));
        }
    }
}

/// Term names become URL path components (`/themes/<slug>/`); one longer than a file name can
/// be is refused at its line.
pub(super) fn check_term_lengths(f: &mut Fields<'_>, key: &str, values: &[String]) {
    for v in values {
        let slug = super::term_slug(v);
        if slug.len() > MAX_PATH_COMPONENT {
            f.problem_at(
                key,
                Problem::Text(TextProblem::PathTooLong {
                    value: v.clone(),
                    bytes: slug.len(),
                }),
            );
        }
    }
}

/// The checks of a challenge's dates against each other.
pub(super) fn check_challenge_dates(f: &mut Fields<'_>, c: &Challenge, common: &Common) {
    check_closed_has_updated(f, c, common);
    check_deadline_after_date(f, c, common);
}

/// A challenge closed by `status: closed` should say when (`updated:`): feeds and the sitemap
/// show the closing as an update on that day. Without it the build date stands in, which moves
/// with every build; so staff are asked for the date, at the `status` line.
fn check_closed_has_updated(f: &mut Fields<'_>, c: &Challenge, common: &Common) {
    if c.status != Some(DeclaredStatus::Closed) {
        return;
    }
    let dated = match (common.updated, common.date) {
        (Some(u), Some(d)) => u.date >= d.date,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if !dated {
        f.warning_at_key("status", Problem::Text(TextProblem::ClosedWithoutUpdated));
    }
}

/// A deadline before the page's own `date` is a typo of one of them (a year, a month): staff
/// are told at the `deadline` line. (A deadline far ahead needs the build date: see `site`.)
fn check_deadline_after_date(f: &mut Fields<'_>, c: &Challenge, common: &Common) {
    let (Some(deadline), Some(date)) = (c.deadline, common.date) else {
        return;
    };
    if deadline.date < date.date {
        let problem = Problem::Input(crate::diagnostics::InputProblem::DeadlineBeforeDate {
            deadline: deadline.date.to_string(),
            date: date.date.to_string(),
        });
        f.warning_at_key("deadline", problem);
    }
}

/// The warning for a deadline more than two years after the build date, at the `deadline` line
/// (the build date is known only when the site is assembled).
pub fn deadline_far_ahead(s: &Source, deadline: Date, today: Date) -> Diagnostic {
    let problem = Problem::Input(crate::diagnostics::InputProblem::DeadlineFarAhead {
        deadline: deadline.to_string(),
        today: today.to_string(),
    });
    let d = Diagnostic::warning(&s.entry.rel, problem);
    let front = &s.text[..s.body_offset];
    match front.lines().position(|l| l.starts_with("deadline:")) {
        Some(i) => d.at(&s.text, i + 1, 1).with_span("deadline".len()),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::read_limited;

    #[test]
    fn reads_whole_files_up_to_the_limit_and_refuses_bigger_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text = "日本語のテキスト\n".repeat(500);
        std::fs::write(&path, &text).unwrap();
        let len = text.len() as u64;
        let read = read_limited(&path, len).unwrap();
        assert_eq!(read.as_deref(), Some(text.as_bytes()));
        assert_eq!(read_limited(&path, len - 1).unwrap(), None);
        std::fs::write(&path, "").unwrap();
        assert_eq!(read_limited(&path, 0).unwrap(), Some(Vec::new()));
    }
}
