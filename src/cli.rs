//! The command line: the only module that knows clap. One `Args` struct with `run()` per
//! command; each returns an exit code and prints for people (stderr) — the library never prints.
#![allow(clippy::print_stderr, clippy::print_stdout)]

use crate::content::Kind;
use crate::diagnostics::{Diagnostic, Lang};
use crate::messages::{value, Text};
use crate::msg;
use crate::pipeline::{self, BuildOptions, Failure, Report};
use clap::{FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

// Printing must never panic: with stderr on a full disk (`2>/dev/full`) or stdout into a closed
// pipe (`| head`), std's `eprintln!`/`println!` panic (exit 101). These shadow them in this
// module (the only one that prints): a message that cannot be written is dropped, and the exit
// code still says how the command went.
macro_rules! eprint {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($t)*);
    }};
}
macro_rules! eprintln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}
macro_rules! println {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

mod help;
mod serve;
pub use serve::ServeArgs;

/// Exit codes: 0 success, 1 content errors (the staff's to fix), 2 usage or I/O errors.
pub const EXIT_CONTENT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(name = "tsunagari", version)]
pub struct Cli {
    /// Language of messages: ja (default) or en
    #[arg(long, global = true, value_enum, default_value = "ja")]
    pub lang: LangArg,
    /// How to print problems: human (default) or github (workflow annotations)
    #[arg(long, global = true, value_enum, default_value = "human")]
    pub format: Format,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    Ja,
    En,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Github,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (public/ by default)
    Build(BuildArgs),
    /// Check everything a build checks, without writing anything
    Check(CheckArgs),
    /// Preview the site: build in memory, serve on 127.0.0.1, rebuild and reload on every save
    Serve(ServeArgs),
    /// Create a new site in DIR that builds at once
    Init(InitArgs),
    /// Create a new challenge, case, column or municipality profile with every field explained
    New(NewArgs),
    /// Write static/admin/config.yml (the web editor's settings) from site.yaml and the schemas
    Cms(CmsArgs),
}

#[derive(clap::Args, Debug)]
pub struct SiteArgs {
    /// Site folder (holds site.yaml and content/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Build date, e.g. 2026-04-01 (default: SOURCE_DATE_EPOCH, else today)
    #[arg(long)]
    pub now: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Also write drafts and pages dated in the future, each marked as such (preview
    /// deployments only: never for the public site)
    #[arg(long)]
    pub drafts: bool,
    /// Output folder (default: ROOT/public)
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override base_url from site.yaml (for preview deployments)
    #[arg(long)]
    pub base_url: Option<String>,
    /// Print only problems
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Also check drafts and pages dated in the future
    #[arg(long)]
    pub drafts: bool,
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// Folder to create the site in (must be empty or absent)
    pub dir: PathBuf,
    /// Where the site is published: github (default), gitlab, netlify or cloudflare
    #[arg(long, value_enum, default_value = "github")]
    pub host: HostArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum HostArg {
    Github,
    Gitlab,
    Netlify,
    Cloudflare,
}

impl From<HostArg> for crate::scaffold::Host {
    fn from(h: HostArg) -> Self {
        use crate::scaffold::Host;
        match h {
            HostArg::Github => Host::Github,
            HostArg::Gitlab => Host::Gitlab,
            HostArg::Netlify => Host::Netlify,
            HostArg::Cloudflare => Host::Cloudflare,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum NewKind {
    Challenge,
    Case,
    Column,
    Municipality,
}

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// What to create
    #[arg(value_enum)]
    pub kind: NewKind,
    /// File name without .md (becomes the URL): letters, digits, - and _
    pub slug: String,
    /// Site folder
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct CmsArgs {
    /// Site folder
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

impl CmsArgs {
    fn run(&self, out: &Out) -> ExitCode {
        match crate::cms::write_config(&self.root) {
            Ok(path) => {
                let path = value(path.display());
                eprintln!("{}", msg!(out.lang, "cli-cms-done", path = path));
                ExitCode::SUCCESS
            }
            Err(crate::cms::CmsError::Site(diags)) => out.failure(Failure::Content(diags)),
            Err(e) => out.failure(Failure::Io(e.into_text())),
        }
    }
}

struct Out {
    lang: Lang,
    format: Format,
}

impl Out {
    fn diagnostics(&self, diags: &[Diagnostic]) {
        for d in diags {
            match self.format {
                Format::Human => eprint!("{}", d.render(self.lang)),
                Format::Github => println!("{}", d.render_github(self.lang)),
            }
        }
    }

    fn failure(&self, f: Failure) -> ExitCode {
        match f {
            Failure::Content(diags) => {
                self.diagnostics(&diags);
                let errors = diags.iter().filter(|d| d.is_error()).count();
                let warnings = diags.len() - errors;
                let line = msg!(
                    self.lang,
                    "cli-build-stopped",
                    errors = errors,
                    warnings = warnings
                );
                eprintln!("{line}");
                ExitCode::from(EXIT_CONTENT)
            }
            Failure::Usage(m) | Failure::Io(m) => {
                let m = m.render(self.lang);
                eprintln!("{}", msg!(self.lang, "cli-error-line", message = m));
                ExitCode::from(EXIT_USAGE)
            }
        }
    }
}

/// The build options of a command that reads the site at `site.root`, once it is known to be
/// a site folder (`build`, `check` and `serve` fail the same way outside one).
fn options(site: &SiteArgs, drafts: bool, write: bool) -> Result<BuildOptions, Failure> {
    pipeline::site_folder(&site.root)?;
    let sde = std::env::var("SOURCE_DATE_EPOCH").ok();
    let now =
        pipeline::resolve_now(site.now.as_deref(), sde.as_deref(), 540).map_err(Failure::Usage)?;
    Ok(BuildOptions {
        root: site.root.clone(),
        output: None,
        base_url: None,
        drafts,
        now,
        write,
    })
}

impl BuildArgs {
    fn run(&self, out: &Out) -> ExitCode {
        let mut opts = match options(&self.site, self.drafts, true) {
            Ok(o) => o,
            Err(f) => return out.failure(f),
        };
        opts.output = self.output.clone();
        opts.base_url = self.base_url.clone();
        let lang = out.lang;
        let output = opts
            .output
            .clone()
            .unwrap_or_else(|| opts.root.join("public"));
        let mut waiting = |holder: &str| {
            let holder = if holder.is_empty() { "?" } else { holder };
            let (holder, output) = (value(holder), value(output.display()));
            let line = msg!(
                lang,
                "cli-waiting-for-lock",
                holder = holder,
                output = output
            );
            eprintln!("{line}");
        };
        match pipeline::build_waiting(&opts, &mut waiting) {
            Ok(report) => {
                out.diagnostics(&report.warnings);
                if !self.quiet {
                    summary(&report, out.lang);
                }
                ExitCode::SUCCESS
            }
            Err(f) => out.failure(f),
        }
    }
}

fn summary(r: &Report, lang: Lang) {
    let total: f64 = r
        .timings
        .iter()
        .filter(|(n, _)| !n.contains("parallel"))
        .map(|(_, d)| d.as_secs_f64())
        .sum();
    let timings = |t: &[(&str, std::time::Duration)]| {
        t.iter()
            .map(|(n, d)| format!("{n} {:.0} ms", d.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let line = msg!(
        lang,
        "cli-built",
        pages = r.pages,
        open = r.open_challenges,
        written = r.written,
        unchanged = r.unchanged,
        removed = r.removed,
        output = value(r.output.display()),
        seconds = format!("{total:.2}"),
        timings = timings(&r.timings)
    );
    eprintln!("{line}");
    if !r.search_phases.is_empty() {
        let line = msg!(
            lang,
            "cli-search-phases",
            timings = timings(&r.search_phases)
        );
        eprintln!("{line}");
    }
    if r.images.images > 0 {
        let (images, encoded) = (r.images.images, r.images.encoded);
        let line = msg!(lang, "cli-images", images = images, encoded = encoded);
        eprintln!("{line}");
    }
    if r.unpublished > 0 {
        eprintln!("{}", msg!(lang, "cli-unpublished", count = r.unpublished));
    }
    if let Some(d) = r.next_change {
        let file = value(r.output.join(".tsunagari/next-rebuild").display());
        eprintln!("{}", msg!(lang, "cli-next-change", date = d, file = file));
    }
    if !r.warnings.is_empty() {
        eprintln!("{}", msg!(lang, "cli-warnings", count = r.warnings.len()));
    }
}

impl CheckArgs {
    fn run(&self, out: &Out) -> ExitCode {
        let opts = match options(&self.site, self.drafts, false) {
            Ok(o) => o,
            Err(f) => return out.failure(f),
        };
        match pipeline::check(&opts) {
            Ok(pipeline::Prepared { site, warnings, .. }) => {
                out.diagnostics(&warnings);
                let (pages, warnings) = (site.pages.len(), warnings.len());
                let line = msg!(out.lang, "cli-check-ok", pages = pages, warnings = warnings);
                eprintln!("{line}");
                ExitCode::SUCCESS
            }
            Err(f) => out.failure(f),
        }
    }
}

fn today() -> crate::date::Date {
    let sde = std::env::var("SOURCE_DATE_EPOCH").ok();
    pipeline::resolve_now(None, sde.as_deref(), 540)
        .map(|t| t.date_in(540))
        .unwrap_or(crate::date::Date {
            year: 2026,
            month: 1,
            day: 1,
        })
}

impl InitArgs {
    fn run(&self, out: &Out) -> ExitCode {
        let host = crate::scaffold::Host::from(self.host);
        match crate::scaffold::init(&self.dir, today(), host) {
            Ok(files) => {
                let (dir, files) = (value(self.dir.display()), files.len());
                let publish = host.publish_path();
                let done = msg!(
                    out.lang,
                    "cli-init-done",
                    dir = dir,
                    files = files,
                    publish = publish
                );
                eprintln!("{done}");
                ExitCode::SUCCESS
            }
            Err(e) => out.failure(Failure::Io(e)),
        }
    }
}

impl NewArgs {
    fn run(&self, out: &Out) -> ExitCode {
        if !self.root.join("content").is_dir() {
            let dir = self.root.display();
            let text = Text::new("fail-new-no-content").arg("dir", dir);
            return out.failure(Failure::Usage(text));
        }
        let kind = match self.kind {
            NewKind::Challenge => Kind::Challenge,
            NewKind::Case => Kind::Case,
            NewKind::Column => Kind::Column,
            NewKind::Municipality => Kind::Municipality,
        };
        match crate::scaffold::new_page(&self.root, kind, &self.slug, today()) {
            Ok(p) => {
                let draft = kind != Kind::Municipality;
                let file = value(p.display());
                let line = if draft {
                    msg!(out.lang, "cli-new-draft", file = file)
                } else {
                    msg!(out.lang, "cli-new-done", file = file)
                };
                eprintln!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => out.failure(Failure::Usage(e)),
        }
    }
}

/// Parses arguments and runs the command. `--help` is written in the language `--lang` asks
/// for (see `cli/help.rs`).
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut cmd = help::command(help::lang_of(&args));
    let cli = cmd
        .try_get_matches_from_mut(args)
        .and_then(|mut m| Cli::from_arg_matches_mut(&mut m))
        .unwrap_or_else(|e| e.format(&mut cmd).exit());
    let out = Out {
        lang: if matches!(cli.lang, LangArg::En) {
            Lang::En
        } else {
            Lang::Ja
        },
        format: cli.format,
    };
    match &cli.command {
        Command::Build(a) => a.run(&out),
        Command::Check(a) => a.run(&out),
        Command::Serve(a) => a.run(&out),
        Command::Init(a) => a.run(&out),
        Command::New(a) => a.run(&out),
        Command::Cms(a) => a.run(&out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
