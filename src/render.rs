//! The only module that knows tera: turns the [`Site`] into HTML files through the theme's
//! templates. Every value reaches templates as data and is HTML-escaped by tera's autoescape
//! (templates end in `.html`); only Markdown output (already sanitised) and JSON-LD (escaped by
//! [`structured::script_json`]) are marked safe. Rendering is pure (site + templates → bytes), so
//! every page renders in parallel without locks.

use crate::config::MenuItem;
use crate::content::{Extra, Kind};
use crate::diagnostics::{Diagnostic, Problem};
use crate::japan;
use crate::markdown::Heading;
use crate::output::Sink;
use crate::site::{Page, Site, Status};
use crate::structured;
use crate::taxonomy::{self, Taxonomy, TaxonomyKind, Term};
use crate::theme::Theme;
use crate::urls::Urls;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tera::{Context, Tera};

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 14] = [
    "base.html",
    "home.html",
    "section.html",
    "challenge.html",
    "case.html",
    "column.html",
    "page.html",
    "404.html",
    "taxonomy.html",
    "term.html",
    "municipalities.html",
    "municipality.html",
    "search.html",
    "thanks.html",
];

pub struct Renderer {
    tera: Tera,
    origins: HashMap<String, String>,
    /// Hash of the templates and of the site-wide values every page shows (menus, title…).
    global: u64,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    organization: &'a str,
    copyright: Option<&'a str>,
    twitter_site: Option<&'a str>,
    menu: Vec<MenuItem>,
    footer_menu: Vec<MenuItem>,
    build_date: String,
    build_date_ja: String,
    year: i32,
    generator: &'static str,
    feed_url: String,
    accessibility: &'a crate::config::AccessibilityConfig,
    search: bool,
    /// The Content-Security-Policy for the `<meta>` element (`csp::Policy::meta`).
    csp: String,
}

#[derive(Serialize)]
pub struct LinkView<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    status: Option<&'static str>,
    status_label: Option<&'static str>,
    place: Option<String>,
}

/// A link to a term page (or plain text when the taxonomy has no pages).
#[derive(Serialize, Clone)]
struct TermLink {
    name: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct ChallengeView<'a> {
    municipality: &'a str,
    municipality_url: Option<&'a str>,
    prefecture: &'a str,
    prefecture_url: Option<String>,
    region: &'static str,
    organization: Option<&'a str>,
    themes: Vec<TermLink>,
    work_style: Option<&'static str>,
    work_style_label: Option<&'static str>,
    work_style_url: Option<String>,
    engagement: Vec<TermLink>,
    reward: Option<&'a str>,
    duration: Option<&'a str>,
    visits: Option<&'a str>,
    capacity: Option<&'a str>,
    deadline: Option<String>,
    deadline_ja: Option<String>,
    days_left: Option<i64>,
    status: &'static str,
    status_label: &'static str,
    is_open: bool,
    skills: Vec<TermLink>,
}

#[derive(Serialize)]
struct CaseView<'a> {
    municipality: &'a str,
    municipality_url: Option<&'a str>,
    prefecture: &'a str,
    prefecture_url: Option<String>,
    themes: Vec<TermLink>,
}

#[derive(Serialize)]
struct PageView<'a> {
    kind: &'static str,
    kind_label: &'static str,
    slug: &'a str,
    url: &'a str,
    permalink: String,
    title: &'a str,
    summary: &'a str,
    date: Option<String>,
    date_ja: Option<String>,
    updated: Option<String>,
    updated_ja: Option<String>,
    image: Option<String>,
    image_alt: &'a str,
    tags: Vec<TermLink>,
    author: Option<&'a str>,
    content: Option<&'a str>,
    toc: &'a [Heading],
    challenge: Option<ChallengeView<'a>>,
    case: Option<CaseView<'a>>,
    related: Vec<LinkView<'a>>,
    similar: Vec<LinkView<'a>>,
    /// The contact/apply form of the page (open challenges and pages with `form:`).
    form: Option<crate::forms::FormView>,
}

/// Head metadata of one output page.
#[derive(Serialize)]
struct Meta {
    /// Site path of the page, to mark the current menu item.
    path: String,
    title: String,
    description: String,
    canonical: String,
    og_type: &'static str,
    image: Option<String>,
    image_alt: String,
    feed: Option<String>,
    json_feed: Option<String>,
}

#[derive(Serialize)]
struct Crumb {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PagerLink>,
}

#[derive(Serialize, Debug, PartialEq)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
    /// A gap (…) stands here instead of a link.
    gap: bool,
}

/// A list of links with counts, optionally split into named groups (prefectures by region).
#[derive(Serialize, Clone)]
struct Group {
    title: String,
    key: String,
    subgroups: Vec<Subgroup>,
    /// How many items, for `<details>` summaries.
    count: usize,
}

#[derive(Serialize, Clone)]
struct Subgroup {
    name: String,
    items: Vec<GroupItem>,
}

#[derive(Serialize, Clone)]
struct GroupItem {
    name: String,
    url: String,
    count: usize,
    open: usize,
}

/// Lists shared by many jobs: each section in listing order, challenges by status, and the
/// filter bars of the section lists.
struct Lists {
    sections: HashMap<Kind, Vec<usize>>,
    open: Vec<usize>,
    closed: Vec<usize>,
    facets: HashMap<Kind, Vec<Group>>,
}

impl Lists {
    fn new(site: &Site) -> Lists {
        let sections = Kind::SECTIONS
            .iter()
            .map(|&k| {
                let mut pages: Vec<usize> = site.of_kind(k).map(|(i, _)| i).collect();
                taxonomy::listing_order(site, &mut pages);
                (k, pages)
            })
            .collect();
        Lists {
            sections,
            open: status_pages(site, true),
            closed: status_pages(site, false),
            facets: Kind::SECTIONS
                .iter()
                .map(|&k| (k, facet_groups(site, k)))
                .collect(),
        }
    }

    fn status(&self, open: bool) -> &[usize] {
        if open {
            &self.open
        } else {
            &self.closed
        }
    }
}

/// Every HTML page of a site (except the search page, which waits for the index) and the lists
/// they share. Each output can be fingerprinted from the pages it shows, so the dev server
/// re-renders only outputs whose fingerprint changed.
pub struct Plan {
    jobs: Vec<Job>,
    lists: Lists,
}

impl Plan {
    pub fn new(site: &Site) -> Plan {
        let per = site.config.paginate_by;
        let pages_of = |n: usize| n.div_ceil(per).max(1);
        let mut jobs: Vec<Job> = (0..site.pages.len())
            .filter(|&i| site.pages[i].kind != Kind::Municipality)
            .map(Job::Page)
            .collect();
        jobs.push(Job::Home);
        jobs.push(Job::NotFound);
        // Lists every page of a list shares, computed once rather than in each of its jobs.
        let lists = Lists::new(site);
        for k in Kind::SECTIONS {
            let total = pages_of(lists.sections[&k].len());
            jobs.extend((1..=total).map(|p| Job::Section(k, p, total)));
        }
        for open in [true, false] {
            let total = pages_of(lists.status(open).len());
            jobs.extend((1..=total).map(|p| Job::Status(open, p, total)));
        }
        for (ti, t) in site.taxonomies.iter().enumerate() {
            jobs.push(Job::TaxonomyIndex(ti));
            for (xi, term) in t.terms.iter().enumerate() {
                let total = pages_of(term.pages.len());
                jobs.extend((1..=total).map(|p| Job::Term(ti, xi, p, total)));
            }
        }
        if !site.config.forms.handlers.is_empty()
            && !site.of_kind(Kind::Page).any(|(_, p)| p.slug == "thanks")
        {
            jobs.push(Job::Thanks);
        }
        jobs.push(Job::MunicipalityIndex);
        jobs.extend((0..site.municipalities.len()).map(Job::Municipality));
        Plan { jobs, lists }
    }

    /// How many outputs the plan renders.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Output path of job `j`.
    pub fn path(&self, site: &Site, j: usize) -> String {
        let c = &site.config;
        match self.jobs[j] {
            Job::Page(i) => c.urls().output_path(&site.pages[i].url),
            Job::Home => c.urls().output_path(&c.urls().home()),
            Job::NotFound => c.urls().output_file(&c.urls().not_found()),
            Job::Section(kind, number, _) => c
                .urls()
                .output_path(&c.urls().pager(&site.config.urls().section(kind), number)),
            Job::Status(open, number, _) => c
                .urls()
                .output_path(&c.urls().pager(&c.urls().status(open), number)),
            Job::TaxonomyIndex(ti) => c.urls().output_path(&site.taxonomies[ti].url),
            Job::Term(ti, xi, number, _) => c
                .urls()
                .output_path(&c.urls().pager(&site.taxonomies[ti].terms[xi].url, number)),
            Job::Thanks => c.urls().output_path(&c.urls().thanks()),
            Job::MunicipalityIndex => c.urls().output_path(&c.urls().municipalities()),
            Job::Municipality(mi) => c.urls().output_path(&site.municipalities[mi].url),
        }
    }

    /// Fingerprints of every job: `own[i]` is [`Page::fingerprint`] of page `i`, `bodies[i]` a
    /// hash of its rendered body, `global` is [`Plan::global`]. Two builds give a job the same
    /// fingerprint only if it shows the same data, so its output is the same.
    pub fn fingerprints(&self, site: &Site, own: &[u64], bodies: &[u64], global: u64) -> Vec<u64> {
        use std::hash::{Hash, Hasher};
        let per = site.config.paginate_by;
        let hash_pages = |h: &mut rustc_hash::FxHasher, list: &[usize]| {
            list.len().hash(h);
            for &j in list {
                own[j].hash(h);
            }
        };
        let window = |list: &[usize], number: usize| -> std::ops::Range<usize> {
            let lo = ((number - 1) * per).min(list.len());
            lo..(lo + per).min(list.len())
        };
        let term_hash = |h: &mut rustc_hash::FxHasher, t: &Term| {
            (&t.name, &t.url, t.pages.len(), t.open, t.region).hash(h);
        };
        let counts: Vec<usize> = Kind::SECTIONS
            .iter()
            .map(|&k| self.lists.sections[&k].len())
            .collect();
        // Values shared by many jobs, hashed once.
        let shared = |f: &dyn Fn(&mut rustc_hash::FxHasher)| {
            let mut h = rustc_hash::FxHasher::default();
            f(&mut h);
            h.finish()
        };
        let facets: HashMap<Kind, u64> = Kind::SECTIONS
            .iter()
            .map(|&k| {
                let json = serde_json::to_vec(&self.lists.facets[&k]).unwrap_or_default();
                let open = taxonomy::open_count(site, &self.lists.sections[&k]);
                (k, shared(&|h| (&json, open).hash(h)))
            })
            .collect();
        let all_pages = shared(&|h| {
            own.hash(h);
            if let Some(t) = site.taxonomy(TaxonomyKind::Prefecture) {
                t.terms.iter().for_each(|x| term_hash(h, x));
            }
        });
        let municipalities = shared(&|h| {
            for m in &site.municipalities {
                (&m.name, &m.prefecture, &m.url, m.pages.len(), m.open).hash(h);
            }
        });
        self.jobs
            .par_iter()
            .map(|job| {
                let mut h = rustc_hash::FxHasher::default();
                global.hash(&mut h);
                match *job {
                    Job::Page(i) => {
                        let p = &site.pages[i];
                        (0u8, own[i], bodies[i]).hash(&mut h);
                        hash_pages(&mut h, &p.related);
                        hash_pages(&mut h, &p.similar);
                        let profile = site.municipality_of(p).and_then(|m| m.profile);
                        profile.map(|j| own[j]).hash(&mut h);
                    }
                    // The home page shows counts and the newest pages: any page may change it.
                    Job::Home => (1u8, all_pages).hash(&mut h),
                    Job::NotFound => (2u8, &counts).hash(&mut h),
                    Job::Thanks => (3u8, &counts).hash(&mut h),
                    Job::Section(kind, number, total) => {
                        let list = &self.lists.sections[&kind];
                        (4u8, kind, number, total, facets[&kind]).hash(&mut h);
                        hash_pages(&mut h, &list[window(list, number)]);
                        list.len().hash(&mut h);
                    }
                    Job::Status(open, number, total) => {
                        let list = self.lists.status(open);
                        (5u8, open, number, total).hash(&mut h);
                        hash_pages(&mut h, &list[window(list, number)]);
                        list.len().hash(&mut h);
                    }
                    Job::TaxonomyIndex(ti) => {
                        let t = &site.taxonomies[ti];
                        (6u8, t.kind, &t.url).hash(&mut h);
                        t.terms.iter().for_each(|x| term_hash(&mut h, x));
                    }
                    Job::Term(ti, xi, number, total) => {
                        let t = &site.taxonomies[ti];
                        let term = &t.terms[xi];
                        (7u8, t.kind, &t.url, number, total).hash(&mut h);
                        term_hash(&mut h, term);
                        hash_pages(&mut h, &term.pages[window(&term.pages, number)]);
                    }
                    Job::MunicipalityIndex => (8u8, municipalities).hash(&mut h),
                    Job::Municipality(mi) => {
                        let m = &site.municipalities[mi];
                        (9u8, &m.name, &m.prefecture, &m.url, m.open).hash(&mut h);
                        m.profile.map(|j| (own[j], bodies[j])).hash(&mut h);
                        hash_pages(&mut h, &m.pages);
                    }
                }
                h.finish()
            })
            .collect()
    }

    /// Hash of what every output may show besides pages: templates and site-wide values
    /// (from the renderer), the configuration, the build date and the home/section intros.
    pub fn global(site: &Site, renderer: &Renderer) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        renderer.global.hash(&mut h);
        format!("{:?}", site.config).hash(&mut h);
        (site.now, site.today).hash(&mut h);
        format!("{:?} {:?}", site.home, site.sections).hash(&mut h);
        h.finish()
    }
}

enum Job {
    Page(usize),
    Home,
    NotFound,
    /// Section list: kind, page number (1-based), total pages.
    Section(Kind, usize, usize),
    /// Challenges by status (open or closed): page number, total pages.
    Status(bool, usize, usize),
    TaxonomyIndex(usize),
    /// Taxonomy index, term index, page number, total pages.
    Term(usize, usize, usize, usize),
    MunicipalityIndex,
    Municipality(usize),
    /// `/thanks/`, where form services send visitors back (unless the site has its own page).
    Thanks,
}

impl Renderer {
    /// Compiles the theme's templates; problems name the template file.
    pub fn new(theme: &Theme, site: &Site) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let mut diags = Vec::new();
        let mut origins = HashMap::new();
        let mut sources = Vec::new();
        for (name, file) in &theme.templates {
            match std::str::from_utf8(&file.bytes) {
                Ok(t) => sources.push((name.clone(), t.to_string())),
                Err(_) => diags.push(Diagnostic::error(&file.origin, Problem::NotUtf8)),
            }
            origins.insert(name.clone(), file.origin.display().to_string());
        }
        if let Err(e) = tera.add_raw_templates(sources) {
            diags.push(Diagnostic::error(
                "templates",
                Problem::Template {
                    detail: error_chain(&e),
                },
            ));
        }
        for name in REQUIRED_TEMPLATES {
            if !theme.templates.contains_key(name) {
                diags.push(Diagnostic::error(
                    format!("templates/{name}"),
                    Problem::Template {
                        detail: format!(
                            "テンプレート {name} がありません / template {name} is missing"
                        ),
                    },
                ));
            }
        }
        for p in &site.pages {
            if let Extra::Page {
                layout: Some(l), ..
            } = &p.extra
            {
                if !theme.templates.contains_key(&format!("{l}.html")) {
                    diags.push(Diagnostic::error(
                        &p.source,
                        Problem::InvalidChoice {
                            field: "layout".into(),
                            value: l.clone(),
                            allowed: theme
                                .templates
                                .keys()
                                .filter(|k| {
                                    !k.contains('/') && !REQUIRED_TEMPLATES.contains(&k.as_str())
                                })
                                .map(|k| k.trim_end_matches(".html").to_string())
                                .collect(),
                            suggestion: None,
                        },
                    ));
                }
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let c = &site.config;
        let menu = c.menu.clone().unwrap_or_else(|| default_menu(site));
        let footer_menu = c.footer_menu.clone().unwrap_or_else(|| {
            let mut m: Vec<MenuItem> = site
                .of_kind(Kind::Page)
                .map(|(_, p)| MenuItem {
                    name: p.common.title.clone(),
                    url: p.url.clone(),
                })
                .collect();
            m.push(MenuItem {
                name: site.sections[&Kind::Municipality].title.clone(),
                url: c.urls().municipalities(),
            });
            m
        });
        let view = SiteView {
            title: &c.title,
            description: &c.description,
            base_url: &c.base_url,
            base_path: &c.base_path,
            language: &c.language,
            organization: &c.organization,
            copyright: c.copyright.as_deref(),
            twitter_site: c.twitter_site.as_deref(),
            menu,
            footer_menu,
            build_date: site.today.to_string(),
            build_date_ja: site.today.japanese(),
            year: site.today.year,
            generator: concat!("tsunagari ", env!("CARGO_PKG_VERSION")),
            feed_url: c.urls().feed(&c.urls().home()),
            accessibility: &c.accessibility,
            search: c.search,
            csp: crate::csp::Policy::for_site(&c.forms, &c.markdown, &c.security).meta(),
        };
        let global = {
            use std::hash::{Hash, Hasher};
            let mut h = rustc_hash::FxHasher::default();
            serde_json::to_vec(&view).unwrap_or_default().hash(&mut h);
            for (name, file) in &theme.templates {
                (name, &file.bytes).hash(&mut h);
            }
            h.finish()
        };
        tera.global_context().insert("site", &view);
        Ok(Renderer {
            tera,
            origins,
            global,
        })
    }

    fn render(&self, template: &str, ctx: &Context) -> Result<Vec<u8>, Diagnostic> {
        // Straight into bytes: a String would re-validate every page as UTF-8.
        let mut bytes = Vec::with_capacity(32 * 1024);
        match self.tera.render_to(template, ctx, &mut bytes) {
            Ok(()) => Ok(bytes),
            Err(e) => {
                let origin = self
                    .origins
                    .get(template)
                    .cloned()
                    .unwrap_or_else(|| template.to_string());
                Err(Diagnostic::error(
                    origin,
                    Problem::Template {
                        detail: error_chain(&e),
                    },
                ))
            }
        }
    }

    /// Renders every HTML page of the site in parallel, handing each to `sink` as soon as it is
    /// rendered. Template problems come back as diagnostics; I/O errors stop the build.
    pub fn render_site(&self, site: &Site, sink: &dyn Sink) -> std::io::Result<Vec<Diagnostic>> {
        let plan = Plan::new(site);
        let all: Vec<usize> = (0..plan.len()).collect();
        self.render_jobs(site, &plan, &all, sink)
    }

    /// Renders the jobs `which` of `plan` in parallel into `sink`.
    pub fn render_jobs(
        &self,
        site: &Site,
        plan: &Plan,
        which: &[usize],
        sink: &dyn Sink,
    ) -> std::io::Result<Vec<Diagnostic>> {
        let results: Vec<Result<Option<Diagnostic>, std::io::Error>> = which
            .par_iter()
            .map(
                |&j| match self.render_job(site, &plan.jobs[j], &plan.lists) {
                    Ok(bytes) => sink.write(&plan.path(site, j), &bytes).map(|_| None),
                    Err(d) => Ok(Some(d)),
                },
            )
            .collect();
        let mut diags: Vec<Diagnostic> = Vec::new();
        for r in results {
            if let Some(d) = r? {
                if !diags.contains(&d) {
                    diags.push(d);
                }
            }
        }
        Ok(diags)
    }

    /// The bytes of one job; its output path is [`Plan::path`].
    fn render_job(&self, site: &Site, job: &Job, lists: &Lists) -> Result<Vec<u8>, Diagnostic> {
        let c = &site.config;
        let mut ctx = Context::new();
        let home = Crumb {
            name: "ホーム".into(),
            url: c.urls().home(),
        };
        match *job {
            Job::Page(i) => {
                let p = &site.pages[i];
                let view = page_view(site, p, true);
                let image = view
                    .image
                    .as_deref()
                    .map(|i| c.urls().absolute_if_site(i))
                    .or_else(|| default_image(site));
                let meta = Meta {
                    path: p.url.clone(),
                    title: format!("{} | {}", p.common.title, c.title),
                    description: p.summary.clone(),
                    canonical: c.urls().absolute(&p.url),
                    og_type: "article",
                    image: image.clone(),
                    image_alt: p.common.image_alt.clone().unwrap_or_default(),
                    feed: (p.kind != Kind::Page).then(|| c.urls().feed(&c.urls().section(p.kind))),
                    json_feed: None,
                };
                let mut crumbs = vec![home];
                if p.kind != Kind::Page {
                    crumbs.push(Crumb {
                        name: site.sections[&p.kind].title.clone(),
                        url: site.config.urls().section(p.kind),
                    });
                }
                crumbs.push(Crumb {
                    name: p.common.title.clone(),
                    url: p.url.clone(),
                });
                let mut nodes: Vec<serde_json::Value> = Vec::new();
                nodes.extend(structured::job_posting(site, p, image.as_deref()));
                nodes.extend(structured::article(site, p, image.as_deref()));
                insert_crumbs(&mut ctx, site, &crumbs, nodes);
                ctx.insert("page", &view);
                ctx.insert("meta", &meta);
                let template = match (&p.extra, p.kind) {
                    (
                        Extra::Page {
                            layout: Some(l), ..
                        },
                        _,
                    ) => format!("{l}.html"),
                    (_, Kind::Challenge) => "challenge.html".into(),
                    (_, Kind::Case) => "case.html".into(),
                    (_, Kind::Column) => "column.html".into(),
                    _ => "page.html".into(),
                };
                self.render(&template, &ctx)
            }
            Job::Home => {
                let mut open: Vec<&Page> = site
                    .of_kind(Kind::Challenge)
                    .map(|(_, p)| p)
                    .filter(|p| p.status.is_some_and(Status::is_open))
                    .collect();
                // Nearest deadline first; no deadline last; then newest.
                open.sort_by_key(|p| {
                    (
                        p.days_left.unwrap_or(i64::MAX),
                        std::cmp::Reverse(p.date().map(|d| d.unix(c.timezone))),
                    )
                });
                let open_count = open.len();
                let open: Vec<PageView> = open
                    .into_iter()
                    .take(6)
                    .map(|p| page_view(site, p, false))
                    .collect();
                let latest = |k: Kind, n: usize| -> Vec<PageView> {
                    site.of_kind(k)
                        .take(n)
                        .map(|(_, p)| page_view(site, p, false))
                        .collect()
                };
                ctx.insert("open_challenges", &open);
                ctx.insert("open_count", &open_count);
                ctx.insert("challenge_count", &site.of_kind(Kind::Challenge).count());
                ctx.insert("latest_cases", &latest(Kind::Case, 3));
                ctx.insert("latest_columns", &latest(Kind::Column, 3));
                ctx.insert("intro", &site.home.html);
                ctx.insert("home_title", &site.home.title);
                ctx.insert("sections", &section_links(site));
                ctx.insert(
                    "regions",
                    &site
                        .taxonomy(TaxonomyKind::Prefecture)
                        .map(|t| taxonomy_groups(t, "prefecture")),
                );
                // The home page has no visible breadcrumb trail, only its structured data.
                insert_jsonld(&mut ctx, site, &[home], Vec::new());
                ctx.insert(
                    "meta",
                    &Meta {
                        path: c.urls().home(),
                        title: c.title.clone(),
                        description: site
                            .home
                            .summary
                            .clone()
                            .unwrap_or_else(|| c.description.clone()),
                        canonical: c.urls().absolute(&c.urls().home()),
                        og_type: "website",
                        image: default_image(site),
                        image_alt: String::new(),
                        feed: Some(c.urls().feed(&c.urls().home())),
                        json_feed: Some(c.urls().json_feed()),
                    },
                );
                self.render("home.html", &ctx)
            }
            Job::NotFound => {
                ctx.insert(
                    "meta",
                    &Meta {
                        path: c.urls().not_found(),
                        title: format!("ページが見つかりません | {}", c.title),
                        description: c.description.clone(),
                        canonical: c.urls().absolute(&c.urls().not_found()),
                        og_type: "website",
                        image: None,
                        image_alt: String::new(),
                        feed: None,
                        json_feed: None,
                    },
                );
                ctx.insert("sections", &section_links(site));
                self.render("404.html", &ctx)
            }
            Job::Section(kind, number, total) => {
                let idx = &site.sections[&kind];
                let pages = &lists.sections[&kind];
                let base = site.config.urls().section(kind);
                let url = c.urls().pager(&base, number);
                ctx.insert(
                    "section",
                    &serde_json::json!({
                        "kind": kind.id(),
                        "title": idx.title,
                        "intro": if number == 1 { idx.html.as_str() } else { "" },
                        "url": base,
                        "count": pages.len(),
                        "open_count": taxonomy::open_count(site, pages),
                    }),
                );
                self.list_context(site, &mut ctx, pages, &base, number, total);
                ctx.insert("facets", &lists.facets[&kind]);
                let crumbs = [
                    home,
                    Crumb {
                        name: idx.title.clone(),
                        url: base.clone(),
                    },
                ];
                insert_crumbs(&mut ctx, site, &crumbs, Vec::new());
                ctx.insert(
                    "meta",
                    &Meta {
                        path: url.clone(),
                        title: format!("{}{} | {}", idx.title, page_suffix(number), c.title),
                        description: idx
                            .summary
                            .clone()
                            .unwrap_or_else(|| format!("{}の{}一覧です。", c.title, kind.label())),
                        canonical: c.urls().absolute(&url),
                        og_type: "website",
                        image: default_image(site),
                        image_alt: String::new(),
                        feed: Some(c.urls().feed(&base)),
                        json_feed: (kind == Kind::Challenge).then(|| c.urls().json_feed()),
                    },
                );
                self.render("section.html", &ctx)
            }
            Job::Status(open, number, total) => {
                let pages = lists.status(open);
                let label = if open { "募集中" } else { "募集終了" };
                let base = c.urls().status(open);
                let term = serde_json::json!({
                    "name": label,
                    "url": base,
                    "taxonomy": "募集状況",
                    "taxonomy_url": site.config.urls().section(Kind::Challenge),
                    "count": pages.len(),
                    "open_count": if open { pages.len() } else { 0 },
                    "heading": format!("{label}の課題"),
                    "feed": serde_json::Value::Null,
                });
                let crumbs = [
                    home,
                    Crumb {
                        name: site.sections[&Kind::Challenge].title.clone(),
                        url: site.config.urls().section(Kind::Challenge),
                    },
                    Crumb {
                        name: label.into(),
                        url: base.clone(),
                    },
                ];
                self.term_context(
                    site,
                    &mut ctx,
                    term,
                    pages,
                    &base,
                    number,
                    total,
                    &crumbs,
                    format!("{label}の課題"),
                );
                self.render("term.html", &ctx)
            }
            Job::TaxonomyIndex(ti) => {
                let t = &site.taxonomies[ti];
                let title = t.kind.title();
                ctx.insert(
                    "taxonomy",
                    &serde_json::json!({
                        "key": t.kind.key(),
                        "title": title,
                        "url": t.url,
                        "count": t.terms.len(),
                    }),
                );
                ctx.insert("groups", &taxonomy_groups(t, t.kind.key()));
                let crumbs = [
                    home,
                    Crumb {
                        name: title.into(),
                        url: t.url.clone(),
                    },
                ];
                insert_crumbs(&mut ctx, site, &crumbs, Vec::new());
                ctx.insert(
                    "meta",
                    &Meta {
                        path: t.url.clone(),
                        title: format!("{title}から探す | {}", c.title),
                        description: format!(
                            "{}に掲載している課題・事例を{title}から探せます。",
                            c.title
                        ),
                        canonical: c.urls().absolute(&t.url),
                        og_type: "website",
                        image: default_image(site),
                        image_alt: String::new(),
                        feed: None,
                        json_feed: None,
                    },
                );
                self.render("taxonomy.html", &ctx)
            }
            Job::Term(ti, xi, number, total) => {
                let t = &site.taxonomies[ti];
                let term = &t.terms[xi];
                let heading = term_heading(t, term);
                let feed = has_feed(t.kind).then(|| c.urls().feed(&term.url));
                let value = serde_json::json!({
                    "name": term.name,
                    "url": term.url,
                    "taxonomy": t.kind.title(),
                    "taxonomy_key": t.kind.key(),
                    "taxonomy_url": t.url,
                    "count": term.pages.len(),
                    "open_count": term.open,
                    "heading": heading,
                    "region": term.region,
                    "feed": feed,
                });
                let crumbs = [
                    home,
                    Crumb {
                        name: t.kind.title().into(),
                        url: t.url.clone(),
                    },
                    Crumb {
                        name: term.name.clone(),
                        url: term.url.clone(),
                    },
                ];
                self.term_context(
                    site,
                    &mut ctx,
                    value,
                    &term.pages,
                    &term.url,
                    number,
                    total,
                    &crumbs,
                    heading,
                );
                self.render("term.html", &ctx)
            }
            Job::Thanks => {
                let url = c.urls().thanks();
                let crumbs = [
                    home,
                    Crumb {
                        name: "送信しました".into(),
                        url: url.clone(),
                    },
                ];
                insert_crumbs(&mut ctx, site, &crumbs, Vec::new());
                ctx.insert("sections", &section_links(site));
                ctx.insert(
                    "meta",
                    &Meta {
                        path: url.clone(),
                        title: format!("送信しました | {}", c.title),
                        description: format!("{}へのお問い合わせ・応募を受け付けました。", c.title),
                        canonical: c.urls().absolute(&url),
                        og_type: "website",
                        image: None,
                        image_alt: String::new(),
                        feed: None,
                        json_feed: None,
                    },
                );
                self.render("thanks.html", &ctx)
            }
            Job::MunicipalityIndex => {
                let idx = &site.sections[&Kind::Municipality];
                let url = c.urls().municipalities();
                let mut by_pref: BTreeMap<u8, Subgroup> = BTreeMap::new();
                for m in &site.municipalities {
                    let code = japan::prefecture_code(&m.prefecture).unwrap_or(99);
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
                ctx.insert("index", &serde_json::json!({ "title": idx.title, "intro": idx.html, "count": site.municipalities.len() }));
                ctx.insert("prefectures", &by_pref.into_values().collect::<Vec<_>>());
                let crumbs = [
                    home,
                    Crumb {
                        name: idx.title.clone(),
                        url: url.clone(),
                    },
                ];
                insert_crumbs(&mut ctx, site, &crumbs, Vec::new());
                ctx.insert(
                    "meta",
                    &Meta {
                        path: url.clone(),
                        title: format!("{} | {}", idx.title, c.title),
                        description: idx.summary.clone().unwrap_or_else(|| {
                            format!("{}に課題・事例を掲載している自治体の一覧です。", c.title)
                        }),
                        canonical: c.urls().absolute(&url),
                        og_type: "website",
                        image: default_image(site),
                        image_alt: String::new(),
                        feed: None,
                        json_feed: None,
                    },
                );
                self.render("municipalities.html", &ctx)
            }
            Job::Municipality(mi) => {
                let m = &site.municipalities[mi];
                let profile = m.profile.map(|i| &site.pages[i]);
                let (website, contact) = match profile.map(|p| &p.extra) {
                    Some(Extra::Municipality(pr)) => (pr.website.as_deref(), pr.contact.as_deref()),
                    _ => (None, None),
                };
                let challenges: Vec<PageView> = m
                    .pages
                    .iter()
                    .map(|&i| &site.pages[i])
                    .filter(|p| p.kind == Kind::Challenge)
                    .map(|p| page_view(site, p, false))
                    .collect();
                let cases: Vec<PageView> = m
                    .pages
                    .iter()
                    .map(|&i| &site.pages[i])
                    .filter(|p| p.kind == Kind::Case)
                    .map(|p| page_view(site, p, false))
                    .collect();
                let name = format!("{} {}", m.prefecture, m.name);
                let image =
                    profile.and_then(|p| p.common.image.as_deref().map(|i| image_url(site, p, i)));
                ctx.insert(
                    "municipality",
                    &serde_json::json!({
                        "name": m.name,
                        "prefecture": m.prefecture,
                        "prefecture_url": prefecture_url(site, &m.prefecture),
                        "region": japan::region_of(&m.prefecture),
                        "url": m.url,
                        "count": m.pages.len(),
                        "open_count": m.open,
                        "content": profile.map(|p| p.body.html.as_str()),
                        "summary": profile.map(|p| p.summary.as_str()),
                        "website": website,
                        "contact": contact,
                        "image": image,
                        "image_alt": profile.and_then(|p| p.common.image_alt.as_deref()).unwrap_or(""),
                        "updated": profile.and_then(|p| p.common.updated).map(|d| d.date_in(c.timezone).to_string()),
                        "updated_ja": profile.and_then(|p| p.common.updated).map(|d| d.date_in(c.timezone).japanese()),
                    }),
                );
                ctx.insert("challenges", &challenges);
                ctx.insert("cases", &cases);
                let crumbs = [
                    home,
                    Crumb {
                        name: site.sections[&Kind::Municipality].title.clone(),
                        url: c.urls().municipalities(),
                    },
                    Crumb {
                        name: name.clone(),
                        url: m.url.clone(),
                    },
                ];
                let org = serde_json::json!({
                    "@type": "GovernmentOrganization",
                    "name": m.name,
                    "url": website,
                    "address": { "@type": "PostalAddress", "addressLocality": m.name, "addressRegion": m.prefecture, "addressCountry": "JP" },
                });
                insert_crumbs(&mut ctx, site, &crumbs, vec![org]);
                ctx.insert(
                    "meta",
                    &Meta {
                        path: m.url.clone(),
                        title: format!("{name}の課題・事例 | {}", c.title),
                        description: profile
                            .map(|p| p.summary.clone())
                            .filter(|s| !s.is_empty())
                            .unwrap_or_else(|| format!("{name}が町の外の人と一緒に取り組みたい課題と、これまでの事例です。")),
                        canonical: c.urls().absolute(&m.url),
                        og_type: "website",
                        image: image.map(|i| c.urls().absolute_if_site(&i)).or_else(|| default_image(site)),
                        image_alt: String::new(),
                        feed: None,
                        json_feed: None,
                    },
                );
                self.render("municipality.html", &ctx)
            }
        }
    }

    /// The search page, once the index exists: `manifest` is the site path of its manifest.
    /// Returns a template problem as a diagnostic; I/O errors as errors.
    pub fn render_search(
        &self,
        site: &Site,
        manifest: &str,
        sink: &dyn Sink,
    ) -> std::io::Result<Option<Diagnostic>> {
        let c = &site.config;
        let url = c.urls().search();
        let mut ctx = Context::new();
        let browse: Vec<MenuItem> = site
            .taxonomies
            .iter()
            .map(|t| MenuItem {
                name: format!("{}から探す", t.kind.title()),
                url: t.url.clone(),
            })
            .chain(Kind::SECTIONS.iter().map(|k| MenuItem {
                name: site.sections[k].title.clone(),
                url: site.config.urls().section(*k),
            }))
            .chain([MenuItem {
                name: site.sections[&Kind::Municipality].title.clone(),
                url: c.urls().municipalities(),
            }])
            .collect();
        ctx.insert("search", &serde_json::json!({ "manifest": manifest, "script": c.urls().asset("search.js"), "url": url }));
        ctx.insert("browse", &browse);
        let crumbs = [
            Crumb {
                name: "ホーム".into(),
                url: c.urls().home(),
            },
            Crumb {
                name: "サイト内検索".into(),
                url: url.clone(),
            },
        ];
        insert_crumbs(&mut ctx, site, &crumbs, Vec::new());
        ctx.insert(
            "meta",
            &Meta {
                path: url.clone(),
                title: format!("サイト内検索 | {}", c.title),
                description: format!("{}の課題・事例・コラムを検索できます。", c.title),
                canonical: c.urls().absolute(&url),
                og_type: "website",
                image: default_image(site),
                image_alt: String::new(),
                feed: None,
                json_feed: None,
            },
        );
        match self.render("search.html", &ctx) {
            Ok(bytes) => sink
                .write(&c.urls().output_path(&url), &bytes)
                .map(|_| None),
            Err(d) => Ok(Some(d)),
        }
    }

    /// Cards and pager of one page of a paginated list.
    fn list_context(
        &self,
        site: &Site,
        ctx: &mut Context,
        pages: &[usize],
        base: &str,
        number: usize,
        total: usize,
    ) {
        let per = site.config.paginate_by;
        let items: Vec<PageView> = pages
            .iter()
            .skip((number - 1) * per)
            .take(per)
            .map(|&i| page_view(site, &site.pages[i], false))
            .collect();
        ctx.insert("pages", &items);
        ctx.insert("pager", &pager(site.config.urls(), base, number, total));
    }

    #[allow(clippy::too_many_arguments)]
    fn term_context(
        &self,
        site: &Site,
        ctx: &mut Context,
        term: serde_json::Value,
        pages: &[usize],
        base: &str,
        number: usize,
        total: usize,
        crumbs: &[Crumb],
        heading: String,
    ) {
        let c = &site.config;
        let url = c.urls().pager(base, number);
        let feed = term
            .get("feed")
            .and_then(|f| f.as_str())
            .map(str::to_string);
        ctx.insert("term", &term);
        self.list_context(site, ctx, pages, base, number, total);
        insert_crumbs(ctx, site, crumbs, Vec::new());
        ctx.insert(
            "meta",
            &Meta {
                path: url.clone(),
                title: format!("{heading}{} | {}", page_suffix(number), c.title),
                description: format!(
                    "{}に掲載している{heading}です（{}件）。",
                    c.title,
                    pages.len()
                ),
                canonical: c.urls().absolute(&url),
                og_type: "website",
                image: default_image(site),
                image_alt: String::new(),
                feed,
                json_feed: None,
            },
        );
    }
}

/// The page's JSON-LD: a `BreadcrumbList` of `crumbs`, then `nodes`.
fn insert_jsonld(ctx: &mut Context, site: &Site, crumbs: &[Crumb], nodes: Vec<serde_json::Value>) {
    let ld: Vec<(&str, &str)> = crumbs
        .iter()
        .map(|c| (c.name.as_str(), c.url.as_str()))
        .collect();
    let mut all = vec![structured::breadcrumb_list(site, &ld)];
    all.extend(nodes);
    ctx.insert("jsonld", &structured::script_json(&structured::graph(all)));
}

/// The breadcrumb trail, shown and as JSON-LD (with `nodes` after it).
fn insert_crumbs(ctx: &mut Context, site: &Site, crumbs: &[Crumb], nodes: Vec<serde_json::Value>) {
    insert_jsonld(ctx, site, crumbs, nodes);
    ctx.insert("breadcrumbs", crumbs);
}

/// Prefecture and theme terms have their own Atom feed.
pub fn has_feed(kind: TaxonomyKind) -> bool {
    matches!(kind, TaxonomyKind::Prefecture | TaxonomyKind::Themes)
}

fn term_heading(t: &Taxonomy, term: &Term) -> String {
    match t.kind {
        TaxonomyKind::Prefecture => format!("{}の課題・事例", term.name),
        TaxonomyKind::Themes => format!("テーマ「{}」の課題・事例", term.name),
        TaxonomyKind::WorkStyle => format!("働き方「{}」の課題", term.name),
        TaxonomyKind::Engagement => format!("関わり方「{}」の課題", term.name),
        TaxonomyKind::Skills => format!("スキル「{}」を求める課題", term.name),
        TaxonomyKind::Tags => format!("タグ「{}」のページ", term.name),
    }
}

fn page_suffix(number: usize) -> String {
    if number > 1 {
        format!("（{number}ページ目）")
    } else {
        String::new()
    }
}

/// Previous/next links and a window of page numbers: the first, the last, and two on each
/// side of the current one, with gaps between (`1 … 4 5 [6] 7 8 … 417`).
fn pager(urls: Urls<'_>, base: &str, number: usize, total: usize) -> Pager {
    let mut pages = Vec::new();
    let mut last = 0;
    for n in 1..=total {
        if n == 1 || n == total || n.abs_diff(number) <= 2 {
            if last != 0 && n > last + 1 {
                pages.push(PagerLink {
                    number: 0,
                    url: String::new(),
                    current: false,
                    gap: true,
                });
            }
            pages.push(PagerLink {
                number: n,
                url: urls.pager(base, n),
                current: n == number,
                gap: false,
            });
            last = n;
        }
    }
    Pager {
        current: number,
        total,
        prev: (number > 1).then(|| urls.pager(base, number - 1)),
        next: (number < total).then(|| urls.pager(base, number + 1)),
        pages,
    }
}

/// Challenges with (or without) an open status, newest first.
pub fn status_pages(site: &Site, open: bool) -> Vec<usize> {
    site.of_kind(Kind::Challenge)
        .filter(|(_, p)| p.status.is_some_and(Status::is_open) == open)
        .map(|(i, _)| i)
        .collect()
}

fn prefecture_url(site: &Site, prefecture: &str) -> Option<String> {
    let t = site.taxonomy(TaxonomyKind::Prefecture)?;
    t.term(japan::prefecture_slug(prefecture)?)
        .map(|term| term.url.clone())
}

/// Links to the term pages of the given names (plain text when the taxonomy is off).
fn term_links(site: &Site, kind: TaxonomyKind, names: &[String]) -> Vec<TermLink> {
    let t = site.taxonomy(kind);
    names
        .iter()
        .map(|n| TermLink {
            name: n.clone(),
            url: t
                .and_then(|t| t.term(&taxonomy::term_slug(n)))
                .map(|x| x.url.clone()),
        })
        .collect()
}

/// Groups of a taxonomy's terms for index pages and facets: prefectures by region, others flat.
fn taxonomy_groups(t: &Taxonomy, key: &str) -> Group {
    let item = |term: &Term| GroupItem {
        name: term.name.clone(),
        url: term.url.clone(),
        count: term.pages.len(),
        open: term.open,
    };
    let subgroups = if t.kind == TaxonomyKind::Prefecture {
        japan::REGIONS
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
        title: t.kind.title().into(),
        key: key.into(),
        count: t.terms.len(),
        subgroups,
    }
}

/// The filter bar of a section list: links to the pre-rendered term pages, counting only pages
/// of that section's kind, plus the status pages for challenges.
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
    let mut groups = Vec::new();
    for &tk in wanted {
        let Some(t) = site.taxonomy(tk) else { continue };
        let mut g = taxonomy_groups(t, tk.key());
        for sg in &mut g.subgroups {
            sg.items.retain_mut(|item| {
                let term = t
                    .terms
                    .iter()
                    .find(|x| x.url == item.url)
                    .expect("item comes from the taxonomy");
                item.count = term
                    .pages
                    .iter()
                    .filter(|&&i| site.pages[i].kind == kind)
                    .count();
                item.count > 0
            });
        }
        g.subgroups.retain(|s| !s.items.is_empty());
        g.count = g.subgroups.iter().map(|s| s.items.len()).sum();
        if g.count > 0 {
            groups.push(g);
        }
    }
    if kind == Kind::Challenge {
        let items: Vec<GroupItem> = [true, false]
            .iter()
            .map(|&open| {
                let n = status_pages(site, open).len();
                GroupItem {
                    name: if open { "募集中" } else { "募集終了" }.into(),
                    url: site.config.urls().status(open),
                    count: n,
                    open: if open { n } else { 0 },
                }
            })
            .filter(|i| i.count > 0)
            .collect();
        if !items.is_empty() {
            groups.push(Group {
                title: "募集状況".into(),
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

fn default_menu(site: &Site) -> Vec<MenuItem> {
    let mut m: Vec<MenuItem> = Kind::SECTIONS
        .iter()
        .map(|k| MenuItem {
            name: site.sections[k].title.clone(),
            url: site.config.urls().section(*k),
        })
        .collect();
    if let Some(t) = site.taxonomy(TaxonomyKind::Prefecture) {
        m.push(MenuItem {
            name: "地域から探す".into(),
            url: t.url.clone(),
        });
    }
    if let Some((_, about)) = site.of_kind(Kind::Page).find(|(_, p)| p.slug == "about") {
        m.push(MenuItem {
            name: about.common.title.clone(),
            url: about.url.clone(),
        });
    }
    m
}

fn section_links(site: &Site) -> Vec<serde_json::Value> {
    Kind::SECTIONS
        .iter()
        .map(|k| {
            serde_json::json!({
                "kind": k.id(),
                "title": site.sections[k].title,
                "url": site.config.urls().section(*k),
                "count": site.of_kind(*k).count(),
            })
        })
        .collect()
}

/// Public URL of a page's `image`: bundle-relative, site-absolute or external.
pub fn image_url(site: &Site, p: &Page, img: &str) -> String {
    site.config.urls().image(&p.url, p.bundle.is_some(), img)
}

fn default_image(site: &Site) -> Option<String> {
    let img = site.config.default_image.as_deref()?;
    Some(site.config.urls().default_image(img))
}

pub fn link_view(p: &Page) -> LinkView<'_> {
    let place = match &p.extra {
        Extra::Challenge(c) => Some(format!("{} {}", c.prefecture, c.municipality)),
        Extra::Case(c) => Some(format!("{} {}", c.prefecture, c.municipality)),
        _ => None,
    };
    LinkView {
        title: &p.common.title,
        url: &p.url,
        kind: p.kind.id(),
        kind_label: p.kind.label(),
        status: p.status.map(Status::id),
        status_label: p.status.map(Status::label),
        place,
    }
}

fn page_view<'a>(site: &'a Site, p: &'a Page, full: bool) -> PageView<'a> {
    let tz = site.config.timezone;
    // Term links are only shown on full pages; cards stay light.
    let links = |kind: TaxonomyKind, names: &[String]| -> Vec<TermLink> {
        if full {
            term_links(site, kind, names)
        } else {
            names
                .iter()
                .map(|n| TermLink {
                    name: n.clone(),
                    url: None,
                })
                .collect()
        }
    };
    let municipality_url = site.municipality_of(p).map(|m| m.url.as_str());
    let challenge = match &p.extra {
        Extra::Challenge(c) => {
            let status = p.status.unwrap_or(Status::Open);
            let deadline = c.deadline.map(|d| d.date_in(tz));
            Some(ChallengeView {
                municipality: &c.municipality,
                municipality_url,
                prefecture: &c.prefecture,
                prefecture_url: if full {
                    prefecture_url(site, &c.prefecture)
                } else {
                    None
                },
                region: japan::region_of(&c.prefecture).unwrap_or(""),
                organization: c.organization.as_deref(),
                themes: links(TaxonomyKind::Themes, &c.themes),
                work_style: c.work_style.map(|w| w.id()),
                work_style_label: c.work_style.map(|w| w.label()),
                work_style_url: c.work_style.and_then(|w| {
                    let t = site.taxonomy(TaxonomyKind::WorkStyle)?;
                    full.then(|| t.term(w.id()).map(|x| x.url.clone()))
                        .flatten()
                }),
                engagement: links(TaxonomyKind::Engagement, &c.engagement),
                reward: c.reward.as_deref(),
                duration: c.duration.as_deref(),
                visits: c.visits.as_deref(),
                capacity: c.capacity.as_deref(),
                deadline: deadline.map(|d| d.to_string()),
                deadline_ja: deadline.map(|d| format!("{}（{}）", d.japanese(), d.weekday_ja())),
                days_left: p.days_left,
                status: status.id(),
                status_label: status.label(),
                is_open: status.is_open(),
                skills: links(TaxonomyKind::Skills, &c.skills),
            })
        }
        _ => None,
    };
    let case = match &p.extra {
        Extra::Case(c) => Some(CaseView {
            municipality: &c.municipality,
            municipality_url,
            prefecture: &c.prefecture,
            prefecture_url: if full {
                prefecture_url(site, &c.prefecture)
            } else {
                None
            },
            themes: links(TaxonomyKind::Themes, &c.themes),
        }),
        _ => None,
    };
    let author = match &p.extra {
        Extra::Column(c) => c.author.as_deref(),
        _ => None,
    };
    PageView {
        kind: p.kind.id(),
        kind_label: p.kind.label(),
        slug: &p.slug,
        url: &p.url,
        permalink: site.config.urls().absolute(&p.url),
        title: &p.common.title,
        summary: &p.summary,
        date: p.common.date.map(|d| d.date_in(tz).to_string()),
        date_ja: p.common.date.map(|d| d.date_in(tz).japanese()),
        updated: p.common.updated.map(|d| d.date_in(tz).to_string()),
        updated_ja: p.common.updated.map(|d| d.date_in(tz).japanese()),
        image: p.common.image.as_deref().map(|i| image_url(site, p, i)),
        image_alt: p.common.image_alt.as_deref().unwrap_or(""),
        tags: links(TaxonomyKind::Tags, &p.common.tags),
        author,
        content: full.then_some(p.body.html.as_str()),
        toc: if full { &p.body.headings } else { &[] },
        challenge,
        case,
        form: if full { form_view(site, p) } else { None },
        related: if full {
            p.related
                .iter()
                .map(|&i| link_view(&site.pages[i]))
                .collect()
        } else {
            Vec::new()
        },
        similar: if full {
            p.similar
                .iter()
                .map(|&i| link_view(&site.pages[i]))
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// The form a page shows: none on closed challenges.
fn form_view(site: &Site, p: &Page) -> Option<crate::forms::FormView> {
    let c = &site.config;
    let challenge = match &p.extra {
        Extra::Challenge(ch) => Some(ch),
        _ => None,
    };
    if challenge.is_some() && !p.status.is_some_and(Status::is_open) {
        return None;
    }
    let handler = c.forms.handler_for(&p.common.form, challenge.is_some())?;
    let ctx = crate::forms::FormContext {
        challenge: challenge.map(|_| p.common.title.as_str()),
        municipality: challenge.map(|ch| ch.municipality.as_str()),
        recipient: challenge
            .map(|ch| {
                ch.organization
                    .clone()
                    .unwrap_or_else(|| ch.municipality.clone())
            })
            .unwrap_or_else(|| c.organization.clone()),
        page_url: c.urls().absolute(&p.url),
        slug: &p.slug,
        thanks_url: c.urls().absolute(&c.urls().thanks()),
        privacy_url: c.urls().privacy(),
    };
    Some(handler.view(&ctx))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> Urls<'static> {
        Urls::new("https://e.jp/", "/")
    }

    fn shown(number: usize, total: usize) -> Vec<String> {
        pager(urls(), "/x/", number, total)
            .pages
            .iter()
            .map(|l| {
                if l.gap {
                    "…".into()
                } else {
                    l.number.to_string()
                }
            })
            .collect()
    }

    #[test]
    fn pager_shows_a_window_with_gaps() {
        assert_eq!(shown(1, 1), ["1"]);
        assert_eq!(shown(2, 5), ["1", "2", "3", "4", "5"]);
        assert_eq!(
            shown(6, 417),
            ["1", "…", "4", "5", "6", "7", "8", "…", "417"]
        );
        assert_eq!(shown(1, 417), ["1", "2", "3", "…", "417"]);
        assert_eq!(shown(417, 417), ["1", "…", "415", "416", "417"]);
        assert_eq!(shown(4, 10), ["1", "2", "3", "4", "5", "6", "…", "10"]);
        let p = pager(urls(), "/x/", 1, 3);
        assert_eq!(p.pages[1].url, "/x/page/2/");
        assert_eq!(p.prev, None);
        assert_eq!(p.next.as_deref(), Some("/x/page/2/"));
    }
}
