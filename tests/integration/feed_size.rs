//! Issue 16, feed size: every feed stops at `feed_limit` entries; the site and section feeds
//! carry each entry's body, the prefecture and theme feeds its summary and link only.

use crate::common::{SiteTest, SAMPLE_NOW};

/// Each `<entry>` of `text`, parsed.
fn entries(text: &str) -> Vec<(bool, bool)> {
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let has = |name: &str| e.children().any(|c| c.has_tag_name(name));
            (has("summary"), has("content"))
        })
        .collect()
}

#[test]
fn term_feeds_carry_summaries_and_site_feeds_bodies_within_the_limit() {
    let t = SiteTest::sample();
    t.edit(
        "site.yaml",
        "paginate_by: 24\n",
        "paginate_by: 24\nfeed_limit: 2\n",
    );
    t.build_at(SAMPLE_NOW).unwrap();
    for f in ["atom.xml", "challenges/atom.xml"] {
        let e = entries(&t.read(f));
        assert_eq!(e.len(), 2, "{f}");
        assert!(e.iter().all(|&(s, c)| s && c), "{f}: {e:?}");
    }
    let term = entries(&t.read("themes/観光/atom.xml"));
    assert_eq!(term.len(), 2, "{term:?}");
    assert!(term.iter().all(|&(s, c)| s && !c), "{term:?}");
}
