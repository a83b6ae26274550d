use super::*;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn site_with(photo: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("Photo 1.JPG");
    std::fs::write(&src, photo).unwrap();
    (dir, src)
}

#[test]
fn the_fixture_carries_what_the_pipeline_must_drop() {
    let photo = testing::jpeg_with_exif(64, 32, 6);
    assert!(contains(&photo, testing::SERIAL));
    assert!(contains(&photo, &testing::GPS_BYTES));
    // The decoder reads the orientation: the picture comes out turned.
    let (img, f) = decode::decode(&photo).unwrap();
    assert_eq!((img.width(), img.height(), f), (32, 64, Format::Jpeg));
}

#[test]
fn every_output_is_upright_and_without_metadata() {
    let (dir, src) = site_with(&testing::jpeg_with_exif(1000, 600, 6));
    let cache = dir.path().join("cache");
    let items = vec![("a/photo.jpg".to_string(), src)];
    let (lib, stats, failed) = process_all(&cache, &items);
    assert!(failed.is_empty(), "{failed:?}");
    let p = lib.get("/a/photo.jpg").unwrap();
    assert_eq!((p.width, p.height), (600, 1000));
    assert_eq!(p.stem, "photo1");
    let widths: Vec<u32> = p.webp.iter().map(|r| r.width).collect();
    assert_eq!(
        widths,
        [480, 600],
        "never upscaled, the own width is the cap"
    );
    assert_eq!(p.fallback[0].height, 800);
    assert_eq!(p.og.width, 600);
    assert_eq!(
        stats,
        Stats {
            images: 1,
            encoded: 6
        }
    );
    for r in p.fallback.iter().chain(&p.webp).chain([&p.og, &p.clean]) {
        let bytes = std::fs::read(p.dir.join(&r.file)).unwrap();
        assert!(!contains(&bytes, testing::SERIAL), "{}", r.file);
        assert!(!contains(&bytes, &testing::GPS_BYTES), "{}", r.file);
        assert!(!contains(&bytes, b"Exif"), "{}", r.file);
        let (img, _) = decode::decode(&bytes).unwrap();
        assert!(img.height() > img.width(), "{} is upright", r.file);
    }
}

#[test]
fn a_second_run_encodes_nothing_and_names_the_same_files() {
    let (dir, src) = site_with(&testing::jpeg_with_exif(700, 500, 1));
    let cache = dir.path().join("cache");
    let items = vec![("p.jpg".to_string(), src)];
    let (first, s1, _) = process_all(&cache, &items);
    let (second, s2, _) = process_all(&cache, &items);
    assert!(s1.encoded > 0);
    assert_eq!(
        s2,
        Stats {
            images: 1,
            encoded: 0
        }
    );
    let names = |l: &Library| l.get("p.jpg").unwrap().published();
    assert_eq!(names(&first), names(&second));
    // A fresh cache gives the same bytes: output names and contents are deterministic.
    let (third, s3, _) = process_all(&dir.path().join("other"), &items);
    assert_eq!(s3.encoded, s1.encoded);
    for ((n1, f1), (n3, f3)) in names(&first).iter().zip(names(&third).iter()) {
        assert_eq!(n1, n3);
        assert_eq!(
            std::fs::read(f1).unwrap(),
            std::fs::read(f3).unwrap(),
            "{n1}"
        );
    }
}

#[test]
fn a_file_that_is_no_image_fails_with_a_reason() {
    let (dir, src) = site_with(b"not a jpeg at all");
    let (lib, _, failed) = process_all(&dir.path().join("c"), &[("x.jpg".into(), src)]);
    assert!(lib.by_path.is_empty());
    assert_eq!(failed.len(), 1);
    assert!(!failed[0].reason.is_empty());
}

#[test]
fn widths_are_capped_by_the_image() {
    assert_eq!(widths(300), [300]);
    assert_eq!(widths(480), [480]);
    assert_eq!(widths(1200), [480, 960, 1200]);
    assert_eq!(widths(4000), [480, 960, 1600]);
}

#[test]
fn the_default_share_picture_is_a_stable_png() {
    // Drawn twice, the same bytes: what the process keeps is what any build would write.
    let png = default_og_png();
    assert_eq!(png, super::og::draw());
    let (img, f) = decode::decode(png).unwrap();
    assert_eq!((img.width(), img.height(), f), (1200, 630, Format::Png));
}

#[test]
fn a_file_is_hashed_again_only_when_its_size_or_time_changed() {
    let (_dir, src) = site_with(b"first version");
    let set_time = |secs: u64| {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        let f = std::fs::File::options().write(true).open(&src).unwrap();
        f.set_modified(t).unwrap();
    };
    set_time(1_700_000_000);
    let first = cache::hash_file(&src).unwrap();
    assert_eq!(first, cache::hash(b"first version"));
    // Same size and time: taken as unchanged (what a long-running serve saves by not reading).
    std::fs::write(&src, b"other version").unwrap();
    set_time(1_700_000_000);
    assert_eq!(cache::hash_file(&src).unwrap(), first);
    // A new time (any save) or a new size: read and hashed again.
    set_time(1_700_000_001);
    assert_eq!(
        cache::hash_file(&src).unwrap(),
        cache::hash(b"other version")
    );
    std::fs::write(&src, b"a longer third version").unwrap();
    set_time(1_700_000_001);
    assert_eq!(
        cache::hash_file(&src).unwrap(),
        cache::hash(b"a longer third version")
    );
}
