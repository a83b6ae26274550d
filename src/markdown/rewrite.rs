//! The second pass of `render`: the events the HTML writer gets. Every link's `<a>` is written
//! here from a classified URL, images pass the image policy, raw HTML becomes text (or a rebuilt
//! iframe) unless the site allows it, task-list markers and tables get fixed markup (the plain
//! text for search is read back from the HTML: `text`). One method per kind of event; the state
//! they share (open links and images, the raw HTML block being read) lives in [`Rewrite`].

use super::{anchor, classify, escape_attr, is_content_path, removed_image, unsafe_url, UrlClass};
use super::{BodyPicture, Found, LaterLink, LinkTarget, Options, Rendered};
use crate::diagnostics::{Problem, Severity};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::fmt::Write as _;
use std::ops::Range;

/// Rewrites `events` for the writer; problems go to `out`.
pub(super) fn run<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    opts: &Options,
    resolve: &dyn Fn(&str) -> LinkTarget,
    out: &mut Rendered,
) -> Vec<Event<'a>> {
    let mut pass = Rewrite {
        opts,
        resolve,
        out,
        events: Vec::with_capacity(events.len()),
        links: Vec::new(),
        images: Vec::new(),
        html_block: None,
        warned_html: false,
    };
    for (ev, range) in events {
        pass.event(ev, range);
    }
    pass.events
}

struct Rewrite<'a, 'o> {
    opts: &'o Options,
    resolve: &'o dyn Fn(&str) -> LinkTarget,
    out: &'o mut Rendered,
    /// What the writer gets.
    events: Vec<Event<'a>>,
    /// Per open link: did we write an `<a>`?
    links: Vec<bool>,
    /// Per open image: did we keep it, as `<img>` or `<picture>`, and its alt text so far.
    images: Vec<OpenImage>,
    /// The raw HTML block being read (shown as text when it ends), and where it starts.
    html_block: Option<(String, usize)>,
    /// Raw HTML is reported once per body.
    warned_html: bool,
}

/// An image being read: its alt text is the text until its end.
struct OpenImage {
    kept: bool,
    /// Written as a `<picture>` at the end (the events inside become its alt text).
    picture: Option<Box<BodyPicture>>,
    title: String,
    alt: String,
    url: String,
    range: Range<usize>,
}

/// `sizes` of a body picture: the width of the text column of the default theme.
const BODY_SIZES: &str = "(min-width: 52rem) 48rem, 100vw";

impl<'a> Rewrite<'a, '_> {
    fn event(&mut self, ev: Event<'a>, range: Range<usize>) {
        let escape_html = !self.opts.allow_html;
        if let Some(img) = self.images.last_mut() {
            if let Event::Text(t) | Event::Code(t) = &ev {
                img.alt.push_str(t);
            }
            // Inside a picture, everything is its alt text: nothing else is written.
            if img.picture.is_some() && !matches!(ev, Event::End(TagEnd::Image)) {
                return;
            }
        }
        match ev {
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => self.link(&dest_url, &title, &range),
            Event::End(TagEnd::Link) => {
                if self.links.pop() == Some(true) {
                    self.events.push(Event::Html("</a>".into()));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                mut dest_url,
                title,
                id,
            }) => {
                if self.keep_image(&mut dest_url, &title, &range) {
                    self.events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => self.image_end(),
            Event::Start(Tag::HtmlBlock) if escape_html => {
                self.html_block = Some((String::new(), range.start));
            }
            Event::End(TagEnd::HtmlBlock) if escape_html => self.html_block_end(),
            Event::Html(h) if escape_html => self.html(h, &range),
            Event::InlineHtml(h) if escape_html => self.inline_html(h, &range),
            Event::TaskListMarker(done) => self.task_marker(done),
            Event::Start(Tag::Table(a)) => {
                let mut div = String::from(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"",
                );
                escape_attr(&mut div, &self.opts.labels.table);
                div.push_str("\">");
                self.events.push(Event::Html(div.into()));
                self.events.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                self.events.push(Event::End(TagEnd::Table));
                self.events.push(Event::Html("</div>".into()));
            }
            other => self.events.push(other),
        }
    }

    /// Opens a link: our own `<a>` for a URL the policy allows (a `.md` link resolved to its
    /// page), nothing for a refused or unresolved one, whose text stays.
    fn link(&mut self, dest_url: &str, title: &str, range: &Range<usize>) {
        let a = match classify(dest_url) {
            UrlClass::Dangerous => {
                self.out.found.push(unsafe_url(range, dest_url));
                None
            }
            UrlClass::Content { path, fragment } => match (self.resolve)(&path) {
                LinkTarget::Url(u) => Some(anchor(&format!("{u}{fragment}"), title, false)),
                other => {
                    self.out.found.push(unresolved(other, dest_url, range));
                    None
                }
            },
            UrlClass::Local { path, rest } => match (self.resolve)(&path) {
                LinkTarget::Moved(u) => {
                    self.out.found.push(moved(dest_url, &u, &rest, range));
                    Some(anchor(&format!("{u}{rest}"), title, false))
                }
                LinkTarget::Url(_) | LinkTarget::AsWritten | LinkTarget::Picture(_) => {
                    Some(anchor(dest_url, title, false))
                }
                LinkTarget::Later(url) => {
                    self.out.later.push(later(dest_url, url, range, false));
                    Some(anchor(dest_url, title, false))
                }
                other => {
                    self.out.found.push(unresolved(other, dest_url, range));
                    None
                }
            },
            UrlClass::External => Some(anchor(dest_url, title, true)),
            UrlClass::Other => Some(anchor(dest_url, title, false)),
        };
        self.links.push(a.is_some());
        if let Some(a) = a {
            self.events.push(Event::Html(a.into()));
        }
    }

    /// Whether an image's URL passes the image policy (no `http:`, `mailto:`…), not the link
    /// one. A refused image is dropped with a warning; its alt text stays, as text. A local
    /// image must exist (an error otherwise); one written without the base path gets it, with
    /// a warning (`dest_url` is rewritten).
    fn keep_image(&mut self, dest_url: &mut CowStr<'a>, title: &str, range: &Range<usize>) -> bool {
        let keep = match crate::urls::check_body(dest_url, crate::urls::Use::Image) {
            Ok(_) => true,
            Err(reason) => {
                self.out.found.push(removed_image(range, dest_url, reason));
                false
            }
        };
        let mut picture = None;
        if keep {
            if let UrlClass::Local { path, rest } = classify(dest_url) {
                match (self.resolve)(&path) {
                    LinkTarget::Missing | LinkTarget::MissingFile => {
                        self.out.found.push(Found {
                            offset: range.start,
                            len: range.len(),
                            severity: Severity::Error,
                            problem: Problem::MissingImage {
                                path: dest_url.to_string(),
                            },
                        });
                    }
                    LinkTarget::Moved(u) => {
                        self.out.found.push(moved(dest_url, &u, &rest, range));
                        *dest_url = format!("{u}{rest}").into();
                    }
                    LinkTarget::Later(url) => {
                        self.out.later.push(later(dest_url, url, range, true));
                    }
                    // A query or fragment names something else than the processed file.
                    LinkTarget::Picture(p) if rest.is_empty() => picture = Some(p),
                    _ => {}
                }
            }
        }
        self.images.push(OpenImage {
            kept: keep,
            title: title.to_string(),
            alt: String::new(),
            url: dest_url.to_string(),
            range: range.clone(),
            picture: picture.filter(|_| keep),
        });
        keep && self.images.last().is_some_and(|i| i.picture.is_none())
    }

    /// The end of an image: a warning when it has no alt text; a processed one is written
    /// whole now, as a `<picture>` with its renditions, lazy, with its size.
    fn image_end(&mut self) {
        let Some(img) = self.images.pop() else { return };
        if img.alt.trim().is_empty() {
            self.out.found.push(Found {
                offset: img.range.start,
                len: img.range.len(),
                severity: Severity::Warning,
                problem: Problem::Image(crate::diagnostics::ImageProblem::BodyAltMissing {
                    url: img.url,
                }),
            });
        }
        match img.picture {
            Some(p) => {
                let html = picture_html(&p, &img.alt, &img.title);
                self.events.push(Event::Html(html.into()));
            }
            None if img.kept => self.events.push(Event::End(TagEnd::Image)),
            None => {}
        }
    }

    /// The end of a raw HTML block: a comment disappears, an allowed iframe is rebuilt, anything
    /// else becomes a paragraph of text.
    fn html_block_end(&mut self) {
        let (raw, start) = self.html_block.take().unwrap_or_default();
        let trimmed = raw.trim();
        if is_comment(trimmed) {
            return;
        }
        if let Some(safe) = safe_iframe(trimmed, &self.opts.allow_iframes, &self.opts.labels.embed)
        {
            self.events.push(Event::Html(safe.into()));
        } else {
            self.warn_html(start, raw.len());
            self.events.push(Event::Start(Tag::Paragraph));
            self.events
                .push(Event::Text(raw.trim_end().to_string().into()));
            self.events.push(Event::End(TagEnd::Paragraph));
        }
    }

    /// A line of raw HTML: gathered inside a block, shown as text outside one.
    fn html(&mut self, h: CowStr<'a>, range: &Range<usize>) {
        match &mut self.html_block {
            Some((buf, _)) => buf.push_str(&h),
            None => {
                self.warn_html(range.start, range.len());
                self.events.push(Event::Text(h));
            }
        }
    }

    /// Inline HTML: a comment disappears, anything else is shown as text.
    fn inline_html(&mut self, h: CowStr<'a>, range: &Range<usize>) {
        if !is_comment(h.trim()) {
            self.warn_html(range.start, range.len());
            self.events.push(Event::Text(h));
        }
    }

    fn warn_html(&mut self, offset: usize, len: usize) {
        if !self.warned_html {
            self.warned_html = true;
            self.out.found.push(Found {
                offset,
                len,
                severity: Severity::Warning,
                problem: Problem::RawHtmlEscaped,
            });
        }
    }

    /// A fixed mark, labelled with the theme's text, instead of the writer's disabled checkbox.
    fn task_marker(&mut self, done: bool) {
        let labels = &self.opts.labels;
        let (mark, label) = if done {
            ("☑", &labels.task_done)
        } else {
            ("☐", &labels.task_open)
        };
        let mut span = String::from("<span class=\"task\" role=\"img\" aria-label=\"");
        escape_attr(&mut span, label);
        let _ = write!(span, "\">{mark}</span> ");
        self.events.push(Event::Html(span.into()));
    }
}

/// The warning for a site URL written without the base path, with the URL it was taken for.
fn moved(dest_url: &str, url: &str, rest: &str, range: &Range<usize>) -> Found {
    Found {
        offset: range.start,
        len: range.len(),
        severity: Severity::Warning,
        problem: Problem::UrlWithoutBasePath {
            target: dest_url.to_string(),
            canonical: format!("{url}{rest}"),
        },
    }
}

/// A link or image to a generated output, judged once the render plan exists.
fn later(dest_url: &str, url: String, range: &Range<usize>, image: bool) -> LaterLink {
    LaterLink {
        offset: range.start,
        len: range.len(),
        written: dest_url.to_string(),
        url,
        image,
    }
}

/// The error for a link to a draft, to no page or to no file.
fn unresolved(target: LinkTarget, dest_url: &str, range: &Range<usize>) -> Found {
    let target_text = dest_url.to_string();
    let problem = match target {
        LinkTarget::Draft => Problem::LinkToDraft {
            target: target_text,
        },
        LinkTarget::MissingFile => Problem::MissingFile {
            target: target_text,
        },
        _ if is_content_path(dest_url.split('#').next().unwrap_or("")) => Problem::BrokenLink {
            target: target_text,
        },
        _ => Problem::BrokenUrl {
            target: target_text,
        },
    };
    Found {
        offset: range.start,
        len: range.len(),
        severity: Severity::Error,
        problem,
    }
}

/// True for one whole HTML comment. `<!-->` and `<!--->` are (empty) comments too, and are
/// shorter than `<!--` plus `-->`, so the inside is taken with `get`, never by slicing.
pub(super) fn is_comment(s: &str) -> bool {
    s.starts_with("<!--")
        && s.ends_with("-->")
        && s.get(4..s.len().saturating_sub(3))
            .is_none_or(|inside| !inside.contains("-->"))
}

/// Rebuilds a lone `<iframe …></iframe>` from a safe set of attributes when its `src` is an
/// https URL on an allowed host (titled `fallback_title` when it has no title). Anything else
/// returns None.
pub(super) fn safe_iframe(
    html: &str,
    allowed_hosts: &[String],
    fallback_title: &str,
) -> Option<String> {
    if allowed_hosts.is_empty() {
        return None;
    }
    let lower = html.to_ascii_lowercase();
    if !lower.starts_with("<iframe")
        || !lower.ends_with("</iframe>")
        || lower.matches('<').count() != 2
    {
        return None;
    }
    let open_end = html.find('>')?;
    let attrs = parse_attrs(html[7..open_end].trim_end_matches('/'));
    let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let src = get("src")?;
    let rest = src.strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    // Only a plain host name: browsers read `\` as `/` and `@` as the end of a user name, so
    // `evil.example\.www.youtube-nocookie.com` would end with an allowed host but load evil.example.
    let plain = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    if !host.bytes().all(plain)
        || !allowed_hosts
            .iter()
            .any(|h| host == *h || host.ends_with(&format!(".{h}")))
    {
        return None;
    }
    let mut out = String::from("<div class=\"embed\"><iframe src=\"");
    escape_attr(&mut out, src);
    out.push_str("\" title=\"");
    escape_attr(&mut out, get("title").unwrap_or(fallback_title));
    out.push('"');
    for dim in ["width", "height"] {
        if let Some(v) = get(dim)
            .filter(|v| !v.is_empty() && v.len() < 6 && v.bytes().all(|b| b.is_ascii_digit()))
        {
            let _ = write!(out, " {dim}=\"{v}\"");
        }
    }
    if attrs.iter().any(|(k, _)| k == "allowfullscreen") {
        out.push_str(" allowfullscreen");
    }
    out.push_str(" loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\" sandbox=\"allow-scripts allow-same-origin allow-presentation allow-popups\"></iframe></div>");
    Some(out)
}

pub(super) fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let name = s[start..i].to_ascii_lowercase();
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                i = vs;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = s[vs..i.min(b.len())].to_string();
                i += 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = s[vs..i].to_string();
            }
        }
        out.push((name, value));
    }
    out
}

/// `<picture>` with the WebP renditions and the fallback `<img>` (lazy, with its size), every
/// value escaped.
fn picture_html(p: &BodyPicture, alt: &str, title: &str) -> String {
    let mut h = String::from("<picture><source type=\"image/webp\" srcset=\"");
    escape_attr(&mut h, &p.webp_srcset);
    let _ = write!(h, "\" sizes=\"{BODY_SIZES}\"><img src=\"");
    escape_attr(&mut h, &p.src);
    h.push_str("\" srcset=\"");
    escape_attr(&mut h, &p.srcset);
    let _ = write!(
        h,
        "\" sizes=\"{BODY_SIZES}\" width=\"{}\" height=\"{}\" alt=\"",
        p.width, p.height
    );
    escape_attr(&mut h, alt);
    if !title.is_empty() {
        h.push_str("\" title=\"");
        escape_attr(&mut h, title);
    }
    h.push_str("\" decoding=\"async\" loading=\"lazy\"></picture>");
    h
}
