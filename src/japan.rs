//! Vocabulary of Japan that content is checked against: the 47 prefectures (都道府県) and the
//! regions (地方) they belong to, in the official order (JIS X 0401 codes 01–47).

/// (prefecture, region), in JIS X 0401 order.
pub const PREFECTURES: [(&str, &str); 47] = [
    ("北海道", "北海道・東北"),
    ("青森県", "北海道・東北"),
    ("岩手県", "北海道・東北"),
    ("宮城県", "北海道・東北"),
    ("秋田県", "北海道・東北"),
    ("山形県", "北海道・東北"),
    ("福島県", "北海道・東北"),
    ("茨城県", "関東"),
    ("栃木県", "関東"),
    ("群馬県", "関東"),
    ("埼玉県", "関東"),
    ("千葉県", "関東"),
    ("東京都", "関東"),
    ("神奈川県", "関東"),
    ("新潟県", "中部"),
    ("富山県", "中部"),
    ("石川県", "中部"),
    ("福井県", "中部"),
    ("山梨県", "中部"),
    ("長野県", "中部"),
    ("岐阜県", "中部"),
    ("静岡県", "中部"),
    ("愛知県", "中部"),
    ("三重県", "近畿"),
    ("滋賀県", "近畿"),
    ("京都府", "近畿"),
    ("大阪府", "近畿"),
    ("兵庫県", "近畿"),
    ("奈良県", "近畿"),
    ("和歌山県", "近畿"),
    ("鳥取県", "中国"),
    ("島根県", "中国"),
    ("岡山県", "中国"),
    ("広島県", "中国"),
    ("山口県", "中国"),
    ("徳島県", "四国"),
    ("香川県", "四国"),
    ("愛媛県", "四国"),
    ("高知県", "四国"),
    ("福岡県", "九州・沖縄"),
    ("佐賀県", "九州・沖縄"),
    ("長崎県", "九州・沖縄"),
    ("熊本県", "九州・沖縄"),
    ("大分県", "九州・沖縄"),
    ("宮崎県", "九州・沖縄"),
    ("鹿児島県", "九州・沖縄"),
    ("沖縄県", "九州・沖縄"),
];

/// URL slugs of the prefectures (Hepburn, no macrons), in the same order as [`PREFECTURES`].
/// Stable by design: these are part of public URLs (`/prefectures/niigata/`).
pub const PREFECTURE_SLUGS: [&str; 47] = [
    "hokkaido",
    "aomori",
    "iwate",
    "miyagi",
    "akita",
    "yamagata",
    "fukushima",
    "ibaraki",
    "tochigi",
    "gunma",
    "saitama",
    "chiba",
    "tokyo",
    "kanagawa",
    "niigata",
    "toyama",
    "ishikawa",
    "fukui",
    "yamanashi",
    "nagano",
    "gifu",
    "shizuoka",
    "aichi",
    "mie",
    "shiga",
    "kyoto",
    "osaka",
    "hyogo",
    "nara",
    "wakayama",
    "tottori",
    "shimane",
    "okayama",
    "hiroshima",
    "yamaguchi",
    "tokushima",
    "kagawa",
    "ehime",
    "kochi",
    "fukuoka",
    "saga",
    "nagasaki",
    "kumamoto",
    "oita",
    "miyazaki",
    "kagoshima",
    "okinawa",
];

/// Regions (地方) in the order they are shown.
pub const REGIONS: [&str; 7] = [
    "北海道・東北",
    "関東",
    "中部",
    "近畿",
    "中国",
    "四国",
    "九州・沖縄",
];

/// URL slug of a prefecture written in full.
pub fn prefecture_slug(name: &str) -> Option<&'static str> {
    prefecture_code(name).map(|c| PREFECTURE_SLUGS[usize::from(c) - 1])
}

/// JIS code (1–47) of a prefecture written in full, or None.
pub fn prefecture_code(name: &str) -> Option<u8> {
    PREFECTURES
        .iter()
        .position(|(p, _)| *p == name)
        .map(|i| i as u8 + 1)
}

/// Region (地方) of a prefecture written in full.
pub fn region_of(name: &str) -> Option<&'static str> {
    PREFECTURES
        .iter()
        .find(|(p, _)| *p == name)
        .map(|(_, r)| *r)
}

/// The prefecture `value` names exactly: written in full, or without its 都/府/県 (`新潟` →
/// `新潟県`, `東京` → `東京都`; each short form names one prefecture). 北海道 is always written
/// whole (`北海` is no name of it); nothing for a typo.
pub fn full_prefecture(value: &str) -> Option<&'static str> {
    let code = prefecture_code(value).or_else(|| {
        ["都", "府", "県"]
            .iter()
            .find_map(|suffix| prefecture_code(&format!("{value}{suffix}")))
    })?;
    Some(PREFECTURES[usize::from(code) - 1].0)
}

/// The municipality's own name when `municipality` starts with its prefecture written in full
/// (`新潟県汐見町` with `新潟県` → `汐見町`); None otherwise. Only the full form is taken off:
/// `京都市` starts with `京都` but is not `京都府` + `市`.
pub fn without_prefecture<'a>(municipality: &'a str, prefecture: &str) -> Option<&'a str> {
    let rest = municipality
        .strip_prefix(prefecture)?
        .trim_start_matches([' ', '\u{3000}']);
    (!rest.is_empty() && prefecture_code(prefecture).is_some()).then_some(rest)
}

/// Best guess for a prefecture written short (`東京`, `大阪`) or with a typo.
pub fn suggest_prefecture(value: &str) -> Option<String> {
    let v = value.trim();
    for suffix in ["都", "道", "府", "県"] {
        let full = format!("{v}{suffix}");
        if prefecture_code(&full).is_some() {
            return Some(full);
        }
    }
    crate::suggest::did_you_mean(v, PREFECTURES.iter().map(|(p, _)| *p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_prefectures_and_municipalities_written_with_theirs() {
        assert_eq!(full_prefecture("新潟"), Some("新潟県"));
        assert_eq!(full_prefecture("東京"), Some("東京都"));
        assert_eq!(full_prefecture("京都"), Some("京都府"));
        assert_eq!(full_prefecture("北海"), None);
        assert_eq!(full_prefecture("新潟県"), Some("新潟県"));
        assert_eq!(full_prefecture("新瀉"), None);
        assert_eq!(full_prefecture(""), None);
        assert_eq!(without_prefecture("新潟県汐見町", "新潟県"), Some("汐見町"));
        assert_eq!(
            without_prefecture("新潟県　汐見町", "新潟県"),
            Some("汐見町")
        );
        assert_eq!(without_prefecture("京都市", "京都府"), None);
        assert_eq!(without_prefecture("汐見町", "新潟県"), None);
        assert_eq!(without_prefecture("新潟県", "新潟県"), None);
    }

    #[test]
    fn codes_and_regions() {
        assert_eq!(prefecture_code("北海道"), Some(1));
        assert_eq!(prefecture_code("東京都"), Some(13));
        assert_eq!(prefecture_code("沖縄県"), Some(47));
        assert_eq!(prefecture_code("東京"), None);
        assert_eq!(region_of("新潟県"), Some("中部"));
        assert_eq!(prefecture_slug("新潟県"), Some("niigata"));
        assert_eq!(prefecture_slug("沖縄県"), Some("okinawa"));
        assert_eq!(prefecture_slug("東京都"), Some("tokyo"));
        let mut slugs = PREFECTURE_SLUGS.to_vec();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 47, "slugs are unique");
        assert!(PREFECTURES.iter().all(|(_, r)| REGIONS.contains(r)));
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_prefecture("東京").as_deref(), Some("東京都"));
        assert_eq!(suggest_prefecture("京都").as_deref(), Some("京都府"));
        assert_eq!(suggest_prefecture("北海").as_deref(), Some("北海道"));
        assert_eq!(suggest_prefecture("新潟").as_deref(), Some("新潟県"));
        assert_eq!(suggest_prefecture("神奈川").as_deref(), Some("神奈川県"));
    }
}
