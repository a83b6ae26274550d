//! The image pipeline end to end: a GPS-tagged, camera-serial-tagged photo used as a front-matter
//! image, as body images, in `static/` and as a plain bundle file comes out of the build with no
//! metadata anywhere (every published raster is parsed: JPEG segments, PNG and WebP chunks), the
//! right way up; pages get pictures with sizes; a rebuild encodes nothing; image problems are
//! reported where they are.

use crate::common::{attrs, expect_at, SiteTest, SAMPLE_NOW};
use crate::harden_output::tree;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tsunagari::diagnostics::{ImageProblem, Problem};
use tsunagari::images::testing::{jpeg_with_exif, GPS_BYTES, SERIAL};

/// A site with the tagged photo everywhere a raster can be published. Orientation 6: stored
/// 1000×600, shown 600×1000.
fn tagged_site() -> SiteTest {
    let t = SiteTest::empty();
    let photo = jpeg_with_exif(1000, 600, 6);
    t.file(
        "content/challenges/harbor/index.md",
        "---\ntitle: 港の課題\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\n\
         image: photo.jpg\nimage_alt: 朝の漁港\n---\n\
         本文の写真です。\n\n![網を直す漁師](photo.jpg)\n\n![港の倉庫](/images/gps.jpg)\n",
    )
    .bytes("content/challenges/harbor/photo.jpg", &photo)
    .bytes("content/challenges/harbor/unused.jpeg", &photo)
    .bytes("static/images/gps.jpg", &photo);
    t
}

/// Every published raster under `dir`, by path.
fn rasters(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    crate::common::snapshot(dir)
        .into_iter()
        .filter(|(p, _)| {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "jpg" | "jpeg" | "png" | "webp"
            )
        })
        .collect()
}

/// The metadata blocks of a JPEG (APP1 Exif/XMP, APP13 IPTC), PNG (eXIf, tEXt, iTXt, zTXt) or
/// WebP (EXIF, XMP) file, by name. Panics on a file that is none of them.
fn metadata_blocks(b: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    if b.starts_with(&[0xFF, 0xD8]) {
        let mut i = 2;
        while i + 4 <= b.len() && b[i] == 0xFF {
            let marker = b[i + 1];
            if marker == 0xDA || marker == 0xD9 {
                break; // start of scan: no more metadata segments
            }
            let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
            let body = &b[i + 4..(i + 2 + len).min(b.len())];
            if marker == 0xE1
                && (body.starts_with(b"Exif") || body.starts_with(b"http://ns.adobe.com"))
            {
                found.push("APP1".into());
            }
            if marker == 0xED {
                found.push("APP13".into());
            }
            i += 2 + len;
        }
    } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        let mut i = 8;
        while i + 8 <= b.len() {
            let len = u32::from_be_bytes(b[i..i + 4].try_into().unwrap()) as usize;
            let kind = String::from_utf8_lossy(&b[i + 4..i + 8]).into_owned();
            if ["eXIf", "tEXt", "iTXt", "zTXt"].contains(&kind.as_str()) {
                found.push(kind);
            }
            i += 12 + len;
        }
    } else if b.starts_with(b"RIFF") && &b[8..12] == b"WEBP" {
        let mut i = 12;
        while i + 8 <= b.len() {
            let len = u32::from_le_bytes(b[i + 4..i + 8].try_into().unwrap()) as usize;
            let kind = String::from_utf8_lossy(&b[i..i + 4]).into_owned();
            if kind == "EXIF" || kind == "XMP " {
                found.push(kind);
            }
            i += 8 + len + (len & 1);
        }
    } else {
        panic!("not a JPEG, PNG or WebP");
    }
    found
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn size(bytes: &[u8]) -> (u32, u32) {
    image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap()
}

#[test]
fn the_scanner_sees_the_metadata_of_the_source() {
    let photo = jpeg_with_exif(40, 20, 6);
    assert_eq!(metadata_blocks(&photo), ["APP1"]);
    assert!(contains(&photo, SERIAL) && contains(&photo, &GPS_BYTES));
}

#[test]
fn no_published_raster_carries_gps_serials_or_any_metadata() {
    let t = tagged_site();
    t.build();
    let all = rasters(&t.public());
    // The three source paths, their renditions (WebP + JPEG at 480 and 600, og) and more.
    for p in [
        "challenges/harbor/photo.jpg",
        "challenges/harbor/unused.jpeg",
        "images/gps.jpg",
    ] {
        assert!(all.contains_key(Path::new(p)), "{p} published");
    }
    let processed = all
        .keys()
        .filter(|p| p.starts_with("images/_processed"))
        .count();
    assert!(processed >= 5, "renditions published: {all:?}");
    for (path, bytes) in &all {
        assert_eq!(
            metadata_blocks(bytes),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        assert!(!contains(bytes, SERIAL), "serial in {}", path.display());
        assert!(!contains(bytes, &GPS_BYTES), "GPS in {}", path.display());
        assert!(!contains(bytes, b"Exif\0"), "Exif in {}", path.display());
    }
    // Orientation 6 was applied: every copy and rendition is taller than wide.
    for (path, bytes) in &all {
        if !path.ends_with("og-default.png") {
            let (w, h) = size(bytes);
            assert!(h > w, "{} is {w}×{h}", path.display());
        }
    }
    assert_eq!(
        size(&all[Path::new("challenges/harbor/photo.jpg")]),
        (600, 1000)
    );
}

#[test]
fn pages_show_pictures_with_sizes_and_share_a_raster() {
    let t = tagged_site();
    t.build();
    let doc = t.html("challenges/harbor/index.html");
    // The hero: eager, high priority, WebP first, a size for its box.
    let hero = ".entry-image picture img";
    assert_eq!(attrs(&doc, hero, "fetchpriority"), ["high"]);
    assert_eq!(attrs(&doc, hero, "width"), ["600"]);
    assert_eq!(attrs(&doc, hero, "height"), ["1000"]);
    assert_eq!(attrs(&doc, hero, "alt"), ["朝の漁港"]);
    let webp = attrs(&doc, ".entry-image picture source", "srcset");
    assert!(
        webp[0].contains("480w") && webp[0].contains(".webp 600w"),
        "{webp:?}"
    );
    // Body images: pictures too, lazy, with their alt text.
    let body = ".prose picture img";
    assert_eq!(attrs(&doc, body, "loading"), ["lazy", "lazy"]);
    assert_eq!(attrs(&doc, body, "alt"), ["網を直す漁師", "港の倉庫"]);
    assert!(attrs(&doc, body, "width").iter().all(|w| w == "600"));
    for src in attrs(&doc, "picture img", "src") {
        let rel = src.trim_start_matches('/');
        assert!(t.exists(rel), "{src} is published");
    }
    // og:image: the photo as a JPEG rendition, with its size.
    let og = attrs(&doc, "meta[property='og:image']", "content");
    assert!(
        og[0].starts_with("https://test.example.jp/images/_processed/photo-og600."),
        "{og:?}"
    );
    assert!(og[0].ends_with(".jpg"));
    assert_eq!(
        attrs(&doc, "meta[property='og:image:width']", "content"),
        ["600"]
    );
    // Cards show the picture; a page without one gets the town's placeholder.
    let list = t.html("challenges/index.html");
    assert_eq!(attrs(&list, ".card-photo picture img", "loading"), ["lazy"]);
    // Without `default_image`, the home page shares the generated PNG.
    let home = t.html("index.html");
    let og = attrs(&home, "meta[property='og:image']", "content");
    assert_eq!(
        og,
        ["https://test.example.jp/images/_processed/og-default.png"]
    );
    assert_eq!(
        size(&std::fs::read(t.public().join("images/_processed/og-default.png")).unwrap()),
        (1200, 630)
    );
}

#[test]
fn a_rebuild_encodes_nothing_and_writes_the_same_files() {
    let t = tagged_site();
    let first = t.build();
    let before = rasters(&t.public());
    assert!(first.images.encoded > 0);
    let second = t.build();
    assert_eq!(second.images.images, first.images.images);
    assert_eq!(
        second.images.encoded, 0,
        "nothing encoded from a full cache"
    );
    assert_eq!(rasters(&t.public()), before, "same paths, same bytes");
    // One photo changed: only it is encoded again.
    t.bytes("static/images/gps.jpg", &jpeg_with_exif(700, 400, 1));
    let third = t.build();
    assert!(third.images.encoded > 0);
    // The bundle photo (same bytes as before) keeps its files: same names, same bytes.
    let photo = |m: &BTreeMap<PathBuf, Vec<u8>>| -> BTreeMap<PathBuf, Vec<u8>> {
        m.iter()
            .filter(|(p, _)| p.to_string_lossy().contains("/photo-"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect()
    };
    let after = rasters(&t.public());
    assert!(!photo(&before).is_empty());
    assert_eq!(photo(&after), photo(&before));
    assert_ne!(after, before, "the changed photo has new files");
}

/// The sample portal built from a cold image cache and from the warm one every other sample test
/// starts with (`SiteTest::sample`) publishes the same files with the same bytes: the shortcut
/// the tests take is the one a second build takes.
#[test]
fn sample_images_come_from_a_cold_build() {
    let cold = SiteTest::sample_uncached();
    let first = cold.build_at(SAMPLE_NOW).unwrap();
    assert!(first.images.encoded > 0, "a cold cache encodes the photos");
    let warm = SiteTest::sample();
    let second = warm.build_at(SAMPLE_NOW).unwrap();
    assert_eq!(second.images.encoded, 0, "the warm cache holds every photo");
    assert_eq!(second.images.images, first.images.images);
    assert_eq!(tree(&warm.public()), tree(&cold.public()));
}

#[test]
fn image_problems_are_reported_where_they_are() {
    let t = tagged_site();
    let page = "content/challenges/harbor/index.md";
    t.edit(page, "image_alt: 朝の漁港\n", "");
    t.bytes("content/challenges/harbor/photo.jpg", b"\xff\xd8not really");
    let errors = t.errors();
    expect_at(&errors, page, 6, |p| {
        matches!(p, Problem::Image(ImageProblem::AltMissing))
    });
    let broken = errors
        .iter()
        .find(|d| matches!(d.problem, Problem::Image(ImageProblem::Unreadable { .. })))
        .expect("a page's image that cannot be decoded is an error");
    assert_eq!(
        broken.path,
        Path::new("content/challenges/harbor/photo.jpg")
    );
}

#[test]
fn files_that_cannot_be_decoded_are_copied_only_when_they_cannot_leak_metadata() {
    let t = tagged_site();
    t.bytes("static/images/plain.png", b"\x89PNG\r\n\x1a\nnot really");
    let mut cut = jpeg_with_exif(40, 20, 1);
    cut.truncate(300); // no longer decodes, still has its Exif segment
    t.bytes("static/images/cut.jpg", &cut);
    let r = t.build();
    let warned = |path: &str, withheld: bool| {
        r.warnings.iter().any(|d| {
            let p = &d.problem;
            d.path == Path::new(path)
                && matches!(p, Problem::Image(ImageProblem::UnreadableFile { withheld: w, .. }) if *w == withheld)
        })
    };
    assert!(warned("static/images/plain.png", false), "{:?}", r.warnings);
    assert!(warned("static/images/cut.jpg", true), "{:?}", r.warnings);
    assert!(t.exists("images/plain.png"));
    assert!(
        !t.exists("images/cut.jpg"),
        "a broken file with Exif is not published"
    );
}

#[test]
fn decorative_images_are_allowed_and_a_body_image_without_alt_is_a_warning() {
    let t = tagged_site();
    t.edit(
        "content/challenges/harbor/index.md",
        "image_alt: 朝の漁港",
        "image_alt: \"\"",
    );
    t.edit(
        "content/challenges/harbor/index.md",
        "![網を直す漁師]",
        "![]",
    );
    let report = t.build();
    let w = expect_at(
        &report.warnings,
        "content/challenges/harbor/index.md",
        11,
        |p| matches!(p, Problem::Image(ImageProblem::BodyAltMissing { .. })),
    );
    assert!(w.column >= 1);
    let doc = t.html("challenges/harbor/index.html");
    assert_eq!(attrs(&doc, ".entry-image img", "alt"), [""]);
}

#[test]
fn an_svg_default_image_is_an_error_at_its_line() {
    let t = tagged_site();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\ndefault_image: /images/ogp.svg\n",
    )
    .file(
        "static/images/ogp.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let errors = t.errors();
    expect_at(&errors, "site.yaml", 3, |p| {
        matches!(p, Problem::Image(ImageProblem::DefaultNotRaster { .. }))
    });
}

#[test]
fn the_dev_server_shows_a_changed_photo_where_it_is_used() {
    use crate::incremental_support::{started, step};
    use tsunagari::incremental::Mode;
    let t = tagged_site();
    let (mut s, opts) = started(&t, crate::common::NOW);
    // A static photo shown in the body: the page is rendered again (and served as a clean
    // build serves it: `step` compares).
    t.bytes("static/images/gps.jpg", &jpeg_with_exif(700, 400, 1));
    let u = step(
        &mut s,
        &opts,
        "a body photo changed",
        &["static/images/gps.jpg"],
        Mode::Incremental,
    );
    let changed = u.changed.expect("an incremental update lists what changed");
    assert!(
        changed.iter().any(|p| p == "challenges/harbor/index.html"),
        "{changed:?}"
    );
    assert!(
        changed
            .iter()
            .any(|p| p.starts_with("images/_processed/gps-")),
        "{changed:?}"
    );
    // The page's own photo (hero, card, og:image): the page and the list showing its card.
    t.bytes(
        "content/challenges/harbor/photo.jpg",
        &jpeg_with_exif(900, 500, 1),
    );
    let u = step(
        &mut s,
        &opts,
        "a hero photo changed",
        &["content/challenges/harbor/photo.jpg"],
        Mode::Incremental,
    );
    let changed = u.changed.expect("an incremental update lists what changed");
    assert!(
        changed.iter().any(|p| p == "challenges/index.html"),
        "{changed:?}"
    );
}
