//! The problems of the Content-Security-Policy and the security headers (`crate::csp` finds
//! them; their texts are the catalogue's): a source that cannot go in the policy as written, an
//! iframe host that is not a bare host name, a site's own `_headers`. Wrapped in
//! `Problem::Security`.

use super::Lang;
use crate::msg;

/// What can be wrong with a source or with the headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceIssue {
    /// Not a CSP source expression (spaces, `;`, quotes, an unknown keyword…).
    Syntax,
    /// A host written in Japanese (or any non-ASCII): CSP needs its punycode form.
    NonAscii,
    /// A source without `https://`.
    NoScheme,
    /// `http://` (or `ws://`) to a host other than localhost.
    Insecure,
    /// `'nonce-…'`: a static site sends the same nonce to everyone, so it protects nothing.
    Nonce,
    /// `'none'` among added sources.
    NoneKeyword,
    /// `'unsafe-inline'` and friends without `allow_unsafe: true`.
    Unsafe,
    /// `*` or a bare scheme (`https:`) where it would allow any host, without `allow_unsafe`.
    TooBroad,
    /// A keyword or hash in a directive where it has no meaning.
    WrongDirective,
    /// An iframe host that is not a bare host name (a scheme, path, port, space, `;`, quote…).
    NotHostName,
    /// An iframe host of one label (`jp`, `localhost`): it would allow every host under it.
    SingleLabel,
    /// An iframe host written as an IP address.
    IpAddress,
}

/// A problem of the security policy, wrapped in [`Problem::Security`](super::Problem::Security).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CspProblem {
    /// A source in `security.csp.<directive>`, a form action or an iframe host that cannot go in
    /// the policy as written.
    BadSource {
        directive: String,
        value: String,
        issue: SourceIssue,
    },
    /// The site has its own `static/_headers`; it replaces the generated one.
    OwnHeadersFile,
    /// A `markdown.allow_iframes` entry that is not a bare host name.
    IframeHost { value: String, issue: SourceIssue },
}

impl CspProblem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            CspProblem::BadSource {
                directive, value, ..
            } => msg!(lang, "csp-bad-source", directive = directive, value = value),
            CspProblem::IframeHost { value, .. } => {
                msg!(lang, "csp-iframe-host", value = crate::urls::visible(value))
            }
            CspProblem::OwnHeadersFile => msg!(lang, "csp-own-headers"),
        }
    }

    pub fn help(&self, lang: Lang) -> String {
        match self {
            CspProblem::OwnHeadersFile => msg!(lang, "csp-own-headers-help"),
            CspProblem::BadSource { issue, .. } => issue_help(*issue, lang),
            CspProblem::IframeHost { issue, .. } => iframe_help(*issue, lang),
        }
    }
}

fn iframe_help(issue: SourceIssue, lang: Lang) -> String {
    match issue {
        SourceIssue::SingleLabel => msg!(lang, "csp-single-label-help"),
        SourceIssue::IpAddress => msg!(lang, "csp-ip-address-help"),
        SourceIssue::NonAscii => issue_help(SourceIssue::NonAscii, lang),
        _ => msg!(lang, "csp-host-name-help"),
    }
}

fn issue_help(issue: SourceIssue, lang: Lang) -> String {
    match issue {
        SourceIssue::NotHostName | SourceIssue::SingleLabel | SourceIssue::IpAddress => {
            iframe_help(issue, lang)
        }
        SourceIssue::Syntax => msg!(lang, "csp-syntax-help"),
        SourceIssue::NonAscii => msg!(lang, "csp-non-ascii-help"),
        SourceIssue::NoScheme => msg!(lang, "csp-no-scheme-help"),
        SourceIssue::Insecure => msg!(lang, "csp-insecure-help"),
        SourceIssue::Nonce => msg!(lang, "csp-nonce-help"),
        SourceIssue::NoneKeyword => msg!(lang, "csp-none-help"),
        SourceIssue::Unsafe => msg!(lang, "csp-unsafe-help"),
        SourceIssue::TooBroad => msg!(lang, "csp-too-broad-help"),
        SourceIssue::WrongDirective => msg!(lang, "csp-wrong-directive-help"),
    }
}
