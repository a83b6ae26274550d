//! The ways visitors browse: taxonomy terms (prefecture, themes, work style, engagement, skills,
//! tags), municipalities, related content, and the next date on which a challenge's status
//! changes. Computed once from the assembled pages ([`browse`] fills them into the `Site`, which
//! holds their types); pure data, no templates.
//!
//! URLs are part of the public contract and stay stable: prefectures use their romanised name
//! (`/prefectures/niigata/`), work styles their id (`/work-styles/remote/`), free-text terms keep
//! their Japanese (`/themes/ふるさと納税/`, ASCII lowercased, punctuation dropped), and
//! municipalities live under their prefecture (`/municipalities/niigata/汐見町/`).

use crate::content::{term_slug, Extra, Kind, TaxonomyKind};
use crate::date::Date;
use crate::japan;
use crate::site::{municipality_url, Municipality, Page, Site, Status, Taxonomy, Term};
use crate::strings::Strings;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// The page's terms in this taxonomy, as (display name, slug); work styles are named as
/// `strings` calls them.
fn terms_of(kind: TaxonomyKind, p: &Page, strings: &Strings) -> Vec<(String, String)> {
    let free = |v: &[String]| v.iter().map(|t| (t.clone(), term_slug(t))).collect();
    match (kind, &p.extra) {
        (TaxonomyKind::Prefecture, Extra::Challenge(c)) => prefecture_term(&c.prefecture),
        (TaxonomyKind::Prefecture, Extra::Case(c)) => prefecture_term(&c.prefecture),
        (TaxonomyKind::Themes, Extra::Challenge(c)) => free(&c.themes),
        (TaxonomyKind::Themes, Extra::Case(c)) => free(&c.themes),
        (TaxonomyKind::WorkStyle, Extra::Challenge(c)) => c
            .work_style
            .map(|w| (w.label(strings).to_string(), w.id().to_string()))
            .into_iter()
            .collect(),
        (TaxonomyKind::Engagement, Extra::Challenge(c)) => free(&c.engagement),
        (TaxonomyKind::Skills, Extra::Challenge(c)) => free(&c.skills),
        (TaxonomyKind::Tags, Extra::Challenge(_) | Extra::Case(_) | Extra::Column(_)) => {
            free(&p.common.tags)
        }
        _ => Vec::new(),
    }
}

fn prefecture_term(name: &str) -> Vec<(String, String)> {
    japan::prefecture_slug(name)
        .map(|s| (name.to_string(), s.to_string()))
        .into_iter()
        .collect()
}

fn is_open(p: &Page) -> bool {
    p.kind == Kind::Challenge && p.status.is_some_and(Status::is_open)
}

/// Listing order of every paginated list: newest first (pages are already newest first within
/// a kind). Not by status: lists are cut into pages counted from the oldest item (`view::Paging`),
/// and an order that moved a challenge when it closes would shift every page between its old and
/// new place each day; each page puts its own open challenges first instead.
pub fn listing_order(site: &Site, pages: &mut [usize]) {
    if site.listing_rank.len() == site.pages.len() {
        pages.sort_unstable_by_key(|&i| site.listing_rank[i]);
    } else {
        let rank = listing_rank(site);
        pages.sort_unstable_by_key(|&i| rank[i]);
    }
}

/// Every page's position in the listing order, computed once per site: sorting any list of
/// pages by it gives the listing order without recomputing dates in every comparison.
pub fn listing_rank(site: &Site) -> Vec<u32> {
    let tz = site.config.timezone;
    let mut all: Vec<usize> = (0..site.pages.len()).collect();
    all.sort_by_cached_key(|&i| {
        let p = &site.pages[i];
        (std::cmp::Reverse(p.date().map(|d| d.unix(tz))), p.kind, i)
    });
    let mut rank = vec![0u32; all.len()];
    for (pos, i) in all.into_iter().enumerate() {
        rank[i] = pos as u32;
    }
    rank
}

/// Groups the site's pages into the taxonomies `kinds`.
pub fn build_taxonomies(site: &Site, kinds: &[TaxonomyKind]) -> Vec<Taxonomy> {
    kinds
        .iter()
        .map(|&kind| {
            let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
            for (i, p) in site.pages.iter().enumerate() {
                if !kind.applies_to(p.kind) {
                    continue;
                }
                for (name, slug) in terms_of(kind, p, &site.strings) {
                    let t = by_slug.entry(slug.clone()).or_insert_with(|| Term {
                        url: site.config.urls().term(kind, &slug),
                        region: if kind == TaxonomyKind::Prefecture {
                            japan::region_of(&name)
                        } else {
                            None
                        },
                        name,
                        slug,
                        pages: Vec::new(),
                        open: 0,
                    });
                    if t.pages.last() != Some(&i) {
                        t.pages.push(i);
                        t.open += usize::from(is_open(p));
                    }
                }
            }
            let mut terms: Vec<Term> = by_slug.into_values().collect();
            for t in &mut terms {
                listing_order(site, &mut t.pages);
            }
            match kind {
                TaxonomyKind::Prefecture => terms.sort_by_key(|t| japan::prefecture_code(&t.name)),
                TaxonomyKind::WorkStyle => terms.sort_by_key(|t| {
                    ["remote", "hybrid", "onsite"]
                        .iter()
                        .position(|s| *s == t.slug)
                }),
                _ => terms.sort_by(|a, b| {
                    b.pages
                        .len()
                        .cmp(&a.pages.len())
                        .then_with(|| a.slug.cmp(&b.slug))
                }),
            }
            Taxonomy {
                kind,
                url: site.config.urls().taxonomy(kind),
                terms,
            }
        })
        .collect()
}

/// Every municipality named by a challenge or case, plus those with a profile page.
pub fn build_municipalities(site: &Site) -> Vec<Municipality> {
    let mut map: BTreeMap<(u8, String, String), Municipality> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        let (name, pref) = match &p.extra {
            Extra::Challenge(c) => (&c.municipality, &c.prefecture),
            Extra::Case(c) => (&c.municipality, &c.prefecture),
            Extra::Municipality(m) => (&m.municipality, &m.prefecture),
            _ => continue,
        };
        let code = japan::prefecture_code(pref).unwrap_or(99);
        let m = map
            .entry((code, term_slug(name), pref.clone()))
            .or_insert_with(|| Municipality {
                name: name.clone(),
                prefecture: pref.clone(),
                url: municipality_url(site.config.urls(), pref, name),
                pages: Vec::new(),
                open: 0,
                profile: None,
            });
        if p.kind == Kind::Municipality {
            m.profile = Some(i);
        } else {
            m.pages.push(i);
            m.open += usize::from(is_open(p));
        }
    }
    let mut out: Vec<Municipality> = map.into_values().collect();
    for m in &mut out {
        listing_order(site, &mut m.pages);
    }
    out
}

/// For each page, up to `n` related pages of the three content kinds, chosen at build time by
/// shared municipality (strongest), themes, prefecture and tags. Pages already linked explicitly
/// (`related`) are left out, and open challenges are preferred over closed ones.
pub fn similar(site: &Site, n: usize) -> Vec<Vec<usize>> {
    // Inverted index: feature → pages, with the feature's weight.
    let mut postings: HashMap<(u8, String), Vec<usize>> = HashMap::new();
    let features = |p: &Page| -> Vec<(u8, String)> {
        let mut f = Vec::new();
        match &p.extra {
            Extra::Challenge(c) => {
                f.push((0, format!("{}/{}", c.prefecture, c.municipality)));
                f.push((2, c.prefecture.clone()));
                f.extend(c.themes.iter().map(|t| (1, t.clone())));
            }
            Extra::Case(c) => {
                f.push((0, format!("{}/{}", c.prefecture, c.municipality)));
                f.push((2, c.prefecture.clone()));
                f.extend(c.themes.iter().map(|t| (1, t.clone())));
            }
            Extra::Column(_) => {}
            _ => return f,
        }
        f.extend(p.common.tags.iter().map(|t| (3, t.clone())));
        f
    };
    let all: Vec<Vec<(u8, String)>> = site.pages.iter().map(features).collect();
    for (i, fs) in all.iter().enumerate() {
        for f in fs {
            postings.entry(f.clone()).or_default().push(i);
        }
    }
    const WEIGHT: [i32; 4] = [6, 3, 1, 2]; // municipality, theme, prefecture, tag
                                           // Where each page stands in each of its feature lists (lists are in page order: newest
                                           // first within a kind), so a page looks at its neighbours in time, not at every page that
                                           // shares a theme: that keeps the work linear in the size of the site.
    const WINDOW: usize = 512;
    let position = |list: &[usize], i: usize| list.binary_search(&i).unwrap_or_else(|x| x);
    let n_pages = site.pages.len();
    thread_local! {
        static BUFFERS: std::cell::RefCell<(Vec<i32>, Vec<usize>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    (0..n_pages)
        .into_par_iter()
        .map(|i| {
            let p = &site.pages[i];
            if !matches!(p.kind, Kind::Challenge | Kind::Case | Kind::Column) {
                return Vec::new();
            }
            // One dense score buffer per worker thread, reset through the list of touched pages.
            BUFFERS.with(|b| {
                let (score, touched) = &mut *b.borrow_mut();
                if score.len() != n_pages {
                    *score = vec![0i32; n_pages];
                }
                for f in &all[i] {
                    let list = &postings[f];
                    let at = position(list, i);
                    let lo = at.saturating_sub(WINDOW);
                    let hi = (at + WINDOW).min(list.len());
                    for &j in &list[lo..hi] {
                        if score[j] == 0 {
                            touched.push(j);
                        }
                        score[j] += WEIGHT[usize::from(f.0)];
                    }
                }
                // The best n without sorting every candidate.
                let mut best: Vec<(i32, usize)> = Vec::with_capacity(n + 1);
                for &j in touched.iter() {
                    let s = score[j];
                    score[j] = 0;
                    if j != i && s >= 3 && !p.related.contains(&j) {
                        let q = &site.pages[j];
                        let closed = q.kind == Kind::Challenge && !is_open(q);
                        let cand = (s - i32::from(closed) * 2, j);
                        let better = |a: &(i32, usize), b: &(i32, usize)| {
                            a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
                        };
                        if best.len() < n || better(&cand, best.last().unwrap()) {
                            let at = best
                                .iter()
                                .position(|x| better(&cand, x))
                                .unwrap_or(best.len());
                            best.insert(at, cand);
                            best.truncate(n);
                        }
                    }
                }
                touched.clear();
                best.into_iter().map(|(_, j)| j).collect()
            })
        })
        .collect()
}

/// The first day after `today` on which a challenge's status changes (opens → closing soon →
/// closed) or a scheduled page goes live. CI can rebuild on that day.
pub fn next_change(site: &Site) -> Option<Date> {
    let tz = site.config.timezone;
    let soon = site.config.closing_soon_days;
    let today = site.today;
    let mut dates: Vec<Date> = site.scheduled.clone();
    for p in &site.pages {
        let (Some(status), Some(deadline)) = (p.status, p.deadline(tz)) else {
            continue;
        };
        match status {
            Status::Open if soon > 0 => dates.push(deadline.add_days(-soon)),
            Status::Open | Status::ClosingSoon => dates.push(deadline.add_days(1)),
            Status::Closed => {}
        }
    }
    dates.into_iter().filter(|d| *d > today).min()
}

/// Open challenges of a list of pages.
pub fn open_count(site: &Site, pages: &[usize]) -> usize {
    pages.iter().filter(|&&i| is_open(&site.pages[i])).count()
}

/// Fills the site's browsing structures from its final page list: the listing order, term and
/// municipality lists, and each page's similar pages. `pipeline::prepare` calls it right after
/// `site::assemble`.
pub fn browse(site: &mut Site) {
    site.listing_rank = listing_rank(site);
    site.taxonomies = build_taxonomies(site, &site.config.taxonomies);
    site.municipalities = build_municipalities(site);
    site.municipality_index = site
        .municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| (m.url.clone(), i))
        .collect();
    let similar = similar(site, 4);
    for (p, similar) in site.pages.iter_mut().zip(similar) {
        p.similar = similar;
    }
}
