//! Where an output folder really is, and whether a build may replace it. Both are decided on
//! the physical path (every symbolic link followed, `..` resolved), before anything is written:
//! a refused `--output` leaves the file system exactly as it was.

use super::MARKER;
use crate::messages::Text;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The physical path `p` names, even when it (or a link on the way) does not exist yet:
/// absolute, `.` and `..` resolved, every symbolic link followed, including a dangling one
/// (`public -> /srv/www/portal` resolves to `/srv/www/portal` before that folder exists).
pub fn resolve(p: &Path) -> io::Result<PathBuf> {
    let mut todo: Vec<PathBuf> = std::path::absolute(p)?
        .components()
        .rev()
        .map(|c| PathBuf::from(c.as_os_str()))
        .collect();
    let mut done = PathBuf::new();
    let mut hops = 0;
    while let Some(c) = todo.pop() {
        match c.components().next() {
            Some(Component::CurDir) | None => {}
            // `done` holds no links, so its parent is the physical parent.
            Some(Component::ParentDir) => {
                done.pop();
            }
            Some(Component::Normal(name)) => {
                done.push(name);
                if let Ok(link) = std::fs::read_link(&done) {
                    hops += 1;
                    if hops > 40 {
                        return Err(io::Error::other("too many levels of symbolic links"));
                    }
                    done.pop();
                    // An absolute target restarts from its root component.
                    todo.extend(
                        link.components()
                            .rev()
                            .map(|c| PathBuf::from(c.as_os_str())),
                    );
                }
            }
            Some(Component::RootDir | Component::Prefix(_)) => done = c,
        }
    }
    Ok(done)
}

/// Refuses an output folder that would swallow the site's sources or someone's files, and
/// returns its physical path (where the staging folder and the lock go, so a symlinked output
/// folder is written through and the link itself is never replaced).
pub fn check_output_dir(root: &Path, out: &Path) -> Result<PathBuf, Text> {
    let looping = |p: &Path, e: io::Error| {
        let path = p.display();
        Text::new("fail-output-links")
            .arg("path", path)
            .arg("detail", e)
    };
    let root_r = resolve(root).map_err(|e| looping(root, e))?;
    let out_r = resolve(out).map_err(|e| looping(out, e))?;
    let shown = if std::path::absolute(out).is_ok_and(|a| a == out_r) {
        out.display().to_string()
    } else {
        format!("{}（→ {}）", out.display(), out_r.display())
    };
    if root_r.starts_with(&out_r) {
        return Err(Text::new("fail-output-is-site").arg("output", shown));
    }
    for src in ["content", "static", "templates", "themes"] {
        // A source folder may itself be a link to somewhere else.
        let src_r = resolve(&root_r.join(src)).map_err(|e| looping(&root_r.join(src), e))?;
        if out_r.starts_with(&src_r) || src_r.starts_with(&out_r) {
            return Err(Text::new("fail-output-in-sources")
                .arg("output", &shown)
                .arg("folder", src));
        }
    }
    check_kind(&out_r, &shown).map(|()| out_r)
}

/// The output folder, when it exists, must be a folder tsunagari made (or an empty one); when
/// it does not, its nearest existing ancestor must be a folder.
fn check_kind(out_r: &Path, shown: &str) -> Result<(), Text> {
    match std::fs::symlink_metadata(out_r) {
        Ok(m) if !m.is_dir() => Err(Text::new("fail-output-not-folder").arg("output", shown)),
        Ok(_) => {
            let empty = std::fs::read_dir(out_r)
                .map(|mut d| d.next().is_none())
                .map_err(|e| Text::new("fail-io-at").arg("path", shown).arg("detail", e))?;
            if empty || out_r.join(MARKER).is_file() {
                Ok(())
            } else {
                Err(Text::new("fail-output-not-ours").arg("output", shown))
            }
        }
        Err(_) => {
            let ancestor = out_r.ancestors().skip(1).find(|a| a.exists());
            match ancestor {
                Some(a) if !a.is_dir() => Err(Text::new("fail-output-parent")
                    .arg("output", shown)
                    .arg("path", a.display())),
                _ => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_output_dirs() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content/out")).is_err());
        assert!(check_output_dir(&root.join("site"), root).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/notes.txt"), "大事なメモ").unwrap();
        assert!(
            check_output_dir(root, &root.join("docs")).is_err(),
            "a folder of someone's files is not replaced"
        );
    }

    #[test]
    fn dot_dot_after_a_missing_folder_is_resolved() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert_eq!(
            resolve(&root.join("nope/../content")).unwrap(),
            root.join("content")
        );
        assert!(check_output_dir(&root, &root.join("nope/../content")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_resolved_even_when_dangling() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::os::unix::fs::symlink("srv/www", root.join("public")).unwrap();
        assert_eq!(resolve(&root.join("public")).unwrap(), root.join("srv/www"));
        std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
        assert!(resolve(&root.join("loop")).is_err());
    }
}
