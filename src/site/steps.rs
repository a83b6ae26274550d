//! The steps of [`super::assemble`], in the order it takes them.

use super::links::image_exists;
use super::{make_page, Index, Links, Page, Site, RESERVED_IN_SECTION, RESERVED_SLUGS};
use crate::config::Config;
use crate::content::{Extra, Kind, Role, Source};
use crate::date::DateTime;
use crate::diagnostics::{Diagnostic, Problem};
use crate::markdown::{self, Rendered};
use crate::site::municipality_url;
use crate::strings::Strings;
use crate::suggest::did_you_mean;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The URL of a source's page, home page or section list.
fn url_of(config: &Config, s: &Source) -> String {
    let urls = config.urls();
    match s.entry.role {
        Role::Home => urls.home(),
        Role::Section(k) => urls.section(k),
        Role::Page(Kind::Municipality) => match &s.extra {
            Extra::Municipality(m) => municipality_url(urls, &m.prefecture, &m.municipality),
            _ => unreachable!("municipality pages carry a profile"),
        },
        Role::Page(k) => urls.page(k, &s.entry.slug),
    }
}

/// Every source's URL, in order; a URL taken twice, or one the generator uses itself, is an
/// error at the later source.
pub(super) fn page_urls(
    config: &Config,
    sources: &[&Arc<Source>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut by_url: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut urls: Vec<String> = Vec::with_capacity(sources.len());
    for s in sources {
        let url = url_of(config, s);
        let reserved = match s.entry.role {
            Role::Page(Kind::Page) => RESERVED_SLUGS.contains(&s.entry.slug.as_str()),
            Role::Page(Kind::Municipality) => false,
            Role::Page(_) => RESERVED_IN_SECTION.contains(&s.entry.slug.as_str()),
            _ => false,
        };
        if reserved {
            diags.push(Diagnostic::error(
                &s.entry.rel,
                Problem::DuplicateUrl {
                    url: url.clone(),
                    other: PathBuf::new(), // a page tsunagari generates
                },
            ));
        } else if let Some(other) = by_url.get(&url) {
            diags.push(Diagnostic::error(
                &s.entry.rel,
                Problem::DuplicateUrl {
                    url: url.clone(),
                    other: other.clone(),
                },
            ));
        } else {
            by_url.insert(url.clone(), s.entry.rel.clone());
        }
        urls.push(url);
    }
    urls
}

/// Every content file (NFC) → its URL and whether it is published, plus the home page and
/// section lists, which exist whether or not their optional _index.md does, and the pages
/// tsunagari writes on its own.
pub(super) fn links_of(
    config: &Config,
    sources: &[&Arc<Source>],
    urls: &[String],
    published: &[bool],
    root: &Path,
) -> Links {
    let mut links: HashMap<PathBuf, (String, bool)> = sources
        .iter()
        .zip(urls.iter().zip(published))
        // Keyed in NFC, like link targets: file names from macOS arrive in NFD.
        .map(|(s, (u, p))| (crate::unicode::nfc_path(&s.entry.rel), (u.clone(), *p)))
        .collect();
    // The home page and section lists exist whether or not their optional _index.md does.
    links
        .entry(PathBuf::from("content/_index.md"))
        .or_insert_with(|| (config.urls().home(), true));
    for k in Kind::SECTIONS {
        let url = config.urls().section(k);
        links
            .entry(PathBuf::from(format!("content/{}/_index.md", k.folder())))
            .or_insert((url, true));
    }
    let bundles = sources
        .iter()
        .zip(urls)
        .filter_map(|(s, u)| Some((u.clone(), s.entry.bundle.clone()?)))
        .collect();
    let u = config.urls();
    let generated = [u.thanks(), u.search(), u.section(Kind::Municipality)];
    Links::new(root, u.home(), links, bundles, generated)
}

/// Forms: named handlers must exist, and a site with forms needs a privacy policy page.
pub(super) fn check_forms(
    config: &Config,
    sources: &[&Arc<Source>],
    root: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    let forms = &config.forms;
    for s in sources {
        if let crate::forms::FormChoice::Named(name) = &s.common.form {
            if !forms.handlers.contains_key(name) {
                let suggestion = did_you_mean(name, forms.handlers.keys().map(String::as_str));
                let (line, col) = s.common.form_pos;
                diags.push(
                    Diagnostic::error(
                        &s.entry.rel,
                        Problem::UnknownForm {
                            name: name.clone(),
                            suggestion,
                        },
                    )
                    .at(&s.text, line, col)
                    .with_span(name.chars().count()),
                );
            }
        }
    }
    if !forms.handlers.is_empty()
        && !sources
            .iter()
            .any(|s| s.entry.role == Role::Page(Kind::Page) && s.entry.slug == "privacy")
    {
        let text = std::fs::read_to_string(root.join("site.yaml")).unwrap_or_default();
        diags.push(Diagnostic::error("site.yaml", Problem::NoPrivacyPage).at(&text, forms.line, 1));
    }
}

/// Front-matter checks that need the whole site or the disk: the challenges a case names exist
/// and are published, images exist.
pub(super) fn check_sources(
    sources: &[&Arc<Source>],
    published: &[bool],
    root: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    let challenge_slugs: HashMap<&str, bool> = sources
        .iter()
        .zip(published)
        .filter(|(s, _)| s.entry.role == Role::Page(Kind::Challenge))
        .map(|(s, p)| (s.entry.slug.as_str(), *p))
        .collect();
    for (s, p) in sources.iter().zip(published) {
        if !p {
            continue;
        }
        if let Extra::Case(c) = &s.extra {
            for slug in &c.challenges {
                let (line, col) = c.challenges_line;
                match challenge_slugs.get(slug.as_str()) {
                    Some(true) => {}
                    Some(false) => diags.push(
                        Diagnostic::error(
                            &s.entry.rel,
                            Problem::LinkToDraft {
                                target: slug.clone(),
                            },
                        )
                        .at(&s.text, line, col),
                    ),
                    None => {
                        let suggestion = did_you_mean(slug, challenge_slugs.keys().copied());
                        diags.push(
                            Diagnostic::error(
                                &s.entry.rel,
                                Problem::UnknownChallenge {
                                    slug: slug.clone(),
                                    suggestion,
                                },
                            )
                            .at(&s.text, line, col),
                        );
                    }
                }
            }
        }
        if let Some(img) = &s.common.image {
            if s.common.image_alt.is_none() {
                let (line, col) = s.image_pos;
                let d = Diagnostic::error(
                    &s.entry.rel,
                    Problem::Image(crate::diagnostics::ImageProblem::AltMissing),
                );
                diags.push(d.at(&s.text, line, col));
            }
            if !image_exists(root, s, img) {
                let (line, col) = s.image_pos;
                diags.push(
                    Diagnostic::error(&s.entry.rel, Problem::MissingImage { path: img.clone() })
                        .at(&s.text, line, col)
                        .with_span(img.chars().count()),
                );
            }
        }
    }
}

/// A site with no pages yet: its configuration, dates and what was left unpublished.
pub(super) fn empty_site(
    config: Config,
    md_opts: markdown::Options,
    strings: Arc<Strings>,
    now: DateTime,
    sources: &[&Arc<Source>],
    published: &[bool],
) -> Site {
    let tz = config.timezone;
    Site {
        strings,
        now,
        today: now.date_in(tz),
        pages: Vec::new(),
        home: Index::default(),
        sections: BTreeMap::new(),
        unpublished: published.iter().filter(|p| !**p).count(),
        scheduled: sources
            .iter()
            .zip(published)
            .filter(|(s, p)| !**p && !s.common.draft)
            .filter_map(|(s, _)| s.common.date.map(|d| d.date_in(tz)))
            .collect(),
        taxonomies: Vec::new(),
        municipalities: Vec::new(),
        listing_rank: Vec::new(),
        municipality_index: HashMap::new(),
        links: Links::default(),
        unjudged: Vec::new(),
        images: Arc::default(),
        default_picture: None,
        image_stats: Default::default(),
        html_released: false,
        config,
        markdown: md_opts,
    }
}

/// Published pages into `site.pages`; `_index.md` files into the home page and sections.
pub(super) fn fill_pages(
    site: &mut Site,
    sources: Vec<&Arc<Source>>,
    rendered: Vec<(Arc<Rendered>, Vec<Diagnostic>)>,
    (urls, published): (Vec<String>, Vec<bool>),
    diags: &mut Vec<Diagnostic>,
) {
    // Pages are made on both cores (summaries and dates read each body once); indexes and
    // diagnostics are then taken in source order.
    let now = site.now;
    let config = &site.config;
    let items: Vec<_> = sources
        .into_iter()
        .zip(rendered)
        .zip(urls.into_iter().zip(published))
        .collect();
    let made: Vec<(Vec<Diagnostic>, Made)> = items
        .into_par_iter()
        .map(|((s, (r, mut ds)), (url, p))| {
            let index = || Index {
                title: s.common.title.clone(),
                summary: s.common.summary.clone(),
                html: r.html.clone(),
                source: Some(s.entry.rel.clone()),
            };
            let made = match s.entry.role {
                Role::Home => Made::Home(index()),
                Role::Section(k) => Made::Section(k, index()),
                Role::Page(_) if !p => Made::Nothing,
                Role::Page(kind) => Made::Page(make_page(s, kind, url, r, config, now, &mut ds)),
            };
            (ds, made)
        })
        .collect();
    for (ds, made) in made {
        diags.extend(ds);
        match made {
            Made::Home(idx) => site.home = idx,
            Made::Section(k, idx) => {
                site.sections.insert(k, idx);
            }
            Made::Page(page) => site.pages.push(page),
            Made::Nothing => {}
        }
    }
}

/// What one source becomes in the site. Short-lived (one vector, moved into the site at once),
/// so pages are not boxed.
#[allow(clippy::large_enum_variant)]
enum Made {
    Home(Index),
    Section(Kind, Index),
    Page(Page),
    Nothing,
}

/// Every section (and the municipality list) has an index, and every index a title.
pub(super) fn complete_sections(site: &mut Site) {
    for k in Kind::SECTIONS.into_iter().chain([Kind::Municipality]) {
        site.sections.entry(k).or_default();
    }
    for (k, idx) in site.sections.iter_mut() {
        if idx.title.is_empty() {
            idx.title = k.section_title(&site.strings).into();
        }
    }
    if site.home.title.is_empty() {
        site.home.title = site.config.title.clone();
    }
}

/// Newest first within each kind; plain pages by weight then title.
pub(super) fn sort_pages(pages: &mut [Page], tz: i32) {
    pages.sort_by(|a, b| {
        a.kind.cmp(&b.kind).then_with(|| {
            if a.kind == Kind::Page {
                let wa = if let Extra::Page { weight, .. } = a.extra {
                    weight
                } else {
                    0
                };
                let wb = if let Extra::Page { weight, .. } = b.extra {
                    weight
                } else {
                    0
                };
                wa.cmp(&wb).then_with(|| a.slug.cmp(&b.slug))
            } else {
                let da = a.date().map(|d| d.unix(tz));
                let db = b.date().map(|d| d.unix(tz));
                db.cmp(&da).then_with(|| a.slug.cmp(&b.slug))
            }
        })
    });
}

/// Relations: cases name challenges; challenges list their cases.
pub(super) fn relate(pages: &mut [Page]) {
    let index_of: HashMap<(Kind, String), usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.kind, p.slug.clone()), i))
        .collect();
    let mut reverse: Vec<(usize, usize)> = Vec::new();
    for (i, p) in pages.iter_mut().enumerate() {
        if let Extra::Case(c) = &p.extra {
            for slug in &c.challenges {
                if let Some(&j) = index_of.get(&(Kind::Challenge, slug.clone())) {
                    p.related.push(j);
                    reverse.push((j, i));
                }
            }
        }
    }
    for (ch, case) in reverse {
        pages[ch].related.push(case);
    }
}
