//! Pieces every view shares: head metadata, breadcrumbs with their JSON-LD, links to pages and
//! terms, images and grouped term lists.

use super::Reader;
use crate::config::Config;
use crate::content::Kind;
use crate::content::TaxonomyKind;
use crate::site::Page;
use crate::site::{Taxonomy, Term};
use crate::strings::Strings;
use crate::structured;
use serde::Serialize;

/// Head metadata of one output page.
#[derive(Serialize)]
pub struct Meta {
    /// Site path of the page, to mark the current menu item.
    pub path: String,
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub og_type: &'static str,
    pub image: Option<String>,
    /// Size of `image` when known (`og:image:width`, `og:image:height`).
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    pub image_alt: String,
    pub feed: Option<String>,
    pub json_feed: Option<String>,
}

impl Meta {
    /// Metadata of a listing-like page (`og:type` website, no feeds, the default image).
    pub fn website(r: &Reader, path: String, title: String, description: String) -> Meta {
        let share = super::picture::ShareImage::site_default(r);
        Meta {
            canonical: r.config().urls().absolute(&path),
            path,
            title,
            description,
            og_type: "website",
            image: share.url,
            image_width: share.width,
            image_height: share.height,
            image_alt: String::new(),
            feed: None,
            json_feed: None,
        }
    }
}

#[derive(Serialize)]
pub struct Crumb {
    pub name: String,
    pub url: String,
}

impl Crumb {
    pub fn new(name: impl Into<String>, url: impl Into<String>) -> Crumb {
        Crumb {
            name: name.into(),
            url: url.into(),
        }
    }
    pub fn home(r: &Reader) -> Crumb {
        Crumb::new(r.strings().home.clone(), r.config().urls().home())
    }
}

/// The page's JSON-LD: a `BreadcrumbList` of `crumbs`, then `nodes`, ready for a `<script>`.
/// A trail of one item (the home page's) has no `BreadcrumbList`: it says nothing, and Google
/// ignores a list of one.
pub fn jsonld(r: &Reader, crumbs: &[Crumb], nodes: Vec<serde_json::Value>) -> String {
    let ld: Vec<(&str, &str)> = crumbs
        .iter()
        .map(|c| (c.name.as_str(), c.url.as_str()))
        .collect();
    let mut all = Vec::new();
    if ld.len() > 1 {
        all.push(structured::breadcrumb_list(r.config(), &ld));
    }
    all.extend(nodes);
    structured::script_json(&structured::graph(all))
}

/// A link to a term page (or plain text when the taxonomy has no pages).
#[derive(Serialize, Clone)]
pub struct TermLink {
    pub name: String,
    pub url: Option<String>,
}

/// Links to the term pages of the given names (plain text when the taxonomy is off).
pub fn term_links(r: &Reader, kind: TaxonomyKind, names: &[String]) -> Vec<TermLink> {
    names
        .iter()
        .map(|n| TermLink {
            name: n.clone(),
            url: r
                .term_url(kind, &crate::content::term_slug(n))
                .map(str::to_string),
        })
        .collect()
}

pub fn prefecture_url(r: &Reader, prefecture: &str) -> Option<String> {
    let slug = crate::japan::prefecture_slug(prefecture)?;
    r.term_url(TaxonomyKind::Prefecture, slug)
        .map(str::to_string)
}

/// Public URL of a page's `image`: bundle-relative, site-absolute or external.
pub fn image_url(c: &Config, p: &Page, img: &str) -> String {
    c.urls().image(&p.url, p.bundle.is_some(), img)
}

/// A list of links with counts, optionally split into named groups (prefectures by region).
#[derive(Serialize, Clone)]
pub struct Group {
    pub title: String,
    pub key: String,
    pub subgroups: Vec<Subgroup>,
    /// How many items, for `<details>` summaries.
    pub count: usize,
}

#[derive(Serialize, Clone)]
pub struct Subgroup {
    pub name: String,
    pub items: Vec<GroupItem>,
}

#[derive(Serialize, Clone)]
pub struct GroupItem {
    pub name: String,
    pub url: String,
    pub count: usize,
    pub open: usize,
}

/// Groups of a taxonomy's terms for index pages and facets: prefectures by region, others flat.
pub fn taxonomy_groups(strings: &Strings, t: &Taxonomy, key: &str) -> Group {
    let item = |term: &Term| GroupItem {
        name: term.name.clone(),
        url: term.url.clone(),
        count: term.pages.len(),
        open: term.open,
    };
    let subgroups = if t.kind == TaxonomyKind::Prefecture {
        crate::japan::REGIONS
            .iter()
            .map(|r| Subgroup {
                name: (*r).into(),
                items: t
                    .terms
                    .iter()
                    .filter(|x| x.region == Some(*r))
                    .map(item)
                    .collect(),
            })
            .filter(|s| !s.items.is_empty())
            .collect()
    } else {
        vec![Subgroup {
            name: String::new(),
            items: t.terms.iter().map(item).collect(),
        }]
    };
    Group {
        title: t.kind.title(strings).into(),
        key: key.into(),
        count: t.terms.len(),
        subgroups,
    }
}

/// A section's title, URL and page count, for the home, 404 and thanks pages.
#[derive(Serialize)]
pub struct SectionLink {
    kind: &'static str,
    title: String,
    url: String,
    count: usize,
}

pub fn section_links(r: &Reader) -> Vec<SectionLink> {
    let w = r.site_wide();
    Kind::SECTIONS
        .iter()
        .map(|&k| SectionLink {
            kind: k.id(),
            title: w.section(k).title.clone(),
            url: r.config().urls().section(k),
            count: r.count(k),
        })
        .collect()
}
