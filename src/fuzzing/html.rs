//! A strict reader for the HTML that `markdown::render` produces with raw HTML off. That HTML
//! comes only from pulldown-cmark's writer and our own snippets, so it is held to a stricter
//! shape than browsers accept: every `<` opens a well-formed tag, attribute values are double
//! quoted, tags balance. Then the safety rules: no element that runs code or changes the page's
//! meaning, no control character, no event-handler attribute, no `style` (the CSP forbids inline styles: table alignment is a
//! class), and
//! no URL attribute with a scheme that runs code.

/// Elements that never come out of Markdown with raw HTML off and no allowed iframe hosts.
const FORBIDDEN: [&str; 19] = [
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "base", "meta", "link",
    "form", "input", "button", "textarea", "select", "svg", "math", "template", "noscript",
];

/// Elements without an end tag.
const VOID: [&str; 9] = [
    "img", "br", "hr", "input", "wbr", "col", "area", "source", "track",
];

/// Attributes whose value a browser loads or follows.
const URL_ATTRS: [&str; 9] = [
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "srcset",
    "data",
    "cite",
    "background",
];

/// Checks `html`; the error says what is wrong and where (byte offset).
pub fn check(html: &str) -> Result<(), String> {
    if let Some(c) = html.chars().find(|c| crate::unicode::is_forbidden(*c)) {
        return Err(format!(
            "the control character {}",
            crate::unicode::code_point(c)
        ));
    }
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let at = html.len() - rest.len() + lt;
        let (tag, len) = read_tag(&rest[lt..]).map_err(|e| format!("{e} at byte {at}"))?;
        rest = &rest[lt + len..];
        check_tag(&tag).map_err(|e| format!("{e} at byte {at}"))?;
        if tag.closing {
            match stack.pop() {
                Some(open) if open == tag.name => {}
                other => return Err(format!("</{}> closes {other:?} at byte {at}", tag.name)),
            }
        } else if !tag.self_closing && !VOID.contains(&tag.name.as_str()) {
            stack.push(tag.name);
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed elements at the end: {stack:?}"));
    }
    Ok(())
}

#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: Vec<(String, String)>,
}

/// Reads one tag at the start of `s` (which starts with `<`); returns it and its length.
fn read_tag(s: &str) -> Result<(Tag, usize), String> {
    let mut i = 1;
    let b = s.as_bytes();
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_len = s[i..].bytes().take_while(u8::is_ascii_alphanumeric).count();
    if name_len == 0 || !b[i].is_ascii_alphabetic() {
        let show: String = s.chars().take(20).collect();
        return Err(format!("`<` that starts no tag: {show:?}"));
    }
    let name = s[i..i + name_len].to_ascii_lowercase();
    i += name_len;
    let mut attrs = Vec::new();
    loop {
        let ws = s[i..].bytes().take_while(u8::is_ascii_whitespace).count();
        i += ws;
        match b.get(i) {
            None => return Err(format!("<{name}> never ends")),
            Some(b'>') => {
                let tag = Tag {
                    name,
                    closing,
                    self_closing: false,
                    attrs,
                };
                return Ok((tag, i + 1));
            }
            Some(b'/') if b.get(i + 1) == Some(&b'>') => {
                let tag = Tag {
                    name,
                    closing,
                    self_closing: true,
                    attrs,
                };
                return Ok((tag, i + 2));
            }
            Some(_) if ws == 0 => return Err(format!("<{name}>: attribute without a space")),
            Some(_) => {}
        }
        let key_len = s[i..]
            .bytes()
            .take_while(|c| !c.is_ascii_whitespace() && !b"\"'<>/=".contains(c))
            .count();
        if key_len == 0 {
            return Err(format!("<{name}>: stray character in the tag"));
        }
        let key = s[i..i + key_len].to_ascii_lowercase();
        i += key_len;
        let mut value = String::new();
        if b.get(i) == Some(&b'=') {
            if b.get(i + 1) != Some(&b'"') {
                return Err(format!("<{name} {key}=…>: value not in double quotes"));
            }
            let end = s[i + 2..]
                .find('"')
                .ok_or_else(|| format!("<{name} {key}=\"…: unterminated value"))?;
            value = s[i + 2..i + 2 + end].to_string();
            if value.contains('<') {
                return Err(format!("<{name} {key}=…>: unescaped `<` in a value"));
            }
            i += 2 + end + 1;
        }
        attrs.push((key, value));
    }
}

/// The safety rules for one tag.
fn check_tag(tag: &Tag) -> Result<(), String> {
    let name = tag.name.as_str();
    if FORBIDDEN.contains(&name) {
        return Err(format!("forbidden element <{name}>"));
    }
    if tag.closing && !tag.attrs.is_empty() {
        return Err(format!("attributes on </{name}>"));
    }
    for (key, value) in &tag.attrs {
        if key.starts_with("on") || matches!(key.as_str(), "srcdoc" | "formaction" | "style") {
            return Err(format!("<{name}> has a `{key}` attribute"));
        }
        if URL_ATTRS.contains(&key.as_str()) && runs_code(&decode(value)) {
            return Err(format!("<{name} {key}=\"{value}\"> runs code"));
        }
    }
    Ok(())
}

/// What a browser does to a URL before reading its scheme: it ignores ASCII whitespace and
/// control characters and letter case.
fn runs_code(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// Decodes character references in an attribute value, as the browser does.
fn decode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&i| i <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            "colon" => Some(':'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_what_pulldown_writes() {
        let ok = "<h2 id=\"a\">A</h2>\n<p>x &lt;script&gt; <a href=\"/b/\" title=\"t\">b</a><br />\
                  <img src=\"p.png\" alt=\"p\" /></p><table><tr><td class=\"align-left\">1</td></tr></table>";
        assert_eq!(check(ok), Ok(()));
    }

    #[test]
    fn refuses_code_and_broken_shapes() {
        for bad in [
            "<script>x</script>",
            "<h2 id=\"a\" onfocus=\"alert(1)\">A</h2>",
            "<a href=\"java&#x09;script:alert(1)\">x</a>",
            "<a href=\" JaVaScRiPt:x\">x</a>",
            "<img src=\"data:text/html,x\" />",
            "<h2 style=\"color:red\">A</h2>",
            "<p>a</div>",
            "<p>a",
            "<p>a < b</p>",
            "<a href=x>y</a>",
            "<iframe src=\"https://e.example/\"></iframe>",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
