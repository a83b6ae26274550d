//! What a successful build writes, read back through an HTML parser.

use crate::common::*;

#[test]
fn minimal_fixture_builds_every_page() {
    let t = SiteTest::from_fixture("minimal");
    let r = t.build();
    assert_eq!(r.pages, 7, "4 challenges, 1 case, 1 column, about");
    assert_eq!(r.unpublished, 2, "draft and future-dated column");
    for f in [
        "index.html",
        "404.html",
        "about/index.html",
        "challenges/index.html",
        "challenges/page/1/index.html",
        "challenges/open-soon/index.html",
        "cases/good-case/index.html",
        "cases/good-case/photo.svg",
        "columns/hello/index.html",
        "assets/favicon.svg",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "challenges/atom.xml",
        "cases/atom.xml",
        "columns/atom.xml",
    ] {
        assert!(t.exists(f), "{f} missing");
    }
    assert!(
        !t.exists("assets/style.css"),
        "published under its hashed name only"
    );
    t.asset("style.css");
    assert!(!t.exists("columns/draft-column/index.html"));
    assert!(!t.exists("columns/future-column/index.html"));
    // Two pages of two challenges: the oldest at page/1/, the newest is the list itself.
    assert!(!t.exists("challenges/page/2/index.html"));
}

#[test]
fn drafts_flag_publishes_drafts_and_scheduled_pages() {
    let t = SiteTest::from_fixture("minimal");
    let mut o = tsunagari::pipeline::options(&t.root, NOW);
    o.drafts = true;
    tsunagari::pipeline::build(&o).unwrap();
    assert!(t.exists("columns/draft-column/index.html"));
    assert!(t.exists("columns/future-column/index.html"));
}

#[test]
fn every_page_has_one_h1_lang_and_landmarks() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    for (path, _) in t
        .snapshot()
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
    {
        let doc = t.html(path.to_str().unwrap());
        assert_eq!(texts(&doc, "h1").len(), 1, "{}", path.display());
        assert_eq!(attrs(&doc, "html", "lang"), ["ja"]);
        assert_eq!(
            attrs(&doc, "a.skip-link", "href"),
            ["#main"],
            "{}",
            path.display()
        );
        assert_eq!(attrs(&doc, "main", "id"), ["main"]);
        assert!(!attrs(&doc, "header nav", "aria-label").is_empty());
        // JavaScript: only our own modules from this host.
        let scripts = attrs(&doc, "script", "type");
        assert_eq!(
            scripts.len(),
            texts(&doc, "script").len(),
            "{}",
            path.display()
        );
        let runs_js: Vec<&String> = scripts
            .iter()
            .filter(|t| *t != "application/ld+json")
            .collect();
        // Every page runs the status script (badges and countdowns from the visitor's clock)
        // and the 気になる script (footer); the search page also its client, challenges and
        // cases their share script. All are modules from this host.
        let srcs = attrs(&doc, "script[type=module]", "src");
        let own: &[&str] = if path.starts_with("search") {
            &["status.js", "search.js", "keep.js"]
        } else if path.starts_with("challenges/") && doc_has(&doc, ".entry--challenge")
            || path.starts_with("cases/") && doc_has(&doc, ".entry--case")
        {
            &["status.js", "share.js", "keep.js"]
        } else {
            &["status.js", "keep.js"]
        };
        let own: Vec<String> = own.iter().map(|n| format!("/{}", t.asset(n))).collect();
        assert_eq!(srcs, own, "{}", path.display());
        assert_eq!(runs_js.len(), own.len(), "{}", path.display());
        assert!(runs_js.iter().all(|t| *t == "module"));
        for href in attrs(&doc, "link[rel=stylesheet]", "href") {
            assert!(href.starts_with('/'), "no assets from other hosts: {href}");
        }
    }
}

#[test]
fn status_follows_the_deadline_on_either_side() {
    let t = SiteTest::from_fixture("minimal");
    // 2026-04-01: open-soon (deadline 04-05) is closing soon, open-later is open.
    t.build();
    let status = |t: &SiteTest, slug: &str| {
        texts(
            &t.html(&format!("challenges/{slug}/index.html")),
            ".entry-status .status",
        )[0]
        .clone()
    };
    assert_eq!(status(&t, "open-soon"), "まもなく締切");
    assert_eq!(status(&t, "open-later"), "募集中");
    assert_eq!(status(&t, "closed-by-deadline"), "募集終了");
    assert_eq!(status(&t, "closed-by-status"), "募集終了");
    // The deadline day itself is still open; the day after is closed.
    t.build_at("2026-04-05").unwrap();
    assert_eq!(status(&t, "open-soon"), "まもなく締切");
    t.build_at("2026-04-06").unwrap();
    assert_eq!(status(&t, "open-soon"), "募集終了");
    let doc = t.html("challenges/open-soon/index.html");
    assert!(texts(&doc, ".closed-note").len() == 1);
    assert!(
        texts(&doc, ".apply").is_empty(),
        "closed challenges invite no applications"
    );
}

#[test]
fn home_lists_open_challenges_nearest_deadline_first() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let doc = t.html("index.html");
    let titles = texts(&doc, "section[aria-labelledby=open-heading] .card-title");
    assert_eq!(titles, ["締切が近い課題", "締切が先の課題"]);
    // Cards show the status with the deadline, then the work style as plain words.
    let first = "section[aria-labelledby=open-heading] .card:first-child";
    assert_eq!(
        texts(
            &doc,
            &format!("{first} .card-meta .status, {first} .card-meta .deadline")
        ),
        ["まもなく締切", "4月5日締切（あと4日）"]
    );
    assert_eq!(
        texts(&doc, &format!("{first} .card-facts dd")),
        ["リモート"]
    );
    assert!(texts(&doc, ".hero-count").iter().any(|s| s.contains('2')));
    assert_eq!(
        texts(&doc, "section[aria-labelledby=cases-heading] .card-title"),
        ["うまくいった事例"]
    );
}

#[test]
fn section_lists_are_newest_first_and_older_pages_count_from_the_oldest() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let p1 = t.html("challenges/index.html");
    assert_eq!(
        texts(&p1, ".card-title"),
        ["締切が先の課題", "締切が近い課題"]
    );
    assert_eq!(
        attrs(&p1, ".pager a[rel=next]", "href"),
        ["/challenges/page/1/"]
    );
    let p2 = t.html("challenges/page/1/index.html");
    assert_eq!(
        texts(&p2, ".card-title"),
        ["手で締め切った課題", "締切を過ぎた課題"]
    );
    assert_eq!(attrs(&p2, ".pager a[rel=prev]", "href"), ["/challenges/"]);
    assert_eq!(
        attrs(&p2, "link[rel=canonical]", "href"),
        ["https://test.example.jp/challenges/page/1/"]
    );
}

#[test]
fn challenge_page_shows_every_field_key_facts_before_the_body() {
    let t = SiteTest::empty();
    t.file(
        "content/challenges/full.md",
        "---\ntitle: 全部入り\nmunicipality: 汐見町\nprefecture: 新潟県\norganization: 汐見町 産業振興課\ndate: 2026-03-01\nupdated: 2026-03-05\nthemes: [漁業, 食]\nwork_style: remote\nengagement: [副業, プロボノ]\nreward: 月額5万円\nduration: 1年\nvisits: 月1回程度の現地訪問\ncapacity: 2名\ndeadline: 2026-06-30\nskills: [デザイン]\n---\n本文\n",
    );
    t.build();
    let doc = t.html("challenges/full/index.html");
    // Status and deadline, then the key facts, all before the body (issue 14).
    assert_eq!(texts(&doc, ".entry-side .status"), ["募集中"]);
    assert_eq!(
        texts(&doc, ".entry-side .deadline"),
        ["締切 2026年6月30日（火）（あと90日）"]
    );
    assert_eq!(
        texts(&doc, ".entry-side .facts-table th"),
        [
            "報酬",
            "期間",
            "関わり方",
            "働き方",
            "現地訪問",
            "募集人数",
            "地域",
            "募集している団体"
        ]
    );
    let cells = texts(&doc, ".entry-side .facts-table td");
    assert_eq!(cells[3], "リモート");
    assert_eq!(cells[6], "新潟県 汐見町（中部）");
    // The rest follows the body.
    assert_eq!(
        texts(&doc, ".entry-main .facts-table th"),
        ["テーマ", "求めるスキル", "掲載日", "更新日"]
    );
    let order = texts(&doc, ".entry-side, .entry-main .prose");
    assert_eq!(order.len(), 2);
    assert!(order[1].contains("本文"), "{order:?}");
}

#[test]
fn relations_and_links_resolve() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let ch = t.html("challenges/open-soon/index.html");
    assert_eq!(
        attrs(&ch, ".prose a", "href"),
        ["/cases/good-case/#成果", "https://example.org/"]
    );
    assert_eq!(attrs(&ch, ".prose a.external", "rel"), ["noopener"]);
    assert_eq!(attrs(&ch, ".related a", "href"), ["/cases/good-case/"]);
    let case = t.html("cases/good-case/index.html");
    assert_eq!(
        attrs(&case, ".related a", "href"),
        ["/challenges/open-soon/"]
    );
    assert_eq!(
        attrs(&case, ".entry-image img", "src"),
        ["/cases/good-case/photo.svg"]
    );
    assert_eq!(attrs(&case, ".entry-image img", "alt"), ["港の写真"]);
    assert_eq!(
        // An SVG is no share picture (LINE, X, Facebook skip it): the generated default is.
        attrs(&case, "meta[property='og:image']", "content"),
        ["https://test.example.jp/images/_processed/og-default.png"]
    );
    let col = t.html("columns/hello/index.html");
    assert_eq!(
        attrs(&col, ".prose a", "href"),
        ["/challenges/"],
        "_index.md links to the section"
    );
    assert_eq!(
        attrs(&col, ".prose h2", "id"),
        ["本文の見出し"],
        "body h1 is demoted under the title"
    );
}

#[test]
fn feeds_and_sitemap_are_well_formed() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let atom = t.read("challenges/atom.xml");
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 4);
    let first_title = entries[0]
        .children()
        .find(|n| n.has_tag_name("title"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(first_title, "【募集中】締切が先の課題（長野県高峰村）");
    let link = entries[0]
        .children()
        .find(|n| n.has_tag_name("link"))
        .unwrap()
        .attribute("href")
        .unwrap();
    assert_eq!(link, "https://test.example.jp/challenges/open-later/");
    let published = entries[0]
        .children()
        .find(|n| n.has_tag_name("published"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(published, "2026-03-10T00:00:00+09:00");
    let sitemap = t.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://test.example.jp/challenges/page/1/"));
    assert!(locs.contains(&"https://test.example.jp/columns/hello/"));
    assert!(!locs.iter().any(|l| l.contains("draft")));
    assert!(t
        .read("robots.txt")
        .contains("Sitemap: https://test.example.jp/sitemap.xml"));
}

#[test]
fn output_is_deterministic() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let first = t.snapshot();
    t.build();
    assert_eq!(first, t.snapshot());
    let u = SiteTest::from_fixture("minimal");
    u.build();
    assert_eq!(
        first,
        u.snapshot(),
        "a different folder gives the same bytes"
    );
}

#[test]
fn site_templates_override_the_theme_file_by_file() {
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<h1 class=\"custom\">{{ page.title }}</h1>{% endblock main %}",
    );
    t.build();
    assert_eq!(
        texts(&t.html("about/index.html"), "h1.custom"),
        ["このサイトについて"]
    );
    assert!(
        !texts(&t.html("index.html"), ".hero").is_empty(),
        "other templates still come from the theme"
    );
}

#[test]
fn base_url_with_a_path_prefixes_every_url() {
    let t = SiteTest::from_fixture("minimal");
    let mut o = tsunagari::pipeline::options(&t.root, NOW);
    o.base_url = Some("https://example.github.io/portal".into());
    tsunagari::pipeline::build(&o).unwrap();
    let doc = t.html("challenges/open-soon/index.html");
    assert_eq!(
        attrs(&doc, "link[rel=stylesheet]", "href"),
        [format!("/portal/{}", t.asset("style.css"))]
    );
    assert_eq!(
        attrs(&doc, ".prose a", "href")[0],
        "/portal/cases/good-case/#成果"
    );
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://example.github.io/portal/challenges/open-soon/"]
    );
}

#[test]
fn static_files_are_copied_and_take_precedence() {
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    t.file("static/robots.txt", "User-agent: *\nDisallow: /\n");
    t.build();
    assert!(t.exists("images/logo.svg"));
    assert_eq!(t.read("robots.txt"), "User-agent: *\nDisallow: /\n");
}

/// Whether `doc` has an element matching `css`.
fn doc_has(doc: &scraper::Html, css: &str) -> bool {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .next()
        .is_some()
}
