//! Every site URL and output path tsunagari makes: pages, sections and their pagination,
//! challenge status lists, taxonomy terms, municipalities, feeds, the sitemap, search files,
//! assets, images, absolute URLs, and the output file each URL is written to.
//!
//! A site URL (`/portal/challenges/a/`) starts with the base path (`/`, or `/portal/` when
//! `base_url` has a path), ends with `/` when it is a page, and is written as it is shown:
//! Japanese segments stay Japanese (`/themes/ふるさと納税/`), in absolute URLs too; only
//! [`Urls::encoded`], for feeds, the sitemap and JSON-LD, percent-encodes them. Its output
//! file is the URL without the base path, with `index.html` for a page
//! (`challenges/a/index.html`). Slug rules (what a term or municipality is called in its URL)
//! belong to `content` and `japan`, and so do the folder names of kinds and taxonomies
//! ([`Folder`]); this module only puts segments together, so the shape of every URL is decided
//! here and nowhere else.

use super::below;
use std::path::Path;

/// What a URL needs of a content kind or a taxonomy: the folder of its pages (`challenges`,
/// `themes`; empty for plain pages, which sit at the top). `content` implements it for `Kind`
/// and `TaxonomyKind`: `urls` sits below `content` (which checks URLs through it) and cannot
/// name them.
pub trait Folder: Copy {
    fn folder(self) -> &'static str;
}

/// The URL maker of one site: the origin and base path of `base_url`. Cheap to copy; get it
/// from [`crate::config::Config::urls`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Urls<'a> {
    /// `base_url` (always ending in `/`), e.g. `https://example.jp/portal/`.
    base_url: &'a str,
    /// Its path, e.g. `/portal/`.
    base: &'a str,
}

/// The path part of a normalised base URL (`https://example.jp/portal/` → `/portal/`).
pub fn base_path(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".into(),
    }
}

/// A walked file (relative, usable names) as an output path: NFC, `/`-separated. The same
/// text is its URL below the folder it is copied to.
pub fn file_path(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    crate::unicode::nfc_string(parts.join("/"))
}

/// `s` with everything a URI may not hold percent-encoded (see [`Urls::encoded`]).
fn percent_encode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 16);
    for (i, &c) in b.iter().enumerate() {
        let escape_start = c == b'%'
            && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        let keep =
            c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c) || escape_start;
        if keep {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

impl<'a> Urls<'a> {
    /// `base_path` must be [`base_path`] of `base_url`.
    pub fn new(base_url: &'a str, base_path: &'a str) -> Self {
        debug_assert!(base_url.ends_with(base_path), "{base_url} / {base_path}");
        Urls {
            base_url,
            base: base_path,
        }
    }

    /// The home page (the base path).
    pub fn home(&self) -> String {
        self.base.to_string()
    }

    /// The list of a section (`/challenges/`), or the municipality list for the municipality
    /// kind (`/municipalities/`).
    pub fn section(&self, kind: impl Folder) -> String {
        debug_assert!(!kind.folder().is_empty(), "plain pages have no list");
        format!("{}{}/", self.base, kind.folder())
    }

    /// A page of a section (`/challenges/a/`) or a plain page (`/about/`, empty folder).
    /// Municipality profiles live at [`Urls::municipality`].
    pub fn page(&self, kind: impl Folder, slug: &str) -> String {
        match kind.folder() {
            "" => format!("{}{slug}/", self.base),
            folder => format!("{}{folder}/{slug}/", self.base),
        }
    }

    /// The thanks page forms send visitors to (a plain page, written when the site has none).
    pub fn thanks(&self) -> String {
        format!("{}thanks/", self.base)
    }

    /// The privacy policy a form links to (a plain page the site must have).
    pub fn privacy(&self) -> String {
        format!("{}privacy/", self.base)
    }

    /// Open (or closed) challenges: `/challenges/status/open/`, `challenges` the challenge kind.
    pub fn status(&self, challenges: impl Folder, open: bool) -> String {
        let which = if open { "open" } else { "closed" };
        format!("{}{}/status/{which}/", self.base, challenges.folder())
    }

    /// The list of a taxonomy's terms (`/themes/`).
    pub fn taxonomy(&self, kind: impl Folder) -> String {
        format!("{}{}/", self.base, kind.folder())
    }

    /// A term's page (`/themes/ふるさと納税/`); `slug` as `content::term_slug` made it.
    pub fn term(&self, kind: impl Folder, slug: &str) -> String {
        format!("{}{}/{slug}/", self.base, kind.folder())
    }

    /// A municipality's page (`/municipalities/niigata/汐見町/`), `list` the municipality kind,
    /// from the prefecture's slug and the municipality's.
    pub fn municipality(&self, list: impl Folder, prefecture_slug: &str, slug: &str) -> String {
        let folder = list.folder();
        format!("{}{folder}/{prefecture_slug}/{slug}/", self.base)
    }

    /// Page `n` of a list of `last` pages, counted from the oldest (`view::Paging`): the newest
    /// page is the list itself, the older ones `<list>page/1/` (the oldest) … `page/{last-1}/`, so
    /// a page keeps its URL and its items when newer items are added.
    pub fn list_page(&self, list: &str, n: usize, last: usize) -> String {
        if n >= last {
            list.to_string()
        } else {
            format!("{list}page/{n}/")
        }
    }

    /// The Atom feed of a list (`/atom.xml` for the home page, `/prefectures/niigata/atom.xml`).
    pub fn feed(&self, list: &str) -> String {
        format!("{list}atom.xml")
    }

    /// The JSON feed of open challenges (`/challenges/open.json`), `challenges` the challenge
    /// kind.
    pub fn json_feed(&self, challenges: impl Folder) -> String {
        format!("{}{}/open.json", self.base, challenges.folder())
    }

    pub fn sitemap(&self) -> String {
        format!("{}sitemap.xml", self.base)
    }

    /// Part `n` (from 1) of a sitemap too large for one file; `sitemap.xml` is then their index.
    pub fn sitemap_part(&self, n: usize) -> String {
        format!("{}sitemap-{n}.xml", self.base)
    }

    /// The 404 page (a file, not a folder: hosts serve it for any missing path).
    pub fn not_found(&self) -> String {
        format!("{}404.html", self.base)
    }

    /// The 気になる page (`/kininaru/`), where a visitor's kept challenges are listed.
    pub fn keep(&self) -> String {
        format!("{}kininaru/", self.base)
    }

    /// The search page (`/search/`); its index files are [`Urls::search_file`].
    pub fn search(&self) -> String {
        format!("{}search/", self.base)
    }

    /// A file of the search index, `rel` below `/search/` (`m.<hash>.json`, `base.0.pack`).
    pub fn search_file(&self, rel: &str) -> String {
        format!("{}search/{rel}", self.base)
    }

    /// A theme asset (`/assets/search.js`).
    pub fn asset(&self, name: &str) -> String {
        format!("{}assets/{name}", self.base)
    }

    /// Site URL of a processed image rendition (`photo-960.3f2a9c1e.webp`), and its output path.
    pub fn processed_image(&self, name: &str) -> String {
        format!("{}images/_processed/{name}", self.base)
    }
    pub fn processed_image_file(&self, name: &str) -> String {
        format!("images/_processed/{name}")
    }

    /// Output path of the generated default share picture, and its absolute URL.
    pub fn default_og_file(&self) -> &'static str {
        "images/_processed/og-default.png"
    }
    pub fn default_og(&self) -> String {
        self.absolute(&format!("{}{}", self.base, self.default_og_file()))
    }

    /// Public URL of a page's `image`: external as written; relative to the page when the page
    /// is a bundle and the path does not start with `/`; else below the base path.
    pub fn image(&self, page_url: &str, bundled: bool, img: &str) -> String {
        let lower = img.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            img.to_string()
        } else if bundled && !img.starts_with('/') {
            format!("{page_url}{}", below(img))
        } else {
            format!("{}{}", self.base, below(img))
        }
    }

    /// Absolute URL of the site's `default_image`: a site path (`/ogp.png`) below the base path,
    /// an external URL as written.
    pub fn default_image(&self, img: &str) -> String {
        if img.starts_with('/') {
            self.absolute(&format!("{}{}", self.base, below(img)))
        } else {
            img.to_string()
        }
    }

    /// `url` made absolute when it is a site URL (starts with `/`), else as it is.
    pub fn absolute_if_site(&self, url: &str) -> String {
        if url.starts_with('/') {
            self.absolute(url)
        } else {
            url.to_string()
        }
    }

    /// Absolute URL of a site URL (one that starts with the base path).
    pub fn absolute(&self, url: &str) -> String {
        let origin_end = self.base_url.len() - self.base.len();
        format!("{}{url}", &self.base_url[..origin_end])
    }

    /// `url` for machines that want URIs (sitemaps, Atom and JSON feeds, JSON-LD): made absolute
    /// when it is a site URL, then percent-encoded to ASCII as RFC 3987 §3.1 maps an IRI to a
    /// URI: every byte of a non-ASCII character (the host's too: hosts are not turned into
    /// punycode), spaces, controls and the ASCII characters a URI may not hold (`"`, `<`, `>`,
    /// `\`, `^`, `` ` ``, `{`, `|`, `}`) become `%XX`; a `%` already starting an escape stays,
    /// a stray one becomes `%25`. Query and fragment are encoded the same way. HTML links keep
    /// the readable form ([`Urls::absolute`]).
    pub fn encoded(&self, url: &str) -> String {
        percent_encode(&self.absolute_if_site(url))
    }

    /// Output path of a file's site URL: the URL without the base path
    /// (`/portal/atom.xml` → `atom.xml`).
    pub fn output_file(&self, url: &str) -> String {
        self.relative(url).to_string()
    }

    /// Output path of a page's site URL: `/challenges/a/` → `challenges/a/index.html`.
    pub fn output_path(&self, url: &str) -> String {
        format!("{}index.html", self.relative(url))
    }

    /// Output path of a file `rel` of the bundle of the page at `page_url`, copied beside the
    /// page's `index.html`.
    pub fn bundle_file(&self, page_url: &str, rel: &Path) -> String {
        format!("{}{}", self.relative(page_url), file_path(rel))
    }

    fn relative<'u>(&self, url: &'u str) -> &'u str {
        url.strip_prefix(self.base)
            .unwrap_or(url.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Kind, TaxonomyKind};

    const ROOT: Urls<'static> = Urls {
        base_url: "https://kankei.example.jp/",
        base: "/",
    };
    const SUB: Urls<'static> = Urls {
        base_url: "http://localhost:8080/portal/",
        base: "/portal/",
    };

    #[test]
    fn base_path_is_the_path_of_the_base_url() {
        assert_eq!(base_path("https://kankei.example.jp/"), "/");
        assert_eq!(base_path("https://kankei.example.jp/portal/"), "/portal/");
        assert_eq!(base_path("http://localhost:8080/a/b/"), "/a/b/");
        assert_eq!(base_path("https://e.jp/ポータル/"), "/ポータル/");
    }

    #[test]
    fn pages_and_lists_end_in_a_slash_below_the_base_path() {
        for (u, b) in [(ROOT, "/"), (SUB, "/portal/")] {
            assert_eq!(u.home(), b);
            assert_eq!(u.section(Kind::Challenge), format!("{b}challenges/"));
            assert_eq!(u.section(Kind::Case), format!("{b}cases/"));
            assert_eq!(u.section(Kind::Column), format!("{b}columns/"));
            assert_eq!(u.page(Kind::Challenge, "a"), format!("{b}challenges/a/"));
            assert_eq!(u.page(Kind::Column, "b"), format!("{b}columns/b/"));
            assert_eq!(u.page(Kind::Page, "about"), format!("{b}about/"));
            assert_eq!(u.thanks(), format!("{b}thanks/"));
            assert_eq!(u.keep(), format!("{b}kininaru/"));
            assert_eq!(u.privacy(), format!("{b}privacy/"));
            assert_eq!(
                u.status(Kind::Challenge, true),
                format!("{b}challenges/status/open/")
            );
            assert_eq!(
                u.status(Kind::Challenge, false),
                format!("{b}challenges/status/closed/")
            );
            assert_eq!(u.section(Kind::Municipality), format!("{b}municipalities/"));
            assert_eq!(u.search(), format!("{b}search/"));
        }
    }

    #[test]
    fn japanese_segments_stay_as_written_even_when_absolute() {
        let t = SUB.term(TaxonomyKind::Themes, "ふるさと納税");
        assert_eq!(t, "/portal/themes/ふるさと納税/");
        assert_eq!(
            t,
            format!("{}ふるさと納税/", SUB.taxonomy(TaxonomyKind::Themes))
        );
        assert_eq!(
            ROOT.term(TaxonomyKind::WorkStyle, "remote"),
            "/work-styles/remote/"
        );
        assert_eq!(ROOT.taxonomy(TaxonomyKind::Prefecture), "/prefectures/");
        let m = ROOT.municipality(Kind::Municipality, "niigata", "汐見町");
        assert_eq!(m, "/municipalities/niigata/汐見町/");
        assert_eq!(
            ROOT.absolute(&m),
            "https://kankei.example.jp/municipalities/niigata/汐見町/"
        );
        assert_eq!(
            ROOT.output_path(&m),
            "municipalities/niigata/汐見町/index.html"
        );
    }

    #[test]
    fn the_newest_page_of_a_list_is_the_list_and_older_ones_are_numbered_from_the_oldest() {
        let list = SUB.section(Kind::Case);
        assert_eq!(SUB.list_page(&list, 1, 1), "/portal/cases/");
        assert_eq!(SUB.list_page(&list, 3, 3), "/portal/cases/");
        assert_eq!(SUB.list_page(&list, 1, 3), "/portal/cases/page/1/");
        assert_eq!(SUB.list_page(&list, 2, 417), "/portal/cases/page/2/");
        assert_eq!(
            SUB.output_path(&SUB.list_page(&list, 2, 3)),
            "cases/page/2/index.html"
        );
    }

    #[test]
    fn feeds_and_files_sit_in_their_list_without_a_slash() {
        assert_eq!(ROOT.feed(&ROOT.home()), "/atom.xml");
        assert_eq!(SUB.feed(&SUB.home()), "/portal/atom.xml");
        let term = SUB.term(TaxonomyKind::Prefecture, "niigata");
        assert_eq!(SUB.feed(&term), "/portal/prefectures/niigata/atom.xml");
        assert_eq!(
            SUB.output_file(&SUB.feed(&term)),
            "prefectures/niigata/atom.xml"
        );
        assert_eq!(
            SUB.json_feed(Kind::Challenge),
            "/portal/challenges/open.json"
        );
        assert_eq!(
            SUB.output_file(&SUB.json_feed(Kind::Challenge)),
            "challenges/open.json"
        );
        assert_eq!(SUB.sitemap(), "/portal/sitemap.xml");
        assert_eq!(SUB.output_file(&SUB.sitemap()), "sitemap.xml");
        assert_eq!(SUB.not_found(), "/portal/404.html");
        assert_eq!(SUB.output_file(&SUB.not_found()), "404.html");
        assert_eq!(SUB.asset("search.js"), "/portal/assets/search.js");
        let f = SUB.search_file("abc/s/0.bin");
        assert_eq!(f, "/portal/search/abc/s/0.bin");
        assert_eq!(SUB.output_file(&f), "search/abc/s/0.bin");
    }

    #[test]
    fn output_paths_drop_the_base_path_and_name_the_index_file() {
        assert_eq!(ROOT.output_path("/"), "index.html");
        assert_eq!(SUB.output_path("/portal/"), "index.html");
        assert_eq!(
            SUB.output_path("/portal/challenges/a/"),
            "challenges/a/index.html"
        );
        // A URL outside the base path still never gives an absolute output path.
        assert_eq!(SUB.output_path("/elsewhere/"), "elsewhere/index.html");
        assert_eq!(SUB.output_file("//x.xml"), "x.xml");
        let rel = Path::new("img").join("写真.png");
        assert_eq!(
            SUB.bundle_file("/portal/cases/a/", &rel),
            "cases/a/img/写真.png"
        );
        assert_eq!(file_path(&rel), "img/写真.png");
        // Names from macOS arrive in NFD; outputs are NFC.
        assert_eq!(file_path(Path::new("か\u{3099}.png")), "が.png");
    }

    #[test]
    fn absolute_urls_join_the_origin_and_the_site_url() {
        assert_eq!(ROOT.absolute("/"), "https://kankei.example.jp/");
        assert_eq!(
            SUB.absolute("/portal/challenges/"),
            "http://localhost:8080/portal/challenges/"
        );
        assert_eq!(
            SUB.absolute_if_site("/portal/a.png"),
            "http://localhost:8080/portal/a.png"
        );
        assert_eq!(
            SUB.absolute_if_site("https://cdn.example.jp/a.png"),
            "https://cdn.example.jp/a.png"
        );
    }

    /// Decodes `%XX` escapes (the inverse of `percent_encode` on valid UTF-8).
    fn decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn encoded_urls_are_absolute_ascii_and_decode_back() {
        let t = SUB.term(TaxonomyKind::Themes, "ふるさと納税");
        let e = SUB.encoded(&t);
        assert_eq!(
            e,
            "http://localhost:8080/portal/themes/%E3%81%B5%E3%82%8B%E3%81%95%E3%81%A8%E7%B4%8D%E7%A8%8E/"
        );
        assert_eq!(decode(&e), SUB.absolute(&t));
        // Spaces and the ASCII a URI may not hold; query and fragment alike.
        assert_eq!(
            ROOT.encoded("/a b/x\"y<z>?q=汐 見#節{1}"),
            "https://kankei.example.jp/a%20b/x%22y%3Cz%3E?q=%E6%B1%90%20%E8%A6%8B#%E7%AF%80%7B1%7D"
        );
        // Already encoded text is not encoded twice; a stray `%` is.
        assert_eq!(
            ROOT.encoded("/a%E3%81%82/100%/%zz"),
            "https://kankei.example.jp/a%E3%81%82/100%25/%25zz"
        );
        assert_eq!(
            ROOT.encoded(&ROOT.encoded("/汐見町/")),
            ROOT.encoded("/汐見町/")
        );
        // External URLs stay external; only their characters are encoded.
        assert_eq!(
            SUB.encoded("https://cdn.example.jp/写真.jpg?a=1&b=2"),
            "https://cdn.example.jp/%E5%86%99%E7%9C%9F.jpg?a=1&b=2"
        );
        // A Japanese base path too.
        let jp = Urls::new("https://e.jp/ポータル/", "/ポータル/");
        let e = jp.encoded(&jp.home());
        assert!(e.bytes().all(|b| b.is_ascii_graphic()), "{e}");
        assert_eq!(decode(&e), "https://e.jp/ポータル/");
    }

    #[test]
    fn images_follow_their_page_the_base_path_or_stay_external() {
        let page = "/portal/cases/a/";
        assert_eq!(
            SUB.image(page, true, "photo.jpg"),
            "/portal/cases/a/photo.jpg"
        );
        assert_eq!(
            SUB.image(page, true, "./photo.jpg"),
            "/portal/cases/a/photo.jpg"
        );
        assert_eq!(SUB.image(page, true, "/ogp.png"), "/portal/ogp.png");
        assert_eq!(SUB.image(page, false, "img/x.png"), "/portal/img/x.png");
        // Never `//host`: leading slashes and `./` are taken off before joining.
        assert_eq!(
            SUB.image(page, false, "/.//evil.example/x.png"),
            "/portal/evil.example/x.png"
        );
        assert_eq!(
            SUB.image(page, true, "HTTPS://cdn.example.jp/x.png"),
            "HTTPS://cdn.example.jp/x.png"
        );
        assert_eq!(
            SUB.default_image("/ogp.png"),
            "http://localhost:8080/portal/ogp.png"
        );
        assert_eq!(
            SUB.default_image("https://cdn.example.jp/ogp.png"),
            "https://cdn.example.jp/ogp.png"
        );
    }
}
