//! Dates and times as content uses them: ISO 8601 dates (`2026-03-31`) and RFC 3339 timestamps
//! (`2026-03-31T10:00:00+09:00`), compared in the site's time zone (Japan by default).
//!
//! Hand-written rather than pulled from a date crate: we need strict parsing with useful failure
//! (`2026-13-45` is an error, not a string), civil-day arithmetic and three output formats.

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// A point in time: a date with an optional time of day and UTC offset. A date alone means
/// midnight in the site's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    pub date: Date,
    /// Seconds since midnight, when a time was given.
    pub time: Option<u32>,
    /// Offset from UTC in minutes, when one was given.
    pub offset: Option<i32>,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || !(1..=9999).contains(&year)
        {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = digits(&s[0..4])? as i32;
        let month = digits(&s[5..7])? as u8;
        let day = digits(&s[8..10])? as u8;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, n: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + n)
    }

    /// Day of the week, 0 for Sunday to 6 for Saturday.
    pub fn weekday(self) -> usize {
        // 1970-01-01 was a Thursday.
        (self.days_since_epoch() + 4).rem_euclid(7) as usize
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The first date content may carry (see [`DateTime::parse`]).
pub const FIRST: Date = Date {
    year: 1,
    month: 1,
    day: 2,
};
/// The last date content may carry: a year short of 9999-12-31, so that the date in any time
/// zone and the day after it stay within year 9999 (a round limit staff can be told).
pub const LAST: Date = Date {
    year: 9998,
    month: 12,
    day: 31,
};

impl DateTime {
    /// Parses `YYYY-MM-DD`, or an RFC 3339 timestamp (`T` or a space between date and time,
    /// seconds and fractions optional, `Z` or `±HH:MM`), from [`FIRST`] to [`LAST`] (as written
    /// and in UTC).
    pub fn parse(s: &str) -> Option<DateTime> {
        let s = s.trim();
        if s.len() == 10 {
            return Date::parse(s)
                .map(|date| DateTime {
                    date,
                    time: None,
                    offset: None,
                })
                .filter(|t| t.in_range());
        }
        if s.len() < 16 {
            return None;
        }
        let date = Date::parse(s.get(0..10)?)?;
        let sep = s.as_bytes()[10];
        if sep != b'T' && sep != b't' && sep != b' ' {
            return None;
        }
        let rest = &s[11..];
        let (clock, zone) = match rest.find(['Z', 'z', '+', '-']) {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let clock = clock.split('.').next()?; // fractions of a second are accepted and dropped
        let parts: Vec<&str> = clock.split(':').collect();
        if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
            return None;
        }
        let h = digits(parts[0])?;
        let mi = digits(parts[1])?;
        let sec = if parts.len() == 3 {
            digits(parts[2])?
        } else {
            0
        };
        if h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        let offset = match zone {
            None => None,
            Some("Z") | Some("z") => Some(0),
            Some(z) => {
                let sign = if z.starts_with('-') { -1 } else { 1 };
                let z = &z[1..];
                if z.len() != 5 || z.as_bytes()[2] != b':' {
                    return None;
                }
                let oh = digits(&z[0..2])? as i32;
                let om = digits(&z[3..5])? as i32;
                if oh > 23 || om > 59 {
                    return None;
                }
                Some(sign * (oh * 60 + om))
            }
        };
        Some(DateTime {
            date,
            time: Some(h * 3600 + mi * 60 + sec.min(59)),
            offset,
        })
        .filter(|t| t.in_range())
    }

    /// True when the date as written and the instant's UTC date lie within [`FIRST`]..=[`LAST`]:
    /// then the date in any time zone (offsets are under a day), and the day after it (the end of
    /// a deadline day, the next rebuild), is a four-digit year from 0001 to 9999, as RFC 3339,
    /// Atom and sitemaps need. Refusing at input, with the line, rather than clamping: a date
    /// that far out is a typo, and a clamped one would silently publish another date.
    fn in_range(self) -> bool {
        let range = FIRST.days_since_epoch()..=LAST.days_since_epoch();
        let utc = self.unix(0).div_euclid(86_400);
        range.contains(&self.date.days_since_epoch()) && range.contains(&utc)
    }

    /// Seconds since the Unix epoch; a missing time is midnight, a missing offset is `tz`.
    pub fn unix(self, tz_minutes: i32) -> i64 {
        let local = self.date.days_since_epoch() * 86_400 + i64::from(self.time.unwrap_or(0));
        local - i64::from(self.offset.unwrap_or(tz_minutes)) * 60
    }

    pub fn from_unix(secs: i64, tz_minutes: i32) -> DateTime {
        let local = secs + i64::from(tz_minutes) * 60;
        let days = local.div_euclid(86_400);
        let time = local.rem_euclid(86_400) as u32;
        DateTime {
            date: Date::from_days_since_epoch(days),
            time: Some(time),
            offset: Some(tz_minutes),
        }
    }

    /// The calendar date of this instant in time zone `tz`.
    pub fn date_in(self, tz_minutes: i32) -> Date {
        DateTime::from_unix(self.unix(tz_minutes), tz_minutes).date
    }

    /// The time of day in time zone `tz` as `HH:MM`, when a time was given.
    pub fn clock_in(self, tz_minutes: i32) -> Option<String> {
        self.time?;
        let secs = DateTime::from_unix(self.unix(tz_minutes), tz_minutes).time?;
        Some(format!("{:02}:{:02}", secs / 3600, secs / 60 % 60))
    }

    /// RFC 3339 in time zone `tz`, for feeds and sitemaps: `2026-03-31T00:00:00+09:00`.
    pub fn rfc3339(self, tz_minutes: i32) -> String {
        let t = DateTime::from_unix(self.unix(tz_minutes), tz_minutes);
        let secs = t.time.unwrap_or(0);
        format!(
            "{}T{:02}:{:02}:{:02}{}",
            t.date,
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            format_offset(tz_minutes)
        )
    }
}

/// A date as staff also type it — `2026/4/1`, `2026年4月1日`, `2026-4-1`, full-width digits and
/// separators (`２０２６－０４－０１`), each optionally followed by a time (`17:00`, `１７：００`) —
/// read as [`DateTime::parse`] reads its canonical form, which is returned beside it
/// (`2026-04-01`, `2026-04-01 17:00`). None when it is not such a date.
pub fn lenient(s: &str) -> Option<(DateTime, String)> {
    let half: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' | '／' | '－' | '：' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect();
    let (ymd, rest) = match half.split_once('日') {
        Some((d, rest)) => (d.replacen('年', "-", 1).replacen('月', "-", 1), rest.trim()),
        None => match half.split_once([' ', 'T']) {
            Some((d, rest)) => (d.replace('/', "-"), rest.trim()),
            None => (half.replace('/', "-"), ""),
        },
    };
    let parts: Vec<&str> = ymd.trim().split('-').collect();
    let [y, m, d] = parts[..] else {
        return None;
    };
    let ok = |p: &str, max: usize| (1..=max).contains(&p.len()) && digits(p).is_some();
    if y.len() != 4 || !ok(y, 4) || !ok(m, 2) || !ok(d, 2) {
        return None;
    }
    let date = format!("{y}-{m:0>2}-{d:0>2}");
    let canonical = if rest.is_empty() {
        date
    } else {
        let (h, mi) = rest.split_once(':')?;
        format!("{date} {h:0>2}:{mi}")
    };
    DateTime::parse(&canonical).map(|t| (t, canonical))
}

/// `+09:00`, `Z` for UTC.
pub fn format_offset(minutes: i32) -> String {
    if minutes == 0 {
        return "Z".into();
    }
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Parses `+09:00`, `-05:30` or `Z` into minutes.
pub fn parse_offset(s: &str) -> Option<i32> {
    if s == "Z" || s == "UTC" {
        return Some(0);
    }
    DateTime::parse(&format!("2000-01-01T00:00:00{s}"))?.offset
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_strictly() {
        assert_eq!(
            Date::parse("2026-03-31"),
            Some(Date {
                year: 2026,
                month: 3,
                day: 31
            })
        );
        assert_eq!(Date::parse("2026-13-45"), None);
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2028-02-29").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("2026-4-1"), None);
        assert_eq!(Date::parse("2026/04/01"), None);
        assert_eq!(Date::parse("２０２６-04-01"), None);
    }

    #[test]
    fn parses_rfc3339() {
        let t = DateTime::parse("2026-03-31T10:30:00+09:00").unwrap();
        assert_eq!(t.time, Some(10 * 3600 + 30 * 60));
        assert_eq!(t.offset, Some(540));
        assert_eq!(
            DateTime::parse("2026-03-31T01:00:00Z").unwrap().offset,
            Some(0)
        );
        assert_eq!(DateTime::parse("2026-03-31 10:30").unwrap().offset, None);
        assert!(DateTime::parse("2026-03-31T25:00:00Z").is_none());
        assert!(DateTime::parse("2026-03-31T10:00:00+0900").is_none());
    }

    #[test]
    fn epoch_round_trip_and_weekday() {
        for days in [-1000, 0, 1, 19_000, 20_543, 100_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        // A Saturday and a Sunday.
        assert_eq!(Date::parse("2026-11-21").unwrap().weekday(), 6);
        assert_eq!(Date::parse("1969-12-28").unwrap().weekday(), 0);
    }

    #[test]
    fn dates_stay_four_digit_years_in_every_time_zone() {
        for bad in [
            "0001-01-01",
            "0001-01-01T00:00:00+23:59",
            "0001-01-02T00:00:00+00:01",
            "9999-12-31",
            "9999-01-01T00:00:00Z",
            "9998-12-31T23:59:59-00:01",
        ] {
            assert_eq!(DateTime::parse(bad), None, "{bad}");
        }
        for ok in [
            "0001-01-02",
            "0001-01-02T00:00:00Z",
            "9998-12-31",
            "9998-12-31T23:59:59Z",
        ] {
            let t = DateTime::parse(ok).unwrap();
            for tz in [-1439, -720, 0, 540, 840, 1439] {
                let s = t.rfc3339(tz);
                assert_eq!(s.find('-'), Some(4), "{ok} in {tz}: {s}");
                assert!(t.date_in(tz).add_days(1).year <= 9999, "{ok} in {tz}");
                assert!(t.date_in(tz).year >= 1, "{ok} in {tz}");
            }
        }
    }

    #[test]
    fn time_zones() {
        // 2026-03-31T20:00Z is already April 1st in Japan.
        let t = DateTime::parse("2026-03-31T20:00:00Z").unwrap();
        assert_eq!(t.date_in(540).to_string(), "2026-04-01");
        assert_eq!(
            DateTime::parse("2026-03-31").unwrap().rfc3339(540),
            "2026-03-31T00:00:00+09:00"
        );
        assert_eq!(t.rfc3339(540), "2026-04-01T05:00:00+09:00");
        assert_eq!(parse_offset("+09:00"), Some(540));
        assert_eq!(parse_offset("-05:30"), Some(-330));
        assert_eq!(format_offset(0), "Z");
    }

    #[test]
    fn lenient_dates_give_their_canonical_form() {
        for (typed, canonical) in [
            ("2026/4/1", "2026-04-01"),
            ("2026/04/01", "2026-04-01"),
            ("2026年4月1日", "2026-04-01"),
            ("2026年12月31日 17:00", "2026-12-31 17:00"),
            ("２０２６-０４-０１", "2026-04-01"),
            ("２０２６／４／１　１７：００", "2026-04-01 17:00"),
            ("2026-4-1", "2026-04-01"),
            ("2026/12/31 9:30", "2026-12-31 09:30"),
        ] {
            let (t, c) = lenient(typed).unwrap_or_else(|| panic!("{typed}"));
            assert_eq!(c, canonical, "{typed}");
            assert_eq!(Some(t), DateTime::parse(canonical), "{typed}");
        }
        for bad in [
            "2026/13/1",
            "2026年2月30日",
            "26/4/1",
            "2026/4",
            "明日",
            "2026/4/1 25:00",
        ] {
            assert_eq!(lenient(bad), None, "{bad}");
        }
    }
}
