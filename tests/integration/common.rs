//! Test driver: a site in a temporary folder, built through the library or the binary, with
//! the output read back through an HTML parser.
#![allow(dead_code)]

use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use tsunagari::diagnostics::{Diagnostic, Problem};
use tsunagari::pipeline::{self, Failure, Report};

/// Default build date of the tests.
pub const NOW: &str = "2026-04-01";

pub struct SiteTest {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl SiteTest {
    /// A copy of `tests/fixtures/sites/<name>`.
    pub fn from_fixture(name: &str) -> SiteTest {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sites")
            .join(name);
        let t = SiteTest::blank();
        copy_dir(&src, &t.root);
        t
    }

    /// A copy of the sample portal at the top of the repository (site.yaml, content/, static/),
    /// its image cache already holding the processed photos, as on a staff member's machine
    /// after the first build ([`sample_images`]).
    pub fn sample() -> SiteTest {
        let t = SiteTest::sample_uncached();
        copy_dir(sample_images(), &tsunagari::images::cache_dir(&t.root));
        t
    }

    /// The sample portal with no image cache: its first build resizes and encodes every photo.
    pub fn sample_uncached() -> SiteTest {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let t = SiteTest::blank();
        std::fs::copy(repo.join("site.yaml"), t.root.join("site.yaml")).unwrap();
        for dir in ["content", "static"] {
            copy_dir(&repo.join(dir), &t.root.join(dir));
        }
        t
    }

    /// Replaces `from` with `to` in a file, which must contain it.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = std::fs::read_to_string(self.root.join(rel)).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.file(rel, &text.replacen(from, to, 1))
    }

    /// A site with only site.yaml and an empty content/.
    pub fn empty() -> SiteTest {
        let t = SiteTest::blank();
        t.file(
            "site.yaml",
            "title: テスト\nbase_url: https://test.example.jp/\n",
        );
        std::fs::create_dir_all(t.root.join("content")).unwrap();
        t
    }

    fn blank() -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        SiteTest { _dir: dir, root }
    }

    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.root.join(rel)).unwrap();
        self
    }

    /// Builds at `now`. Every diagnostic the build reports is also checked in English
    /// ([`assert_english`]), so each test that reaches a problem checks its translation too.
    pub fn build_at(&self, now: &str) -> Result<Report, Failure> {
        let r = pipeline::build(&pipeline::options(&self.root, now));
        match &r {
            Ok(report) => assert_english(&self.root, &report.warnings),
            Err(Failure::Content(d)) => assert_english(&self.root, d),
            Err(_) => {}
        }
        r
    }

    pub fn build(&self) -> Report {
        match self.build_at(NOW) {
            Ok(r) => r,
            Err(Failure::Content(d)) => panic!("build failed:\n{}", render(&d)),
            Err(e) => panic!("build failed: {e:?}"),
        }
    }

    /// Builds, expecting content errors; returns them.
    pub fn errors(&self) -> Vec<Diagnostic> {
        match self.build_at(NOW) {
            Err(Failure::Content(d)) => d.into_iter().filter(|d| d.is_error()).collect(),
            Err(e) => panic!("expected content errors, got {e:?}"),
            Ok(_) => panic!("expected the build to fail"),
        }
    }

    /// Runs the binary with `args`; returns (exit code, stdout, stderr).
    pub fn cli(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_tsunagari"))
            .args(args)
            .current_dir(&self.root)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }

    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.public().join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }

    /// The output path of the theme asset `assets/<name>` under its published name
    /// (`style.css` → `assets/style.3f9a1c2e5b.css`): the one file of `assets/` whose name is
    /// the stem, ten hex digits and the extension.
    pub fn asset(&self, name: &str) -> String {
        published_asset(&self.public(), name)
    }

    /// Every file under public/ with its bytes.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(&self.public())
    }
}

/// [`SiteTest::asset`] in the output folder `public`.
pub fn published_asset(public: &Path, name: &str) -> String {
    let (stem, ext) = name
        .rsplit_once('.')
        .expect("an asset name has an extension");
    let found: Vec<String> = std::fs::read_dir(public.join("assets"))
        .expect("public/assets")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|f| {
            f.strip_prefix(&format!("{stem}."))
                .and_then(|r| r.strip_suffix(&format!(".{ext}")))
                .is_some_and(|h| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(found.len(), 1, "published {name}: {found:?}");
    format!("assets/{}", found[0])
}

/// The build date of the sample portal: its content is written for late 2026 (see sample.rs).
pub const SAMPLE_NOW: &str = "2026-11-21";

/// Every fixture site (`tests/fixtures/sites/*`, sorted) and the sample portal, each with the
/// build date it is written for: what the sweeps over "every site we have" build.
pub fn every_site() -> Vec<(String, SiteTest, &'static str)> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites");
    let mut names: Vec<String> = std::fs::read_dir(fixtures)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 2, "{names:?}");
    let mut sites: Vec<_> = names
        .into_iter()
        .map(|name| (name.clone(), SiteTest::from_fixture(&name), NOW))
        .collect();
    sites.push(("sample".into(), SiteTest::sample(), SAMPLE_NOW));
    sites
}

pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The sample portal's image cache after one build, made once per test process. Resizing and
/// encoding its photos is most of the CPU of a sample build in a debug binary (10.8 s against
/// 0.2 s with a warm cache), and a dozen tests build it. The cache is keyed by the photo's bytes
/// and the image settings, so a test that changes either still processes afresh; image
/// processing itself is tested on fresh caches (images.rs, and `sample_images_come_from_a_cold_build`).
pub fn sample_images() -> &'static Path {
    static WARM: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, dir) = WARM.get_or_init(|| {
        let t = SiteTest::sample_uncached();
        t.build_at(SAMPLE_NOW).expect("the sample portal builds");
        let keep = tempfile::tempdir().unwrap();
        let dir = keep.path().join("images");
        copy_dir(&tsunagari::images::cache_dir(&t.root), &dir);
        (keep, dir)
    });
    dir
}

fn copy_dir(src: &Path, dst: &Path) {
    for e in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(src).unwrap();
        let to = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

pub fn render(d: &[Diagnostic]) -> String {
    d.iter()
        .map(|d| d.render(tsunagari::diagnostics::Lang::Ja))
        .collect()
}

/// Texts of the elements matching `css`.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Values of attribute `attr` on the elements matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Finds the one diagnostic whose problem matches, and checks its file and line.
pub fn expect_at<'a>(
    d: &'a [Diagnostic],
    file: &str,
    line: usize,
    pred: impl Fn(&Problem) -> bool,
) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = d.iter().filter(|x| pred(&x.problem)).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one matching diagnostic, got:\n{}",
        render(d)
    );
    let x = found[0];
    assert_eq!(x.path, Path::new(file), "wrong file:\n{}", render(d));
    assert_eq!(x.line, line, "wrong line:\n{}", render(d));
    assert!(x.column >= 1);
    x
}

/// A challenge with every required field; `extra` lines go into the front matter.
pub fn challenge(extra: &str) -> String {
    format!("---\ntitle: 課題\nmunicipality: 汐見町\nprefecture: 新潟県\ndate: 2026-03-01\n{extra}---\n本文\n")
}

/// Characters only Japanese text uses: kana, CJK ideographs, full-width forms and punctuation.
pub fn is_japanese(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x20000..=0x2FFFF | 0x31F0..=0x31FF)
}

/// `--lang en` has no untranslated message: each diagnostic is rendered in English with the
/// values tsunagari fills in marked (`tsunagari::messages::marking`). Outside the marks no
/// Japanese may appear (it would be tsunagari's own, untranslated); inside, Japanese may appear
/// only when it comes from the site (a run of it found in one of the site's files or paths) or
/// is a value the problem offers staff to type (a suggestion, an allowed value). Outside the
/// marks, the English text may quote such a value between backticks, as the catalogue does.
pub fn assert_english(root: &Path, diags: &[Diagnostic]) {
    let mut site: Option<String> = None;
    for d in diags {
        let text = tsunagari::messages::marking(|| d.render(tsunagari::diagnostics::Lang::En));
        let mut offered = String::new();
        if let Problem::InvalidChoice { allowed, .. } = &d.problem {
            offered = allowed.join("\n");
        }
        let debug = format!("{:?}", d.problem);
        // A suggestion, or the canonical form a value was taken as (`prefecture: 東京都`).
        for key in ["suggestion: Some(", "canonical: "] {
            if let Some(i) = debug.find(key) {
                offered.push_str(&debug[i..]);
            }
        }
        for value in english_problems(&text) {
            let site = site.get_or_insert_with(|| site_text(root));
            let from_site = value
                .split(|c: char| !is_japanese(c))
                .filter(|run| !run.is_empty())
                .all(|run| site.contains(run) || offered.contains(run));
            assert!(
                from_site,
                "Japanese that is not the site's in English: {value:?}\n{text}"
            );
        }
    }
}

/// The marked values of `text` that hold Japanese; panics on Japanese outside any mark.
fn english_problems(text: &str) -> Vec<String> {
    let (open, close) = (
        tsunagari::messages::MARK_OPEN,
        tsunagari::messages::MARK_CLOSE,
    );
    let (mut depth, mut values, mut cur) = (0usize, Vec::new(), String::new());
    // Between backticks, English may quote a value staff type in Japanese (`東京都`).
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '`' if depth == 0 => quoted = !quoted,
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 && cur.chars().any(is_japanese) {
                    values.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
            c if depth > 0 => cur.push(c),
            c => assert!(
                quoted || !is_japanese(c),
                "untranslated text in English: {text}"
            ),
        }
    }
    values
}

/// Every file of the site as text, and every path in it: where a value in a message may come from.
fn site_text(root: &Path) -> String {
    let mut all = String::new();
    for e in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
    {
        all.push_str(&e.path().to_string_lossy());
        all.push('\n');
        if e.file_type().is_file() {
            if let Ok(b) = std::fs::read(e.path()) {
                all.push_str(&String::from_utf8_lossy(&b));
                all.push('\n');
            }
        }
    }
    // Both spellings: messages show names as found on disk (maybe NFD) and text as read (NFC).
    let nfc = tsunagari::unicode::nfc(&all).into_owned();
    all + &nfc
}

/// A small real PNG (16×9, one colour): for sites whose images must decode.
pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(16, 9, image::Rgb([20, 110, 120]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The site's search index as the reference engine builds it (in memory, at `now`).
pub fn search_index(t: &SiteTest, now: &str) -> tsunagari::search::Index {
    let p = tsunagari::pipeline::prepare(&tsunagari::pipeline::options(&t.root, now))
        .unwrap_or_else(|e| panic!("{e:?}"));
    tsunagari::search::build(&p.site)
}

/// The built search manifest (`search/m.<hash>.json`), as the browser reads it.
pub fn search_manifest(t: &SiteTest) -> serde_json::Value {
    let manifest = std::fs::read_dir(t.public().join("search"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("m."))
        .expect("the build writes a search manifest");
    serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap()
}

/// Every blob of a group of search packs (`d`, `t`, or a level's shards: `base`, …), in order,
/// gunzipped, as the browser reads them: the packs the manifest's `starts` name, unpacked.
pub fn search_blobs(t: &SiteTest, group: &str) -> Vec<Vec<u8>> {
    use std::io::Read;
    let m = search_manifest(t);
    let starts = match group {
        "d" | "t" => m["packs"][group].clone(),
        level => m["levels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == level)
            .unwrap_or_else(|| panic!("no level {level}"))["packs"]
            .clone(),
    };
    let mut blobs = Vec::new();
    for k in 0..starts.as_array().unwrap().len() {
        let rel = format!("search/{group}.{k}.pack");
        let bytes = std::fs::read(t.public().join(&rel)).unwrap();
        assert_eq!(
            starts[k],
            blobs.len(),
            "{rel} starts after the packs before it"
        );
        let pack = tsunagari::search::pack::unpack(&bytes).expect("a pack's table fits");
        for (n, blob) in pack.into_iter().enumerate() {
            assert_eq!(&blob[..2], &[0x1f, 0x8b], "{rel}: blob {n} is gzip");
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(blob)
                .read_to_end(&mut out)
                .unwrap();
            blobs.push(out);
        }
    }
    blobs
}

/// `text` with its `%XX` escapes decoded as UTF-8 (feed, sitemap and share URLs percent-encode
/// Japanese path segments and query values).
pub fn percent_decoded(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
