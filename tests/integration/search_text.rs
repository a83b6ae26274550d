//! The search index's stored text (the `t` packs' blobs, issue 15): what the browser verifies
//! matches and builds excerpts from. `TEXT_CHUNK` documents a blob in document order (the
//! metadata has `CHUNK`), gzipped JSON, bodies cut to `TEXT_CAP` characters and flagged when cut.

use crate::common::*;
use tsunagari::search::{CHUNK, TEXT_CAP, TEXT_CHUNK};

#[test]
fn stored_text_rows_follow_the_metadata_rows_and_cut_bodies_are_flagged() {
    let t = SiteTest::empty();
    // Eleven columns: two text chunks of documents. One body longer than the cap.
    let long = "地域おこし協力隊の活動記録です。".repeat(TEXT_CAP / 10);
    for i in 0..11 {
        let body = if i == 3 {
            long.clone()
        } else {
            format!("本文{i}は&lt;script&gt;alert(1)&lt;/script&gt;を含む。")
        };
        t.file(
            &format!("content/columns/c{i}.md"),
            &format!(
                "---\ntitle: コラム{i}\ndate: 2026-03-{:02}\nsummary: 要約{i}\n---\n{body}\n",
                i + 1
            ),
        );
    }
    t.build();
    let read_rows = |group: &str, size: usize| -> Vec<serde_json::Value> {
        let mut rows = Vec::new();
        let blobs = search_blobs(&t, group);
        assert_eq!(
            blobs.len(),
            11usize.div_ceil(size),
            "no {group} blob without documents"
        );
        for (c, blob) in blobs.iter().enumerate() {
            let chunk: serde_json::Value = serde_json::from_slice(blob).expect("JSON");
            let chunk = chunk.as_array().unwrap().clone();
            let full = size.min(11 - c * size);
            assert_eq!(chunk.len(), full, "{group} {c}: {size} documents a blob");
            rows.extend(chunk);
        }
        rows
    };
    let (meta, text) = (read_rows("d", CHUNK), read_rows("t", TEXT_CHUNK));
    assert_eq!(meta.len(), text.len(), "one text row per metadata row");
    let mut seen = 0;
    for (m, row) in meta.iter().zip(text) {
        seen += 1;
        // Same document in the same place: the title of both rows agrees.
        assert_eq!(m[1], row[0], "row {seen}");
        let title = row[0].as_str().unwrap();
        let i: usize = title.trim_start_matches("コラム").parse().unwrap();
        assert!(
            row[1].as_str().unwrap().contains(&format!("要約{i}")),
            "{row}"
        );
        let body = row[2].as_str().unwrap();
        if i == 3 {
            assert_eq!(
                body.chars().count(),
                TEXT_CAP,
                "a long body is cut to the cap"
            );
            assert!(long.starts_with(body));
            assert_eq!(row[3], 1, "a cut body is flagged");
        } else {
            // Stored as text, exactly as the index read it; escaping is the client's.
            assert_eq!(
                body.trim_end(),
                format!("本文{i}は<script>alert(1)</script>を含む。")
            );
            assert_eq!(row[3], 0, "a whole body is not flagged");
        }
    }
    assert_eq!(seen, 11, "every document has its text");
}
