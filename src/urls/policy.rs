//! The one URL policy. Every URL that can reach an `href`, `src`, `action` or `content` attribute
//! from `site.yaml`, front matter or a Markdown body is checked by [`check`], so configuration,
//! front matter and Markdown agree on what is allowed:
//!
//! - `http://` and `https://` with a host, `mailto:` and `tel:` (links only), and relative
//!   references (`/x`, `x/y`, `./x`, `../x`, `#frag`, `?q`);
//! - anything else is refused: other schemes (`javascript:`, `vbscript:`, `data:`, `file:`,
//!   `blob:`, unknown ones), however they are disguised.
//!
//! The disguises browsers accept are closed by refusing their ingredients instead of trying to
//! undo them: control and invisible characters anywhere (browsers drop tab and newline inside a
//! scheme and strip leading C0 characters), backslashes (browsers read `\` as `/`, so
//! `/\evil.example` is `//evil.example`), a scheme written with percent escapes or character
//! references (`%6Aavascript:`, `&#x6A;avascript:` — entities in YAML are not decoded, so they
//! could only be an attempt), a full-width colon (`https：//`, an IME slip), and a scheme
//! whose letters are not a scheme's (`java script:`). Mixed case is lowered before comparing.
//!
//! Protocol-relative URLs (`//host/x`) are refused: they take the scheme of the page, so the same
//! link is plain `http` on an `http` preview and is resolved differently in feeds and social
//! cards; in a field meant for a site path, `//images/x.png` is a typo that silently points at
//! a host called `images`. Writing `https://host/x` says what is meant.
//!
//! This module only decides; callers report a refusal as [`crate::diagnostics::Problem`] with
//! the file, line and column, and the texts for people live here in [`Refused`].

use crate::messages::Lang;
use crate::msg;

/// Where a URL is used; decides which schemes are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Use {
    /// `<a href>`: http(s), mailto, tel, relative.
    Link,
    /// `<img src>`, `og:image`: http(s) or relative.
    Image,
    /// A page on another site (a municipality's official site): an absolute http(s) URL.
    Website,
    /// Where a form posts, or the page a form button opens or embeds: `https://` (plain
    /// `http://` only on a loopback host, for testing). Personal data travels there.
    FormAction,
}

/// Why a URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reason {
    /// A control or invisible character (tab, newline, U+0001, zero-width space, full-width
    /// space…); `char` is the first one.
    Invisible(char),
    /// A backslash, which browsers read as `/`.
    Backslash,
    /// `//host/…` without a scheme.
    ProtocolRelative,
    /// A scheme that is not allowed here (`javascript`, `data`, `file`, an unknown one, or
    /// `mailto` where an image is expected). Lowercased.
    Scheme(String),
    /// Something before a colon that is not a scheme, or a scheme hidden behind percent escapes,
    /// character references or a full-width colon. The text as written.
    Disguised(String),
    /// `https:` without `//host`.
    NoHost,
    /// A relative path where an absolute `https://` URL is needed.
    NotAbsolute,
    /// A form action that is not https (nor http on a loopback host).
    NotHttps,
    /// A character a URL written in site.yaml or front matter must carry percent-encoded: an
    /// ASCII space or one of `"<>`{}|^` (it would end or break the attribute for some reader).
    Unencoded(char),
    /// A user name or password before the host (`https://a:b@host/`): browsers refuse it in
    /// images and forms, and in links it is a phishing trick (`https://town.example.jp@evil/`).
    Userinfo,
    /// A port that is not a number from 1 to 65535, as written.
    BadPort(String),
    /// A host name with characters no host name has (`%`, `[`, `;`…), as written.
    BadHost(String),
    /// A relative path that becomes `//host` once `./` and `../` are resolved
    /// (`.//evil.example/x`): whatever strips the dots makes it a link to another host.
    HiddenNetworkPath,
    /// A plain `http://` image: blocked by the site's Content-Security-Policy (`img-src https:`)
    /// and by browsers as mixed content.
    InsecureImage,
}

/// A refused URL, as a content problem: the field it was in, the URL, why, and where it was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub field: String,
    pub url: String,
    pub reason: Reason,
    pub usage: Use,
}

/// Checks `url`, as written in site.yaml or front matter, for `usage`. `Ok` means it may be
/// written into an attribute as it is (escaped): on top of [`check_body`], characters a URL must
/// carry percent-encoded (space, `"<>`{}|^`) are refused, since nothing encodes them on the way.
pub fn check(url: &str, usage: Use) -> Result<(), Reason> {
    check_body(url, usage)?;
    match url.trim_matches(' ').chars().find(|&c| needs_encoding(c)) {
        Some(c) => Err(Reason::Unencoded(c)),
        None => Ok(()),
    }
}

/// True for the ASCII characters a URL may not hold as written (WHATWG URL: space, `"<>`{}|^`,
/// and `\`, which [`check_body`] refuses on its own).
fn needs_encoding(c: char) -> bool {
    matches!(
        c,
        ' ' | '"' | '<' | '>' | '`' | '{' | '}' | '|' | '^' | '\\'
    )
}

/// `url` with the characters of [`needs_encoding`] (and ASCII controls) percent-encoded, for the
/// hrefs the Markdown writer produces (`[a](<x.md#a b>)` → `/x/#a%20b`).
pub fn encode_unsafe(url: &str) -> std::borrow::Cow<'_, str> {
    if !url
        .chars()
        .any(|c| needs_encoding(c) || c.is_ascii_control())
    {
        return url.into();
    }
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.chars() {
        if needs_encoding(c) || c.is_ascii_control() {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Checks `url`, as written in a Markdown body, for `usage`: the URL policy without the
/// character rule of [`check`], because the Markdown writer percent-encodes what needs it.
pub fn check_body(url: &str, usage: Use) -> Result<(), Reason> {
    if let Some(c) = url.chars().find(|&c| is_invisible(c)) {
        return Err(Reason::Invisible(c));
    }
    let u = url.trim_matches(' ');
    if u.contains('\\') {
        return Err(Reason::Backslash);
    }
    match scheme(u)? {
        None => {
            if u.starts_with("//") {
                return Err(Reason::ProtocolRelative);
            }
            if hides_network_path(u) {
                return Err(Reason::HiddenNetworkPath);
            }
            match usage {
                Use::Link | Use::Image => Ok(()),
                Use::Website => Err(Reason::NotAbsolute),
                Use::FormAction => Err(Reason::NotHttps),
            }
        }
        Some(s) => {
            let rest = &u[s.len() + 1..];
            match (s.as_str(), usage) {
                ("https", _) => web_host(rest).map(|_| ()),
                ("http", Use::FormAction) => match loopback(web_host(rest)?) {
                    true => Ok(()),
                    false => Err(Reason::NotHttps),
                },
                ("http", Use::Image) => web_host(rest).and(Err(Reason::InsecureImage)),
                ("http", _) => web_host(rest).map(|_| ()),
                ("mailto" | "tel", Use::Link) => Ok(()),
                _ => Err(Reason::Scheme(s)),
            }
        }
    }
}

/// A site path with its leading `./` and `/` taken off, to follow a folder URL (the base path,
/// a bundle's URL): never `/…`, so the joined URL never starts with `//` (another host),
/// whatever reached the caller.
pub fn below(path: &str) -> &str {
    let mut s = path;
    loop {
        let t = s.trim_start_matches("./").trim_start_matches('/');
        if t == s {
            return t;
        }
        s = t;
    }
}

/// True when `url` passes [`check_body`] for `usage` (the policy for Markdown bodies).
pub fn allowed(url: &str, usage: Use) -> bool {
    check_body(url, usage).is_ok()
}

/// True when the path of a relative reference, once its `.` and `..` segments (also written
/// `%2e`) are resolved from the site root, starts with an empty segment: `.//host/x`,
/// `../..//host`, `/a/..//host`. Code that strips `./` or joins paths would turn it into the
/// network-path reference `//host/x`; no page of a site has such a path.
fn hides_network_path(u: &str) -> bool {
    let path = &u[..u.find(['?', '#']).unwrap_or(u.len())];
    let path = path.strip_prefix('/').unwrap_or(path);
    let dots = |s: &str| match s.to_ascii_lowercase().as_str() {
        "." | "%2e" => 1,
        ".." | ".%2e" | "%2e." | "%2e%2e" => 2,
        _ => 0,
    };
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match dots(seg) {
            1 => {}
            2 => {
                out.pop();
            }
            _ => out.push(seg),
        }
    }
    out.len() >= 2 && out[0].is_empty()
}

/// True for an allowed `http://` or `https://` URL (an external link).
pub fn is_web(url: &str) -> bool {
    allowed(url, Use::Link)
        && matches!(scheme(url.trim_matches(' ')), Ok(Some(s)) if s == "http" || s == "https")
}

/// The scheme of `url`, lowercased, when it has one. `Err` when the text before the first colon
/// is not a scheme, or a colon is hidden (`%3A`, `&#58;`, `&#x6A;avascript:`, `：`), so the URL
/// means different things to different readers.
pub fn scheme(url: &str) -> Result<Option<String>, Reason> {
    let head = head(url);
    match head.find(':') {
        Some(i) => {
            let s = &head[..i];
            let mut chars = s.chars();
            let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if valid {
                Ok(Some(s.to_ascii_lowercase()))
            } else {
                Err(Reason::Disguised(head.to_string()))
            }
        }
        None if hides_colon(url) => Err(Reason::Disguised(head_of_decoded(url))),
        None => Ok(None),
    }
}

/// The part of a URL before its first `/`, `?` or `#`: where a scheme would be.
fn head(url: &str) -> &str {
    &url[..url.find(['/', '?', '#']).unwrap_or(url.len())]
}

/// True when some reader — a browser decoding character references, a server decoding percent
/// escapes, a person reading a full-width colon — would see a colon before the first `/?#`.
fn hides_colon(url: &str) -> bool {
    let decoded = decode(url);
    head(&decoded).contains([':', '：', '﹕', '︓'])
}

fn head_of_decoded(url: &str) -> String {
    let d = decode(url);
    let h = head(&d);
    let end = h.find(':').map_or(h.len(), |i| i + 1);
    h[..end].to_string()
}

/// Decodes `%HH`, `&#NN;`, `&#xHH;` (the `;` optional, as browsers allow) and `&colon;`,
/// repeatedly until nothing changes (so `&#38;#58;` is seen as well), at most a few rounds.
fn decode(url: &str) -> String {
    let mut cur = url.to_string();
    for _ in 0..4 {
        let next = decode_once(&cur);
        if next == cur {
            break;
        }
        cur = next;
    }
    cur
}

fn decode_once(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if let Some((ch, used)) = escape_at(rest) {
            out.push(ch);
            rest = &rest[used..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The character an escape at the start of `s` stands for, and the escape's length in bytes.
fn escape_at(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    if b.first() == Some(&b'%') {
        let hex = b
            .get(1..3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
        let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
        return v.is_ascii().then_some((v as char, 3));
    }
    if s.get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("&colon;"))
    {
        return Some((':', 7));
    }
    let body = s.strip_prefix("&#")?;
    let (digits, radix, skip) = match body.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16, 3),
        None => (body, 10, 2),
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if end == 0 || end > 8 {
        return None;
    }
    let ch = char::from_u32(u32::from_str_radix(&digits[..end], radix).ok()?)?;
    let semi = usize::from(digits[end..].starts_with(';'));
    Some((ch, skip + end + semi))
}

/// The host (with its port) of `//host/…` after an http(s) scheme: no user name or password, a
/// host name of letters, digits, `-`, `.`, `_` (or any non-ASCII text, which browsers turn into
/// punycode) or a bracketed IPv6 address, and a port from 1 to 65535.
fn web_host(rest: &str) -> Result<&str, Reason> {
    let Some(after) = rest.strip_prefix("//") else {
        return Err(Reason::NoHost);
    };
    let host = &after[..after.find(['/', '?', '#']).unwrap_or(after.len())];
    if host.contains('@') {
        return Err(Reason::Userinfo);
    }
    let (name, port) = match host.strip_prefix('[') {
        Some(v6) => {
            let end = v6.find(']').ok_or_else(|| Reason::BadHost(host.into()))?;
            let ok = v6[..end]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
            if !ok || end == 0 {
                return Err(Reason::BadHost(host.into()));
            }
            let tail = &v6[end + 1..];
            match tail.strip_prefix(':') {
                Some(p) => (&host[..end + 2], Some(p)),
                None if tail.is_empty() => (host, None),
                None => return Err(Reason::BadHost(host.into())),
            }
        }
        None => match host.split_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (host, None),
        },
    };
    if name.is_empty() || name.contains(' ') {
        return Err(Reason::NoHost);
    }
    let plain =
        |c: char| !c.is_ascii() || c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    if !name.starts_with('[') && !name.chars().all(plain) {
        return Err(Reason::BadHost(name.into()));
    }
    if let Some(p) = port {
        let ok = !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !ok || !p.parse::<u16>().is_ok_and(|n| n > 0) {
            return Err(Reason::BadPort(p.into()));
        }
    }
    Ok(host)
}

fn loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().map_or("", |h| h),
        None => host.split(':').next().unwrap_or(""),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

/// Characters that never belong in a URL and that browsers (or readers) skip or hide: controls
/// (C0, DEL, C1 — tab and newline included), whitespace other than the ASCII space, and
/// invisible formatting characters (soft hyphen, zero-width, bidi controls, BOM).
fn is_invisible(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{E0000}'..='\u{E0FFF}')
}

/// `url` with control and invisible characters shown as `\u{…}`, so a message never carries
/// them to a terminal or a CI log.
pub fn visible(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if is_invisible(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

impl Refused {
    pub fn new(field: &str, url: &str, reason: Reason, usage: Use) -> Refused {
        Refused {
            field: field.to_string(),
            url: url.to_string(),
            reason,
            usage,
        }
    }

    /// One sentence: what is wrong.
    pub fn message(&self, lang: Lang) -> String {
        let (field, url) = (&self.field, visible(&self.url));
        match &self.reason {
            Reason::Invisible(c) => {
                let code_point = format!("U+{:04X}", *c as u32);
                msg!(
                    lang,
                    "url-invisible",
                    field = field,
                    url = url,
                    code_point = code_point
                )
            }
            Reason::Backslash => msg!(lang, "url-backslash", field = field, url = url),
            Reason::ProtocolRelative => {
                msg!(lang, "url-protocol-relative", field = field, url = url)
            }
            Reason::Scheme(s) => msg!(lang, "url-scheme", field = field, scheme = s, url = url),
            Reason::Disguised(h) => {
                let start = visible(h);
                msg!(
                    lang,
                    "url-disguised",
                    field = field,
                    url = url,
                    start = start
                )
            }
            Reason::NoHost => msg!(lang, "url-no-host", field = field, url = url),
            Reason::NotAbsolute => msg!(lang, "url-not-absolute", field = field, url = url),
            Reason::NotHttps => msg!(lang, "url-not-https", field = field, url = url),
            Reason::Unencoded(c) => msg!(lang, "url-unencoded", field = field, url = url, char = c),
            Reason::Userinfo => msg!(lang, "url-userinfo", field = field, url = url),
            Reason::BadPort(p) => {
                let port = visible(p);
                msg!(lang, "url-bad-port", field = field, url = url, port = port)
            }
            Reason::BadHost(h) => {
                let host = visible(h);
                msg!(lang, "url-bad-host", field = field, url = url, host = host)
            }
            Reason::HiddenNetworkPath => {
                msg!(lang, "url-hidden-network-path", field = field, url = url)
            }
            Reason::InsecureImage => msg!(lang, "url-insecure-image", field = field, url = url),
        }
    }

    /// What to write instead.
    pub fn help(&self, lang: Lang) -> String {
        let allowed = allowed_help(self.usage, lang);
        match &self.reason {
            Reason::Invisible(_) => msg!(lang, "url-invisible-help", allowed = allowed),
            Reason::Backslash => msg!(lang, "url-backslash-help", allowed = allowed),
            Reason::ProtocolRelative => msg!(lang, "url-protocol-relative-help", allowed = allowed),
            Reason::Disguised(_) => msg!(lang, "url-disguised-help", allowed = allowed),
            Reason::NoHost => msg!(lang, "url-no-host-help", allowed = allowed),
            Reason::Unencoded(_) => msg!(lang, "url-unencoded-help", allowed = allowed),
            Reason::Userinfo => msg!(lang, "url-userinfo-help", allowed = allowed),
            Reason::BadPort(_) => msg!(lang, "url-bad-port-help", allowed = allowed),
            Reason::BadHost(_) => msg!(lang, "url-bad-host-help", allowed = allowed),
            Reason::HiddenNetworkPath => {
                msg!(lang, "url-hidden-network-path-help", allowed = allowed)
            }
            Reason::InsecureImage => msg!(lang, "url-insecure-image-help", allowed = allowed),
            Reason::Scheme(_) | Reason::NotAbsolute | Reason::NotHttps => allowed,
        }
    }
}

/// What may be written for `usage`, as one sentence.
fn allowed_help(usage: Use, lang: Lang) -> String {
    match usage {
        Use::Link => msg!(lang, "url-allowed-link"),
        Use::Image => msg!(lang, "url-allowed-image"),
        Use::Website => msg!(lang, "url-allowed-website"),
        Use::FormAction => msg!(lang, "insecure-form-action-help"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: [&str; 30] = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\u{0001}javascript:alert(1)",
        "\u{200B}javascript:alert(1)",
        "java\u{200B}script:alert(1)",
        "\u{3000}javascript:alert(1)",
        "javascript\u{00A0}:alert(1)",
        "&#x6A;avascript:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&#58;alert(1)",
        "javascript&#x3A;alert(1)",
        "javascript&colon;alert(1)",
        "%6Aavascript:alert(1)",
        "javascript%3Aalert(1)",
        "javascript：alert(1)",
        "java script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:image/svg+xml;base64,PHN2Zz4=",
        "file:///etc/passwd",
        "blob:https://example.jp/uuid",
        "filesystem:https://example.jp/x",
        "intent://x#Intent;end",
        "\\\\evil.example/x",
        "/\\evil.example/x",
        "//evil.example/x",
        "https:evil.example",
    ];

    #[test]
    fn hostile_urls_are_refused_for_every_use() {
        for url in HOSTILE {
            for usage in [Use::Link, Use::Image, Use::Website, Use::FormAction] {
                assert!(check(url, usage).is_err(), "{url:?} passed as {usage:?}");
            }
        }
    }

    #[test]
    fn allowed_links() {
        for url in [
            "https://example.jp/",
            "HTTPS://EXAMPLE.JP/a?b=c#d",
            "http://example.jp",
            "mailto:info@example.jp",
            "tel:0120-000-000",
            "/challenges/",
            "challenges/a/",
            "./photo.jpg",
            "../cases/",
            "#見出し",
            "?q=観光",
            "",
            "./a:b/",
            "https://example.jp/javascript:alert(1)",
            "https://example.jp/?u=javascript:x",
            "/themes/観光/",
        ] {
            assert_eq!(check(url, Use::Link), Ok(()), "{url:?}");
        }
    }

    #[test]
    fn written_urls_refuse_characters_that_must_be_percent_encoded() {
        for (url, c) in [
            ("https://forms.example.jp/a b\"c", ' '),
            ("https://forms.example.jp/a\"c", '"'),
            ("/a b/", ' '),
            ("/x<y", '<'),
            ("/x>y", '>'),
            ("/x`y", '`'),
            ("/x{y}", '{'),
            ("/x|y", '|'),
            ("/x^y", '^'),
            ("#a b", ' '),
        ] {
            assert_eq!(check(url, Use::Link), Err(Reason::Unencoded(c)), "{url}");
        }
        // A Markdown body may write them: its writer percent-encodes them.
        assert_eq!(check_body("/a b/", Use::Link), Ok(()));
        assert_eq!(encode_unsafe("/about/#a b\"<x>"), "/about/#a%20b%22%3Cx%3E");
        assert_eq!(encode_unsafe("/themes/観光/"), "/themes/観光/");
    }

    #[test]
    fn hosts_refuse_userinfo_bad_ports_and_odd_characters() {
        for usage in [Use::Link, Use::Image, Use::Website, Use::FormAction] {
            assert_eq!(
                check("https://a:b@host.example/", usage),
                Err(Reason::Userinfo)
            );
            assert_eq!(
                check("https://town.example.jp@evil.example/", usage),
                Err(Reason::Userinfo)
            );
            assert_eq!(
                check("https://a.example:99999999/", usage),
                Err(Reason::BadPort("99999999".into()))
            );
            assert_eq!(
                check("https://a.example:0/", usage),
                Err(Reason::BadPort("0".into()))
            );
            assert_eq!(
                check("https://a.example:8x/", usage),
                Err(Reason::BadPort("8x".into()))
            );
            assert_eq!(
                check("https://a%2e.example/", usage),
                Err(Reason::BadHost("a%2e.example".into()))
            );
            assert_eq!(
                check("https://a;b.example/", usage),
                Err(Reason::BadHost("a;b.example".into()))
            );
        }
        for ok in [
            "https://a.example:8443/",
            "https://[2001:db8::1]:443/x",
            "https://町.jp/",
        ] {
            assert_eq!(check(ok, Use::Link), Ok(()), "{ok}");
        }
        assert_eq!(check("http://[::1]:9000/", Use::FormAction), Ok(()));
    }

    #[test]
    fn relative_paths_that_resolve_to_another_host_are_refused() {
        for url in [
            ".//evil.example/x.png",
            "././/evil.example/x.png",
            "../..//evil.example/x",
            "/.//evil.example/x",
            "/a/..//evil.example/x",
            "%2e//evil.example/x",
            ".%2E//evil.example/x",
            ".//evil.example?x",
        ] {
            for usage in [Use::Link, Use::Image] {
                assert_eq!(check(url, usage), Err(Reason::HiddenNetworkPath), "{url}");
                assert_eq!(
                    check_body(url, usage),
                    Err(Reason::HiddenNetworkPath),
                    "{url}"
                );
            }
        }
        for ok in [
            "./photo.jpg",
            "../x//y",
            "a//b",
            "./",
            "../",
            "/",
            ".",
            "/a/../b",
        ] {
            assert_eq!(check(ok, Use::Link), Ok(()), "{ok}");
        }
        for path in [".//evil.example/x", "././/x", "/./x", "//x", "./../x"] {
            assert!(!below(path).starts_with('/'), "{path}");
        }
    }

    #[test]
    fn http_images_are_refused_https_ones_kept() {
        assert_eq!(
            check("http://images.example.jp/a.png", Use::Image),
            Err(Reason::InsecureImage)
        );
        assert_eq!(
            check_body("HTTP://images.example.jp/a.png", Use::Image),
            Err(Reason::InsecureImage)
        );
        assert_eq!(check("https://images.example.jp/a.png", Use::Image), Ok(()));
        assert_eq!(check("http://example.jp/", Use::Link), Ok(()));
        let r = Refused::new(
            "image",
            "http://a.jp/x.png",
            Reason::InsecureImage,
            Use::Image,
        );
        assert!(r.help(Lang::Ja).contains("https://"));
        assert!(r.help(Lang::En).contains("https://"));
    }

    #[test]
    fn each_use_has_its_own_schemes() {
        assert_eq!(
            check("mailto:a@example.jp", Use::Image),
            Err(Reason::Scheme("mailto".into()))
        );
        assert_eq!(check("/images/a.png", Use::Image), Ok(()));
        assert_eq!(check("/town/", Use::Website), Err(Reason::NotAbsolute));
        assert_eq!(check("https://town.example.lg.jp/", Use::Website), Ok(()));
        assert_eq!(
            check("tel:000", Use::Website),
            Err(Reason::Scheme("tel".into()))
        );
    }

    #[test]
    fn form_actions_are_https_or_loopback_http() {
        for ok in [
            "https://formspree.io/f/x",
            "http://127.0.0.1:8080/submit",
            "http://localhost/submit",
            "http://[::1]:9000/",
            "HTTP://LOCALHOST/",
        ] {
            assert_eq!(check(ok, Use::FormAction), Ok(()), "{ok}");
        }
        for bad in [
            "http://example.jp/submit",
            "http://localhost.evil.example/",
            "http://127.0.0.1.evil.example/",
            "/submit",
        ] {
            assert_eq!(check(bad, Use::FormAction), Err(Reason::NotHttps), "{bad}");
        }
        assert_eq!(
            check("https:///nohost", Use::FormAction),
            Err(Reason::NoHost)
        );
        assert!(check("javascript:alert(1)", Use::FormAction).is_err());
    }

    #[test]
    fn reasons_name_the_disguise() {
        assert_eq!(
            check("java\tscript:x", Use::Link),
            Err(Reason::Invisible('\t'))
        );
        assert_eq!(check("/\\evil.example", Use::Link), Err(Reason::Backslash));
        assert_eq!(
            check("//evil.example", Use::Link),
            Err(Reason::ProtocolRelative)
        );
        assert_eq!(
            check("JaVaScRiPt:x", Use::Link),
            Err(Reason::Scheme("javascript".into()))
        );
        assert_eq!(
            check("%6Aavascript:x", Use::Link),
            Err(Reason::Disguised("%6Aavascript:x".into()))
        );
        assert_eq!(
            check("&#x6A;avascript:x", Use::Link),
            Err(Reason::Disguised("javascript:".into()))
        );
        assert_eq!(
            check("javascript&#38;#58;x", Use::Link),
            Err(Reason::Disguised("javascript:".into()))
        );
        assert_eq!(
            check("https：//example.jp/", Use::Link),
            Err(Reason::Disguised("https：".into()))
        );
    }

    #[test]
    fn truncated_escapes_and_multibyte_text_never_panic() {
        let parts = [
            "%",
            "%3",
            "%e3",
            "&#",
            "&#x",
            "&#58",
            "&colon",
            "&COLON;",
            "：",
            "見",
            ":",
            "/",
            "?",
            "#",
            "x",
            "\u{1F600}",
            "&",
            "\u{0}",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let url = format!("{a}{b}{c}");
                    for usage in [Use::Link, Use::Image, Use::Website, Use::FormAction] {
                        let _ = check(&url, usage);
                    }
                    let _ = visible(&url);
                }
            }
        }
    }

    #[test]
    fn web_urls_are_recognised() {
        assert!(is_web("https://example.jp/"));
        assert!(is_web("HTTP://example.jp/"));
        assert!(!is_web("//example.jp/"));
        assert!(!is_web("/a/"));
        assert!(!is_web("mailto:a@example.jp"));
    }

    #[test]
    fn messages_never_carry_control_characters() {
        let r = Refused::new(
            "menu",
            "\u{1b}[31mjavascript:x",
            Reason::Invisible('\u{1b}'),
            Use::Link,
        );
        for lang in [Lang::Ja, Lang::En] {
            let m = r.message(lang);
            assert!(!m.chars().any(char::is_control), "{m:?}");
            assert!(m.contains("\\u{001B}"), "{m}");
            assert!(!r.help(lang).is_empty());
        }
    }
}
