//! Machine-readable outputs that themes have no business changing: Atom feeds, `sitemap.xml`
//! and `robots.txt`. Written directly (not through templates) so their escaping and dates are
//! right by construction. Their URLs are absolute and percent-encoded ASCII
//! ([`crate::urls::Urls::encoded`]); their titles name what they follow (`feed_*` strings).

use crate::content::{Extra, Kind};
use crate::output::OutputFile;
use crate::site::{Page, Site};
use crate::strings::Strings;
pub use crate::structured::last_modified;
use std::fmt::Write as _;

/// The one escaping function of the XML writers: markup characters escaped, and characters
/// XML 1.0 does not allow dropped. Sources are cleaned on read (`content`, `yaml`), but text
/// also comes from Markdown (`&#11;` decodes to U+000B) and from code; one bad character makes
/// the whole feed unreadable, so nothing reaches the XML unchecked.
pub fn xml(s: &str) -> String {
    if !crate::unicode::may_have_non_xml(s) {
        return crate::markdown::escape(s);
    }
    let clean: String = s
        .chars()
        .filter(|&c| crate::unicode::is_xml_char(c))
        .collect();
    crate::markdown::escape(&clean)
}

/// Atom feed of one section (or of every section when `kind` is None), newest first.
pub fn atom(site: &Site, kind: Option<Kind>) -> OutputFile {
    let c = &site.config;
    let (title, alternate) = match kind {
        Some(k) => (
            Strings::fill(
                &site.strings.feed_section,
                &[("section", &site.sections[&k].title), ("site", &c.title)],
            ),
            c.urls().section(k),
        ),
        None => (
            Strings::fill(&site.strings.feed_site, &[("site", &c.title)]),
            c.urls().home(),
        ),
    };
    let pages: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| {
            matches!(p.kind, Kind::Challenge | Kind::Case | Kind::Column)
                && kind.is_none_or(|k| p.kind == k)
        })
        .collect();
    atom_of(site, &title, &alternate, pages)
}

/// Atom feeds of every prefecture and theme term (`/prefectures/niigata/atom.xml`), so visitors
/// can follow "new challenges in 新潟県".
pub fn term_feeds(site: &Site) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for t in &site.taxonomies {
        if !crate::view::has_feed(t.kind) {
            continue;
        }
        for term in &t.terms {
            let values = [
                ("term", term.name.as_str()),
                ("taxonomy", t.kind.title(&site.strings)),
                ("site", &site.config.title),
            ];
            let title = Strings::fill(&site.strings.feed_term, &values);
            out.push(atom_of(
                site,
                &title,
                &term.url,
                term.pages.iter().map(|&i| &site.pages[i]).collect(),
            ));
        }
    }
    out
}

/// An Atom feed of `pages` (newest first, at most `feed_limit`), served at `alternate` + `atom.xml`.
pub fn atom_of(site: &Site, title: &str, alternate: &str, mut pages: Vec<&Page>) -> OutputFile {
    let c = &site.config;
    let tz = c.timezone;
    let urls = c.urls();
    let self_url = urls.feed(alternate);
    let path = urls.output_file(&self_url);
    pages.sort_by_key(|p| {
        (
            std::cmp::Reverse(p.date().map(|d| d.unix(tz))),
            p.kind,
            p.slug.clone(),
        )
    });
    pages.truncate(c.feed_limit);
    let feed_updated = pages
        .iter()
        .filter_map(|p| last_modified(site, p))
        .max_by_key(|d| d.unix(tz))
        .map_or_else(|| site.now.rfc3339(tz), |d| d.rfc3339(tz));
    let mut x = String::with_capacity(4096 + pages.len() * 2048);
    let head = FeedHead {
        title,
        alternate,
        self_url: &urls.encoded(&self_url),
        updated: &feed_updated,
    };
    head.write(&mut x, site);
    for p in pages {
        entry(&mut x, site, p);
    }
    x.push_str("</feed>\n");
    OutputFile {
        path,
        bytes: x.into_bytes(),
    }
}

/// What the `<feed>` element says about itself before its entries.
struct FeedHead<'a> {
    title: &'a str,
    /// The site path of the page the feed follows.
    alternate: &'a str,
    self_url: &'a str,
    updated: &'a str,
}

impl FeedHead<'_> {
    /// The XML declaration, the opening `<feed>` and its metadata.
    fn write(&self, x: &mut String, site: &Site) {
        let c = &site.config;
        x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(
            x,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
            xml(&c.language)
        );
        let _ = writeln!(x, "  <title>{}</title>", xml(self.title));
        if !c.description.is_empty() {
            let _ = writeln!(x, "  <subtitle>{}</subtitle>", xml(&c.description));
        }
        let alternate = c.urls().encoded(self.alternate);
        let _ = writeln!(x, "  <id>{}</id>", xml(&alternate));
        let _ = writeln!(
            x,
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            xml(self.self_url)
        );
        let _ = writeln!(
            x,
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml(&alternate)
        );
        let _ = writeln!(x, "  <updated>{}</updated>", self.updated);
        let _ = writeln!(
            x,
            "  <author><name>{}</name></author>",
            xml(&c.organization)
        );
        let _ = writeln!(
            x,
            "  <generator version=\"{}\">tsunagari</generator>",
            env!("CARGO_PKG_VERSION")
        );
    }
}

/// One `<entry>` of a feed.
fn entry(x: &mut String, site: &Site, p: &Page) {
    let c = &site.config;
    let tz = c.timezone;
    let link = c.urls().encoded(&p.url);
    let published = p
        .common
        .date
        .map_or_else(|| site.now.rfc3339(tz), |d| d.rfc3339(tz));
    let updated = last_modified(site, p).map_or_else(|| published.clone(), |d| d.rfc3339(tz));
    x.push_str("  <entry>\n");
    let _ = writeln!(
        x,
        "    <title>{}</title>",
        xml(&entry_title(&site.strings, p))
    );
    let _ = writeln!(
        x,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&link)
    );
    let _ = writeln!(x, "    <id>{}</id>", xml(&link));
    let _ = writeln!(x, "    <published>{published}</published>");
    let _ = writeln!(x, "    <updated>{updated}</updated>");
    let _ = writeln!(
        x,
        "    <author><name>{}</name></author>",
        xml(entry_author(p).unwrap_or(&c.organization))
    );
    let _ = writeln!(
        x,
        "    <category term=\"{}\" label=\"{}\"/>",
        p.kind.id(),
        xml(p.kind.label(&site.strings))
    );
    let themes: &[String] = match &p.extra {
        Extra::Challenge(ch) => &ch.themes,
        Extra::Case(cs) => &cs.themes,
        _ => &[],
    };
    for t in themes.iter().chain(&p.common.tags) {
        let _ = writeln!(x, "    <category term=\"{}\"/>", xml(t));
    }
    let _ = writeln!(x, "    <summary>{}</summary>", xml(&p.summary));
    let _ = writeln!(
        x,
        "    <content type=\"html\" xml:base=\"{}\">{}</content>",
        xml(&link),
        xml(&p.body.html)
    );
    x.push_str("  </entry>\n");
}

/// Who an entry is by: a column's author, a challenge's organisation (else its municipality),
/// a case's municipality; None for the site's organisation.
fn entry_author(p: &Page) -> Option<&str> {
    match &p.extra {
        Extra::Column(col) => col.author.as_deref(),
        Extra::Challenge(ch) => Some(ch.organization.as_deref().unwrap_or(&ch.municipality)),
        Extra::Case(cs) => Some(&cs.municipality),
        _ => None,
    }
}

/// A challenge's feed title carries its status and place, so a reader shows what matters.
fn entry_title(strings: &Strings, p: &Page) -> String {
    match (&p.extra, p.status) {
        (Extra::Challenge(c), Some(s)) => {
            let values = [
                ("status", s.label(strings)),
                ("title", p.common.title.as_str()),
                ("prefecture", &c.prefecture),
                ("municipality", &c.municipality),
            ];
            Strings::fill(&strings.feed_challenge, &values)
        }
        _ => p.common.title.clone(),
    }
}

/// A sitemap file holds at most this many URLs (sitemaps.org)…
pub const SITEMAP_URLS: usize = 50_000;
/// …and at most this many bytes, uncompressed.
pub const SITEMAP_BYTES: usize = 50 * 1024 * 1024;
const URLSET_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_TAIL: &str = "</urlset>\n";

/// The sitemap of the given site paths (sorted, each with an optional lastmod): `sitemap.xml`
/// alone, or — above [`SITEMAP_URLS`] URLs or [`SITEMAP_BYTES`] bytes — `sitemap.xml` as a
/// sitemap index of `sitemap-1.xml`, `sitemap-2.xml`, … each within both limits.
pub fn sitemap(site: &Site, entries: Vec<(String, Option<String>)>) -> Vec<OutputFile> {
    let urls = site.config.urls();
    sitemap_files(
        &urls,
        &sitemap_lines(&urls, entries),
        SITEMAP_URLS,
        SITEMAP_BYTES,
    )
}

/// The output paths [`sitemap`] writes for the site.
pub fn sitemap_paths(site: &Site) -> Vec<String> {
    sitemap(site, sitemap_entries(site))
        .into_iter()
        .map(|f| f.path)
        .collect()
}

/// One `<url>` line per distinct site path, in order.
fn sitemap_lines(
    urls: &crate::urls::Urls,
    mut entries: Vec<(String, Option<String>)>,
) -> Vec<String> {
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    entries
        .into_iter()
        .map(|(u, lastmod)| {
            let mut x = format!("  <url><loc>{}</loc>", xml(&urls.encoded(&u)));
            if let Some(m) = lastmod {
                let _ = write!(x, "<lastmod>{}</lastmod>", xml(&m));
            }
            x.push_str("</url>\n");
            x
        })
        .collect()
}

/// The sitemap files of `lines`, each within `max_urls` URLs and `max_bytes` bytes.
fn sitemap_files(
    urls: &crate::urls::Urls,
    lines: &[String],
    max_urls: usize,
    max_bytes: usize,
) -> Vec<OutputFile> {
    let urlset = |part: &[String], path: String| {
        let mut x =
            String::with_capacity(max_bytes.min(part.iter().map(String::len).sum::<usize>() + 128));
        x.push_str(URLSET_HEAD);
        part.iter().for_each(|l| x.push_str(l));
        x.push_str(URLSET_TAIL);
        OutputFile {
            path,
            bytes: x.into_bytes(),
        }
    };
    // Greedy parts: as many lines as fit within both limits.
    let room = max_bytes - URLSET_HEAD.len() - URLSET_TAIL.len();
    let mut parts: Vec<&[String]> = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, l) in lines.iter().enumerate() {
        if i > start && (i - start == max_urls || bytes + l.len() > room) {
            parts.push(&lines[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += l.len();
    }
    parts.push(&lines[start..]);
    if parts.len() == 1 {
        return vec![urlset(parts[0], urls.output_file(&urls.sitemap()))];
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut files = Vec::with_capacity(parts.len() + 1);
    for (i, part) in parts.into_iter().enumerate() {
        let url = urls.sitemap_part(i + 1);
        let _ = writeln!(
            index,
            "  <sitemap><loc>{}</loc></sitemap>",
            xml(&urls.encoded(&url))
        );
        files.push(urlset(part, urls.output_file(&url)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile {
        path: urls.output_file(&urls.sitemap()),
        bytes: index.into_bytes(),
    });
    files
}

pub fn robots(site: &Site) -> OutputFile {
    let urls = site.config.urls();
    let body = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.encoded(&urls.sitemap())
    );
    OutputFile {
        path: "robots.txt".into(),
        bytes: body.into_bytes(),
    }
}

/// The JSON feed of open challenges (`/challenges/open.json`).
pub fn json_feed(site: &Site) -> OutputFile {
    let v = crate::structured::open_challenges_feed(site);
    let mut bytes = serde_json::to_vec_pretty(&v).expect("JSON values always serialise");
    bytes.push(b'\n');
    let urls = site.config.urls();
    OutputFile {
        path: urls.output_file(&urls.json_feed(Kind::Challenge)),
        bytes,
    }
}

/// `.tsunagari/next-rebuild`: the next date a status changes, or empty. CI reads it to schedule
/// the rebuild that closes a challenge on time.
pub fn next_rebuild(next: Option<crate::date::Date>) -> OutputFile {
    let text = next.map(|d| format!("{d}\n")).unwrap_or_default();
    OutputFile {
        path: ".tsunagari/next-rebuild".into(),
        bytes: text.into_bytes(),
    }
}

/// Site paths of every page for the sitemap, with lastmod dates.
pub fn sitemap_entries(site: &Site) -> Vec<(String, Option<String>)> {
    let tz = site.config.timezone;
    let urls = site.config.urls();
    let mut v: Vec<(String, Option<String>)> = vec![(urls.home(), None)];
    // Every page of every list, as the build plans them.
    for o in crate::view::list_outputs(site) {
        let lastmod = match o {
            // A municipality's own URL (its newest page) carries its profile's update.
            crate::view::Output::Municipality(mi, n, total) if n == total => site.municipalities
                [mi]
                .profile
                .and_then(|i| site.pages[i].common.updated)
                .map(|d| d.date_in(tz).to_string()),
            _ => None,
        };
        v.push((o.url(site), lastmod));
    }
    for p in site.pages.iter().filter(|p| p.kind != Kind::Municipality) {
        let lastmod = last_modified(site, p).map(|d| d.date_in(tz).to_string());
        v.push((p.url.clone(), lastmod));
    }
    v
}

#[cfg(test)]
mod sitemap_tests {
    use super::*;
    use crate::urls::Urls;

    fn urls() -> Urls<'static> {
        Urls::new("https://example.jp/portal/", "/portal/")
    }

    fn lines(n: usize) -> Vec<String> {
        let entries = (0..n)
            .map(|i| {
                (
                    format!("/portal/challenges/c-{i:06}/"),
                    Some("2026-11-21".into()),
                )
            })
            .collect();
        sitemap_lines(&urls(), entries)
    }

    fn text(f: &OutputFile) -> &str {
        std::str::from_utf8(&f.bytes).unwrap()
    }

    #[test]
    fn a_small_site_has_one_sitemap() {
        let files = sitemap_files(&urls(), &lines(3), SITEMAP_URLS, SITEMAP_BYTES);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "sitemap.xml");
        assert!(text(&files[0]).starts_with(URLSET_HEAD));
        assert_eq!(text(&files[0]).matches("<url>").count(), 3);
    }

    #[test]
    fn above_fifty_thousand_urls_sitemap_xml_is_an_index_of_parts() {
        let n = 2 * SITEMAP_URLS + 1;
        let files = sitemap_files(&urls(), &lines(n), SITEMAP_URLS, SITEMAP_BYTES);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let counts: Vec<usize> = files[..3]
            .iter()
            .map(|f| text(f).matches("<url>").count())
            .collect();
        assert_eq!(counts, [SITEMAP_URLS, SITEMAP_URLS, 1]);
        for f in &files[..3] {
            assert!(f.bytes.len() <= SITEMAP_BYTES);
            assert!(text(f).starts_with(URLSET_HEAD) && text(f).ends_with(URLSET_TAIL));
        }
        let index = text(&files[3]);
        assert!(index.contains("<sitemapindex"), "{index}");
        for part in 1..=3 {
            let loc = format!("<loc>https://example.jp/portal/sitemap-{part}.xml</loc>");
            assert!(index.contains(&loc), "{index}");
        }
        // Every URL is in exactly one part, in order.
        let all: String = files[..3].iter().map(text).collect();
        assert_eq!(all.matches("<url>").count(), n);
        assert!(all.find("c-000000/").unwrap() < all.find("c-100000/").unwrap());
    }

    #[test]
    fn a_part_never_passes_the_byte_limit() {
        // Long URLs: the byte limit splits before the URL limit does.
        let long: Vec<String> = (0..40)
            .map(|i| {
                format!(
                    "  <url><loc>https://example.jp/{}{i:02}</loc></url>\n",
                    "x".repeat(200)
                )
            })
            .collect();
        let max = URLSET_HEAD.len() + URLSET_TAIL.len() + 5 * long[0].len();
        let files = sitemap_files(&urls(), &long, SITEMAP_URLS, max);
        assert_eq!(files.len(), 8 + 1, "40 lines, 5 a part, and the index");
        for f in &files[..8] {
            assert!(f.bytes.len() <= max, "{} > {max}", f.bytes.len());
        }
    }
}
