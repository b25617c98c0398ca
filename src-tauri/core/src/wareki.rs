//! 和暦 (Japanese era years) and 年度 (the April–March fiscal year), with chrono.
//!
//! Labels use full-width digits as the printed report does: 令和６年度 上半期.

use chrono::{Datelike, NaiveDate};

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

/// The first and last day of a fiscal year.
pub fn fiscal_year_span(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 4, 1).expect("April 1st exists"),
        NaiveDate::from_ymd_opt(year + 1, 3, 31).expect("March 31st exists"),
    )
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

/// Turns full-width digits into ASCII ones, leaving everything else as it is.
pub fn half_width_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The era year of a fiscal year. A fiscal year is named after the era in force at its end
/// of April (2019年度 is 令和元年度, although April 2019 was still 平成).
pub fn fiscal_era_year(year: i32) -> Option<(Era, i32)> {
    let (_, end) = fiscal_year_span(year);
    // The era that was in force for most of the year: take the date after the first month.
    let reference = NaiveDate::from_ymd_opt(year, 5, 1).unwrap_or(end);
    era_year(reference)
}

/// 令和６年度 for 2024; 元 for an era's first year (令和元年度).
pub fn fiscal_year_label(year: i32) -> String {
    match fiscal_era_year(year) {
        Some((era, 1)) => format!("{}元年度", era.name),
        Some((era, n)) => format!("{}{}年度", era.name, full_width(n)),
        None => format!("{year}年度"),
    }
}

/// Parses a fiscal-year label back to its Gregorian start year: 令和６年度, 令和6年度, 令和元年度,
/// R6年度, or a plain 2024年度. Spaces are ignored.
pub fn parse_fiscal_year_label(label: &str) -> Option<i32> {
    let text: String = half_width_digits(label)
        .chars()
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
            return (n >= 1).then_some(era.start.0 + n - 1);
        }
    }
    text.parse().ok().filter(|y| (1900..=2999).contains(y))
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
            (date(2023, 4, 1), date(2024, 3, 31))
        );
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
}
