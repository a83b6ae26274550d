//! The site's rasters through `images`, during assembly: every JPEG, PNG and WebP of published
//! page bundles and of `static/` is processed before bodies are rendered, so body images can be
//! written as pictures (through `Links`) and pages get their front-matter picture. A raster
//! that cannot be decoded is an error naming it; a `default_image` that is no raster (an SVG)
//! an error at its line in site.yaml.

use super::{Links, Site};
use crate::config::Config;
use crate::content::Source;
use crate::diagnostics::{display_path, Diagnostic, ImageProblem, Problem};
use crate::images::{self, Library, Processed, Rendition, Stats};
use crate::markdown::BodyPicture;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Processes the rasters of the published bundles (`urls` and `published` per source) and of
/// `statics` (paths below `static/`), through the cache under `root`.
pub(super) fn process(
    config: &Config,
    sources: &[&Arc<Source>],
    (urls, published): (&[String], &[bool]),
    root: &Path,
    statics: &[PathBuf],
) -> (Library, Stats, Vec<Diagnostic>) {
    let u = config.urls();
    let mut items = Vec::new();
    let mut shown = Vec::new();
    let mut seen = BTreeSet::new();
    for ((s, url), _) in sources.iter().zip(urls).zip(published).filter(|(_, p)| **p) {
        let Some(b) = &s.entry.bundle else { continue };
        for a in s.entry.assets.iter().filter(|a| raster(a)) {
            let dest = output_key(&u.bundle_file(url, a));
            if seen.insert(dest.clone()) {
                items.push((dest, root.join(b).join(a)));
                shown.push(display_path(&b.join(a)));
            }
        }
    }
    for rel in statics.iter().filter(|r| raster(r)) {
        let dest = output_key(&crate::urls::file_path(rel));
        if seen.insert(dest.clone()) {
            items.push((dest, root.join("static").join(rel)));
            shown.push(display_path(&Path::new("static").join(rel)));
        }
    }
    let (mut lib, stats, failed) = images::process_all(&images::cache_dir(root), &items);
    let used = shown_images(config, sources, (urls, published));
    let diags = failed
        .into_iter()
        .map(|f| {
            let i = items.iter().position(|(d, _)| *d == f.path).unwrap_or(0);
            if used.contains(&f.path) {
                let problem = Problem::Image(ImageProblem::Unreadable { reason: f.reason });
                return Diagnostic::error(shown[i].clone(), problem);
            }
            // Not shown as a picture: a file like any other, unless it may leak metadata.
            let withheld = std::fs::read(&f.src).map_or(true, |b| images::may_carry_metadata(&b));
            if withheld {
                lib.withheld.insert(f.path.clone());
            }
            let reason = f.reason;
            let problem = Problem::Image(ImageProblem::UnreadableFile { reason, withheld });
            Diagnostic::warning(shown[i].clone(), problem)
        })
        .collect();
    (lib, stats, diags)
}

/// Output paths of the local front-matter images of published pages and of `default_image`.
fn shown_images(
    config: &Config,
    sources: &[&Arc<Source>],
    (urls, published): (&[String], &[bool]),
) -> BTreeSet<String> {
    let u = config.urls();
    let mut used: BTreeSet<String> = sources
        .iter()
        .zip(urls)
        .zip(published)
        .filter(|(_, p)| **p)
        .filter_map(|((s, url), _)| {
            let img = s.common.image.as_deref()?;
            Some(u.output_file(&u.image(url, s.entry.bundle.is_some(), img)))
        })
        .collect();
    if let Some(img) = config.default_image.as_deref() {
        used.insert(u.output_file(&u.image("/", false, img)));
    }
    used
}

fn raster(p: &Path) -> bool {
    images::is_raster(&p.to_string_lossy())
}

/// The one spelling of an output path: `/`-separated, no empty or `.` components.
fn output_key(path: &str) -> String {
    path.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// What body images of `lib`'s files are written from, by output path.
pub(super) fn body_pictures(config: &Config, lib: &Library, links: &mut Links) {
    let u = config.urls();
    links.pictures = lib
        .by_path
        .iter()
        .filter_map(|(path, p)| {
            let mid = Processed::middle(&p.fallback)?;
            let set = |list: &[Rendition]| {
                let all: Vec<String> = list
                    .iter()
                    .map(|r| format!("{} {}w", u.processed_image(&p.name(r)), r.width))
                    .collect();
                all.join(", ")
            };
            let pic = BodyPicture {
                src: u.processed_image(&p.name(mid)),
                srcset: set(&p.fallback),
                webp_srcset: set(&p.webp),
                width: mid.width,
                height: mid.height,
            };
            Some((path.clone(), pic))
        })
        .collect();
}

/// Gives pages their front-matter picture and the site its processed `default_image`; returns
/// the error of a `default_image` that is not a raster.
pub(super) fn attach(site: &mut Site, lib: Library, root: &Path) -> Option<Diagnostic> {
    let u = site.config.urls();
    for p in &mut site.pages {
        p.picture = p.common.image.as_deref().and_then(|img| {
            let url = u.image(&p.url, p.bundle.is_some(), img);
            lib.get(&u.output_file(&url)).cloned()
        });
    }
    site.default_picture = site.config.default_image.as_deref().and_then(|img| {
        let url = u.image("/", false, img);
        lib.get(&u.output_file(&url)).cloned()
    });
    site.images = Arc::new(lib);
    default_image_problem(&site.config, root)
}

/// An error when site.yaml's `default_image` is a local file that is not a JPEG, PNG or WebP.
fn default_image_problem(config: &Config, root: &Path) -> Option<Diagnostic> {
    let img = config.default_image.as_deref()?;
    let lower = img.to_ascii_lowercase();
    if lower.starts_with("https://") || images::is_raster(&lower) {
        return None;
    }
    let text = std::fs::read_to_string(root.join("site.yaml")).unwrap_or_default();
    let (line, col) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("default_image"))
        .map_or((1, 1), |(i, l)| {
            let byte = l.find(img).unwrap_or(0);
            (i + 1, l[..byte].chars().count() + 1)
        });
    let problem = Problem::Image(ImageProblem::DefaultNotRaster { path: img.into() });
    Some(Diagnostic::error("site.yaml", problem).at(&text, line, col))
}
