//! `tsunagari serve`: its arguments, what it prints while it runs, and the port it listens on.
//! Drafts and scheduled pages are shown (marked) unless `--no-drafts`; the default port moves
//! on to the next free one when taken, a port given with `--port` does not.

use super::{options, Out, SiteArgs};
use crate::diagnostics::Lang;
use crate::messages::{value, Text};
use crate::msg;
use crate::pipeline::Failure;
use crate::serve::Event;
use std::process::ExitCode;

/// The port `serve` listens on unless `--port` says.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after the default one `serve` tries when it is taken.
const PORT_TRIES: u16 = 20;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Hide drafts and pages dated in the future (shown, marked, by default)
    #[arg(long)]
    pub no_drafts: bool,
    /// Port to listen on (default: 1111, or the next free one; 0 picks a free one)
    #[arg(long)]
    pub port: Option<u16>,
    /// Address to listen on; only this computer can see the preview unless you change it
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the preview in the default browser
    #[arg(long)]
    pub open: bool,
}

impl ServeArgs {
    pub(super) fn run(&self, out: &Out) -> ExitCode {
        let opts = match options(&self.site, !self.no_drafts, false) {
            Ok(o) => o,
            Err(f) => return out.failure(f),
        };
        let (lang, format) = (out.lang, out.format);
        let log = std::sync::Arc::new(move |e: Event| print(&Out { lang, format }, e));
        let serve_opts = crate::serve::ServeOptions {
            build: opts,
            bind: self.bind,
            port: self.port.unwrap_or(DEFAULT_PORT),
            port_tries: if self.port.is_some() { 0 } else { PORT_TRIES },
            lang,
            limits: crate::serve::Limits::default(),
            faults: crate::serve::Faults::default(),
        };
        let server = match crate::serve::start(serve_opts, log) {
            Ok(s) => s,
            Err(e) => return out.failure(self.start_failure(e)),
        };
        if self.open {
            open(&server.url());
        }
        loop {
            std::thread::park();
        }
    }

    /// Why the server could not start: a taken port names `--port`.
    fn start_failure(&self, e: std::io::Error) -> Failure {
        if e.kind() != std::io::ErrorKind::AddrInUse {
            return Failure::Io(Text::new("fail-serve-start").arg("detail", e));
        }
        let text = match self.port {
            Some(port) => Text::new("fail-port-taken").arg("port", port),
            None => Text::new("fail-ports-taken")
                .arg("first", DEFAULT_PORT)
                .arg("last", DEFAULT_PORT.saturating_add(PORT_TRIES)),
        };
        Failure::Usage(text)
    }
}

/// Prints what the server reports.
fn print(o: &Out, e: Event) {
    let lang = o.lang;
    match e {
        Event::Listening(url) => eprintln!("{}", msg!(lang, "serve-listening", url = value(url))),
        Event::PortTaken { asked, port } => {
            eprintln!(
                "{}",
                msg!(lang, "serve-port-taken", asked = asked, port = port)
            )
        }
        Event::Built { update: u, files } => {
            o.diagnostics(&u.warnings);
            eprintln!("{}", built_line(lang, &u, files));
        }
        Event::Finished { elapsed, changed } => {
            let ms = format!("{:.0}", elapsed.as_secs_f64() * 1000.0);
            let line = msg!(lang, "serve-late-outputs", changed = changed, ms = ms);
            eprintln!("{line}");
        }
        Event::Failed(diags) => {
            o.diagnostics(&diags);
            eprintln!("{}", msg!(lang, "serve-failed"));
        }
        Event::Error(m) => {
            let m = m.render(lang);
            eprintln!("{}", msg!(lang, "cli-error-line", message = m))
        }
        Event::Bug(d) => o.diagnostics(&[d]),
    }
}

/// The line after a build: the first (full) one, or an update.
fn built_line(lang: Lang, u: &crate::incremental::Update, files: usize) -> String {
    let ms = u.elapsed.as_secs_f64() * 1000.0;
    let (pages, rendered, outputs) = (u.pages, u.rendered, u.outputs);
    match u.mode {
        crate::incremental::Mode::Full => {
            let ms = format!("{ms:.0}");
            msg!(lang, "serve-built", pages = pages, files = files, ms = ms)
        }
        _ => {
            let ms = format!("{ms:.1}");
            let (o, r) = (outputs, rendered);
            msg!(lang, "serve-rebuilt", outputs = o, rendered = r, ms = ms)
        }
    }
}

/// Opens `url` in the default browser (best effort: the URL is printed anyway).
fn open(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener).arg(url).spawn();
}
