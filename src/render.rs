//! Tera: templates compiled once per build, and the loop that turns every output's view into
//! bytes for a sink. What each template sees is built in `view`; this module only knows Tera.

use crate::config::MenuItem;
use crate::content::TaxonomyKind;
use crate::content::{Extra, Kind};
use crate::diagnostics::{Diagnostic, Problem};
use crate::output::Sink;
use crate::site::Site;
use crate::theme::Theme;
use crate::view::{self, Dep, Plan, Reader, View};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use tera::{Context, Tera};

mod assets;
mod cards;
pub use cards::CardCache;
use cards::Cards;

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 15] = [
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
    "keep.html",
];

pub struct Renderer {
    tera: Tera,
    origins: HashMap<String, String>,
    /// Hash of the templates and of the site-wide values every page shows (menus, title…).
    global: u64,
    /// Cards rendered once per build and reused (`card()` in `partials/cards.html`).
    cards: Cards,
    /// Site paths of the search script and of the modules it imports (preloaded).
    search_script: (String, Vec<String>),
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
    /// Site path of the 気になる page (`/kininaru/`), for the footer link.
    keep_url: String,
    /// The Content-Security-Policy for the `<meta>` element (`csp::Policy::meta`).
    csp: String,
}

/// What rendering some outputs gave: problems, and (when asked) what each output read.
pub struct Rendered {
    pub diagnostics: Vec<Diagnostic>,
    /// Per rendered output, in the order asked: its deps (empty unless recording).
    pub deps: Vec<Vec<Dep>>,
}

impl Renderer {
    /// Compiles the theme's templates; problems name the template file.
    pub fn new(theme: &Theme, site: &Site) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let cards = Cards::new(true);
        cards.register(&mut tera);
        let urls = site.config.urls();
        let asset_urls = assets::asset_urls(&theme.published, &urls);
        assets::register(&mut tera, asset_urls.clone(), urls.asset(""));
        let search_script = (
            urls.asset(asset_name(&theme.published, "search.js")),
            theme
                .published
                .imports("assets/search.js")
                .iter()
                .filter_map(|p| Some(urls.asset(p.strip_prefix("assets/")?)))
                .collect(),
        );
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
                    Problem::TemplateMissing {
                        name: name.to_string(),
                    },
                ));
            }
        }
        diags.extend(missing_layouts(theme, site));
        if !diags.is_empty() {
            return Err(diags);
        }
        let c = &site.config;
        let menu = c.menu.clone().unwrap_or_else(|| default_menu(site));
        let footer_menu = c
            .footer_menu
            .clone()
            .unwrap_or_else(|| default_footer_menu(site));
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
            build_date_ja: site.strings.date(site.today),
            year: site.today.year,
            generator: concat!("tsunagari ", env!("CARGO_PKG_VERSION")),
            feed_url: c.urls().feed(&c.urls().home()),
            accessibility: &c.accessibility,
            search: c.search,
            keep_url: c.urls().keep(),
            csp: crate::csp::Policy::for_site(&c.forms, &c.markdown.allow_iframes, &c.security)
                .meta(),
        };
        let global = {
            use std::hash::{Hash, Hasher};
            let mut h = rustc_hash::FxHasher::default();
            serde_json::to_vec(&view).unwrap_or_default().hash(&mut h);
            site.strings.hash(&mut h);
            for (name, file) in &theme.templates {
                (name, &file.bytes).hash(&mut h);
            }
            asset_urls.hash(&mut h);
            h.finish()
        };
        tera.global_context().insert("site", &view);
        tera.global_context().insert("strings", &*site.strings);
        cards.set_templates(tera.clone());
        Ok(Renderer {
            tera,
            origins,
            global,
            cards,
            search_script,
        })
    }

    /// The same renderer with the card cache off: every card is rendered where it appears.
    /// Only tests use it, to check that the cache changes no byte.
    #[doc(hidden)]
    pub fn without_card_cache(mut self) -> Renderer {
        self.cards = Cards::new(false);
        self.cards.register(&mut self.tera);
        self.cards.set_templates(self.tera.clone());
        self
    }

    /// The card cache (tests look at how many cards it holds).
    #[doc(hidden)]
    pub fn card_cache(&self) -> &CardCache {
        &self.cards.cache
    }

    fn render(&self, view: &View) -> Result<Vec<u8>, Diagnostic> {
        let template = view.template.as_str();
        let ctx = Context::from_serialize(&view.data).map_err(|e| {
            Diagnostic::error(
                template,
                Problem::Template {
                    detail: error_chain(&e),
                },
            )
        })?;
        // Straight into bytes: a String would re-validate every page as UTF-8.
        let mut bytes = Vec::with_capacity(32 * 1024);
        match self.tera.render_to(template, &ctx, &mut bytes) {
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

    /// Hash of what every output may show besides what its view reads through the reader
    /// (`Dep::Site`): the templates and site-wide values of the global context, the
    /// configuration, the build date and the home and section intros.
    pub fn site_value(&self, site: &Site) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        self.global.hash(&mut h);
        format!("{:?}", site.config).hash(&mut h);
        (site.now, site.today).hash(&mut h);
        format!("{:?} {:?}", site.home, site.sections).hash(&mut h);
        site.default_picture.as_ref().map(|p| &p.hash).hash(&mut h);
        h.finish()
    }

    /// Renders every HTML page of the site in parallel, handing each to `sink` as soon as it is
    /// rendered. Template problems come back as diagnostics; I/O errors stop the build.
    pub fn render_site(&self, site: &Site, sink: &dyn Sink) -> std::io::Result<Vec<Diagnostic>> {
        let plan = Plan::new(site);
        let all: Vec<usize> = (0..plan.len()).collect();
        Ok(self
            .render_outputs(site, &plan, &all, sink, false)?
            .diagnostics)
    }

    /// Renders the outputs `which` of `plan` in parallel into `sink`; with `record`, also what
    /// each of them read.
    pub fn render_outputs(
        &self,
        site: &Site,
        plan: &Plan,
        which: &[usize],
        sink: &dyn Sink,
        record: bool,
    ) -> std::io::Result<Rendered> {
        type One = std::io::Result<(Option<Diagnostic>, Vec<Dep>)>;
        // Cards are keyed by their whole input, so none could be stale; clearing keeps a long
        // preview session from piling up cards of old edits.
        self.cards.cache.clear();
        let results: Vec<One> = which
            .par_iter()
            .map(|&j| {
                let reader = Reader::new(site, &plan.lists, record);
                let view = view::build(&reader, &plan.outputs[j]);
                let deps = reader.into_deps();
                match self.render(&view) {
                    Ok(bytes) => sink
                        .write(&plan.path(site, j), &bytes)
                        .map(|_| (None, deps)),
                    Err(d) => Ok((Some(d), deps)),
                }
            })
            .collect();
        let mut out = Rendered {
            diagnostics: Vec::new(),
            deps: Vec::with_capacity(which.len()),
        };
        for r in results {
            let (d, deps) = r?;
            if let Some(d) = d {
                if !out.diagnostics.contains(&d) {
                    out.diagnostics.push(d);
                }
            }
            out.deps.push(deps);
        }
        Ok(out)
    }

    /// The search page, once the index exists: `manifest` is the site path of its manifest.
    /// Returns a template problem as a diagnostic; I/O errors as errors.
    pub fn render_search(
        &self,
        site: &Site,
        manifest: &str,
        sink: &dyn Sink,
    ) -> std::io::Result<Option<Diagnostic>> {
        let lists = view::Lists::new(site);
        let reader = Reader::new(site, &lists, false);
        let v = view::front::search(&reader, manifest, &self.search_script);
        let urls = site.config.urls();
        let path = urls.output_path(&urls.search());
        match self.render(&v) {
            Ok(bytes) => sink.write(&path, &bytes).map(|_| None),
            Err(d) => Ok(Some(d)),
        }
    }
}

/// The published name (under `assets/`) of the theme asset `name` there, else `name`.
fn asset_name<'a>(assets: &'a crate::theme::Assets, name: &'a str) -> &'a str {
    assets
        .published(&format!("assets/{name}"))
        .and_then(|p| p.strip_prefix("assets/"))
        .unwrap_or(name)
}

/// A page whose `layout` names a template the theme does not have.
fn missing_layouts(theme: &Theme, site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in &site.pages {
        if let Extra::Page {
            layout: Some(l), ..
        } = &p.extra
        {
            if !theme.templates.contains_key(&format!("{l}.html")) {
                out.push(Diagnostic::error(
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
    out
}

/// Plain pages, then the municipality index.
fn default_footer_menu(site: &Site) -> Vec<MenuItem> {
    let mut m: Vec<MenuItem> = site
        .of_kind(Kind::Page)
        .map(|(_, p)| MenuItem {
            name: p.common.title.clone(),
            url: p.url.clone(),
        })
        .collect();
    m.push(MenuItem {
        name: site.sections[&Kind::Municipality].title.clone(),
        url: site.config.urls().section(Kind::Municipality),
    });
    m
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
            name: site.strings.menu_regions.clone(),
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
