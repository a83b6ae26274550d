//! The preview server's connections and answers: the accept loop, one thread per held
//! connection (their number capped by [`Registry`]), the checks every request passes (size,
//! method, body, Host, Origin), the in-memory files with the live client added to HTML, the
//! event stream, the problems as JSON and the client script itself.
//!
//! Must not: block the accept loop, answer from the filesystem, or let a panic while answering
//! one request end the server.

use super::http::{self, HeadError, Request};
use super::{lock, read, Bug, Event, State, CLIENT_JS, ERRORS, EVENTS, LIVE_JS};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
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

fn admit(state: &Arc<State>, conn: TcpStream) {
    let _ = conn.set_write_timeout(Some(state.limits.write_timeout));
    let admitted = lock(&state.conns).admit(&conn, state.limits.connections);
    let Some(id) = admitted else {
        // No room: refused, but never on this thread beyond a write that cannot wait.
        refuse_unserved(state, conn);
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

/// Answers 503 to a connection the registry had no room for: drained on a thread of its own
/// when a refusal slot is free, else written without waiting and closed at once.
fn refuse_unserved(state: &Arc<State>, mut conn: TcpStream) {
    const BUSY: &str = "503 Service Unavailable";
    const RETRY: &str = "retry-after: 1\r\n";
    if lock(&state.conns).begin_refusal(state.limits.refusals) {
        let st = state.clone();
        let mut theirs = conn.try_clone();
        let spawned = std::thread::Builder::new()
            .name("tsunagari-refuse".into())
            .stack_size(64 * 1024)
            .spawn(move || {
                if let Ok(c) = theirs.as_mut() {
                    http::refuse(c, BUSY, RETRY, false, true);
                }
                lock(&st.conns).refused();
            });
        if spawned.is_ok() {
            return;
        }
        lock(&state.conns).refused();
    }
    http::refuse(&mut conn, BUSY, RETRY, false, false);
}

/// Which count of the registry a connection occupies while it is answered.
enum Slot {
    Serving,
    Stream(u64),
    Refusing,
    /// Refused and closed without a drain: counted nowhere.
    Free,
}

/// One connection: its request head, then its answer, each refusal through [`refuse`].
fn connection(state: &Arc<State>, mut conn: TcpStream, id: u64) {
    let deadline = Instant::now() + state.limits.head_timeout;
    let head = http::read_head(&mut conn, state.limits.max_head, deadline);
    if !lock(&state.conns).serve(id) {
        // Evicted to make room, or gone: nothing to answer.
        return;
    }
    let mut slot = Slot::Serving;
    let target = head.as_ref().map(|r| r.target.clone()).unwrap_or_default();
    let answered = catch_unwind(AssertUnwindSafe(|| match head {
        Ok(req) => answer(state, &mut conn, &req, id, &mut slot),
        Err(e) => {
            refuse_head(state, &mut conn, &mut slot, e);
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
        Slot::Stream(id) => reg.close_stream(id),
        Slot::Refusing => reg.refused(),
        Slot::Free => {}
    }
}

/// Refuses a connection counted as served: it moves to the refusals (drained) when one of
/// their slots is free, else it is answered and closed at once. Either way it stops holding
/// the room of a request.
fn refuse(
    state: &State,
    conn: &mut TcpStream,
    slot: &mut Slot,
    status: &str,
    extra: &str,
    head: bool,
) {
    let drain = lock(&state.conns).serving_to_refusal(state.limits.refusals);
    *slot = if drain { Slot::Refusing } else { Slot::Free };
    http::refuse(conn, status, extra, head, drain);
}

fn refuse_head(state: &State, conn: &mut TcpStream, slot: &mut Slot, e: HeadError) {
    let status = match e {
        HeadError::TooLarge => "431 Request Header Fields Too Large",
        HeadError::Timeout => "408 Request Timeout",
        HeadError::Malformed => "400 Bad Request",
        HeadError::Closed => return,
    };
    refuse(state, conn, slot, status, "", false);
}

/// Why a request head that was read in full is refused, if it is: (status, extra headers).
fn refusal(state: &State, req: &Request) -> Option<(&'static str, &'static str)> {
    if req.method != "GET" && req.method != "HEAD" {
        return Some(("405 Method Not Allowed", "allow: GET, HEAD\r\n"));
    }
    if http::repeated_header(req).is_some() {
        return Some(("400 Bad Request", ""));
    }
    if http::has_body(req) {
        return Some(("413 Content Too Large", ""));
    }
    let host_ok = match req.header("host") {
        Some(h) => http::host_allowed(h, state.bind),
        None => req.version == "HTTP/1.0",
    };
    if !host_ok {
        return Some(("421 Misdirected Request", ""));
    }
    if req
        .header("origin")
        .is_some_and(|o| !http::origin_allowed(o, state.bind))
    {
        return Some(("403 Forbidden", ""));
    }
    None
}

/// Answers one request that passed the size limit.
fn answer(
    state: &Arc<State>,
    conn: &mut TcpStream,
    req: &Request,
    id: u64,
    slot: &mut Slot,
) -> io::Result<()> {
    let head = req.method == "HEAD";
    if let Some((status, extra)) = refusal(state, req) {
        refuse(state, conn, slot, status, extra, head);
        return Ok(());
    }
    if let Some(path) = &state.faults.panic_on_request {
        if req.target == *path {
            panic!("injected fault: a panic while answering {path}");
        }
    }
    let path_only = req.target.split(['?', '#']).next().unwrap_or("");
    match path_only {
        // HEAD never has a body, so it never opens a stream either.
        EVENTS if head => {
            conn.write_all(EVENTS_HEAD.as_bytes())?;
            return conn.flush();
        }
        EVENTS => {
            if !lock(&state.conns).open_stream(id, state.limits.streams) {
                let retry = "retry-after: 5\r\n";
                refuse(state, conn, slot, "503 Service Unavailable", retry, false);
                return Ok(());
            }
            *slot = Slot::Stream(id);
            return events(state, conn, id);
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
    file(state, conn, req, head)
}

/// The head of the event stream (its length is open: the stream ends when either side closes).
const EVENTS_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-store\r\nconnection: keep-alive\r\n\r\n";

/// A file of the in-memory build (a byte range of it when asked: the search client reads its
/// packs so), a redirect to a folder's `/`, or the site's 404 page.
fn file(state: &State, conn: &mut TcpStream, req: &Request, head: bool) -> io::Result<()> {
    let files = read(&state.files).clone();
    let Some(key) = http::resolve(&req.target) else {
        let text = "text/plain; charset=utf-8";
        return http::respond(conn, "400 Bad Request", text, b"bad request", head, "");
    };
    if let Some(bytes) = files.get(&key) {
        let ctype = http::content_type(&key);
        if key.ends_with(".html") {
            return http::respond(conn, "200 OK", ctype, &inject(bytes), head, "");
        }
        return part(conn, ctype, bytes, req.header("range"), head);
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

/// A file's bytes, or the one range of them `range` asks for (see [`http::byte_range`]).
fn part(
    conn: &mut TcpStream,
    ctype: &str,
    bytes: &[u8],
    range: Option<&str>,
    head: bool,
) -> io::Result<()> {
    let len = bytes.len();
    match http::byte_range(range, len) {
        http::Ranged::Whole => http::respond(
            conn,
            "200 OK",
            ctype,
            bytes,
            head,
            "accept-ranges: bytes\r\n",
        ),
        http::Ranged::Part(a, z) => {
            let extra = format!("content-range: bytes {a}-{}/{len}\r\n", z - 1);
            http::respond(
                conn,
                "206 Partial Content",
                ctype,
                &bytes[a..z],
                head,
                &extra,
            )
        }
        http::Ranged::Unsatisfiable => {
            let extra = format!("content-range: bytes */{len}\r\n");
            let text = "text/plain; charset=utf-8";
            let status = "416 Range Not Satisfiable";
            http::respond(conn, status, text, b"range not satisfiable", head, &extra)
        }
    }
}

/// Server-sent events: `reload` after a good build, `problems` after a failed one. A second
/// thread waits on a read of the socket, which ends when the tab goes away (FIN or reset): it
/// frees the stream's slot at once and wakes this one, so a closed tab is not counted until the
/// next keep-alive write fails.
fn events(state: &Arc<State>, conn: &mut TcpStream, id: u64) -> io::Result<()> {
    conn.write_all(EVENTS_HEAD.as_bytes())?;
    conn.write_all(b": connected\n\n")?;
    conn.flush()?;
    let gone = Arc::new(AtomicBool::new(false));
    watch_peer(state, conn, id, &gone);
    let mut seen = *lock(&state.version);
    loop {
        let guard = lock(&state.version);
        let (guard, timeout) = state
            .changed
            .wait_timeout_while(guard, Duration::from_secs(15), |v| {
                *v == seen && !state.stop.load(Ordering::SeqCst) && !gone.load(Ordering::SeqCst)
            })
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.stop.load(Ordering::SeqCst) || gone.load(Ordering::SeqCst) {
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

/// Reads the stream `id` until its peer closes it (what the peer sends is dropped), then frees
/// its slot and wakes its writer. Without a thread for it, the writer notices at its next
/// keep-alive, as before.
fn watch_peer(state: &Arc<State>, conn: &TcpStream, id: u64, gone: &Arc<AtomicBool>) {
    let Ok(mut reader) = conn.try_clone() else {
        return;
    };
    let (st, gone) = (state.clone(), gone.clone());
    let _ = std::thread::Builder::new()
        .name("tsunagari-stream-peer".into())
        .stack_size(64 * 1024)
        .spawn(move || {
            let _ = reader.set_read_timeout(None);
            let mut sink = [0u8; 512];
            loop {
                match reader.read(&mut sink) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            gone.store(true, Ordering::SeqCst);
            lock(&st.conns).close_stream(id);
            let _ = reader.shutdown(Shutdown::Both);
            // Taking the lock the writer checks `gone` under, so the wake-up cannot fall
            // between its check and its wait.
            drop(lock(&st.version));
            st.changed.notify_all();
        });
}

/// Which open tabs must reload after `changed`: the pages among them, or None for every tab
/// (a style sheet, script or image changed, or too many pages to list). Feeds, search packs
/// and other data files are shown by no tab.
fn reload_scope(changed: &[String]) -> Option<Vec<&str>> {
    let mut pages = Vec::new();
    for p in changed {
        match p.rsplit('.').next().unwrap_or("") {
            "html" => pages.push(p.as_str()),
            "xml" | "json" | "bin" | "pack" | "txt" => {}
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
                "search/f.bin",
                "search/week.0.pack",
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
