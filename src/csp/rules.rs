//! The path patterns of `_headers` when the output holds the web editor (`admin/`), which needs a
//! Content-Security-Policy of its own. Browsers enforce every policy a response carries, and
//! both hosts send the headers of every rule a path matches, so the editor's paths and the
//! site's must be matched by disjoint rules; `_headers` has no negation (Cloudflare's `! Name`
//! detaches a header, Netlify does not know it). So the rules enumerate.
//!
//! How the hosts match (the reason for each choice below):
//! - Cloudflare Pages: `*` matches any characters, `:name` one segment, case-sensitive.
//! - Netlify (`@netlify/headers-parser`, `getForRegExp`): a rule becomes
//!   `^/<parts joined by />/?$`, case-insensitive, a standalone `*` part being `?(.*)`. So `/d/*`
//!   also matches every path that starts with `/d` (`/dx`, `/d.html`) in any case, and a file
//!   rule `/f` matches `/f` and `/f/`.
//!
//! Hence: the editor gets one rule per file under `admin/` (and `/admin/` for its page), never
//! `/admin/*` (on Netlify it would match `/admin.html` or `/administration/`); each other top-level
//! file gets its own rule, each other top-level folder `/<folder>/*` unless another top-level
//! name (or `admin`) starts with the folder's name in any case, in which case its files are
//! listed one by one. Must not decide what is published: it only reads the list of outputs.

use std::collections::BTreeMap;

/// The folder of the web editor in the output.
pub const EDITOR_FOLDER: &str = "admin";

/// Rule paths for one output file: the file, and its folder's URL for an `index.html`.
fn file_rules(path: &str, out: &mut Vec<String>) {
    if path == "index.html" {
        out.push("/".into());
    } else if let Some(dir) = path.strip_suffix("/index.html") {
        push_path(&format!("/{dir}/"), out);
    }
    push_path(&format!("/{path}"), out);
}

/// A path as a request carries it (percent-encoded beyond the characters URLs keep as they are)
/// and, when that differs, as written, for hosts that match the decoded path. A name with a
/// space, `#` or `%` is written only encoded: as written it would not be one path.
fn push_path(path: &str, out: &mut Vec<String>) {
    let encoded = encode(path);
    if encoded != path && !path.contains(|c: char| c.is_whitespace() || c == '#' || c == '%') {
        out.push(path.to_string());
    }
    out.push(encoded);
}

fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()+,;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The rule paths of the web editor: every output under `admin/`. Sorted.
pub fn editor_paths(outputs: &[String]) -> Vec<String> {
    let prefix = format!("{EDITOR_FOLDER}/");
    let mut out = Vec::new();
    for p in outputs.iter().filter(|p| p.starts_with(&prefix)) {
        file_rules(p, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

/// The rule paths of everything else in `outputs` (`/`-separated output paths). Sorted.
pub fn site_paths(outputs: &[String]) -> Vec<String> {
    // Top-level name → the output paths under it (empty for a file).
    let mut top: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in outputs {
        match p.split_once('/') {
            Some((first, _)) => top.entry(first).or_default().push(p),
            None => {
                top.entry(p).or_default();
            }
        }
    }
    let names: Vec<String> = top.keys().map(|n| encode(n).to_lowercase()).collect();
    let mut out = Vec::new();
    for (name, under) in top.iter().filter(|(n, _)| **n != EDITOR_FOLDER) {
        if under.is_empty() {
            file_rules(name, &mut out);
            continue;
        }
        let own = encode(name).to_lowercase();
        let shadows = names
            .iter()
            .chain(std::iter::once(&EDITOR_FOLDER.to_string()))
            .any(|n| *n != own && n.starts_with(&own));
        if shadows {
            under.iter().for_each(|p| file_rules(p, &mut out));
        } else {
            let mut one = Vec::new();
            push_path(&format!("/{name}"), &mut one);
            out.extend(one.into_iter().map(|p| format!("{p}/*")));
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(paths: &[&str]) -> Vec<String> {
        paths.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn folders_get_a_splat_and_files_their_own_rule() {
        let outputs = v(&[
            "index.html",
            "404.html",
            "challenges/index.html",
            "challenges/x/index.html",
            "assets/style.css",
            "admin/index.html",
            "admin/config.yml",
        ]);
        assert_eq!(
            site_paths(&outputs),
            v(&[
                "/",
                "/404.html",
                "/assets/*",
                "/challenges/*",
                "/index.html"
            ])
        );
        assert_eq!(
            editor_paths(&outputs),
            v(&["/admin/", "/admin/config.yml", "/admin/index.html"])
        );
    }

    #[test]
    fn a_folder_whose_name_starts_another_name_is_listed_file_by_file() {
        // On Netlify `/ad/*` would match `/admin/`, and `/feed/*` would match `/feed.json`.
        let outputs = v(&[
            "ad/index.html",
            "ad/a.png",
            "admin/index.html",
            "feed/index.html",
            "feed.json",
            "Admin-notes/x.txt",
        ]);
        assert_eq!(
            site_paths(&outputs),
            v(&[
                "/Admin-notes/*",
                "/ad/",
                "/ad/a.png",
                "/ad/index.html",
                "/feed.json",
                "/feed/",
                "/feed/index.html",
            ])
        );
    }

    #[test]
    fn names_beyond_ascii_are_written_encoded_and_as_written() {
        let outputs = v(&["お知らせ/index.html", "a b.pdf"]);
        assert_eq!(
            site_paths(&outputs),
            v(&[
                "/%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B/*",
                "/a%20b.pdf",
                "/お知らせ/*",
            ])
        );
    }
}
