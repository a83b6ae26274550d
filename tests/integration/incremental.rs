//! The dev server's incremental rebuilds: after every edit of a scripted series (content,
//! templates, configuration, deletes, renames, broken and fixed files), the files it serves are
//! byte for byte those of a clean build, and edits are cheap where they should be.

use crate::common::{render, SiteTest};
use crate::incremental_support::{assert_same_as_clean, served, step};
use std::path::PathBuf;
use tsunagari::incremental::{Mode, Session};
use tsunagari::pipeline::{self, Failure};

const NOW: &str = "2026-11-21";

#[test]
fn incremental_rebuilds_equal_a_clean_build_after_each_edit() {
    let t = SiteTest::sample();
    let opts = pipeline::options(&t.root, NOW);
    let mut s = Session::new(opts.clone());
    let first = s.update(None).unwrap();
    assert_eq!(first.mode, Mode::Full);
    assert_eq!(first.rendered, first.outputs);
    s.finish().unwrap();
    assert_same_as_clean(&s, &opts, "the first build");
    let outputs = first.outputs;

    // A body edit: the page, and the few lists and pages that show it.
    let ch = "content/challenges/hamakaze-library.md";
    t.edit(ch, "1日の来館者は平均23人", "1日の来館者は平均19人");
    let u = step(&mut s, &opts, "a body edit", &[ch], Mode::Patch);
    assert!(
        u.rendered >= 1 && u.rendered * 5 < outputs,
        "a body edit rendered {} of {outputs} outputs",
        u.rendered
    );
    assert!(u
        .changed
        .as_ref()
        .unwrap()
        .iter()
        .any(|p| p == "challenges/hamakaze-library/index.html"));

    // A title edit shows in cards, related links and lists: still the fast path.
    t.edit(
        ch,
        "title: 図書館を「町の居間」に",
        "title: 図書館を「まちの居間」に",
    );
    let title = step(&mut s, &opts, "a title edit", &[ch], Mode::Patch);
    assert!(title.rendered > u.rendered, "cards and lists show titles");

    // Without `summary:` the summary comes from the body, and cards show it.
    let column = "content/columns/island-life.md";
    let text = std::fs::read_to_string(t.root.join(column)).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("summary:"))
        .map(|l| format!("{l}\n"))
        .collect();
    t.file(column, &without);
    step(&mut s, &opts, "a summary removed", &[column], Mode::Patch);
    t.edit(column, "離島では、船の時刻が", "離島では、いつも船の時刻が");
    let lead = step(
        &mut s,
        &opts,
        "an edit of the lead paragraph",
        &[column],
        Mode::Patch,
    );
    assert!(
        lead.rendered > 1,
        "cards show the summary taken from the lead"
    );

    // Saving without a change renders nothing.
    t.edit(ch, "## 概要", "## 概要");
    let same = step(&mut s, &opts, "a save without changes", &[ch], Mode::Patch);
    assert_eq!(same.rendered, 0);

    // Structure: themes (term pages, facets, similar pages), deadline (status), date (order).
    t.edit(
        ch,
        "themes: [教育, まちづくり, 子育て]",
        "themes: [教育, 子育て, 図書館]",
    );
    step(&mut s, &opts, "a themes edit", &[ch], Mode::Incremental);
    t.edit(ch, "deadline: 2027-02-15", "deadline: 2026-11-01");
    step(
        &mut s,
        &opts,
        "a deadline that closes the challenge",
        &[ch],
        Mode::Incremental,
    );
    t.edit(ch, "date: 2026-10-20", "date: 2026-11-20");
    step(&mut s, &opts, "a date edit", &[ch], Mode::Incremental);

    // A new column, then a deleted case (its challenge loses a related case).
    let col = "content/columns/library-notes.md";
    t.file(
        col,
        "---\ntitle: 図書館から始める関わり方\ndate: 2026-11-19\ntags: [図書館]\n---\n\n町の図書館は、[浜風町の課題](../challenges/hamakaze-library.md)の舞台です。\n",
    );
    let added = step(&mut s, &opts, "a new column", &[col], Mode::Incremental);
    assert!(
        added.rendered < outputs,
        "adding a column re-renders what shows it, not everything"
    );
    let case = "content/cases/itohama-weekend-shop.md";
    t.remove(case);
    step(&mut s, &opts, "a deleted case", &[case], Mode::Incremental);

    // A profile edit reaches the municipality page and the JSON-LD of its challenges.
    let profiles: Vec<PathBuf> = std::fs::read_dir(t.root.join("content/municipalities"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md"))
        .collect();
    let profile = profiles[0]
        .strip_prefix(&t.root)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(t.root.join(&profile)).unwrap();
    t.file(
        &profile,
        &format!("{text}\n追記：移住相談の窓口を設けました。\n"),
    );
    step(
        &mut s,
        &opts,
        "a municipality profile edit",
        &[&profile],
        Mode::Patch,
    );

    // A rename breaks a link: the update fails and the last good output stays served; fixing
    // the link brings the site back, equal to a clean build.
    let before = served(&s);
    let old = "content/cases/hisui-donor-newsletter.md";
    let new = "content/cases/hisui-newsletter.md";
    std::fs::rename(t.root.join(old), t.root.join(new)).unwrap();
    match s.update(Some(&[PathBuf::from(old), PathBuf::from(new)])) {
        Err(Failure::Content(d)) => {
            let errors: Vec<_> = d.iter().filter(|d| d.is_error()).collect();
            assert_eq!(errors.len(), 1, "{}", render(&d));
            assert_eq!(
                errors[0].path,
                PathBuf::from("content/columns/side-job-first-step.md")
            );
            assert!(errors[0].line > 0);
        }
        other => panic!("a broken link must fail the update: {other:?}"),
    }
    assert_eq!(
        served(&s),
        before,
        "a failed update keeps the last good output"
    );
    let linking = "content/columns/side-job-first-step.md";
    t.edit(linking, "hisui-donor-newsletter.md", "hisui-newsletter.md");
    step(
        &mut s,
        &opts,
        "the link fixed after a rename",
        &[linking],
        Mode::Incremental,
    );

    // A broken save on the fast path's ground, then its fix.
    t.edit(ch, "## 概要", "[壊れたリンク](./nowhere.md)\n\n## 概要");
    assert!(matches!(
        s.update(Some(&[PathBuf::from(ch)])),
        Err(Failure::Content(_))
    ));
    t.edit(ch, "[壊れたリンク](./nowhere.md)\n\n", "");
    step(
        &mut s,
        &opts,
        "a broken link fixed",
        &[ch],
        Mode::Incremental,
    );

    // Section intro (`_index.md`) and a plain page's title (menus on every page).
    let idx = "content/columns/_index.md";
    let text = std::fs::read_to_string(t.root.join(idx)).unwrap();
    t.file(idx, &format!("{text}\n新しいコラムを毎月お届けします。\n"));
    step(
        &mut s,
        &opts,
        "a section intro edit",
        &[idx],
        Mode::Incremental,
    );
    t.edit("content/about.md", "title: ", "title: 改めて、");
    let menu = step(
        &mut s,
        &opts,
        "a plain page's title (menus)",
        &["content/about.md"],
        Mode::Incremental,
    );
    assert_eq!(menu.rendered, menu.outputs, "menus are on every page");

    // A template override and a site.yaml edit re-render everything.
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/templates/column.html"),
    )
    .unwrap();
    t.file(
        "templates/column.html",
        &base.replacen("</article>", "<p>テンプレートを変えました</p></article>", 1),
    );
    let tpl = step(
        &mut s,
        &opts,
        "a template override",
        &["templates/column.html"],
        Mode::Incremental,
    );
    assert_eq!(tpl.rendered, tpl.outputs);
    t.edit("site.yaml", "title: ", "title: 新・");
    let cfg = step(
        &mut s,
        &opts,
        "a site.yaml edit",
        &["site.yaml"],
        Mode::Incremental,
    );
    assert_eq!(cfg.rendered, cfg.outputs);

    // Static files: added, then removed.
    t.file("static/downloads/guide.txt", "関わり方ガイド\n");
    step(
        &mut s,
        &opts,
        "a new static file",
        &["static/downloads/guide.txt"],
        Mode::Incremental,
    );
    t.remove("static/downloads/guide.txt");
    step(
        &mut s,
        &opts,
        "a removed static file",
        &["static/downloads/guide.txt"],
        Mode::Incremental,
    );

    // A whole folder renamed (one event for the folder).
    std::fs::rename(
        t.root.join("content/columns"),
        t.root.join("content/columns-old"),
    )
    .unwrap();
    assert!(
        s.update(Some(&[
            PathBuf::from("content/columns"),
            PathBuf::from("content/columns-old")
        ]))
        .is_err(),
        "an unknown folder is an error"
    );
    std::fs::rename(
        t.root.join("content/columns-old"),
        t.root.join("content/columns"),
    )
    .unwrap();
    step(
        &mut s,
        &opts,
        "the folder renamed back",
        &["content/columns", "content/columns-old"],
        Mode::Incremental,
    );
}
