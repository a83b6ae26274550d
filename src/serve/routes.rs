//! The preview server's connections and answers: the accept loop, one thread per held
//! connection (their number capped by [`Registry`]), the checks every request passes (size,
//! method, body, Host, Origin), the in-memory files with the live client added to HTML, the
//! event stream, the problems as JSON and the client script itself.
//!
//! Must not: block the accept loop, answer from the filesystem, or let a panic while answering
//! one request end the server.

use super::http::{self, HeadError, Request};
use super::{lock, read, Bug, Event, State, CLIENT_JS, ERRORS, EVENTS, LIVE_JS};
use std::io::{self, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The tag added before `</body>` of every HTML page served: an external module script, so a
/// page's Content-Security-Policy (`script-src 'self'`) allows it.
pub(crate) const CLIENT_TAG: &str =
    "<script type=\"module\" src=\"/__tsunagari/live.js\" data-tsunagari></script>\n";

/// Accepts connections until the server stops. Never waits on a client: a connection is handed
/// to its own thread at once, or refused with 503 when the registry has no room.
pub(crate) fn accept_loop(state: Arc<State>, listener: TcpListener) {
    for conn in listener.incoming() {
        if state.stop.load(Ordering::SeqCst) {
            break;
        }
        match conn {
            Ok(conn) => admit(&state, conn),
            // Out of file descriptors or a connection reset before we took it: the listener
            // stays usable; back off a moment so an exhausted process does not spin.
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

fn admit(state: &Arc<State>, mut conn: TcpStream) {
    let _ = conn.set_write_timeout(Some(state.limits.write_timeout));
    let admitted = lock(&state.conns).admit(&conn, state.limits.connections);
    let Some(id) = admitted else {
        http::refuse(&mut conn, "503 Service Unavailable", "retry-after: 1\r\n");
        return;
    };
    let st = state.clone();
    let spawned = std::thread::Builder::new()
        .name("tsunagari-http".into())
        .stack_size(512 * 1024)
        .spawn(move || connection(&st, conn, id));
    if spawned.is_err() {
        lock(&state.conns).forget(id);
    }
}

/// Which count of the registry a connection occupies while it is answered.
enum Slot {
    Serving,
    Stream,
}

fn connection(state: &State, mut conn: TcpStream, id: u64) {
    let deadline = Instant::now() + state.limits.head_timeout;
    let head = http::read_head(&mut conn, state.limits.max_head, deadline);
    if !lock(&state.conns).serve(id) {
        // Evicted to make room, or gone: nothing to answer.
        return;
    }
    let mut slot = Slot::Serving;
    let target = head.as_ref().map(|r| r.target.clone()).unwrap_or_default();
    let answered = catch_unwind(AssertUnwindSafe(|| match head {
        Ok(req) => answer(state, &mut conn, &req, &mut slot),
        Err(e) => {
            refuse_head(&mut conn, e);
            Ok(())
        }
    }));
    if let Err(payload) = answered {
        let bug = Bug::new(payload.as_ref(), format!("GET {target}"));
        (state.log)(Event::Bug(bug.diagnostic()));
        let _ = http::respond(
            &mut conn,
            "500 Internal Server Error",
            "text/plain; charset=utf-8",
            "500 Internal Server Error\n".as_bytes(),
            false,
            "",
        );
    }
    let _ = conn.shutdown(Shutdown::Both);
    let mut reg = lock(&state.conns);
    match slot {
        Slot::Serving => reg.served(),
        Slot::Stream => reg.close_stream(),
    }
}

fn refuse_head(conn: &mut TcpStream, e: HeadError) {
    match e {
        HeadError::TooLarge => http::refuse(conn, "431 Request Header Fields Too Large", ""),
        HeadError::Timeout => http::refuse(conn, "408 Request Timeout", ""),
        HeadError::Malformed => http::refuse(conn, "400 Bad Request", ""),
        HeadError::Closed => {}
    }
}

/// Answers one request that passed the size limit.
fn answer(state: &State, conn: &mut TcpStream, req: &Request, slot: &mut Slot) -> io::Result<()> {
    if req.method != "GET" && req.method != "HEAD" {
        http::refuse(conn, "405 Method Not Allowed", "allow: GET, HEAD\r\n");
        return Ok(());
    }
    if http::has_body(req) {
        http::refuse(conn, "413 Content Too Large", "");
        return Ok(());
    }
    let host_ok = match req.header("host") {
        Some(h) => http::host_allowed(h, state.bind),
        None => req.version == "HTTP/1.0",
    };
    if !host_ok {
        http::refuse(conn, "421 Misdirected Request", "");
        return Ok(());
    }
    if req
        .header("origin")
        .is_some_and(|o| !http::origin_allowed(o, state.bind))
    {
        http::refuse(conn, "403 Forbidden", "");
        return Ok(());
    }
    if let Some(path) = &state.faults.panic_on_request {
        if req.target == *path {
            panic!("injected fault: a panic while answering {path}");
        }
    }
    let head = req.method == "HEAD";
    let path_only = req.target.split(['?', '#']).next().unwrap_or("");
    match path_only {
        EVENTS => {
            if !lock(&state.conns).open_stream(state.limits.streams) {
                http::refuse(conn, "503 Service Unavailable", "retry-after: 5\r\n");
                return Ok(());
            }
            *slot = Slot::Stream;
            return events(state, conn);
        }
        ERRORS => {
            let body = errors_json(state);
            return http::respond(
                conn,
                "200 OK",
                "application/json",
                body.as_bytes(),
                head,
                "",
            );
        }
        LIVE_JS => {
            let ctype = "text/javascript; charset=utf-8";
            return http::respond(conn, "200 OK", ctype, CLIENT_JS.as_bytes(), head, "");
        }
        _ => {}
    }
    file(state, conn, &req.target, head)
}

/// A file of the in-memory build, a redirect to a folder's `/`, or the site's 404 page.
fn file(state: &State, conn: &mut TcpStream, target: &str, head: bool) -> io::Result<()> {
    let files = read(&state.files).clone();
    let Some(key) = http::resolve(target) else {
        let text = "text/plain; charset=utf-8";
        return http::respond(conn, "400 Bad Request", text, b"bad request", head, "");
    };
    if let Some(bytes) = files.get(&key) {
        let ctype = http::content_type(&key);
        if key.ends_with(".html") {
            return http::respond(conn, "200 OK", ctype, &inject(bytes), head, "");
        }
        return http::respond(conn, "200 OK", ctype, bytes, head, "");
    }
    // `/dir` for a folder with an index: redirect to `/dir/`, built from the normalised path.
    if files.contains_key(&format!("{key}/index.html")) {
        let location = format!("location: {}\r\n", http::folder_location(&key));
        let text = "text/plain; charset=utf-8";
        let moved = "301 Moved Permanently";
        return http::respond(conn, moved, text, b"moved", head, &location);
    }
    let body = files
        .get("404.html")
        .map(|b| inject(b))
        .unwrap_or_else(|| b"not found".to_vec());
    let html = "text/html; charset=utf-8";
    http::respond(conn, "404 Not Found", html, &body, head, "")
}

/// Server-sent events: `reload` after a good build, `problems` after a failed one.
fn events(state: &State, conn: &mut TcpStream) -> io::Result<()> {
    conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-store\r\nconnection: keep-alive\r\n\r\n: connected\n\n")?;
    conn.flush()?;
    let mut seen = *lock(&state.version);
    loop {
        let guard = lock(&state.version);
        let (guard, timeout) = state
            .changed
            .wait_timeout_while(guard, Duration::from_secs(15), |v| {
                *v == seen && !state.stop.load(Ordering::SeqCst)
            })
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        if timeout.timed_out() {
            drop(guard);
            conn.write_all(b": keep-alive\n\n")?;
            conn.flush()?;
            continue;
        }
        let now = *guard;
        drop(guard);
        let paths = changed_since(state, seen, now);
        seen = now;
        let msg = if read(&state.errors).is_empty() {
            let data = match paths.as_deref().map(reload_scope) {
                Some(Some(p)) if p.is_empty() => continue,
                Some(Some(p)) => serde_json::json!({ "paths": p }),
                _ => serde_json::json!({}),
            };
            format!("event: reload\ndata: {data}\n\n")
        } else {
            format!("event: problems\ndata: {}\n\n", errors_json(state))
        };
        conn.write_all(msg.as_bytes())?;
        conn.flush()?;
    }
}

/// Which open tabs must reload after `changed`: the pages among them, or None for every tab
/// (a style sheet, script or image changed, or too many pages to list). Feeds, search shards
/// and other data files are shown by no tab.
fn reload_scope(changed: &[String]) -> Option<Vec<&str>> {
    let mut pages = Vec::new();
    for p in changed {
        match p.rsplit('.').next().unwrap_or("") {
            "html" => pages.push(p.as_str()),
            "xml" | "json" | "bin" | "txt" => {}
            _ => return None,
        }
    }
    (pages.len() <= 2000).then_some(pages)
}

/// Output paths changed between two versions; None when anything may have changed.
fn changed_since(state: &State, seen: u64, now: u64) -> Option<Vec<String>> {
    let h = lock(&state.history);
    if h.front().is_none_or(|(v, _)| *v > seen + 1) {
        return None;
    }
    let mut all: Vec<String> = Vec::new();
    for (v, changed) in h.iter() {
        if *v > seen && *v <= now {
            all.extend(changed.as_ref()?.iter().cloned());
        }
    }
    all.sort();
    all.dedup();
    Some(all)
}

fn errors_json(state: &State) -> String {
    let lang = state.lang;
    let list: Vec<serde_json::Value> = read(&state.errors)
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.path.display().to_string(),
                "line": d.line,
                "column": d.column,
                "message": d.problem.message(lang),
                "help": d.problem.help(lang),
                "source": d.source_line,
            })
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
}

/// Adds the live client before the last `</body>` (or at the end).
fn inject(html: &[u8]) -> Vec<u8> {
    let mut out = html.to_vec();
    let at = find_last(&out, b"</body>").unwrap_or(out.len());
    out.splice(at..at, CLIENT_TAG.bytes());
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tabs_showing_a_changed_page_reload() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            reload_scope(&v(&[
                "a/index.html",
                "atom.xml",
                "search/x/s/1.bin",
                "sitemap.xml"
            ])),
            Some(vec!["a/index.html"])
        );
        assert_eq!(
            reload_scope(&v(&["search/m.1.json", "robots.txt"])),
            Some(vec![])
        );
        assert_eq!(
            reload_scope(&v(&["a/index.html", "assets/style.css"])),
            None
        );
        assert_eq!(reload_scope(&v(&["img/a.webp"])), None);
    }

    #[test]
    fn the_live_client_is_an_external_script_before_the_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(out.ends_with(
            "<script type=\"module\" src=\"/__tsunagari/live.js\" data-tsunagari></script>\n</body></html>"
        ));
        // Nothing inline: a strict script-src 'self' allows the page as served.
        assert_eq!(out.matches("<script").count(), 1);
        assert!(CLIENT_JS.contains("new EventSource('/__tsunagari/events')"));
        assert!(
            !CLIENT_JS.contains("setAttribute('style'") && !CLIENT_JS.contains("<style"),
            "the overlay is styled through the CSSOM only"
        );
    }
}
