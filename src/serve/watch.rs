//! Watching the sources and rebuilding: the watcher's events are gathered into one save, the
//! [`Session`] brings the in-memory site up to date, and the result (new files, or problems) is
//! published to the open tabs.
//!
//! A panic in a build or update is a bug in tsunagari, not in the site: it is caught, reported
//! as a [`Problem::Bug`](crate::diagnostics::Problem::Bug) (overlay and terminal), the last good
//! site stays served, the session starts afresh, and the next save rebuilds. Must not: watch the
//! output folder, hidden files or editor litter, or anything a link leads to outside the site
//! (`scope`); print.

use super::scope::Scope;
use super::{lock, publish, write, Bug, Event, State};
use crate::incremental::Session;
use crate::pipeline::Failure;
use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

/// The watcher and what it watches (see `scope`): the site folder alone, its source folders
/// and where the links the build follows lead, links not followed.
pub(crate) struct Watching {
    watcher: notify::RecommendedWatcher,
    scope: Arc<RwLock<Scope>>,
    root: PathBuf,
    output: PathBuf,
}

/// Starts watching the site at `root` (canonical), sending each change to a source.
pub(crate) fn watch(root: &Path, output: &Path, tx: Sender<Change>) -> io::Result<Watching> {
    use notify::Watcher;
    let scope = Arc::new(RwLock::new(Scope::default()));
    let (root_w, output_w, scope_w) = (root.to_path_buf(), output.to_path_buf(), scope.clone());
    let handler = move |res: notify::Result<notify::Event>| {
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
        let scope = super::read(&scope_w);
        for p in ev.paths {
            for rel in scope.names(&p) {
                if watched(&root_w, &output_w, &root_w.join(&rel)) {
                    let _ = tx.send(Change {
                        path: Some(rel),
                        complete,
                    });
                }
            }
        }
    };
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher = notify::RecommendedWatcher::new(handler, config).map_err(io_error)?;
    watcher
        .watch(root, notify::RecursiveMode::NonRecursive)
        .map_err(io_error)?;
    let mut w = Watching {
        watcher,
        scope,
        root: root.to_path_buf(),
        output: output.to_path_buf(),
    };
    w.refresh()?;
    Ok(w)
}

fn io_error(e: notify::Error) -> io::Error {
    io::Error::other(e.to_string())
}

impl Watching {
    /// Finds the watched places again (a source folder, link or folder came or went) and
    /// watches the new ones; the first place that cannot be watched is the error.
    fn refresh(&mut self) -> io::Result<()> {
        use notify::Watcher;
        let new = Scope::discover(&self.root, &self.output);
        let old = std::mem::take(&mut super::write(&self.scope).trees);
        for gone in old.iter().filter(|t| !new.trees.contains(t)) {
            let _ = self.watcher.unwatch(gone);
        }
        let mut first_error = Ok(());
        for tree in new.trees.iter().filter(|t| !old.contains(t)) {
            let res = self.watcher.watch(tree, notify::RecursiveMode::Recursive);
            if let (Err(e), Ok(())) = (res, &first_error) {
                first_error = Err(io::Error::other(format!("{}: {e}", tree.display())));
            }
        }
        *super::write(&self.scope) = new;
        first_error
    }

    /// Refreshes what is watched when a change in `changed` (None: anything) may have moved it.
    fn follow_changes(&mut self, changed: Option<&[PathBuf]>, log: &dyn Fn(Event)) {
        let moved = match changed {
            None => true,
            Some(paths) => {
                let scope = super::read(&self.scope);
                paths.iter().any(|p| scope.moved_by(p))
            }
        };
        if moved {
            if let Err(e) = self.refresh() {
                log(Event::Error(
                    crate::messages::Text::new("fail-serve-watch").arg("detail", e),
                ));
            }
        }
    }
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
pub(crate) struct Change {
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
pub(crate) fn builder(
    state: &State,
    session: &mut Session,
    rx: &Receiver<Change>,
    watching: &Weak<Mutex<Watching>>,
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
        let changed = (!everything).then_some(&paths[..]);
        // Weak: the server owns the watcher, whose end ends this thread.
        if let Some(w) = watching.upgrade() {
            lock(&w).follow_changes(changed, log);
        }
        update(state, session, changed, log);
    }
}

/// Runs an update and publishes the result: new files and a reload, or the problems. A panic
/// is caught and reported; the session is replaced by a fresh one (its caches may be half
/// updated), so the next update loads and renders everything again.
pub(crate) fn update(
    state: &State,
    session: &mut Session,
    changed: Option<&[PathBuf]>,
    log: &dyn Fn(Event),
) {
    let run = catch_unwind(AssertUnwindSafe(|| {
        state.faults.check(&state.build.root, changed);
        session.update(changed)
    }));
    match run {
        Ok(Ok(u)) => {
            let files = session.files();
            let count = files.len();
            *write(&state.files) = files;
            write(&state.errors).clear();
            let paths = u.changed.clone();
            publish(state, paths);
            log(Event::Built {
                update: u,
                files: count,
            });
        }
        Ok(Err(Failure::Content(d))) => {
            *write(&state.errors) = d.iter().filter(|d| d.is_error()).cloned().collect();
            publish(state, Some(Vec::new()));
            log(Event::Failed(d));
        }
        Ok(Err(Failure::Usage(m) | Failure::Io(m))) => log(Event::Error(m)),
        Err(payload) => {
            *session = Session::new(state.build.clone());
            panicked(state, Bug::new(payload.as_ref(), processing(changed)), log);
        }
    }
}

/// Rebuilds the late outputs and tells the tabs that show one of them; a panic is handled as
/// in [`update`].
pub(crate) fn finish(state: &State, session: &mut Session, log: &dyn Fn(Event)) {
    let t = Instant::now();
    match catch_unwind(AssertUnwindSafe(|| session.finish())) {
        Ok(Ok(changed)) => {
            *write(&state.files) = session.files();
            let n = changed.len();
            if n > 0 {
                publish(state, Some(changed));
            }
            log(Event::Finished {
                elapsed: t.elapsed(),
                changed: n,
            });
        }
        Ok(Err(Failure::Content(d))) => log(Event::Failed(d)),
        Ok(Err(Failure::Usage(m) | Failure::Io(m))) => log(Event::Error(m)),
        Err(payload) => {
            *session = Session::new(state.build.clone());
            panicked(state, Bug::new(payload.as_ref(), String::new()), log);
        }
    }
}

/// What a build was processing, for the bug report: the saved files, or the whole site.
fn processing(changed: Option<&[PathBuf]>) -> String {
    match changed {
        Some(paths) if !paths.is_empty() => paths
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// Shows a caught panic like a build problem: in the overlay of every tab and the terminal.
fn panicked(state: &State, bug: Bug, log: &dyn Fn(Event)) {
    let d = bug.diagnostic();
    *write(&state.errors) = vec![d.clone()];
    publish(state, Some(Vec::new()));
    log(Event::Failed(vec![d]));
}
