//! One build at a time per output folder. Two builds swapping into the same folder at once
//! would delete each other's staging folder and lose files, so a build holds an advisory lock
//! on `.<name>.tsunagari-lock` beside the (physical) output folder from before its staging
//! folder is made until the swap is done. A second build waits for it; the lock file names the
//! holder (pid and command line) so the waiting build can say whom it waits for.
//!
//! The lock belongs to the open file, so the operating system releases it when a build dies
//! (even by SIGKILL); a lock file left behind by a killed build is just taken over. The holder
//! removes the file before unlocking; a waiter that then gets the lock on the removed file
//! notices (the path no longer names the file it holds) and tries again.
//!
//! The lock file sits in a folder others may write to, so it is never opened through a link: a
//! link planted at its path (`.public.tsunagari-lock -> ~/.bashrc`) would have the build
//! truncate and overwrite the link's target. A link there is removed (never its target), the
//! file is opened with `O_NOFOLLOW`, and anything but a regular file is refused.

use crate::messages::Text;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Held for the staging and swap of one build; released (and its file removed) on drop.
#[derive(Debug)]
pub struct BuildLock {
    file: File,
    path: PathBuf,
}

impl BuildLock {
    /// The lock file for the physical output folder `out`.
    pub fn path_for(out: &Path) -> PathBuf {
        super::beside(out, "lock")
    }

    /// Takes the lock for `out`, waiting while another build holds it. `waiting` is called
    /// once, with what the lock file says about the holder, before the wait starts.
    pub fn acquire(out: &Path, waiting: &mut dyn FnMut(&str)) -> Result<BuildLock, Text> {
        let path = Self::path_for(out);
        let taken = match path.parent().map(std::fs::create_dir_all) {
            Some(Err(e)) => Err(Refusal::Io(e)),
            _ => Self::take(path.clone(), waiting),
        };
        taken.map_err(|r| match r {
            Refusal::Text(t) => t,
            Refusal::Io(e) => Text::new("fail-io-at")
                .arg("path", path.display())
                .arg("detail", e),
        })
    }

    /// [`acquire`](Self::acquire) once the folder exists.
    fn take(path: PathBuf, waiting: &mut dyn FnMut(&str)) -> Result<BuildLock, Refusal> {
        let mut told = false;
        loop {
            let mut file = open_no_follow(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    if !told {
                        let mut holder = String::new();
                        let _ = file.read_to_string(&mut holder);
                        waiting(holder.trim());
                        told = true;
                    }
                    file.lock()?;
                }
                Err(TryLockError::Error(e)) => return Err(Refusal::Io(e)),
            }
            if same_file(&file, &path) {
                file.set_len(0)?;
                file.rewind()?;
                writeln!(file, "pid {}: {}", std::process::id(), command_line())?;
                return Ok(BuildLock { file, path });
            }
        }
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Remove first, unlock second (when `file` closes): see the module header.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Why the lock could not be taken: a lock file that is not one (said as it is), or an I/O
/// error at the lock file.
enum Refusal {
    Text(Text),
    Io(io::Error),
}

impl From<io::Error> for Refusal {
    fn from(e: io::Error) -> Refusal {
        Refusal::Io(e)
    }
}

/// Opens (creating) the lock file at `path` without following a link there: a link is removed
/// first (the link, never its target), and what is opened must be a regular file.
fn open_no_follow(path: &Path) -> Result<File, Refusal> {
    let not_a_file = || Refusal::Text(Text::new("fail-lock-not-file").arg("path", path.display()));
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::remove_file(path)?,
        Ok(m) if m.is_dir() => {
            let t = Text::new("fail-lock-is-folder").arg("path", path.display());
            return Err(Refusal::Text(t));
        }
        Ok(m) if !m.is_file() => return Err(not_a_file()),
        _ => {}
    }
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: a FIFO put there in a race must not hang the open; no effect on files.
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| {
        let text = Text::new("fail-lock-open")
            .arg("path", path.display())
            .arg("detail", e);
        Refusal::Text(text)
    })?;
    if !file.metadata()?.is_file() {
        return Err(not_a_file());
    }
    Ok(file)
}

fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}

/// Whether `path` still names the open `file` (it was not removed or replaced meanwhile).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // `symlink_metadata`: a link put at the path since the open is not the file we hold.
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere an open file cannot be removed, so the path always names it.
#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_waits_and_a_stale_file_does_not_block() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        // A lock file left behind by a killed build: taken over at once.
        std::fs::write(BuildLock::path_for(&out), "pid 1: tsunagari build").unwrap();
        let first =
            BuildLock::acquire(&out, &mut |_| panic!("a stale file must not block")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let out2 = out.clone();
        let second = std::thread::spawn(move || {
            let mut told = String::new();
            let lock = BuildLock::acquire(&out2, &mut |h| {
                told = h.to_string();
                tx.send(()).unwrap();
            })
            .unwrap();
            drop(lock);
            told
        });
        rx.recv().unwrap(); // the second taker is waiting now
        drop(first);
        let told = second.join().unwrap();
        assert!(
            told.starts_with(&format!("pid {}", std::process::id())),
            "{told}"
        );
        assert!(!BuildLock::path_for(&out).exists(), "the file is removed");
    }
}
