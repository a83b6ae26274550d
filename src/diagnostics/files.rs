//! Messages for what can go wrong between a site's files and the output folder: two files
//! published at one path, files that run script at their URL, an old output file that could not be removed.

use super::Lang;
use crate::msg;

/// A problem with the files a build publishes (see `crate::pipeline::files`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// This file would be published at `output`, where `other` (a file of the site) is
    /// published too, or, when `other` is None, a file tsunagari generates (a page, a feed…).
    Collision {
        output: String,
        other: Option<String>,
    },
    /// A `static/` file published instead of the file tsunagari generates at `output`.
    Replaces { output: String },
    /// An HTML, SVG or XML file with a script, an event handler or a `javascript:` URL.
    RunsScript,
    /// After a successful build, a file of the previous output that the build no longer
    /// produces could not be removed.
    StaleOutputLeft { detail: String },
}

impl FileProblem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            FileProblem::Collision {
                output,
                other: None,
            } => msg!(lang, "collision-generated", output = output),
            FileProblem::Collision {
                output,
                other: Some(o),
            } => msg!(lang, "collision", other = o, output = output),
            FileProblem::Replaces { output } => msg!(lang, "replaces-generated", output = output),
            FileProblem::RunsScript => msg!(lang, "runs-script"),
            FileProblem::StaleOutputLeft { detail } => {
                msg!(lang, "stale-output-left", detail = detail)
            }
        }
    }

    pub fn help(&self, lang: Lang) -> String {
        match self {
            FileProblem::Collision { other: None, .. } => msg!(lang, "collision-generated-help"),
            FileProblem::Collision { .. } => msg!(lang, "collision-help"),
            FileProblem::Replaces { .. } => msg!(lang, "replaces-generated-help"),
            FileProblem::RunsScript => msg!(lang, "runs-script-help"),
            FileProblem::StaleOutputLeft { .. } => msg!(lang, "stale-output-left-help"),
        }
    }
}
