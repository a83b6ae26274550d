//! tsunagari: a static site generator for Japanese relationship-population (関係人口) portals.
//!
//! Data flows one way: [`config`] and [`content`] load and check the sources, [`markdown`]
//! renders bodies, [`site`] assembles pages and their relations, [`render`] applies the theme,
//! [`feeds`] writes feeds and sitemaps, [`output`] writes the result atomically. [`pipeline`]
//! runs those stages; [`cli`] is the command line. See ARCHITECTURE.md.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cli;
pub mod cms;
pub mod config;
pub mod content;
pub mod csp;
pub mod date;
pub mod diagnostics;
pub mod feeds;
pub mod fields;
pub mod forms;
#[doc(hidden)]
pub mod fuzzing;
pub mod images;
pub mod incremental;
pub mod japan;
pub mod markdown;
pub mod messages;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod strings;
pub mod structured;
pub mod suggest;
pub mod taxonomy;
pub mod theme;
pub mod unicode;
pub mod urls;
pub mod view;
pub mod walk;
pub mod yaml;

#[cfg(test)]
mod test_files;
