//! 和暦 (Japanese era years) and 年度 (the April–March fiscal year), with chrono.
//!
//! Labels use full-width digits as the printed report does: 令和６年度 上半期.
//!
//! Every year number that enters the report (typed, from the command line, from a file, from
//! the database) passes through [`Year`], so no later date or label can meet a year that
//! chrono cannot represent.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The fiscal years a report can hold, by the Gregorian year each starts in. From 平成元年度
/// (1989: the printed reports of the past that someone may import are all 平成 or later) to
/// 2200年度, far past any plan a city writes, yet so near that dates, labels and `year + 1`
/// never leave what chrono and `i32` hold.
pub const YEARS: RangeInclusive<i32> = 1989..=2200;

/// A fiscal year (年度) by the Gregorian year it starts in, always within [`YEARS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Year(i32);

/// A year number outside [`YEARS`], or not a number at all; shown as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("年度「{0}」は扱えません。{start}〜{end}年度（西暦の開始年、または 令和６年度 の形）で指定してください", start = YEARS.start(), end = YEARS.end())]
pub struct YearError(pub String);

impl Year {
    /// The year if it is within [`YEARS`].
    pub fn new(year: i64) -> Result<Year, YearError> {
        i32::try_from(year)
            .ok()
            .filter(|y| YEARS.contains(y))
            .map(Year)
            .ok_or_else(|| YearError(year.to_string()))
    }

    /// Checks a year number where one arrives as a plain integer.
    pub fn check(year: i32) -> Result<i32, YearError> {
        Year::new(year.into()).map(Year::get)
    }

    pub fn get(self) -> i32 {
        self.0
    }

    /// The year after, when the range still holds it.
    pub fn next(self) -> Result<Year, YearError> {
        Year::new(i64::from(self.0) + 1)
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// `2024`, `令和6年度`, `R6年度`: what people type on the command line.
impl FromStr for Year {
    type Err = YearError;
    fn from_str(text: &str) -> Result<Year, YearError> {
        let trimmed = text.trim();
        let parsed = match crate::fold::fold(trimmed).parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => parse_fiscal_year_label(trimmed).map(i64::from),
        };
        parsed
            .ok_or_else(|| YearError(trimmed.to_string()))
            .and_then(Year::new)
    }
}

impl Serialize for Year {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(self.0)
    }
}

impl<'de> Deserialize<'de> for Year {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Year::new(i64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// For `#[serde(deserialize_with)]` on a plain `i32` year of a file: refused out of [`YEARS`].
pub fn deserialize_year<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    Year::deserialize(d).map(Year::get)
}

/// A Japanese era: its name and the first day of its first year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Era {
    pub name: &'static str,
    /// The initial used in short dates such as "R6.10".
    pub initial: char,
    pub start: (i32, u32, u32),
}

/// Newest first.
pub const ERAS: [Era; 4] = [
    Era {
        name: "令和",
        initial: 'R',
        start: (2019, 5, 1),
    },
    Era {
        name: "平成",
        initial: 'H',
        start: (1989, 1, 8),
    },
    Era {
        name: "昭和",
        initial: 'S',
        start: (1926, 12, 25),
    },
    Era {
        name: "大正",
        initial: 'T',
        start: (1912, 7, 30),
    },
];

impl Era {
    fn start_date(&self) -> NaiveDate {
        let (y, m, d) = self.start;
        NaiveDate::from_ymd_opt(y, m, d).expect("era start dates are valid")
    }
}

/// A date's era and year within it (令和6年 = `(令和, 6)`), or `None` before 大正.
pub fn era_year(date: NaiveDate) -> Option<(Era, i32)> {
    ERAS.iter()
        .find(|era| date >= era.start_date())
        .map(|era| (*era, date.year() - era.start.0 + 1))
}

/// The fiscal year (by its Gregorian start year) that a date falls in: April to March.
pub fn fiscal_year_of(date: NaiveDate) -> i32 {
    if date.month() >= 4 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// The first and last day of a fiscal year; `None` beyond the dates chrono can make.
pub fn fiscal_year_span(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 4, 1)?,
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 3, 31)?,
    ))
}

/// Writes a number with full-width digits, as Japanese official documents do.
pub fn full_width(number: i32) -> String {
    number
        .to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32('０' as u32 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// The era year of a fiscal year. A fiscal year is named after the era in force at its end
/// of April (2019年度 is 令和元年度, although April 2019 was still 平成).
pub fn fiscal_era_year(year: i32) -> Option<(Era, i32)> {
    // The era that was in force for most of the year: take the date after the first month.
    era_year(NaiveDate::from_ymd_opt(year, 5, 1)?)
}

/// 令和６年度 for 2024; 元 for an era's first year (令和元年度); a plain 2024年度 for a year no
/// era of the table names. Never fails, whatever the number.
pub fn fiscal_year_label(year: i32) -> String {
    match fiscal_era_year(year) {
        Some((era, 1)) => format!("{}元年度", era.name),
        Some((era, n)) => format!("{}{}年度", era.name, full_width(n)),
        None => format!("{year}年度"),
    }
}

/// R6 for 2024 (R1 for 令和元年度): the era's initial and year, as short dates write them
/// ("R6.10"), for labels too small for 令和６年度; a plain 2024 for a year no era names.
pub fn fiscal_year_initial(year: i32) -> String {
    match fiscal_era_year(year) {
        Some((era, n)) => format!("{}{n}", era.initial),
        None => year.to_string(),
    }
}

/// Parses a fiscal-year label back to its Gregorian start year: 令和６年度, 令和6年度, 令和元年度,
/// R6年度, or a plain 2024年度. Spaces are ignored.
pub fn parse_fiscal_year_label(label: &str) -> Option<i32> {
    let text: String = crate::fold::chars(label)
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect();
    let text = text.strip_suffix("年度")?;
    for era in ERAS {
        let rest = text
            .strip_prefix(era.name)
            .or_else(|| text.strip_prefix(era.initial))
            .or_else(|| text.strip_prefix(era.initial.to_ascii_lowercase()));
        if let Some(rest) = rest {
            let n: i32 = if rest == "元" { 1 } else { rest.parse().ok()? };
            return (n >= 1)
                .then(|| era.start.0.checked_add(n - 1))
                .flatten()
                .filter(|y| YEARS.contains(y));
        }
    }
    text.parse().ok().filter(|y| YEARS.contains(y))
}

/// 2026年11月29日: a date as the app shows it, whatever the computer's language.
pub fn date_label(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// 令和８年11月29日: the era year as the fiscal-year labels write it (元 for the first);
/// a date before 大正 in the Gregorian calendar.
pub fn date_label_wareki(date: NaiveDate) -> String {
    let year = match era_year(date) {
        Some((era, 1)) => format!("{}元年", era.name),
        Some((era, n)) => format!("{}{}年", era.name, full_width(n)),
        None => format!("{}年", date.year()),
    };
    format!("{year}{}月{}日", date.month(), date.day())
}

/// 2026年11月29日 10:05 for a time as the database stores it (`YYYY-MM-DDTHH:MM:SS`, local
/// time). Text that is not such a time comes back as it is: a label never hides a value.
pub fn datetime_label(stored: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(stored.trim(), "%Y-%m-%dT%H:%M:%S%.f") {
        Ok(at) => format!("{} {}", date_label(at.date()), at.format("%H:%M")),
        Err(_) => stored.to_string(),
    }
}

/// 2026年12月1日 for a date as the database stores it (a 締切, `YYYY-MM-DD`); "" for none, and
/// text that is no date (a 締切 written before dates were checked) as it is.
pub fn stored_date_label(stored: &str) -> String {
    match NaiveDate::parse_from_str(stored.trim(), "%Y-%m-%d") {
        Ok(date) => date_label(date),
        Err(_) => stored.to_string(),
    }
}

/// Splits 2026年11月29日, 2026-11-29, 2026/11/29 or 2026.11.29 (one separator throughout) into
/// its year, month and day as written.
fn date_parts(text: &str) -> Option<(&str, &str, &str)> {
    if let Some(rest) = text.strip_suffix('日') {
        let (year, rest) = rest.split_once('年')?;
        let (month, day) = rest.split_once('月')?;
        return Some((year, month, day));
    }
    let separator = text.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = text.split(separator);
    let parts = (parts.next()?, parts.next()?, parts.next()?, parts.next());
    match parts {
        (year, month, day, None) => Some((year, month, day)),
        _ => None,
    }
}

/// A number of at most `max_digits` ASCII digits (no sign, no spaces).
fn number(text: &str, max_digits: usize) -> Option<u32> {
    let digits = (1..=max_digits).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
}

/// A date as people type it: 2026-11-29, 2026/11/29, 2026年11月29日, 令和8年11月29日 (full-width
/// digits too), 令和元年5月1日, R8.11.29, R8/11/29, H31.4.30. Spaces are ignored. `None` for a
/// day the calendar does not have (2月30日), an era year the era did not reach or had left
/// (令和0年, 平成31年5月1日), a year not written with four digits, and anything else.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    // Full-width digits and signs, and the era ligatures (㋿ ㍻ ㍼ ㍽), read as typed.
    let text: String = crate::fold::chars(text)
        .filter(|c| !c.is_whitespace())
        .collect();
    let era = ERAS.iter().find_map(|era| {
        text.strip_prefix(era.name)
            .or_else(|| text.strip_prefix(era.initial))
            .or_else(|| text.strip_prefix(era.initial.to_ascii_lowercase()))
            .map(|rest| (*era, rest))
    });
    let (year, month, day) = date_parts(era.map_or(text.as_str(), |(_, rest)| rest))?;
    let (month, day) = (number(month, 2)?, number(day, 2)?);
    let Some((era, _)) = era else {
        // Four digits: a year of two (26/11/29) is a guess this parser does not make.
        let year = number(year, 4).filter(|_| year.len() == 4)?;
        return NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day);
    };
    let n = match year {
        "元" => 1,
        digits => i32::try_from(number(digits, 3)?).ok()?,
    };
    if n < 1 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(era.start.0 + n - 1, month, day)?;
    // The day must fall in that era and that era year: 平成31年5月1日 was 令和元年.
    (era_year(date) == Some((era, n))).then_some(date)
}

/// A typed date that is no date: shown as typed, with the spellings that are read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("「{0}」は日付として読めません。2026年11月29日 または 令和８年11月29日 のように入力してください")]
pub struct DateError(pub String);

/// A typed date (a 締切, an approval day) in any spelling [`parse_date`] reads, as dates are
/// stored: `YYYY-MM-DD`. Blank stays "" (no date). The one place a typed date becomes a stored
/// one, for the window and the command line alike.
pub fn parse_date_to_iso(text: &str) -> Result<String, DateError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    parse_date(text)
        .map(|date| date.format("%Y-%m-%d").to_string())
        .ok_or_else(|| DateError(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reiwa_begins_on_first_of_may_2019() {
        assert_eq!(
            era_year(date(2019, 4, 30)).map(|(e, n)| (e.name, n)),
            Some(("平成", 31))
        );
        assert_eq!(
            era_year(date(2019, 5, 1)).map(|(e, n)| (e.name, n)),
            Some(("令和", 1))
        );
        assert_eq!(
            era_year(date(2024, 10, 1)).map(|(e, n)| (e.name, n)),
            Some(("令和", 6))
        );
        assert_eq!(
            era_year(date(1989, 1, 7)).map(|(e, n)| (e.name, n)),
            Some(("昭和", 64))
        );
    }

    #[test]
    fn fiscal_year_runs_april_to_march() {
        assert_eq!(fiscal_year_of(date(2024, 4, 1)), 2024);
        assert_eq!(fiscal_year_of(date(2025, 3, 31)), 2024);
        assert_eq!(fiscal_year_of(date(2025, 1, 15)), 2024);
        assert_eq!(
            fiscal_year_span(2023),
            Some((date(2023, 4, 1), date(2024, 3, 31)))
        );
    }

    #[test]
    fn dates_and_labels_of_absurd_years_never_panic() {
        for year in [i32::MIN, -300_000, 300_000, i32::MAX] {
            assert_eq!(fiscal_year_label(year), format!("{year}年度"));
            let _ = fiscal_year_span(year);
        }
        assert_eq!(parse_fiscal_year_label("令和2147483647年度"), None);
        assert_eq!(parse_fiscal_year_label("令和300000年度"), None);
    }

    #[test]
    fn years_outside_the_range_are_refused_wherever_they_arrive() {
        assert_eq!(Year::new(2024).map(Year::get), Ok(2024));
        assert_eq!("令和６年度".parse::<Year>().map(Year::get), Ok(2024));
        assert_eq!("２０２４".parse::<Year>().map(Year::get), Ok(2024));
        for bad in [
            "300000",
            "1988",
            "2201",
            "-1",
            "99999999999999999999",
            "来年",
        ] {
            let err = bad.parse::<Year>().unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
        assert!(Year::new(i64::from(*YEARS.end())).unwrap().next().is_err());
        let json: Result<Year, _> = serde_json::from_str("300000");
        assert!(json.unwrap_err().to_string().contains("300000"));
    }

    #[test]
    fn labels_use_full_width_digits_and_gan_for_the_first_year() {
        assert_eq!(fiscal_year_label(2023), "令和５年度");
        assert_eq!(fiscal_year_label(2024), "令和６年度");
        assert_eq!(fiscal_year_label(2019), "令和元年度");
        assert_eq!(fiscal_year_label(2018), "平成３０年度");
        assert_eq!(fiscal_year_label(2028), "令和１０年度");
    }

    #[test]
    fn short_labels_use_the_era_initial_as_short_dates_do() {
        assert_eq!(fiscal_year_initial(2024), "R6");
        assert_eq!(fiscal_year_initial(2019), "R1");
        assert_eq!(fiscal_year_initial(2018), "H30");
        assert_eq!(
            parse_fiscal_year_label(&format!("{}年度", fiscal_year_initial(2024))),
            Some(2024)
        );
    }

    #[test]
    fn labels_parse_back_in_every_common_spelling() {
        for (label, year) in [
            ("令和６年度", 2024),
            ("令和6年度", 2024),
            ("令和 ５ 年度", 2023),
            ("令和元年度", 2019),
            ("R6年度", 2024),
            ("平成30年度", 2018),
            ("2024年度", 2024),
        ] {
            assert_eq!(parse_fiscal_year_label(label), Some(year), "{label}");
        }
        for label in ["令和年度", "令和０年度", "来年度", "令和６年"] {
            assert_eq!(parse_fiscal_year_label(label), None, "{label}");
        }
    }

    #[test]
    fn every_label_parses_back_to_its_year() {
        for year in 1990..2100 {
            assert_eq!(
                parse_fiscal_year_label(&fiscal_year_label(year)),
                Some(year)
            );
        }
    }

    #[test]
    fn date_labels_read_the_same_on_every_computer() {
        assert_eq!(date_label(date(2026, 11, 29)), "2026年11月29日");
        assert_eq!(date_label(date(2026, 4, 1)), "2026年4月1日");
        assert_eq!(date_label_wareki(date(2026, 11, 29)), "令和８年11月29日");
        assert_eq!(date_label_wareki(date(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(date_label_wareki(date(2019, 4, 30)), "平成３１年4月30日");
        assert_eq!(date_label_wareki(date(1900, 1, 1)), "1900年1月1日");
    }

    #[test]
    fn stored_times_are_labelled_to_the_minute_and_anything_else_is_kept() {
        assert_eq!(
            datetime_label("2026-11-29T10:05:59"),
            "2026年11月29日 10:05"
        );
        assert_eq!(datetime_label("2026-01-02T00:00:00"), "2026年1月2日 00:00");
        for kept in [
            "",
            "昨日",
            "2026-11-29",
            "2026-02-30T10:00:00",
            "2026-11-29T25:00:00",
        ] {
            assert_eq!(datetime_label(kept), kept);
        }
    }

    #[test]
    fn stored_dates_are_labelled_and_anything_else_is_kept() {
        assert_eq!(stored_date_label("2026-12-01"), "2026年12月1日");
        for kept in ["", "12月上旬", "2026-02-30"] {
            assert_eq!(stored_date_label(kept), kept);
        }
    }

    #[test]
    fn dates_parse_in_every_common_spelling() {
        for (text, expected) in [
            ("2026-11-29", date(2026, 11, 29)),
            ("2026/11/29", date(2026, 11, 29)),
            ("2026.11.29", date(2026, 11, 29)),
            ("2026年11月29日", date(2026, 11, 29)),
            ("２０２６年１１月２９日", date(2026, 11, 29)),
            ("２０２６／１１／２９", date(2026, 11, 29)),
            ("  2026-1-5 ", date(2026, 1, 5)),
            ("令和8年11月29日", date(2026, 11, 29)),
            ("令和８年１１月２９日", date(2026, 11, 29)),
            ("令和 ８ 年 １１ 月 ２９ 日", date(2026, 11, 29)),
            ("令和元年5月1日", date(2019, 5, 1)),
            ("㋿8年11月29日", date(2026, 11, 29)),
            ("R8.11.29", date(2026, 11, 29)),
            ("r8.11.29", date(2026, 11, 29)),
            ("Ｒ８．１１．２９", date(2026, 11, 29)),
            ("R8/11/29", date(2026, 11, 29)),
            ("R8年11月29日", date(2026, 11, 29)),
            ("H31.4.30", date(2019, 4, 30)),
            ("平成31年4月30日", date(2019, 4, 30)),
            ("昭和64年1月7日", date(1989, 1, 7)),
            ("2024-02-29", date(2024, 2, 29)),
        ] {
            assert_eq!(parse_date(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn impossible_dates_and_other_text_are_refused() {
        for text in [
            "",
            " ",
            "2026年2月30日",
            "2025-02-29",
            "２０２６年１３月１日",
            "2026-11-00",
            "令和0年1月1日",
            "令和元年4月30日",
            "平成31年5月1日",
            "平成32年1月1日",
            "H0.1.1",
            "令和99999999999年1月1日",
            "令和2147483647年1月1日",
            "99999999999-01-01",
            "26/11/29",
            "+2026-11-29",
            "2026-+1-29",
            "2026-11-29-1",
            "2026/11-29",
            "2026年11月",
            "2026年11月29",
            "11月29日",
            "令和年1月1日",
            "明治45年1月1日",
            "来週の月曜",
            "R8",
            "2026-11-29T10:00:00",
        ] {
            assert_eq!(parse_date(text), None, "{text:?}");
        }
    }

    #[test]
    fn typed_dates_are_stored_as_iso_and_blank_stays_blank() {
        for typed in [
            "2026-11-29",
            "2026年11月29日",
            "令和８年１１月２９日",
            " R8/11/29 ",
        ] {
            assert_eq!(parse_date_to_iso(typed).unwrap(), "2026-11-29", "{typed}");
        }
        assert_eq!(parse_date_to_iso("  ").unwrap(), "");
        let err = parse_date_to_iso(" 2026年2月30日 ").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("「2026年2月30日」は日付として読めません。"),
            "{err}"
        );
    }

    proptest::proptest! {
        /// Whatever is typed, the parser answers; it never panics.
        #[test]
        fn parsing_any_text_never_panics(text in "\\PC{0,24}") {
            let _ = parse_date(&text);
            let _ = datetime_label(&text);
        }

        /// Text made of the parser's own pieces reaches its deeper branches.
        #[test]
        fn parsing_date_like_text_never_panics(
            text in "(令和|平成|R|H|㋿)?[0-9０-９元]{0,12}[年./\\-]?[0-9０-９]{0,12}[月./\\-]?[0-9０-９]{0,12}日?"
        ) {
            let _ = parse_date(&text);
        }

        /// Every label the app writes parses back to its day.
        #[test]
        fn date_labels_parse_back(days in 0i64..(365 * 250)) {
            let day = date(1927, 1, 1) + chrono::Duration::days(days);
            proptest::prop_assert_eq!(parse_date(&date_label(day)), Some(day));
            proptest::prop_assert_eq!(parse_date(&date_label_wareki(day)), Some(day));
            proptest::prop_assert_eq!(parse_date(&day.format("%Y-%m-%d").to_string()), Some(day));
        }
    }
}
