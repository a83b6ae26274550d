//! `tsunagari serve`: a live server on a free loopback port, spoken to with raw HTTP so that no
//! client tidies up the paths we try to escape with.

use crate::common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tsunagari::serve::{self, Server};

/// (status line, headers, body) of a raw GET.
fn get(server: &Server, target: &str) -> (String, String, Vec<u8>) {
    get_with(server, target, "")
}

/// A raw GET with `extra` header lines (each ending in `\r\n`).
fn get_with(server: &Server, target: &str, extra: &str) -> (String, String, Vec<u8>) {
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {target} HTTP/1.1\r\nhost: localhost\r\n{extra}\r\n").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let (status, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
    (
        status.to_string(),
        headers.to_lowercase(),
        buf[split + 4..].to_vec(),
    )
}

fn start(t: &SiteTest) -> Server {
    serve::start(serve::options(&t.root, NOW), Arc::new(|_| {})).unwrap()
}

/// Waits until `f` holds (rebuilds happen on another thread after the watcher fires).
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(15) {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

#[test]
fn serves_the_site_with_the_right_types_and_a_real_404() {
    let t = SiteTest::from_fixture("minimal");
    let server = start(&t);
    assert!(
        server.addr.ip().is_loopback(),
        "binds to 127.0.0.1 by default"
    );
    let (status, headers, body) = get(&server, "/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(headers.contains("content-type: text/html; charset=utf-8"));
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("<script type=\"module\" src=\"/__tsunagari/live.js\""),
        "the reload client is injected"
    );
    assert!(
        html.contains(&format!("http://{}/", server.addr)),
        "pages link to the preview"
    );
    // Theme assets under the names the pages give them.
    let doc = scraper::Html::parse_document(&html);
    let css = attrs(&doc, "link[rel=stylesheet]", "href").remove(0);
    let (_, _, search) = get(&server, "/search/");
    let search = scraper::Html::parse_document(&String::from_utf8(search).unwrap());
    let script = attrs(&search, "script[type=module][src*='/search.']", "src").remove(0);
    let module = attrs(&search, "link[rel=modulepreload]", "href").remove(0);
    for (path, ctype) in [
        ("/atom.xml", "application/xml; charset=utf-8"),
        ("/challenges/open.json", "application/json"),
        (css.as_str(), "text/css; charset=utf-8"),
        (script.as_str(), "text/javascript; charset=utf-8"),
        // The modules search.js imports: a browser runs a module only with a JavaScript type.
        (module.as_str(), "text/javascript; charset=utf-8"),
        ("/cases/good-case/photo.svg", "image/svg+xml"),
    ] {
        let (status, headers, _) = get(&server, path);
        assert_eq!(status, "HTTP/1.1 200 OK", "{path}");
        assert!(
            headers.contains(&format!("content-type: {ctype}")),
            "{path}: {headers}"
        );
    }
    let (status, _, body) = get(&server, "/themes/%E8%A6%B3%E5%85%89/");
    assert_eq!(status, "HTTP/1.1 200 OK", "Japanese URLs, percent-encoded");
    assert!(String::from_utf8(body).unwrap().contains("締切が近い課題"));
    let (status, _, body) = get(&server, "/no/such/page/");
    assert_eq!(status, "HTTP/1.1 404 Not Found");
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("ページが見つかりません"));
    let (status, headers, _) = get(&server, "/challenges");
    assert_eq!(status, "HTTP/1.1 301 Moved Permanently");
    assert!(headers.contains("location: /challenges/"));
}

#[test]
fn files_answer_one_byte_range_as_the_search_packs_need() {
    let t = SiteTest::from_fixture("minimal");
    let server = start(&t);
    // The style sheet under the name the home page gives it (a hashed name).
    let (_, _, home) = get(&server, "/");
    let home = scraper::Html::parse_document(&String::from_utf8(home).unwrap());
    let css = attrs(&home, "link[rel=stylesheet]", "href").remove(0);
    let (status, headers, whole) = get(&server, &css);
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(headers.contains("accept-ranges: bytes"), "{headers}");
    let len = whole.len();
    assert!(len > 20);
    let (status, headers, body) = get_with(&server, &format!("{css}?v=1"), "range: bytes=5-14\r\n");
    assert_eq!(status, "HTTP/1.1 206 Partial Content");
    assert!(
        headers.contains(&format!("content-range: bytes 5-14/{len}")),
        "{headers}"
    );
    assert_eq!(body, &whole[5..15]);
    let (_, _, tail) = get_with(&server, &css, "range: bytes=-4\r\n");
    assert_eq!(tail, &whole[len - 4..]);
    let (status, headers, _) = get_with(&server, &css, &format!("range: bytes={len}-\r\n"));
    assert_eq!(status, "HTTP/1.1 416 Range Not Satisfiable");
    assert!(
        headers.contains(&format!("content-range: bytes */{len}")),
        "{headers}"
    );
    // Several ranges: the whole file, as RFC 9110 allows.
    let (status, _, body) = get_with(&server, &css, "range: bytes=0-1,4-5\r\n");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(body, whole);
}

#[test]
fn paths_outside_the_site_are_refused() {
    let t = SiteTest::from_fixture("minimal");
    t.file("static/secret-target.txt", "公開してよいファイル");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", t.root.join("static/link-out")).unwrap();
    let server = start(&t);
    for target in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/assets/../../content/about.md",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/a\\..\\site.yaml",
    ] {
        let (status, _, body) = get(&server, target);
        assert!(
            status.starts_with("HTTP/1.1 400") || status.starts_with("HTTP/1.1 404"),
            "{target}: {status}"
        );
        assert!(
            !String::from_utf8_lossy(&body).contains("base_url"),
            "{target} leaked site.yaml"
        );
    }
    let (status, _, _) = get(&server, "/site.yaml");
    assert!(
        status.starts_with("HTTP/1.1 404"),
        "sources are not the site"
    );
    let (status, _, _) = get(&server, "/link-out");
    assert!(
        status.starts_with("HTTP/1.1 404"),
        "a symlink out of static/ is not followed"
    );
    let (status, _, _) = get(&server, "/secret-target.txt");
    assert_eq!(status, "HTTP/1.1 200 OK");
}

#[test]
fn a_save_rebuilds_and_a_broken_save_keeps_the_last_good_build() {
    let t = SiteTest::from_fixture("minimal");
    let server = start(&t);
    let page = |s: &Server| String::from_utf8(get(s, "/columns/hello/").2).unwrap();
    assert!(page(&server).contains("はじめてのコラム"));
    // Edit: the page follows.
    t.file(
        "content/columns/hello.md",
        "---\ntitle: 書き直したコラム\ndate: 2026-02-01\n---\n新しい本文\n",
    );
    eventually("the edited title", || {
        page(&server).contains("書き直したコラム")
    });
    // Break it: the last good page stays, and the problem is published with file and line.
    t.file(
        "content/columns/hello.md",
        "---\ntitle: 壊れたコラム\ndate: 2026-13-45\n---\n",
    );
    eventually("the problem to be reported", || !server.errors().is_empty());
    assert!(
        page(&server).contains("書き直したコラム"),
        "still the last good build"
    );
    let errors: serde_json::Value =
        serde_json::from_slice(&get(&server, "/__tsunagari/errors").2).unwrap();
    assert_eq!(errors[0]["file"], "content/columns/hello.md");
    assert_eq!(errors[0]["line"], 3);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("2026-13-45"));
    // Fix it: the problem clears and the new page is served.
    t.file(
        "content/columns/hello.md",
        "---\ntitle: 修正済みのコラム\ndate: 2026-02-01\n---\n",
    );
    eventually("the fixed page", || {
        page(&server).contains("修正済みのコラム")
    });
    assert!(server.errors().is_empty());
    // Nothing was written to disk.
    assert!(!t.public().exists(), "serve builds in memory");
}

#[test]
fn the_event_stream_says_reload_after_a_save() {
    let t = SiteTest::from_fixture("minimal");
    let server = start(&t);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    write!(
        s,
        "GET /__tsunagari/events HTTP/1.1\r\nhost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 512];
    // Wait for the stream to open before saving.
    while !seen.contains(": connected") {
        let n = s.read(&mut buf).unwrap();
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("content-type: text/event-stream"));
    t.file(
        "content/about.md",
        "---\ntitle: このサイトについて（更新）\n---\n説明\n",
    );
    while !seen.contains("event: reload") {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "stream closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}
