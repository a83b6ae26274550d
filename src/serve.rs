//! `tsunagari serve`: live preview for staff. Builds into memory, serves the result on
//! 127.0.0.1 (another address only when asked), watches the sources and rebuilds after a save,
//! and reloads the open browser tab over server-sent events.
//!
//! Invariants:
//! - Files are served from the in-memory build only; a request never touches the filesystem,
//!   so no `..` or symlink can reach outside the site.
//! - A failed rebuild keeps serving the last good build; the errors (file, line, problem) are
//!   shown in an overlay on every page until the file is fixed.
//! - The reload script is added to HTML responses here, at serve time: the build itself is the
//!   same as `tsunagari build`'s.
//! - The output folder, `.git`, hidden files and editor swap files are never watched.

use crate::diagnostics::{Diagnostic, Lang};
use crate::incremental::{Files, Session, Update};
use crate::output::Sink;
use crate::pipeline::{self, BuildOptions, Failure};
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Path of the event stream the reload script listens to.
pub const EVENTS: &str = "/__tsunagari/events";
/// Path of the current build problems, as JSON.
pub const ERRORS: &str = "/__tsunagari/errors";

/// A build kept in memory: output path → bytes.
#[derive(Debug, Default)]
pub struct Memory {
    files: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl Memory {
    pub fn into_map(self) -> HashMap<String, Arc<Vec<u8>>> {
        self.files.into_inner().unwrap_or_default()
    }
}

impl Sink for Memory {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let clean = crate::site::normalise(Path::new(path))
            .filter(|p| !path.starts_with('/') && !p.as_os_str().is_empty())
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("unsafe output path: {path}"),
                )
            })?;
        let key = clean.to_string_lossy().replace('\\', "/");
        self.files
            .lock()
            .unwrap()
            .insert(key, Arc::new(bytes.to_vec()));
        Ok(())
    }
    fn copy(&self, path: &str, src: &Path) -> io::Result<()> {
        let bytes = std::fs::read(src)?;
        self.write(path, &bytes)
    }
}

/// What the server tells the command line, which prints it.
#[derive(Debug)]
pub enum Event {
    Listening(String),
    /// The pages are up to date (and open tabs told to reload).
    Built {
        update: Update,
        files: usize,
    },
    /// The late outputs (search index, feeds, sitemap) are up to date too.
    Finished {
        elapsed: Duration,
        changed: usize,
    },
    Failed(Vec<Diagnostic>),
    Error(String),
}

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub lang: Lang,
}

/// Shared between the HTTP threads, the watcher and the builder.
struct State {
    files: RwLock<Arc<Files>>,
    errors: RwLock<Vec<Diagnostic>>,
    /// Bumped after every build attempt; event streams wait on it.
    version: Mutex<u64>,
    /// Output paths changed by recent versions (None: anything may have changed).
    history: Mutex<std::collections::VecDeque<(u64, Option<Vec<String>>)>>,
    changed: Condvar,
    stop: AtomicBool,
    lang: Lang,
}

/// A running server. Dropping it (or `stop`) ends the server and the watcher.
pub struct Server {
    pub addr: SocketAddr,
    state: Arc<State>,
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn stop(&self) {
        self.state.stop.store(true, Ordering::SeqCst);
        self.state.changed.notify_all();
        // Wake the accept loop.
        let _ = TcpStream::connect(self.addr);
    }

    /// The current problems (empty when the last build succeeded).
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.state.errors.read().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Builds, starts serving and watching; returns at once. `log` receives what happened.
pub fn start(opts: ServeOptions, log: Arc<dyn Fn(Event) + Send + Sync>) -> io::Result<Server> {
    let listener = TcpListener::bind((opts.bind, opts.port))?;
    let addr = listener.local_addr()?;
    let mut build = opts.build.clone();
    // Pages link to the preview, not to the public site.
    build.base_url = Some(format!("http://{addr}/"));
    let state = Arc::new(State {
        files: RwLock::new(Arc::new(HashMap::new())),
        errors: RwLock::new(Vec::new()),
        version: Mutex::new(0),
        history: Mutex::new(std::collections::VecDeque::new()),
        changed: Condvar::new(),
        stop: AtomicBool::new(false),
        lang: opts.lang,
    });
    let mut session = Session::new(build.clone());
    update(&state, &mut session, None, &*log);
    finish(&state, &mut session, &*log);
    // Watch the sources; rebuild once a save is complete.
    let (tx, rx) = std::sync::mpsc::channel::<Change>();
    let root = build
        .root
        .canonicalize()
        .unwrap_or_else(|_| build.root.clone());
    let output = build
        .output
        .clone()
        .unwrap_or_else(|| build.root.join("public"));
    let output = output.canonicalize().unwrap_or(output);
    let watcher = {
        use notify::Watcher;
        let root_w = root.clone();
        let mut w = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(ev) = res else {
                // The watcher lost track (e.g. an overflow): look at everything again.
                let _ = tx.send(Change {
                    path: None,
                    complete: true,
                });
                return;
            };
            let Some(complete) = relevant(&ev.kind) else {
                return;
            };
            for p in ev.paths {
                if watched(&root_w, &output, &p) {
                    let rel = p.strip_prefix(&root_w).map(Path::to_path_buf).ok();
                    let _ = tx.send(Change {
                        path: rel,
                        complete,
                    });
                }
            }
        })
        .map_err(|e| io::Error::other(e.to_string()))?;
        w.watch(&root, notify::RecursiveMode::Recursive)
            .map_err(|e| io::Error::other(e.to_string()))?;
        w
    };
    {
        let state = state.clone();
        let log = log.clone();
        std::thread::spawn(move || builder(&state, &mut session, &rx, &*log));
    }
    {
        let state = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if state.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let state = state.clone();
                std::thread::spawn(move || {
                    let _ = handle(&state, conn);
                });
            }
        });
    }
    log(Event::Listening(format!("http://{addr}/")));
    Ok(Server {
        addr,
        state,
        _watcher: Some(watcher),
    })
}

/// Whether a changed path should trigger a rebuild.
fn watched(root: &Path, output: &Path, p: &Path) -> bool {
    if p.starts_with(output) {
        return false;
    }
    let Ok(rel) = p.strip_prefix(root) else {
        return false;
    };
    let mut comps = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let Some(first) = comps.next() else {
        return false;
    };
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let editor_litter = name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp");
    if editor_litter
        || rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return false;
    }
    matches!(
        first.as_str(),
        "content" | "static" | "templates" | "themes"
    ) || rel == Path::new("site.yaml")
}

/// A changed path under the site root (None: anything may have changed) and whether the
/// event marks a finished save (file closed after writing, renamed into place, removed).
struct Change {
    path: Option<PathBuf>,
    complete: bool,
}

/// Which file events matter, and whether they mark a finished save. Reads (ours included) and
/// metadata changes are not changes.
fn relevant(kind: &notify::EventKind) -> Option<bool> {
    use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(true),
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => None,
        EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => Some(true),
        _ => Some(false),
    }
}

/// After a finished save, wait this long for the rest of the editor's events.
const SETTLE: Duration = Duration::from_millis(5);
/// Without a sign that the save finished, wait until the files are quiet this long.
const QUIET: Duration = Duration::from_millis(60);
/// Never wait longer than this after the first event.
const LONGEST: Duration = Duration::from_millis(300);

/// The builder thread: gathers the events of a save, updates the pages, tells the tabs to
/// reload, then brings the late outputs up to date when no other change is waiting.
fn builder(
    state: &State,
    session: &mut Session,
    rx: &std::sync::mpsc::Receiver<Change>,
    log: &dyn Fn(Event),
) {
    use std::sync::mpsc::RecvTimeoutError;
    loop {
        let first = if session.late_pending() {
            match rx.recv_timeout(Duration::from_millis(1)) {
                Ok(c) => c,
                Err(RecvTimeoutError::Timeout) => {
                    finish(state, session, log);
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(c) => c,
                Err(_) => return,
            }
        };
        if state.stop.load(Ordering::SeqCst) {
            return;
        }
        let started = Instant::now();
        let mut wait = if first.complete { SETTLE } else { QUIET };
        let mut batch = vec![first];
        loop {
            match rx.recv_timeout(wait) {
                Ok(c) => {
                    if c.complete {
                        wait = SETTLE;
                    }
                    batch.push(c);
                    if started.elapsed() > LONGEST {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut everything = false;
        for c in batch {
            match c.path {
                Some(p) => paths.push(p),
                None => everything = true,
            }
        }
        paths.sort();
        paths.dedup();
        update(state, session, (!everything).then_some(&paths[..]), log);
    }
}

/// Runs an update and publishes the result: new files and a reload, or the problems.
fn update(state: &State, session: &mut Session, changed: Option<&[PathBuf]>, log: &dyn Fn(Event)) {
    match session.update(changed) {
        Ok(u) => {
            let files = session.files();
            let count = files.len();
            *state.files.write().unwrap() = files;
            state.errors.write().unwrap().clear();
            let paths = u.changed.clone();
            publish(state, paths);
            log(Event::Built {
                update: u,
                files: count,
            });
        }
        Err(Failure::Content(d)) => {
            *state.errors.write().unwrap() = d.iter().filter(|d| d.is_error()).cloned().collect();
            publish(state, Some(Vec::new()));
            log(Event::Failed(d));
        }
        Err(Failure::Usage(m) | Failure::Io(m)) => log(Event::Error(m)),
    }
}

/// Rebuilds the late outputs and tells the tabs that show one of them.
fn finish(state: &State, session: &mut Session, log: &dyn Fn(Event)) {
    let t = Instant::now();
    match session.finish() {
        Ok(changed) => {
            *state.files.write().unwrap() = session.files();
            let n = changed.len();
            if n > 0 {
                publish(state, Some(changed));
            }
            log(Event::Finished {
                elapsed: t.elapsed(),
                changed: n,
            });
        }
        Err(Failure::Content(d)) => log(Event::Failed(d)),
        Err(Failure::Usage(m) | Failure::Io(m)) => log(Event::Error(m)),
    }
}

/// Records what changed in a new version and wakes the event streams.
fn publish(state: &State, changed: Option<Vec<String>>) {
    let mut v = state.version.lock().unwrap();
    *v += 1;
    let mut h = state.history.lock().unwrap();
    h.push_back((*v, changed));
    while h.len() > 64 {
        h.pop_front();
    }
    drop(h);
    drop(v);
    state.changed.notify_all();
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
        "bin" => "application/octet-stream",
        _ => "application/octet-stream",
    }
}

fn respond(
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

fn handle(state: &State, mut conn: TcpStream) -> io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    // Drain the headers.
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut conn,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"method not allowed",
            false,
            "allow: GET, HEAD\r\n",
        );
    }
    let head = method == "HEAD";
    let path_only = target.split(['?', '#']).next().unwrap_or("");
    if path_only == EVENTS {
        return events(state, conn);
    }
    if path_only == ERRORS {
        let body = errors_json(state);
        return respond(
            &mut conn,
            "200 OK",
            "application/json",
            body.as_bytes(),
            head,
            "",
        );
    }
    let files = state.files.read().unwrap().clone();
    let Some(key) = resolve(target) else {
        return respond(
            &mut conn,
            "400 Bad Request",
            "text/plain; charset=utf-8",
            b"bad request",
            head,
            "",
        );
    };
    if let Some(bytes) = files.get(&key) {
        let ctype = content_type(&key);
        if key.ends_with(".html") {
            let body = inject(bytes);
            return respond(&mut conn, "200 OK", ctype, &body, head, "");
        }
        return respond(&mut conn, "200 OK", ctype, bytes, head, "");
    }
    // `/dir` for a folder with an index: redirect to `/dir/`.
    if files.contains_key(&format!("{key}/index.html")) {
        let location = format!("location: {}/\r\n", path_only);
        return respond(
            &mut conn,
            "301 Moved Permanently",
            "text/plain; charset=utf-8",
            b"moved",
            head,
            &location,
        );
    }
    let body = files
        .get("404.html")
        .map(|b| inject(b))
        .unwrap_or_else(|| b"not found".to_vec());
    respond(
        &mut conn,
        "404 Not Found",
        "text/html; charset=utf-8",
        &body,
        head,
        "",
    )
}

/// Server-sent events: `reload` after a good build, `problems` after a failed one.
fn events(state: &State, mut conn: TcpStream) -> io::Result<()> {
    conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-store\r\nconnection: keep-alive\r\n\r\n: connected\n\n")?;
    conn.flush()?;
    let mut seen = *state.version.lock().unwrap();
    loop {
        let guard = state.version.lock().unwrap();
        let (guard, timeout) = state
            .changed
            .wait_timeout_while(guard, Duration::from_secs(15), |v| {
                *v == seen && !state.stop.load(Ordering::SeqCst)
            })
            .unwrap();
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
        let msg = if state.errors.read().unwrap().is_empty() {
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
    let h = state.history.lock().unwrap();
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
    let list: Vec<serde_json::Value> = state
        .errors
        .read()
        .unwrap()
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

/// The live-reload client, added before `</body>` of every HTML page served.
const CLIENT: &str = r#"<script type="module" data-tsunagari>
const show = (list) => {
  document.getElementById('tsunagari-problems')?.remove();
  if (!list.length) return;
  const box = document.createElement('div');
  box.id = 'tsunagari-problems';
  box.setAttribute('role', 'alert');
  box.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff;color:#1a1a1a;border-top:6px solid #b3000c;padding:1rem 1.25rem;font:15px/1.7 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.3)';
  const h = document.createElement('p');
  h.style.cssText = 'margin:0 0 .5rem;font-weight:700;color:#b3000c';
  h.textContent = `保存した内容に問題があります（${list.length}件）。前回の正しい状態を表示しています。`;
  box.append(h);
  for (const e of list) {
    const p = document.createElement('p');
    p.style.margin = '0 0 .75rem';
    const where = document.createElement('strong');
    where.className = 'tsunagari-where';
    where.textContent = e.line ? `${e.file}:${e.line}:${e.column}` : e.file;
    p.append(where, ' ', e.message);
    if (e.source) { const pre = document.createElement('pre'); pre.style.cssText = 'margin:.25rem 0;background:#f2f2f2;padding:.25rem .5rem;white-space:pre-wrap'; pre.textContent = `${e.line} | ${e.source}`; p.append(pre); }
    if (e.help) { const hint = document.createElement('span'); hint.textContent = `ヒント: ${e.help}`; p.append(document.createElement('br'), hint); }
    box.append(p);
  }
  document.body.append(box);
};
fetch('/__tsunagari/errors').then((r) => r.json()).then(show).catch(() => {});
// When this page changed, swap in its new body (keeps the scroll position and is much faster
// than a reload); pages that run scripts of their own are reloaded instead.
const here = () => {
  let p = decodeURIComponent(location.pathname).replace(/^\/+/, '');
  if (p === '' || p.endsWith('/')) p += 'index.html';
  return p;
};
const runnable = (d) => [...d.scripts].filter((s) => s.type !== 'application/ld+json' && !s.hasAttribute('data-tsunagari'));
const styles = (d) => [...d.querySelectorAll('link[rel~="stylesheet"], style')].map((e) => e.outerHTML).join();
const refresh = async () => {
  try {
    const res = await fetch(location.href, { cache: 'no-store' });
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    if (!res.ok || runnable(document).length || runnable(doc).length || styles(doc) !== styles(document)) {
      location.reload();
      return;
    }
    document.title = doc.title;
    for (const e of [...document.head.children]) if (!e.matches('link[rel~="stylesheet"], style')) e.remove();
    for (const e of [...doc.head.children]) if (!e.matches('link[rel~="stylesheet"], style')) document.head.append(document.importNode(e, true));
    // This script moves into the new body as it is (moved, it does not run again).
    const body = document.importNode(doc.body, true);
    const client = document.querySelector('script[data-tsunagari]');
    const copy = body.querySelector('script[data-tsunagari]');
    if (client && copy) copy.replaceWith(client);
    document.body.replaceWith(body);
    document.dispatchEvent(new CustomEvent('tsunagari:updated'));
  } catch {
    location.reload();
  }
};
const es = new EventSource('/__tsunagari/events');
es.addEventListener('reload', (e) => {
  const d = JSON.parse(e.data || '{}');
  if (!d.paths) location.reload();
  else if (d.paths.includes(here())) refresh();
  else show([]);
});
es.addEventListener('problems', (e) => show(JSON.parse(e.data)));</script>
"#;

fn inject(html: &[u8]) -> Vec<u8> {
    let mut out = html.to_vec();
    let at = find_last(&out, b"</body>").unwrap_or(out.len());
    out.splice(at..at, CLIENT.bytes());
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Options for tests and tools: serve a site folder on a free loopback port.
pub fn options(root: &Path, now: &str) -> ServeOptions {
    ServeOptions {
        build: pipeline::options(root, now),
        bind: IpAddr::from([127, 0, 0, 1]),
        port: 0,
        lang: Lang::Ja,
    }
}

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
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("challenges/open.json"), "application/json");
        assert_eq!(content_type("img/a.webp"), "image/webp");
        assert_eq!(content_type("search/x/s/1.bin"), "application/octet-stream");
    }

    #[test]
    fn memory_sink_refuses_escapes() {
        let m = Memory::default();
        assert!(m.write("../x", b"").is_err());
        assert!(m.write("/x", b"").is_err());
        m.write("a/./b.html", b"ok").unwrap();
        assert!(m.into_map().contains_key("a/b.html"));
    }

    #[test]
    fn the_reload_client_goes_before_the_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(out.contains("EventSource('/__tsunagari/events')"));
        assert!(out.ends_with("</script>\n</body></html>"));
    }
}
