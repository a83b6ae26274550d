//! The taxonomies of the content model: which kinds (prefecture, themes, work style,
//! engagement, skills, tags) exist, what they are called in `site.yaml` and front matter, which
//! content kinds carry them, and the slug of a free-text term (part of the public URL contract).
//! Grouping pages into terms is `crate::taxonomy`'s work.

use super::Kind;
use crate::strings::Strings;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaxonomyKind {
    Prefecture,
    Themes,
    WorkStyle,
    Engagement,
    Skills,
    Tags,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 6] = [
        TaxonomyKind::Prefecture,
        TaxonomyKind::Themes,
        TaxonomyKind::WorkStyle,
        TaxonomyKind::Engagement,
        TaxonomyKind::Skills,
        TaxonomyKind::Tags,
    ];

    /// Name in `site.yaml` and in front matter.
    pub fn key(self) -> &'static str {
        match self {
            TaxonomyKind::Prefecture => "prefecture",
            TaxonomyKind::Themes => "themes",
            TaxonomyKind::WorkStyle => "work_style",
            TaxonomyKind::Engagement => "engagement",
            TaxonomyKind::Skills => "skills",
            TaxonomyKind::Tags => "tags",
        }
    }

    pub fn from_key(s: &str) -> Option<TaxonomyKind> {
        TaxonomyKind::ALL.into_iter().find(|k| k.key() == s)
    }

    /// URL segment of the taxonomy.
    pub fn folder(self) -> &'static str {
        match self {
            TaxonomyKind::Prefecture => "prefectures",
            TaxonomyKind::Themes => "themes",
            TaxonomyKind::WorkStyle => "work-styles",
            TaxonomyKind::Engagement => "engagements",
            TaxonomyKind::Skills => "skills",
            TaxonomyKind::Tags => "tags",
        }
    }

    /// The name shown to visitors (`strings.yaml`: `taxonomy_*`).
    pub fn title(self, s: &Strings) -> &str {
        match self {
            TaxonomyKind::Prefecture => &s.taxonomy_prefecture,
            TaxonomyKind::Themes => &s.taxonomy_themes,
            TaxonomyKind::WorkStyle => &s.taxonomy_work_style,
            TaxonomyKind::Engagement => &s.taxonomy_engagement,
            TaxonomyKind::Skills => &s.taxonomy_skills,
            TaxonomyKind::Tags => &s.taxonomy_tags,
        }
    }

    /// The heading of the page of term `term` (`strings.yaml`: `term_*`).
    pub fn term_heading(self, s: &Strings, term: &str) -> String {
        let template = match self {
            TaxonomyKind::Prefecture => &s.term_prefecture,
            TaxonomyKind::Themes => &s.term_themes,
            TaxonomyKind::WorkStyle => &s.term_work_style,
            TaxonomyKind::Engagement => &s.term_engagement,
            TaxonomyKind::Skills => &s.term_skills,
            TaxonomyKind::Tags => &s.term_tags,
        };
        Strings::fill(template, &[("term", term)])
    }

    /// Which content kinds carry this taxonomy.
    pub fn applies_to(self, kind: Kind) -> bool {
        match self {
            TaxonomyKind::Prefecture | TaxonomyKind::Themes => {
                matches!(kind, Kind::Challenge | Kind::Case)
            }
            TaxonomyKind::WorkStyle | TaxonomyKind::Engagement | TaxonomyKind::Skills => {
                kind == Kind::Challenge
            }
            TaxonomyKind::Tags => matches!(kind, Kind::Challenge | Kind::Case | Kind::Column),
        }
    }
}

impl crate::urls::Folder for TaxonomyKind {
    fn folder(self) -> &'static str {
        TaxonomyKind::folder(self)
    }
}

/// URL segment of a free-text term: Japanese kept, ASCII lowercased, punctuation dropped
/// (`関ヶ原町` and `佐々町` keep every character; `○○町` becomes `町`).
pub fn term_slug(name: &str) -> String {
    let s = crate::markdown::slugify(name);
    if s == "section" && !name.eq_ignore_ascii_case("section") {
        "term".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_slugs_keep_japanese_and_are_stable() {
        assert_eq!(term_slug("ふるさと納税"), "ふるさと納税");
        assert_eq!(term_slug("DX"), "dx");
        assert_eq!(term_slug("広報・PR"), "広報-pr");
        assert_eq!(term_slug("Webサイト制作"), "webサイト制作");
        assert_eq!(term_slug("関ヶ原町"), "関ヶ原町");
        assert_eq!(term_slug("佐々町"), "佐々町");
        assert_eq!(term_slug("！"), "term");
    }
}
