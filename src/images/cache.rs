//! The cache of encoded images between builds: one folder per content hash holding the encoded
//! files and a `manifest.json` written last, so a folder without a complete manifest (a build
//! killed half-way) is simply made again. Never inside the output folder.

use super::{Processed, SETTINGS};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

/// The content hash of a source: SHA-256 of [`SETTINGS`] and the bytes, 32 hex digits.
pub fn hash(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(SETTINGS.as_bytes());
    h.update([0]);
    h.update(bytes);
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The content hash of the source file `src`. A long-running process (`serve`) reads and hashes
/// a file again only when its size or modification time changed, so a save does not re-read
/// every photo of the site; a one-shot build reads each once either way.
pub fn hash_file(src: &Path) -> Result<String, String> {
    type Seen = HashMap<PathBuf, (u64, SystemTime, String)>;
    static SEEN: OnceLock<Mutex<Seen>> = OnceLock::new();
    let seen = SEEN.get_or_init(Mutex::default);
    let meta = std::fs::metadata(src).map_err(|e| e.to_string())?;
    let stamp = meta.modified().ok().map(|t| (meta.len(), t));
    if let Some((len, time)) = stamp {
        let known = seen.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((l, t, h)) = known.get(src) {
            if (*l, *t) == (len, time) {
                return Ok(h.clone());
            }
        }
    }
    let h = hash(&std::fs::read(src).map_err(|e| e.to_string())?);
    if let Some((len, time)) = stamp {
        let mut known = seen.lock().unwrap_or_else(|e| e.into_inner());
        known.insert(src.to_path_buf(), (len, time, h.clone()));
    }
    Ok(h)
}

pub fn folder(cache: &Path, hash: &str) -> PathBuf {
    cache.join(hash)
}

/// Writes `bytes` as `dir/file` through a temporary name of its own (two builds may write the
/// same image at once), so a reader never sees half a file.
pub fn store(dir: &Path, file: &str, bytes: &[u8]) -> Result<(), String> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{file}.{}-{n}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, dir.join(file)).map_err(|e| format!("{}: {e}", dir.display()))
}

/// Records `p` as complete.
pub fn save(p: &Processed) -> Result<(), String> {
    let json = serde_json::to_vec(p).map_err(|e| e.to_string())?;
    store(&p.dir, "manifest.json", &json)
}

/// The cached result for `hash` when its manifest and every file it lists are there.
pub fn load(cache: &Path, hash: &str) -> Option<Processed> {
    let dir = folder(cache, hash);
    let bytes = std::fs::read(dir.join("manifest.json")).ok()?;
    let mut p: Processed = serde_json::from_slice(&bytes).ok()?;
    if p.hash != hash {
        return None;
    }
    let complete = {
        let mut all = p.fallback.iter().chain(&p.webp).chain([&p.og, &p.clean]);
        all.all(|r| dir.join(&r.file).is_file())
    };
    if !complete {
        return None;
    }
    p.dir = dir;
    Some(p)
}
