//! One integration-test binary (mdBook's layout: faster to build than one binary per file).
mod common;

mod build;
mod cli;
mod discovery;
mod errors;
mod forms;
mod harden_fuzz;
mod incremental;
mod safety;
mod sample;
mod search;
mod serve;
