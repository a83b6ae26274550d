//! Discovery (issue 3): taxonomies and term pages, municipalities, status pages, related content,
//! feeds and structured data — all read back from the built output.

use crate::common::*;
use serde_json::Value;

fn jsonld(t: &SiteTest, page: &str) -> Vec<Value> {
    let doc = t.html(page);
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let scripts: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert_eq!(scripts.len(), 1, "{page}: one JSON-LD block");
    let v: Value = serde_json::from_str(&scripts[0]).unwrap();
    assert_eq!(v["@context"], "https://schema.org");
    v["@graph"].as_array().unwrap().clone()
}

fn node<'a>(graph: &'a [Value], ty: &str) -> &'a Value {
    graph
        .iter()
        .find(|n| n["@type"] == ty)
        .unwrap_or_else(|| panic!("no {ty} in {graph:?}"))
}

#[test]
fn taxonomy_indexes_and_term_pages_with_counts() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let idx = t.html("prefectures/index.html");
    assert_eq!(texts(&idx, "h1"), ["都道府県から探す"]);
    // Grouped by region, in JIS order within.
    assert_eq!(texts(&idx, ".group-name"), ["中部", "中国", "四国"]);
    let items = texts(&idx, ".term-list a");
    assert_eq!(
        items,
        [
            "新潟県（2・募集中 1）",
            "長野県（1・募集中 1）",
            "島根県（1）",
            "徳島県（1）"
        ]
    );
    assert_eq!(
        attrs(&idx, ".term-list a", "href")[0],
        "/prefectures/niigata/"
    );
    // The term page lists the open challenge before the case.
    let niigata = t.html("prefectures/niigata/index.html");
    assert_eq!(texts(&niigata, "h1"), ["新潟県の課題・事例"]);
    assert_eq!(
        texts(&niigata, ".card-title"),
        ["締切が近い課題", "うまくいった事例"]
    );
    assert_eq!(texts(&niigata, ".count"), ["全 2 件（募集中の課題 1 件）"]);
    // Free-text terms keep their Japanese in the URL; work styles use their id.
    assert_eq!(
        texts(&t.html("themes/観光/index.html"), ".card-title"),
        ["締切が近い課題"]
    );
    assert_eq!(
        texts(&t.html("work-styles/remote/index.html"), ".card-title"),
        ["締切が近い課題"]
    );
    assert_eq!(
        texts(&t.html("engagements/副業/index.html"), ".card-title"),
        ["締切が近い課題"]
    );
    assert!(
        t.exists("work-styles/index.html")
            && t.exists("skills/index.html")
            && t.exists("tags/index.html")
    );
    // The challenge links its terms.
    let ch = t.html("challenges/open-soon/index.html");
    let hrefs = attrs(&ch, ".facts-table a", "href");
    for want in [
        "/prefectures/niigata/",
        "/municipalities/niigata/汐見町/",
        "/themes/観光/",
        "/work-styles/remote/",
        "/engagements/副業/",
    ] {
        assert!(
            hrefs.iter().any(|h| h == want),
            "{want} missing from {hrefs:?}"
        );
    }
}

#[test]
fn term_pages_are_cut_from_the_oldest_and_put_open_challenges_first_on_each_page() {
    let t = SiteTest::empty();
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\npaginate_by: 2\n",
    );
    for (slug, date, deadline) in [
        ("a", "2026-03-01", "2026-05-01"),
        ("b", "2026-03-02", "2026-02-01"),
        ("c", "2026-03-03", "2026-02-01"),
        ("d", "2026-03-04", "2026-05-01"),
        ("e", "2026-03-05", "2026-02-01"),
    ] {
        t.file(
            &format!("content/challenges/{slug}.md"),
            &format!("---\ntitle: 課題{slug}\nmunicipality: 町\nprefecture: 新潟県\ndate: {date}\ndeadline: {deadline}\nthemes: [DX]\n---\n"),
        );
    }
    t.build();
    // Five items in pages of two: page 1 holds the oldest two, the list's own URL the other
    // three. On 2026-04-01 a and d are open: each page shows its open ones first.
    let newest = t.html("themes/dx/index.html");
    assert_eq!(texts(&newest, ".card-title"), ["課題d", "課題e", "課題c"]);
    assert_eq!(texts(&newest, ".count"), ["全 5 件（募集中の課題 2 件）"]);
    let older = t.html("themes/dx/page/1/index.html");
    assert_eq!(texts(&older, ".card-title"), ["課題a", "課題b"]);
    assert_eq!(
        attrs(&older, "link[rel=canonical]", "href"),
        ["https://test.example.jp/themes/dx/page/1/"]
    );
    // No counts on an older page: they would change with every new page.
    assert!(texts(&older, ".count").is_empty());
    assert!(!t.exists("themes/dx/page/2/index.html"));
}

#[test]
fn taxonomies_can_be_chosen_in_site_yaml() {
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\ntaxonomies: [prefecture, themes]\n",
    );
    t.build();
    assert!(t.exists("prefectures/niigata/index.html"));
    assert!(!t.exists("tags/index.html") && !t.exists("work-styles/index.html"));
    let ch = t.html("challenges/open-soon/index.html");
    assert!(
        !attrs(&ch, ".facts-table a", "href")
            .iter()
            .any(|h| h.contains("work-styles")),
        "no links to pages that do not exist"
    );
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\ntaxonomies: [prefectures]\n",
    );
    let d = t.errors();
    let x = expect_at(&d, "site.yaml", 3, |p| {
        matches!(p, tsunagari::diagnostics::Problem::InvalidChoice { .. })
    });
    assert!(x
        .render(tsunagari::diagnostics::Lang::Ja)
        .contains("「prefecture」のことですか？"));
}

#[test]
fn municipality_pages_with_and_without_profiles() {
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "content/municipalities/shiomi.md",
        "---\nmunicipality: 汐見町\nprefecture: 新潟県\nsummary: 港町です。\nwebsite: https://www.town.shiomi.example.lg.jp/\ncontact: 汐見町 企画課（0250-00-0000）\n---\n町の紹介。\n",
    );
    t.file(
        "content/municipalities/quiet.md",
        "---\nmunicipality: 静か村\nprefecture: 秋田県\n---\nまだ課題はありません。\n",
    );
    t.build();
    let m = t.html("municipalities/niigata/汐見町/index.html");
    assert_eq!(texts(&m, "h1"), ["汐見町"]);
    assert_eq!(texts(&m, ".lead"), ["港町です。"]);
    assert_eq!(
        texts(
            &m,
            "section[aria-labelledby=m-challenges-heading] .card-title"
        ),
        ["締切が近い課題"]
    );
    assert_eq!(
        texts(&m, "section[aria-labelledby=m-cases-heading] .card-title"),
        ["うまくいった事例"]
    );
    assert_eq!(
        attrs(&m, ".facts-table a", "href"),
        ["https://www.town.shiomi.example.lg.jp/"]
    );
    assert!(texts(&m, ".facts-table td")
        .iter()
        .any(|s| s.contains("企画課")));
    let ld = jsonld(&t, "municipalities/niigata/汐見町/index.html");
    assert_eq!(
        node(&ld, "GovernmentOrganization")["url"],
        "https://www.town.shiomi.example.lg.jp/"
    );
    // A municipality with no content yet still gets its page; one without a profile too.
    assert!(t.exists("municipalities/akita/静か村/index.html"));
    assert!(t.exists("municipalities/nagano/高峰村/index.html"));
    let idx = t.html("municipalities/index.html");
    // Grouped by prefecture in JIS order (秋田 05, 新潟 15, 長野 20, 島根 32, 徳島 36).
    assert_eq!(
        texts(&idx, "h2"),
        ["秋田県", "新潟県", "長野県", "島根県", "徳島県"]
    );
    assert_eq!(
        texts(&idx, "section:nth-of-type(1) .term-list a"),
        ["静か村（0）"]
    );
    // The hiring organisation of a challenge links to the municipality's official site.
    let ld = jsonld(&t, "challenges/open-soon/index.html");
    assert_eq!(
        node(&ld, "JobPosting")["hiringOrganization"]["sameAs"],
        "https://www.town.shiomi.example.lg.jp/"
    );
}

#[test]
fn duplicate_municipality_profiles_are_an_error() {
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "content/municipalities/a.md",
        "---\nmunicipality: 汐見町\nprefecture: 新潟県\n---\n",
    );
    t.file(
        "content/municipalities/b.md",
        "---\nmunicipality: 汐見町\nprefecture: 新潟県\n---\n",
    );
    let d = t.errors();
    assert!(
        d.iter().any(|d| matches!(
            d.problem,
            tsunagari::diagnostics::Problem::DuplicateUrl { .. }
        )),
        "{}",
        render(&d)
    );
}

#[test]
fn status_pages_and_the_next_rebuild_date() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let open = t.html("challenges/status/open/index.html");
    assert_eq!(
        texts(&open, ".card-title"),
        ["締切が先の課題", "締切が近い課題"]
    );
    // Closed challenges have no list of their own: the challenge list has every challenge.
    assert!(!t.exists("challenges/status/closed/index.html"));
    // 2026-04-01: open-soon (deadline 04-05) closes on 04-06.
    assert_eq!(t.read(".tsunagari/next-rebuild"), "2026-04-06\n");
    // 2026-04-06: next is open-later becoming "closing soon" 14 days before 06-30.
    t.build_at("2026-04-06").unwrap();
    assert_eq!(t.read(".tsunagari/next-rebuild"), "2026-06-16\n");
    // After every deadline only the scheduled column (2026-12-01) is left.
    t.build_at("2026-07-01").unwrap();
    assert_eq!(t.read(".tsunagari/next-rebuild"), "2026-12-01\n");
    t.build_at("2027-01-01").unwrap();
    assert_eq!(t.read(".tsunagari/next-rebuild"), "");
    let (_, _, err) = t.cli(&["build", "--now", NOW]);
    assert!(err.contains("次に募集状況が変わる日: 2026-04-06"), "{err}");
}

#[test]
fn section_lists_have_a_filter_bar_of_links() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let doc = t.html("challenges/index.html");
    assert_eq!(
        texts(&doc, ".facet summary"),
        [
            "都道府県（4）",
            "テーマ（1）",
            "働き方（1）",
            "関わり方（1）",
            "募集状況（1）"
        ]
    );
    let links = attrs(&doc, ".facets a", "href");
    for want in [
        "/prefectures/niigata/",
        "/themes/観光/",
        "/work-styles/remote/",
        "/challenges/status/open/",
    ] {
        assert!(
            links.iter().any(|h| h == want),
            "{want} missing from {links:?}"
        );
    }
    assert!(!links.iter().any(|h| h.contains("status/closed")));
    // The filter bar and its counts are on the newest page only.
    assert!(texts(&t.html("challenges/page/1/index.html"), ".facets").is_empty());
    // Counts are of this section's kind: 新潟県 has one challenge (and one case).
    assert!(texts(&doc, ".facets a")
        .iter()
        .any(|s| s == "新潟県（1・募集中 1）"));
    let cases = t.html("cases/index.html");
    assert_eq!(texts(&cases, ".facet summary"), ["都道府県（1）"]);
    // A case is never an open challenge: the cases list does not count the challenges' status.
    assert_eq!(texts(&cases, ".facets a"), ["新潟県（1）"]);
}

#[test]
fn related_content_is_computed_both_ways() {
    let t = SiteTest::empty();
    let ch = |slug: &str, muni: &str, themes: &str| {
        format!("---\ntitle: {slug}\nmunicipality: {muni}\nprefecture: 長野県\ndate: 2026-03-01\nthemes: [{themes}]\n---\n")
    };
    t.file("content/challenges/farm.md", &ch("farm", "高峰村", "農業"));
    t.file("content/challenges/dx.md", &ch("dx", "高峰村", "DX"));
    t.file("content/challenges/far.md", &ch("far", "遠い町", "観光"));
    t.file("content/cases/farm-case.md", "---\ntitle: farm-case\nmunicipality: 別の村\nprefecture: 長野県\ndate: 2026-03-02\nthemes: [農業]\n---\n");
    t.build();
    let farm = t.html("challenges/farm/index.html");
    let similar = attrs(&farm, ".similar a", "href");
    assert_eq!(
        similar,
        ["/challenges/dx/", "/cases/farm-case/"],
        "same municipality first, then a shared theme"
    );
    let case = t.html("cases/farm-case/index.html");
    assert_eq!(attrs(&case, ".similar a", "href")[0], "/challenges/farm/");
    assert!(
        !attrs(&t.html("challenges/far/index.html"), ".similar a", "href")
            .iter()
            .any(|h| h.contains("farm"))
    );
}

#[test]
fn every_feed_parses_and_carries_the_right_entries() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let entries = |path: &str| -> Vec<(String, String)> {
        let xml = t.read(path);
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "feed");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        let self_link = root
            .children()
            .find(|n| n.has_tag_name("link") && n.attribute("rel") == Some("self"))
            .unwrap();
        // Feed URLs are percent-encoded ASCII (Japanese term paths included).
        let encoded: String = path
            .bytes()
            .map(|b| {
                if b.is_ascii_graphic() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        assert_eq!(
            self_link.attribute("href").unwrap(),
            format!("https://test.example.jp/{encoded}")
        );
        root.children()
            .filter(|n| n.has_tag_name("entry"))
            .map(|e| {
                let get = |tag: &str| {
                    e.children()
                        .find(|n| n.has_tag_name(tag))
                        .and_then(|n| n.text().map(str::to_string))
                        .unwrap_or_default()
                };
                (get("id"), get("updated"))
            })
            .collect()
    };
    let ids = |path: &str| {
        entries(path)
            .into_iter()
            .map(|(id, _)| id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids("prefectures/niigata/atom.xml"),
        [
            "https://test.example.jp/cases/good-case/",
            "https://test.example.jp/challenges/open-soon/"
        ]
    );
    assert_eq!(
        ids("themes/観光/atom.xml"),
        ["https://test.example.jp/challenges/open-soon/"]
    );
    assert_eq!(
        ids("columns/atom.xml"),
        ["https://test.example.jp/columns/hello/"]
    );
    assert_eq!(ids("atom.xml").len(), 6);
    assert!(entries("challenges/atom.xml")
        .iter()
        .all(|(_, u)| u.ends_with("+09:00")));
    // Term pages advertise their feed.
    let doc = t.html("prefectures/niigata/index.html");
    assert_eq!(
        attrs(&doc, "link[type='application/atom+xml']", "href"),
        ["/prefectures/niigata/atom.xml"]
    );

    let json: Value = serde_json::from_str(&t.read("challenges/open.json")).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(
        json["feed_url"],
        "https://test.example.jp/challenges/open.json"
    );
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "only open challenges");
    assert_eq!(
        items[0]["url"], "https://test.example.jp/challenges/open-soon/",
        "nearest deadline first"
    );
    let c = &items[0]["_challenge"];
    assert_eq!(c["status"], "closing-soon");
    assert_eq!(c["status_label"], "まもなく締切");
    assert_eq!(c["municipality"], "汐見町");
    assert_eq!(
        c["municipality_url"],
        "https://test.example.jp/municipalities/niigata/%E6%B1%90%E8%A6%8B%E7%94%BA/",
        "feed URLs are percent-encoded ASCII"
    );
    assert_eq!(c["prefecture"], "新潟県");
    assert_eq!(c["prefecture_code"], 15);
    assert_eq!(c["region"], "中部");
    assert_eq!(c["work_style"], "remote");
    assert_eq!(c["engagement"], serde_json::json!(["副業"]));
    assert_eq!(c["themes"], serde_json::json!(["観光"]));
    assert_eq!(c["deadline"], "2026-04-05");
    assert_eq!(c["days_left"], 4);
    for field in [
        "organization",
        "reward",
        "duration",
        "visits",
        "capacity",
        "skills",
        "tags",
    ] {
        assert!(c.get(field).is_some(), "{field} is present even when empty");
    }
    assert_eq!(items[0]["date_published"], "2026-03-01T00:00:00+09:00");
}

#[test]
fn json_ld_job_posting_article_and_breadcrumbs() {
    let t = SiteTest::from_fixture("minimal");
    t.build();
    let ld = jsonld(&t, "challenges/open-soon/index.html");
    let job = node(&ld, "JobPosting");
    assert_eq!(job["title"], "締切が近い課題");
    assert_eq!(job["datePosted"], "2026-03-01");
    assert_eq!(job["validThrough"], "2026-04-05T23:59:59+09:00");
    assert_eq!(job["jobLocationType"], "TELECOMMUTE");
    assert_eq!(job["applicantLocationRequirements"]["name"], "JP");
    assert_eq!(
        job["hiringOrganization"]["name"], "汐見町",
        "no organization: the municipality hires"
    );
    assert_eq!(job["jobLocation"]["address"]["addressRegion"], "新潟県");
    assert_eq!(job["employmentType"], serde_json::json!(["CONTRACTOR"]));
    assert!(job["description"].as_str().unwrap().contains("<h2"));
    // Not remote: no TELECOMMUTE; organisation from front matter.
    let t2 = SiteTest::empty();
    t2.file(
        "content/challenges/x.md",
        &challenge("organization: 汐見漁協\nwork_style: hybrid\ndeadline: 2026-05-01\n"),
    );
    t2.build();
    let ld2 = jsonld(&t2, "challenges/x/index.html");
    assert!(node(&ld2, "JobPosting").get("jobLocationType").is_none());
    assert_eq!(
        node(&ld2, "JobPosting")["hiringOrganization"]["name"],
        "汐見漁協"
    );

    let case = jsonld(&t, "cases/good-case/index.html");
    let article = node(&case, "Article");
    assert_eq!(article["headline"], "うまくいった事例");
    assert_eq!(article["datePublished"], "2026-03-15T00:00:00+09:00");
    assert_eq!(
        article["image"][0],
        "https://test.example.jp/cases/good-case/photo.svg"
    );
    let col = jsonld(&t, "columns/hello/index.html");
    assert_eq!(node(&col, "Article")["author"]["name"], "編集部");

    // Breadcrumbs on every page below home (home's trail would be one item), each item but the
    // page's own an absolute URL, positions from 1.
    for (path, _) in t.snapshot().iter().filter(|(p, _)| {
        p.extension().is_some_and(|e| e == "html")
            && !p.ends_with("404.html")
            && p.as_os_str() != "index.html"
    }) {
        let ld = jsonld(&t, path.to_str().unwrap());
        let crumbs = node(&ld, "BreadcrumbList")["itemListElement"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(crumbs[0]["position"], 1, "{}", path.display());
        assert_eq!(crumbs[0]["item"], "https://test.example.jp/");
        let (last, before) = crumbs.split_last().unwrap();
        assert!(before.iter().all(|c| c["item"]
            .as_str()
            .unwrap()
            .starts_with("https://test.example.jp/")));
        // The page itself: Google takes its own URL.
        assert!(last.get("item").is_none(), "{}", path.display());
    }
    let term = jsonld(&t, "prefectures/niigata/index.html");
    let names: Vec<&str> = node(&term, "BreadcrumbList")["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ホーム", "都道府県", "新潟県"]);
}

#[test]
fn accessibility_layout_states_the_policy() {
    let t = SiteTest::from_fixture("minimal");
    t.file(
        "site.yaml",
        "title: テスト\nbase_url: https://test.example.jp/\naccessibility:\n  conformance: 一部準拠\n",
    );
    t.file(
        "content/accessibility.md",
        "---\ntitle: ウェブアクセシビリティ方針\nlayout: accessibility\n---\n本文\n",
    );
    t.build();
    let doc = t.html("accessibility/index.html");
    let cells = texts(&doc, ".facts-table td");
    assert_eq!(cells[0], "JIS X 8341-3:2016");
    assert_eq!(cells[1], "AA（一部準拠）");
    t.file(
        "content/accessibility.md",
        "---\ntitle: 方針\nlayout: nothing\n---\n",
    );
    let d = t.errors();
    assert!(
        d.iter().any(|d| d.path.ends_with("accessibility.md")),
        "{}",
        render(&d)
    );
}
