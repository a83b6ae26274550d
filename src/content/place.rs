//! Where a page is: its prefecture (in full; one written without its 都/府/県 is taken with a
//! warning) and its municipality's own name (`新潟県汐見町` with `新潟県` is `汐見町`), so that a
//! municipality gets one page whichever way staff write it.

use crate::diagnostics::Problem;
use crate::fields::Fields;
use crate::japan;

/// A municipality's name without its prefecture in front (`新潟県汐見町` → `汐見町`, with a
/// warning), so that it has one page whichever way it is written.
pub(super) fn own_name(f: &mut Fields<'_>, municipality: String, prefecture: &str) -> String {
    let Some(own) = japan::without_prefecture(&municipality, prefecture) else {
        return municipality;
    };
    let canonical = own.to_string();
    f.warning_at_key(
        "municipality",
        Problem::MunicipalityWithPrefecture {
            value: municipality.clone(),
            canonical: canonical.clone(),
        },
    );
    canonical
}

/// The prefecture in full; one written without its 都/府/県 is taken (with a warning).
pub(super) fn read_prefecture(f: &mut Fields<'_>) -> String {
    let Some(p) = f.req_text("prefecture") else {
        return String::new();
    };
    if let Some(full) = japan::full_prefecture(&p).filter(|full| *full != p) {
        f.warning_at_key(
            "prefecture",
            Problem::PrefectureShort {
                value: p,
                canonical: full.to_string(),
            },
        );
        return full.to_string();
    }
    if japan::prefecture_code(&p).is_none() {
        let suggestion = japan::suggest_prefecture(&p);
        f.problem_at(
            "prefecture",
            Problem::InvalidPrefecture {
                value: p.clone(),
                suggestion,
            },
        );
    }
    p
}
