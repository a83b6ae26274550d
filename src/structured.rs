//! Structured data for search engines and aggregators: schema.org JSON-LD (`JobPosting` for
//! challenges, `Article` for cases and columns, `WebSite` on the home page, `BreadcrumbList`
//! on every page below it; docs/structured-data.md) and the JSON feed of
//! open challenges. Pure data; [`script_json`] makes it safe to embed in HTML.
//!
//! Every URL here is percent-encoded ASCII ([`crate::urls::Urls::encoded`]): schema.org accepts
//! IRIs, but Google's documentation and validators expect URIs, and a JSON feed reader may not
//! encode for us. Also [`last_modified`], the change time feeds and the sitemap report.

use crate::content::{DeclaredStatus, Extra, Kind, WorkStyle};
use crate::date::DateTime;
use crate::japan;
use crate::site::{Page, Site, Status};
use serde_json::{json, Map, Value};

pub mod employment;
pub mod salary;

/// A breadcrumb: name and site path.
pub type Crumb<'a> = (&'a str, &'a str);

/// Serialises JSON for a `<script type="application/ld+json">` element. Inside script data
/// only `</` (an end tag) and `<!` (a comment opener) change how HTML is tokenised, so every `<`
/// followed by `/` or `!` is written as `\u003c`; nothing in a value can close the element.
/// (Escaping every `<` would be safe too, but it doubles the size of HTML descriptions.)
pub fn script_json(v: &Value) -> String {
    let s = serde_json::to_string(v).expect("JSON values always serialise");
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 64);
    let mut start = 0;
    let mut i = 0;
    // Only `<` (before `/` or `!`) and U+2028/U+2029 (E2 80 A8/A9) need work: copy the rest in runs.
    while i < b.len() {
        let esc = match b[i] {
            b'<' if matches!(b.get(i + 1), Some(b'/') | Some(b'!')) => Some(("\\u003c", 1)),
            0xE2 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0xA8) => {
                Some(("\\u2028", 3))
            }
            0xE2 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0xA9) => {
                Some(("\\u2029", 3))
            }
            _ => None,
        };
        match esc {
            Some((rep, len)) => {
                out.push_str(&s[start..i]);
                out.push_str(rep);
                i += len;
                start = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&s[start..]);
    out
}

/// `{"@context": …, "@graph": [...]}` of the given nodes.
pub fn graph(nodes: Vec<Value>) -> Value {
    json!({ "@context": "https://schema.org", "@graph": nodes })
}

/// The visible trail as a `BreadcrumbList`. The last item (this page) has no `item`: Google
/// does not need it there and takes the page's own URL.
pub fn breadcrumb_list(config: &crate::config::Config, crumbs: &[Crumb<'_>]) -> Value {
    let items: Vec<Value> = crumbs
        .iter()
        .enumerate()
        .map(|(i, (name, url))| {
            let mut item = json!({ "@type": "ListItem", "position": i + 1, "name": name });
            if i + 1 < crumbs.len() {
                item["item"] = json!(config.urls().encoded(url));
            }
            item
        })
        .collect();
    json!({ "@type": "BreadcrumbList", "itemListElement": items })
}

/// `WebSite` for the home page: the site's name and address (Google shows the name beside
/// results), its language and publisher.
pub fn website(config: &crate::config::Config) -> Value {
    let home = config.urls().encoded(&config.urls().home());
    json!({
        "@type": "WebSite",
        "name": config.title,
        "url": home,
        "inLanguage": config.language,
        "publisher": publisher(config),
    })
}

fn publisher(config: &crate::config::Config) -> Value {
    json!({ "@type": "Organization", "name": config.organization, "url": config.urls().encoded(&config.urls().home()) })
}

/// `baseSalary` of a reward that states a clear amount of yen per period ([`salary::parse`]).
fn base_salary(reward: &str) -> Option<Value> {
    let s = salary::parse(reward)?;
    let mut value = json!({ "@type": "QuantitativeValue", "unitText": s.unit.unit_text() });
    match s.max {
        Some(max) if max == s.min => value["value"] = json!(s.min),
        Some(max) => {
            value["minValue"] = json!(s.min);
            value["maxValue"] = json!(max);
        }
        None => value["minValue"] = json!(s.min),
    }
    Some(json!({ "@type": "MonetaryAmount", "currency": "JPY", "value": value }))
}

/// When a page last changed, as feeds, the JSON feed and the sitemap report it: `updated`
/// (else `date`), or for a challenge the moment its status last changed when that is later, so
/// a status change shows as an update even when nobody edited the page:
///
/// - closing soon: the start of the first day of the `closing_soon_days` window (the entry's
///   title and the JSON feed's status change that day);
/// - closed by deadline: the end of the deadline day (or its time, when it names one);
/// - closed by `status: closed`: its `updated` date (not older than `date`); without one, the
///   end of a passed deadline, else the build date (`content` warns staff to write `updated:`).
///
/// Deterministic for the same sources and build date.
pub fn last_modified(site: &Site, p: &Page) -> Option<DateTime> {
    let tz = site.config.timezone;
    let base = p.common.updated.or(p.common.date);
    let Extra::Challenge(c) = &p.extra else {
        return base;
    };
    let changed = match p.status {
        Some(Status::Closed) => closed_at(site, p, c),
        Some(Status::ClosingSoon) => p.deadline(tz).map(|d| DateTime {
            date: d.add_days(-site.config.closing_soon_days),
            time: Some(0),
            offset: Some(tz),
        }),
        _ => None,
    };
    Some(match (base, changed) {
        (Some(b), Some(ch)) if b.unix(tz) >= ch.unix(tz) => b,
        (_, Some(ch)) => ch,
        (b, None) => return b,
    })
}

/// The moment a closed challenge closed (see [`last_modified`]).
fn closed_at(site: &Site, p: &Page, c: &crate::content::Challenge) -> Option<DateTime> {
    let tz = site.config.timezone;
    let dated_update = p
        .common
        .updated
        .filter(|u| p.common.date.is_none_or(|d| u.unix(tz) >= d.unix(tz)));
    let deadline_end = match c.deadline {
        // A deadline with a time closes at that time.
        Some(d) if d.time.is_some() => Some(d).filter(|d| d.unix(tz) <= site.now.unix(tz)),
        _ => p
            .deadline(tz)
            .filter(|d| *d < site.today)
            .map(|date| DateTime {
                date,
                time: Some(86_399),
                offset: Some(tz),
            }),
    };
    Some(match (c.status, dated_update, deadline_end) {
        (Some(DeclaredStatus::Closed), Some(u), _) => u,
        (_, _, Some(end)) => end,
        _ => site.now,
    })
}

/// `JobPosting` for a challenge: `validThrough` is the deadline's time, or the end of its day when
/// it names none; remote work is `TELECOMMUTE`, and the hiring organisation is the posting
/// organisation or the municipality.
///
/// `direct_apply`: the page has the apply form. Google counts an application as direct when it
/// is completed on the page, or after one click on an apply button with the person's details
/// given once: our own form and the provider's embedded form are the first, `mode: link` (a
/// button to the provider's prefilled form) the second. False when the page has no form.
///
/// A closed challenge (by deadline or by `status: closed`) has none: Google asks expired
/// postings to drop the markup or carry a past `validThrough`, and a challenge closed early by
/// status has no past date to give (its deadline may still be ahead). The page stays, marked
/// 募集終了, and its sitemap `lastmod` moves (see [`last_modified`]) so crawlers come back.
pub fn job_posting(
    site: &Site,
    p: &Page,
    image: Option<&str>,
    direct_apply: bool,
) -> Option<Value> {
    let Extra::Challenge(c) = &p.extra else {
        return None;
    };
    if p.status == Some(Status::Closed) {
        return None;
    }
    let tz = site.config.timezone;
    let mut v = Map::new();
    v.insert("@type".into(), json!("JobPosting"));
    v.insert("title".into(), json!(p.common.title));
    let description = if p.body.html.trim().is_empty() {
        crate::markdown::escape(&p.summary)
    } else {
        p.body.html.clone()
    };
    v.insert("description".into(), json!(description));
    v.insert("url".into(), json!(site.config.urls().encoded(&p.url)));
    if let Some(d) = p.common.date {
        v.insert("datePosted".into(), json!(d.date_in(tz).to_string()));
    }
    if let Some(d) = c.deadline.filter(|d| d.time.is_some()) {
        v.insert("validThrough".into(), json!(d.rfc3339(tz)));
    } else if let Some(d) = p.deadline(tz) {
        v.insert(
            "validThrough".into(),
            json!(format!("{d}T23:59:59{}", crate::date::format_offset(tz))),
        );
    }
    let types = employment::types(&c.engagement);
    if !types.is_empty() {
        v.insert("employmentType".into(), json!(types));
    }
    if let Some(salary) = c.reward.as_deref().and_then(base_salary) {
        v.insert("baseSalary".into(), salary);
    }
    v.insert("directApply".into(), json!(direct_apply));
    let org_name = c
        .organization
        .clone()
        .unwrap_or_else(|| c.municipality.clone());
    let mut org = json!({ "@type": "Organization", "name": org_name });
    if let Some(m) = site.municipality_of(p) {
        if let Some(Extra::Municipality(profile)) = m.profile.map(|i| &site.pages[i].extra) {
            if let Some(w) = &profile.website {
                org["sameAs"] = json!(site.config.urls().encoded(w));
            }
        }
    }
    v.insert("hiringOrganization".into(), org);
    v.insert(
        "jobLocation".into(),
        json!({
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": c.municipality,
                "addressRegion": c.prefecture,
                "addressCountry": "JP",
            }
        }),
    );
    if c.work_style == Some(WorkStyle::Remote) {
        v.insert("jobLocationType".into(), json!("TELECOMMUTE"));
        v.insert(
            "applicantLocationRequirements".into(),
            json!({ "@type": "Country", "name": "JP" }),
        );
    }
    if !c.skills.is_empty() {
        v.insert(
            "skills".into(),
            json!(c.skills.join(&site.strings.list_separator)),
        );
    }
    v.insert(
        "identifier".into(),
        json!({ "@type": "PropertyValue", "name": site.config.organization, "value": p.slug }),
    );
    if let Some(img) = image {
        v.insert("image".into(), json!(site.config.urls().encoded(img)));
    }
    Some(Value::Object(v))
}

/// `Article` for a case or a column.
pub fn article(site: &Site, p: &Page, image: Option<&str>) -> Option<Value> {
    let tz = site.config.timezone;
    let author = match &p.extra {
        Extra::Column(c) => match &c.author {
            Some(a) => json!({ "@type": "Person", "name": a }),
            None => publisher(&site.config),
        },
        Extra::Case(c) => json!({ "@type": "Organization", "name": c.municipality }),
        _ => return None,
    };
    // Only what Google's Article documentation reads (headline, author, dates, image): the
    // page's own URL, summary, language and publisher are in its <head> already.
    let mut v = json!({
        "@type": "Article",
        "headline": p.common.title,
        "author": author,
    });
    if let Some(d) = p.common.date {
        v["datePublished"] = json!(d.rfc3339(tz));
        v["dateModified"] = json!(p.common.updated.unwrap_or(d).rfc3339(tz));
    }
    if let Some(img) = image {
        v["image"] = json!([site.config.urls().encoded(img)]);
    }
    Some(v)
}

/// JSON Feed 1.1 of the open challenges, nearest deadline first, with every field under
/// `_challenge`, so prefecture and national portals can aggregate municipal portals.
pub fn open_challenges_feed(site: &Site) -> Value {
    let st = &site.strings;
    let open = [("status", Status::Open.label(st))];
    let open_heading = crate::strings::Strings::fill(&st.status_heading, &open);
    let c = &site.config;
    let tz = c.timezone;
    let mut open: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.kind == Kind::Challenge && p.status.is_some_and(Status::is_open))
        .collect();
    open.sort_by_key(|p| (p.days_left.unwrap_or(i64::MAX), p.slug.clone()));
    let items: Vec<Value> = open
        .iter()
        .map(|p| {
            let Extra::Challenge(ch) = &p.extra else {
                unreachable!()
            };
            let status = p.status.unwrap_or(Status::Open);
            let mut tags: Vec<&String> = ch.themes.iter().collect();
            tags.extend(&p.common.tags);
            let mut item = json!({
                "id": c.urls().encoded(&p.url),
                "url": c.urls().encoded(&p.url),
                "title": p.common.title,
                "summary": p.summary,
                "content_html": p.body.html,
                "tags": tags,
                "_challenge": {
                    "slug": p.slug,
                    "status": status.id(),
                    "status_label": status.label(&site.strings),
                    "municipality": ch.municipality,
                    "municipality_url": site.municipality_of(p).map(|m| c.urls().encoded(&m.url)),
                    "prefecture": ch.prefecture,
                    "prefecture_code": japan::prefecture_code(&ch.prefecture),
                    "region": japan::region_of(&ch.prefecture),
                    "organization": ch.organization,
                    "themes": ch.themes,
                    "work_style": ch.work_style.map(|w| w.id()),
                    "work_style_label": ch.work_style.map(|w| w.label(&site.strings)),
                    "engagement": ch.engagement,
                    "reward": ch.reward,
                    "duration": ch.duration,
                    "visits": ch.visits,
                    "capacity": ch.capacity,
                    "deadline": p.deadline(tz).map(|d| d.to_string()),
                    "days_left": p.days_left,
                    "skills": ch.skills,
                    "tags": p.common.tags,
                }
            });
            if let Some(d) = p.common.date {
                item["date_published"] = json!(d.rfc3339(tz));
            }
            if let Some(d) = last_modified(site, p) {
                item["date_modified"] = json!(d.rfc3339(tz));
            }
            item
        })
        .collect();
    json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.strings.page_title(&open_heading, &c.title),
        "home_page_url": c.urls().encoded(&c.urls().section(Kind::Challenge)),
        "feed_url": c.urls().encoded(&c.urls().json_feed(Kind::Challenge)),
        "description": c.description,
        "language": c.language,
        "authors": [{ "name": c.organization }],
        "items": items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_element() {
        let v = json!({ "a": "</script><script>alert(1)</SCRIPT > & <!-- <p>段落</p>\u{2028}" });
        let s = script_json(&v);
        assert!(!s.contains("</") && !s.contains("<!"), "{s}");
        assert!(s.contains("<p>"), "harmless tags stay readable: {s}");
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn base_salary_is_a_monetary_amount_in_yen() {
        assert_eq!(
            base_salary("時給1,500円").unwrap(),
            json!({ "@type": "MonetaryAmount", "currency": "JPY",
                    "value": { "@type": "QuantitativeValue", "value": 1500, "unitText": "HOUR" } })
        );
        assert_eq!(
            base_salary("月5万円〜10万円").unwrap()["value"],
            json!({ "@type": "QuantitativeValue", "minValue": 50000, "maxValue": 100000, "unitText": "MONTH" })
        );
        assert_eq!(
            base_salary("時給1,200円以上").unwrap()["value"],
            json!({ "@type": "QuantitativeValue", "minValue": 1200, "unitText": "HOUR" })
        );
        assert_eq!(base_salary("謝礼あり"), None);
    }
}
