//! Image problems (unreadable rasters, missing alt texts, a default share picture that is no
//! raster) and their texts, kept beside `diagnostics.rs` so that file stays small enough to read.

use super::Lang;
use crate::msg;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageProblem {
    /// A local JPEG, PNG or WebP that cannot be decoded (the decoder's reason, technical).
    Unreadable { reason: String },
    /// A bundle or `static/` file named like a raster that cannot be decoded and is not a
    /// page's `image`: published as it is when it holds no metadata, else `withheld`.
    UnreadableFile { reason: String, withheld: bool },
    /// `image:` without `image_alt:`.
    AltMissing,
    /// `![](photo.jpg)`: a body image without alt text.
    BodyAltMissing { url: String },
    /// `default_image:` in site.yaml that is not a raster (an SVG: LINE, X, Facebook skip it).
    DefaultNotRaster { path: String },
}

impl ImageProblem {
    pub fn message(&self, lang: Lang) -> String {
        use ImageProblem::*;
        match self {
            Unreadable { reason } => msg!(lang, "image-unreadable", reason = reason),
            UnreadableFile {
                reason,
                withheld: false,
            } => {
                msg!(lang, "image-unreadable-copied", reason = reason)
            }
            UnreadableFile {
                reason,
                withheld: true,
            } => {
                msg!(lang, "image-unreadable-withheld", reason = reason)
            }
            AltMissing => msg!(lang, "image-alt-missing"),
            BodyAltMissing { url } => msg!(lang, "body-image-alt-missing", url = url),
            DefaultNotRaster { path } => msg!(lang, "default-image-not-raster", path = path),
        }
    }

    pub fn help(&self, lang: Lang) -> String {
        use ImageProblem::*;
        match self {
            Unreadable { .. } => msg!(lang, "image-unreadable-help"),
            UnreadableFile { .. } => msg!(lang, "image-unreadable-help"),
            AltMissing => msg!(lang, "image-alt-missing-help"),
            BodyAltMissing { url } => msg!(lang, "body-image-alt-missing-help", url = url),
            DefaultNotRaster { .. } => msg!(lang, "default-image-not-raster-help"),
        }
    }
}
