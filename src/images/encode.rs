//! Resizing (fast_image_resize, Lanczos3) and encoding: JPEG and PNG with `image` (which writes
//! no metadata unless asked), WebP lossy with libwebp (the `webp` crate; `image`'s own WebP
//! encoder is lossless only). Every output is made from pixels, so nothing of the source file's
//! metadata (EXIF, XMP, IPTC, GPS, serial numbers) can reach it.

use super::Format;
use fast_image_resize::{images::Image, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageEncoder};

/// JPEG quality of the resized renditions.
pub const JPEG_QUALITY: u8 = 80;
/// JPEG quality of a full-size clean copy (the published "original").
pub const CLEAN_JPEG_QUALITY: u8 = 88;
/// WebP (lossy) quality.
pub const WEBP_QUALITY: f32 = 75.0;

/// `img` scaled to `width` (height kept in proportion, at least 1 px); `img` itself when it
/// already has that width. Never called with a width above the image's.
pub fn resize(img: &DynamicImage, width: u32) -> Result<DynamicImage, String> {
    if width >= img.width() {
        return Ok(img.clone());
    }
    let height = height_at(img.width(), img.height(), width);
    let src = pixels(img);
    let (kind, alpha) = if src.color().has_alpha() {
        (PixelType::U8x4, true)
    } else {
        (PixelType::U8x3, false)
    };
    let mut dst = Image::new(width, height, kind);
    let opts = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&src, &mut dst, &opts)
        .map_err(|e| e.to_string())?;
    let raw = dst.into_vec();
    let out = if alpha {
        image::RgbaImage::from_raw(width, height, raw).map(DynamicImage::ImageRgba8)
    } else {
        image::RgbImage::from_raw(width, height, raw).map(DynamicImage::ImageRgb8)
    };
    out.ok_or_else(|| "resize produced a wrong buffer".to_string())
}

/// The height of a `w`×`h` image scaled to `width`, rounded, at least 1.
pub fn height_at(w: u32, h: u32, width: u32) -> u32 {
    let scaled = (u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

/// 8-bit RGB or RGBA: what the resizer and the encoders take.
fn pixels(img: &DynamicImage) -> DynamicImage {
    if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.to_rgb8())
    }
}

/// `img` encoded as `format`. `quality` is the JPEG quality (ignored for PNG); WebP is lossy
/// at [`WEBP_QUALITY`] unless `lossless`.
pub fn encode(
    img: &DynamicImage,
    format: Format,
    quality: u8,
    lossless: bool,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let err = |e: image::ImageError| e.to_string();
    match format {
        Format::Jpeg => {
            // JPEG has no alpha: flattened by dropping it (photos with alpha are rare).
            let rgb = img.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .encode_image(&rgb)
                .map_err(err)?;
        }
        Format::Png => {
            let px = pixels(img);
            image::codecs::png::PngEncoder::new(&mut out)
                .write_image(px.as_bytes(), px.width(), px.height(), px.color().into())
                .map_err(err)?;
        }
        Format::Webp => {
            let px = pixels(img);
            let enc = if px.color().has_alpha() {
                webp::Encoder::from_rgba(px.as_bytes(), px.width(), px.height())
            } else {
                webp::Encoder::from_rgb(px.as_bytes(), px.width(), px.height())
            };
            let mem = if lossless {
                enc.encode_lossless()
            } else {
                enc.encode(WEBP_QUALITY)
            };
            out.extend_from_slice(&mem);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_keep_the_ratio_and_never_reach_zero() {
        assert_eq!(height_at(1600, 1200, 480), 360);
        assert_eq!(height_at(3000, 2000, 960), 640);
        assert_eq!(height_at(5000, 1, 480), 1);
    }

    #[test]
    fn resize_gives_the_asked_size() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            800,
            600,
            image::Rgb([10, 200, 30]),
        ));
        let small = resize(&img, 480).unwrap();
        assert_eq!((small.width(), small.height()), (480, 360));
        for f in [Format::Jpeg, Format::Png, Format::Webp] {
            let bytes = encode(&small, f, JPEG_QUALITY, false).unwrap();
            let (back, got) = super::super::decode::decode(&bytes).unwrap();
            assert_eq!(got, f);
            assert_eq!((back.width(), back.height()), (480, 360));
        }
    }
}
