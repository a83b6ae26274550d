//! The one place that runs pulldown-cmark (mdBook's rule: HTML, plain text and headings come from
//! the same parse, so they never disagree).
//!
//! Besides rendering, it enforces the content rules: links to other content written as relative
//! `.md` paths become URLs (and must exist), `javascript:`/`vbscript:`/`data:` URLs are removed,
//! raw HTML is shown as text unless the site allows it, headings get ids that work for Japanese
//! and are unique on the page (`ids`), heading attributes are restricted (`ids`), every other
//! place where author text reaches a tag or attribute is escaped or restricted (`safe`), body
//! headings never compete with the page's `h1`, external links get `rel="noopener"`.
//! Problems come back with byte offsets into the body; the caller maps them to file lines.

use crate::diagnostics::{Problem, Severity};
use pulldown_cmark::{Event, HeadingLevel, Options as CmarkOptions, Parser, Tag, TagEnd};
use std::sync::Arc;

mod ids;
mod rewrite;
mod safe;
mod text;

pub use ids::ReservedIds;
pub use text::{push_text, text_of};

/// What the site allows in Markdown, the ids its theme keeps for itself and the texts it gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub allow_html: bool,
    pub allow_iframes: Vec<String>,
    /// Ids of the active theme's templates; body ids never take them.
    pub reserved_ids: Arc<ReservedIds>,
    /// The theme's texts written into bodies (the dev server re-renders a body when they change).
    pub labels: Labels,
}

/// The texts bodies carry for visitors, from the theme's `strings.yaml` (`markdown_*`); empty in
/// `Options::default()`, so a build fills them with [`Labels::new`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// `aria-label` of the scrolling region around a table.
    pub table: String,
    /// `aria-label` of a task list's marks, done and not done.
    pub task_done: String,
    pub task_open: String,
    /// `title` of an embedded iframe that has none of its own.
    pub embed: String,
}

impl Labels {
    /// The labels a theme's texts give.
    pub fn new(strings: &crate::strings::Strings) -> Labels {
        Labels {
            table: strings.markdown_table.clone(),
            task_done: strings.markdown_task_done.clone(),
            task_open: strings.markdown_task_open.clone(),
            embed: strings.markdown_embed.clone(),
        }
    }
}

/// Where a local link or image points, as the site answers for the path written (a `.md` file,
/// a site URL, a file): the body asks through its `resolve` function, and the dev server's cache
/// re-renders a body when an answer changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A `.md` link's page: written as this URL.
    Url(String),
    Draft,
    /// No page has this `.md` file or site URL.
    Missing,
    /// A file (PDF, image…) that is neither in the page's bundle nor in `static/`.
    MissingFile,
    /// A site URL written without the base path: understood as this URL (with a warning).
    Moved(String),
    /// Kept as written: it exists, or it is not tsunagari's to judge.
    AsWritten,
    /// Kept as written, but judged later: a URL (cleaned, decoded, with or without the base
    /// path) of an output whose set is only known once the render plan exists (a term, a list
    /// page, a feed…). The link is recorded in [`Rendered::later`].
    Later(String),
    /// A local raster the image pipeline processed: written as a responsive `<picture>`.
    Picture(Box<BodyPicture>),
}

/// A body image's renditions, made by the image pipeline (`images`) and the URL maker: what
/// the `<picture>` of a Markdown image is written from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BodyPicture {
    /// The fallback rendition at the middle width, its `srcset`, the WebP `srcset`.
    pub src: String,
    pub srcset: String,
    pub webp_srcset: String,
    /// Size of `src`.
    pub width: u32,
    pub height: u32,
}

/// A local link or image whose target is judged after the render plan exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaterLink {
    /// Byte range of the link in the body.
    pub offset: usize,
    pub len: usize,
    /// The URL as written (shown in messages).
    pub written: String,
    /// The site URL it names ([`LinkTarget::Later`]).
    pub url: String,
    pub image: bool,
}

/// True for the path of a link to a content file (`../cases/a.md`), which becomes its page's URL.
pub fn is_content_path(path: &str) -> bool {
    let l = path.to_ascii_lowercase();
    l.ends_with(".md") || l.ends_with(".markdown")
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A problem found while rendering, at a byte range of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub offset: usize,
    pub len: usize,
    pub severity: Severity,
    pub problem: Problem,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body HTML; its plain text for search is read back from it ([`text_of`]), so a page
    /// keeps one copy of its body.
    pub html: String,
    /// Text of paragraphs and list items only, no headings, tables or code (for summaries):
    /// only its start, up to the `SUMMARY_CHARS + 1`th character that is not white space, which
    /// is all an automatic summary reads (the whole lead was a third copy of the body per page).
    pub lead: String,
    pub headings: Vec<Heading>,
    pub found: Vec<Found>,
    /// Links and images to generated outputs, in body order, for the check after the plan.
    pub later: Vec<LaterLink>,
}

fn cmark_options() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
}

/// Renders Markdown. `resolve` maps the path part of a relative `.md` link (as written) to its
/// target.
pub fn render(body: &str, opts: &Options, resolve: &dyn Fn(&str) -> LinkTarget) -> Rendered {
    // The parser gives no size hint: sized for about one event per 32 bytes of body (our pages
    // run 35–45), the list is not copied over and over as it grows.
    let mut events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Vec::with_capacity(body.len() / 32 + 16);
    events.extend(Parser::new_ext(body, cmark_options()).into_offset_iter());
    let mut out = Rendered::default();

    // Pass 1: characters entities put back, ids, heading attributes and levels; then the
    // rewrites that need no state.
    out.found.extend(take_out_put_back(&mut events, body));
    ids::assign(&mut events, body, &opts.reserved_ids, &mut out);
    safe::before(&mut events);

    out.lead = lead(&events);

    // Pass 2: links, images, HTML, task lists, tables.
    let mut rendered = rewrite::run(events, opts, resolve, &mut out);
    safe::Tables::after(&mut rendered);
    out.html.reserve(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, rendered.into_iter());
    out
}

/// Takes out the control characters that character references (`&#11;`) put back into the
/// text, with one warning for the body. Sources reach here with raw control characters taken out on read, so usually only a
/// character reference brings one back; other callers may pass any text.
fn take_out_put_back(
    events: &mut [(Event<'_>, std::ops::Range<usize>)],
    body: &str,
) -> Option<Found> {
    if !body.contains("&#") && !crate::unicode::may_have_forbidden(body) {
        return None;
    }
    let (offset, c, more) = safe::control_characters(events)?;
    Some(Found {
        offset,
        len: 1,
        severity: Severity::Warning,
        problem: Problem::Text(crate::diagnostics::TextProblem::ControlCharacterRemoved {
            code_point: crate::unicode::code_point(c),
            more,
        }),
    })
}

/// The longest automatic summary, in characters (`site::excerpt`).
pub const SUMMARY_CHARS: usize = 120;

/// The start of the lead: running text only (paragraphs and list items outside headings,
/// tables, code, HTML and footnotes), so an automatic summary never starts with a heading. It
/// stops at the `SUMMARY_CHARS + 1`th character that is not white space: a summary collapses
/// white space and stops once it has more than `SUMMARY_CHARS` characters, so it reads the
/// same from this start as from the whole lead.
fn lead(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    let mut lead = String::new();
    let mut left = SUMMARY_CHARS + 1;
    let mut push = |lead: &mut String, text: &str| {
        for c in text.chars() {
            if left == 0 {
                break;
            }
            left -= usize::from(!c.is_whitespace());
            lead.push(c);
        }
        left == 0
    };
    let mut depth = 0usize;
    for (ev, _) in events {
        let full = match ev {
            Event::Start(
                Tag::Heading { .. }
                | Tag::Table(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::FootnoteDefinition(_),
            ) => {
                depth += 1;
                false
            }
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Table
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::FootnoteDefinition,
            ) => {
                depth = depth.saturating_sub(1);
                false
            }
            Event::Text(t) | Event::Code(t) if depth == 0 => push(&mut lead, t),
            Event::SoftBreak | Event::HardBreak if depth == 0 => push(&mut lead, " "),
            Event::End(TagEnd::Paragraph | TagEnd::Item) if depth == 0 => push(&mut lead, "\n"),
            _ => false,
        };
        if full {
            break;
        }
    }
    lead
}

/// The warning for a link or image whose URL was removed.
fn unsafe_url(range: &std::ops::Range<usize>, url: &str) -> Found {
    Found {
        offset: range.start,
        len: range.len(),
        severity: Severity::Warning,
        problem: Problem::UnsafeUrlRemoved {
            url: url.to_string(),
        },
    }
}

/// The warning for an image whose URL was removed: a dangerous URL as for links, else why the
/// image policy refused it (plain `http:`, `mailto:`…), with what to write instead.
fn removed_image(range: &std::ops::Range<usize>, url: &str, reason: crate::urls::Reason) -> Found {
    if is_dangerous_url(url) {
        return unsafe_url(range, url);
    }
    let refused = crate::urls::Refused::new("![](…)", url, reason, crate::urls::Use::Image);
    Found {
        problem: Problem::Config(crate::diagnostics::ConfigProblem::ImageRemoved(refused)),
        ..unsafe_url(range, url)
    }
}

fn lower(l: HeadingLevel) -> HeadingLevel {
    match l {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

enum UrlClass {
    Dangerous,
    /// A relative link to a `.md` file: the path as written, and `#fragment` (with the `#`).
    Content {
        path: String,
        fragment: String,
    },
    External,
    /// A URL of this site or one beside it (no scheme, not `#…`): the path as written, and
    /// the rest (`?query#fragment`).
    Local {
        path: String,
        rest: String,
    },
    Other,
}

fn classify(url: &str) -> UrlClass {
    // One policy for every URL (`crate::urls`): what site.yaml and front matter may not hold,
    // a body may not link to either.
    if is_dangerous_url(url) {
        return UrlClass::Dangerous;
    }
    if crate::urls::is_web(url) {
        return UrlClass::External;
    }
    if has_scheme(url) || url.starts_with('#') || url.is_empty() {
        return UrlClass::Other;
    }
    let (path, fragment) = match url.find('#') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    if is_content_path(path) {
        return UrlClass::Content {
            path: path.to_string(),
            fragment: fragment.to_string(),
        };
    }
    let (path, rest) = match url.find(['?', '#']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    if path.is_empty() {
        return UrlClass::Other;
    }
    UrlClass::Local {
        path: path.to_string(),
        rest: rest.to_string(),
    }
}

fn has_scheme(url: &str) -> bool {
    matches!(crate::urls::scheme(url.trim_matches(' ')), Ok(Some(_)))
}

/// True for every URL the URL policy refuses as a link ([`crate::urls::check`]): schemes other
/// than http(s), mailto and tel, however disguised (case, whitespace, control or invisible
/// characters, character references pulldown-cmark decoded), backslashes and `//host`.
pub fn is_dangerous_url(url: &str) -> bool {
    !crate::urls::allowed(url, crate::urls::Use::Link)
}

fn anchor(href: &str, title: &str, external: bool) -> String {
    let mut a = String::with_capacity(href.len() + 40);
    a.push_str("<a href=\"");
    // `[a](<x.md#a b>)` gives `/x/#a%20b`, a valid URL.
    escape_attr(&mut a, &crate::urls::encode_unsafe(href));
    a.push('"');
    if !title.is_empty() {
        a.push_str(" title=\"");
        escape_attr(&mut a, title);
        a.push('"');
    }
    if external {
        a.push_str(" rel=\"noopener\" class=\"external\"");
    }
    a.push('>');
    a
}

/// Escapes text for an HTML attribute value in double quotes (and for text content).
pub fn escape_attr(out: &mut String, s: &str) {
    // Runs without markup characters are copied whole: feeds escape every body, and pushing
    // character by character was a visible share of the build.
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // ASCII bytes never occur inside a multi-byte character: `i` is a char boundary.
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    escape_attr(&mut o, s);
    o
}

/// Heading text → id. Keeps letters of every script (so `地域の現状と課題` stays readable in
/// the URL), lowercases ASCII, turns spaces into `-` and drops punctuation.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == 'ー' {
            out.extend(c.to_lowercase());
            dash = false;
        } else if (c.is_whitespace() || c == '-' || c == '・') && !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".into()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_by_runs_gives_what_escaping_by_characters_gave() {
        // The character-by-character escaping `escape_attr` replaced, kept as the reference.
        fn by_chars(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c => out.push(c),
                }
            }
            out
        }
        for s in [
            "",
            "&",
            "plain",
            "<a href=\"x\">'q'</a>",
            "&amp;&&<<>>",
            "地域の<課題>と\"関係人口\"",
            "末尾&",
            "&先頭",
            "🍑'🍑\"🍑",
            "a\u{0}b\u{7f}<\u{10FFFF}>",
        ] {
            let mut out = String::from("kept>");
            escape_attr(&mut out, s);
            assert_eq!(out, format!("kept>{}", by_chars(s)), "{s:?}");
            assert_eq!(escape(s), by_chars(s), "{s:?}");
        }
    }

    fn r(md: &str) -> Rendered {
        let mut reserved = ReservedIds::default();
        reserved.add_exact("main");
        let opts = Options {
            reserved_ids: Arc::new(reserved),
            labels: Labels::new(&crate::theme::default_strings()),
            ..Default::default()
        };
        render(md, &opts, &|p| {
            if p == "../cases/a.md" {
                LinkTarget::Url("/cases/a/".into())
            } else if p == "draft.md" {
                LinkTarget::Draft
            } else {
                LinkTarget::Missing
            }
        })
    }

    #[test]
    fn japanese_heading_ids_are_readable_and_unique() {
        let out = r("## 地域の現状と課題\n\n## 地域の現状と課題\n\n## What we do?\n\n## main\n");
        let ids: Vec<_> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "地域の現状と課題",
                "地域の現状と課題-2",
                "what-we-do",
                "main-2"
            ]
        );
        assert!(out.html.contains("<h2 id=\"地域の現状と課題\">"));
    }

    #[test]
    fn body_h1_is_demoted() {
        let out = r("# 大見出し\n\n## 小見出し\n");
        assert!(
            out.html.contains("<h2 id=\"大見出し\">大見出し</h2>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<h3"));
        assert!(!out.html.contains("<h1"));
    }

    #[test]
    fn content_links_resolve_with_fragments() {
        let out = r("[事例](../cases/a.md#成果) と [外部](https://example.jp/)");
        assert!(
            out.html.contains("<a href=\"/cases/a/#成果\">事例</a>"),
            "{}",
            out.html
        );
        assert!(out.html.contains(
            "<a href=\"https://example.jp/\" rel=\"noopener\" class=\"external\">外部</a>"
        ));
        assert!(out.found.is_empty());
    }

    #[test]
    fn broken_and_draft_links_are_errors_with_offsets() {
        let md = "本文\n\n[リンク](../cases/nothing.md) と [下書き](draft.md)";
        let out = r(md);
        assert_eq!(out.found.len(), 2);
        assert_eq!(
            out.found[0].problem,
            Problem::BrokenLink {
                target: "../cases/nothing.md".into()
            }
        );
        assert_eq!(&md[out.found[0].offset..out.found[0].offset + 4], "[リ");
        assert!(matches!(out.found[1].problem, Problem::LinkToDraft { .. }));
        assert!(out.found.iter().all(|f| f.severity == Severity::Error));
    }

    #[test]
    fn dangerous_urls_are_removed() {
        // (A tab inside the scheme is not a link in CommonMark at all; `is_dangerous_url` covers it.)
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "vbscript:x",
            "data:text/html,<script>",
            "<javascript:alert(1)>",
        ] {
            let out = r(&format!("[押す]({url}) ![画像]({url})"));
            assert!(
                !out.html.to_lowercase().contains("href=\"javascript"),
                "{url}: {}",
                out.html
            );
            assert!(!out.html.contains("<a"), "{url}: {}", out.html);
            assert!(!out.html.contains("<img"), "{url}: {}", out.html);
            assert!(out.html.contains("押す"));
        }
        assert!(is_dangerous_url(" \u{0001}javascript:x"));
        assert!(!is_dangerous_url("https://example.jp/javascript:"));
    }

    #[test]
    fn raw_html_is_text_unless_allowed() {
        let out =
            r("<script>alert(1)</script>\n\n段落 <b onclick=\"x()\">太字</b>\n\n<!-- メモ -->\n");
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(out.html.contains("&lt;script&gt;"));
        assert!(!out.html.contains("<b "));
        assert!(!out.html.contains("メモ"), "comments are dropped");
        assert_eq!(
            out.found
                .iter()
                .filter(|f| f.problem == Problem::RawHtmlEscaped)
                .count(),
            1
        );
        let allowed = render(
            "<b>x</b>",
            &Options {
                allow_html: true,
                ..Default::default()
            },
            &|_| LinkTarget::Missing,
        );
        assert!(allowed.html.contains("<b>x</b>"));
    }

    #[test]
    fn allowed_iframes_are_rebuilt_safely() {
        let opts = Options {
            allow_html: false,
            allow_iframes: vec!["www.youtube-nocookie.com".into()],
            labels: Labels::new(&crate::theme::default_strings()),
            ..Default::default()
        };
        let ok = render(
            "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" width=\"560\" onload=\"evil()\" title=\"町の紹介動画\" allowfullscreen></iframe>\n",
            &opts,
            &|_| LinkTarget::Missing,
        );
        assert!(ok.html.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"町の紹介動画\" width=\"560\" allowfullscreen"), "{}", ok.html);
        assert!(!ok.html.contains("onload"));
        let bad = render(
            "<iframe src=\"https://evil.example/\"></iframe>\n",
            &opts,
            &|_| LinkTarget::Missing,
        );
        assert!(!bad.html.contains("<iframe"));
    }

    #[test]
    fn gfm_features() {
        let out = r("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~古い~~\n\n- [x] 済み\n- [ ] まだ\n\n注[^1]\n\n[^1]: 脚注\n");
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("class=\"table-scroll\""));
        assert!(out.html.contains("<del>古い</del>"));
        assert!(out.html.contains("aria-label=\"完了\""));
        assert!(out.html.contains("footnote"));
    }

    #[test]
    fn plain_text_and_inline_code() {
        let out = r("これは **強調** と `code` です。\n\n次の段落");
        assert_eq!(text_of(&out.html), "これは 強調 と code です。\n次の段落\n");
        assert!(out.html.contains("<code>code</code>"));
    }

    #[test]
    fn lead_skips_headings_tables_and_code() {
        let out =
            r("## 概要\n\n本文です。\n\n| a |\n|---|\n| 表 |\n\n```\nコード\n```\n\n- 項目\n");
        assert_eq!(out.lead, "本文です。\n項目\n");
    }

    #[test]
    fn slugify_cases() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("地域・観光 DX"), "地域-観光-dx");
        assert_eq!(slugify("！？"), "section");
    }

    #[test]
    fn processed_body_images_become_lazy_pictures_with_their_size() {
        let pic = BodyPicture {
            src: "/i/a-960.h.jpg".into(),
            srcset: "/i/a-480.h.jpg 480w, /i/a-960.h.jpg 960w".into(),
            webp_srcset: "/i/a-480.h.webp 480w, /i/a-960.h.webp 960w".into(),
            width: 960,
            height: 640,
        };
        let resolve = |p: &str| match p {
            "a.jpg" => LinkTarget::Picture(Box::new(pic.clone())),
            _ => LinkTarget::AsWritten,
        };
        let out = render(
            "![港の\"朝\" *と* 船](a.jpg)\n",
            &Options::default(),
            &resolve,
        );
        assert!(out.html.contains("<picture><source type=\"image/webp\" srcset=\"/i/a-480.h.webp 480w, /i/a-960.h.webp 960w\""), "{}", out.html);
        assert!(out.html.contains("src=\"/i/a-960.h.jpg\""), "{}", out.html);
        assert!(
            out.html
                .contains("width=\"960\" height=\"640\" alt=\"港の&quot;朝&quot; と 船\""),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("loading=\"lazy\"></picture>"),
            "{}",
            out.html
        );
        assert!(
            !out.html.contains("<em>"),
            "alt text is text only: {}",
            out.html
        );
        assert!(out.found.is_empty());
        // Without alt text: a warning at the image; an unprocessed image stays an `<img>`.
        let out = render("![](a.jpg) ![](b.gif)\n", &Options::default(), &resolve);
        assert_eq!(out.found.len(), 2);
        assert!(out.found.iter().all(|f| f.severity == Severity::Warning));
        assert!(
            out.html.contains("<img src=\"b.gif\" alt=\"\""),
            "{}",
            out.html
        );
    }
}

#[cfg(test)]
mod panic_tests;
