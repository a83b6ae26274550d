//! Replays every committed fuzz input through its target body (`tsunagari::fuzzing`), so the
//! corpus and every crash the fuzzer ever found are checked by plain `cargo test`, without
//! libFuzzer or a nightly compiler. See CONTRIBUTING.md, "Fuzzing".

use std::path::{Path, PathBuf};
use tsunagari::fuzzing::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Files of `fuzz/<kind>/<target>/`, sorted (an absent folder has none).
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join(kind).join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file());
    files.sort();
    files
}

/// Runs every corpus and regression input of `target`; a failure names the file.
fn replay(target: &str) {
    let body = TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| panic!("no fuzz target {target}"));
    let corpus = inputs("corpus", target);
    assert!(!corpus.is_empty(), "fuzz/corpus/{target}/ has no seeds");
    for path in corpus.iter().chain(&inputs("regressions", target)) {
        let data = std::fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(
            outcome.is_ok(),
            "fuzz input {} fails its target",
            path.display()
        );
    }
}

#[test]
fn fuzz_corpus_front_matter_holds_its_invariants() {
    replay("front_matter");
}

#[test]
fn fuzz_corpus_markdown_holds_its_invariants() {
    replay("markdown");
}

#[test]
fn fuzz_corpus_tokenizer_holds_its_invariants() {
    replay("tokenizer");
}

#[test]
fn fuzz_corpus_site_yaml_holds_its_invariants() {
    replay("site_yaml");
}

#[test]
fn fuzz_corpus_whole_site_holds_its_invariants() {
    replay("whole_site");
}

/// Every folder of inputs belongs to a target, and every target has a fuzz_targets file, so
/// no input is silently skipped and no target silently untested.
#[test]
fn every_fuzz_folder_names_a_target_and_every_target_is_built() {
    let names: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
    for kind in ["corpus", "regressions"] {
        let Ok(dir) = std::fs::read_dir(fuzz_dir().join(kind)) else {
            continue; // git keeps no empty folder
        };
        for e in dir {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                names.contains(&name.as_str()),
                "fuzz/{kind}/{name} is no target"
            );
        }
    }
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for name in names {
        let file = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        assert!(file.is_file(), "{} missing", file.display());
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{name} not in fuzz/Cargo.toml"
        );
    }
}
