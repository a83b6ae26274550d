//! Challenge, case, column and plain pages: the full page, and the card lists show.

use super::common::{image_url, jsonld, prefecture_url, term_links, Crumb, Meta, TermLink};
use super::picture::{Picture, ShareImage};
use super::{Data, Reader, View};
use crate::content::TaxonomyKind;
use crate::content::{Extra, Kind};
use crate::markdown::Heading;
use crate::site::{Page, Status, Unpublished};
use crate::structured;
use serde::Serialize;

#[derive(Serialize)]
pub struct ChallengeView<'a> {
    municipality: &'a str,
    municipality_url: Option<&'a str>,
    prefecture: &'a str,
    prefecture_url: Option<String>,
    region: &'static str,
    organization: Option<&'a str>,
    themes: Vec<TermLink>,
    work_style: Option<&'static str>,
    work_style_label: Option<&'a str>,
    work_style_url: Option<String>,
    engagement: Vec<TermLink>,
    reward: Option<&'a str>,
    duration: Option<&'a str>,
    visits: Option<&'a str>,
    capacity: Option<&'a str>,
    deadline: Option<String>,
    deadline_ja: Option<String>,
    /// The deadline for cards and the status line: month and day (`4月20日`), with the year
    /// when it is not the build date's year.
    deadline_short: Option<String>,
    /// `17:00` when the deadline names a time (in the site's time zone).
    deadline_time: Option<String>,
    days_left: Option<i64>,
    /// Instants (RFC 3339, site time zone) the status script (`assets/status.js`) compares
    /// with the visitor's clock; none unless the build found the challenge open with a deadline.
    #[serde(flatten)]
    instants: Instants,
    status: &'static str,
    status_label: &'a str,
    is_open: bool,
    skills: Vec<TermLink>,
}

/// When an open challenge's status changes, as `challenge_status` in `site.rs` decides it.
/// Every status badge carries them (`LinkView` too), so `assets/status.js` keeps all true.
#[derive(Serialize, Default)]
pub(super) struct Instants {
    /// The deadline passes: its time, or the end of its day (00:00 the day after).
    deadline_at: Option<String>,
    /// The end of the deadline's day: "あと N 日" counts the days to it.
    deadline_day_ends: Option<String>,
    /// `closing_soon_days` before the deadline's day begins: まもなく締切 from then.
    closing_soon_at: Option<String>,
}

impl Instants {
    /// Instants of a challenge the build found open with a deadline; none otherwise.
    fn open(deadline: Option<crate::date::DateTime>, s: Status, tz: i32, soon: i64) -> Instants {
        deadline
            .filter(|_| s.is_open())
            .map_or_else(Instants::default, |d| Instants::of(d, tz, soon))
    }

    fn of(deadline: crate::date::DateTime, tz: i32, soon_days: i64) -> Instants {
        use crate::date::DateTime;
        let day = deadline.date_in(tz);
        let midnight = |date| DateTime {
            date,
            time: Some(0),
            offset: Some(tz),
        };
        let day_ends = midnight(day.add_days(1)).rfc3339(tz);
        Instants {
            deadline_at: Some(match deadline.time {
                Some(_) => deadline.rfc3339(tz),
                None => day_ends.clone(),
            }),
            deadline_day_ends: Some(day_ends),
            closing_soon_at: Some(midnight(day.add_days(-soon_days)).rfc3339(tz)),
        }
    }
}

#[derive(Serialize)]
pub struct CaseView<'a> {
    municipality: &'a str,
    municipality_url: Option<&'a str>,
    prefecture: &'a str,
    prefecture_url: Option<String>,
    themes: Vec<TermLink>,
}

/// A page as templates see it: whole on its own page (`full`), as a card in lists.
#[derive(Serialize)]
pub struct PageView<'a> {
    kind: &'static str,
    kind_label: &'a str,
    slug: &'a str,
    url: &'a str,
    permalink: String,
    title: &'a str,
    summary: &'a str,
    /// The front matter's summary only: a summary taken from the start of the body would
    /// repeat the body's first lines under the title.
    lead: Option<&'a str>,
    date: Option<String>,
    date_ja: Option<String>,
    updated: Option<String>,
    updated_ja: Option<String>,
    pub image: Option<String>,
    image_alt: &'a str,
    /// The front-matter image as a responsive picture, when it is a local raster.
    pub picture: Option<Picture>,
    /// The soft colour (0–7) of the card's placeholder when there is no picture, by town.
    photo_tone: u32,
    tags: Vec<TermLink>,
    author: Option<&'a str>,
    content: Option<&'a str>,
    toc: &'a [Heading],
    challenge: Option<ChallengeView<'a>>,
    case: Option<CaseView<'a>>,
    /// Related and similar pages (`partials/briefs.html`), light like list items; empty on cards.
    related: Vec<PageView<'a>>,
    similar: Vec<PageView<'a>>,
    /// Share links (LINE, X, Facebook, the URL to copy) of a whole challenge or case.
    share: Option<crate::urls::Share>,
    /// The contact/apply form of the page (open challenges and pages with `form:`).
    form: Option<crate::forms::FormView>,
    /// In a preview, why the public site does not show this page yet: `draft` or `scheduled`.
    preview: Option<&'static str>,
    /// Its short label for cards (`preview_draft_label`, `preview_scheduled_label`).
    preview_label: Option<&'a str>,
    /// The note over the page (`preview_draft`, `preview_scheduled` with its date).
    preview_note: Option<String>,
}

/// The context of a challenge, case, column or plain page.
#[derive(Serialize)]
pub struct PageOutput<'a> {
    page: PageView<'a>,
    meta: Meta,
    breadcrumbs: Vec<Crumb>,
    jsonld: String,
}

/// The full page of page `i`, and its template.
pub fn output<'s>(r: &Reader<'s>, i: usize) -> View<'s> {
    let c = r.config();
    let p = r.page(i);
    let view = page_view(r, i, true);
    let share = ShareImage::for_image(r, p.picture.as_deref(), p.common.image.as_deref());
    let image = share.url.clone();
    let w = r.site_wide();
    let meta = Meta {
        path: p.url.clone(),
        title: r.strings().page_title(&p.common.title, &c.title),
        description: p.summary.clone(),
        canonical: c.urls().absolute(&p.url),
        og_type: "article",
        image: image.clone(),
        image_width: share.width,
        image_height: share.height,
        image_alt: p.common.image_alt.clone().unwrap_or_default(),
        feed: (p.kind != Kind::Page).then(|| c.urls().feed(&c.urls().section(p.kind))),
        json_feed: None,
    };
    let mut crumbs = vec![Crumb::home(r)];
    if p.kind != Kind::Page {
        crumbs.push(Crumb::new(
            w.section(p.kind).title.clone(),
            c.urls().section(p.kind),
        ));
    }
    crumbs.push(Crumb::new(p.common.title.clone(), p.url.clone()));
    // JSON-LD reads the page, its body and its municipality's profile.
    r.body(i);
    r.profile_of(i);
    let site = r.declared();
    let mut nodes: Vec<serde_json::Value> = Vec::new();
    // JSON-LD may name the page's own image in any format (an SVG too); og:image may not.
    let own = view.image.as_deref().filter(|_| p.picture.is_none());
    let ld_image = own.map(|i| c.urls().absolute_if_site(i)).or(image.clone());
    // Any apply form is direct (see `structured::job_posting`).
    let direct_apply = view.form.is_some();
    nodes.extend(structured::job_posting(
        site,
        p,
        ld_image.as_deref(),
        direct_apply,
    ));
    nodes.extend(structured::article(site, p, ld_image.as_deref()));
    let template = match (&p.extra, p.kind) {
        (
            Extra::Page {
                layout: Some(l), ..
            },
            _,
        ) => format!("{l}.html"),
        (_, Kind::Challenge) => "challenge.html".into(),
        (_, Kind::Case) => "case.html".into(),
        (_, Kind::Column) => "column.html".into(),
        _ => "page.html".into(),
    };
    let out = PageOutput {
        jsonld: jsonld(r, &crumbs, nodes),
        page: view,
        meta,
        breadcrumbs: crumbs,
    };
    View::new(template, Data::Page(out))
}

fn column_author(p: &Page) -> Option<&str> {
    match &p.extra {
        Extra::Column(col) => col.author.as_deref(),
        _ => None,
    }
}

/// Page `i` as templates see it: whole (`full`) or as a card.
pub fn page_view<'s>(r: &Reader<'s>, i: usize, full: bool) -> PageView<'s> {
    let c = r.config();
    let p = r.page(i);
    let st = r.strings();
    let tz = c.timezone;
    let links = |kind: TaxonomyKind, names: &[String]| shown_terms(r, kind, names, full);
    let place = |pref: &str| full.then(|| prefecture_url(r, pref)).flatten();
    let challenge = match &p.extra {
        Extra::Challenge(ch) => Some(challenge_view(r, i, ch, full)),
        _ => None,
    };
    let case = match &p.extra {
        Extra::Case(cs) => Some(CaseView {
            municipality: &cs.municipality,
            municipality_url: r.municipality_url_of(i),
            prefecture: &cs.prefecture,
            prefecture_url: place(&cs.prefecture),
            themes: links(TaxonomyKind::Themes, &cs.themes),
        }),
        _ => None,
    };
    let linked = |list: &[usize]| -> Vec<PageView<'s>> {
        if full {
            list.iter().map(|&j| page_view(r, j, false)).collect()
        } else {
            Vec::new()
        }
    };
    let body = full.then(|| r.body(i));
    let (preview, preview_label, preview_note) =
        preview(st, Unpublished::of(&p.common, r.site_wide().now(), tz));
    PageView {
        kind: p.kind.id(),
        kind_label: p.kind.label(st),
        slug: &p.slug,
        url: &p.url,
        permalink: c.urls().absolute(&p.url),
        title: &p.common.title,
        summary: &p.summary,
        lead: p.common.summary.as_deref().filter(|s| !s.is_empty()),
        date: p.common.date.map(|d| d.date_in(tz).to_string()),
        date_ja: p.common.date.map(|d| st.date(d.date_in(tz))),
        updated: p.common.updated.map(|d| d.date_in(tz).to_string()),
        updated_ja: p.common.updated.map(|d| st.date(d.date_in(tz))),
        image: p.common.image.as_deref().map(|img| image_url(c, p, img)),
        image_alt: p.common.image_alt.as_deref().unwrap_or(""),
        picture: Picture::of_page(&c.urls(), p),
        photo_tone: super::picture::page_tone(p),
        tags: links(TaxonomyKind::Tags, &p.common.tags),
        author: column_author(p),
        content: body.map(|b| b.html.as_str()),
        toc: body.map(|b| b.headings.as_slice()).unwrap_or(&[]),
        challenge,
        case,
        form: if full { form_view(r, p) } else { None },
        related: linked(&p.related),
        similar: linked(&p.similar),
        share: share(c, p, full),
        preview,
        preview_label,
        preview_note,
    }
}

/// The share links of a whole challenge or case page.
fn share(c: &crate::config::Config, p: &Page, full: bool) -> Option<crate::urls::Share> {
    (full && matches!(p.kind, Kind::Challenge | Kind::Case)).then(|| c.urls().share(&p.url))
}

/// A challenge's own fields: whole (`full`) or for its card.
fn challenge_view<'s>(
    r: &Reader<'s>,
    i: usize,
    ch: &'s crate::content::Challenge,
    full: bool,
) -> ChallengeView<'s> {
    let c = r.config();
    let p = r.page(i);
    let st = r.strings();
    let tz = c.timezone;
    let links = |kind: TaxonomyKind, names: &[String]| shown_terms(r, kind, names, full);
    let place = |pref: &str| full.then(|| prefecture_url(r, pref)).flatten();
    let status = p.status.unwrap_or(Status::Open);
    let deadline = ch.deadline.map(|d| d.date_in(tz));
    ChallengeView {
        municipality: &ch.municipality,
        municipality_url: r.municipality_url_of(i),
        prefecture: &ch.prefecture,
        prefecture_url: place(&ch.prefecture),
        region: crate::japan::region_of(&ch.prefecture).unwrap_or(""),
        organization: ch.organization.as_deref(),
        themes: links(TaxonomyKind::Themes, &ch.themes),
        work_style: ch.work_style.map(|w| w.id()),
        work_style_label: ch.work_style.map(|w| w.label(st)),
        work_style_url: ch.work_style.and_then(|w| {
            full.then(|| r.term_url(TaxonomyKind::WorkStyle, w.id()))
                .flatten()
                .map(str::to_string)
        }),
        engagement: links(TaxonomyKind::Engagement, &ch.engagement),
        reward: ch.reward.as_deref(),
        duration: ch.duration.as_deref(),
        visits: ch.visits.as_deref(),
        capacity: ch.capacity.as_deref(),
        deadline: ch.deadline.map(|d| match d.time {
            Some(_) => d.rfc3339(tz),
            None => d.date_in(tz).to_string(),
        }),
        deadline_ja: deadline.map(|d| st.date_weekday(d)),
        deadline_short: deadline.map(|d| {
            let year = r.site_wide().now().date_in(tz).year;
            st.date_short(d, d.year == year)
        }),
        deadline_time: ch.deadline.and_then(|d| d.clock_in(tz)),
        days_left: p.days_left,
        instants: Instants::open(ch.deadline, status, tz, c.closing_soon_days),
        status: status.id(),
        status_label: status.label(st),
        is_open: status.is_open(),
        skills: links(TaxonomyKind::Skills, &ch.skills),
    }
}

/// What a preview shows of a page the public site does not show yet: its kind (`draft`,
/// `scheduled`), its card label and the note over it.
fn preview(
    st: &crate::strings::Strings,
    unpublished: Option<Unpublished>,
) -> (Option<&'static str>, Option<&str>, Option<String>) {
    match unpublished {
        None => (None, None, None),
        Some(Unpublished::Draft) => (
            Some("draft"),
            Some(st.preview_draft_label.as_str()),
            Some(st.preview_draft.clone()),
        ),
        Some(Unpublished::Scheduled(d)) => (
            Some("scheduled"),
            Some(st.preview_scheduled_label.as_str()),
            Some(st.preview_scheduled(d)),
        ),
    }
}

/// Links to the term pages of `names` on a full page; names alone on cards, which stay light.
fn shown_terms(r: &Reader, kind: TaxonomyKind, names: &[String], full: bool) -> Vec<TermLink> {
    if full {
        term_links(r, kind, names)
    } else {
        let name_only = |n: &String| TermLink {
            name: n.clone(),
            url: None,
        };
        names.iter().map(name_only).collect()
    }
}

/// The form a page shows: none on closed challenges.
fn form_view(r: &Reader, p: &Page) -> Option<crate::forms::FormView> {
    let c = r.config();
    let challenge = match &p.extra {
        Extra::Challenge(ch) => Some(ch),
        _ => None,
    };
    if challenge.is_some() && !p.status.is_some_and(Status::is_open) {
        return None;
    }
    let handler = c.forms.handler_for(&p.common.form, challenge.is_some())?;
    let ctx = crate::forms::FormContext {
        challenge: challenge.map(|_| p.common.title.as_str()),
        municipality: challenge.map(|ch| ch.municipality.as_str()),
        recipient: challenge
            .map(|ch| {
                ch.organization
                    .clone()
                    .unwrap_or_else(|| ch.municipality.clone())
            })
            .unwrap_or_else(|| c.organization.clone()),
        page_url: c.urls().absolute(&p.url),
        slug: &p.slug,
        thanks_url: c.urls().absolute(&c.urls().thanks()),
        privacy_url: c.urls().privacy(),
        strings: r.strings(),
    };
    Some(handler.view(&ctx))
}
