//! `tsunagari init` and `tsunagari new`: files for staff to start from, each field explained in
//! Japanese. Never overwrites an existing file. The texts are data files under `scaffold/`
//! (`new/<kind>.md` with `{today}` and `{deadline}` placeholders, `init/`), written as they are;
//! `init/publish/` holds the publishing set-up of each [`Host`], pinned to this version.

use crate::content::{valid_slug, Kind};
use crate::date::Date;
use crate::messages::Text;
use std::io;
use std::path::{Path, PathBuf};

/// The text `new` writes for each kind; `{today}` and `{deadline}` are filled in.
fn template(kind: Kind) -> &'static str {
    match kind {
        Kind::Challenge => include_str!("scaffold/new/challenge.md"),
        Kind::Case => include_str!("scaffold/new/case.md"),
        Kind::Column => include_str!("scaffold/new/column.md"),
        Kind::Municipality => include_str!("scaffold/new/municipality.md"),
        Kind::Page => include_str!("scaffold/new/page.md"),
    }
}

/// The fixed files of `init` besides the first pages, `.gitignore` and the publishing set-up.
const INIT_FILES: [(&str, &str); 9] = [
    ("site.yaml", include_str!("scaffold/init/site.yaml")),
    ("content/_index.md", include_str!("scaffold/init/home.md")),
    (
        "content/challenges/_index.md",
        include_str!("scaffold/init/challenges.md"),
    ),
    (
        "content/cases/_index.md",
        include_str!("scaffold/init/cases.md"),
    ),
    (
        "content/columns/_index.md",
        include_str!("scaffold/init/columns.md"),
    ),
    ("content/about.md", include_str!("scaffold/init/about.md")),
    (
        "content/privacy.md",
        include_str!("scaffold/init/privacy.md"),
    ),
    (
        "content/accessibility.md",
        include_str!("scaffold/init/accessibility.md"),
    ),
    (
        "content/contact.md",
        include_str!("scaffold/init/contact.md"),
    ),
];

/// Where the site `init` makes will be published: each writes its own set-up file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Host {
    /// GitHub Pages through a workflow (`.github/workflows/publish.yml`).
    #[default]
    Github,
    /// GitLab Pages (`.gitlab-ci.yml`).
    Gitlab,
    /// Netlify (`netlify.toml`).
    Netlify,
    /// Cloudflare Pages, set up in its dashboard (`CLOUDFLARE.md`: what to enter there).
    Cloudflare,
}

impl Host {
    /// Where `init` writes this host's set-up, relative to the site.
    pub fn publish_path(self) -> &'static str {
        self.publish_file().0
    }

    /// The file `init` writes for this host and its text, `{version}` still in it.
    fn publish_file(self) -> (&'static str, &'static str) {
        match self {
            Host::Github => (
                ".github/workflows/publish.yml",
                include_str!("scaffold/init/publish/github.yml"),
            ),
            Host::Gitlab => (
                ".gitlab-ci.yml",
                include_str!("scaffold/init/publish/gitlab.yml"),
            ),
            Host::Netlify => (
                "netlify.toml",
                include_str!("scaffold/init/publish/netlify.toml"),
            ),
            Host::Cloudflare => (
                "CLOUDFLARE.md",
                include_str!("scaffold/init/publish/cloudflare.md"),
            ),
        }
    }
}

/// The version the publishing set-up installs: the running binary's, so the site is built in
/// CI exactly as it was on the staff's computer.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The `.gitignore` of `init`, stored without its dot so that it does not apply here.
const GITIGNORE: &str = include_str!("scaffold/init/gitignore");

/// Front matter and body of a new page of `kind`, dated `today`.
pub fn new_page_text(kind: Kind, today: Date) -> String {
    template(kind)
        .replace("{deadline}", &today.add_days(60).to_string())
        .replace("{today}", &today.to_string())
}

/// Writes `content/<section>/<slug>.md` for `tsunagari new`. Returns the path written.
pub fn new_page(root: &Path, kind: Kind, slug: &str, today: Date) -> Result<PathBuf, Text> {
    if !valid_slug(slug) || slug.contains('.') {
        return Err(Text::new("fail-new-slug").arg("slug", slug));
    }
    let dir = root.join("content").join(kind.folder());
    let path = dir.join(format!("{slug}.md"));
    let bundle = dir.join(slug).join("index.md");
    if path.exists() || bundle.exists() {
        return Err(Text::new("fail-new-exists").arg("path", path.display()));
    }
    std::fs::create_dir_all(&dir).map_err(at(&dir))?;
    write_new(&path, &new_page_text(kind, today)).map_err(at(&path))?;
    Ok(path)
}

/// An I/O error at `path`, for people.
fn at(path: &Path) -> impl Fn(io::Error) -> Text + '_ {
    move |e| {
        Text::new("fail-io-at")
            .arg("path", path.display())
            .arg("detail", e)
    }
}

/// Creates a starter site in `dir` that builds at once and publishes itself on `host`. Refuses a
/// non-empty folder.
pub fn init(dir: &Path, today: Date, host: Host) -> Result<Vec<PathBuf>, Text> {
    let listed = dir.exists().then(|| std::fs::read_dir(dir)).transpose();
    if listed
        .map_err(at(dir))?
        .is_some_and(|mut d| d.next().is_some())
    {
        return Err(Text::new("fail-init-not-empty").arg("dir", dir.display()));
    }
    let mut files: Vec<(String, String)> = INIT_FILES
        .iter()
        .map(|(rel, text)| (rel.to_string(), text.to_string()))
        .collect();
    for (kind, slug) in [
        (Kind::Challenge, "first-challenge"),
        (Kind::Case, "first-case"),
        (Kind::Column, "first-column"),
    ] {
        // The value only: the comment above it names both values.
        let text = new_page_text(kind, today).replace("\ndraft: true\n", "\ndraft: false\n");
        files.push((format!("content/{}/{slug}.md", kind.folder()), text));
    }
    files.push(("static/.gitkeep".into(), String::new()));
    files.push((".gitignore".into(), GITIGNORE.into()));
    files.push(("static/admin/index.html".into(), crate::cms::index_html()));
    let (publish, text) = host.publish_file();
    files.push((publish.into(), text.replace("{version}", VERSION)));
    let mut written = Vec::new();
    for (rel, text) in files {
        let p = dir.join(&rel);
        let parent = p.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(at(parent))?;
        write_new(&p, &text).map_err(at(&p))?;
        written.push(p);
    }
    // The web editor's settings, read from the site just written.
    written.push(crate::cms::write_config(dir).map_err(crate::cms::CmsError::into_text)?);
    Ok(written)
}

fn write_new(path: &Path, text: &str) -> io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_form_has_the_placeholder_that_forms_reports() {
        let (name, text) = INIT_FILES[0];
        assert_eq!(name, "site.yaml");
        let line = format!("\n      id: {}\n", crate::forms::PLACEHOLDER_ID);
        assert!(text.contains(&line), "site.yaml lost the placeholder id");
    }

    #[test]
    fn every_host_installs_the_running_version() {
        for host in [Host::Github, Host::Gitlab, Host::Netlify, Host::Cloudflare] {
            let (path, text) = host.publish_file();
            assert!(
                text.contains("{version}"),
                "{path} does not pin the version"
            );
            assert_eq!(host.publish_path(), path);
        }
    }
}
