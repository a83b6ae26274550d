//! Test photos with metadata, for the privacy tests (unit and integration): a JPEG with an
//! APP1 Exif segment holding an orientation, a camera serial number and a GPS position.

use image::{ImageEncoder, Rgb, RgbImage};

/// The serial number written into [`jpeg_with_exif`]'s Exif IFD.
pub const SERIAL: &[u8] = b"SN-CAMERA-31337";
/// The GPS latitude rationals (35/1, 41/1, 2230/100), as they appear in the file.
pub const GPS_BYTES: [u8; 24] = [
    0, 0, 0, 35, 0, 0, 0, 1, 0, 0, 0, 41, 0, 0, 0, 1, 0, 0, 8, 182, 0, 0, 0, 100,
];

/// A `w`×`h` JPEG (a two-colour picture, left half red) carrying EXIF `orientation`, a
/// camera serial ([`SERIAL`]) and a GPS latitude ([`GPS_BYTES`]).
pub fn jpeg_with_exif(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            Rgb([200, 30, 30])
        } else {
            Rgb([30, 30, 200])
        }
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .expect("encode");
    let exif = exif(orientation);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    let len = u16::try_from(exif.len() + 2).expect("small");
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
    out.extend_from_slice(&tag.to_be_bytes());
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&value);
}

/// `Exif\0\0` + a big-endian TIFF: IFD0 (orientation, Exif and GPS pointers), the Exif IFD
/// (body serial number), the GPS IFD (latitude ref and latitude).
fn exif(orientation: u16) -> Vec<u8> {
    let mut t = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    // IFD0 at 8: 3 entries → ends at 8 + 2 + 36 + 4 = 50.
    t.extend_from_slice(&3u16.to_be_bytes());
    let o = orientation.to_be_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8769, 4, 1, 50u32.to_be_bytes());
    entry(&mut t, 0x8825, 4, 1, 84u32.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    // Exif IFD at 50: 1 entry → ends at 68; the serial (16 bytes with its NUL) at 68.
    t.extend_from_slice(&1u16.to_be_bytes());
    entry(&mut t, 0xA431, 2, 16, 68u32.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    t.extend_from_slice(SERIAL);
    t.push(0);
    // GPS IFD at 84: 2 entries → ends at 114; the latitude rationals at 114.
    t.extend_from_slice(&2u16.to_be_bytes());
    entry(&mut t, 0x0001, 2, 2, [b'N', 0, 0, 0]);
    entry(&mut t, 0x0002, 5, 3, 114u32.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    t.extend_from_slice(&GPS_BYTES);
    let mut out = b"Exif\x00\x00".to_vec();
    out.extend_from_slice(&t);
    out
}
