//! Reading a challenge's free-text `reward` as a salary for `JobPosting.baseSalary`, only when
//! it is a clear amount of yen per hour, day, week, month or year: 「時給1,500円」「日当 8,000円」
//! 「月額5万円」「月5万円〜10万円」「年収300万円以上」. Everything else gives nothing:
//! no amount (「謝礼あり」「無償」「交通費のみ支給」「応相談」), no period (「1案件10万円」), a
//! period schema.org has no `unitText` for (「1回 3万円」: per session), other currencies, or
//! anything left over that we do not understand (「月5万円程度」). A wrong salary in search
//! results is worse than none. A trailing remark in brackets (「月額3万円（交通費別途支給）」)
//! does not change the amount and is set aside.
//!
//! Pure text work, no regex: the grammar is small enough to read by hand.

/// The period an amount is paid for: schema.org / Google's `unitText` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl Unit {
    pub fn unit_text(self) -> &'static str {
        match self {
            Unit::Hour => "HOUR",
            Unit::Day => "DAY",
            Unit::Week => "WEEK",
            Unit::Month => "MONTH",
            Unit::Year => "YEAR",
        }
    }
}

/// A clear amount in yen: one value (`max == Some(min)`), a range, or a floor (`max == None`,
/// 「以上」 or an open range 「5万円〜」).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Salary {
    pub min: u64,
    pub max: Option<u64>,
    pub unit: Unit,
}

/// Words that name the period, written before the amount. Longest first where one is the
/// start of another (月額 before 月).
const PREFIXES: &[(&str, Unit)] = &[
    ("時給", Unit::Hour),
    ("時間給", Unit::Hour),
    ("1時間あたり", Unit::Hour),
    ("1時間", Unit::Hour),
    ("日給", Unit::Day),
    ("日当", Unit::Day),
    ("日額", Unit::Day),
    ("1日あたり", Unit::Day),
    ("1日", Unit::Day),
    ("週給", Unit::Week),
    ("週額", Unit::Week),
    ("月給", Unit::Month),
    ("月額", Unit::Month),
    ("月収", Unit::Month),
    ("月", Unit::Month),
    ("1か月あたり", Unit::Month),
    // 1ヶ月, 1カ月, 1ヵ月 are normalised to this.
    ("1か月", Unit::Month),
    ("年俸", Unit::Year),
    ("年収", Unit::Year),
    ("年額", Unit::Year),
    ("年給", Unit::Year),
];

/// The same periods written after the amount: 「1,500円/時」「5万円／月」.
const SUFFIXES: &[(&str, Unit)] = &[
    ("/時間", Unit::Hour),
    ("/時", Unit::Hour),
    ("/h", Unit::Hour),
    ("/日", Unit::Day),
    ("/週", Unit::Week),
    ("/月", Unit::Month),
    ("/年", Unit::Year),
];

/// The salary `reward` states, if it states one clearly (see the module header).
pub fn parse(reward: &str) -> Option<Salary> {
    let text = normalise(reward);
    let text = without_remark(&text);
    let (unit, rest) = match PREFIXES.iter().find(|(p, _)| text.starts_with(p)) {
        Some((p, unit)) => (Some(*unit), &text[p.len()..]),
        None => (None, text),
    };
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let (rest, suffix_unit) = match SUFFIXES.iter().find(|(s, _)| rest.ends_with(s)) {
        Some((s, u)) => (&rest[..rest.len() - s.len()], Some(*u)),
        None => (rest, None),
    };
    let unit = match (unit, suffix_unit) {
        (Some(a), Some(b)) if a != b => return None,
        (Some(u), _) | (None, Some(u)) => u,
        (None, None) => return None,
    };
    let (rest, floor) = match rest.strip_suffix("以上") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let (min, max) = amounts(rest)?;
    match (floor, max) {
        (true, Some(_)) if max != Some(min) => None,
        (true, _) => Some(Salary {
            min,
            max: None,
            unit,
        }),
        (false, max) => Some(Salary { min, max, unit }),
    }
}

/// ASCII digits and signs for their full-width forms, one `~` for every range mark, no spaces.
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'ｈ' => 'h',
            '，' | '、' => ',',
            '．' => '.',
            '：' => ':',
            '／' => '/',
            '〜' | '～' | '－' | '-' | '‐' | '–' | '—' | '−' => '~',
            'ヶ' | 'ケ' | 'ヵ' | 'カ' => 'か',
            _ => c,
        })
        .collect()
}

/// The text before a trailing remark in brackets, when the brackets close the text.
fn without_remark(s: &str) -> &str {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if s.ends_with(close) {
            if let Some(i) = s.find(open) {
                if i > 0 {
                    return &s[..i];
                }
            }
        }
    }
    s
}

/// `5万円`, `1,500円`, `5万~10万円`, `5~10万円`, `5万円~`: the amounts in yen (`max` None
/// for an open range). The text must end in 円 (or be an open range after 円).
fn amounts(s: &str) -> Option<(u64, Option<u64>)> {
    if let Some((a, b)) = s.split_once('~') {
        let lo = amount(a)?;
        if b.is_empty() {
            return a.ends_with('円').then_some((lo.yen()?, None));
        }
        let hi = amount(b)?;
        if !b.ends_with('円') {
            return None;
        }
        // 「5~10万円」: the multiplier written once, after the range, counts for both ends.
        let lo = match lo.multiplier {
            None => Amount {
                multiplier: hi.multiplier,
                ..lo
            },
            Some(_) => lo,
        };
        let (lo, hi) = (lo.yen()?, hi.yen()?);
        return (lo < hi).then_some((lo, Some(hi)));
    }
    let v = amount(s)?;
    s.ends_with('円').then_some(())?;
    let v = v.yen()?;
    Some((v, Some(v)))
}

/// A number as written: digits (commas between them), an optional decimal part, and 万 or 千.
#[derive(Clone, Copy)]
struct Amount {
    whole: u64,
    /// Decimal digits as an integer and their count (`1.5` → 5, 1).
    fraction: (u64, u32),
    multiplier: Option<u64>,
}

impl Amount {
    /// The amount in whole yen; none when it is zero, not whole, or too large.
    fn yen(self) -> Option<u64> {
        let m = self.multiplier.unwrap_or(1);
        let scale = 10u64.checked_pow(self.fraction.1)?;
        let frac = self.fraction.0.checked_mul(m)?;
        if frac % scale != 0 {
            return None;
        }
        let v = self.whole.checked_mul(m)?.checked_add(frac / scale)?;
        (v > 0).then_some(v)
    }
}

/// One amount: `1,500円`, `5万円`, `1.5万`, `8千円`, `10`.
fn amount(s: &str) -> Option<Amount> {
    let s = s.strip_suffix('円').unwrap_or(s);
    let (number, multiplier) = match s.char_indices().last()? {
        (i, '万') => (&s[..i], Some(10_000)),
        (i, '千') => (&s[..i], Some(1_000)),
        _ => (s, None),
    };
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) if multiplier.is_some() && !f.is_empty() && f.len() <= 4 => (w, Some(f)),
        Some(_) => return None,
        None => (number, None),
    };
    Some(Amount {
        whole: digits(whole, true)?,
        fraction: match fraction {
            Some(f) => (digits(f, false)?, f.len() as u32),
            None => (0, 0),
        },
        multiplier,
    })
}

/// A run of ASCII digits; with `commas`, commas only as thousands separators (`1,500`).
fn digits(s: &str, commas: bool) -> Option<u64> {
    if s.is_empty() || s.starts_with(',') || s.ends_with(',') {
        return None;
    }
    let groups: Vec<&str> = if commas {
        s.split(',').collect()
    } else {
        vec![s]
    };
    if groups.len() > 1 && groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    let mut v: u64 = 0;
    for c in groups.concat().chars() {
        let d = c.to_digit(10)?;
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(min: u64, unit: Unit) -> Option<Salary> {
        Some(Salary {
            min,
            max: Some(min),
            unit,
        })
    }

    fn range(min: u64, max: Option<u64>, unit: Unit) -> Option<Salary> {
        Some(Salary { min, max, unit })
    }

    #[test]
    fn clear_amounts_give_a_salary() {
        use Unit::*;
        let cases: &[(&str, Option<Salary>)] = &[
            ("時給1,500円", one(1_500, Hour)),
            ("時給 2,000円", one(2_000, Hour)),
            ("日当 8,000円", one(8_000, Day)),
            ("日給8千円", one(8_000, Day)),
            ("月額5万円", one(50_000, Month)),
            ("月額3万円", one(30_000, Month)),
            ("月額10万円", one(100_000, Month)),
            ("月5万円", one(50_000, Month)),
            ("月給：18万円", one(180_000, Month)),
            ("年収300万円", one(3_000_000, Year)),
            ("週給2万円", one(20_000, Week)),
            ("月額1.5万円", one(15_000, Month)),
            ("5万円/月", one(50_000, Month)),
            ("1,200円／時", one(1_200, Hour)),
            ("1か月 5万円", one(50_000, Month)),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), *want, "{text}");
        }
    }

    #[test]
    fn ranges_and_floors() {
        use Unit::*;
        let cases: &[(&str, Option<Salary>)] = &[
            ("月5万円〜10万円", range(50_000, Some(100_000), Month)),
            ("月5万円～10万円", range(50_000, Some(100_000), Month)),
            ("月額5〜10万円", range(50_000, Some(100_000), Month)),
            ("月額5万-10万円", range(50_000, Some(100_000), Month)),
            ("時給1,000円~1,500円", range(1_000, Some(1_500), Hour)),
            ("時給1,000〜1,500円", range(1_000, Some(1_500), Hour)),
            ("時給1,200円以上", range(1_200, None, Hour)),
            ("月5万円〜", range(50_000, None, Month)),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), *want, "{text}");
        }
    }

    #[test]
    fn full_width_digits_and_signs_are_read() {
        assert_eq!(parse("時給１，５００円"), one(1_500, Unit::Hour));
        assert_eq!(
            parse("月額　５万円～１０万円"),
            range(50_000, Some(100_000), Unit::Month)
        );
        assert_eq!(parse("日当：８，０００円"), one(8_000, Unit::Day));
    }

    #[test]
    fn a_remark_in_brackets_is_set_aside() {
        assert_eq!(
            parse("月額3万円（交通費別途支給）"),
            one(30_000, Unit::Month)
        );
        assert_eq!(
            parse("月額5万円（企業派遣の場合は協議）"),
            one(50_000, Unit::Month)
        );
        assert_eq!(parse("時給1,500円(経験により加算)"), one(1_500, Unit::Hour));
    }

    #[test]
    fn unclear_or_unpaid_rewards_give_none() {
        let none = [
            "謝礼あり",
            "無償",
            "無償（交通費支給）",
            "交通費のみ支給",
            "応相談",
            "謝礼あり（1回のワークショップにつき2万円）",
            // Per session or per project: schema.org's unitText has no such period.
            "1回 3万円",
            "1案件10万円",
            "1案件30万円（企業派遣の場合は派遣元企業と協議）",
            // No period at all.
            "5万円",
            "報酬総額30万円",
            // Approximate, or more text than an amount.
            "月5万円程度",
            "月額5万円または成果報酬",
            "月額5万円+交通費",
            // Not yen, zero, malformed or backwards.
            "月額500ドル",
            "時給0円",
            "時給1,50円",
            "時給1.5円",
            "月額10万円〜5万円",
            "月額5万円以上〜10万円",
            "時給円",
            "月額",
            "",
            // Two different periods.
            "月額5万円/時",
            // Overflow does not panic.
            "時給99999999999999999999円",
        ];
        for text in none {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn short_strings_of_its_own_characters_never_panic() {
        let alphabet: Vec<char> = "1０5,.，万千円~〜以上月時給/（)あ ".chars().collect();
        let n = alphabet.len();
        for len in 1..=4u32 {
            for mut k in 0..n.pow(len) {
                let mut s = String::from("月額");
                for _ in 0..len {
                    s.push(alphabet[k % n]);
                    k /= n;
                }
                if let Some(v) = parse(&s) {
                    assert!(v.min > 0 && v.max.is_none_or(|m| m >= v.min), "{s}: {v:?}");
                }
            }
        }
    }
}
