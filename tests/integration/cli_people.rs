//! Issue 13 §5, "a CLI for people", through the binary: outside a site every command says what
//! is missing; a taken port is said and (by default) stepped over; `serve` previews drafts and
//! scheduled pages, marked; `new`'s and `init`'s comments about `draft:` are right; every
//! command's `--help` is in the chosen language.

use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tsunagari");

/// A command that must end by itself; a guard against a hang (it is not a timing check).
fn finish(mut cmd: Command) -> (i32, String) {
    let mut child = cmd
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code().unwrap_or(-1), err);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(dir);
    finish(cmd)
}

/// A `tsunagari serve` that is stopped when dropped.
struct Serving {
    child: Child,
    /// Where it listens, as printed.
    url: String,
    /// What it printed before it listened.
    said: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` in `dir` and reads its output until the line with the URL it listens on.
fn serve(dir: &Path, args: &[&str]) -> Serving {
    let mut child = Command::new(BIN)
        .arg("serve")
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut said = String::new();
    loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve ended before listening:\n{said}");
        };
        said.push_str(&line);
        said.push('\n');
        if let Some(rest) = line.strip_prefix("プレビュー: ") {
            let url = rest.split('（').next().unwrap().to_string();
            // Keep reading (and dropping) what it prints later, so it never blocks on stderr.
            std::thread::spawn(move || lines.for_each(drop));
            return Serving { child, url, said };
        }
    }
}

/// GET `path` from a server at `url` (`http://127.0.0.1:port/`): (status, body).
fn get(url: &str, path: &str) -> (u16, String) {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, body.to_string())
}

fn port_of(url: &str) -> u16 {
    url.trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A new site made by `init`, as staff start: its folder, and the temporary folder holding it.
fn starter() -> (std::path::PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = run(dir.path(), &["init", "site"]);
    assert_eq!(code, 0, "{err}");
    (dir.path().canonicalize().unwrap().join("site"), dir)
}

#[test]
fn outside_a_site_build_check_and_serve_say_what_is_missing_and_stop() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("only-content/content")).unwrap();
    std::fs::create_dir_all(root.join("only-config")).unwrap();
    std::fs::write(root.join("only-config/site.yaml"), "title: t\n").unwrap();
    let full = |d: &str| root.join(d).display().to_string();
    let cases = [
        (
            ".",
            format!(
                "{} はサイトのフォルダではありません（site.yaml と content/ がありません）",
                root.display()
            ),
        ),
        (
            "only-content",
            format!("{} に site.yaml がありません", full("only-content")),
        ),
        (
            "only-config",
            format!("{} に content/ フォルダがありません", full("only-config")),
        ),
        (
            "nowhere",
            "サイトのフォルダ nowhere がありません".to_string(),
        ),
    ];
    for command in ["build", "check", "serve"] {
        for (site, said) in &cases {
            let mut args = vec![command, "--root", site];
            if command == "serve" {
                args.extend(["--port", "0"]);
            }
            let (code, err) = run(&root, &args);
            assert_eq!(code, 2, "{command} {site}: {err}");
            assert!(err.starts_with("エラー: "), "{command} {site}: {err}");
            assert!(err.contains(said.as_str()), "{command} {site}: {err}");
            assert!(err.contains("tsunagari init"), "{command} {site}: {err}");
            assert_eq!(err.lines().count(), 1, "{command} {site}: {err}");
        }
    }
    // The same in English, and nothing was written.
    let (code, err) = run(&root, &["--lang", "en", "serve"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("is not a site folder (no site.yaml and no content/)"),
        "{err}"
    );
    assert!(err.contains("tsunagari init"), "{err}");
    assert!(!root.join("public").exists());
}

#[test]
fn an_explicit_port_that_is_taken_names_port() {
    let t = SiteTest::from_fixture("minimal");
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    let (code, err) = run(&t.root, &["serve", "--now", NOW, "--port", &port]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "ポート {port} はほかのプログラムが使っています。--port で別の番号を指定するか"
        )),
        "{err}"
    );
    let (code, err) = run(
        &t.root,
        &["--lang", "en", "serve", "--now", NOW, "--port", &port],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "port {port} is in use by another program; choose another with --port"
        )),
        "{err}"
    );
    drop(held);
}

#[test]
fn a_taken_default_port_is_said_and_the_next_free_one_used() {
    let t = SiteTest::from_fixture("minimal");
    // Taken by this test, or already by another program: taken either way.
    let _held = TcpListener::bind("127.0.0.1:1111");
    let s = serve(&t.root, &["--now", NOW]);
    let port = port_of(&s.url);
    assert!((1112..=1131).contains(&port), "{}", s.said);
    assert!(
        s.said.contains(&format!(
            "ポート 1111 はほかのプログラムが使っているため、空いていたポート {port} を使います"
        )),
        "{}",
        s.said
    );
    let (status, body) = get(&s.url, "/");
    assert_eq!(status, 200);
    assert!(body.contains("<html"), "{body}");
}

#[test]
fn serve_previews_a_new_draft_marked_and_build_leaves_it_out() {
    let (site, _dir) = starter();
    let (code, err) = run(&site, &["new", "challenge", "x"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("tsunagari serve のプレビューにだけ「下書き」と表示されます"),
        "{err}"
    );
    // `serve` shows it, with the note from strings.yaml over the page and a label on its card.
    let s = serve(&site, &["--port", "0"]);
    let (status, body) = get(&s.url, "/challenges/x/");
    assert_eq!(status, 200, "{body}");
    let doc = scraper::Html::parse_document(&body);
    assert_eq!(
        texts(&doc, "main > p.preview-note--draft[role=note]"),
        ["下書き: このページはまだ公開されていません（プレビューでだけ表示しています）。公開するときは draft: false にします。"]
    );
    let (_, list) = get(&s.url, "/challenges/");
    let list = scraper::Html::parse_document(&list);
    assert_eq!(texts(&list, ".preview-label--draft"), ["下書き"]);
    // A published page has no note; the draft, listed among its similar pages, keeps its
    // label there too.
    let (_, first) = get(&s.url, "/challenges/first-challenge/");
    assert!(!first.contains("preview-note"), "{first}");
    let first = scraper::Html::parse_document(&first);
    assert_eq!(
        texts(
            &first,
            ".briefs li:has(a[href$='/challenges/x/']) .preview-label"
        ),
        ["下書き"]
    );
    assert_eq!(texts(&first, ".preview-label").len(), 1);
    drop(s);
    // `--no-drafts` hides it, as the public site will.
    let s = serve(&site, &["--port", "0", "--no-drafts"]);
    assert_eq!(get(&s.url, "/challenges/x/").0, 404);
    drop(s);
    // `build` never publishes it, and says where to see it.
    let (code, err) = run(&site, &["build"]);
    assert_eq!(code, 0, "{err}");
    assert!(site
        .join("public/challenges/first-challenge/index.html")
        .exists());
    assert!(!site.join("public/challenges/x").exists());
    assert!(err.contains("下書き・公開日前のページ 1 件は出力していません（tsunagari serve のプレビューで確認できます）"), "{err}");
    // `build --drafts` (a preview deployment) writes it, marked the same way.
    let (code, err) = run(&site, &["build", "--drafts", "--output", "preview"]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(site.join("preview/challenges/x/index.html")).unwrap();
    assert!(
        page.contains("class=\"preview-note preview-note--draft\""),
        "{page}"
    );
}

#[test]
fn serve_previews_a_scheduled_page_with_its_date() {
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "content/columns/later.md",
        "---\ntitle: 来月のコラム\ndate: 2026-05-10\n---\n本文\n",
    );
    let s = serve(&t.root, &["--now", NOW, "--port", "0"]);
    let (status, body) = get(&s.url, "/columns/later/");
    assert_eq!(status, 200, "{body}");
    let doc = scraper::Html::parse_document(&body);
    assert_eq!(
        texts(&doc, "main > p.preview-note--scheduled"),
        ["公開予定: このページは2026年5月10日に公開されます。それまではプレビューでだけ表示しています。"]
    );
    // Listed, marked, with the fixture's own future column.
    let (_, list) = get(&s.url, "/columns/");
    let list = scraper::Html::parse_document(&list);
    assert_eq!(
        texts(&list, ".preview-label--scheduled"),
        ["公開予定", "公開予定"]
    );
    drop(s);
    // On its date it is an ordinary page.
    let s = serve(&t.root, &["--now", "2026-05-10", "--port", "0"]);
    let (status, body) = get(&s.url, "/columns/later/");
    assert_eq!(status, 200);
    assert!(!body.contains("preview-"), "{body}");
    drop(s);
    let s = serve(&t.root, &["--now", NOW, "--port", "0", "--no-drafts"]);
    assert_eq!(get(&s.url, "/columns/later/").0, 404);
}

#[test]
fn the_draft_comment_of_new_and_init_pages_is_right() {
    let (site, _dir) = starter();
    let comment = "# 下書き（draft: true）は tsunagari serve のプレビューにだけ表示され、公開されません。draft: false にすると公開";
    for kind in ["challenge", "case", "column"] {
        let (code, err) = run(&site, &["new", kind, "mine"]);
        assert_eq!(code, 0, "{err}");
        let made = std::fs::read_to_string(site.join(format!("content/{kind}s/mine.md"))).unwrap();
        assert!(
            made.contains(&format!("{comment}\ndraft: true\n")),
            "{made}"
        );
        let first =
            std::fs::read_to_string(site.join(format!("content/{kind}s/first-{kind}.md"))).unwrap();
        assert!(
            first.contains(&format!("{comment}\ndraft: false\n")),
            "{first}"
        );
    }
}

/// The commands `tsunagari --help` lists (read from the English help, so a new one is checked
/// without editing this test).
fn commands(t: &SiteTest) -> Vec<String> {
    let (_, en, _) = t.cli(&["--lang", "en", "--help"]);
    let list = en.split("Commands:\n").nth(1).unwrap();
    list.lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The description of each option and argument line of a help page (after the name column).
fn descriptions(help: &str) -> Vec<String> {
    help.lines()
        .filter(|l| l.starts_with("  ") && l.trim_start().starts_with(['-', '<']))
        .map(|l| {
            let name_end = l.trim_start().find("  ").unwrap_or(l.trim_start().len());
            l.trim_start()[name_end..].trim().to_string()
        })
        .collect()
}

#[test]
fn every_command_and_option_is_described_in_the_chosen_language() {
    let t = SiteTest::empty();
    let commands = commands(&t);
    for c in ["build", "check", "serve", "init", "new", "help"] {
        assert!(commands.iter().any(|x| x == c), "{c} not in {commands:?}");
    }
    // `help` is clap's: `help serve` prints `serve --help`.
    let (_, via_help, _) = t.cli(&["help", "serve"]);
    let (_, serve_help, _) = t.cli(&["serve", "--help"]);
    assert_eq!(via_help, serve_help);
    for c in commands.iter().filter(|c| *c != "help") {
        let (code, ja, _) = t.cli(&[c, "--help"]);
        assert_eq!(code, 0, "{c}");
        let (code, en, _) = t.cli(&["--lang", "en", c, "--help"]);
        assert_eq!(code, 0, "{c}");
        let (ja_lines, en_lines) = (descriptions(&ja), descriptions(&en));
        assert!(!ja_lines.is_empty(), "{c}:\n{ja}");
        assert_eq!(ja_lines.len(), en_lines.len(), "{c}:\n{ja}\n{en}");
        for d in &ja_lines {
            assert!(
                d.chars().any(is_japanese),
                "{c}: not in Japanese: {d:?}\n{ja}"
            );
        }
        for d in &en_lines {
            assert!(
                !d.is_empty() && !d.chars().any(is_japanese),
                "{c}: {d:?}\n{en}"
            );
        }
        // The command's own description (the first line) too.
        let first = ja.lines().next().unwrap_or("");
        assert!(first.chars().any(is_japanese), "{c}: {first}");
        assert!(
            !en.lines().next().unwrap_or("").chars().any(is_japanese),
            "{c}"
        );
    }
    let (_, serve_ja, _) = t.cli(&["serve", "--help"]);
    assert!(serve_ja.contains("--no-drafts"), "{serve_ja}");
    assert!(
        serve_ja.contains("下書きと公開日前のページを表示しません"),
        "{serve_ja}"
    );
}
