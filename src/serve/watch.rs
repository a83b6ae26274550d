//! Watching the sources and rebuilding: the watcher's events are gathered into one save, the
//! [`Session`] brings the in-memory site up to date, and the result (new files, or problems) is
//! published to the open tabs.
//!
//! A panic in a build or update is a bug in tsunagari, not in the site: it is caught, reported
//! as a [`Problem::Bug`](crate::diagnostics::Problem::Bug) (overlay and terminal), the last good
//! site stays served, the session starts afresh, and the next save rebuilds. Must not: watch the
//! output folder, hidden files or editor litter; print.

use super::{publish, write, Bug, Event, State};
use crate::incremental::Session;
use crate::pipeline::Failure;
use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

/// Watches `root` (everything but the output folder and litter) and sends each change.
pub(crate) fn watch(
    root: &Path,
    output: &Path,
    tx: Sender<Change>,
) -> io::Result<notify::RecommendedWatcher> {
    use notify::Watcher;
    let (root_w, output) = (root.to_path_buf(), output.to_path_buf());
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
    w.watch(root, notify::RecursiveMode::Recursive)
        .map_err(|e| io::Error::other(e.to_string()))?;
    Ok(w)
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
