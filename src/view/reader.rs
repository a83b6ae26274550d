//! The handle views read the site through, and the record of what each output read.
//!
//! A view never sees [`Site`] itself: it asks a [`Reader`], and every answer notes a [`Dep`]
//! (when recording). The dev server keeps each output's deps with a hash of their values
//! ([`Dep::value`]) and re-renders exactly the outputs whose recorded inputs changed, so no one
//! has to keep a hand-written list of "what this page shows" in step with the templates.

use super::lists::Lists;
use super::Group;
use crate::config::Config;
use crate::content::Kind;
use crate::content::TaxonomyKind;
use crate::markdown::Rendered;
use crate::site::{Index, Page, Site};
use crate::site::{Municipality, Taxonomy, Term};
use std::cell::RefCell;
use std::hash::{Hash, Hasher};

/// One input of an output. Pages are named by their index in the site that was rendered; the
/// dev server maps them to stable ids before comparing builds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dep {
    /// Site-wide values: configuration, templates and strings, menus, build date, home and
    /// section intros.
    Site,
    /// A page's own data: front matter, URL, status, summary, and which pages are its related
    /// and similar ones (not their data: reading those is a `Page` of theirs).
    Page(usize),
    /// A page's rendered body (HTML and headings).
    Body(usize),
    /// The URL of the municipality page a challenge or case belongs to.
    MunicipalityOf(usize),
    /// The municipality profile of a page's municipality (which page it is; its data is a `Page`).
    ProfileOf(usize),
    /// Which pages a kind has, in site order.
    Kind(Kind),
    /// A section's pages in listing order, and how many are open challenges.
    Section(Kind),
    /// The first `n` open challenges by deadline (`Lists::soonest`), and how many are open.
    SoonestOpen(usize),
    /// Challenges open (true) or closed (false), in site order.
    Status(bool),
    /// The filter bar of a section list.
    Facets(Kind),
    /// Which taxonomies the site has, and their URLs.
    Taxonomies,
    /// A taxonomy whole: every term, its URL, region, counts and pages.
    Taxonomy(TaxonomyKind),
    /// One term whole, by slug.
    Term(TaxonomyKind, String),
    /// Whether a term exists, and its URL, by slug.
    TermUrl(TaxonomyKind, String),
    /// Every municipality: names, URLs, counts and pages.
    Municipalities,
    /// One municipality, by URL: name, counts, pages and profile.
    Municipality(String),
}

/// Read access to a site for one output, noting what was read.
pub struct Reader<'s> {
    site: &'s Site,
    lists: &'s Lists,
    log: Option<RefCell<Vec<Dep>>>,
}

impl<'s> Reader<'s> {
    /// A reader over `site`; `record` keeps the deps (the dev server), otherwise nothing is kept.
    pub fn new(site: &'s Site, lists: &'s Lists, record: bool) -> Reader<'s> {
        let log = record.then(|| RefCell::new(vec![Dep::Site]));
        Reader { site, lists, log }
    }

    /// What was read, sorted and without repeats.
    pub fn into_deps(self) -> Vec<Dep> {
        let mut deps = self.log.map(RefCell::into_inner).unwrap_or_default();
        deps.sort_unstable();
        deps.dedup();
        deps
    }

    fn note(&self, dep: Dep) {
        if let Some(log) = &self.log {
            log.borrow_mut().push(dep);
        }
    }

    /// The whole site, for code outside views (structured data) that takes a `Site`: the
    /// caller reads what that code uses through this reader first, so it is recorded.
    pub fn declared(&self) -> &'s Site {
        self.site
    }

    /// The configuration (site-wide: every output depends on it anyway).
    pub fn config(&self) -> &'s Config {
        &self.site.config
    }

    /// The texts of the theme (site-wide: [`Dep::Site`] covers the theme).
    pub fn strings(&self) -> &'s crate::strings::Strings {
        &self.site.strings
    }

    /// The site for values that are site-wide ([`Dep::Site`], always recorded): build date,
    /// home and section intros, Markdown options.
    pub fn site_wide(&self) -> SiteWide<'s> {
        SiteWide { site: self.site }
    }

    pub fn page(&self, i: usize) -> &'s Page {
        self.note(Dep::Page(i));
        &self.site.pages[i]
    }

    pub fn body(&self, i: usize) -> &'s Rendered {
        debug_assert!(
            !self.site.html_released,
            "body HTML read after it was freed"
        );
        self.note(Dep::Body(i));
        &self.site.pages[i].body
    }

    /// URL of the municipality page of page `i` (a challenge or case).
    pub fn municipality_url_of(&self, i: usize) -> Option<&'s str> {
        self.note(Dep::MunicipalityOf(i));
        let m = self.lists.municipality_of(self.site, i)?;
        Some(self.site.municipalities[m].url.as_str())
    }

    /// The profile page of page `i`'s municipality, with its index.
    pub fn profile_of(&self, i: usize) -> Option<(usize, &'s Page)> {
        self.note(Dep::ProfileOf(i));
        let m = self.lists.municipality_of(self.site, i)?;
        let j = self.site.municipalities[m].profile?;
        Some((j, self.page(j)))
    }

    /// Pages of a kind in site order (their data is read with [`Reader::page`]).
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = usize> + 's {
        self.note(Dep::Kind(kind));
        self.site.of_kind(kind).map(|(i, _)| i)
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.of_kind(kind).count()
    }

    pub fn section(&self, kind: Kind) -> &'s [usize] {
        self.note(Dep::Section(kind));
        &self.lists.sections[&kind]
    }

    /// How many pages of a section are open challenges.
    pub fn section_open_count(&self, kind: Kind) -> usize {
        self.note(Dep::Section(kind));
        self.lists.open_counts[&kind]
    }

    /// The first `n` open challenges, nearest deadline first, and how many are open.
    pub fn soonest_open(&self, n: usize) -> (&'s [usize], usize) {
        self.note(Dep::SoonestOpen(n));
        let all = &self.lists.soonest;
        (&all[..n.min(all.len())], all.len())
    }

    pub fn status(&self, open: bool) -> &'s [usize] {
        self.note(Dep::Status(open));
        self.lists.status(open)
    }

    pub fn facets(&self, kind: Kind) -> &'s [Group] {
        self.note(Dep::Facets(kind));
        &self.lists.facets[&kind]
    }

    /// Every taxonomy's kind and URL.
    pub fn taxonomies(&self) -> impl Iterator<Item = (TaxonomyKind, &'s str)> + 's {
        self.note(Dep::Taxonomies);
        self.site
            .taxonomies
            .iter()
            .map(|t| (t.kind, t.url.as_str()))
    }

    /// A taxonomy whole (terms, counts, pages).
    pub fn taxonomy(&self, kind: TaxonomyKind) -> Option<&'s Taxonomy> {
        self.note(Dep::Taxonomy(kind));
        self.site.taxonomy(kind)
    }

    /// The taxonomy at `ti` of the site's list and its term `xi`, whole.
    pub fn term(&self, ti: usize, xi: usize) -> (&'s Taxonomy, &'s Term) {
        let t = &self.site.taxonomies[ti];
        let term = &t.terms[xi];
        self.note(Dep::Term(t.kind, term.slug.clone()));
        (t, term)
    }

    /// The taxonomy at `ti` of the site's list, whole.
    pub fn taxonomy_at(&self, ti: usize) -> &'s Taxonomy {
        let t = &self.site.taxonomies[ti];
        self.note(Dep::Taxonomy(t.kind));
        t
    }

    /// URL of a term's page, if the taxonomy and the term exist.
    pub fn term_url(&self, kind: TaxonomyKind, slug: &str) -> Option<&'s str> {
        self.note(Dep::TermUrl(kind, slug.to_string()));
        term_url(self.site, kind, slug)
    }

    pub fn municipalities(&self) -> &'s [Municipality] {
        self.note(Dep::Municipalities);
        &self.site.municipalities
    }

    pub fn municipality(&self, mi: usize) -> &'s Municipality {
        let m = &self.site.municipalities[mi];
        self.note(Dep::Municipality(m.url.clone()));
        m
    }
}

/// Site-wide values (covered by [`Dep::Site`]).
pub struct SiteWide<'s> {
    site: &'s Site,
}

impl<'s> SiteWide<'s> {
    pub fn home(&self) -> &'s Index {
        &self.site.home
    }
    pub fn section(&self, kind: Kind) -> &'s Index {
        &self.site.sections[&kind]
    }
    pub fn today(&self) -> crate::date::Date {
        self.site.today
    }
    pub fn now(&self) -> crate::date::DateTime {
        self.site.now
    }
    /// The processed `default_image` of site.yaml, when it is a local raster.
    pub fn default_picture(&self) -> Option<&'s crate::images::Processed> {
        self.site.default_picture.as_deref()
    }
}

fn term_url<'s>(site: &'s Site, kind: TaxonomyKind, slug: &str) -> Option<&'s str> {
    Some(site.taxonomy(kind)?.term(slug)?.url.as_str())
}

/// Hashes dep values of one site. `id` maps a page index to an id that is stable across builds.
pub struct Values<'s> {
    pub site: &'s Site,
    pub lists: &'s Lists,
    pub id: &'s dyn Fn(usize) -> u32,
}

impl Values<'_> {
    /// The value of `dep` (for `Dep::Site`, the caller's site-wide hash is mixed in by the caller).
    pub fn of(&self, dep: &Dep) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        let site = self.site;
        let ids = |h: &mut rustc_hash::FxHasher, list: &[usize]| {
            list.len().hash(h);
            list.iter().for_each(|&i| (self.id)(i).hash(h));
        };
        match dep {
            Dep::Site => {}
            Dep::Page(i) => {
                let p = &site.pages[*i];
                p.fingerprint().hash(&mut h);
                ids(&mut h, &p.related);
                ids(&mut h, &p.similar);
            }
            Dep::Body(i) => {
                let b = &site.pages[*i].body;
                (&b.html, &b.headings).hash(&mut h);
            }
            Dep::MunicipalityOf(i) => site
                .municipality_of(&site.pages[*i])
                .map(|m| &m.url)
                .hash(&mut h),
            Dep::ProfileOf(i) => site
                .municipality_of(&site.pages[*i])
                .and_then(|m| m.profile)
                .map(self.id)
                .hash(&mut h),
            Dep::Kind(k) => {
                let list: Vec<usize> = site.of_kind(*k).map(|(i, _)| i).collect();
                ids(&mut h, &list);
            }
            Dep::Section(k) => {
                ids(&mut h, &self.lists.sections[k]);
                self.lists.open_counts[k].hash(&mut h);
            }
            Dep::SoonestOpen(n) => {
                let all = &self.lists.soonest;
                all.len().hash(&mut h);
                ids(&mut h, &all[..(*n).min(all.len())]);
            }
            Dep::Status(open) => ids(&mut h, self.lists.status(*open)),
            Dep::Facets(k) => serde_json::to_vec(&self.lists.facets[k])
                .unwrap_or_default()
                .hash(&mut h),
            Dep::Taxonomies => site
                .taxonomies
                .iter()
                .for_each(|t| (t.kind, &t.url).hash(&mut h)),
            Dep::Taxonomy(k) => match site.taxonomy(*k) {
                Some(t) => {
                    t.url.hash(&mut h);
                    t.terms.iter().for_each(|x| self.term(&mut h, x));
                }
                None => 0u8.hash(&mut h),
            },
            Dep::Term(k, slug) => match site.taxonomy(*k).and_then(|t| t.term(slug)) {
                Some(x) => self.term(&mut h, x),
                None => 0u8.hash(&mut h),
            },
            Dep::TermUrl(k, slug) => term_url(site, *k, slug).hash(&mut h),
            Dep::Municipalities => site
                .municipalities
                .iter()
                .for_each(|m| self.municipality(&mut h, m)),
            Dep::Municipality(url) => match site.municipality_index.get(url) {
                Some(&mi) => self.municipality(&mut h, &site.municipalities[mi]),
                None => 0u8.hash(&mut h),
            },
        }
        h.finish()
    }

    fn term(&self, h: &mut rustc_hash::FxHasher, x: &Term) {
        (&x.name, &x.slug, &x.url, x.open, x.region).hash(h);
        x.pages.len().hash(h);
        x.pages.iter().for_each(|&i| (self.id)(i).hash(h));
    }

    fn municipality(&self, h: &mut rustc_hash::FxHasher, m: &Municipality) {
        (&m.name, &m.prefecture, &m.url, m.open).hash(h);
        m.profile.map(self.id).hash(h);
        m.pages.len().hash(h);
        m.pages.iter().for_each(|&i| (self.id)(i).hash(h));
    }
}
