//! HTTP for the preview server: reading a request head within limits, the Host and Origin
//! checks, path resolution, redirect targets, responses, and the connection registry that caps
//! how many connections the server holds (`registry::Registry`).
//!
//! Must not: read a request body (the server is GET/HEAD only), keep a connection open after
//! its answer (every response says `connection: close`), or touch the filesystem.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// How much the server lets one client use. The defaults suit a preview on one machine: a
/// browser opens a handful of connections per tab, and one event stream.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request head (request line and headers); beyond it the answer is 431.
    pub max_head: usize,
    /// Time a client has to send its whole request head; beyond it the answer is 408.
    pub head_timeout: Duration,
    /// Time a response may take to be taken by the client.
    pub write_timeout: Duration,
    /// Connections held at once, event streams aside. When full, a new connection closes the
    /// one that has waited longest without sending a complete request; when every held
    /// connection is being answered, the new one gets 503 at once.
    pub connections: usize,
    /// Event streams (open preview tabs) held at once; beyond it the answer is 503.
    pub streams: usize,
    /// Refused connections closed gently at once: the refusal is sent and the rest of the
    /// request drained for a moment, so the client can read it. They are counted apart from
    /// `connections`, so refusals never take the room real requests need; beyond this many a
    /// refusal is sent and the connection closed at once.
    pub refusals: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_head: 16 * 1024,
            head_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            connections: 128,
            streams: 64,
            refusals: 16,
        }
    }
}

/// A request head: method, target, version and headers (names lowercased).
#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    pub target: String,
    pub version: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request head could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum HeadError {
    /// Longer than `Limits::max_head`.
    TooLarge,
    /// Not complete within `Limits::head_timeout`.
    Timeout,
    /// Closed (or reset, or closed by the server to make room) before the head was complete.
    Closed,
    Malformed,
}

/// Reads one request head, never holding more than `limit` bytes and never waiting past
/// `deadline` in total (a client sending one byte at a time does not extend it).
pub(crate) fn read_head(
    conn: &mut TcpStream,
    limit: usize,
    deadline: Instant,
) -> Result<Request, HeadError> {
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        if let Some(end) = head_end(&buf) {
            return parse_head(&buf[..end]);
        }
        if buf.len() >= limit {
            return Err(HeadError::TooLarge);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::Timeout);
        }
        conn.set_read_timeout(Some(left))
            .map_err(|_| HeadError::Closed)?;
        let want = chunk.len().min(limit + 4 - buf.len());
        match conn.read(&mut chunk[..want]) {
            Ok(0) => return Err(HeadError::Closed),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(HeadError::Timeout)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(HeadError::Closed),
        }
    }
}

/// End of the head (index of the blank line), if it has arrived.
fn head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = buf.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn parse_head(head: &[u8]) -> Result<Request, HeadError> {
    let text = std::str::from_utf8(head).map_err(|_| HeadError::Malformed)?;
    let mut lines = text.split('\n').map(|l| l.trim_end_matches('\r'));
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed);
    };
    if method.is_empty() || target.is_empty() || !version.starts_with("HTTP/1.") {
        return Err(HeadError::Malformed);
    }
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(HeadError::Malformed)?;
        // RFC 9110 §5.1, §5.5: a name is a token; a value has no control character but HTAB
        // (a bare CR could hide a second header from one reader and show it to another).
        if name.is_empty() || !name.bytes().all(is_tchar) {
            return Err(HeadError::Malformed);
        }
        if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err(HeadError::Malformed);
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers,
    })
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Headers a request may carry once at most. Two `Host` (or `Origin`) headers let the server
/// check one and a proxy or the browser act on the other; two framing headers make the
/// request's length ambiguous (request smuggling). RFC 9112 §3.2, §6.3: answer 400.
const SINGLE: [&str; 4] = ["host", "origin", "content-length", "transfer-encoding"];

/// The first header of [`SINGLE`] that the request repeats.
pub(crate) fn repeated_header(req: &Request) -> Option<&'static str> {
    SINGLE
        .into_iter()
        .find(|name| req.headers.iter().filter(|(n, _)| n == name).count() > 1)
}

/// Whether a request carries a body (which a GET/HEAD-only server refuses with 413).
pub(crate) fn has_body(req: &Request) -> bool {
    req.header("transfer-encoding").is_some()
        || req
            .header("content-length")
            .is_some_and(|v| v.trim() != "0")
}

/// Whether `host` (a `Host` header value, or the host of an `Origin`) names this server: the
/// loopback names, the address it listens on, with or without a port. A DNS-rebinding page
/// reaches the server under its own domain name, so names other than `localhost` are refused;
/// an IP address cannot be rebound, so when listening on every address (`0.0.0.0`, `::`) any
/// address is accepted.
pub(crate) fn host_allowed(host: &str, bind: IpAddr) -> bool {
    let host = host.trim();
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((v6, port)) = rest.split_once(']') else {
            return false;
        };
        (v6, port)
    } else {
        match host.find(':') {
            Some(i) => (&host[..i], &host[i..]),
            None => (host, ""),
        }
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|p| {
            !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
        });
    if !port_ok {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    // A bare IPv6 address must be bracketed in a Host header.
    let bracketed = host.starts_with('[');
    match name.parse::<IpAddr>() {
        Ok(ip @ IpAddr::V6(_)) if bracketed => ip_allowed(ip, bind),
        Ok(ip @ IpAddr::V4(_)) if !bracketed => ip_allowed(ip, bind),
        _ => false,
    }
}

fn ip_allowed(ip: IpAddr, bind: IpAddr) -> bool {
    ip.is_loopback() || ip == bind || bind.is_unspecified()
}

/// Whether an `Origin` header names this server (`http://` plus an allowed host). `null`
/// (sandboxed frames, files) and other schemes are refused.
pub(crate) fn origin_allowed(origin: &str, bind: IpAddr) -> bool {
    origin
        .strip_prefix("http://")
        .is_some_and(|host| !host.contains('/') && host_allowed(host, bind))
}

/// Resolves a request path to a key of the in-memory build: percent-decoded (so Japanese URLs
/// work), `/dir/` → `dir/index.html`. None for anything that tries to climb out.
pub fn resolve(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    if !decoded.starts_with('/') || decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// The redirect target for a folder `key` (a normalised path without leading or trailing
/// `/`, as [`resolve`] returns it): always one `/`, the percent-encoded segments, and `/`. It is
/// built from the normalised path, never from the request, so `//host`, `/\host` and their
/// encoded forms cannot become a redirect to another site.
pub(crate) fn folder_location(key: &str) -> String {
    let mut out = String::from("/");
    for seg in key.split('/').filter(|s| !s.is_empty()) {
        out.push_str(&percent_encode(seg));
        out.push('/');
    }
    out
}

fn percent_encode(seg: &str) -> String {
    let mut out = String::with_capacity(seg.len());
    for &b in seg.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Content type of an output file.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// What a `Range` header asks of a file of `len` bytes (RFC 9110 §14.2).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ranged {
    /// The whole file (200): no header, several ranges, another unit or a malformed value.
    Whole,
    /// Bytes `[a, z)` (206 with `Content-Range`).
    Part(usize, usize),
    /// A well-formed range that starts past the end (416).
    Unsatisfiable,
}

/// Reads a `Range` header: one byte range is answered, anything else gets the whole file.
pub(crate) fn byte_range(header: Option<&str>, len: usize) -> Ranged {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ranged::Whole;
    };
    let Some((a, z)) = spec.trim().split_once('-') else {
        return Ranged::Whole;
    };
    // Digits only (a number too large for usize is as far as any file goes).
    let num = |s: &str| -> Option<usize> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().unwrap_or(usize::MAX))
    };
    let (a, z) = (a.trim(), z.trim());
    if a.is_empty() {
        // `-n`: the last n bytes.
        return match num(z) {
            Some(n) if n > 0 && len > 0 => Ranged::Part(len - n.min(len), len),
            Some(_) => Ranged::Unsatisfiable,
            None => Ranged::Whole,
        };
    }
    let Some(a) = num(a) else {
        return Ranged::Whole;
    };
    let end = match num(z) {
        _ if z.is_empty() => len,
        Some(z) if z >= a => z.saturating_add(1).min(len),
        _ => return Ranged::Whole,
    };
    if a >= len {
        Ranged::Unsatisfiable
    } else {
        Ranged::Part(a, end)
    }
}

/// Writes a whole response. `extra` holds additional header lines, each ending in `\r\n`.
pub(crate) fn respond(
    conn: &mut TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    head_only: bool,
    extra: &str,
) -> io::Result<()> {
    write!(
        conn,
        "HTTP/1.1 {status}\r\ncontent-type: {ctype}\r\ncontent-length: {}\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\n{extra}connection: close\r\n\r\n",
        body.len()
    )?;
    if !head_only {
        conn.write_all(body)?;
    }
    conn.flush()
}

/// A short plain-text refusal (its head only when `head_only`: HEAD never has a body), then a
/// closing. With `drain`, the unread rest of the request (a huge header, a body) is read away
/// for a bounded time and amount first, because closing a socket with unread data resets the
/// connection and can destroy the answer in flight; the caller counts such a connection as a
/// refusal, never as a request being served. Without `drain` only what has already arrived is
/// read away, and nothing waits.
pub(crate) fn refuse(
    conn: &mut TcpStream,
    status: &str,
    extra: &str,
    head_only: bool,
    drain: bool,
) {
    if !drain && conn.set_nonblocking(true).is_err() {
        return;
    }
    let body = format!("{status}\n");
    let text = "text/plain; charset=utf-8";
    if respond(conn, status, text, body.as_bytes(), head_only, extra).is_err() {
        return;
    }
    let _ = conn.shutdown(Shutdown::Write);
    let mut sink = [0u8; 16 * 1024];
    if !drain {
        for _ in 0..4 {
            if !matches!(conn.read(&mut sink), Ok(n) if n > 0) {
                break;
            }
        }
        return;
    }
    let until = Instant::now() + REFUSAL_DRAIN;
    let mut drained = 0usize;
    while drained < 8 << 20 {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || conn.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match conn.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

/// How long a refused connection is drained at most.
const REFUSAL_DRAIN: Duration = Duration::from_secs(2);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_inside_the_site_only() {
        assert_eq!(resolve("/").as_deref(), Some("index.html"));
        assert_eq!(
            resolve("/challenges/").as_deref(),
            Some("challenges/index.html")
        );
        assert_eq!(
            resolve("/assets/style.css?v=1").as_deref(),
            Some("assets/style.css")
        );
        assert_eq!(
            resolve("/themes/%E8%A6%B3%E5%85%89/").as_deref(),
            Some("themes/観光/index.html")
        );
        assert_eq!(resolve("/./a/./b.html").as_deref(), Some("a/b.html"));
        for bad in [
            "/../site.yaml",
            "/%2e%2e/site.yaml",
            "/assets/../../etc/passwd",
            "/a/%2E%2E/%2E%2E/x",
            "/%00",
            "/a\\b",
            "relative",
            "/%zz",
            "/%ff",
        ] {
            assert_eq!(resolve(bad), None, "{bad}");
        }
    }

    #[test]
    fn redirect_targets_always_start_with_one_slash() {
        for target in [
            "//challenges",
            "///challenges",
            "/%2F%2Fchallenges",
            "/%2f/challenges",
            "/./challenges",
            "//./challenges",
            "/challenges",
        ] {
            let key = resolve(target).unwrap();
            assert_eq!(folder_location(&key), "/challenges/", "{target}");
        }
        assert_eq!(
            folder_location("themes/観光"),
            "/themes/%E8%A6%B3%E5%85%89/"
        );
        // Whatever survives resolution is encoded: no CR/LF, no second slash, no backslash.
        let key = resolve("/%0D%0Aset-cookie:x").unwrap();
        assert_eq!(folder_location(&key), "/%0D%0Aset-cookie:x/");
        assert_eq!(resolve("/%5Cevil.example"), None);
    }

    #[test]
    fn only_names_of_this_server_are_accepted_hosts() {
        let local = IpAddr::from([127, 0, 0, 1]);
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(host_allowed(ok, local), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "192.168.1.5:1111",
            "::1",
            "[127.0.0.1]",
            "localhost:",
            "localhost:x",
            "localhost:1111@evil.example",
            "",
        ] {
            assert!(!host_allowed(bad, local), "{bad}");
        }
        let lan = IpAddr::from([192, 168, 1, 5]);
        assert!(host_allowed("192.168.1.5:1111", lan));
        assert!(!host_allowed("192.168.1.6:1111", lan));
        let any = IpAddr::from([0, 0, 0, 0]);
        assert!(host_allowed("10.0.0.7:1111", any));
        assert!(!host_allowed("rebound.evil.example:1111", any));
    }

    #[test]
    fn only_this_servers_origin_is_accepted() {
        let local = IpAddr::from([127, 0, 0, 1]);
        assert!(origin_allowed("http://127.0.0.1:1111", local));
        assert!(origin_allowed("http://localhost:1111", local));
        for bad in [
            "null",
            "http://evil.example",
            "https://evil.example:1111",
            "http://localhost:1111/x",
            "file://",
        ] {
            assert!(!origin_allowed(bad, local), "{bad}");
        }
    }

    #[test]
    fn request_heads_parse_and_bodies_are_noticed() {
        let r = parse_head(b"GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3").unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str()), ("GET", "/a"));
        assert_eq!(r.header("host"), Some("x"));
        assert!(has_body(&r));
        assert_eq!(
            parse_head(b"GET /a HTTP/1.1 extra").unwrap_err(),
            HeadError::Malformed
        );
        assert_eq!(
            parse_head(b"GET /a HTTP/1.1\r\nno colon").unwrap_err(),
            HeadError::Malformed
        );
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nbody"), Some(14));
    }

    #[test]
    fn repeated_single_headers_and_hidden_ones_are_noticed() {
        let r = parse_head(b"GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nx-a: 2").unwrap();
        assert_eq!(repeated_header(&r), None, "other headers may repeat");
        for head in [
            &b"GET / HTTP/1.1\r\nHost: a\r\nhost: b"[..],
            b"GET / HTTP/1.1\r\nhost: a\r\nOrigin: x\r\norigin: x",
            b"GET / HTTP/1.1\r\nhost: a\r\nContent-Length: 0\r\ncontent-length: 0",
            b"GET / HTTP/1.1\r\nhost: a\r\nTransfer-Encoding: a\r\ntransfer-encoding: b",
        ] {
            let r = parse_head(head).unwrap();
            assert!(
                repeated_header(&r).is_some(),
                "{}",
                String::from_utf8_lossy(head)
            );
        }
        for bad in [
            &b"GET / HTTP/1.1\r\nhost: a\rhost: b"[..],
            b"GET / HTTP/1.1\r\nhost: a\x00",
            b"GET / HTTP/1.1\r\nho(st: a",
            b"GET / HTTP/1.1\r\nhost\x01: a",
        ] {
            assert_eq!(parse_head(bad).unwrap_err(), HeadError::Malformed);
        }
        let r = parse_head("GET / HTTP/1.1\r\nx-name: \t日本\t".as_bytes()).unwrap();
        assert_eq!(r.header("x-name"), Some("日本"));
    }

    #[test]
    fn one_byte_range_is_answered_and_anything_else_gets_the_whole_file() {
        let r = |h: &str| byte_range(Some(h), 10);
        assert_eq!(byte_range(None, 10), Ranged::Whole);
        assert_eq!(r("bytes=0-3"), Ranged::Part(0, 4));
        assert_eq!(r("bytes=4-"), Ranged::Part(4, 10));
        assert_eq!(r("bytes=8-100"), Ranged::Part(8, 10), "the end is clipped");
        assert_eq!(r("bytes=-3"), Ranged::Part(7, 10));
        assert_eq!(r("bytes=-30"), Ranged::Part(0, 10));
        assert_eq!(r(" bytes= 2 - 2 "), Ranged::Part(2, 3));
        for bad in [
            "bytes=10-",
            "bytes=10-12",
            "bytes=-0",
            "bytes=99999999999999999999999-",
        ] {
            assert_eq!(r(bad), Ranged::Unsatisfiable, "{bad}");
        }
        assert_eq!(byte_range(Some("bytes=0-"), 0), Ranged::Unsatisfiable);
        for whole in [
            "bytes=0-1,4-5",
            "bytes=5-2",
            "bytes=-",
            "items=0-1",
            "bytes=a-b",
            "bytes=0",
        ] {
            assert_eq!(r(whole), Ranged::Whole, "{whole}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("challenges/open.json"), "application/json");
        assert_eq!(content_type("img/a.webp"), "image/webp");
        assert_eq!(content_type("search/x/s/1.bin"), "application/octet-stream");
    }
}
