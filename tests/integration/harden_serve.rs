//! Hardening of `tsunagari serve` (issue 11, area serve): it survives its own panics, answers
//! only requests naming it, bounds what one client can hold, and never redirects to another
//! host. Spoken to over raw TCP, so no client tidies up what we send.

use crate::common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tsunagari::diagnostics::Problem;
use tsunagari::serve::{self, ServeOptions, Server};

const MARKER: &str = "TSUNAGARI-TEST-PANIC";

fn options(t: &SiteTest) -> ServeOptions {
    serve::options(&t.root, NOW)
}

fn start_with(opts: ServeOptions) -> Server {
    serve::start(opts, Arc::new(|_| {})).unwrap()
}

/// Sends `request` as is and reads the whole answer: (status line, lowercased headers, body).
fn raw(server: &Server, request: &str) -> (String, String, Vec<u8>) {
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    split(&buf)
}

/// Like [`raw`], but gives up reading after `limit` in all (an answer that never ends, like an
/// event stream kept alive, is then returned as far as it came).
fn raw_within(server: &Server, request: &str, limit: Duration) -> (String, String, Vec<u8>) {
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let until = Instant::now() + limit;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || s.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match s.read(&mut chunk) {
            Ok(n) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    split(&buf)
}

fn split(buf: &[u8]) -> (String, String, Vec<u8>) {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return (
            String::from_utf8_lossy(buf).into_owned(),
            String::new(),
            vec![],
        );
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let (status, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
    (
        status.to_string(),
        headers.to_lowercase(),
        buf[end + 4..].to_vec(),
    )
}

fn get(server: &Server, target: &str) -> (String, String, Vec<u8>) {
    raw(
        server,
        &format!(
            "GET {target} HTTP/1.1\r\nhost: 127.0.0.1:{}\r\n\r\n",
            server.addr.port()
        ),
    )
}

fn page(server: &Server, target: &str) -> String {
    String::from_utf8(get(server, target).2).unwrap()
}

fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(20) {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

fn is_bug(server: &Server) -> bool {
    server
        .errors()
        .iter()
        .any(|d| matches!(d.problem, Problem::Bug { .. }))
}

#[test]
fn a_panicking_update_keeps_the_last_good_site_shows_the_bug_and_the_next_save_rebuilds() {
    let t = SiteTest::from_fixture("minimal");
    let mut opts = options(&t);
    opts.faults.panic_on_source = Some(MARKER.into());
    let server = start_with(opts);
    assert!(page(&server, "/columns/hello/").contains("はじめてのコラム"));
    t.file(
        "content/columns/hello.md",
        &format!("---\ntitle: 落ちるコラム\ndate: 2026-02-01\n---\n{MARKER}\n"),
    );
    eventually("the panic to be reported", || is_bug(&server));
    let d = &server.errors()[0];
    assert_eq!(
        d.path.to_string_lossy(),
        "content/columns/hello.md",
        "the file"
    );
    let errors: serde_json::Value =
        serde_json::from_slice(&get(&server, "/__tsunagari/errors").2).unwrap();
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("tsunagari の不具合"), "{message}");
    assert!(
        message.contains("injected fault"),
        "the panic message: {message}"
    );
    assert!(errors[0]["help"].as_str().unwrap().contains("報告"));
    assert!(
        page(&server, "/columns/hello/").contains("はじめてのコラム"),
        "the last good site is still served"
    );
    // Still watching: the next good save is built and shown.
    t.file(
        "content/columns/hello.md",
        "---\ntitle: 直したコラム\ndate: 2026-02-01\n---\n本文\n",
    );
    eventually("the next good save", || {
        page(&server, "/columns/hello/").contains("直したコラム")
    });
    assert!(server.errors().is_empty());
    // And the one after it (the builder did not die on the way).
    t.file(
        "content/columns/hello.md",
        "---\ntitle: もう一度直したコラム\ndate: 2026-02-01\n---\n本文\n",
    );
    eventually("a later save", || {
        page(&server, "/columns/hello/").contains("もう一度直したコラム")
    });
}

#[test]
fn a_panicking_first_build_still_starts_the_server_and_recovers() {
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "content/columns/hello.md",
        &format!("---\ntitle: 最初から落ちる\ndate: 2026-02-01\n---\n{MARKER}\n"),
    );
    let mut opts = options(&t);
    opts.faults.panic_on_source = Some(MARKER.into());
    let server = start_with(opts);
    assert!(is_bug(&server), "{:?}", server.errors());
    assert!(
        get(&server, "/").0.starts_with("HTTP/1.1 404"),
        "nothing built yet"
    );
    t.file(
        "content/columns/hello.md",
        "---\ntitle: 起動後に直した\ndate: 2026-02-01\n---\n",
    );
    eventually("the repaired site", || {
        page(&server, "/columns/hello/").contains("起動後に直した")
    });
}

#[test]
fn a_panic_while_answering_a_request_ends_only_that_request() {
    let t = SiteTest::from_fixture("minimal");
    let mut opts = options(&t);
    opts.faults.panic_on_request = Some("/boom".into());
    opts.limits.connections = 4;
    let server = start_with(opts);
    // More panics than the server holds connections: none of them leaks a slot.
    for _ in 0..10 {
        assert_eq!(
            get(&server, "/boom").0,
            "HTTP/1.1 500 Internal Server Error"
        );
        assert_eq!(get(&server, "/").0, "HTTP/1.1 200 OK");
    }
}

#[test]
fn requests_naming_another_host_are_refused() {
    let t = SiteTest::from_fixture("minimal");
    let server = start_with(options(&t));
    let port = server.addr.port();
    for target in [
        "/",
        "/columns/hello/",
        "/__tsunagari/errors",
        "/__tsunagari/events",
    ] {
        for host in [
            "evil.example".to_string(),
            format!("evil.example:{port}"),
            format!("127.0.0.1.evil.example:{port}"),
            format!("localhost.evil.example:{port}"),
        ] {
            let (status, _, body) = raw(
                &server,
                &format!("GET {target} HTTP/1.1\r\nhost: {host}\r\n\r\n"),
            );
            assert_eq!(
                status, "HTTP/1.1 421 Misdirected Request",
                "{target} {host}"
            );
            assert!(!String::from_utf8_lossy(&body).contains("コラム"));
        }
        let (status, _, _) = raw(&server, &format!("GET {target} HTTP/1.1\r\n\r\n"));
        assert_eq!(status, "HTTP/1.1 421 Misdirected Request", "no Host");
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("[::1]:{port}"),
    ] {
        let (status, _, _) = raw(&server, &format!("GET / HTTP/1.1\r\nhost: {host}\r\n\r\n"));
        assert_eq!(status, "HTTP/1.1 200 OK", "{host}");
    }
}

#[test]
fn requests_from_another_origin_are_refused() {
    let t = SiteTest::from_fixture("minimal");
    let server = start_with(options(&t));
    let port = server.addr.port();
    for target in ["/__tsunagari/events", "/__tsunagari/errors", "/"] {
        for origin in [
            "http://evil.example",
            "null",
            &format!("https://127.0.0.1:{port}"),
        ] {
            let (status, _, _) = raw(
                &server,
                &format!(
                    "GET {target} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\norigin: {origin}\r\n\r\n"
                ),
            );
            assert_eq!(status, "HTTP/1.1 403 Forbidden", "{target} {origin}");
        }
    }
    let (status, _, _) = raw(
        &server,
        &format!("GET /__tsunagari/errors HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\norigin: http://127.0.0.1:{port}\r\n\r\n"),
    );
    assert_eq!(status, "HTTP/1.1 200 OK", "the preview's own origin");
}

#[test]
fn a_request_head_over_16_kib_gets_431_and_the_server_goes_on() {
    let t = SiteTest::from_fixture("minimal");
    let server = start_with(options(&t));
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut w = s.try_clone().unwrap();
    // Up to 1 GiB of header, as long as the server takes it.
    let writer = std::thread::spawn(move || {
        let _ = w.write_all(b"GET / HTTP/1.1\r\nhost: localhost\r\n");
        let line = format!("x-filler: {}\r\n", "a".repeat(1000));
        let mut sent = 0usize;
        while sent < 1 << 30 {
            if w.write_all(line.as_bytes()).is_err() {
                break;
            }
            sent += line.len();
        }
        sent
    });
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    assert_eq!(
        split(&buf).0,
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
    drop(s);
    let sent = writer.join().unwrap();
    assert!(sent < 1 << 30, "the server stopped taking the header");
    assert_eq!(get(&server, "/").0, "HTTP/1.1 200 OK");
}

#[test]
fn requests_with_a_body_or_another_method_are_refused() {
    let t = SiteTest::from_fixture("minimal");
    let server = start_with(options(&t));
    let (status, headers, _) = raw(
        &server,
        "POST / HTTP/1.1\r\nhost: localhost\r\ncontent-length: 5\r\n\r\nhello",
    );
    assert_eq!(status, "HTTP/1.1 405 Method Not Allowed");
    assert!(headers.contains("allow: get, head"));
    for extra in ["content-length: 5", "transfer-encoding: chunked"] {
        let (status, _, _) = raw(
            &server,
            &format!("GET / HTTP/1.1\r\nhost: localhost\r\n{extra}\r\n\r\nhello"),
        );
        assert_eq!(status, "HTTP/1.1 413 Content Too Large", "{extra}");
    }
    let (status, _, _) = raw(
        &server,
        "GET / HTTP/1.1\r\nhost: localhost\r\ncontent-length: 0\r\n\r\n",
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
}

#[test]
fn a_thousand_idle_connections_do_not_stop_normal_requests() {
    let t = SiteTest::from_fixture("minimal");
    let opts = options(&t);
    let cap = opts.limits.connections;
    let server = start_with(opts);
    let mut idle = Vec::new();
    for i in 0..1000 {
        let mut s = TcpStream::connect(server.addr).unwrap();
        // Some say nothing, some start a request and stall.
        if i % 2 == 0 {
            let _ = s.write_all(b"GET / HTTP/1.1\r\nhost: local");
        }
        idle.push(s);
    }
    let (status, _, body) = get(&server, "/columns/hello/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("はじめてのコラム"));
    let (reading, serving, _, _) = server.connections();
    assert!(reading + serving <= cap, "held {reading}+{serving} > {cap}");
}

#[test]
fn a_client_too_slow_to_send_its_request_is_answered_408() {
    let t = SiteTest::from_fixture("minimal");
    let mut opts = options(&t);
    opts.limits.head_timeout = Duration::from_millis(300);
    let server = start_with(opts);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    // One byte at a time, for longer than the deadline: it does not extend it.
    let mut w = s.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        for b in b"host: localhost\r\nx-slow: 1\r\n"
            .iter()
            .cycle()
            .take(1 << 20)
        {
            if w.write_all(&[*b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    });
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let _ = s.shutdown(std::net::Shutdown::Both);
    writer.join().unwrap();
    assert_eq!(split(&buf).0, "HTTP/1.1 408 Request Timeout");
}

#[test]
fn event_streams_have_their_own_cap_and_pages_are_still_answered() {
    let t = SiteTest::from_fixture("minimal");
    let mut opts = options(&t);
    opts.limits.streams = 2;
    let server = start_with(opts);
    let open = || {
        let mut s = TcpStream::connect(server.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s.write_all(b"GET /__tsunagari/events HTTP/1.1\r\nhost: localhost\r\n\r\n")
            .unwrap();
        let mut seen = String::new();
        let mut buf = [0u8; 512];
        while !seen.contains("\r\n\r\n") {
            let n = s.read(&mut buf).unwrap();
            assert!(n > 0, "closed: {seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        (s, seen)
    };
    let (_a, first) = open();
    let (_b, second) = open();
    assert!(first.starts_with("HTTP/1.1 200 OK") && second.starts_with("HTTP/1.1 200 OK"));
    let (_c, third) = open();
    assert!(third.starts_with("HTTP/1.1 503"), "{third}");
    assert_eq!(get(&server, "/").0, "HTTP/1.1 200 OK");
}

#[test]
fn redirects_never_point_to_another_host() {
    let t = SiteTest::from_fixture("minimal");
    let server = start_with(options(&t));
    for target in [
        "/challenges",
        "//challenges",
        "///challenges",
        "/%2F%2Fchallenges",
        "/%2f/challenges",
        "/./challenges",
        "//./challenges",
        "/.//challenges",
    ] {
        let (status, headers, _) = get(&server, target);
        assert_eq!(status, "HTTP/1.1 301 Moved Permanently", "{target}");
        assert!(
            headers.contains("location: /challenges/\r\n")
                || headers.ends_with("location: /challenges/"),
            "{target}: {headers}"
        );
    }
    for target in [
        "/\\challenges",
        "/%5Cchallenges",
        "/./..//challenges",
        "/%2e%2e//challenges",
    ] {
        let (status, headers, _) = get(&server, target);
        assert!(!headers.contains("location:"), "{target}: {headers}");
        assert_eq!(status, "HTTP/1.1 400 Bad Request", "{target}");
    }
}

/// Opens a connection, sends `request` and reads until the end of the answer's head; the
/// connection stays open (a client that lingers). Returns the connection and the head.
fn linger(server: &Server, request: &str) -> (TcpStream, String) {
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 512];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(n) if n > 0 => seen.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    (s, String::from_utf8_lossy(&seen).into_owned())
}

#[test]
fn refused_connections_that_linger_do_not_take_the_room_of_page_requests() {
    let t = SiteTest::from_fixture("minimal");
    let mut opts = options(&t);
    opts.limits.connections = 8;
    opts.limits.streams = 2;
    let server = start_with(opts);
    let mut held = Vec::new();
    // Five times the connection cap of bad requests, each client keeping its socket open after
    // the answer: every one is answered 400 (none 503: refusals hold no request's room).
    for i in 0..40 {
        let (s, head) = linger(&server, "X\r\n\r\n");
        assert!(
            head.starts_with("HTTP/1.1 400 Bad Request"),
            "{i}: {head:?}"
        );
        held.push(s);
    }
    assert_eq!(get(&server, "/").0, "HTTP/1.1 200 OK");
    // Ten times the stream cap of event streams: the refused ones do not stop pages either.
    let events = "GET /__tsunagari/events HTTP/1.1\r\nhost: localhost\r\n\r\n";
    let mut answers = Vec::new();
    for _ in 0..20 {
        let (s, head) = linger(&server, events);
        answers.push(head.lines().next().unwrap_or("").to_string());
        held.push(s);
    }
    let ok = answers.iter().filter(|a| *a == "HTTP/1.1 200 OK").count();
    let busy = answers
        .iter()
        .filter(|a| a.starts_with("HTTP/1.1 503"))
        .count();
    assert_eq!((ok, busy), (2, 18), "{answers:?}");
    for target in ["/", "/columns/hello/", "/__tsunagari/errors"] {
        assert_eq!(get(&server, target).0, "HTTP/1.1 200 OK", "{target}");
    }
    // The last answer's thread gives its slot back just after closing the socket.
    eventually("only the two streams to be held", || {
        let (_, serving, streams, _) = server.connections();
        (serving, streams) == (0, 2)
    });
}

#[test]
fn a_closed_event_stream_frees_its_slot_for_the_next_tab() {
    let t = SiteTest::from_fixture("minimal");
    let mut opts = options(&t);
    opts.limits.streams = 2;
    let server = start_with(opts);
    let events = "GET /__tsunagari/events HTTP/1.1\r\nhost: localhost\r\n\r\n";
    // An author reloading the page again and again: each tab's stream closes as the next opens.
    for round in 0..5 {
        let tabs: Vec<_> = (0..2).map(|_| linger(&server, events)).collect();
        for (_, head) in &tabs {
            assert!(head.starts_with("HTTP/1.1 200 OK"), "round {round}: {head}");
        }
        drop(tabs);
        eventually("the closed streams to be freed", || {
            server.connections().2 == 0
        });
    }
}

#[test]
fn repeated_host_origin_or_framing_headers_are_refused_with_400() {
    let t = SiteTest::from_fixture("minimal");
    let server = start_with(options(&t));
    let port = server.addr.port();
    let own = format!("127.0.0.1:{port}");
    for headers in [
        format!("host: {own}\r\nhost: evil.example"),
        format!("host: evil.example\r\nhost: {own}"),
        format!("host: {own}\r\nHOST: {own}"),
        format!("host: {own}\r\norigin: http://{own}\r\norigin: http://evil.example"),
        format!("host: {own}\r\ncontent-length: 0\r\ncontent-length: 0"),
        format!("host: {own}\r\ntransfer-encoding: chunked\r\ntransfer-encoding: chunked"),
        // A bare CR hides a second Host inside the first one's value.
        format!("host: {own}\rhost: evil.example"),
        // Header names are tokens.
        format!("host: {own}\r\nx(y): 1"),
    ] {
        for target in ["/", "/__tsunagari/events", "/__tsunagari/errors"] {
            let (status, _, _) = raw(
                &server,
                &format!("GET {target} HTTP/1.1\r\n{headers}\r\n\r\n"),
            );
            assert_eq!(status, "HTTP/1.1 400 Bad Request", "{target} {headers:?}");
        }
    }
    assert_eq!(get(&server, "/").0, "HTTP/1.1 200 OK");
}

#[test]
fn head_requests_are_answered_without_a_body() {
    let t = SiteTest::from_fixture("minimal");
    let server = start_with(options(&t));
    let port = server.addr.port();
    for (target, host, status) in [
        (
            "/__tsunagari/events",
            format!("127.0.0.1:{port}"),
            "HTTP/1.1 200 OK",
        ),
        ("/", format!("127.0.0.1:{port}"), "HTTP/1.1 200 OK"),
        (
            "/missing/",
            format!("127.0.0.1:{port}"),
            "HTTP/1.1 404 Not Found",
        ),
        (
            "/__tsunagari/errors",
            format!("127.0.0.1:{port}"),
            "HTTP/1.1 200 OK",
        ),
        (
            "/",
            "evil.example".to_string(),
            "HTTP/1.1 421 Misdirected Request",
        ),
    ] {
        let request = format!("HEAD {target} HTTP/1.1\r\nhost: {host}\r\n\r\n");
        let (got, headers, body) = raw_within(&server, &request, Duration::from_secs(10));
        assert_eq!(got, status, "{target} {host}");
        assert!(
            body.is_empty(),
            "{target}: {:?}",
            String::from_utf8_lossy(&body)
        );
        if target == "/__tsunagari/events" {
            assert!(
                headers.contains("content-type: text/event-stream"),
                "{headers}"
            );
        }
    }
    assert_eq!(server.connections().2, 0, "HEAD opens no event stream");
}

/// How many inotify watches of this process are on the folder `dir` (by inode; Linux lists
/// each watch in `/proc/self/fdinfo`).
fn inotify_watches_on(dir: &std::path::Path) -> usize {
    use std::os::unix::fs::MetadataExt;
    let ino = format!("ino:{:x}", std::fs::metadata(dir).unwrap().ino());
    let mut n = 0;
    for fd in std::fs::read_dir("/proc/self/fdinfo").unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(fd.path()) else {
            continue;
        };
        n += text
            .lines()
            .filter(|l| l.starts_with("inotify wd:") && l.split(' ').any(|f| f == ino))
            .count();
    }
    n
}

#[test]
fn links_out_of_the_site_are_never_watched_and_links_inside_still_update() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let deep = outside.path().join("etc/deep");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("passwd"), "secret").unwrap();
    let t = SiteTest::from_fixture("minimal");
    t.file("shared/note.txt", "一版");
    std::fs::create_dir_all(t.root.join("static")).unwrap();
    symlink(outside.path(), t.root.join("static/d")).unwrap();
    symlink(outside.path(), t.root.join("static/.well-known")).unwrap();
    symlink(outside.path().join("etc"), t.root.join("static/etc")).unwrap();
    symlink(t.root.join("shared"), t.root.join("static/shared")).unwrap();
    let server = start_with(options(&t));
    assert!(
        inotify_watches_on(&t.root.join("content")) > 0,
        "the site's own folders are watched"
    );
    for dir in [
        outside.path().to_path_buf(),
        outside.path().join("etc"),
        deep,
    ] {
        assert_eq!(inotify_watches_on(&dir), 0, "{} is watched", dir.display());
    }
    assert_eq!(
        get(&server, "/d/etc/deep/passwd").0,
        "HTTP/1.1 404 Not Found"
    );
    // A link the build follows (its target inside the site) is watched through its target.
    assert_eq!(page(&server, "/shared/note.txt"), "一版");
    t.file("shared/note.txt", "二版");
    eventually("the linked file to update", || {
        page(&server, "/shared/note.txt") == "二版"
    });
}
