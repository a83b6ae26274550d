//! What templates see: one typed view per output kind, built from the site through a
//! [`Reader`] that records what each output read.
//!
//! Every output of a build is an [`Output`] in the [`Plan`]; [`build`] turns one into a
//! [`View`] (its template and its whole context as data). `render` does the rest: view →
//! Tera → sink. The context of each template is one `#[derive(Serialize)]` struct in this
//! module's files (docs/templates.md lists them for theme authors):
//!
//! | output | function | template |
//! | --- | --- | --- |
//! | challenge, case, column, plain page | [`page::output`] | `challenge.html`, `case.html`, `column.html`, `page.html` or the page's `layout` |
//! | section list, status list, term, taxonomy index | [`lists`] | `section.html`, `term.html`, `taxonomy.html` |
//! | municipality index and page | [`places`] | `municipalities.html`, `municipality.html` |
//! | home, 404, thanks, 気になる, search | [`front`] | `home.html`, `404.html`, `thanks.html`, `keep.html`, `search.html` |

mod common;
pub mod front;
pub mod lists;
pub mod page;
pub mod paging;
pub mod picture;
pub mod places;
mod reader;

pub use common::Group;
pub use lists::{has_feed, status_pages, term_pages, Lists};
pub use paging::Paging;
pub use reader::{Dep, Reader, Values};

use crate::content::Kind;
use crate::site::Site;
use serde::Serialize;

/// One template and its whole context.
pub struct View<'a> {
    pub template: String,
    pub data: Data<'a>,
}

impl<'a> View<'a> {
    fn new(template: impl Into<String>, data: Data<'a>) -> View<'a> {
        View {
            template: template.into(),
            data,
        }
    }
}

/// The context of each kind of template (serialised as the inner struct).
// One value per output, serialised at once and dropped: boxing the large variants would buy
// nothing but an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize)]
#[serde(untagged)]
pub enum Data<'a> {
    Page(page::PageOutput<'a>),
    Section(lists::SectionOutput<'a>),
    Term(lists::TermOutput<'a>),
    Taxonomy(lists::TaxonomyOutput<'a>),
    Municipalities(places::IndexOutput<'a>),
    Municipality(places::MunicipalityOutput<'a>),
    Home(front::HomeOutput<'a>),
    NotFound(front::NotFoundOutput),
    Thanks(front::ThanksOutput),
    Keep(front::KeepOutput),
    Search(front::SearchOutput),
}

/// One output of a build (the search page aside, which waits for the index).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Output {
    /// A challenge, case, column or plain page, by index.
    Page(usize),
    Home,
    NotFound,
    /// Section list: kind, page number (1 = oldest, see `paging`), total pages (the newest).
    Section(Kind, usize, usize),
    /// Challenges by status (only open ones are planned): page number, total pages.
    Status(bool, usize, usize),
    TaxonomyIndex(usize),
    /// Taxonomy index, term index, page number, total pages.
    Term(usize, usize, usize, usize),
    MunicipalityIndex,
    /// Municipality index, page number, total pages.
    Municipality(usize, usize, usize),
    /// `/thanks/`, where form services send visitors back (unless the site has its own page).
    Thanks,
    /// `/kininaru/`, the visitor's kept challenges (unless the site has a page there).
    Keep,
}

/// The view of one output.
pub fn build<'s>(r: &Reader<'s>, output: &Output) -> View<'s> {
    match *output {
        Output::Page(i) => page::output(r, i),
        Output::Home => front::home(r),
        Output::NotFound => front::not_found(r),
        Output::Thanks => front::thanks(r),
        Output::Keep => front::keep(r),
        Output::Section(kind, n, total) => lists::section(r, kind, n, total),
        Output::Status(open, n, total) => lists::status(r, open, n, total),
        Output::TaxonomyIndex(ti) => lists::taxonomy_index(r, ti),
        Output::Term(ti, xi, n, total) => lists::term(r, ti, xi, n, total),
        Output::MunicipalityIndex => places::index(r),
        Output::Municipality(mi, n, total) => places::municipality(r, mi, n, total),
    }
}

/// Every HTML output of a site (except the search page) and the lists they share.
pub struct Plan {
    pub outputs: Vec<Output>,
    pub lists: Lists,
}

impl Plan {
    pub fn new(site: &Site) -> Plan {
        let mut outputs: Vec<Output> = (0..site.pages.len())
            .filter(|&i| site.pages[i].kind != Kind::Municipality)
            .map(Output::Page)
            .collect();
        outputs.push(Output::Home);
        outputs.push(Output::NotFound);
        // Lists every page of a list shares, computed once rather than in each output.
        let lists = Lists::new(site);
        outputs.extend(list_outputs(site));
        if !site.config.forms.handlers.is_empty()
            && !site.of_kind(Kind::Page).any(|(_, p)| p.slug == "thanks")
        {
            outputs.push(Output::Thanks);
        }
        let keep = site.config.urls().keep();
        if !site.pages.iter().any(|p| p.url == keep) {
            outputs.push(Output::Keep);
        }
        Plan { outputs, lists }
    }

    /// How many outputs the plan renders.
    pub fn len(&self) -> usize {
        self.outputs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.outputs.is_empty()
    }

    /// Output path of output `j`.
    pub fn path(&self, site: &Site, j: usize) -> String {
        let urls = site.config.urls();
        match self.outputs[j] {
            Output::NotFound => urls.output_file(&urls.not_found()),
            ref o => urls.output_path(&o.url(site)),
        }
    }
}

impl Output {
    /// The site path of this output (the 404 page's is the page it is served as).
    pub fn url(&self, site: &Site) -> String {
        let urls = site.config.urls();
        let paged = |base: &str, n: usize, total: usize| urls.list_page(base, n, total);
        match *self {
            Output::Page(i) => site.pages[i].url.clone(),
            Output::Home => urls.home(),
            Output::NotFound => urls.not_found(),
            Output::Section(kind, n, t) => paged(&urls.section(kind), n, t),
            Output::Status(open, n, t) => paged(&urls.status(Kind::Challenge, open), n, t),
            Output::TaxonomyIndex(ti) => site.taxonomies[ti].url.clone(),
            Output::Term(ti, xi, n, t) => paged(&site.taxonomies[ti].terms[xi].url, n, t),
            Output::Thanks => urls.thanks(),
            Output::Keep => urls.keep(),
            Output::MunicipalityIndex => urls.section(Kind::Municipality),
            Output::Municipality(mi, n, t) => paged(&site.municipalities[mi].url, n, t),
        }
    }
}

/// Every list output of a site, each list's pages oldest first: section lists, open
/// challenges, taxonomy indexes with their terms' planned pages, the municipality index and
/// municipality pages. The build renders these (`Plan`) and the sitemap lists these
/// (`feeds::sitemap_entries`): one plan, so the two cannot disagree.
pub fn list_outputs(site: &Site) -> Vec<Output> {
    let per = site.config.paginate_by;
    let pages_of = |n: usize| Paging::new(n, per).last();
    let mut outputs = Vec::new();
    for k in Kind::SECTIONS {
        let total = pages_of(site.of_kind(k).count());
        outputs.extend((1..=total).map(|p| Output::Section(k, p, total)));
    }
    let total = pages_of(lists::status_pages(site, true).len());
    outputs.extend((1..=total).map(|p| Output::Status(true, p, total)));
    for (ti, t) in site.taxonomies.iter().enumerate() {
        outputs.push(Output::TaxonomyIndex(ti));
        for (xi, term) in t.terms.iter().enumerate() {
            let total = pages_of(term.pages.len());
            let planned = lists::term_pages(t.kind, term.pages.len(), per);
            outputs.extend(planned.map(|p| Output::Term(ti, xi, p, total)));
        }
    }
    outputs.push(Output::MunicipalityIndex);
    for (mi, m) in site.municipalities.iter().enumerate() {
        let total = pages_of(m.pages.len());
        outputs.extend((1..=total).map(|p| Output::Municipality(mi, p, total)));
    }
    outputs
}
