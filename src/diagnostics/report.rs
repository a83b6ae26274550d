//! One [`Diagnostic`]: a problem at a place in a file, and how it is shown to people (with the
//! source line and a caret) and to CI (GitHub annotations). Also the stable order of a build's
//! diagnostics and the `/`-separated paths messages use.

use super::{Lang, Problem, Severity};
use crate::msg;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One problem at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub path: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based, counted in characters.
    pub column: usize,
    /// The source line the problem is on, for display.
    pub source_line: Option<String>,
    /// How many characters to underline (at least 1).
    pub span: usize,
    pub problem: Problem,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, problem: Problem) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            column: 0,
            source_line: None,
            span: 1,
            problem,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, problem: Problem) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, problem)
        }
    }

    /// Points the diagnostic at `line`:`column` of `text` (the whole file), capturing that line.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column.max(1);
        self.source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| visible(l.trim_end_matches('\r')));
        self
    }

    pub fn with_span(mut self, span: usize) -> Self {
        self.span = span.max(1);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column`, or just the path when there is no position.
    pub fn location(&self) -> String {
        let p = self.path.display();
        if self.line == 0 {
            format!("{p}")
        } else {
            format!("{p}:{}:{}", self.line, self.column)
        }
    }

    /// Human rendering, rustc-style:
    ///
    /// ```text
    /// エラー: content/challenges/a.md:4:13: 「prefecture」の値「東京」は都道府県名ではありません
    ///   |
    /// 4 | prefecture: 東京
    ///   |             ^^^^
    ///   = ヒント: 「東京都」のことですか？ …
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        let label = match self.severity {
            Severity::Error => msg!(lang, "label-error"),
            Severity::Warning => msg!(lang, "label-warning"),
        };
        let mut out = format!(
            "{label}: {}: {}\n",
            crate::messages::value(self.location()),
            self.problem.message(lang)
        );
        if let Some(src) = &self.source_line {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let before: String = src.chars().take(self.column.saturating_sub(1)).collect();
            let under: String = src
                .chars()
                .skip(self.column.saturating_sub(1))
                .take(self.span)
                .collect();
            let carets = display_width(&under).max(1);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {}", crate::messages::value(src));
            let _ = writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(display_width(&before)),
                "^".repeat(carets)
            );
        }
        if let Some(help) = self.problem.help(lang) {
            let hint = msg!(lang, "label-help");
            let pad = if self.source_line.is_some() {
                " ".repeat(self.line.to_string().len())
            } else {
                String::new()
            };
            let _ = writeln!(out, "{pad} = {hint}: {help}");
        }
        out
    }

    /// One line in the GitHub Actions workflow-command format (`::error file=…`).
    pub fn render_github(&self, lang: Lang) -> String {
        let level = if self.is_error() { "error" } else { "warning" };
        let mut msg = self.problem.message(lang);
        if let Some(h) = self.problem.help(lang) {
            msg.push_str(" — ");
            msg.push_str(&h);
        }
        let msg = msg
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        format!(
            "::{level} file={},line={},col={}::{msg}",
            self.path.display(),
            self.line.max(1),
            self.column.max(1)
        )
    }
}

/// A source line as it may be shown in a terminal or a CI log: control characters become their
/// visible pictures (U+0001 → ␁, DEL → ␡) and other invisible controls (C1, bidi overrides that
/// would reorder the line, noncharacters) become U+FFFD, one character for one, so the caret
/// below still points at the right column and nothing in a file can drive the terminal.
fn visible(line: &str) -> String {
    line.chars()
        .map(|c| match c as u32 {
            0x09 => c,
            u @ 0x00..=0x1F => char::from_u32(0x2400 + u).unwrap_or('\u{FFFD}'),
            0x7F => '\u{2421}',
            0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C => '\u{FFFD}',
            _ if crate::unicode::is_forbidden(c) => '\u{FFFD}',
            _ => c,
        })
        .collect()
}

/// Width of a string in terminal columns (Unicode's East Asian width, as `unicode-width` has
/// it): wide characters and emoji take two, combining marks and zero-width characters none. A
/// tab is counted as one column, as the caret line writes one space for it.
pub fn display_width(s: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    s.split('\t').map(UnicodeWidthStr::width).sum::<usize>() + s.matches('\t').count()
}

/// Sorts diagnostics for stable output: by file, position, then message.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (
            &a.path,
            a.line,
            a.column,
            a.severity,
            format!("{:?}", a.problem),
        )
            .cmp(&(
                &b.path,
                b.line,
                b.column,
                b.severity,
                format!("{:?}", b.problem),
            ))
    });
}

/// Converts a path to the `/`-separated form used in messages.
///
/// Joined from the path's components: a `\\` inside a Unix file name is part
/// of the name and is shown as it is, never as a separator, so a message names the real file.
pub fn display_path(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut s = String::new();
    for c in p.components() {
        match c {
            Component::RootDir => s.push('/'),
            Component::Prefix(x) => s.push_str(&x.as_os_str().to_string_lossy()),
            c => {
                if !s.is_empty() && !s.ends_with('/') {
                    s.push('/');
                }
                s.push_str(&c.as_os_str().to_string_lossy());
            }
        }
    }
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_lines_never_carry_control_characters_to_a_terminal() {
        let text = "a\n\u{1b}[2Jtitle: \u{1}x\u{202E}y\u{85}\u{7F}\tz\n";
        let d = Diagnostic::error("site.yaml", Problem::MissingSiteConfig).at(text, 2, 1);
        assert_eq!(
            d.source_line.as_deref(),
            Some("␛[2Jtitle: ␁x\u{FFFD}y\u{FFFD}␡\tz")
        );
    }
}
