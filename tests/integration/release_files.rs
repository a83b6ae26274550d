//! The install-without-Rust files at the repository root (issue 13, section 1): `action.yml`
//! (the composite action a portal's workflow `uses:`) and `.github/workflows/release.yml`
//! (which builds what the action downloads). actionlint checks the workflow (CI); it does not
//! read action.yml, so its shape is checked here, and its install script is run against a
//! release laid out on disk the way release.yml lays it out (archives made by
//! `scripts/release-archive`, `SHA256SUMS` by `sha256sum`), served through `file://`.

use serde_yaml::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(rel: &str) -> Value {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn str_at<'a>(v: &'a Value, keys: &[&str]) -> &'a str {
    let mut v = v;
    for k in keys {
        v = &v[*k];
    }
    v.as_str()
        .unwrap_or_else(|| panic!("{keys:?} is not a string: {v:?}"))
}

/// The one step of the action, which installs.
fn install_step(action: &Value) -> &Value {
    let steps = action["runs"]["steps"]
        .as_sequence()
        .expect("runs.steps is a list");
    assert_eq!(steps.len(), 1, "one install step");
    &steps[0]
}

/// The targets the action's `case` picks from (`Linux/X64) target=x86_64-unknown-linux-musl ;;`).
fn action_targets(action: &Value) -> BTreeSet<String> {
    str_at(install_step(action), &["run"])
        .lines()
        .filter_map(|l| l.split_once(") target=").map(|(_, t)| t))
        .map(|t| t.trim_end_matches(";;").trim().to_string())
        .collect()
}

/// The targets release.yml's build matrix builds.
fn release_targets() -> BTreeSet<String> {
    let release = yaml(".github/workflows/release.yml");
    let include = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .expect("jobs.build.strategy.matrix.include is a list");
    include
        .iter()
        .map(|e| str_at(e, &["target"]).to_string())
        .collect()
}

#[test]
fn action_yml_is_a_composite_action_with_a_pinned_version_input_and_a_path_output() {
    let action = yaml("action.yml");
    assert!(!str_at(&action, &["name"]).is_empty());
    assert!(!str_at(&action, &["description"]).is_empty());
    assert_eq!(action["inputs"]["version"]["required"], Value::Bool(true));
    assert_eq!(str_at(&action, &["inputs", "install-dir", "default"]), "");
    assert_eq!(
        str_at(&action, &["outputs", "path", "value"]),
        "${{ steps.install.outputs.path }}"
    );
    assert_eq!(str_at(&action, &["runs", "using"]), "composite");
    let step = install_step(&action);
    assert_eq!(str_at(step, &["id"]), "install");
    assert_eq!(
        str_at(step, &["shell"]),
        "bash",
        "composite run steps need a shell"
    );
    // Inputs reach the script through env, never spliced into its text (script injection).
    let run = str_at(step, &["run"]);
    assert!(!run.contains("${{"), "expressions in run: {run}");
    for input in ["version", "install-dir"] {
        let expr = format!("inputs.{input}");
        let env = step["env"].as_mapping().expect("step env");
        assert!(
            env.values()
                .any(|v| v.as_str().is_some_and(|s| s.contains(&expr))),
            "{input} is not passed through env"
        );
    }
}

#[test]
fn release_builds_the_issue_targets_and_the_action_downloads_only_those() {
    let expected: BTreeSet<String> = [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ]
    .map(String::from)
    .into();
    assert_eq!(release_targets(), expected);
    let action = action_targets(&yaml("action.yml"));
    assert_eq!(action.len(), 5, "one per runner OS/arch: {action:?}");
    let missing: Vec<_> = action.difference(&expected).collect();
    assert!(
        missing.is_empty(),
        "action.yml downloads what release.yml never builds: {missing:?}"
    );
}

#[test]
fn release_publishes_to_pypi_with_trusted_publishing_only() {
    let release = yaml(".github/workflows/release.yml");
    let pypi = &release["jobs"]["pypi"];
    assert_eq!(str_at(pypi, &["permissions", "id-token"]), "write");
    let steps = pypi["steps"].as_sequence().unwrap();
    let publish = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("pypa/gh-action-pypi-publish@"))
        })
        .expect("a pypa/gh-action-pypi-publish step");
    assert!(
        publish["with"]["password"].is_null(),
        "no API token: trusted publishing"
    );
    assert_eq!(str_at(&release, &["permissions", "contents"]), "read");
}

/// A release of `v9.9.9` laid out like release.yml's for one target, under `dir/srv`.
struct FakeRelease {
    dir: tempfile::TempDir,
}

const FAKE_BINARY: &str = "#!/bin/sh\necho fake tsunagari \"$@\"\n";

impl FakeRelease {
    fn new(target: &str) -> FakeRelease {
        let dir = tempfile::tempdir().unwrap();
        let wheels = dir.path().join("wheels");
        let release = dir
            .path()
            .join("srv/owner/tsunagari/releases/download/v9.9.9");
        std::fs::create_dir_all(&wheels).unwrap();
        // A wheel as maturin lays out a `bindings = "bin"` one.
        let make_wheel = "import sys, zipfile\n\
            with zipfile.ZipFile(sys.argv[1], 'w') as w:\n\
            \x20   w.writestr('tsunagari-9.9.9.data/scripts/tsunagari', sys.argv[2])\n";
        let wheel = wheels.join("tsunagari-9.9.9-py3-none-linux_x86_64.whl");
        run_ok(
            Command::new("python3")
                .args(["-c", make_wheel])
                .arg(&wheel)
                .arg(FAKE_BINARY),
        );
        run_ok(
            Command::new("python3")
                .arg(root().join("scripts/release-archive"))
                .arg(&wheels)
                .arg(target)
                .arg(&release)
                .current_dir(root()),
        );
        run_ok(
            Command::new("sh")
                .args(["-c", "sha256sum -- tsunagari-* > SHA256SUMS"])
                .current_dir(&release),
        );
        FakeRelease { dir }
    }

    fn sums(&self) -> PathBuf {
        self.dir
            .path()
            .join("srv/owner/tsunagari/releases/download/v9.9.9/SHA256SUMS")
    }

    /// Runs the action's install script as a Linux x64 runner would, with `version`.
    fn install(&self, version: &str, arch: &str) -> (Output, String, String) {
        let action = yaml("action.yml");
        let run = str_at(install_step(&action), &["run"]).to_string();
        let runner = self.dir.path().join("runner");
        std::fs::create_dir_all(&runner).unwrap();
        let (gh_path, gh_output) = (runner.join("path"), runner.join("output"));
        let out = Command::new("bash")
            .args(["-c", &run])
            .env("VERSION", version)
            .env("INSTALL_DIR", "")
            .env("REPOSITORY", "owner/tsunagari")
            .env(
                "SERVER_URL",
                format!("file://{}", self.dir.path().join("srv").display()),
            )
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TEMP", &runner)
            .env("GITHUB_PATH", &gh_path)
            .env("GITHUB_OUTPUT", &gh_output)
            .output()
            .unwrap();
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        (out, read(&gh_path), read(&gh_output))
    }
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn action_installs_the_release_archive_after_checking_its_sha256() {
    let release = FakeRelease::new("x86_64-unknown-linux-musl");
    let (out, gh_path, gh_output) = release.install("v9.9.9", "X64");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = gh_output.trim().strip_prefix("path=").expect("path output");
    assert_eq!(Path::new(path).parent().unwrap(), Path::new(gh_path.trim()));
    let ran = Command::new(path).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        "fake tsunagari --version\n"
    );
}

#[test]
fn action_refuses_a_tampered_archive_an_unknown_runner_and_an_unpinned_version() {
    let release = FakeRelease::new("x86_64-unknown-linux-musl");
    // The sum of another file: the archive must not be installed.
    let sums = std::fs::read_to_string(release.sums()).unwrap();
    let tampered = format!("{}{}", "0".repeat(64), &sums[64..]);
    std::fs::write(release.sums(), tampered).unwrap();
    for (version, arch, says) in [
        ("v9.9.9", "X64", "SHA-256"),
        ("v9.9.9", "ARM", "no tsunagari release for Linux/ARM"),
        ("latest", "X64", "version must be a release tag"),
    ] {
        let (out, gh_path, gh_output) = release.install(version, arch);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "{version} {arch}: {stdout}");
        assert!(
            stdout.contains("::error") && stdout.contains(says),
            "{version} {arch}: {stdout}"
        );
        assert!(
            gh_path.is_empty() && gh_output.is_empty(),
            "{version} {arch}: PATH changed"
        );
    }
    assert!(!release
        .dir
        .path()
        .join("runner/tsunagari-v9.9.9/tsunagari")
        .exists());
}
