//! The ways visitors browse: taxonomy terms (prefecture, themes, work style, engagement, skills,
//! tags), municipalities, related content, and the next date on which a challenge's status
//! changes. Computed once from the assembled pages; pure data, no templates.
//!
//! URLs are part of the public contract and stay stable: prefectures use their romanised name
//! (`/prefectures/niigata/`), work styles their id (`/work-styles/remote/`), free-text terms keep
//! their Japanese (`/themes/ふるさと納税/`, ASCII lowercased, punctuation dropped), and
//! municipalities live under their prefecture (`/municipalities/niigata/汐見町/`).

use crate::content::{Extra, Kind};
use crate::date::Date;
use crate::japan;
use crate::site::{Page, Site, Status};
use crate::strings::Strings;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaxonomyKind {
    Prefecture,
    Themes,
    WorkStyle,
    Engagement,
    Skills,
    Tags,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 6] = [
        TaxonomyKind::Prefecture,
        TaxonomyKind::Themes,
        TaxonomyKind::WorkStyle,
        TaxonomyKind::Engagement,
        TaxonomyKind::Skills,
        TaxonomyKind::Tags,
    ];

    /// Name in `site.yaml` and in front matter.
    pub fn key(self) -> &'static str {
        match self {
            TaxonomyKind::Prefecture => "prefecture",
            TaxonomyKind::Themes => "themes",
            TaxonomyKind::WorkStyle => "work_style",
            TaxonomyKind::Engagement => "engagement",
            TaxonomyKind::Skills => "skills",
            TaxonomyKind::Tags => "tags",
        }
    }

    pub fn from_key(s: &str) -> Option<TaxonomyKind> {
        TaxonomyKind::ALL.into_iter().find(|k| k.key() == s)
    }

    /// URL segment of the taxonomy.
    pub fn folder(self) -> &'static str {
        match self {
            TaxonomyKind::Prefecture => "prefectures",
            TaxonomyKind::Themes => "themes",
            TaxonomyKind::WorkStyle => "work-styles",
            TaxonomyKind::Engagement => "engagements",
            TaxonomyKind::Skills => "skills",
            TaxonomyKind::Tags => "tags",
        }
    }

    /// Which content kinds carry this taxonomy.
    pub fn applies_to(self, kind: Kind) -> bool {
        match self {
            TaxonomyKind::Prefecture | TaxonomyKind::Themes => {
                matches!(kind, Kind::Challenge | Kind::Case)
            }
            TaxonomyKind::WorkStyle | TaxonomyKind::Engagement | TaxonomyKind::Skills => {
                kind == Kind::Challenge
            }
            TaxonomyKind::Tags => matches!(kind, Kind::Challenge | Kind::Case | Kind::Column),
        }
    }

    /// The page's terms in this taxonomy, as (display name, slug).
    /// The name shown to visitors (`taxonomy_*`).
    pub fn title(self, s: &Strings) -> &str {
        match self {
            TaxonomyKind::Prefecture => &s.taxonomy_prefecture,
            TaxonomyKind::Themes => &s.taxonomy_themes,
            TaxonomyKind::WorkStyle => &s.taxonomy_work_style,
            TaxonomyKind::Engagement => &s.taxonomy_engagement,
            TaxonomyKind::Skills => &s.taxonomy_skills,
            TaxonomyKind::Tags => &s.taxonomy_tags,
        }
    }

    /// The heading of the page of term `term` (`term_*`).
    pub fn term_heading(self, s: &Strings, term: &str) -> String {
        let template = match self {
            TaxonomyKind::Prefecture => &s.term_prefecture,
            TaxonomyKind::Themes => &s.term_themes,
            TaxonomyKind::WorkStyle => &s.term_work_style,
            TaxonomyKind::Engagement => &s.term_engagement,
            TaxonomyKind::Skills => &s.term_skills,
            TaxonomyKind::Tags => &s.term_tags,
        };
        Strings::fill(template, &[("term", term)])
    }

    /// Work styles are named as `strings` calls them.
    pub fn terms_of(self, p: &Page, strings: &Strings) -> Vec<(String, String)> {
        let free = |v: &[String]| v.iter().map(|t| (t.clone(), term_slug(t))).collect();
        match (self, &p.extra) {
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
}

fn prefecture_term(name: &str) -> Vec<(String, String)> {
    japan::prefecture_slug(name)
        .map(|s| (name.to_string(), s.to_string()))
        .into_iter()
        .collect()
}

/// URL segment of a free-text term: Japanese kept, ASCII lowercased, punctuation dropped
/// (`関ヶ原町` and `佐々町` keep every character; `○○町` becomes `町`).
pub fn term_slug(name: &str) -> String {
    let s = crate::markdown::slugify(name);
    if s == "section" && !name.eq_ignore_ascii_case("section") {
        "term".into()
    } else {
        s
    }
}

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Pages with this term, in listing order (open challenges first, then newest first).
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

/// URL of a municipality's page.
pub fn municipality_url(base_path: &str, prefecture: &str, name: &str) -> String {
    let pref = japan::prefecture_slug(prefecture).unwrap_or("unknown");
    format!("{base_path}municipalities/{pref}/{}/", term_slug(name))
}

fn is_open(p: &Page) -> bool {
    p.kind == Kind::Challenge && p.status.is_some_and(Status::is_open)
}

/// Listing order used everywhere a list mixes statuses: open challenges first, then the rest;
/// each group newest first (pages are already newest first within a kind).
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
        (
            !is_open(p),
            std::cmp::Reverse(p.date().map(|d| d.unix(tz))),
            p.kind,
            i,
        )
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
                for (name, slug) in kind.terms_of(p, &site.strings) {
                    let t = by_slug.entry(slug.clone()).or_insert_with(|| Term {
                        url: format!("{}{}/{}/", site.config.base_path, kind.folder(), slug),
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
                url: format!("{}{}/", site.config.base_path, kind.folder()),
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
                url: municipality_url(&site.config.base_path, pref, name),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_slugs_keep_japanese_and_are_stable() {
        assert_eq!(term_slug("ふるさと納税"), "ふるさと納税");
        assert_eq!(term_slug("DX"), "dx");
        assert_eq!(term_slug("広報・PR"), "広報-pr");
        assert_eq!(term_slug("Webサイト制作"), "webサイト制作");
        assert_eq!(term_slug("関ヶ原町"), "関ヶ原町");
        assert_eq!(term_slug("佐々町"), "佐々町");
        assert_eq!(term_slug("！"), "term");
        assert_eq!(
            municipality_url("/", "新潟県", "汐見町"),
            "/municipalities/niigata/汐見町/"
        );
    }
}
