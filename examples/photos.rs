//! Makes landscape "photos" without a camera or a download: sky, sun, layered ridges, terraced
//! fields or sea, with film grain, as JPEGs. Used for the sample portal's card photos and by
//! `bench/images.sh` (1,000 varied photos of 1–3 MP, every third with EXIF: GPS, a serial and
//! an orientation, to exercise the privacy path).
//!
//! `cargo run --release --example photos -- OUT_DIR COUNT [WIDTH HEIGHT] [--exif-every N]`
//! Photo `i` is the same on every run (seeded by `i`).

use image::{ImageEncoder, Rgb, RgbImage};
use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = std::path::PathBuf::from(args.first().expect("OUT_DIR"));
    let count: u32 = args.get(1).map_or(1, |s| s.parse().expect("COUNT"));
    let fixed: Option<(u32, u32)> = match (args.get(2), args.get(3)) {
        (Some(w), Some(h)) if !w.starts_with("--") => {
            Some((w.parse().unwrap(), h.parse().unwrap()))
        }
        _ => None,
    };
    let exif_every: u32 = args
        .iter()
        .position(|a| a == "--exif-every")
        .and_then(|i| args.get(i + 1))
        .map_or(0, |s| s.parse().unwrap());
    std::fs::create_dir_all(&out).unwrap();
    (0..count).into_par_iter().for_each(|i| {
        let mut rng = Rng(u64::from(i) * 0x9E37_79B9_7F4A_7C15 + 1);
        // 1–3 MP, landscape or portrait-ish.
        let (w, h) = fixed.unwrap_or_else(|| {
            let w = 1200 + rng.below(900);
            (w, w * 2 / 3 + rng.below(w / 3))
        });
        let img = landscape(w, h, &mut rng);
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 82)
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        if exif_every > 0 && i % exif_every == 0 {
            jpeg = with_exif(&jpeg);
        }
        std::fs::write(out.join(format!("photo-{i:04}.jpg")), jpeg).unwrap();
    });
}

/// The JPEG with the test EXIF segment (GPS, serial; orientation 1, so the picture stays as is).
fn with_exif(jpeg: &[u8]) -> Vec<u8> {
    let tagged = tsunagari::images::testing::jpeg_with_exif(8, 8, 1);
    // The APP1 segment of the tagged file: right after SOI.
    let len = usize::from(u16::from_be_bytes([tagged[4], tagged[5]]));
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&tagged[2..4 + len]);
    out.extend_from_slice(&jpeg[2..]);
    out
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n.max(1))) as u32
    }
    fn unit(&mut self) -> f32 {
        (self.next() % 10_000) as f32 / 10_000.0
    }
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|k| a[k] + (b[k] - a[k]) * t.clamp(0.0, 1.0))
}

/// A ridge line: a sum of sines with random phases, between 0 and 1.
fn ridge(x: f32, phases: &[f32; 4], scale: f32) -> f32 {
    let s = (x * 3.1 * scale + phases[0]).sin() * 0.5
        + (x * 7.3 * scale + phases[1]).sin() * 0.25
        + (x * 17.9 * scale + phases[2]).sin() * 0.12
        + (x * 41.0 * scale + phases[3]).sin() * 0.05;
    0.5 + s * 0.5
}

fn landscape(w: u32, h: u32, rng: &mut Rng) -> RgbImage {
    let dusk = rng.unit();
    let sky_top = mix([70.0, 130.0, 210.0], [60.0, 60.0, 120.0], dusk);
    let sky_low = mix([200.0, 225.0, 240.0], [250.0, 170.0, 110.0], dusk);
    let sun = (0.2 + rng.unit() * 0.6, 0.15 + rng.unit() * 0.25);
    let sea = rng.below(2) == 0;
    let horizon = 0.45 + rng.unit() * 0.15;
    let layers: Vec<([f32; 4], f32, [f32; 3])> = (0..3)
        .map(|k| {
            let phases = [0, 1, 2, 3].map(|_| rng.unit() * std::f32::consts::TAU);
            let green = [
                40.0 + rng.unit() * 40.0,
                90.0 + rng.unit() * 50.0,
                60.0 + rng.unit() * 30.0,
            ];
            let haze = mix(green, sky_low, 0.55 - k as f32 * 0.2);
            (phases, 0.12 + k as f32 * 0.06, haze)
        })
        .collect();
    let mut img = RgbImage::new(w, h);
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
            let mut c = mix(sky_top, sky_low, fy / horizon);
            let d = ((fx - sun.0).powi(2) + (fy - sun.1).powi(2)).sqrt();
            c = mix(c, [255.0, 245.0, 215.0], (0.06 - d) * 30.0);
            c = mix(c, [255.0, 230.0, 190.0], (0.25 - d) * 0.8);
            for (k, (phases, height, colour)) in layers.iter().enumerate() {
                let top = horizon - height * ridge(fx, phases, 1.0 + k as f32 * 0.4);
                if fy > top {
                    c = mix(*colour, [20.0, 40.0, 30.0], (fy - top) * 1.5);
                }
            }
            if fy > horizon {
                let t = (fy - horizon) / (1.0 - horizon);
                c = if sea {
                    let wave = ((fy * 180.0 / (t + 0.2)) + (fx * 9.0).sin()).sin() * 0.5 + 0.5;
                    mix(
                        mix([40.0, 90.0, 140.0], sky_low, 0.3),
                        [210.0, 230.0, 240.0],
                        wave * 0.25 * (1.0 - t),
                    )
                } else {
                    // Terraced fields: curved bands of green and gold.
                    let band = ((t * 24.0 + (fx * 5.0).sin() * 0.8).fract() - 0.5).abs();
                    mix(
                        [120.0, 150.0, 60.0],
                        [200.0, 180.0, 90.0],
                        dusk * 0.6 + band * 0.6,
                    )
                };
            }
            let grain = (rng.unit() - 0.5) * 10.0;
            img.put_pixel(x, y, Rgb(c.map(|v| (v + grain).clamp(0.0, 255.0) as u8)));
        }
    }
    img
}
