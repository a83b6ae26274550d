//! What the incremental tests share: a clean build into memory, the files a dev-server session
//! serves, and the comparison of the two (which output paths are missing, extra or different).

use crate::common::render;
use std::collections::BTreeMap;
use std::path::PathBuf;
use tsunagari::incremental::{Mode, Session, Update};
use tsunagari::output::Memory;
use tsunagari::pipeline::{self, BuildOptions, Failure};

/// Output path → bytes.
pub type Output = BTreeMap<String, Vec<u8>>;

/// A clean build of the site into memory, or its problems rendered for people.
pub fn try_clean_build(opts: &BuildOptions) -> Result<Output, String> {
    let mut p = match pipeline::prepare(opts) {
        Ok(p) => p,
        Err(Failure::Content(d)) => return Err(render(&d)),
        Err(e) => return Err(format!("{e:?}")),
    };
    let memory = Memory::default();
    match pipeline::emit(&mut p, &opts.root, &memory) {
        Ok(_) => {}
        Err(Failure::Content(d)) => return Err(render(&d)),
        Err(e) => return Err(format!("{e:?}")),
    }
    Ok(memory
        .into_map()
        .into_iter()
        .map(|(k, v)| (k, v.to_vec()))
        .collect())
}

pub fn clean_build(opts: &BuildOptions) -> Output {
    try_clean_build(opts).unwrap_or_else(|e| panic!("clean build failed:\n{e}"))
}

/// What the session serves now.
pub fn served(s: &Session) -> Output {
    s.files()
        .iter()
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect()
}

/// None when `ours` is byte for byte `clean`; else the paths missing, extra and different.
pub fn differences(clean: &Output, ours: &Output) -> Option<String> {
    let missing: Vec<&String> = clean.keys().filter(|k| !ours.contains_key(*k)).collect();
    let extra: Vec<&String> = ours.keys().filter(|k| !clean.contains_key(*k)).collect();
    let differ: Vec<&String> = clean
        .iter()
        .filter(|(k, v)| ours.get(*k).is_some_and(|o| o != *v))
        .map(|(k, _)| k)
        .collect();
    (!(missing.is_empty() && extra.is_empty() && differ.is_empty()))
        .then(|| format!("missing {missing:?}, extra {extra:?}, different {differ:?}"))
}

pub fn assert_same_as_clean(s: &Session, opts: &BuildOptions, step: &str) {
    if let Some(d) = differences(&clean_build(opts), &served(s)) {
        panic!("after {step}: {d}");
    }
}

/// Runs one update with the given changed paths, then the late outputs, and checks the result
/// against a clean build.
pub fn step(
    s: &mut Session,
    opts: &BuildOptions,
    what: &str,
    changed: &[&str],
    mode: Mode,
) -> Update {
    let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    let u = match s.update(Some(&changed)) {
        Ok(u) => u,
        Err(Failure::Content(d)) => panic!("{what}: update failed:\n{}", render(&d)),
        Err(e) => panic!("{what}: update failed: {e:?}"),
    };
    assert_eq!(u.mode, mode, "{what}: mode");
    s.finish().unwrap();
    assert_same_as_clean(s, opts, what);
    u
}

/// A session over `t` after its first (full) build, checked against a clean build.
pub fn started(t: &crate::common::SiteTest, now: &str) -> (Session, BuildOptions) {
    let opts = pipeline::options(&t.root, now);
    let mut s = Session::new(opts.clone());
    s.update(None).unwrap();
    s.finish().unwrap();
    if let Some(d) = differences(&clean_build(&opts), &served(&s)) {
        panic!("the first build: {d}");
    }
    (s, opts)
}
