//! Pictures as templates see them: a processed raster (`images`) as `srcset`s, the `src` at the
//! middle width with its size (so the browser reserves the right box before the file arrives),
//! and the share picture (`og:image`) of a page, which is always a raster.

use super::Reader;
use crate::content::Extra;
use crate::images::{Processed, Rendition};
use crate::site::Page;
use crate::urls::Urls;
use serde::Serialize;

/// A responsive picture: `partials/picture.html` writes it as `<picture>` with a WebP source
/// and the fallback `<img>` (`src`, `srcset`, `width`, `height`, `alt`).
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Picture {
    /// The fallback rendition at the middle width.
    pub src: String,
    /// Fallback renditions (`url 480w, url 960w, …`).
    pub srcset: String,
    /// WebP renditions, same widths.
    pub webp_srcset: String,
    /// Size of the `src` rendition.
    pub width: u32,
    pub height: u32,
    /// Alt text; empty for a decorative picture (`image_alt: ""`).
    pub alt: String,
}

impl Picture {
    /// The front-matter picture of `p`, when its `image` is a processed raster.
    pub fn of_page(urls: &Urls, p: &Page) -> Option<Picture> {
        let alt = p.common.image_alt.as_deref().unwrap_or("");
        Picture::of(urls, p.picture.as_deref()?, alt)
    }

    pub fn of(urls: &Urls, p: &Processed, alt: &str) -> Option<Picture> {
        let mid = Processed::middle(&p.fallback)?;
        let set = |list: &[Rendition]| {
            list.iter()
                .map(|r| format!("{} {}w", urls.processed_image(&p.name(r)), r.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Some(Picture {
            src: urls.processed_image(&p.name(mid)),
            srcset: set(&p.fallback),
            webp_srcset: set(&p.webp),
            width: mid.width,
            height: mid.height,
            alt: alt.to_string(),
        })
    }
}

/// The share picture of a page: absolute URL and, when known, its size.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct ShareImage {
    pub url: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl ShareImage {
    /// The `og:image` JPEG of `p`.
    pub fn of(urls: &Urls, p: &Processed) -> ShareImage {
        ShareImage {
            url: Some(urls.absolute(&urls.processed_image(&p.name(&p.og)))),
            width: Some(p.og.width),
            height: Some(p.og.height),
        }
    }

    /// The site's default: the `og:image` JPEG of `default_image` (a local raster), an external
    /// `default_image` as written, else the generated 1200×630 PNG.
    pub fn site_default(r: &Reader) -> ShareImage {
        let c = r.config();
        let urls = c.urls();
        if let Some(p) = r.site_wide().default_picture() {
            return ShareImage::of(&urls, p);
        }
        match c.default_image.as_deref() {
            Some(img) => ShareImage {
                url: Some(urls.default_image(img)),
                ..ShareImage::default()
            },
            None => {
                let (w, h) = crate::images::OG_DEFAULT_SIZE;
                ShareImage {
                    url: Some(urls.default_og()),
                    width: Some(w),
                    height: Some(h),
                }
            }
        }
    }

    /// A page's share picture: its own processed picture, an external image as written, or
    /// the site's default.
    pub fn for_image(r: &Reader, picture: Option<&Processed>, external: Option<&str>) -> Self {
        let urls = r.config().urls();
        match (picture, external) {
            (Some(p), _) => ShareImage::of(&urls, p),
            (None, Some(url)) if is_external(url) => ShareImage {
                url: Some(url.to_string()),
                ..ShareImage::default()
            },
            _ => ShareImage::site_default(r),
        }
    }
}

/// Whether an image URL is external (`https://`, written as is, never processed).
pub fn is_external(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The placeholder tone of page `p`'s card: by its town (challenges and cases), else its kind.
pub fn page_tone(p: &Page) -> u32 {
    tone(&match &p.extra {
        Extra::Challenge(x) => format!("{}{}", x.prefecture, x.municipality),
        Extra::Case(x) => format!("{}{}", x.prefecture, x.municipality),
        _ => p.kind.id().to_string(),
    })
}

/// Number of placeholder tones in the style sheet (`card--tone-0` … `-7`).
pub const TONES: u32 = 8;

/// The tone of a card's placeholder photo: the same for every card of one town (`place`, its
/// prefecture and municipality), spread over [`TONES`] soft colours.
pub fn tone(place: &str) -> u32 {
    // FNV-1a: stable across builds and platforms.
    let h = place.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    h % TONES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_town_one_tone_and_towns_spread() {
        assert_eq!(tone("新潟県汐見町"), tone("新潟県汐見町"));
        let towns = [
            "北海道余市町",
            "新潟県汐見町",
            "長野県小海町",
            "高知県四万十町",
            "沖縄県竹富町",
        ];
        let tones: std::collections::BTreeSet<u32> = towns.iter().map(|t| tone(t)).collect();
        assert!(tones.len() > 1);
        assert!(tones.iter().all(|t| *t < TONES));
    }
}
