//! Links that share a page on LINE, X and Facebook: plain links to each network's share URL
//! (no third-party script), carrying the page's absolute URL, percent-encoded. No title: each
//! network reads the page's own card (`og:title`), and the title encoded again in the X link
//! cost every page about 450 bytes (issue 16).

use super::Urls;
use serde::Serialize;

/// The share links of one page (`partials/share.html`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    /// The page's absolute URL, percent-encoded ASCII ([`Urls::encoded`]): what is copied.
    pub url: String,
    pub line: String,
    pub x: String,
    pub facebook: String,
}

/// `s` as one query value: everything but RFC 3986's unreserved characters becomes `%XX`
/// (UTF-8 bytes), so `&`, `=`, `#`, `?` and `%` of a URL or title cannot end the parameter.
fn query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Urls<'_> {
    /// Share links of the page at site URL `url`.
    pub fn share(&self, url: &str) -> Share {
        let page = self.encoded(url);
        let u = query_value(&page);
        Share {
            line: format!("https://social-plugins.line.me/lineit/share?url={u}"),
            x: format!("https://x.com/intent/post?url={u}"),
            facebook: format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
            url: page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> Urls<'static> {
        Urls::new("https://example.jp/portal/", "/portal/")
    }

    #[test]
    fn share_links_carry_the_encoded_absolute_url_as_one_query_value() {
        let s = urls().share("/portal/challenges/港 & 魚/");
        assert_eq!(
            s.url,
            "https://example.jp/portal/challenges/%E6%B8%AF%20&%20%E9%AD%9A/"
        );
        let u = "https%3A%2F%2Fexample.jp%2Fportal%2Fchallenges%2F%25E6%25B8%25AF%2520%26%2520%25E9%25AD%259A%2F";
        assert_eq!(
            s.line,
            format!("https://social-plugins.line.me/lineit/share?url={u}")
        );
        assert_eq!(s.x, format!("https://x.com/intent/post?url={u}"));
        assert_eq!(
            s.facebook,
            format!("https://www.facebook.com/sharer/sharer.php?u={u}")
        );
    }

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        assert_eq!(query_value("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(
            query_value("a b/c?d=e&f#g%"),
            "a%20b%2Fc%3Fd%3De%26f%23g%25"
        );
    }
}
