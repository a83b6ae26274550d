//! Where pulldown-cmark's HTML writer puts author text into a tag or attribute, and what keeps
//! each place safe. The writer escapes `& < > "` in every attribute value, but escaping does not
//! stop a *name* or a *meaning* from being live, so each place is listed here (pulldown-cmark
//! 0.13, the options of `cmark_options`; the test `options_are_the_audited_set` fails when the
//! options change, so this list is revisited then):
//!
//! | place | from | kept safe by |
//! | --- | --- | --- |
//! | `<hN id class …attrs>` | `{#id .class key=value}` | `ids::assign`: attrs dropped, id and classes restricted |
//! | `<div class="footnote-definition" id>`, `<a href="#…">` | footnote labels | `ids::assign`: ids made from the label's slug |
//! | `<code class="language-…">` | the code fence's info string | [`before`]: a language name of safe characters, else none |
//! | `<a href title>` | links, autolinks | `rewrite` writes the `<a>` itself, URL classified, both escaped |
//! | `<a href="mailto:…">` | email autolinks | [`before`] adds `mailto:`, then as above |
//! | `<img src alt title>` | images | dangerous URLs drop the image; the writer escapes src (href escaping), alt and title |
//! | `<th/td style="text-align">` | table alignment | [`after`]: a class instead, so pages need no inline styles |
//! | raw HTML | HTML blocks, inline HTML | `rewrite`: shown as text unless `allow_html`; iframes rebuilt by `safe_iframe` |
//! | task list checkbox | `[ ]` / `[x]` | `rewrite` writes a fixed `<span>` |
//! | any text, link and image titles | `&#11;`, `&#xFFFE;`… (entities decode after the raw scan) | [`control_characters`]: taken out, with a warning |
//!
//! Not enabled, so never produced: math (`<span class="math">`), definition lists, wikilinks,
//! GFM alerts (`<blockquote class>`), metadata blocks, super/subscript, smart punctuation.

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};
use std::ops::Range;

/// Rewrites events before rendering: email autolinks get their `mailto:` (the writer adds it
/// only for its own links, and `render` writes every `<a>` itself), and a code fence keeps its
/// language name only when it is made of safe characters.
pub(super) fn before(events: &mut [(Event<'_>, Range<usize>)]) {
    for (ev, _) in events {
        match ev {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            }) => *dest_url = CowStr::from(format!("mailto:{dest_url}")),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                *info = CowStr::from(language(info).to_string());
            }
            _ => {}
        }
    }
}

/// Takes out the characters `unicode::is_forbidden` names (C0/C1 controls, noncharacters) that
/// character references put back into text (`&#11;`, `&#x85;`): the raw scan of the body never
/// sees them, and they make pages invalid HTML. Returns the first one's offset, the character
/// and how many more there were, for one warning per body.
pub(super) fn control_characters(
    events: &mut [(Event<'_>, Range<usize>)],
) -> Option<(usize, char, usize)> {
    let mut first: Option<(usize, char)> = None;
    let mut count = 0usize;
    let mut clean = |s: &mut CowStr<'_>, at: usize| {
        if !crate::unicode::may_have_forbidden(s) {
            return;
        }
        let kept: String = s
            .chars()
            .filter(|&c| {
                let bad = crate::unicode::is_forbidden(c);
                if bad {
                    count += 1;
                    first.get_or_insert((at, c));
                }
                !bad
            })
            .collect();
        *s = CowStr::from(kept);
    };
    for (ev, range) in events.iter_mut() {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                clean(t, range.start)
            }
            Event::Start(Tag::Link { title, .. } | Tag::Image { title, .. }) => {
                clean(title, range.start)
            }
            _ => {}
        }
    }
    first.map(|(at, c)| (at, c, count - 1))
}

/// The language of a code fence's info string (```` ```rust title="x" ````: `rust`) when it
/// is a plain name (`rust`, `c++`, `objective-c`, `c#`, `shell-session`); else nothing.
pub fn language(info: &str) -> &str {
    let lang = info.split_whitespace().next().unwrap_or("");
    let plain = lang.len() <= 40
        && lang
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'.' | b'#'));
    if plain {
        lang
    } else {
        ""
    }
}

/// Table alignment as a class (`align-left`, `align-center`, `align-right`) instead of the
/// writer's `style` attribute.
#[derive(Default)]
pub(super) struct Tables {
    align: Vec<Alignment>,
    head: bool,
    column: usize,
}

impl Tables {
    /// Rewrites the rendered events of tables in place.
    pub(super) fn after(events: &mut [Event<'_>]) {
        let mut t = Tables::default();
        for ev in events {
            match ev {
                Event::Start(Tag::Table(align)) => t.align = std::mem::take(align),
                Event::Start(Tag::TableHead) => {
                    t.head = true;
                    t.column = 0;
                }
                Event::End(TagEnd::TableHead) => t.head = false,
                Event::Start(Tag::TableRow) => t.column = 0,
                Event::Start(Tag::TableCell) => {
                    let cell = if t.head { "th" } else { "td" };
                    let class = match t.align.get(t.column) {
                        Some(Alignment::Left) => " class=\"align-left\"",
                        Some(Alignment::Center) => " class=\"align-center\"",
                        Some(Alignment::Right) => " class=\"align-right\"",
                        _ => "",
                    };
                    *ev = Event::Html(format!("<{cell}{class}>").into());
                    t.column += 1;
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_the_audited_set() {
        // Enabling another extension adds places where author text reaches tags or attributes:
        // audit them in the table above, then update this list.
        use pulldown_cmark::Options as O;
        assert_eq!(
            super::super::cmark_options(),
            O::ENABLE_TABLES
                | O::ENABLE_FOOTNOTES
                | O::ENABLE_STRIKETHROUGH
                | O::ENABLE_TASKLISTS
                | O::ENABLE_HEADING_ATTRIBUTES
        );
    }

    #[test]
    fn code_languages() {
        assert_eq!(language("rust"), "rust");
        assert_eq!(language("c++ title=\"a\""), "c++");
        assert_eq!(language("  objective-c"), "objective-c");
        assert_eq!(language("js\"onclick=x"), "");
        assert_eq!(language("a\tb"), "a");
        assert_eq!(language("日本語"), "");
        assert_eq!(language(""), "");
    }

    fn html(md: &str) -> String {
        let opts = super::super::Options::default();
        super::super::render(md, &opts, &|_| super::super::LinkTarget::Missing).html
    }

    #[test]
    fn code_fence_info_cannot_add_attributes() {
        let out = html("```js\" onclick=\"x\nx\n```\n\n```rust title=a\ny\n```\n");
        assert!(out.contains("<pre><code>x"), "{out}");
        assert!(out.contains("<code class=\"language-rust\">y"), "{out}");
    }

    #[test]
    fn table_alignment_is_a_class() {
        let out = html("| a | b | c |\n|:-|:-:|--|\n| 1 | 2 | 3 |\n");
        assert!(!out.contains("style"), "{out}");
        assert!(
            out.contains(
                "<th class=\"align-left\">a</th><th class=\"align-center\">b</th><th>c</th>"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "<td class=\"align-left\">1</td><td class=\"align-center\">2</td><td>3</td>"
            ),
            "{out}"
        );
    }

    #[test]
    fn email_autolinks_are_mailto_links() {
        let out = html("<info@example.jp>");
        assert!(
            out.contains("<a href=\"mailto:info@example.jp\">info@example.jp</a>"),
            "{out}"
        );
    }

    #[test]
    fn disabled_extensions_stay_text() {
        let out = html("$x$ と $$y$$\n\n用語\n: 定義\n\n[[wiki]] ^上^ ~下~\n\n> [!NOTE]\n> 注\n");
        for tag in ["<span", "<dl", "<sup", "<sub", "class="] {
            assert!(!out.contains(tag), "{tag}: {out}");
        }
    }
}

#[cfg(test)]
mod control_tests {
    use super::*;

    #[test]
    fn characters_decoded_from_entities_are_taken_out_once_reported() {
        let body = "a&#11;b &#xFFFE; ![alt&#x0B;](/a.png \"t&#x0C;\")\n\n## 見出し&#x8;です\n";
        let mut events: Vec<_> =
            pulldown_cmark::Parser::new_ext(body, super::super::cmark_options())
                .into_offset_iter()
                .collect();
        let found = control_characters(&mut events);
        assert_eq!(found, Some((1, '\u{B}', 4)));
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        assert!(!html.chars().any(crate::unicode::is_forbidden), "{html:?}");
        assert!(html.contains("見出しです"), "{html}");
    }
}
