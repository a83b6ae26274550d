//! Paginated lists: sections, open challenges, taxonomy indexes and term pages; and the lists
//! they share, computed once per build. Lists are newest first and cut into stable pages
//! (`paging`); totals and the filter bar appear on the newest page only, so older pages keep
//! their bytes when the list grows.

use super::common::{jsonld, taxonomy_groups, Crumb, Group, GroupItem, Meta, Subgroup};
use super::page::{page_view, PageView};
use super::paging::{pager, Pager, Paging};
use super::{Data, Reader, View};
use crate::content::Kind;
use crate::content::TaxonomyKind;
use crate::site::Taxonomy;
use crate::site::{Site, Status};
use crate::strings::Strings;
use crate::taxonomy;
use serde::Serialize;
use std::collections::HashMap;

/// Lists shared by many outputs: each section in listing order, challenges by status, and the
/// filter bars of the section lists.
pub struct Lists {
    pub sections: HashMap<Kind, Vec<usize>>,
    /// How many pages of each section are open challenges.
    pub open_counts: HashMap<Kind, usize>,
    open: Vec<usize>,
    closed: Vec<usize>,
    /// Open challenges, nearest deadline first (no deadline last), then newest.
    pub soonest: Vec<usize>,
    pub facets: HashMap<Kind, Vec<Group>>,
    /// The municipality of each page (challenges and cases), found once: the lookup makes the
    /// municipality's URL, and every card and page asks for it.
    municipality: std::sync::OnceLock<Vec<Option<usize>>>,
}

impl Lists {
    pub fn new(site: &Site) -> Lists {
        let sections = Kind::SECTIONS
            .iter()
            .map(|&k| {
                let mut pages: Vec<usize> = site.of_kind(k).map(|(i, _)| i).collect();
                taxonomy::listing_order(site, &mut pages);
                (k, pages)
            })
            .collect::<HashMap<Kind, Vec<usize>>>();
        let open = status_pages(site, true);
        Lists {
            open_counts: sections
                .iter()
                .map(|(&k, pages)| (k, open_count(site, pages)))
                .collect(),
            sections,
            soonest: soonest(site, &open),
            open,
            closed: status_pages(site, false),
            facets: Kind::SECTIONS
                .iter()
                .map(|&k| (k, facet_groups(site, k)))
                .collect(),
            municipality: std::sync::OnceLock::new(),
        }
    }

    /// The index of page `i`'s municipality (see [`Site::municipality_of`]).
    pub fn municipality_of(&self, site: &Site, i: usize) -> Option<usize> {
        use rayon::prelude::*;
        let all = self.municipality.get_or_init(|| {
            let index = |p| {
                site.municipality_of(p)
                    .and_then(|m| site.municipality_index.get(&m.url).copied())
            };
            site.pages.par_iter().map(index).collect()
        });
        all.get(i).copied().flatten()
    }

    pub fn status(&self, open: bool) -> &[usize] {
        if open {
            &self.open
        } else {
            &self.closed
        }
    }
}

/// Challenges with (or without) an open status, newest first. Only the open ones have pages
/// (`/challenges/status/open/`): the closed ones are most of the challenge list, which already
/// shows every challenge with its status.
pub fn status_pages(site: &Site, open: bool) -> Vec<usize> {
    site.of_kind(Kind::Challenge)
        .filter(|(_, p)| p.status.is_some_and(Status::is_open) == open)
        .map(|(i, _)| i)
        .collect()
}

#[derive(Serialize)]
struct SectionInfo<'a> {
    kind: &'static str,
    title: &'a str,
    intro: &'a str,
    url: String,
    count: usize,
    open_count: usize,
}

#[derive(Serialize)]
pub struct SectionOutput<'a> {
    section: SectionInfo<'a>,
    pages: Vec<PageView<'a>>,
    pager: Pager,
    facets: &'a [Group],
    breadcrumbs: Vec<Crumb>,
    jsonld: String,
    meta: Meta,
}

/// Page `number` of `total` of a section list.
pub fn section<'s>(r: &Reader<'s>, kind: Kind, number: usize, total: usize) -> View<'s> {
    let c = r.config();
    let w = r.site_wide();
    let idx = w.section(kind);
    let pages = r.section(kind);
    let urls = c.urls();
    let base = urls.section(kind);
    let url = urls.list_page(&base, number, total);
    let newest = number == total;
    let st = r.strings();
    let crumbs = vec![Crumb::home(r), Crumb::new(idx.title.clone(), base.clone())];
    let title = format!("{}{}", idx.title, st.page_number(number, total));
    let description = idx.summary.clone().unwrap_or_else(|| {
        let values = [("site", c.title.as_str()), ("kind", kind.label(st))];
        Strings::fill(&st.section_description, &values)
    });
    let mut meta = Meta::website(r, url, st.page_title(&title, &c.title), description);
    meta.feed = Some(urls.feed(&base));
    meta.json_feed = (kind == Kind::Challenge).then(|| urls.json_feed(kind));
    let out = SectionOutput {
        section: SectionInfo {
            kind: kind.id(),
            title: &idx.title,
            intro: if newest { idx.html.as_str() } else { "" },
            url: base.clone(),
            count: pages.len(),
            open_count: r.section_open_count(kind),
        },
        pages: cards(r, pages, number),
        pager: pager(urls, &base, number, total),
        // Counts change with every new page: only the newest page has them.
        facets: if newest { r.facets(kind) } else { &[] },
        jsonld: jsonld(r, &crumbs, Vec::new()),
        breadcrumbs: crumbs,
        meta,
    };
    View::new("section.html", Data::Section(out))
}

/// How many of `pages` are open challenges.
fn open_count(site: &Site, pages: &[usize]) -> usize {
    pages
        .iter()
        .filter(|&&i| site.pages[i].status.is_some_and(Status::is_open))
        .count()
}

/// The open challenges `open`, nearest deadline first; no deadline last; then newest.
fn soonest(site: &Site, open: &[usize]) -> Vec<usize> {
    let tz = site.config.timezone;
    let mut list = open.to_vec();
    list.sort_by_key(|&i| {
        let p = &site.pages[i];
        (
            p.days_left.unwrap_or(i64::MAX),
            std::cmp::Reverse(p.date().map(|d| d.unix(tz))),
        )
    });
    list
}

/// The items of page `number` of a paginated list (`pages` newest first). Open challenges come
/// first within the page: a status change already changes the page (its card), so this costs
/// no churn, while ordering the whole list by status would move items across pages every day.
pub(super) fn on_page(r: &Reader, pages: &[usize], number: usize) -> Vec<usize> {
    let mut on_page =
        pages[Paging::new(pages.len(), r.config().paginate_by).range(number)].to_vec();
    on_page.sort_by_key(|&i| !r.page(i).status.is_some_and(Status::is_open));
    on_page
}

/// The cards of page `number` of a paginated list (see [`on_page`]).
fn cards<'s>(r: &Reader<'s>, pages: &[usize], number: usize) -> Vec<PageView<'s>> {
    let on = on_page(r, pages, number);
    on.iter().map(|&i| page_view(r, i, false)).collect()
}

#[derive(Serialize)]
struct TermInfo<'a> {
    name: &'a str,
    url: String,
    taxonomy: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    taxonomy_key: Option<&'static str>,
    taxonomy_url: String,
    count: usize,
    open_count: usize,
    heading: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Option<&'static str>>,
    feed: Option<String>,
    /// Items older than this page that have no page of this term (`term_pages`): they are
    /// in the section lists and found by search. 0 when the term has every page.
    not_listed: usize,
    /// The middle crumb: the taxonomy, or the challenges section for status pages.
    #[serde(skip)]
    crumb: String,
}

#[derive(Serialize)]
pub struct TermOutput<'a> {
    term: TermInfo<'a>,
    pages: Vec<PageView<'a>>,
    pager: Pager,
    breadcrumbs: Vec<Crumb>,
    jsonld: String,
    meta: Meta,
}

/// A term page (or a status page, which looks like one).
fn term_output<'s>(
    r: &Reader<'s>,
    mut term: TermInfo<'s>,
    pages: &[usize],
    number: usize,
    total: usize,
    older_pages: bool,
) -> View<'s> {
    let c = r.config();
    let shown = Paging::new(pages.len(), c.paginate_by).range(number);
    if !older_pages {
        term.not_listed = pages.len() - shown.end;
    }
    // Without older pages the pager has nothing to link to.
    let (pn, pt) = if older_pages { (number, total) } else { (1, 1) };
    let url = c.urls().list_page(&term.url, number, total);
    let crumbs = vec![
        Crumb::home(r),
        Crumb::new(term.crumb.clone(), term.taxonomy_url.clone()),
        Crumb::new(term.name, term.url.clone()),
    ];
    let st = r.strings();
    let title = format!("{}{}", term.heading, st.page_number(number, total));
    let n = pages.len().to_string();
    let values = [
        ("site", c.title.as_str()),
        ("heading", &term.heading),
        ("n", &n),
    ];
    // The count only on the newest page, which changes with the list anyway.
    let description = if number == total {
        Strings::fill(&st.term_description, &values)
    } else {
        Strings::fill(&st.term_older_description, &values)
    };
    let mut meta = Meta::website(r, url, st.page_title(&title, &c.title), description);
    meta.feed = term.feed.clone();
    let out = TermOutput {
        pages: cards(r, pages, number),
        pager: pager(c.urls(), &term.url, pn, pt),
        jsonld: jsonld(r, &crumbs, Vec::new()),
        breadcrumbs: crumbs,
        meta,
        term,
    };
    View::new("term.html", Data::Term(out))
}

/// Page `number` of `total` of the open (or closed) challenges; only the open ones are planned.
pub fn status<'s>(r: &Reader<'s>, open: bool, number: usize, total: usize) -> View<'s> {
    let c = r.config();
    let w = r.site_wide();
    let pages = r.status(open);
    let st = r.strings();
    let label = (if open { Status::Open } else { Status::Closed }).label(st);
    let base = c.urls().status(Kind::Challenge, open);
    let term = TermInfo {
        name: label,
        url: base,
        taxonomy: &st.status,
        taxonomy_key: None,
        taxonomy_url: c.urls().section(Kind::Challenge),
        count: pages.len(),
        open_count: if open { pages.len() } else { 0 },
        heading: Strings::fill(&st.status_heading, &[("status", label)]),
        region: None,
        feed: None,
        not_listed: 0,
        crumb: w.section(Kind::Challenge).title.clone(),
    };
    term_output(r, term, pages, number, total, true)
}

/// Page `number` of `total` of term `xi` of taxonomy `ti`.
pub fn term<'s>(r: &Reader<'s>, ti: usize, xi: usize, number: usize, total: usize) -> View<'s> {
    let (t, term) = r.term(ti, xi);
    let st = r.strings();
    let info = TermInfo {
        name: &term.name,
        url: term.url.clone(),
        taxonomy: t.kind.title(st),
        taxonomy_key: Some(t.kind.key()),
        taxonomy_url: t.url.clone(),
        count: term.pages.len(),
        open_count: term.open,
        heading: t.kind.term_heading(st, &term.name),
        region: Some(term.region),
        feed: has_feed(t.kind).then(|| r.config().urls().feed(&term.url)),
        not_listed: 0,
        crumb: t.kind.title(st).into(),
    };
    term_output(r, info, &term.pages, number, total, has_older_pages(t.kind))
}

/// Which pages of term list `kind` of `len` items a build writes: every page for prefectures
/// and themes, the ways visitors browse a portal; only the newest (the term's URL) for work
/// styles, engagements, skills and tags. Those terms are coarse (a work style holds a third of
/// all challenges) or secondary labels, so their older pages would repeat the challenge list
/// page for page: at 10,000 pages they were 3,000 of the 6,000 list files. Their items stay
/// reachable in the section lists and by search, which the term page says.
pub fn term_pages(kind: TaxonomyKind, len: usize, per: usize) -> std::ops::RangeInclusive<usize> {
    let last = Paging::new(len, per).last();
    if has_older_pages(kind) {
        1..=last
    } else {
        last..=last
    }
}

fn has_older_pages(kind: TaxonomyKind) -> bool {
    matches!(kind, TaxonomyKind::Prefecture | TaxonomyKind::Themes)
}

/// Prefecture and theme terms have their own Atom feed.
pub fn has_feed(kind: TaxonomyKind) -> bool {
    matches!(kind, TaxonomyKind::Prefecture | TaxonomyKind::Themes)
}

#[derive(Serialize)]
struct TaxonomyInfo<'a> {
    key: &'static str,
    title: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
pub struct TaxonomyOutput<'a> {
    taxonomy: TaxonomyInfo<'a>,
    groups: Group,
    breadcrumbs: Vec<Crumb>,
    jsonld: String,
    meta: Meta,
}

/// The index of taxonomy `ti`: every term, grouped.
pub fn taxonomy_index<'s>(r: &Reader<'s>, ti: usize) -> View<'s> {
    let c = r.config();
    let t = r.taxonomy_at(ti);
    let st = r.strings();
    let title = t.kind.title(st);
    let crumbs = vec![Crumb::home(r), Crumb::new(title, t.url.clone())];
    let values = [("site", c.title.as_str()), ("taxonomy", title)];
    let out = TaxonomyOutput {
        taxonomy: TaxonomyInfo {
            key: t.kind.key(),
            title,
            url: &t.url,
            count: t.terms.len(),
        },
        groups: taxonomy_groups(st, t, t.kind.key()),
        jsonld: jsonld(r, &crumbs, Vec::new()),
        breadcrumbs: crumbs,
        meta: Meta::website(
            r,
            t.url.clone(),
            st.page_title(&Strings::fill(&st.browse_by, &values), &c.title),
            Strings::fill(&st.taxonomy_description, &values),
        ),
    };
    View::new("taxonomy.html", Data::Taxonomy(out))
}

/// The filter bar of a section list: links to the pre-rendered term pages, counting only pages
/// of that section's kind, plus the open challenges' page for challenges.
fn facet_groups(site: &Site, kind: Kind) -> Vec<Group> {
    let wanted: &[TaxonomyKind] = match kind {
        Kind::Challenge => &[
            TaxonomyKind::Prefecture,
            TaxonomyKind::Themes,
            TaxonomyKind::WorkStyle,
            TaxonomyKind::Engagement,
        ],
        Kind::Case => &[TaxonomyKind::Prefecture, TaxonomyKind::Themes],
        _ => &[TaxonomyKind::Tags],
    };
    let mut groups: Vec<Group> = wanted
        .iter()
        .filter_map(|&tk| site.taxonomy(tk).map(|t| facet_group(site, t, kind)))
        .filter(|g| g.count > 0)
        .collect();
    if kind == Kind::Challenge {
        let st = &site.strings;
        let n = status_pages(site, true).len();
        let items: Vec<GroupItem> = (n > 0)
            .then(|| GroupItem {
                name: Status::Open.label(st).into(),
                url: site.config.urls().status(Kind::Challenge, true),
                count: n,
                open: n,
            })
            .into_iter()
            .collect();
        if !items.is_empty() {
            groups.push(Group {
                title: st.status.clone(),
                key: "status".into(),
                count: items.len(),
                subgroups: vec![Subgroup {
                    name: String::new(),
                    items,
                }],
            });
        }
    }
    groups
}

/// A taxonomy's terms counting only pages of `kind` (and open challenges among them); terms
/// without any are left out.
fn facet_group(site: &Site, t: &Taxonomy, kind: Kind) -> Group {
    let mut g = taxonomy_groups(&site.strings, t, t.kind.key());
    for sg in &mut g.subgroups {
        sg.items.retain_mut(|item| {
            let term = t
                .terms
                .iter()
                .find(|x| x.url == item.url)
                .expect("item comes from the taxonomy");
            let of_kind: Vec<usize> = term
                .pages
                .iter()
                .copied()
                .filter(|&i| site.pages[i].kind == kind)
                .collect();
            item.count = of_kind.len();
            // Open challenges of this kind only: the cases list said 募集中 for its terms too.
            item.open = taxonomy::open_count(site, &of_kind);
            item.count > 0
        });
    }
    g.subgroups.retain(|s| !s.items.is_empty());
    g.count = g.subgroups.iter().map(|s| s.items.len()).sum();
    g
}
