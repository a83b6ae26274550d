//! Values that reach the policy or `_headers` from site.yaml, in their canonical form: iframe
//! hosts (bare host names), `security.csp` sources (lowercase scheme and host), and the check
//! that a header line can never carry a line break. Nothing from site.yaml is written into the
//! policy as typed: only what these functions give back.

use super::{check_source, SourceIssue};

/// The canonical form (lowercase ASCII) of a `markdown.allow_iframes` entry, which must be a bare
/// host name of at least two labels: `www.youtube-nocookie.com`. Refused: schemes, paths, ports,
/// spaces, `;`, quotes, line breaks (anything but letters, digits, `-`, `.`), single labels such
/// as `jp` (every host under a top-level domain), IP addresses (an embed provider has a name, and
/// "subdomains of 10.0.0.1" means nothing), and non-ASCII names (CSP needs punycode).
pub fn iframe_host(raw: &str) -> Result<String, SourceIssue> {
    let v = raw.trim();
    if !v.is_ascii() {
        return Err(SourceIssue::NonAscii);
    }
    let host = v.to_ascii_lowercase();
    let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
    if host.is_empty() || !host.bytes().all(plain) {
        return Err(SourceIssue::NotHostName);
    }
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok =
        |l: &&str| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-');
    if host.len() > 253 || !labels.iter().all(label_ok) {
        return Err(SourceIssue::NotHostName);
    }
    if labels
        .last()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(SourceIssue::IpAddress);
    }
    if labels.len() < 2 {
        return Err(SourceIssue::SingleLabel);
    }
    Ok(host)
}

/// A source of `security.csp.<directive>` as it is written into the policy: checked by
/// [`check_source`], then rebuilt — keywords and hashes as they are (their characters are
/// checked), a scheme or host source with its scheme and host lowercased.
pub fn canonical_source(
    directive: &str,
    v: &str,
    allow_unsafe: bool,
) -> Result<String, SourceIssue> {
    check_source(directive, v, allow_unsafe)?;
    if v.starts_with('\'') {
        return Ok(v.to_string());
    }
    Ok(match v.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            format!(
                "{}://{}{path}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }
        None => v.to_ascii_lowercase(),
    })
}

/// True for text that can stand as one source expression in a policy: printable ASCII without
/// spaces, `;` (ends a directive) or `,` (starts another policy in a header).
pub fn is_source_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
}

/// True for a header name or value that fits on its one line of `_headers`: no CR, LF or other
/// control character (which would start a header of its own).
pub fn is_header_text(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// Line and column (1-based, in characters) of a list item's value in site.yaml: the first place
/// at or after the key's value where the item's first line is written as a whole item. `None` when it cannot be
/// found (an item written with escapes), so the caller points at the key.
pub fn item_pos(text: &str, key: crate::yaml::Pos, item: &str) -> Option<(usize, usize)> {
    let needle = item.lines().map(str::trim).find(|l| !l.is_empty())?;
    for (i, line) in text
        .lines()
        .enumerate()
        .skip(key.line.saturating_sub(1))
        .take(1000)
    {
        let from = if i + 1 == key.line {
            line.char_indices()
                .nth(key.value_col.saturating_sub(1))
                .map_or(line.len(), |(b, _)| b)
        } else {
            0
        };
        let before_ok = |c: Option<char>| c.is_none_or(|c| " -[,\"'".contains(c));
        let after_ok = |c: Option<char>| c.is_none_or(|c| " ,]\"'#".contains(c));
        for (b, _) in line[from..].match_indices(needle) {
            let at = from + b;
            let end = at + needle.len();
            if before_ok(line[..at].chars().next_back()) && after_ok(line[end..].chars().next()) {
                return Some((i + 1, line[..at].chars().count() + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iframe_hosts_are_bare_host_names() {
        assert_eq!(
            iframe_host(" WWW.YouTube-NoCookie.com "),
            Ok("www.youtube-nocookie.com".into())
        );
        assert_eq!(
            iframe_host("player.vimeo.com"),
            Ok("player.vimeo.com".into())
        );
        for bad in [
            "www.youtube-nocookie.com/ *; object-src *; base-uri *",
            "x.example.jp/ ; script-src-elem 'unsafe-inline'",
            "x.example.jp\nAccess-Control-Allow-Origin: *",
            "https://www.youtube.com",
            "www.youtube.com/embed",
            "www.youtube.com:443",
            "*.youtube.com",
            "a b.jp",
            "a.jp;",
            "'self'",
            "\"a.jp\"",
            "a..jp",
            "-a.jp",
            "[::1]",
        ] {
            assert_eq!(iframe_host(bad), Err(SourceIssue::NotHostName), "{bad:?}");
        }
        assert_eq!(iframe_host("jp"), Err(SourceIssue::SingleLabel));
        assert_eq!(iframe_host("localhost"), Err(SourceIssue::SingleLabel));
        assert_eq!(iframe_host("10.0.0.1"), Err(SourceIssue::IpAddress));
        assert_eq!(iframe_host("町.jp"), Err(SourceIssue::NonAscii));
    }

    #[test]
    fn sources_are_written_lowercase_from_their_parts() {
        assert_eq!(
            canonical_source("img-src", "HTTPS://Images.Example.JP/Path/", false),
            Ok("https://images.example.jp/Path/".into())
        );
        assert_eq!(
            canonical_source("img-src", "DATA:", false),
            Ok("data:".into())
        );
        assert_eq!(
            canonical_source("script-src", "'self'", false),
            Ok("'self'".into())
        );
        assert!(canonical_source("img-src", "https://a.jp/ ;x", false).is_err());
    }

    #[test]
    fn header_text_has_no_line_breaks() {
        assert!(is_header_text("default-src 'self'"));
        assert!(!is_header_text("a\r\nAccess-Control-Allow-Origin: *"));
        assert!(!is_header_text("a\nb"));
        assert!(!is_source_token("https://a.jp;"));
        assert!(!is_source_token("a b"));
        assert!(is_source_token("'sha256-AbC+/9='"));
    }

    #[test]
    fn list_items_are_found_after_their_key() {
        let text = "markdown:\n  allow_iframes:\n    - a.example.jp\n    - \"jp\"\n";
        let key = crate::yaml::Pos {
            line: 2,
            key_col: 3,
            value_col: 17,
        };
        assert_eq!(item_pos(text, key, "jp"), Some((4, 8)));
        let flow = "allow_iframes: [a.jp, b c]\n";
        let key = crate::yaml::Pos {
            line: 1,
            key_col: 1,
            value_col: 16,
        };
        assert_eq!(item_pos(flow, key, "b c"), Some((1, 23)));
    }
}
