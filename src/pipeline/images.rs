//! Writing what the image pipeline made (`site::images` processed it during assembly): every
//! rendition of a published raster under `images/_processed/`, and the generated default share
//! picture when the site has no `default_image`. The clean copies replace the source files at
//! their own paths in `files`.

use crate::images;
use crate::output::Sink;
use crate::site::Site;
use std::collections::BTreeSet;

/// Writes the renditions of the rasters published at `copied` (output paths), and the default
/// share picture when needed.
pub fn emit(site: &Site, copied: &BTreeSet<String>, sink: &dyn Sink) -> std::io::Result<()> {
    let urls = site.config.urls();
    for (path, p) in &site.images.by_path {
        if !copied.contains(path) {
            continue;
        }
        for (name, file) in p.published() {
            sink.copy(&urls.processed_image_file(&name), &file)?;
        }
    }
    if site.config.default_image.is_none() {
        sink.write(urls.default_og_file(), images::default_og_png())?;
    }
    Ok(())
}
