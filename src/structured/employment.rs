//! `JobPosting.employmentType` from a challenge's `engagement` terms. The terms are free text;
//! the ones portals use are mapped here to Google's values (FULL_TIME, PART_TIME, CONTRACTOR,
//! TEMPORARY, INTERN, VOLUNTEER, PER_DIEM, OTHER), and a term we do not know adds nothing: no
//! value is better than a wrong one. The table and the reason for each row are in
//! docs/structured-data.md; keep the two together.

/// Each known term (as written, after splitting 「副業・兼業」) and its types.
const TABLE: &[(&str, &[&str])] = &[
    // A side job of someone employed elsewhere: municipalities engage them by a service
    // contract (業務委託), not as employees, so not PART_TIME.
    ("副業", &["CONTRACTOR"]),
    ("兼業", &["CONTRACTOR"]),
    ("業務委託", &["CONTRACTOR"]),
    // Unpaid work, professional skills included.
    ("プロボノ", &["VOLUNTEER"]),
    ("ボランティア", &["VOLUNTEER"]),
    // A company's employee seconded to the town (地域活性化起業人): the town pays the company,
    // the person stays its employee. Neither a hire nor a contract with the person.
    ("企業派遣", &["OTHER"]),
    ("地域活性化起業人", &["OTHER"]),
    // A fixed-term appointment (at most three years) under the national scheme.
    ("地域おこし協力隊", &["TEMPORARY"]),
    ("インターン", &["INTERN"]),
    ("インターンシップ", &["INTERN"]),
    ("常勤", &["FULL_TIME"]),
    ("フルタイム", &["FULL_TIME"]),
    ("非常勤", &["PART_TIME"]),
    ("パートタイム", &["PART_TIME"]),
    ("パート", &["PART_TIME"]),
    ("アルバイト", &["PART_TIME"]),
];

/// Google's employment types for `engagement`, each once, in the order first met.
pub fn types(engagement: &[String]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let parts = engagement
        .iter()
        .flat_map(|e| e.split(['・', '/', '／', '、']))
        .map(str::trim);
    for part in parts {
        let found = TABLE.iter().find(|(term, _)| *term == part);
        for t in found.map_or(&[][..], |(_, types)| *types) {
            if !out.contains(t) {
                out.push(t);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(v: &[&str]) -> Vec<&'static str> {
        types(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn side_jobs_are_contracts_not_part_time() {
        assert_eq!(of(&["副業"]), ["CONTRACTOR"]);
        assert_eq!(of(&["兼業"]), ["CONTRACTOR"]);
        assert_eq!(of(&["副業・兼業"]), ["CONTRACTOR"]);
    }

    #[test]
    fn each_type_once_in_the_order_met() {
        assert_eq!(
            of(&["副業", "兼業", "プロボノ"]),
            ["CONTRACTOR", "VOLUNTEER"]
        );
        assert_eq!(
            of(&["ボランティア", "企業派遣", "プロボノ"]),
            ["VOLUNTEER", "OTHER"]
        );
        assert_eq!(of(&["企業派遣／副業"]), ["OTHER", "CONTRACTOR"]);
    }

    #[test]
    fn every_row_of_the_table() {
        assert_eq!(of(&["企業派遣"]), ["OTHER"]);
        assert_eq!(of(&["地域活性化起業人"]), ["OTHER"]);
        assert_eq!(of(&["地域おこし協力隊"]), ["TEMPORARY"]);
        assert_eq!(of(&["インターンシップ", "インターン"]), ["INTERN"]);
        assert_eq!(of(&["常勤", "フルタイム"]), ["FULL_TIME"]);
        assert_eq!(
            of(&["非常勤", "パート", "アルバイト", "パートタイム"]),
            ["PART_TIME"]
        );
        assert_eq!(of(&["業務委託"]), ["CONTRACTOR"]);
    }

    #[test]
    fn unknown_terms_add_nothing() {
        assert!(of(&["ワーケーション"]).is_empty());
        assert!(of(&[]).is_empty());
        assert_eq!(of(&["お試し", " ボランティア "]), ["VOLUNTEER"]);
        // A word that merely contains a known one is not that term.
        assert!(of(&["副業的な関わり"]).is_empty());
    }

    #[test]
    fn the_documented_table_matches_the_code() {
        let doc = include_str!("../../docs/structured-data.md");
        for (term, types) in TABLE {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| {term} |")))
                .unwrap_or_else(|| panic!("docs/structured-data.md has no row for {term}"));
            for t in *types {
                assert!(row.contains(&format!("`{t}`")), "{row} should name {t}");
            }
        }
    }
}
