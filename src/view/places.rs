//! Municipality pages: the index of every municipality by prefecture, and one list each,
//! paginated like every list (`paging`): the newest page has the profile and the counts.

use super::common::{image_url, jsonld, prefecture_url, Crumb, GroupItem, Meta, Subgroup};
use super::lists::on_page;
use super::page::{page_view, PageView};
use super::paging::{pager, Pager};
use super::{Data, Reader, View};
use crate::content::{Extra, Kind};
use crate::strings::Strings;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct IndexInfo<'a> {
    title: &'a str,
    intro: &'a str,
    count: usize,
}

#[derive(Serialize)]
pub struct IndexOutput<'a> {
    index: IndexInfo<'a>,
    prefectures: Vec<Subgroup>,
    breadcrumbs: Vec<Crumb>,
    jsonld: String,
    meta: Meta,
}

/// Every municipality, grouped by prefecture in prefecture-code order.
pub fn index<'s>(r: &Reader<'s>) -> View<'s> {
    let c = r.config();
    let idx = r.site_wide().section(Kind::Municipality);
    let url = c.urls().section(Kind::Municipality);
    let all = r.municipalities();
    let mut by_pref: BTreeMap<u8, Subgroup> = BTreeMap::new();
    for m in all {
        let code = crate::japan::prefecture_code(&m.prefecture).unwrap_or(99);
        by_pref
            .entry(code)
            .or_insert_with(|| Subgroup {
                name: m.prefecture.clone(),
                items: Vec::new(),
            })
            .items
            .push(GroupItem {
                name: m.name.clone(),
                url: m.url.clone(),
                count: m.pages.len(),
                open: m.open,
            });
    }
    let crumbs = vec![Crumb::home(r), Crumb::new(idx.title.clone(), url.clone())];
    let st = r.strings();
    let description = idx
        .summary
        .clone()
        .unwrap_or_else(|| Strings::fill(&st.municipalities_description, &[("site", &c.title)]));
    let out = IndexOutput {
        index: IndexInfo {
            title: &idx.title,
            intro: &idx.html,
            count: all.len(),
        },
        prefectures: by_pref.into_values().collect(),
        jsonld: jsonld(r, &crumbs, Vec::new()),
        breadcrumbs: crumbs,
        meta: Meta::website(r, url, st.page_title(&idx.title, &c.title), description),
    };
    View::new("municipalities.html", Data::Municipalities(out))
}

#[derive(Serialize)]
struct MunicipalityInfo<'a> {
    name: &'a str,
    prefecture: &'a str,
    prefecture_url: Option<String>,
    region: Option<&'static str>,
    url: &'a str,
    count: usize,
    open_count: usize,
    content: Option<&'a str>,
    summary: Option<&'a str>,
    website: Option<&'a str>,
    contact: Option<&'a str>,
    image: Option<String>,
    image_alt: &'a str,
    /// The profile's `image` as a responsive picture, when it is a local raster.
    picture: Option<super::picture::Picture>,
    updated: Option<String>,
    updated_ja: Option<String>,
}

#[derive(Serialize)]
pub struct MunicipalityOutput<'a> {
    municipality: MunicipalityInfo<'a>,
    challenges: Vec<PageView<'a>>,
    cases: Vec<PageView<'a>>,
    pager: Pager,
    breadcrumbs: Vec<Crumb>,
    jsonld: String,
    meta: Meta,
}

/// Page `number` of `total` of municipality `mi`: its challenges and cases of that page, and on
/// the newest page (the municipality's URL) its profile, if any.
pub fn municipality<'s>(r: &Reader<'s>, mi: usize, number: usize, total: usize) -> View<'s> {
    let c = r.config();
    let tz = c.timezone;
    let m = r.municipality(mi);
    let newest = number == total;
    let profile = m.profile.filter(|_| newest).map(|i| (r.page(i), r.body(i)));
    let (website, contact) = match profile.map(|(p, _)| &p.extra) {
        Some(Extra::Municipality(pr)) => (pr.website.as_deref(), pr.contact.as_deref()),
        _ => (None, None),
    };
    let items = on_page(r, &m.pages, number);
    let of_kind = |kind: Kind| -> Vec<PageView> {
        items
            .iter()
            .filter(|&&i| r.page(i).kind == kind)
            .map(|&i| page_view(r, i, false))
            .collect()
    };
    let name = format!("{} {}", m.prefecture, m.name);
    let image = profile.and_then(|(p, _)| p.common.image.as_deref().map(|i| image_url(c, p, i)));
    let crumbs = vec![
        Crumb::home(r),
        Crumb::new(
            r.site_wide().section(Kind::Municipality).title.clone(),
            c.urls().section(Kind::Municipality),
        ),
        Crumb::new(name.clone(), m.url.clone()),
    ];
    let org = serde_json::json!({
        "@type": "GovernmentOrganization",
        "name": m.name,
        "url": website,
        "address": { "@type": "PostalAddress", "addressLocality": m.name, "addressRegion": m.prefecture, "addressCountry": "JP" },
    });
    let st = r.strings();
    let mut heading = Strings::fill(&st.municipality_heading, &[("name", &name)]);
    heading.push_str(&st.page_number(number, total));
    let url = c.urls().list_page(&m.url, number, total);
    let description = profile
        .map(|(p, _)| p.summary.clone())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| Strings::fill(&st.municipality_description, &[("name", &name)]));
    let mut meta = Meta::website(r, url, st.page_title(&heading, &c.title), description);
    let processed = profile.and_then(|(p, _)| p.picture.as_deref());
    let external = profile.and_then(|(p, _)| p.common.image.as_deref());
    let share = super::picture::ShareImage::for_image(r, processed, external);
    meta.image = share.url;
    meta.image_width = share.width;
    meta.image_height = share.height;
    let alt = profile
        .and_then(|(p, _)| p.common.image_alt.as_deref())
        .unwrap_or("");
    let picture = processed.and_then(|p| super::picture::Picture::of(&c.urls(), p, alt));
    let updated = profile.and_then(|(p, _)| p.common.updated.map(|d| d.date_in(tz)));
    let out = MunicipalityOutput {
        municipality: MunicipalityInfo {
            name: &m.name,
            prefecture: &m.prefecture,
            prefecture_url: prefecture_url(r, &m.prefecture),
            region: crate::japan::region_of(&m.prefecture),
            url: &m.url,
            count: m.pages.len(),
            open_count: m.open,
            content: profile.map(|(_, b)| b.html.as_str()),
            summary: profile.map(|(p, _)| p.summary.as_str()),
            website,
            contact,
            image,
            image_alt: alt,
            picture,
            updated: updated.map(|d| d.to_string()),
            updated_ja: updated.map(|d| st.date(d)),
        },
        challenges: of_kind(Kind::Challenge),
        cases: of_kind(Kind::Case),
        pager: pager(c.urls(), &m.url, number, total),
        jsonld: jsonld(r, &crumbs, vec![org]),
        breadcrumbs: crumbs,
        meta,
    };
    View::new("municipality.html", Data::Municipality(out))
}
