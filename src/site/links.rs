//! What a body's local links and images point at: `.md` files become their pages' URLs; site
//! URLs (`/challenges/x/`, `../cases/`) must name a page when they have the shape of one; files
//! (`photo.jpg`, `/docs/要項.pdf`) must be in the page's bundle, another page's bundle or
//! `static/`. Answers are [`LinkTarget`]s, asked for by `markdown` through `render_body`; the dev
//! server's body cache asks again on every update, so a file added clears the error.
//!
//! Judged later ([`LinkTarget::Later`], kept as written): URLs of outputs whose set is only
//! known once the render plan exists (term, municipality and list pages, feeds, search files,
//! theme assets); `crate::pipeline` checks them against the build's outputs (`Unjudged`).
//! Not judged: URLs outside the base path that name nothing of the site, which another
//! application on the same host may serve, and `.well-known/`, which hosts answer themselves.

use super::{RESERVED_IN_SECTION, RESERVED_SLUGS};
use crate::content::{Kind, Source};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, BodyPicture, LinkTarget};
use crate::output::normalise;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A body link or image to a generated output ([`LinkTarget::Later`]), with the error to report
/// at its place if no output of the build answers it: `crate::pipeline` judges it once the
/// render plan exists (the dev server too, with the same outputs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unjudged {
    /// The site URL the link names (with the base path, or without it when written so).
    pub url: String,
    /// The link as written (`?…#…` kept).
    pub written: String,
    /// The error, placed at the link: `NoSuchOutput` (a link) or `MissingImage` (an image).
    pub error: Diagnostic,
}

/// Every content file and site URL bodies can link to.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Content file (site-relative, NFC) → its URL and whether it is published.
    pub pages: HashMap<PathBuf, (String, bool)>,
    /// Site URL of a page, list or generated page → (published, the page's bundle folder).
    by_url: HashMap<String, (bool, Option<PathBuf>)>,
    root: PathBuf,
    /// The base path (the home page's URL).
    home: String,
    /// Processed rasters by output path: body images of them are written as pictures.
    pub(super) pictures: HashMap<String, BodyPicture>,
}

impl Links {
    /// `pages` as built by `links_of`; `generated` the single pages tsunagari writes itself.
    pub(super) fn new(
        root: &Path,
        home: String,
        pages: HashMap<PathBuf, (String, bool)>,
        bundles: HashMap<String, PathBuf>,
        generated: impl IntoIterator<Item = String>,
    ) -> Links {
        let mut by_url: HashMap<String, (bool, Option<PathBuf>)> = pages
            .values()
            .map(|(u, p)| (u.clone(), (*p, bundles.get(u).cloned())))
            .collect();
        for u in generated {
            by_url.entry(u).or_insert((true, None));
        }
        Links {
            pages,
            by_url,
            root: root.to_path_buf(),
            home,
            pictures: HashMap::new(),
        }
    }
}

/// What `target` (a link's path as written, without `?…#…`) in the body of `from` points at.
pub(super) fn resolve(links: &Links, from: &Path, target: &str) -> LinkTarget {
    if markdown::is_content_path(target) {
        let from_dir = from.parent().unwrap_or(Path::new(""));
        return resolve_content(&links.pages, from_dir, target);
    }
    let Some(decoded) = percent_decode(target) else {
        return LinkTarget::AsWritten;
    };
    let decoded = crate::unicode::nfc_string(decoded);
    let absolute = decoded.starts_with('/');
    let full = if absolute {
        decoded
    } else {
        let page = links.pages.get(&crate::unicode::nfc_path(from));
        let base = page.map_or(links.home.as_str(), |(u, _)| u.as_str());
        format!("{base}{decoded}")
    };
    let Some(path) = clean(&full) else {
        return LinkTarget::AsWritten;
    };
    if let Some(rel) = path.strip_prefix(links.home.as_str()) {
        return match (judge(links, rel), links.pictures.get(rel)) {
            (LinkTarget::AsWritten, Some(p)) => LinkTarget::Picture(Box::new(p.clone())),
            (judged, _) => judged,
        };
    }
    if format!("{path}/") == links.home {
        return LinkTarget::AsWritten;
    }
    // Outside the base path: another application may serve it, unless it names this site's
    // page or file, which the base path was forgotten for.
    let below = crate::urls::below(&path);
    match judge(links, below) {
        LinkTarget::AsWritten if absolute && names_something(links, below) => {
            LinkTarget::Moved(format!("{}{}", links.home, crate::urls::below(target)))
        }
        // Judged later: an error only if the URL with the base path names an output.
        LinkTarget::Later(u) if absolute => {
            let rel = u.strip_prefix(links.home.as_str()).unwrap_or(&u);
            LinkTarget::Later(format!("/{rel}"))
        }
        _ => LinkTarget::AsWritten,
    }
}

/// Resolves a relative `.md` link written in `from_dir` (relative to the site root).
fn resolve_content(
    pages: &HashMap<PathBuf, (String, bool)>,
    from_dir: &Path,
    target: &str,
) -> LinkTarget {
    let Some(path) = normalise(&crate::unicode::nfc_path(&from_dir.join(target))) else {
        return LinkTarget::Missing;
    };
    let candidates = [path.clone(), path.with_extension("").join("index.md")];
    for c in candidates {
        if let Some((url, published)) = pages.get(&c) {
            return if *published {
                LinkTarget::Url(url.clone())
            } else {
                LinkTarget::Draft
            };
        }
    }
    LinkTarget::Missing
}

/// A site path below the base path (`challenges/x/`, `docs/a.pdf`, ``): a page, a file, or
/// something tsunagari does not judge.
fn judge(links: &Links, rel: &str) -> LinkTarget {
    let last = rel.rsplit('/').next().unwrap_or("");
    if !last.contains('.') {
        let dir = if rel.is_empty() || rel.ends_with('/') {
            rel.to_string()
        } else {
            format!("{rel}/")
        };
        let url = format!("{}{dir}", links.home);
        return match links.by_url.get(&url) {
            Some((true, _)) => LinkTarget::AsWritten,
            Some((false, _)) => LinkTarget::Draft,
            None if static_index(links, &dir) => LinkTarget::AsWritten,
            None if page_shaped(&dir) => LinkTarget::Missing,
            None => LinkTarget::Later(url),
        };
    }
    if static_file(links, rel) || rel.starts_with(".well-known/") {
        return LinkTarget::AsWritten;
    }
    if generated_file(rel) {
        return LinkTarget::Later(format!("{}{rel}", links.home));
    }
    // A bundle file: the page whose URL is a folder above it has it in its bundle.
    for (i, _) in rel.match_indices('/') {
        let (dir, name) = rel.split_at(i + 1);
        let Some((published, bundle)) = links.by_url.get(&format!("{}{dir}", links.home)) else {
            continue;
        };
        let found = name == "index.html"
            || bundle.as_ref().is_some_and(|b| {
                normalise(Path::new(name)).is_some_and(|n| links.root.join(b).join(n).is_file())
            });
        if found {
            return if *published {
                LinkTarget::AsWritten
            } else {
                LinkTarget::Draft
            };
        }
    }
    LinkTarget::MissingFile
}

/// Whether a site path below the base path names one of the site's pages or files.
fn names_something(links: &Links, rel: &str) -> bool {
    let dir = if rel.is_empty() || rel.ends_with('/') {
        rel.to_string()
    } else {
        format!("{rel}/")
    };
    links.by_url.contains_key(&format!("{}{dir}", links.home))
        || (rel.contains('.') && static_file(links, rel))
}

/// The URL of a page tsunagari would make from a content file: `challenges/<slug>/` or a plain
/// page's `<slug>/` (not a folder the generator uses itself).
fn page_shaped(dir: &str) -> bool {
    let parts: Vec<&str> = dir.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        [slug] => !slug.is_empty() && !RESERVED_SLUGS.contains(slug),
        [section, slug] => {
            Kind::SECTIONS.iter().any(|k| k.folder() == *section)
                && !RESERVED_IN_SECTION.contains(slug)
        }
        _ => false,
    }
}

/// Files whose set only the render knows (pages, feeds, search files, theme assets).
fn generated_file(rel: &str) -> bool {
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    rel.starts_with("assets/")
        || ["html", "xml", "json", "txt", "css", "js"].contains(&ext.as_str())
}

/// Whether `static/` has a folder page at `dir` (its `index.html`).
fn static_index(links: &Links, dir: &str) -> bool {
    normalise(Path::new(dir)).is_some_and(|p| {
        links
            .root
            .join("static")
            .join(p)
            .join("index.html")
            .is_file()
    })
}

fn static_file(links: &Links, rel: &str) -> bool {
    normalise(Path::new(rel)).is_some_and(|p| links.root.join("static").join(p).is_file())
}

/// `/a/./b/../c` → `/a/c`; None when `..` climbs above the root. Keeps a final `/`.
fn clean(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        match *part {
            "." => {}
            ".." => {
                out.pop()?;
            }
            "" if i + 1 < parts.len() => {}
            p => out.push(p),
        }
    }
    let mut s = String::from("/");
    s.push_str(&out.join("/"));
    if (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..")) && !s.ends_with('/') {
        s.push('/');
    }
    Some(s)
}

/// `%E5%86%99` → `写`; None when the bytes are not UTF-8 or an escape is cut short.
fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether a front matter `image` of `s` exists: external, in the bundle, or in `static/`.
pub(super) fn image_exists(root: &Path, s: &Source, img: &str) -> bool {
    let lower = img.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return true;
    }
    if markdown::is_dangerous_url(img) {
        return false;
    }
    if let Some(abs) = img.strip_prefix('/') {
        return normalise(Path::new(abs)).is_some_and(|p| root.join("static").join(p).is_file());
    }
    match &s.entry.bundle {
        Some(b) => normalise(Path::new(img)).is_some_and(|p| {
            // Asset names are as on disk (NFD from macOS); `img` is NFC.
            s.entry
                .assets
                .iter()
                .any(|a| crate::unicode::nfc_path(a) == p)
                || root.join(b).join(&p).is_file()
        }),
        None => normalise(Path::new(img)).is_some_and(|p| root.join("static").join(p).is_file()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cleaned_and_decoded() {
        assert_eq!(clean("/a/./b/../c").as_deref(), Some("/a/c"));
        assert_eq!(clean("/a/b/../").as_deref(), Some("/a/"));
        assert_eq!(clean("/a/b/..").as_deref(), Some("/a/"));
        assert_eq!(clean("/../x"), None);
        assert_eq!(percent_decode("%E5%86%99.jpg").as_deref(), Some("写.jpg"));
        assert_eq!(percent_decode("%FF"), None);
        assert_eq!(percent_decode("%E"), None);
    }

    #[test]
    fn page_shapes() {
        assert!(page_shaped("challenges/x/"));
        assert!(page_shaped("about/"));
        assert!(!page_shaped("challenges/page/"));
        assert!(!page_shaped("themes/"));
        assert!(!page_shaped("themes/観光/"));
        assert!(!page_shaped("municipalities/niigata/x/"));
    }
}
