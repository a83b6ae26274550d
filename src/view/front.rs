//! The site's own pages: home, 404, the thanks page forms return to, the 気になる page, and
//! the search page.

use super::common::{jsonld, section_links, taxonomy_groups, Crumb, Group, Meta, SectionLink};
use super::page::{page_view, PageView};
use super::{Data, Reader, View};
use crate::config::MenuItem;
use crate::content::Kind;
use crate::content::TaxonomyKind;
use crate::strings::Strings;
use crate::structured;
use serde::Serialize;

#[derive(Serialize)]
pub struct HomeOutput<'a> {
    open_challenges: Vec<PageView<'a>>,
    open_count: usize,
    challenge_count: usize,
    latest_cases: Vec<PageView<'a>>,
    latest_columns: Vec<PageView<'a>>,
    intro: &'a str,
    home_title: &'a str,
    sections: Vec<SectionLink>,
    regions: Option<Group>,
    jsonld: String,
    meta: Meta,
}

pub fn home<'s>(r: &Reader<'s>) -> View<'s> {
    let c = r.config();
    let share = super::picture::ShareImage::site_default(r);
    let home = r.site_wide().home();
    let (open, open_count) = r.soonest_open(6);
    let latest = |k: Kind, n: usize| -> Vec<PageView> {
        r.of_kind(k)
            .take(n)
            .map(|i| page_view(r, i, false))
            .collect()
    };
    let out = HomeOutput {
        open_count,
        open_challenges: open.iter().map(|&i| page_view(r, i, false)).collect(),
        challenge_count: r.count(Kind::Challenge),
        latest_cases: latest(Kind::Case, 3),
        latest_columns: latest(Kind::Column, 3),
        intro: &home.html,
        home_title: &home.title,
        sections: section_links(r),
        regions: r
            .taxonomy(TaxonomyKind::Prefecture)
            .map(|t| taxonomy_groups(r.strings(), t, "prefecture")),
        // No breadcrumb trail of one item: the site itself, as Google reads a site's name.
        jsonld: jsonld(r, &[], vec![structured::website(c)]),
        meta: Meta {
            path: c.urls().home(),
            title: c.title.clone(),
            description: home
                .summary
                .clone()
                .unwrap_or_else(|| c.description.clone()),
            canonical: c.urls().absolute(&c.urls().home()),
            og_type: "website",
            image: share.url,
            image_width: share.width,
            image_height: share.height,
            image_alt: String::new(),
            feed: Some(c.urls().feed(&c.urls().home())),
            json_feed: Some(c.urls().json_feed(Kind::Challenge)),
        },
    };
    View::new("home.html", Data::Home(out))
}

#[derive(Serialize)]
pub struct NotFoundOutput {
    meta: Meta,
    sections: Vec<SectionLink>,
}

pub fn not_found<'s>(r: &Reader<'s>) -> View<'s> {
    let c = r.config();
    let path = c.urls().not_found();
    let title = r.strings().page_title(&r.strings().not_found, &c.title);
    let mut meta = Meta::website(r, path, title, c.description.clone());
    meta.image = None;
    let out = NotFoundOutput {
        meta,
        sections: section_links(r),
    };
    View::new("404.html", Data::NotFound(out))
}

#[derive(Serialize)]
pub struct ThanksOutput {
    breadcrumbs: Vec<Crumb>,
    jsonld: String,
    sections: Vec<SectionLink>,
    meta: Meta,
}

pub fn thanks<'s>(r: &Reader<'s>) -> View<'s> {
    let c = r.config();
    let url = c.urls().thanks();
    let st = r.strings();
    let crumbs = vec![Crumb::home(r), Crumb::new(st.thanks.clone(), url.clone())];
    let mut meta = Meta::website(
        r,
        url,
        st.page_title(&st.thanks, &c.title),
        Strings::fill(&st.thanks_description, &[("site", &c.title)]),
    );
    meta.image = None;
    let out = ThanksOutput {
        jsonld: jsonld(r, &crumbs, Vec::new()),
        breadcrumbs: crumbs,
        sections: section_links(r),
        meta,
    };
    View::new("thanks.html", Data::Thanks(out))
}

#[derive(Serialize)]
pub struct KeepOutput {
    /// The challenges list, for visitors with an empty list or without JavaScript.
    challenges_url: String,
    breadcrumbs: Vec<Crumb>,
    jsonld: String,
    meta: Meta,
}

/// The 気になる page: the visitor's kept challenges, listed by `assets/keep.js` from the
/// browser's storage. Per visitor, so `noindex` and out of the sitemap.
pub fn keep<'s>(r: &Reader<'s>) -> View<'s> {
    let c = r.config();
    let url = c.urls().keep();
    let st = r.strings();
    let crumbs = vec![
        Crumb::home(r),
        Crumb::new(st.keep_title.clone(), url.clone()),
    ];
    let mut meta = Meta::website(
        r,
        url,
        st.page_title(&st.keep_title, &c.title),
        Strings::fill(&st.keep_description, &[("site", &c.title)]),
    );
    meta.image = None;
    let out = KeepOutput {
        challenges_url: c.urls().section(Kind::Challenge),
        jsonld: jsonld(r, &crumbs, Vec::new()),
        breadcrumbs: crumbs,
        meta,
    };
    View::new("keep.html", Data::Keep(out))
}

#[derive(Serialize)]
struct SearchInfo {
    manifest: String,
    script: String,
    /// The modules `script` imports: preloaded, so they come with it, not one round trip later.
    modules: Vec<String>,
    url: String,
}

#[derive(Serialize)]
pub struct SearchOutput {
    search: SearchInfo,
    browse: Vec<MenuItem>,
    breadcrumbs: Vec<Crumb>,
    jsonld: String,
    meta: Meta,
}

/// The search page, once the index exists: `manifest` is the site path of its manifest,
/// `script` the site paths of the search script and of the modules it imports.
pub fn search<'s>(r: &Reader<'s>, manifest: &str, script: &(String, Vec<String>)) -> View<'s> {
    let c = r.config();
    let w = r.site_wide();
    let st = r.strings();
    let url = c.urls().search();
    let browse: Vec<MenuItem> = r
        .taxonomies()
        .map(|(kind, url)| MenuItem {
            name: Strings::fill(&st.browse_by, &[("taxonomy", kind.title(st))]),
            url: url.to_string(),
        })
        .chain(Kind::SECTIONS.iter().map(|&k| MenuItem {
            name: w.section(k).title.clone(),
            url: c.urls().section(k),
        }))
        .chain([MenuItem {
            name: w.section(Kind::Municipality).title.clone(),
            url: c.urls().section(Kind::Municipality),
        }])
        .collect();
    let crumbs = vec![Crumb::home(r), Crumb::new(st.search.clone(), url.clone())];
    let out = SearchOutput {
        search: SearchInfo {
            manifest: manifest.to_string(),
            script: script.0.clone(),
            modules: script.1.clone(),
            url: url.clone(),
        },
        browse,
        jsonld: jsonld(r, &crumbs, Vec::new()),
        breadcrumbs: crumbs,
        meta: Meta::website(
            r,
            url,
            st.page_title(&st.search, &c.title),
            Strings::fill(&st.search_description, &[("site", &c.title)]),
        ),
    };
    View::new("search.html", Data::Search(out))
}
