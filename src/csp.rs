//! The site's Content-Security-Policy and the other security headers.
//!
//! The policy is computed from the configuration only (forms, captchas, allowed iframe hosts,
//! `security:` in site.yaml), never from page bodies: so it is one value per build, the same on
//! every page, and the dev server's fast path (which keeps the renderer) can never show a stale
//! one. It goes two ways: a `<meta http-equiv>` in every page (the theme's base template reads
//! `site.csp`) and `_headers` at the output root for hosts that read it (Netlify, Cloudflare
//! Pages), which also carries what a meta element cannot (`frame-ancestors`) and the other headers.
//!
//! ```yaml
//! security:
//!   csp:                          # extra sources, per directive
//!     img-src: [https://images.example.jp]
//!     connect-src: [https://api.example.jp]
//!   allow_unsafe: false           # true lets 'unsafe-inline', 'unsafe-eval', * and bare schemes in
//!   headers: true                 # write _headers
//! ```
//!
//! This module owns the policy's shape and the checks of `security:`; it knows no HTML and no
//! YAML library (it reads through [`Fields`]).

pub use crate::diagnostics::{CspProblem, SourceIssue};
use crate::diagnostics::{Diagnostic, Problem};
use crate::fields::Fields;
use crate::forms::{CaptchaProvider, FormsConfig, Mode};
use crate::yaml::Doc;
use std::collections::BTreeMap;
use std::path::Path;

mod hosts;
mod rules;
pub use hosts::{canonical_source, iframe_host, is_header_text, is_source_token};
pub use rules::EDITOR_FOLDER;

/// Directives in the order they are written. Only these exist in a policy.
const ORDER: [&str; 14] = [
    "default-src",
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "frame-src",
    "worker-src",
    "manifest-src",
    "object-src",
    "base-uri",
    "form-action",
    "frame-ancestors",
];

/// Directives a site may add sources to. `default-src`, `object-src` and `base-uri` stay fixed.
pub const EXTENSIBLE: [&str; 11] = [
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "frame-src",
    "worker-src",
    "manifest-src",
    "form-action",
    "frame-ancestors",
];

/// Directives browsers ignore in a `<meta>` policy; they go only into `_headers`.
const HEADER_ONLY: [&str; 4] = ["frame-ancestors", "report-uri", "report-to", "sandbox"];

/// Keywords that weaken the policy against script injection; only with `allow_unsafe: true`.
const UNSAFE_KEYWORDS: [&str; 4] = [
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "'wasm-unsafe-eval'",
];

/// Permissions no page of a portal needs; denied to the page and to every frame.
const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()";

/// `security:` in site.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityConfig {
    /// Extra sources per directive, validated.
    pub extra: BTreeMap<String, Vec<String>>,
    /// The documented opt-in for sources that weaken the policy.
    pub allow_unsafe: bool,
    /// Write `_headers` at the output root.
    pub headers: bool,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        SecurityConfig {
            extra: BTreeMap::new(),
            allow_unsafe: false,
            headers: true,
        }
    }
}

fn loopback(host: &str) -> bool {
    if let Some(port) = host.strip_prefix("[::1]") {
        return port.is_empty() || port.starts_with(':');
    }
    matches!(host.split(':').next(), Some("localhost" | "127.0.0.1"))
}

/// `host[:port]` as CSP writes it: ASCII letters, digits, `-`, `.`; a leading `*.`; a numeric
/// port or `*`.
fn valid_host(host: &str) -> bool {
    if host == "[::1]" || host.starts_with("[::1]:") {
        return host.len() == 5 || valid_port(&host[6..]);
    }
    let (name, port) = match host.split_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    };
    let name = name.strip_prefix("*.").unwrap_or(name);
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && port.is_none_or(valid_port)
}

fn valid_port(p: &str) -> bool {
    p == "*" || (p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n > 0))
}

/// The origin (`https://host[:port]`) of an absolute URL, lowercased, as a CSP source.
pub fn origin_of(url: &str) -> Result<String, SourceIssue> {
    if !url.is_ascii() {
        return Err(SourceIssue::NonAscii);
    }
    let lower = url.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://").ok_or(SourceIssue::NoScheme)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.contains('@') || host.contains('*') || !valid_host(host) {
        return Err(SourceIssue::Syntax);
    }
    match scheme {
        "https" => Ok(format!("https://{host}")),
        "http" if loopback(host) => Ok(format!("http://{host}")),
        "http" => Err(SourceIssue::Insecure),
        _ => Err(SourceIssue::Syntax),
    }
}

/// `s` escaped for a double-quoted HTML attribute, quotes `'` left as they are.
fn attribute_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Checks one source a site adds to `directive`.
pub fn check_source(directive: &str, v: &str, allow_unsafe: bool) -> Result<(), SourceIssue> {
    let scripty = matches!(directive, "script-src" | "style-src");
    if v.is_empty()
        || v.contains(|c: char| {
            c.is_whitespace() || matches!(c, ';' | ',' | '"' | '<' | '>' | '\\')
        })
    {
        return Err(SourceIssue::Syntax);
    }
    if !v.is_ascii() {
        return Err(SourceIssue::NonAscii);
    }
    if let Some(inner) = v.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'').ok_or(SourceIssue::Syntax)?;
        if inner.contains('\'') {
            return Err(SourceIssue::Syntax);
        }
        return match inner {
            "self" => Ok(()),
            "none" => Err(SourceIssue::NoneKeyword),
            "report-sample" if scripty => Ok(()),
            _ if inner.starts_with("nonce-") => Err(SourceIssue::Nonce),
            _ if UNSAFE_KEYWORDS.contains(&v) => match (scripty, allow_unsafe) {
                (false, _) => Err(SourceIssue::WrongDirective),
                (true, false) => Err(SourceIssue::Unsafe),
                (true, true) => Ok(()),
            },
            _ if is_hash(inner) => {
                if scripty {
                    Ok(())
                } else {
                    Err(SourceIssue::WrongDirective)
                }
            }
            _ => Err(SourceIssue::Syntax),
        };
    }
    // `*`, or a bare scheme such as `https:` / `data:`: any host.
    if v == "*" || (v.ends_with(':') && v[..v.len() - 1].bytes().all(|b| b.is_ascii_alphabetic())) {
        let harmless = matches!(directive, "img-src" | "media-src" | "font-src")
            && matches!(
                v.to_ascii_lowercase().as_str(),
                "https:" | "data:" | "blob:"
            );
        return if harmless || allow_unsafe {
            Ok(())
        } else {
            Err(SourceIssue::TooBroad)
        };
    }
    let Some((scheme, rest)) = v.split_once("://") else {
        return Err(SourceIssue::NoScheme);
    };
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let path_ok = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/%!$&()*+=@:".contains(&b));
    if !valid_host(&host.to_ascii_lowercase()) || !path_ok {
        return Err(SourceIssue::Syntax);
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" | "wss" => Ok(()),
        "http" | "ws" if loopback(&host.to_ascii_lowercase()) => Ok(()),
        "http" | "ws" => Err(SourceIssue::Insecure),
        _ => Err(SourceIssue::Syntax),
    }
}

fn is_hash(inner: &str) -> bool {
    ["sha256-", "sha384-", "sha512-"].iter().any(|p| {
        inner.strip_prefix(p).is_some_and(|b64| {
            !b64.is_empty()
                && b64.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
                })
        })
    })
}

impl SecurityConfig {
    /// Reads `security:` from site.yaml (`f` reads its top level, `doc` is the whole file) and
    /// checks that the hosts of forms and iframes can be written in the policy.
    pub fn read(
        f: &mut Fields<'_>,
        doc: &Doc,
        text: &str,
        forms: &FormsConfig,
        allow_iframes: &[String],
    ) -> (SecurityConfig, Vec<Diagnostic>) {
        let (security, mut diags) = match f.sub("security") {
            Some(sub) => SecurityConfig::parse(&sub, text, Path::new("site.yaml")),
            None => (SecurityConfig::default(), Vec::new()),
        };
        diags.extend(check_config(doc, text, forms, allow_iframes));
        (security, diags)
    }

    /// Reads `security:` of site.yaml; every problem comes back with its line.
    pub fn parse(doc: &Doc, text: &str, file: &Path) -> (SecurityConfig, Vec<Diagnostic>) {
        let mut f = Fields::new(doc, text, file, doc.first_line);
        let mut out = SecurityConfig {
            allow_unsafe: f.boolean("allow_unsafe"),
            headers: f.node("headers").is_none() || f.boolean("headers"),
            ..SecurityConfig::default()
        };
        let mut diags = Vec::new();
        if let Some(csp) = f.sub("csp") {
            let mut c = Fields::new(&csp, text, file, csp.first_line);
            for (directive, _) in &csp.entries {
                if !EXTENSIBLE.contains(&directive.as_str()) {
                    continue; // reported as unknown by `finish`, with a "did you mean"
                }
                let mut kept = Vec::new();
                for v in c.list(directive) {
                    match canonical_source(directive, &v, out.allow_unsafe) {
                        Ok(canonical) => kept.push(canonical),
                        Err(issue) => c.problem_at(
                            directive,
                            Problem::Security(CspProblem::BadSource {
                                directive: directive.clone(),
                                value: v,
                                issue,
                            }),
                        ),
                    }
                }
                out.extra.insert(directive.clone(), kept);
            }
            diags.extend(c.finish(&EXTENSIBLE));
        }
        diags.extend(f.finish(&["csp", "allow_unsafe", "headers"]));
        (out, diags)
    }
}

/// Checks that every host the configuration brings into the policy (form actions, embedded
/// forms, iframe hosts) can be written in it; `doc` is the whole site.yaml.
pub fn check_config(
    doc: &Doc,
    text: &str,
    forms: &FormsConfig,
    allow_iframes: &[String],
) -> Vec<Diagnostic> {
    let file = Path::new("site.yaml");
    let mut diags = Vec::new();
    let mut bad = |key: String, directive: &str, value: &str, issue: SourceIssue| {
        let pos = doc.pos(&key);
        diags.push(
            Diagnostic::error(
                file,
                Problem::Security(CspProblem::BadSource {
                    directive: directive.into(),
                    value: value.into(),
                    issue,
                }),
            )
            .at(text, pos.line, pos.value_col),
        );
    };
    for (name, h) in &forms.handlers {
        // An empty action was refused (or found missing) where it was read: reported once.
        let Some(directive) = form_directive(h).filter(|_| !h.action.is_empty()) else {
            continue;
        };
        if let Err(issue) = origin_of(&h.action) {
            let base = format!("forms.handlers.{name}");
            let key = ["action", "url", "id", "provider"]
                .iter()
                .map(|k| format!("{base}.{k}"))
                .find(|k| doc.positions.contains_key(k))
                .unwrap_or(base);
            bad(key, directive, &h.action, issue);
        }
    }
    let key = doc.pos("markdown.allow_iframes");
    for host in allow_iframes {
        if let Err(issue) = iframe_host(host) {
            let (line, col) = hosts::item_pos(text, key, host).unwrap_or((key.line, key.value_col));
            let problem = CspProblem::IframeHost {
                value: host.clone(),
                issue,
            };
            diags.push(Diagnostic::error(file, Problem::Security(problem)).at(text, line, col));
        }
    }
    diags
}

/// Where a handler's host goes: a posting form's into `form-action`, an embedded one's into
/// `frame-src`; links and Netlify (which posts to the site itself) need nothing.
fn form_directive(h: &crate::forms::Handler) -> Option<&'static str> {
    if h.provider.posts_to_site() {
        return None;
    }
    match h.mode {
        Mode::Link => None,
        Mode::Embed => Some("frame-src"),
        Mode::Form => Some("form-action"),
    }
}

/// A warning when the site ships its own `static/_headers` (it wins over the generated one).
pub fn own_headers_warning(root: &Path, security: &SecurityConfig) -> Option<Diagnostic> {
    (security.headers && root.join("static/_headers").is_file()).then(|| {
        Diagnostic::warning(
            "static/_headers",
            Problem::Security(CspProblem::OwnHeadersFile),
        )
    })
}

/// Sources third-party captcha widgets need, per directive, as their vendors document them.
fn captcha_sources(
    provider: CaptchaProvider,
) -> &'static [(&'static str, &'static [&'static str])] {
    const HCAPTCHA: &[&str] = &["https://hcaptcha.com", "https://*.hcaptcha.com"];
    match provider {
        CaptchaProvider::Turnstile => &[
            ("script-src", &["https://challenges.cloudflare.com"]),
            ("frame-src", &["https://challenges.cloudflare.com"]),
        ],
        CaptchaProvider::Hcaptcha => &[
            ("script-src", HCAPTCHA),
            ("frame-src", HCAPTCHA),
            ("style-src", HCAPTCHA),
            ("connect-src", HCAPTCHA),
        ],
        CaptchaProvider::Recaptcha => &[
            (
                "script-src",
                &[
                    "https://www.google.com/recaptcha/",
                    "https://www.gstatic.com/recaptcha/",
                ],
            ),
            (
                "frame-src",
                &[
                    "https://www.google.com/recaptcha/",
                    "https://recaptcha.google.com/recaptcha/",
                ],
            ),
        ],
    }
}

fn add(d: &mut BTreeMap<&'static str, Vec<String>>, dir: &'static str, src: &str) {
    // Every source is checked before it gets here; one that could end the directive, start a
    // policy or a header of its own is a bug, never written.
    debug_assert!(is_source_token(src), "CSP source {src:?}");
    if !is_source_token(src) {
        return;
    }
    let list = d.entry(dir).or_default();
    if !list.iter().any(|s| s == src) {
        list.push(src.to_string());
    }
}

/// A policy: directives in [`ORDER`], each with its sources in a stable order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    directives: Vec<(&'static str, Vec<String>)>,
}

impl Policy {
    /// The policy of a site: what its theme, forms, captchas and iframes need, plus `security.csp`.
    pub fn for_site(
        forms: &FormsConfig,
        allow_iframes: &[String],
        security: &SecurityConfig,
    ) -> Policy {
        let mut d: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for dir in ["default-src", "script-src", "style-src", "connect-src"] {
            add(&mut d, dir, "'self'");
        }
        // External images stay allowed: Markdown and `image:` may point at https images, and an
        // image cannot run code. Only https: plain http images would be mixed content.
        add(&mut d, "img-src", "'self'");
        add(&mut d, "img-src", "https:");
        add(&mut d, "object-src", "'none'");
        add(&mut d, "base-uri", "'none'");
        add(&mut d, "form-action", "'self'");
        add(&mut d, "frame-ancestors", "'self'");
        for h in forms.handlers.values() {
            if let (Some(dir), Ok(origin)) = (form_directive(h), origin_of(&h.action)) {
                add(&mut d, dir, &origin);
            }
            if let Some(c) = h.captcha.as_ref().filter(|_| h.mode == Mode::Form) {
                for (dir, sources) in captcha_sources(c.provider) {
                    sources.iter().for_each(|s| add(&mut d, dir, s));
                }
            }
        }
        // Markdown keeps iframes of these hosts and of their subdomains.
        // Written from the canonical host, never as typed.
        for host in allow_iframes.iter().filter_map(|h| iframe_host(h).ok()) {
            add(&mut d, "frame-src", &format!("https://{host}"));
            add(&mut d, "frame-src", &format!("https://*.{host}"));
        }
        for (dir, sources) in &security.extra {
            let Some(&dir) = ORDER.iter().find(|o| *o == dir) else {
                continue;
            };
            if !d.contains_key(dir) && dir != "frame-src" {
                // A directive of its own no longer falls back to default-src.
                add(&mut d, dir, "'self'");
            }
            // Canonical since `SecurityConfig::parse`; rebuilt here for values made in code.
            for s in sources {
                if let Ok(c) = canonical_source(dir, s, security.allow_unsafe) {
                    add(&mut d, dir, &c);
                }
            }
        }
        if !d.contains_key("frame-src") {
            add(&mut d, "frame-src", "'none'");
        }
        Policy {
            directives: ORDER
                .iter()
                .filter_map(|k| d.remove(k).map(|v| (*k, v)))
                .collect(),
        }
    }

    /// The sources of a directive (empty when the policy does not set it).
    pub fn sources(&self, directive: &str) -> &[String] {
        self.directives
            .iter()
            .find(|(k, _)| *k == directive)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    fn write(&self, header: bool) -> String {
        self.directives
            .iter()
            .filter(|(k, _)| header || !HEADER_ONLY.contains(k))
            .map(|(k, v)| format!("{k} {}", v.join(" ")))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The policy for `<meta http-equiv="Content-Security-Policy">` (no header-only directives),
    /// already escaped for a double-quoted attribute, so templates write it `| safe`: the
    /// single quotes of `'self'` stay as they are (legal there, and 4 bytes fewer each than
    /// `&#39;` on every page); `&`, `"`, `<` and `>` are escaped.
    pub fn meta(&self) -> String {
        attribute_text(&self.write(false))
    }

    /// The policy for the HTTP header.
    pub fn header(&self) -> String {
        self.write(true)
    }
}

/// What `_headers` must know when the output holds the web editor (`admin/`).
#[derive(Debug, Clone, Copy)]
pub struct Editor<'a> {
    /// The editor's own policy: the very text of the `<meta>` in its page.
    pub policy: &'a str,
    /// Every output path (`/`-separated, relative to the output root), `_headers` aside.
    pub outputs: &'a [String],
}

/// `Cross-Origin-Opener-Policy` of the site's pages.
const SITE_COOP: &str = "same-origin";

/// `Cross-Origin-Opener-Policy` of the web editor: its GitHub login opens a window on another
/// origin that hands the token back through `window.opener`, which `same-origin` would cut.
const EDITOR_COOP: &str = "same-origin-allow-popups";

/// The `_headers` file (Netlify and Cloudflare Pages format). Without the web editor: one rule
/// for every path. With it (`editor`): the headers every path shares on `/*`, the editor's
/// policy on its own files and the site's on every other path, by disjoint rules (`rules`).
/// Refuses (an error, and a failed assertion in debug builds) a line a value would break.
///
/// `immutable` (output paths of files whose name changes with their bytes: the theme's
/// fingerprinted assets) get `Cache-Control: public, max-age=31536000, immutable`; a path that
/// cannot be written on a `_headers` line is left to the host's default.
pub fn headers_file(
    policy: &Policy,
    editor: Option<Editor<'_>>,
    immutable: &[String],
) -> std::io::Result<String> {
    let mut out = Lines::default();
    out.text.push_str(
        "# Security headers written by tsunagari (change them with `security:` in site.yaml).\n# Read by Netlify and Cloudflare Pages; other hosts: set the same headers in their settings.\n",
    );
    let frame = policy.sources("frame-ancestors") == ["'self'"];
    match editor {
        None => {
            out.path("/*");
            out.header("Content-Security-Policy", &policy.header());
            shared(&mut out, frame, Some(SITE_COOP));
        }
        Some(e) => {
            out.text.push_str("# The web editor (/admin/) has its own Content-Security-Policy; every other path is listed\n# with the site's (_headers cannot say \"all but /admin/\", and a path under two policies gets both).\n");
            out.path("/*");
            shared(&mut out, frame, None);
            for path in rules::editor_paths(e.outputs) {
                out.path(&path);
                out.header("Content-Security-Policy", e.policy);
                out.header("Cross-Origin-Opener-Policy", EDITOR_COOP);
            }
            let site = policy.header();
            for path in rules::site_paths(e.outputs) {
                out.path(&path);
                out.header("Content-Security-Policy", &site);
                out.header("Cross-Origin-Opener-Policy", SITE_COOP);
            }
        }
    }
    for p in immutable {
        let path = format!("/{p}");
        if is_header_text(&path) && !path.contains(' ') {
            out.path(&path);
            out.header("Cache-Control", IMMUTABLE);
        }
    }
    match out.bad {
        None => Ok(out.text),
        Some(k) => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("_headers: {k} would break its line"),
        )),
    }
}

/// The headers whose value is the same for the site and the web editor (and COOP when there is
/// no editor, in the order `_headers` always had).
fn shared(out: &mut Lines, frame: bool, coop: Option<&str>) {
    out.header("X-Content-Type-Options", "nosniff");
    out.header("Referrer-Policy", "strict-origin-when-cross-origin");
    out.header("Permissions-Policy", PERMISSIONS_POLICY);
    if let Some(coop) = coop {
        out.header("Cross-Origin-Opener-Policy", coop);
    }
    // X-Frame-Options for browsers without frame-ancestors; it can only say "same origin", so
    // it is left out when the site lets other hosts frame it.
    if frame {
        out.header("X-Frame-Options", "SAMEORIGIN");
    }
}

/// For files whose URL changes whenever their bytes do: a year, never revalidated.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `_headers` being written; `bad` names the first line that would have broken.
#[derive(Default)]
struct Lines {
    text: String,
    bad: Option<String>,
}

impl Lines {
    fn path(&mut self, p: &str) {
        debug_assert!(is_header_text(p) && !p.contains(' '), "path {p:?}");
        if !is_header_text(p) || p.contains(' ') {
            self.bad = Some(format!("the path {p}"));
            return;
        }
        self.text.push_str(p);
        self.text.push('\n');
    }

    fn header(&mut self, k: &str, v: &str) {
        debug_assert!(is_header_text(k) && is_header_text(v), "header {k}: {v:?}");
        if !is_header_text(k) || !is_header_text(v) {
            self.bad = Some(format!("the value of {k}"));
            return;
        }
        self.text.push_str("  ");
        self.text.push_str(k);
        self.text.push_str(": ");
        self.text.push_str(v);
        self.text.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_ascii_hosts_with_https_or_loopback_http() {
        assert_eq!(
            origin_of("https://Forms.Example.jp:8443/a?b#c"),
            Ok("https://forms.example.jp:8443".into())
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/x"),
            Ok("http://127.0.0.1:8080".into())
        );
        assert_eq!(origin_of("http://[::1]:9/"), Ok("http://[::1]:9".into()));
        assert_eq!(origin_of("http://example.jp/"), Err(SourceIssue::Insecure));
        assert_eq!(
            origin_of("http://localhost.evil.jp/"),
            Err(SourceIssue::Insecure)
        );
        assert_eq!(origin_of("https://町.jp/"), Err(SourceIssue::NonAscii));
        for bad in [
            "https://a.jp;script-src/",
            "https://a b.jp/",
            "https://user@a.jp/",
            "https://*.a.jp/",
            "https://a..jp/",
            "https://a.jp:99999/",
            "javascript://a.jp/",
        ] {
            assert_eq!(origin_of(bad), Err(SourceIssue::Syntax), "{bad}");
        }
    }

    #[test]
    fn sources_are_checked_per_directive() {
        let ok = |d: &str, v: &str| check_source(d, v, false);
        assert_eq!(ok("img-src", "https://*.example.jp"), Ok(()));
        assert_eq!(ok("img-src", "data:"), Ok(()));
        assert_eq!(ok("connect-src", "wss://live.example.jp/ws"), Ok(()));
        assert_eq!(ok("script-src", "'sha384-AbC+/9='"), Ok(()));
        assert_eq!(ok("script-src", "data:"), Err(SourceIssue::TooBroad));
        assert_eq!(ok("form-action", "https:"), Err(SourceIssue::TooBroad));
        assert_eq!(
            ok("img-src", "'sha256-x'"),
            Err(SourceIssue::WrongDirective)
        );
        assert_eq!(ok("script-src", "'self"), Err(SourceIssue::Syntax));
        assert_eq!(
            ok("script-src", "'strict-dynamic'"),
            Err(SourceIssue::Syntax)
        );
        assert_eq!(ok("script-src", "'unsafe-eval'"), Err(SourceIssue::Unsafe));
        assert_eq!(check_source("script-src", "'unsafe-eval'", true), Ok(()));
        assert_eq!(check_source("connect-src", "*", true), Ok(()));
    }

    #[test]
    fn meta_leaves_out_what_browsers_ignore_there() {
        let p = Policy::for_site(&FormsConfig::default(), &[], &SecurityConfig::default());
        assert!(!p.meta().contains("frame-ancestors"));
        assert!(p.header().ends_with("; frame-ancestors 'self'"));
        assert_eq!(p.sources("frame-src"), ["'none'"]);
    }

    #[test]
    fn meta_is_attribute_text_with_its_single_quotes_kept() {
        let p = Policy::for_site(&FormsConfig::default(), &[], &SecurityConfig::default());
        assert!(p
            .meta()
            .starts_with("default-src 'self'; script-src 'self';"));
        assert!(!p.meta().contains("&#39;"));
        // A path may carry `&` (check_source allows it): it is escaped, like anything that
        // could end the attribute or open a tag.
        assert_eq!(
            attribute_text("https://a.example/x?a=1&b=\"<'self'>"),
            "https://a.example/x?a=1&amp;b=&quot;&lt;'self'&gt;"
        );
    }
}
