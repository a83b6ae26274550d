//! The one image pipeline. Every local raster the site publishes (JPEG, PNG, WebP: front-matter
//! `image`, body images, municipality photos, bundle files and `static/` files) is decoded, turned
//! upright by its EXIF orientation and re-encoded from its pixels: resized renditions at
//! [`WIDTHS`] (never upscaled) in WebP and in the source's own format (the fallback), a JPEG at
//! [`OG_WIDTH`] for `og:image`, and a full-size clean copy that replaces the source file at its
//! own URL. No published raster is ever the source's bytes, so none carries EXIF, XMP, IPTC,
//! GPS positions or camera serials. GIF and SVG files are published as they are (an SVG holds
//! no EXIF; a GIF is copied untouched).
//!
//! Work is cached by content hash (source bytes + [`SETTINGS`]) in a folder outside the output
//! (`cache`): an unchanged image is never encoded twice. Output names carry the hash
//! (`photo-960.3f2a9c1e.webp` under `images/_processed/`), so they are stable across builds.
//!
//! Must not know pages, URLs or diagnostics: callers map its results to those.

mod cache;
mod decode;
mod encode;
mod og;
#[doc(hidden)]
pub mod testing;

pub use og::{default_og_png, OG_DEFAULT_SIZE};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Widths of the resized renditions (`srcset`), capped at the image's own width.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// Width of the `og:image` JPEG (capped at the image's own width).
pub const OG_WIDTH: u32 = 1200;
/// Everything that decides the bytes of an output; part of every cache key and output hash, so
/// a change here re-encodes everything once.
pub const SETTINGS: &str =
    "tsunagari-images v1; widths 480/960/1600; og 1200; jpeg 80, clean 88; webp 75; png; lanczos3";

/// The raster formats the pipeline reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// Where processed images of the site at `root` are kept between builds: never in the output.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".tsunagari-cache").join("images")
}

/// Whether `bytes` (a file that could not be decoded) may hold metadata: an Exif, XMP or IPTC
/// signature, or a PNG text / eXIf or WebP EXIF / XMP chunk name anywhere. Conservative: a
/// false alarm only keeps a broken file unpublished.
pub fn may_carry_metadata(bytes: &[u8]) -> bool {
    let marks: [&[u8]; 8] = [
        b"Exif",
        b"http://ns.adobe.com/",
        b"Photoshop 3.0",
        b"eXIf",
        b"tEXt",
        b"iTXt",
        b"zTXt",
        b"XMP ",
    ];
    marks
        .iter()
        .any(|m| bytes.windows(m.len()).any(|w| w == *m))
}

/// Whether a file named `name` is a raster this pipeline processes (by extension, any case).
pub fn is_raster(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// One encoded file in the cache.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rendition {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Its file name in the image's cache folder.
    pub file: String,
}

/// What the pipeline made of one source raster.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Processed {
    /// Hex content hash of the source bytes and [`SETTINGS`].
    pub hash: String,
    /// The source file's stem, reduced to `[a-z0-9_-]` (or `image`), for readable output names.
    pub stem: String,
    /// The source's format, and its size once upright.
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// Full size, source format, no metadata: published at the source file's own path.
    pub clean: Rendition,
    /// Resized, in the fallback format (the source's; JPEG for an opaque WebP, else PNG),
    /// narrowest first.
    pub fallback: Vec<Rendition>,
    /// Resized WebP, same widths as `fallback`.
    pub webp: Vec<Rendition>,
    /// JPEG at [`OG_WIDTH`] (or less), for `og:image`.
    pub og: Rendition,
    /// The cache folder holding the files.
    #[serde(skip)]
    pub dir: PathBuf,
}

impl Processed {
    /// The published file name of a rendition (not of `clean`, which keeps the source's path).
    pub fn name(&self, r: &Rendition) -> String {
        let og = if *r == self.og { "og" } else { "" };
        let short = &self.hash[..8];
        format!("{}-{og}{}.{short}.{}", self.stem, r.width, r.format.ext())
    }
    /// Every rendition published under `images/_processed/`, with its file in the cache.
    pub fn published(&self) -> Vec<(String, PathBuf)> {
        let all = self.fallback.iter().chain(&self.webp).chain([&self.og]);
        all.map(|r| (self.name(r), self.dir.join(&r.file)))
            .collect()
    }
    /// The rendition of `list` used as `src`: the middle width (960 when there is one).
    pub fn middle(list: &[Rendition]) -> Option<&Rendition> {
        list.get(list.len() / 2)
    }
}

/// Every processed raster by the output path of its source file (`images/a.jpg`,
/// `challenges/x/photo.jpg`: `/`-separated, no leading slash).
#[derive(Clone, Debug, Default)]
pub struct Library {
    pub by_path: BTreeMap<String, Arc<Processed>>,
    /// Output paths of files that could not be decoded and may carry metadata: never published.
    pub withheld: std::collections::BTreeSet<String>,
}

impl Library {
    pub fn get(&self, path: &str) -> Option<&Arc<Processed>> {
        self.by_path.get(path.trim_start_matches('/'))
    }
}

/// What one run of [`process_all`] did: the count of rasters, and of files encoded (0 when
/// every image came from the cache).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub images: usize,
    pub encoded: usize,
}

/// A raster that could not be processed: its output path and the reason (technical English).
#[derive(Clone, Debug)]
pub struct Failed {
    pub path: String,
    pub src: PathBuf,
    pub reason: String,
}

/// Processes `items` (output path, source file) in parallel, through the cache in `cache`. A
/// content published at several paths is processed once. The library is a sorted map, so the
/// result does not depend on the order work finished in.
pub fn process_all(cache: &Path, items: &[(String, PathBuf)]) -> (Library, Stats, Vec<Failed>) {
    // Hashes first (the bytes are read again only for what the cache lacks).
    let hashes: Vec<Result<String, String>> = items
        .par_iter()
        .map(|(_, src)| cache::hash_file(src))
        .collect();
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, h) in hashes.iter().enumerate() {
        if let Ok(h) = h {
            first.entry(h.as_str()).or_insert(i);
        }
    }
    let done: BTreeMap<&str, Result<(Processed, usize), String>> = first
        .par_iter()
        .map(|(h, &i)| (*h, process(cache, &items[i].1, h)))
        .collect();
    let mut lib = Library::default();
    let mut stats = Stats::default();
    let mut failed = Vec::new();
    for (_, encoded) in done.values().flatten() {
        stats.encoded += encoded;
    }
    for ((path, src), h) in items.iter().zip(&hashes) {
        let r = match h {
            Ok(h) => done[h.as_str()].as_ref().map_err(Clone::clone),
            Err(e) => Err(e.clone()),
        };
        match r {
            Ok((p, _)) => {
                stats.images += 1;
                let mut p = p.clone();
                p.stem = stem_of(src);
                lib.by_path.insert(path.clone(), Arc::new(p));
            }
            Err(reason) => failed.push(Failed {
                path: path.clone(),
                src: src.clone(),
                reason,
            }),
        }
    }
    (lib, stats, failed)
}

/// One source of content hash `hash`: from the cache when it is there, else decoded and
/// encoded (and stored). Returns the result and how many files were encoded.
fn process(cache: &Path, src: &Path, hash: &str) -> Result<(Processed, usize), String> {
    if let Some(p) = cache::load(cache, hash) {
        return Ok((p, 0));
    }
    let bytes = std::fs::read(src).map_err(|e| e.to_string())?;
    let hash = hash.to_string();
    let stem = stem_of(src);
    let (img, format) = decode::decode(&bytes)?;
    let dir = cache::folder(cache, &hash);
    let fallback_format = match format {
        Format::Webp if img.color().has_alpha() => Format::Png,
        Format::Webp => Format::Jpeg,
        f => f,
    };
    let mut jobs = Vec::new();
    let clean_quality = encode::CLEAN_JPEG_QUALITY;
    jobs.push((
        "clean".to_string(),
        img.width(),
        format,
        clean_quality,
        true,
    ));
    for w in widths(img.width()) {
        let q = encode::JPEG_QUALITY;
        jobs.push((format!("fb-{w}"), w, fallback_format, q, false));
        jobs.push((format!("webp-{w}"), w, Format::Webp, q, false));
    }
    let og_w = OG_WIDTH.min(img.width());
    jobs.push((
        format!("og-{og_w}"),
        og_w,
        Format::Jpeg,
        encode::JPEG_QUALITY,
        false,
    ));
    let done: Vec<Result<Rendition, String>> = jobs
        .par_iter()
        .map(|(name, w, f, q, clean)| {
            let scaled = encode::resize(&img, *w)?;
            let bytes = encode::encode(&scaled, *f, *q, *clean && *f == Format::Webp)?;
            let file = format!("{name}.{}", f.ext());
            cache::store(&dir, &file, &bytes)?;
            Ok(Rendition {
                width: scaled.width(),
                height: scaled.height(),
                format: *f,
                file,
            })
        })
        .collect();
    let mut done = done.into_iter().collect::<Result<Vec<_>, _>>()?;
    let encoded = done.len();
    let og = done.pop().ok_or("no renditions")?;
    let clean = done.remove(0);
    let (webp, fallback) = done.into_iter().partition(|r| r.file.starts_with("webp-"));
    let p = Processed {
        hash,
        stem,
        format,
        width: img.width(),
        height: img.height(),
        clean,
        fallback,
        webp,
        og,
        dir,
    };
    cache::save(&p)?;
    Ok((p, encoded))
}

/// The widths to make for an image `width` px wide: [`WIDTHS`] below it, and the image's own
/// width when it is narrower than the widest.
fn widths(width: u32) -> Vec<u32> {
    let max = WIDTHS[WIDTHS.len() - 1];
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    out.push(width.min(max));
    out.dedup();
    out
}

fn stem_of(src: &Path) -> String {
    let stem = src.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let s: String = stem
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    if s.is_empty() {
        "image".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests;
