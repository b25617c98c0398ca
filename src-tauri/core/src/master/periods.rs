//! The calendar of the report: fiscal years and the months of their halves, and the reporting
//! period the coordinator opens, closes, reopens and moves on from.

use super::MasterError;
use crate::model::{period_label, Actor, FiscalYear, Half, PeriodState, Source};
use crate::store::{Store, Write};
use crate::wareki::Year;

/// The fiscal year `year` of the report, or the error that names it as unknown.
pub(super) fn year_of(w: &Write<'_>, year: i32) -> Result<FiscalYear, MasterError> {
    w.fiscal_years()?
        .into_iter()
        .find(|y| y.year == year)
        .ok_or(MasterError::UnknownYear { year })
}

/// Opens `year`/`half` for the departments with its 締切; any other open period is closed, since
/// departments write one period at a time.
pub fn open_period(
    store: &mut Store,
    year: i32,
    half: Half,
    deadline: &str,
) -> Result<(), MasterError> {
    let deadline = check_deadline(year, half, deadline)?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        year_of(w, year)?;
        for y in &w.fiscal_years()? {
            for h in &y.halves {
                if h.state == PeriodState::Open && (y.year, h.half) != (year, half) {
                    w.set_period_state(y.year, h.half, PeriodState::Closed)?;
                }
            }
        }
        w.set_period_state(year, half, PeriodState::Open)?;
        w.set_period_deadline(year, half, &deadline)?;
        Ok(())
    })
}

/// Changes a period's 締切 (shown in the header and the reminder).
pub fn set_deadline(
    store: &mut Store,
    year: i32,
    half: Half,
    deadline: &str,
) -> Result<(), MasterError> {
    let deadline = check_deadline(year, half, deadline)?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        year_of(w, year)?;
        w.set_period_deadline(year, half, &deadline)?;
        Ok(())
    })
}

/// Locks an open period: nobody edits it until the coordinator reopens it.
pub fn close_period(store: &mut Store, year: i32, half: Half) -> Result<(), MasterError> {
    set_state(store, year, half, PeriodState::Open, PeriodState::Closed)
}

/// Unlocks a closed period again (to correct an earlier half).
pub fn reopen_period(store: &mut Store, year: i32, half: Half) -> Result<(), MasterError> {
    set_state(store, year, half, PeriodState::Closed, PeriodState::Open)
}

fn set_state(
    store: &mut Store,
    year: i32,
    half: Half,
    from: PeriodState,
    to: PeriodState,
) -> Result<(), MasterError> {
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let fy = year_of(w, year)?;
        let current = fy.half(half).state;
        if current != from {
            return Err(MasterError::WrongState {
                period: period_label(year, half),
                state: current.label(),
            });
        }
        w.set_period_state(year, half, to)?;
        Ok(())
    })
}

/// A period's 締切 as stored (`YYYY-MM-DD`, "" for none), checked where it enters: within the
/// period's fiscal year or the two after it (1 April of the year to 31 March three years on).
/// A half is reported during or just after it, so a 下半期 (October to March) may well have its
/// 締切 in the next fiscal year's April or May, and a past period reopened to collect a late
/// return (the built-in sample's 令和６年度 下半期, opened today) gets a 締切 a year or two on;
/// a date further away is a typing error (the year 9999 was taken and printed as the reminder's
/// date), and one before the fiscal year would have passed before the period began.
fn check_deadline(year: i32, half: Half, deadline: &str) -> Result<String, MasterError> {
    let deadline = deadline.trim();
    if deadline.is_empty() {
        return Ok(String::new());
    }
    let period = period_label(year, half);
    let date = chrono::NaiveDate::parse_from_str(deadline, "%Y-%m-%d").map_err(|_| {
        MasterError::UnreadableDeadline {
            period: period.clone(),
            deadline: deadline.to_string(),
        }
    })?;
    let from = chrono::NaiveDate::from_ymd_opt(year, 4, 1);
    let to = year
        .checked_add(3)
        .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 3, 31));
    let (Some(from), Some(to)) = (from, to) else {
        return Err(MasterError::UnknownYear { year });
    };
    if !(from..=to).contains(&date) {
        let label = |d: chrono::NaiveDate| {
            crate::wareki::stored_date_label(&d.format("%Y-%m-%d").to_string())
        };
        return Err(MasterError::DeadlineOutOfRange {
            period,
            deadline: label(date),
            from: label(from),
            to: label(to),
        });
    }
    Ok(date.format("%Y-%m-%d").to_string())
}

/// Closes the open period and opens the one after it (下半期 after 上半期, the next year's
/// 上半期 after 下半期, adding that fiscal year when missing). Measures carry over as they
/// are; no cell of the new period is copied or written. Returns the period now open.
pub fn start_next_period(store: &mut Store, deadline: &str) -> Result<(i32, Half), MasterError> {
    // Refused before the copy below: a refusal leaves no backup of a rollover that never was.
    let (_, (next_year, next_half)) = next_period(&store.fiscal_years()?)?;
    let deadline = check_deadline(next_year, next_half, deadline)?;
    // A rollover changes every department's work at once: keep a copy of the report first.
    if store.path().is_some() {
        crate::backup::take(store, crate::backup::Reason::Rollover)?;
    }
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let years = w.fiscal_years()?;
        let ((year, half), next) = next_period(&years)?;
        if !years.iter().any(|y| y.year == next.0) {
            w.put_fiscal_year(&FiscalYear::new(next.0))?;
        }
        w.set_period_state(year, half, PeriodState::Closed)?;
        w.set_period_state(next.0, next.1, PeriodState::Open)?;
        w.set_period_deadline(next.0, next.1, &deadline)?;
        Ok(next)
    })
}

/// A reporting period: its fiscal year and half.
type Period = (i32, Half);

/// The open period and the one after it: 下半期 after 上半期, the next year's 上半期 after 下半期.
fn next_period(years: &[FiscalYear]) -> Result<(Period, Period), MasterError> {
    let (year, half) = crate::model::open_period(years).ok_or(MasterError::NoOpenPeriod)?;
    let next = match half {
        Half::H1 => (year, Half::H2),
        // The last year of the range has no next one: refused, never an overflow.
        Half::H2 => (Year::new(year.into())?.next()?.get(), Half::H1),
    };
    Ok(((year, half), next))
}

/// Adds a fiscal year with both halves upcoming and their months (a short first year of a term
/// has fewer months).
pub fn add_fiscal_year(
    store: &mut Store,
    year: i32,
    h1_months: &[u8],
    h2_months: &[u8],
) -> Result<(), MasterError> {
    let year = Year::check(year)?;
    let mut fy = FiscalYear::new(year);
    for (half, months) in [(Half::H1, h1_months), (Half::H2, h2_months)] {
        check_months(year, half, months)?;
        fy.half_mut(half).months = months.to_vec();
    }
    store.write(&Actor::Coordinator, &Source::App, |w| {
        if w.fiscal_years()?.iter().any(|y| y.year == year) {
            return Err(MasterError::YearExists { year });
        }
        check_halves(year, h1_months, h2_months, HalvesGiven::Both)?;
        w.put_fiscal_year(&fy)?;
        Ok(())
    })
}

/// Changes the months a half covers (shown under the half-year headers of the sheet).
pub fn set_half_months(
    store: &mut Store,
    year: i32,
    half: Half,
    months: &[u8],
) -> Result<(), MasterError> {
    check_months(year, half, months)?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let mut fy = year_of(w, year)?;
        fy.half_mut(half).months = months.to_vec();
        check_halves(
            year,
            &fy.half(Half::H1).months,
            &fy.half(Half::H2).months,
            HalvesGiven::One,
        )?;
        w.put_fiscal_year(&fy)?;
        Ok(())
    })
}

/// The months of a half as people write them: a range `4-9`, one that runs over the new year
/// `10-3` (10, 11, 12, 1, 2, 3), a list `4,5,6`, or both (`4-6,8`); full-width digits and
/// `〜` read too. Whether they are calendar months is [`check_months`]' rule, when they are set.
pub fn parse_months(text: &str) -> Result<Vec<u8>, MasterError> {
    let unreadable = || MasterError::UnreadableMonths {
        text: text.trim().to_string(),
    };
    let narrow = crate::fold::fold(text);
    let number = |part: &str| part.trim().trim_end_matches('月').trim().parse::<u8>().ok();
    let mut months = Vec::new();
    for item in narrow.split([',', '、', '，']) {
        match item.split_once(['-', '~', '〜', '～', '－']) {
            None => months.push(number(item).ok_or_else(unreadable)?),
            Some((first, last)) => {
                let (first, last) = (
                    number(first).ok_or_else(unreadable)?,
                    number(last).ok_or_else(unreadable)?,
                );
                if !(1..=12).contains(&first) || !(1..=12).contains(&last) {
                    return Err(unreadable());
                }
                // 10-3 runs over the new year: 10, 11, 12, 1, 2, 3.
                let mut month = first;
                loop {
                    months.push(month);
                    if month == last {
                        break;
                    }
                    month = month % 12 + 1;
                }
            }
        }
    }
    Ok(months)
}

fn check_months(year: i32, half: Half, months: &[u8]) -> Result<(), MasterError> {
    if months.is_empty() || months.iter().any(|m| !(1..=12).contains(m)) {
        return Err(MasterError::BadMonths {
            period: period_label(year, half),
            months: months
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(","),
        });
    }
    Ok(())
}

/// Whether a check of the halves is of a year being added (both halves given) or of one half
/// changed in an existing year.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HalvesGiven {
    Both,
    One,
}

/// The halves of a fiscal year divide its months: no month in both (or twice in one), every
/// 上半期 month before every 下半期 month in the fiscal year's order (April to March), and, when
/// a year is added with both, no month left out between the first and the last. A full year is
/// 4-9 and 10-3; a term's short first or last year covers fewer months (10-12 and 1-3 from
/// October), so the twelve are not required, only that the halves meet. Overlapping halves
/// (4-9 twice) would report one month twice and print it under both headers of the sheet.
/// A change of one half may leave a gap for a moment: the window changes a full year into a
/// short one half by half (下半期 1-3, then 上半期 10-12), and requiring the halves to meet at
/// each step would refuse both orders.
fn check_halves(year: i32, h1: &[u8], h2: &[u8], given: HalvesGiven) -> Result<(), MasterError> {
    // April is 0, March 11: the order of the fiscal year.
    let place = |month: u8| (month + 8) % 12;
    let mut seen = [false; 12];
    for &month in h1.iter().chain(h2) {
        let at = usize::from(place(month));
        if seen[at] {
            return Err(MasterError::MonthTwice { year, month });
        }
        seen[at] = true;
    }
    let last_h1 = h1.iter().map(|&m| place(m)).max();
    let first_h2 = h2.iter().map(|&m| place(m)).min();
    if let (Some(last_h1), Some(first_h2)) = (last_h1, first_h2) {
        if last_h1 > first_h2 {
            return Err(MasterError::HalvesOutOfOrder { year });
        }
    }
    let first = seen.iter().position(|&s| s);
    let last = seen.iter().rposition(|&s| s);
    if let (Some(first), Some(last), HalvesGiven::Both) = (first, last, given) {
        let missing: Vec<String> = (first..=last)
            .filter(|&at| !seen[at])
            .map(|at| format!("{}月", (at + 3) % 12 + 1))
            .collect();
        if !missing.is_empty() {
            return Err(MasterError::MonthsMissing {
                year,
                months: missing.join("・"),
            });
        }
    }
    Ok(())
}
