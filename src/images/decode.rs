//! Reading a raster: its format from the bytes, the pixels, and the EXIF orientation applied to
//! them, so every later step works on the picture as it is meant to be seen. Metadata is never
//! carried further than this: only pixels leave.

use super::Format;
use image::{DynamicImage, ImageDecoder, ImageReader};
use std::io::Cursor;

/// The pixels of `bytes`, upright, and the format they were in. The error is the decoder's own
/// words (English, technical), for the diagnostic that names the file.
pub fn decode(bytes: &[u8]) -> Result<(DynamicImage, Format), String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = match reader.format() {
        Some(image::ImageFormat::Jpeg) => Format::Jpeg,
        Some(image::ImageFormat::Png) => Format::Png,
        Some(image::ImageFormat::WebP) => Format::Webp,
        _ => return Err("not a JPEG, PNG or WebP image".into()),
    };
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    // A broken orientation tag is no reason to refuse the photo: it is shown as stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    Ok((img, format))
}
