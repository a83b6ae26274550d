//! Body links to generated outputs, judged once the render plan exists. `site::links` leaves
//! URLs of terms, municipalities, list pages and their `page/N/`, feeds, search files and theme
//! assets to this module ([`crate::site::Unjudged`]): here they meet [`Outputs`], every output
//! path a build writes, known before anything is rendered, so `build`, `check` and the dev
//! server (`incremental`) report the same problems at the same places.
//!
//! Must not render or write anything: the set is made from the site, the plan's paths, the
//! theme and the file lists alone (`outputs_are_what_a_build_writes` binds it to a build).

use super::files::key;
use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Problem};
use crate::site::{Site, Unjudged};
use crate::theme::Theme;
use std::collections::HashSet;
use std::path::PathBuf;

/// Every output path of a build (normalised by `files::key`), and the folder of the search
/// index, whose file names are hashes of its content.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    paths: HashSet<String>,
    search_dir: Option<String>,
}

impl Outputs {
    /// The outputs of `site`: `plan_paths` (pages, lists, terms, municipalities, home, 404,
    /// thanks), the theme's assets, the search page and index, feeds, sitemap, robots.txt,
    /// `.tsunagari/next-rebuild`, `_headers`, bundle files and `static/` files.
    pub fn of(site: &Site, plan_paths: &[String], theme: &Theme, statics: &[PathBuf]) -> Outputs {
        let urls = site.config.urls();
        let mut urls_of_files = vec![urls.feed(&urls.home()), urls.json_feed(Kind::Challenge)];
        urls_of_files.extend(Kind::SECTIONS.iter().map(|k| urls.feed(&urls.section(*k))));
        for t in &site.taxonomies {
            if crate::view::has_feed(t.kind) {
                urls_of_files.extend(t.terms.iter().map(|term| urls.feed(&term.url)));
            }
        }
        let mut paths: Vec<String> = urls_of_files
            .iter()
            .map(|u| urls.output_file(u))
            .chain(plan_paths.iter().cloned())
            .chain(theme.published.files.keys().cloned())
            .collect();
        paths.extend(["robots.txt".into(), ".tsunagari/next-rebuild".into()]);
        // `sitemap.xml`, and its parts when the site is too large for one file.
        paths.extend(crate::feeds::sitemap_paths(site));
        if site.config.security.headers {
            paths.push("_headers".into());
        }
        let search_dir = site.config.search.then(|| {
            paths.push(urls.output_path(&urls.search()));
            key(&urls.output_file(&urls.search_file("")))
        });
        for p in &site.pages {
            paths.extend(p.assets.iter().map(|a| urls.bundle_file(&p.url, a)));
        }
        paths.extend(statics.iter().map(|rel| crate::urls::file_path(rel)));
        // The image pipeline's renditions, and the default share picture it makes.
        for p in site.images.by_path.values() {
            paths.extend(
                p.published()
                    .into_iter()
                    .map(|(n, _)| urls.processed_image_file(&n)),
            );
        }
        if site.config.default_image.is_none() {
            paths.push(urls.default_og_file().into());
        }
        paths.retain(|p| !site.images.withheld.contains(&key(p)));
        Outputs {
            paths: paths.iter().map(|p| key(p)).collect(),
            search_dir,
        }
    }

    /// Whether an output answers the site URL `url` (with the base path): the file, or the
    /// folder's `index.html`.
    fn answers(&self, site: &Site, url: &str) -> bool {
        let urls = site.config.urls();
        let path = if url.ends_with('/') {
            key(&urls.output_path(url))
        } else {
            key(&urls.output_file(url))
        };
        self.paths.contains(&path)
            || self
                .search_dir
                .as_ref()
                .is_some_and(|d| path.starts_with(&format!("{d}/")))
    }

    /// Site URLs of the outputs a link could mean (pages as folders, other files as files),
    /// sorted: the candidates of a "did you mean".
    fn urls(&self, site: &Site) -> Vec<String> {
        let home = site.config.urls().home();
        let mut v: Vec<String> = self
            .paths
            .iter()
            .map(|p| match p.strip_suffix("index.html") {
                Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{home}{dir}"),
                _ => format!("{home}{p}"),
            })
            .collect();
        v.sort();
        v
    }
}

/// The errors of `links` that no output of `outputs` answers, each at its link, with the
/// closest output's URL when one is near. A URL written without the base path is an error only
/// when the base path would make it an output's (it cannot be rewritten as a page's is: bodies
/// are rendered before the plan exists); otherwise another application may serve it.
pub fn check(site: &Site, links: &[Unjudged], outputs: &Outputs) -> Vec<Diagnostic> {
    let home = site.config.urls().home();
    let mut candidates: Option<Vec<String>> = None;
    let mut out = Vec::new();
    for l in links {
        let suggestion = match l.url.strip_prefix(home.as_str()) {
            Some(_) if outputs.answers(site, &l.url) => continue,
            Some(_) => {
                let all = candidates.get_or_insert_with(|| outputs.urls(site));
                closest(&l.url, all)
            }
            None => {
                let with_base = format!("{home}{}", crate::urls::below(&l.url));
                if !outputs.answers(site, &with_base) {
                    continue;
                }
                let rest = l.written.find(['?', '#']).map_or("", |i| &l.written[i..]);
                Some(format!("{with_base}{rest}"))
            }
        };
        let mut d = l.error.clone();
        if let Problem::NoSuchOutput { suggestion: s, .. } = &mut d.problem {
            *s = suggestion;
        }
        out.push(d);
    }
    out
}

/// The candidate closest to `url` by edit distance (characters), when within a few edits;
/// ties go to the first in sorted order.
fn closest(url: &str, candidates: &[String]) -> Option<String> {
    let limit = (url.chars().count() / 4).clamp(1, 3);
    candidates
        .iter()
        .map(|c| (crate::suggest::levenshtein(url, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Outputs` lists exactly what a build writes (search index files by their folder): a new
    /// kind of output that `Outputs::of` does not know fails here.
    #[test]
    fn outputs_are_what_a_build_writes() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/snapshots");
        let opts = crate::pipeline::options(&root, "2026-04-01");
        let mut prepared = crate::pipeline::prepare(&opts).expect("the fixture builds");
        let memory = crate::output::Memory::default();
        crate::pipeline::emit(&mut prepared, &root, &memory).expect("the fixture builds");
        let written: HashSet<String> = memory.into_map().keys().map(|p| key(p)).collect();
        let outputs = &prepared.outputs;
        let dir = outputs.search_dir.clone().expect("search is on");
        let listed: HashSet<String> = outputs.paths.clone();
        let unlisted: Vec<&String> = written
            .iter()
            .filter(|p| !listed.contains(*p) && !p.starts_with(&format!("{dir}/")))
            .collect();
        assert!(unlisted.is_empty(), "written, not in Outputs: {unlisted:?}");
        let unwritten: Vec<&String> = listed.difference(&written).collect();
        assert!(
            unwritten.is_empty(),
            "in Outputs, not written: {unwritten:?}"
        );
        assert!(written.iter().any(|p| p.starts_with(&format!("{dir}/"))));
        assert!(listed.len() > 50, "{}", listed.len());
    }

    #[test]
    fn the_closest_url_within_a_few_edits() {
        let c: Vec<String> = ["/themes/観光/", "/themes/移住/", "/prefectures/niigata/"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            closest("/themes/観光x/", &c).as_deref(),
            Some("/themes/観光/")
        );
        assert_eq!(
            closest("/prefectures/nigata/", &c).as_deref(),
            Some("/prefectures/niigata/")
        );
        assert_eq!(closest("/columns/", &c), None);
    }
}
