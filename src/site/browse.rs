//! The browsing structures a site holds (filled by `crate::taxonomy`): terms of each taxonomy,
//! municipalities, and the municipality URL.

use crate::content::{term_slug, Kind, TaxonomyKind};
use crate::japan;
use crate::urls::Urls;

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Pages with this term, in listing order (newest first).
    pub pages: Vec<usize>,
    /// How many of them are open challenges.
    pub open: usize,
    /// Region of a prefecture term.
    pub region: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    pub url: String,
    pub terms: Vec<Term>,
}

impl Taxonomy {
    pub fn term(&self, slug: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.slug == slug)
    }
}

/// A municipality named in front matter, with its pages and optional profile.
#[derive(Debug, Clone)]
pub struct Municipality {
    pub name: String,
    pub prefecture: String,
    pub url: String,
    /// Challenges and cases, in listing order.
    pub pages: Vec<usize>,
    pub open: usize,
    /// Index of the profile page (`content/municipalities/<slug>.md`), if any.
    pub profile: Option<usize>,
}

/// URL of a municipality's page: the slugs of its prefecture and name, put together by `urls`.
pub fn municipality_url(urls: Urls<'_>, prefecture: &str, name: &str) -> String {
    let pref = japan::prefecture_slug(prefecture).unwrap_or("unknown");
    urls.municipality(Kind::Municipality, pref, &term_slug(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipality_urls_are_stable() {
        assert_eq!(
            municipality_url(Urls::new("https://e.jp/", "/"), "新潟県", "汐見町"),
            "/municipalities/niigata/汐見町/"
        );
    }
}
