//! `tsunagari serve`: live preview for staff. Builds into memory, serves the result on
//! 127.0.0.1 (another address only when asked), watches the sources and rebuilds after a save,
//! and updates the open browser tab over server-sent events.
//!
//! - [`http`]: request heads within limits, Host/Origin checks, paths, redirects.
//! - `registry`: the connections held (request heads, answers, event streams, refusals).
//! - `routes`: the accept loop, connections and answers, the event stream.
//! - `watch`: the watcher, gathering a save's events, updates with panics caught.
//! - `scope`: what is watched (the source folders and where followed links lead, nothing
//!   outside the site).
//! - `client.js`: the live client, served as `/__tsunagari/live.js`.
//!
//! Invariants:
//! - Files are served from the in-memory build only; a request never touches the filesystem,
//!   so no `..` or symlink can reach outside the site.
//! - A failed rebuild keeps serving the last good build; the errors (file, line, problem) are
//!   shown in an overlay on every page until the file is fixed. A panic while building is shown
//!   the same way, as a bug in tsunagari; a panic while answering ends only that request.
//! - Only requests naming this server (`Host`, and `Origin` when sent) are answered, so a
//!   DNS-rebinding page cannot read previews or drafts.
//! - What one client can hold is bounded: request heads (16 KiB), the time to send one,
//!   connections (the oldest idle one makes room) and event streams; accepting never waits.
//! - The live client is added to HTML responses here, at serve time, as an external script
//!   (CSP `script-src 'self'` allows it): the build itself is the same as `tsunagari build`'s.
//! - The output folder, `.git`, hidden files and editor swap files are never watched, nor
//!   anything outside the site: the watcher follows no link.

pub mod http;
mod registry;
mod routes;
mod scope;
mod watch;

pub use http::{content_type, resolve, Limits};

use crate::diagnostics::{Diagnostic, Lang, Problem};
use crate::incremental::{Files, Session, Update};
use crate::pipeline::{self, BuildOptions};
use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

/// Path of the event stream the reload script listens to.
pub const EVENTS: &str = "/__tsunagari/events";
/// Path of the current build problems, as JSON.
pub const ERRORS: &str = "/__tsunagari/errors";
/// Path of the live client script every HTML page loads.
pub const LIVE_JS: &str = "/__tsunagari/live.js";
/// The live client (updates the open page, shows problems over it).
const CLIENT_JS: &str = include_str!("client.js");

/// What the server tells the command line, which prints it.
#[derive(Debug)]
pub enum Event {
    Listening(String),
    /// Port `asked` was taken, and `port` (a later one) was free.
    PortTaken {
        asked: u16,
        port: u16,
    },
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
    /// A usage or I/O failure (a [`crate::pipeline::Failure`]), in the printer's language.
    Error(crate::messages::Text),
    /// A panic while answering a request (a bug in tsunagari); the server goes on.
    Bug(Diagnostic),
}

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// How many ports after `port` to try, in order, when it is taken (0: only `port`).
    pub port_tries: u16,
    pub lang: Lang,
    pub limits: Limits,
    /// Faults to inject, for tests of how the server survives its own bugs.
    #[doc(hidden)]
    pub faults: Faults,
}

/// Panics on purpose, so tests can check that the server survives a bug in a build or in an
/// answer. Empty (the default) in every real use.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// An update panics when one of the changed files (all of `content/` when the update
    /// covers everything) contains this text.
    pub panic_on_source: Option<String>,
    /// Answering this exact request target panics.
    pub panic_on_request: Option<String>,
}

impl Faults {
    fn check(&self, root: &Path, changed: Option<&[PathBuf]>) {
        let Some(marker) = &self.panic_on_source else {
            return;
        };
        let files: Vec<PathBuf> = match changed {
            Some(paths) => paths.iter().map(|p| root.join(p)).collect(),
            None => walkdir::WalkDir::new(root.join("content"))
                .into_iter()
                .flatten()
                .map(|e| e.into_path())
                .collect(),
        };
        for f in files {
            if std::fs::read_to_string(&f).is_ok_and(|t| t.contains(marker.as_str())) {
                panic!("injected fault: {} contains {marker:?}", f.display());
            }
        }
    }
}

/// A caught panic: a bug in tsunagari, with what it was processing.
pub(crate) struct Bug {
    message: String,
    during: String,
}

impl Bug {
    pub(crate) fn new(payload: &(dyn std::any::Any + Send), during: String) -> Bug {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        Bug { message, during }
    }

    /// A diagnostic naming the file being processed when there was exactly one.
    pub(crate) fn diagnostic(&self) -> Diagnostic {
        let one = !self.during.is_empty() && !self.during.contains([',', ' ']);
        let path = if one { &self.during } else { "tsunagari" };
        Diagnostic::error(
            path,
            Problem::Bug {
                message: self.message.clone(),
                during: self.during.clone(),
            },
        )
    }
}

/// Shared between the HTTP threads, the watcher and the builder.
struct State {
    files: RwLock<Arc<Files>>,
    errors: RwLock<Vec<Diagnostic>>,
    /// Bumped after every build attempt; event streams wait on it.
    version: Mutex<u64>,
    /// Output paths changed by recent versions (None: anything may have changed).
    history: Mutex<VecDeque<(u64, Option<Vec<String>>)>>,
    changed: Condvar,
    stop: AtomicBool,
    lang: Lang,
    /// The address listened on, for the Host and Origin checks.
    bind: IpAddr,
    limits: Limits,
    faults: Faults,
    /// The build options, to start a fresh session after a panic.
    build: BuildOptions,
    conns: Mutex<registry::Registry>,
    log: Arc<dyn Fn(Event) + Send + Sync>,
}

// A panic while a lock is held (a bug caught by `watch` or `routes`) must not take every later
// request down with it: the data behind these locks is replaced whole, never left half-written.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
fn read<T>(m: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}
fn write<T>(m: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A running server. Dropping it (or `stop`) ends the server and the watcher.
pub struct Server {
    pub addr: SocketAddr,
    state: Arc<State>,
    _watching: Arc<Mutex<watch::Watching>>,
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
        read(&self.state.errors).clone()
    }

    /// Connections held now: (sending their request, being answered, event streams,
    /// refusals being closed).
    pub fn connections(&self) -> (usize, usize, usize, usize) {
        lock(&self.state.conns).held()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Builds, starts serving and watching; returns at once. `log` receives what happened.
pub fn start(opts: ServeOptions, log: Arc<dyn Fn(Event) + Send + Sync>) -> io::Result<Server> {
    let listener = listen(opts.bind, opts.port, opts.port_tries)?;
    let addr = listener.local_addr()?;
    if addr.port() != opts.port && opts.port != 0 {
        log(Event::PortTaken {
            asked: opts.port,
            port: addr.port(),
        });
    }
    let mut build = opts.build.clone();
    // Pages link to the preview, not to the public site.
    build.base_url = Some(format!("http://{addr}/"));
    let state = Arc::new(State {
        files: RwLock::new(Arc::new(HashMap::new())),
        errors: RwLock::new(Vec::new()),
        version: Mutex::new(0),
        history: Mutex::new(VecDeque::new()),
        changed: Condvar::new(),
        stop: AtomicBool::new(false),
        lang: opts.lang,
        bind: opts.bind,
        limits: opts.limits,
        faults: opts.faults,
        build: build.clone(),
        conns: Mutex::new(registry::Registry::default()),
        log: log.clone(),
    });
    let mut session = Session::new(build.clone());
    watch::update(&state, &mut session, None, &*log);
    watch::finish(&state, &mut session, &*log);
    // Watch the sources; rebuild once a save is complete.
    let (tx, rx) = std::sync::mpsc::channel();
    let root = build
        .root
        .canonicalize()
        .unwrap_or_else(|_| build.root.clone());
    let output = build
        .output
        .clone()
        .unwrap_or_else(|| build.root.join("public"));
    let output = output.canonicalize().unwrap_or(output);
    let watching = Arc::new(Mutex::new(watch::watch(&root, &output, tx)?));
    {
        let state = state.clone();
        let log = log.clone();
        let weak = Arc::downgrade(&watching);
        std::thread::spawn(move || watch::builder(&state, &mut session, &rx, &weak, &*log));
    }
    {
        let state = state.clone();
        std::thread::spawn(move || routes::accept_loop(state, listener));
    }
    log(Event::Listening(format!("http://{addr}/")));
    Ok(Server {
        addr,
        state,
        _watching: watching,
    })
}

/// Listens on `port`, or on the first free one of the `tries` ports after it. The error is
/// the last port's (`AddrInUse` when every one was taken).
fn listen(bind: IpAddr, port: u16, tries: u16) -> io::Result<TcpListener> {
    let mut p = port;
    loop {
        match TcpListener::bind((bind, p)) {
            Err(e) if e.kind() == io::ErrorKind::AddrInUse && p != 0 && p - port < tries => {
                match p.checked_add(1) {
                    Some(next) => p = next,
                    None => return Err(e),
                }
            }
            r => return r,
        }
    }
}

/// Records what changed in a new version and wakes the event streams.
fn publish(state: &State, changed: Option<Vec<String>>) {
    let mut v = lock(&state.version);
    *v += 1;
    let mut h = lock(&state.history);
    h.push_back((*v, changed));
    while h.len() > 64 {
        h.pop_front();
    }
    drop(h);
    drop(v);
    state.changed.notify_all();
}

/// Options for tests and tools: serve a site folder on a free loopback port.
pub fn options(root: &Path, now: &str) -> ServeOptions {
    ServeOptions {
        build: pipeline::options(root, now),
        bind: IpAddr::from([127, 0, 0, 1]),
        port: 0,
        port_tries: 0,
        lang: Lang::Ja,
        limits: Limits::default(),
        faults: Faults::default(),
    }
}
