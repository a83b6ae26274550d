//! The site's default `og:image` when it has no `default_image`: a 1200×630 PNG in the brand
//! colour with a lighter band, made from pixels (no font rasterizer is pulled in for a title;
//! LINE, X and Facebook show the page title beside the picture anyway).

use image::{ImageEncoder, Rgb, RgbImage};

pub const OG_DEFAULT_SIZE: (u32, u32) = (1200, 630);

/// The PNG bytes of the default share picture, the same on every build: drawn and encoded once
/// per process (the dev server and the test suite build many times).
pub fn default_og_png() -> &'static [u8] {
    static PNG: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    PNG.get_or_init(draw)
}

pub(super) fn draw() -> Vec<u8> {
    let (w, h) = OG_DEFAULT_SIZE;
    // The theme's accent (a deep teal) fading to a lighter one, with a band at two-thirds.
    let img = RgbImage::from_fn(w, h, |x, y| {
        let t = x * 40 / w;
        let band = (h * 2 / 3..h * 2 / 3 + 12).contains(&y);
        if band {
            Rgb([246, 241, 228])
        } else {
            Rgb([
                16 + u8::try_from(t).unwrap_or(0),
                95 + u8::try_from(t).unwrap_or(0),
                110,
            ])
        }
    });
    let mut out = Vec::new();
    // Writing a PNG of known size into memory cannot fail.
    let _ = image::codecs::png::PngEncoder::new(&mut out).write_image(
        img.as_raw(),
        w,
        h,
        image::ExtendedColorType::Rgb8,
    );
    out
}
