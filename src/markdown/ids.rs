//! Ids in a rendered body and the heading attributes that may carry them.
//!
//! Every id a body puts on the page (headings, `{#custom}` ids, footnote definitions) is valid,
//! unique within the body, and clear of the ids the theme's templates use ([`ReservedIds`],
//! derived from the active theme by `theme`). Heading attributes (`{#id .class key=value}`) keep
//! only an `#id` of letters, digits, `-`, `_` and `.class`es of ASCII letters, digits, `-`, `_`;
//! anything else would reach the page as a live attribute (`onfocus=…`, `style=…`), so it is
//! dropped with a warning.

use super::{lower, slugify, Found, Heading, Rendered};
use crate::diagnostics::{Problem, Severity};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

/// Ids the theme gives its own elements: literal ones exactly, and ids built from a template
/// expression (`form-{{ f.name }}`) as patterns whose expressions match any text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ReservedIds {
    exact: BTreeSet<String>,
    /// Literal pieces with a wildcard between each two (at least two pieces).
    patterns: BTreeSet<Vec<String>>,
}

impl ReservedIds {
    pub fn add_exact(&mut self, id: &str) {
        if !id.is_empty() {
            self.exact.insert(id.to_string());
        }
    }

    /// Adds literal `pieces` with anything between them; a pattern without any literal text
    /// (`id="{{ h.id }}"`) says nothing about which ids the theme uses and is ignored.
    pub fn add_pattern(&mut self, pieces: Vec<String>) {
        match pieces.len() {
            0 => {}
            1 => self.add_exact(&pieces[0]),
            _ if pieces.iter().all(String::is_empty) => {}
            _ => {
                self.patterns.insert(pieces);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.patterns.is_empty()
    }

    /// Whether the theme may use `id`.
    pub fn contains(&self, id: &str) -> bool {
        self.exact.contains(id) || self.matches_pattern(id)
    }

    fn matches_pattern(&self, id: &str) -> bool {
        self.patterns.iter().any(|p| glob_match(p, id))
    }

    /// Whether a pattern that ends in a wildcard (`form-*`) matches `id`: then it matches
    /// every suffixed form of `id` too.
    fn matches_open_pattern(&self, id: &str) -> bool {
        self.patterns
            .iter()
            .any(|p| p.last().is_some_and(String::is_empty) && glob_match(p, id))
    }
}

/// `pieces` joined by wildcards that match any text (also none) matches all of `id`.
fn glob_match(pieces: &[String], id: &str) -> bool {
    let (Some((first, rest)), Some(last)) = (pieces.split_first(), pieces.last()) else {
        return false;
    };
    let Some(mut s) = id.strip_prefix(first.as_str()) else {
        return false;
    };
    if rest.is_empty() {
        return s.is_empty();
    }
    let Some(body) = s.strip_suffix(last.as_str()) else {
        return false;
    };
    s = body;
    for piece in &rest[..rest.len() - 1] {
        match s.find(piece.as_str()) {
            Some(i) => s = &s[i + piece.len()..],
            None => return false,
        }
    }
    true
}

/// Hands out the ids of one body.
pub(super) struct Ids<'a> {
    reserved: &'a ReservedIds,
    used: HashSet<String>,
    /// Next suffix to try per stem, so many equal headings stay linear.
    next: HashMap<String, u32>,
}

/// After this many candidates that only a theme pattern rejects, patterns are ignored (a theme
/// pattern such as `{{ a }}-{{ b }}` may match every candidate).
const PATTERN_TRIES: u32 = 64;

impl<'a> Ids<'a> {
    pub(super) fn new(reserved: &'a ReservedIds) -> Self {
        Ids {
            reserved,
            used: HashSet::new(),
            next: HashMap::new(),
        }
    }

    /// A free id made from `base`: `base`, else `base-2`, `base-3`…; when `base` falls under a
    /// theme pattern (`form-*`), whose suffixed forms would too, from `md-<base>` instead.
    pub(super) fn claim(&mut self, base: &str) -> String {
        let stem = if self.reserved.matches_open_pattern(base) {
            format!("md-{base}")
        } else {
            base.to_string()
        };
        // The numbered forms of a stem can fall under a theme pattern (`form` → `form-2`,
        // `form-3`… under `form-{{ … }}`): then number `md-form` instead, and for patterns that
        // match nearly everything, a stem without dashes. The last try ignores patterns: the
        // id is still unique on the page.
        let dashless = format!("md_{}", stem.replace('-', "_"));
        let prefixed = if stem.starts_with("md-") {
            dashless.clone()
        } else {
            format!("md-{stem}")
        };
        let id = self
            .numbered(&stem, true)
            .or_else(|| self.numbered(&prefixed, true))
            .or_else(|| self.numbered(&dashless, true))
            .or_else(|| self.numbered(&dashless, false))
            .expect("ignoring patterns always finds an id");
        self.used.insert(id.clone());
        id
    }

    /// `stem`, `stem-2`, `stem-3`…: the first that is free; `None` when `PATTERN_TRIES`
    /// candidates in a row fall under a theme pattern (and `patterns` is on).
    fn numbered(&mut self, stem: &str, patterns: bool) -> Option<String> {
        let mut n = self.next.get(stem).copied().unwrap_or(1);
        let mut pattern_misses = 0;
        loop {
            let candidate = if n == 1 {
                stem.to_string()
            } else {
                format!("{stem}-{n}")
            };
            n += 1;
            if self.used.contains(&candidate) || self.reserved.exact.contains(&candidate) {
                continue;
            }
            if patterns && self.reserved.matches_pattern(&candidate) {
                pattern_misses += 1;
                if pattern_misses >= PATTERN_TRIES {
                    return None;
                }
                continue;
            }
            self.next.insert(stem.to_string(), n);
            return Some(candidate);
        }
    }
}

/// `{#id}`: Unicode letters and digits, `-`, `_`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// `{.class}`: ASCII letters and digits, `-`, `_`.
pub fn valid_class(class: &str) -> bool {
    !class.is_empty()
        && class
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Pass 1 over the events: heading ids, attributes and levels (a body with an `h1` is demoted
/// one level so it never competes with the page title), and footnote ids. Fills
/// `out.headings` and the warnings of `out.found`.
pub(super) fn assign(
    events: &mut [(Event<'_>, Range<usize>)],
    body: &str,
    reserved: &ReservedIds,
    out: &mut Rendered,
) {
    let demote = events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    let mut ids = Ids::new(reserved);
    let mut footnotes: HashMap<String, String> = HashMap::new();
    let mut defined: std::collections::HashSet<String> = std::collections::HashSet::new();
    for i in 0..events.len() {
        match &mut events[i].0 {
            Event::Start(Tag::Heading { level, .. }) => {
                if demote {
                    *level = lower(*level);
                }
                let text = heading_text(&events[i + 1..]);
                let at = attribute_block(body, &events[i].1);
                let heading = heading(&mut events[i].0, text, &mut ids, &mut |problem| {
                    out.found.push(Found {
                        offset: at.start,
                        len: at.len(),
                        severity: Severity::Warning,
                        problem,
                    })
                });
                out.headings.push(heading);
            }
            Event::End(TagEnd::Heading(level)) if demote => *level = lower(*level),
            Event::Start(Tag::FootnoteDefinition(label))
                if !defined.insert(footnote_key(label)) =>
            {
                // A second definition of one label: references go to the first (as in
                // CommonMark), this one keeps an id of its own so no id repeats.
                out.found.push(Found {
                    offset: events[i].1.start,
                    len: 1,
                    severity: Severity::Warning,
                    problem: Problem::DuplicateFootnote {
                        label: label.to_string(),
                    },
                });
                let Event::Start(Tag::FootnoteDefinition(label)) = &mut events[i].0 else {
                    unreachable!("matched above")
                };
                *label = CowStr::from(ids.claim(&format!("fn-{}", slugify(label))));
            }
            Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => {
                let id = footnotes
                    .entry(footnote_key(label))
                    .or_insert_with(|| ids.claim(&format!("fn-{}", slugify(label))));
                *label = CowStr::from(id.clone());
            }
            _ => {}
        }
    }
}

/// Filters the attributes of one heading start event (`warn` gets what was dropped or
/// changed) and gives it its id.
fn heading(
    ev: &mut Event<'_>,
    text: String,
    ids: &mut Ids<'_>,
    warn: &mut dyn FnMut(Problem),
) -> Heading {
    let Event::Start(Tag::Heading {
        level,
        id,
        classes,
        attrs,
    }) = ev
    else {
        unreachable!("called on heading starts only")
    };
    for (key, value) in attrs.drain(..) {
        let attribute = match value {
            Some(v) => format!("{key}={v}"),
            None => key.to_string(),
        };
        warn(Problem::HeadingAttributeDropped { attribute });
    }
    classes.retain(|c| {
        valid_class(c) || {
            warn(Problem::HeadingAttributeDropped {
                attribute: format!(".{c}"),
            });
            false
        }
    });
    let custom = id.take().filter(|given| {
        valid_id(given) || {
            warn(Problem::HeadingAttributeDropped {
                attribute: format!("#{given}"),
            });
            false
        }
    });
    let unique = match &custom {
        Some(given) => {
            let unique = ids.claim(given);
            if unique != given.as_ref() {
                warn(Problem::HeadingIdChanged {
                    id: given.to_string(),
                    now: unique.clone(),
                });
            }
            unique
        }
        None => ids.claim(&slugify(&text)),
    };
    *id = Some(CowStr::from(unique.clone()));
    Heading {
        level: *level as u8,
        id: unique,
        text: text.trim().to_string(),
    }
}

/// Text of a heading whose start event precedes `rest`.
fn heading_text(rest: &[(Event<'_>, Range<usize>)]) -> String {
    let mut text = String::new();
    for (ev, _) in rest {
        match ev {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

/// Footnote labels match like link labels: case and runs of whitespace do not matter, so
/// `[^Note]` finds `[^note]:` and both get one id.
fn footnote_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Where a heading's `{…}` attribute block is (the whole heading when it has none), for
/// warnings that point at it.
fn attribute_block(body: &str, heading: &Range<usize>) -> Range<usize> {
    let src = body.get(heading.clone()).unwrap_or_default();
    match (src.rfind('{'), src.rfind('}')) {
        (Some(open), Some(close)) if open < close => {
            heading.start + open..heading.start + close + 1
        }
        _ => heading.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reserved() -> ReservedIds {
        let mut r = ReservedIds::default();
        r.add_exact("main");
        r.add_exact("apply");
        r.add_pattern(vec!["form-".into(), String::new()]);
        r.add_pattern(vec![String::new(), "-heading".into()]);
        r.add_pattern(vec!["a-".into(), "-b-".into(), "-c".into()]);
        r
    }

    #[test]
    fn reserved_ids_match_exactly_and_by_pattern() {
        let r = reserved();
        for id in [
            "main",
            "apply",
            "form-name",
            "form-",
            "x-heading",
            "a-1-b-2-c",
        ] {
            assert!(r.contains(id), "{id}");
        }
        for id in [
            "main-2",
            "apply-2",
            "form",
            "my-form-x",
            "x-heading-2",
            "a--c",
            "a-b-c",
        ] {
            assert!(!r.contains(id), "{id}");
        }
        let mut ignored = ReservedIds::default();
        ignored.add_pattern(vec![String::new(), String::new()]);
        assert!(ignored.is_empty());
    }

    #[test]
    fn claims_avoid_the_theme_and_each_other() {
        let r = reserved();
        let mut ids = Ids::new(&r);
        let got: Vec<String> = [
            "main",
            "main",
            "応募",
            "応募",
            "form-name",
            "form-name",
            "x-heading",
        ]
        .iter()
        .map(|b| ids.claim(b))
        .collect();
        assert_eq!(
            got,
            [
                "main-2",
                "main-3",
                "応募",
                "応募-2",
                "md-form-name",
                "md-form-name-2",
                "x-heading-2"
            ]
        );
    }

    #[test]
    fn numbered_ids_never_fall_under_a_theme_pattern() {
        // `form` is free, but `form-2`… match `form-{{ f.name }}`: found by the fuzzer.
        let r = reserved();
        let mut ids = Ids::new(&r);
        let got: Vec<String> = (0..4).map(|_| ids.claim("form")).collect();
        assert_eq!(got, ["form", "md-form", "md-form-2", "md-form-3"]);
        for id in &got {
            assert!(!r.contains(id), "{id}");
        }
    }

    #[test]
    fn a_pattern_matching_everything_dashed_still_gives_unique_ids() {
        let mut r = ReservedIds::default();
        r.add_pattern(vec![String::new(), "-".into(), String::new()]);
        let mut ids = Ids::new(&r);
        let a = ids.claim("a-b");
        let b = ids.claim("a-b");
        assert_ne!(a, b);
    }

    #[test]
    fn id_and_class_character_sets() {
        assert!(valid_id("地域の課題-2_b"));
        assert!(valid_id("x"));
        for bad in ["", "a b", "a\"b", "a<b", "a=b", "a:b", "a.b", "a/b"] {
            assert!(!valid_id(bad), "{bad}");
        }
        assert!(valid_class("note-1_x"));
        for bad in ["", "注意", "a\"b", "a:b", "a b"] {
            assert!(!valid_class(bad), "{bad}");
        }
    }

    fn render(md: &str) -> Rendered {
        let mut reserved = ReservedIds::default();
        for id in ["main", "apply", "site-header"] {
            reserved.add_exact(id);
        }
        reserved.add_pattern(vec!["form-".into(), String::new()]);
        let opts = super::super::Options {
            reserved_ids: std::sync::Arc::new(reserved),
            ..Default::default()
        };
        super::super::render(md, &opts, &|_| super::super::LinkTarget::Missing)
    }

    fn dropped(out: &Rendered) -> Vec<String> {
        out.found
            .iter()
            .filter_map(|f| match &f.problem {
                Problem::HeadingAttributeDropped { attribute } => Some(attribute.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn heading_attributes_keep_only_safe_ids_and_classes() {
        let md = "## 応募 {#x autofocus onfocus=alert(1)}\n\n## A {.c style=\"color:red\"}\n\n## B {#a\"b .c\"d .ok}\n";
        let out = render(md);
        assert_eq!(
            out.html,
            "<h2 id=\"x\">応募</h2>\n<h2 id=\"a\" class=\"c\">A</h2>\n<h2 id=\"b\" class=\"ok\">B</h2>\n"
        );
        assert_eq!(
            dropped(&out),
            [
                "autofocus",
                "onfocus=alert(1)",
                "style=\"color:red\"",
                ".c\"d",
                "#a\"b"
            ]
        );
        let first = &out.found[0];
        assert_eq!(first.severity, Severity::Warning);
        assert_eq!(
            &md[first.offset..first.offset + first.len],
            "{#x autofocus onfocus=alert(1)}"
        );
    }

    #[test]
    fn custom_ids_that_are_taken_change_with_a_warning() {
        let out = render("## A {#site-header}\n\n## B {#form-consent}\n\n## C {#c}\n\n## D {#c}\n");
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["site-header-2", "md-form-consent", "c", "c-2"]);
        let changed = out
            .found
            .iter()
            .filter(|f| matches!(f.problem, Problem::HeadingIdChanged { .. }))
            .count();
        assert_eq!(changed, 3);
    }

    #[test]
    fn footnote_ids_are_valid_unique_and_link_up() {
        let out = render(
            "本文[^main]と[^Note 1]、[^note  1]。\n\n[^main]: 一\n\n[^NOTE 1]: 二\n\n## fn-main\n",
        );
        assert!(out.html.contains("href=\"#fn-main\""), "{}", out.html);
        assert!(out.html.contains("id=\"fn-main\""), "{}", out.html);
        assert!(out.html.contains("href=\"#fn-note-1\""), "{}", out.html);
        assert!(out.html.contains("id=\"fn-note-1\""), "{}", out.html);
        assert!(!out.html.contains("id=\"main\""), "{}", out.html);
        assert_eq!(out.headings[0].id, "fn-main-2");
    }

    #[test]
    fn a_footnote_defined_twice_keeps_ids_unique_with_a_warning() {
        for body in [
            "x[^1]\n\n[^1]: a\n[^1]: b\n",
            "x[^a]\n\n[^a]: a\n\n[^A]: b\n\n[^ a ]: c\n",
        ] {
            let out = render(body);
            let doc = scraper::Html::parse_fragment(&out.html);
            let sel = scraper::Selector::parse("[id]").unwrap();
            let ids: Vec<_> = doc.select(&sel).filter_map(|e| e.value().id()).collect();
            let unique: HashSet<_> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "{ids:?}\n{}", out.html);
            let dups = out
                .found
                .iter()
                .filter(|f| matches!(f.problem, Problem::DuplicateFootnote { .. }))
                .count();
            assert_eq!(dups, ids.len() - 1, "{body:?}");
        }
    }
}
