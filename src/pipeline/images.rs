//! The site's rasters through `images`: every JPEG, PNG and WebP of page bundles and `static/`
//! is processed (renditions, clean copy) once the site is assembled, pages get their
//! front-matter picture, and `default_image` is checked to be a raster. Writing the results is
//! [`emit`]'s part: renditions under `images/_processed/`, and the clean copies in place of the
//! source files (`files`).

use crate::diagnostics::{display_path, Diagnostic, Problem};
use crate::images::{self, Library, Stats};
use crate::output::Sink;
use crate::site::Site;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where processed images are kept between builds: never in the output folder.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".tsunagari-cache").join("images")
}

/// Processes the rasters `site` publishes and gives pages their pictures. Returns what was done
/// and the problems: a raster that cannot be decoded, a `default_image` that is no raster.
pub fn process(site: &mut Site, root: &Path, statics: &[PathBuf]) -> (Stats, Vec<Diagnostic>) {
    let urls = site.config.urls();
    let mut items = Vec::new();
    let mut shown = Vec::new();
    let mut seen = BTreeSet::new();
    for p in &site.pages {
        let Some(b) = &p.bundle else { continue };
        for a in p
            .assets
            .iter()
            .filter(|a| images::is_raster(&a.to_string_lossy()))
        {
            let dest = super::files::key(&urls.bundle_file(&p.url, a));
            if seen.insert(dest.clone()) {
                items.push((dest, root.join(b).join(a)));
                shown.push(display_path(&b.join(a)));
            }
        }
    }
    for rel in statics
        .iter()
        .filter(|r| images::is_raster(&r.to_string_lossy()))
    {
        let dest = super::files::key(&crate::urls::file_path(rel));
        if seen.insert(dest.clone()) {
            items.push((dest, root.join("static").join(rel)));
            shown.push(display_path(&Path::new("static").join(rel)));
        }
    }
    let (lib, stats, failed) = images::process_all(&cache_dir(root), &items);
    let mut diags: Vec<Diagnostic> = failed
        .into_iter()
        .map(|f| {
            let i = items.iter().position(|(d, _)| *d == f.path).unwrap_or(0);
            let problem = Problem::ImageUnreadable { reason: f.reason };
            Diagnostic::error(shown[i].clone(), problem)
        })
        .collect();
    for p in &mut site.pages {
        p.picture = p.common.image.as_deref().and_then(|img| {
            let url = urls.image(&p.url, p.bundle.is_some(), img);
            lib.get(&urls.output_file(&url)).cloned()
        });
    }
    diags.extend(default_image_problem(site, root));
    site.default_picture = site.config.default_image.as_deref().and_then(|img| {
        let url = urls.image("/", false, img);
        lib.get(&urls.output_file(&url)).cloned()
    });
    site.images = Arc::new(lib);
    (stats, diags)
}

/// An error when site.yaml's `default_image` is a local file that is not a JPEG, PNG or WebP.
fn default_image_problem(site: &Site, root: &Path) -> Option<Diagnostic> {
    let img = site.config.default_image.as_deref()?;
    let lower = img.to_ascii_lowercase();
    if lower.starts_with("https://") || images::is_raster(&lower) {
        return None;
    }
    let text = std::fs::read_to_string(root.join("site.yaml")).unwrap_or_default();
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("default_image"))
        .map_or(1, |i| i + 1);
    let col = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find(img))
        .map_or(1, |c| l_chars(&text, line, c) + 1);
    let problem = Problem::DefaultImageNotRaster { path: img.into() };
    Some(Diagnostic::error("site.yaml", problem).at(&text, line, col))
}

/// The column (in characters) of byte offset `byte` of line `line`.
fn l_chars(text: &str, line: usize, byte: usize) -> usize {
    text.lines()
        .nth(line - 1)
        .map_or(0, |l| l[..byte].chars().count())
}

/// Writes every rendition of `lib` under `images/_processed/`, and the generated default share
/// picture when the site has no `default_image`.
pub fn emit(site: &Site, lib: &Library, sink: &dyn Sink) -> std::io::Result<()> {
    let urls = site.config.urls();
    for p in lib.by_path.values() {
        for (name, file) in p.published() {
            sink.copy(&urls.processed_image_file(&name), &file)?;
        }
    }
    if site.config.default_image.is_none() {
        sink.write(urls.default_og_file(), &images::default_og_png())?;
    }
    Ok(())
}
