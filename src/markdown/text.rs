//! A body's plain text, read back from its HTML when the search index needs it, so a page keeps
//! one copy of its body (the HTML) instead of two. It gives the text `render` used to gather
//! beside the HTML: the text of text nodes with character references decoded, an image's `alt`,
//! a soft or hard line break as a space, and a newline at the end of each paragraph, heading,
//! list item, table cell and code block (whose own line breaks stay). What the writer adds for
//! layout (the line breaks between block tags) and what the theme writes around the text (task
//! marks, footnote numbers) is not text; neither is a script or style sheet allowed raw HTML may
//! bring. Raw HTML, shown as text or allowed, is read like the rest: its visible text is text.

use std::borrow::Cow;

/// The plain text of body HTML written by `render` (blocks separated by newlines).
pub fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    push_text(&mut out, html);
    out
}

/// Appends the plain text of `html` to `out` (see [`text_of`]).
pub fn push_text(out: &mut String, html: &str) {
    let mut r = Reader {
        out,
        pre: 0,
        skip: None,
        after_block: true,
        drop_space: false,
    };
    let mut i = 0;
    while i < html.len() {
        let lt = html[i..].find('<').map_or(html.len(), |k| i + k);
        let tag = (lt < html.len()).then(|| Tag::at(html, lt)).flatten();
        let next_block = tag.as_ref().is_some_and(|t| t.block);
        if r.skip.is_none() {
            r.run(&html[i..lt], next_block);
        }
        match tag {
            Some(t) => {
                i = t.end;
                r.tag(html, &t, &mut i);
            }
            None if lt < html.len() => {
                // A `<` that starts no tag (only raw HTML has one) is text.
                if r.skip.is_none() {
                    r.run("<", false);
                }
                i = lt + 1;
            }
            None => i = lt,
        }
    }
}

/// One tag of the HTML: its name (lower case), whether it closes, where it ends.
struct Tag<'a> {
    name: Cow<'a, str>,
    close: bool,
    /// The text between the name and `>`.
    attrs: &'a str,
    /// The byte after its `>` (or after `-->` for a comment).
    end: usize,
    /// Block-level: the line breaks the writer puts around it are layout, not text.
    block: bool,
}

impl<'a> Tag<'a> {
    /// The tag or comment starting at the `<` at `at`, if one does.
    fn at(html: &'a str, at: usize) -> Option<Tag<'a>> {
        let rest = &html[at + 1..];
        if let Some(c) = rest.strip_prefix("!--") {
            let end = c.find("-->").map_or(html.len(), |k| at + 4 + k + 3);
            return Some(Tag::other(end));
        }
        let close = rest.starts_with('/');
        let name_from = at + 1 + usize::from(close);
        let name_len = html[name_from..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        if name_len == 0 || !html.as_bytes()[name_from].is_ascii_alphabetic() {
            // `<!doctype`, `<?…`: markup without text; anything else is text.
            return matches!(rest.as_bytes().first(), Some(b'!' | b'?'))
                .then(|| Tag::other(tag_end(html, at).unwrap_or(html.len())));
        }
        let raw = &html[name_from..name_from + name_len];
        let name = match raw.bytes().any(|b| b.is_ascii_uppercase()) {
            true => Cow::Owned(raw.to_ascii_lowercase()),
            false => Cow::Borrowed(raw),
        };
        let from = name_from + name_len;
        let (attrs, end) = match tag_end(html, from) {
            Some(end) => (&html[from..end - 1], end),
            None => (&html[from..], html.len()),
        };
        let block = is_block(&name);
        Some(Tag {
            name,
            close,
            attrs,
            end,
            block,
        })
    }

    fn other(end: usize) -> Tag<'a> {
        Tag {
            name: Cow::Borrowed(""),
            close: false,
            attrs: "",
            end,
            block: false,
        }
    }

    /// The value of attribute `name`, if the tag has it.
    fn attr(&self, name: &str) -> Option<String> {
        super::rewrite::parse_attrs(self.attrs.trim_end_matches('/'))
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// The byte after the `>` ending the tag whose attributes start at `from` (quoted values may
/// hold a `>`), if one does.
fn tag_end(html: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (k, b) in html.as_bytes()[from..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(*b),
            (Some(q), _) if q == *b => quote = None,
            (None, b'>') => return Some(from + k + 1),
            _ => {}
        }
    }
    None
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "blockquote"
            | "pre"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "th"
            | "td"
            | "div"
            | "hr"
            | "dl"
            | "dt"
            | "dd"
            | "br"
    )
}

struct Reader<'o> {
    out: &'o mut String,
    /// Open `<pre>` elements: their line breaks are text.
    pre: usize,
    /// The element whose content is not text (name, how many of it are open).
    skip: Option<(String, usize)>,
    /// The last tag was a block tag (or `<br>`): a line break right after it is layout.
    after_block: bool,
    /// The space the theme writes after a task mark is not text.
    drop_space: bool,
}

impl Reader<'_> {
    /// Text between two tags, `next_block` when the next is a block tag.
    fn run(&mut self, raw: &str, next_block: bool) {
        if raw.is_empty() {
            return;
        }
        let mut s = raw;
        if std::mem::take(&mut self.drop_space) {
            s = s.strip_prefix(' ').unwrap_or(s);
        }
        if self.pre == 0 {
            if self.after_block {
                s = s.strip_prefix('\n').unwrap_or(s);
            }
            if next_block {
                s = s.strip_suffix('\n').unwrap_or(s);
            }
        }
        self.after_block = false;
        push_decoded(self.out, s, self.pre == 0);
    }

    fn tag(&mut self, html: &str, t: &Tag<'_>, i: &mut usize) {
        if let Some((name, open)) = &mut self.skip {
            if *name == *t.name {
                if t.close {
                    *open -= 1;
                } else {
                    *open += 1;
                }
                if *open == 0 {
                    self.skip = None;
                }
            }
            return;
        }
        self.after_block = t.block;
        if t.close {
            match &*t.name {
                "pre" => {
                    self.pre = self.pre.saturating_sub(1);
                    self.out.push('\n');
                }
                "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "td" | "th" => {
                    self.out.push('\n');
                }
                _ => {}
            }
            return;
        }
        match &*t.name {
            "pre" => self.pre += 1,
            "br" => self.out.push(' '),
            "img" => push_decoded(self.out, &t.attr("alt").unwrap_or_default(), false),
            "script" | "style" => {
                // Raw text elements: everything up to their end tag is theirs.
                *i = end_tag(html, *i, &t.name).unwrap_or(html.len());
            }
            "span" if t.attr("class").as_deref() == Some("task") => {
                self.skip = Some((t.name.to_string(), 1));
                self.drop_space = true;
            }
            "sup" if t.attr("class").is_some_and(|c| c.starts_with("footnote-")) => {
                self.skip = Some((t.name.to_string(), 1));
            }
            _ => {}
        }
    }
}

/// Where the first end tag `</name` (any case) at or after `from` starts: found without
/// copying the rest of the body (a body may hold many scripts).
fn end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let b = html.as_bytes();
    let n = name.len();
    (from..b.len().saturating_sub(n + 1)).find(|&k| {
        b[k] == b'<'
            && b[k + 1] == b'/'
            && b[k + 2..k + 2 + n].eq_ignore_ascii_case(name.as_bytes())
    })
}

/// Appends `s` with character references decoded; outside `<pre>` (`fold`) a line break is a
/// space (a soft break).
fn push_decoded(out: &mut String, s: &str, fold: bool) {
    let mut start = 0;
    let b = s.as_bytes();
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'\n' if fold => {
                out.push_str(&s[start..k]);
                out.push(' ');
                k += 1;
                start = k;
            }
            b'&' => match entity(&s[k..]) {
                Some((c, len)) => {
                    out.push_str(&s[start..k]);
                    out.push(c);
                    k += len;
                    start = k;
                }
                None => k += 1,
            },
            _ => k += 1,
        }
    }
    out.push_str(&s[start..]);
}

/// The character a reference at the start of `s` stands for, and its length.
fn entity(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[1..semi];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::super::{cmark_options, ids, render, safe, take_out_put_back};
    use super::super::{Labels, LinkTarget, Options, Rendered};
    use super::text_of;
    use pulldown_cmark::{Event, Parser, TagEnd};
    use std::path::Path;

    fn opts(allow_html: bool) -> Options {
        Options {
            allow_html,
            labels: Labels {
                table: "表".into(),
                task_done: "完了".into(),
                task_open: "未完了".into(),
                embed: "埋め込み".into(),
            },
            ..Options::default()
        }
    }

    fn html(body: &str, o: &Options) -> String {
        render(body, o, &|_| LinkTarget::AsWritten).html
    }

    /// The text `render` gathered beside the HTML before it was read back from it: text and
    /// code, a space per line break, a newline per paragraph, heading, item, cell and code block
    /// end. None for a body with raw HTML, which that text left out (see the tests below).
    fn gathered(body: &str, o: &Options) -> Option<String> {
        let mut events: Vec<_> = Parser::new_ext(body, cmark_options())
            .into_offset_iter()
            .collect();
        take_out_put_back(&mut events, body);
        ids::assign(&mut events, body, &o.reserved_ids, &mut Rendered::default());
        safe::before(&mut events);
        let mut text = String::new();
        for (ev, _) in &events {
            match ev {
                Event::Html(_) | Event::InlineHtml(_) => return None,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                Event::End(
                    TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::Item
                    | TagEnd::TableCell
                    | TagEnd::CodeBlock,
                ) => text.push('\n'),
                _ => {}
            }
        }
        Some(text)
    }

    /// Every Markdown file of the sample portal, the fixtures and the fuzz corpus.
    fn files() -> Vec<String> {
        fn walk(dir: &Path, out: &mut Vec<String>) {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return;
            };
            let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            paths.sort();
            for p in paths {
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|e| e == "md") {
                    out.extend(std::fs::read_to_string(&p).ok());
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in ["content", "tests/fixtures", "fuzz/corpus/markdown"] {
            walk(&root.join(dir), &mut out);
        }
        out
    }

    /// Bodies put together from pieces of every construct the writer has, by a fixed
    /// pseudo-random sequence.
    fn generated(n: usize) -> Vec<String> {
        const PIECES: &[&str] = &[
            "段落の本文です。",
            "**強調**",
            "*em*",
            "`code`",
            "``a ` b``",
            "~~削除~~",
            "[リンク](https://example.com/a?b=1&c=2 \"題\")",
            "[相対](../x.md#a)",
            "[x](/p/)",
            "![代替 *テキスト* `c`](/img/a.png \"タイトル\")",
            "![](/a.png)",
            "![a\nb](https://example.com/a.png)",
            "[x](javascript:alert(1))",
            "![x](http://example.com/a.png)",
            "a & b < c > d \"q\" 'a'",
            "&amp; &lt; &#x41; &copy; &#0; &bogus;",
            "行末  \n次の行",
            "ソフト\n改行",
            "a\\\nb",
            "脚注[^1]",
            "\n\n[^1]: 脚注の本文\n  続き\n\n",
            "\n\n- 項目\n- [x] 済み\n  - 入れ子\n\n",
            "\n\n1. 一\n\n2. 二\n   - x\n\n",
            "\n\n> 引用\n> 続き\n>\n> - l\n\n",
            "\n\n```rust\nfn main() {}\n\n<tag> &amp;\n```\n\n",
            "\n\n    indented\n    code\n\n",
            "\n\n| a | b |\n|:--|--:|\n| 1 | `2` |\n| *x* | ![i](/i.png) |\n\n",
            "\n\n## 見出し {#id .c}\n\n",
            "\n\n# 大見出し *強調*\n\n",
            "\n\n---\n\n",
            "\n\nSetext\n===\n\n",
            "<https://auto.example>",
            "<a@b.example>",
            "\t",
            " ",
            "\n",
            "\n\n",
            "- ",
            "> ",
            "* * *",
            "[^x]",
            "[ref]\n\n[ref]: /r/",
            "\u{3000}全角",
            "\n\n- [ ] まだ\n- [x] 済\n\n",
            "***太斜***",
            "_下線_",
            "\\*",
            "1) a",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        (0..n)
            .map(|_| {
                let len = 1 + (next() % 24) as usize;
                (0..len)
                    .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_text_read_from_the_html_is_the_text_render_gathered() {
        let o = opts(false);
        let mut compared = 0;
        for body in files().iter().chain(&generated(3000)) {
            // Front matter is not body; the rest is read as the body it would be.
            let body = match body
                .strip_prefix("---\n")
                .and_then(|r| r.split_once("\n---\n"))
            {
                Some((_, rest)) => rest,
                None => body,
            };
            let Some(want) = gathered(body, &o) else {
                continue;
            };
            assert_eq!(text_of(&html(body, &o)), want, "body {body:?}");
            compared += 1;
        }
        assert!(compared > 2500, "{compared} bodies compared");
    }

    #[test]
    fn layout_task_marks_and_footnote_numbers_are_not_text() {
        let o = opts(false);
        let body = "- [x] 済み\n- [ ] まだ\n\n注[^n]です\n\n[^n]: 脚注\n\n> 引用\n\n---\n\n| a |\n|---|\n| 1 |\n";
        assert_eq!(
            text_of(&html(body, &o)),
            "済み\nまだ\n注です\n脚注\n引用\na\n1\n"
        );
    }

    #[test]
    fn raw_html_shown_as_text_is_text_now() {
        // `render` once left it out of the search text, though visitors read it.
        let o = opts(false);
        let text = text_of(&html("前 <b>中</b> 後\n\n<div>\n塊 & 字\n</div>\n", &o));
        assert_eq!(text, "前 <b>中</b> 後\n<div> 塊 & 字 </div>\n");
    }

    #[test]
    fn allowed_html_gives_its_visible_text_without_scripts_styles_or_comments() {
        let o = opts(true);
        let body = "<div class=\"box\">\n<p>箱の<em>中</em>&nbsp;&#x41;</p>\n<script>var a = \"<p>\";</script><STYLE>p{}</STYLE><!-- 注 -->\n</div>\n\n後\n";
        assert_eq!(text_of(&html(body, &o)), "箱の中\u{a0}A\n後\n");
    }

    #[test]
    fn broken_markup_reads_as_text_without_panicking() {
        for h in [
            "<",
            "a < b",
            "<p",
            "<a href=\"x>y",
            "&",
            "&#xFFFFFFFF;",
            "</",
            "<!--",
            "<1>",
            "&#12345678901;é",
            "<script>never closed",
            "<style></sty",
        ] {
            let _ = text_of(h);
        }
        assert_eq!(
            text_of("a < b &amp c &#x26; <p>d</p>"),
            "a < b &amp c & d\n"
        );
        assert_eq!(text_of("<p>a</p><script>x</ScRiPt><p>b</p>"), "a\nb\n");
    }
}
