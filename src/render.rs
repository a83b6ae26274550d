//! The only module that knows tera: turns the [`Site`] into HTML files through the theme's
//! templates. Every value reaches templates as data and is HTML-escaped by tera's autoescape
//! (templates end in `.html`); only Markdown output, already sanitised, is marked safe.
//! Rendering is pure (site + templates → bytes), so pages render in parallel without locks.

use crate::content::{Extra, Kind};
use crate::diagnostics::{Diagnostic, Problem};
use crate::japan;
use crate::markdown::Heading;
use crate::output::OutputFile;
use crate::site::{Page, Site, Status};
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 8] = [
    "base.html",
    "home.html",
    "section.html",
    "challenge.html",
    "case.html",
    "column.html",
    "page.html",
    "404.html",
];

pub struct Renderer {
    tera: Tera,
    origins: std::collections::HashMap<String, String>,
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
    menu: Vec<crate::config::MenuItem>,
    footer_menu: Vec<crate::config::MenuItem>,
    build_date: String,
    build_date_ja: String,
    year: i32,
    generator: &'static str,
    feed_url: String,
    search_url: String,
}

#[derive(Serialize)]
pub struct LinkView<'a> {
    title: &'a str,
    url: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    status: Option<&'static str>,
    status_label: Option<&'static str>,
}

#[derive(Serialize)]
struct ChallengeView<'a> {
    municipality: &'a str,
    prefecture: &'a str,
    region: &'static str,
    organization: Option<&'a str>,
    themes: &'a [String],
    work_style: Option<&'static str>,
    work_style_label: Option<&'static str>,
    engagement: &'a [String],
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
    skills: &'a [String],
}

#[derive(Serialize)]
struct CaseView<'a> {
    municipality: &'a str,
    prefecture: &'a str,
    themes: &'a [String],
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
    tags: &'a [String],
    author: Option<&'a str>,
    content: Option<&'a str>,
    toc: &'a [Heading],
    challenge: Option<ChallengeView<'a>>,
    case: Option<CaseView<'a>>,
    related: Vec<LinkView<'a>>,
}

/// Head metadata of one output page.
#[derive(Serialize)]
struct Meta {
    /// Site path of the page (`/challenges/`), to mark the current menu item.
    path: String,
    title: String,
    description: String,
    canonical: String,
    og_type: &'static str,
    image: Option<String>,
    image_alt: String,
    feed: Option<String>,
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

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
}

impl Renderer {
    /// Compiles the theme's templates; problems name the template file.
    pub fn new(theme: &Theme, site: &Site) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let mut diags = Vec::new();
        let mut origins = std::collections::HashMap::new();
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
        if !diags.is_empty() {
            return Err(diags);
        }
        let c = &site.config;
        let menu = c.menu.clone().unwrap_or_else(|| default_menu(site));
        let footer_menu = c.footer_menu.clone().unwrap_or_else(|| {
            site.of_kind(Kind::Page)
                .map(|(_, p)| crate::config::MenuItem {
                    name: p.common.title.clone(),
                    url: p.url.clone(),
                })
                .collect()
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
            feed_url: format!("{}atom.xml", c.base_path),
            search_url: format!("{}search/", c.base_path),
        };
        tera.global_context().insert("site", &view);
        Ok(Renderer { tera, origins })
    }

    fn render(
        &self,
        template: &str,
        ctx: &Context,
        out_path: String,
    ) -> Result<OutputFile, Diagnostic> {
        match self.tera.render(template, ctx) {
            Ok(s) => Ok(OutputFile {
                path: out_path,
                bytes: s.into_bytes(),
            }),
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

    /// Renders every HTML page of the site.
    pub fn render_site(&self, site: &Site) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
        jobs.push(Job::Home);
        jobs.push(Job::NotFound);
        for k in Kind::SECTIONS {
            let n = site.of_kind(k).count();
            let total = n.div_ceil(site.config.paginate_by).max(1);
            jobs.extend((1..=total).map(|p| Job::Section(k, p, total)));
        }
        let results: Vec<Result<OutputFile, Diagnostic>> =
            jobs.par_iter().map(|j| self.render_job(site, j)).collect();
        let mut files = Vec::with_capacity(results.len());
        let mut diags = Vec::new();
        for r in results {
            match r {
                Ok(f) => files.push(f),
                Err(d) => {
                    if !diags.contains(&d) {
                        diags.push(d)
                    }
                }
            }
        }
        (files, diags)
    }

    fn render_job(&self, site: &Site, job: &Job) -> Result<OutputFile, Diagnostic> {
        let c = &site.config;
        let mut ctx = Context::new();
        match *job {
            Job::Page(i) => {
                let p = &site.pages[i];
                let view = page_view(site, p, true);
                let meta = Meta {
                    path: p.url.clone(),
                    title: format!("{} | {}", p.common.title, c.title),
                    description: p.summary.clone(),
                    canonical: c.absolute(&p.url),
                    og_type: "article",
                    image: view
                        .image
                        .as_deref()
                        .map(|i| absolute_image(c, i))
                        .or_else(|| default_image(site)),
                    image_alt: p.common.image_alt.clone().unwrap_or_default(),
                    feed: (p.kind != Kind::Page)
                        .then(|| format!("{}atom.xml", site.section_url(p.kind))),
                };
                let mut crumbs = vec![Crumb {
                    name: "ホーム".into(),
                    url: c.base_path.clone(),
                }];
                if p.kind != Kind::Page {
                    crumbs.push(Crumb {
                        name: site.sections[&p.kind].title.clone(),
                        url: site.section_url(p.kind),
                    });
                }
                crumbs.push(Crumb {
                    name: p.common.title.clone(),
                    url: p.url.clone(),
                });
                ctx.insert("page", &view);
                ctx.insert("meta", &meta);
                ctx.insert("breadcrumbs", &crumbs);
                let template = match p.kind {
                    Kind::Challenge => "challenge.html",
                    Kind::Case => "case.html",
                    Kind::Column => "column.html",
                    Kind::Page => "page.html",
                };
                self.render(template, &ctx, out_path(c, &p.url))
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
                    "meta",
                    &Meta {
                        path: c.base_path.clone(),
                        title: c.title.clone(),
                        description: site
                            .home
                            .summary
                            .clone()
                            .unwrap_or_else(|| c.description.clone()),
                        canonical: c.base_url.clone(),
                        og_type: "website",
                        image: default_image(site),
                        image_alt: String::new(),
                        feed: Some(format!("{}atom.xml", c.base_path)),
                    },
                );
                self.render("home.html", &ctx, "index.html".into())
            }
            Job::NotFound => {
                ctx.insert(
                    "meta",
                    &Meta {
                        path: format!("{}404.html", c.base_path),
                        title: format!("ページが見つかりません | {}", c.title),
                        description: c.description.clone(),
                        canonical: c.absolute(&format!("{}404.html", c.base_path)),
                        og_type: "website",
                        image: None,
                        image_alt: String::new(),
                        feed: None,
                    },
                );
                ctx.insert("sections", &section_links(site));
                self.render("404.html", &ctx, "404.html".into())
            }
            Job::Section(kind, number, total) => {
                let idx = &site.sections[&kind];
                let mut pages: Vec<&Page> = site.of_kind(kind).map(|(_, p)| p).collect();
                if kind == Kind::Challenge {
                    // Open challenges first, each group newest first (the order is already newest first).
                    pages.sort_by_key(|p| !p.status.is_some_and(Status::is_open));
                }
                let per = c.paginate_by;
                let items: Vec<PageView> = pages
                    .iter()
                    .skip((number - 1) * per)
                    .take(per)
                    .map(|p| page_view(site, p, false))
                    .collect();
                let base = site.section_url(kind);
                let page_url = |n: usize| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}page/{n}/")
                    }
                };
                let pager = Pager {
                    current: number,
                    total,
                    prev: (number > 1).then(|| page_url(number - 1)),
                    next: (number < total).then(|| page_url(number + 1)),
                    pages: (1..=total)
                        .map(|n| PagerLink {
                            number: n,
                            url: page_url(n),
                            current: n == number,
                        })
                        .collect(),
                };
                let url = page_url(number);
                let suffix = if number > 1 {
                    format!("（{number}ページ目）")
                } else {
                    String::new()
                };
                ctx.insert(
                    "section",
                    &serde_json::json!({
                        "kind": kind.id(),
                        "title": idx.title,
                        "intro": if number == 1 { idx.html.as_str() } else { "" },
                        "url": base,
                        "count": pages.len(),
                        "open_count": pages.iter().filter(|p| p.status.is_some_and(Status::is_open)).count(),
                    }),
                );
                ctx.insert("pages", &items);
                ctx.insert("pager", &pager);
                ctx.insert(
                    "breadcrumbs",
                    &[
                        Crumb {
                            name: "ホーム".into(),
                            url: c.base_path.clone(),
                        },
                        Crumb {
                            name: idx.title.clone(),
                            url: base.clone(),
                        },
                    ],
                );
                ctx.insert(
                    "meta",
                    &Meta {
                        path: url.clone(),
                        title: format!("{}{suffix} | {}", idx.title, c.title),
                        description: idx
                            .summary
                            .clone()
                            .unwrap_or_else(|| format!("{}の{}一覧です。", c.title, kind.label())),
                        canonical: c.absolute(&url),
                        og_type: "website",
                        image: default_image(site),
                        image_alt: String::new(),
                        feed: Some(format!("{base}atom.xml")),
                    },
                );
                self.render("section.html", &ctx, out_path(c, &url))
            }
        }
    }
}

enum Job {
    Page(usize),
    Home,
    NotFound,
    /// Section list: kind, page number (1-based), total pages.
    Section(Kind, usize, usize),
}

fn default_menu(site: &Site) -> Vec<crate::config::MenuItem> {
    let mut m: Vec<crate::config::MenuItem> = Kind::SECTIONS
        .iter()
        .map(|k| crate::config::MenuItem {
            name: site.sections[k].title.clone(),
            url: site.section_url(*k),
        })
        .collect();
    if let Some((_, about)) = site.of_kind(Kind::Page).find(|(_, p)| p.slug == "about") {
        m.push(crate::config::MenuItem {
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
                "url": site.section_url(*k),
                "count": site.of_kind(*k).count(),
            })
        })
        .collect()
}

/// Output file path of a site URL: `/challenges/a/` → `challenges/a/index.html`.
pub fn out_path(c: &crate::config::Config, url: &str) -> String {
    let rel = url
        .strip_prefix(c.base_path.as_str())
        .unwrap_or(url.trim_start_matches('/'));
    format!("{rel}index.html")
}

/// Public URL of a page's `image`: bundle-relative, site-absolute or external.
pub fn image_url(site: &Site, p: &Page, img: &str) -> String {
    let lower = img.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        img.to_string()
    } else if let Some(abs) = img.strip_prefix('/') {
        format!("{}{abs}", site.config.base_path)
    } else if p.bundle.is_some() {
        format!("{}{}", p.url, img.trim_start_matches("./"))
    } else {
        format!("{}{}", site.config.base_path, img.trim_start_matches("./"))
    }
}

fn absolute_image(c: &crate::config::Config, url: &str) -> String {
    if url.starts_with('/') {
        c.absolute(url)
    } else {
        url.to_string()
    }
}

fn default_image(site: &Site) -> Option<String> {
    let img = site.config.default_image.as_deref()?;
    let url = if let Some(abs) = img.strip_prefix('/') {
        format!("{}{abs}", site.config.base_path)
    } else {
        img.to_string()
    };
    Some(absolute_image(&site.config, &url))
}

pub fn link_view<'a>(p: &'a Page) -> LinkView<'a> {
    LinkView {
        title: &p.common.title,
        url: &p.url,
        kind: p.kind.id(),
        kind_label: p.kind.label(),
        status: p.status.map(Status::id),
        status_label: p.status.map(Status::label),
    }
}

fn page_view<'a>(site: &'a Site, p: &'a Page, full: bool) -> PageView<'a> {
    let tz = site.config.timezone;
    let challenge = match &p.extra {
        Extra::Challenge(c) => {
            let status = p.status.unwrap_or(Status::Open);
            let deadline = c.deadline.map(|d| d.date_in(tz));
            Some(ChallengeView {
                municipality: &c.municipality,
                prefecture: &c.prefecture,
                region: japan::region_of(&c.prefecture).unwrap_or(""),
                organization: c.organization.as_deref(),
                themes: &c.themes,
                work_style: c.work_style.map(|w| w.id()),
                work_style_label: c.work_style.map(|w| w.label()),
                engagement: &c.engagement,
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
                skills: &c.skills,
            })
        }
        _ => None,
    };
    let case = match &p.extra {
        Extra::Case(c) => Some(CaseView {
            municipality: &c.municipality,
            prefecture: &c.prefecture,
            themes: &c.themes,
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
        permalink: site.config.absolute(&p.url),
        title: &p.common.title,
        summary: &p.summary,
        date: p.common.date.map(|d| d.date_in(tz).to_string()),
        date_ja: p.common.date.map(|d| d.date_in(tz).japanese()),
        updated: p.common.updated.map(|d| d.date_in(tz).to_string()),
        updated_ja: p.common.updated.map(|d| d.date_in(tz).japanese()),
        image: p.common.image.as_deref().map(|i| image_url(site, p, i)),
        image_alt: p.common.image_alt.as_deref().unwrap_or(""),
        tags: &p.common.tags,
        author,
        content: full.then_some(p.html.as_str()),
        toc: if full { &p.headings } else { &[] },
        challenge,
        case,
        related: if full {
            p.related
                .iter()
                .map(|&i| link_view(&site.pages[i]))
                .collect()
        } else {
            Vec::new()
        },
    }
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
