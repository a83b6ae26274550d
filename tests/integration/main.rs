//! One integration-test binary (mdBook's layout: faster to build than one binary per file).
mod common;

mod build;
mod cli;
mod discovery;
mod errors;
mod forms;
mod harden_csp;
mod harden_files;
mod harden_fuzz;
mod harden_markdown;
mod harden_output;
mod harden_serve;
mod harden_text;
mod harden_urls;
mod hostile;
mod incremental;
mod safety;
mod sample;
mod search;
mod serve;
mod snapshots;
mod strings;
