//! The coordinator's master data: pledges, measures, departments, fiscal years with their halves,
//! and the reporting period (open, close, reopen, start the next one). Every function is one
//! user action, so one transaction and one report revision; a refusal writes nothing.

use crate::model::{
    period_label, Actor, DepartmentId, FiscalYear, Half, MeasureId, PeriodState, PledgeId, Source,
};
use crate::store::{NewMeasure, Store, StoreError, Write};
use crate::wareki::{fiscal_year_label, Year};

/// Why a change of the master data was refused.
#[derive(Debug, thiserror::Error)]
pub enum MasterError {
    /// The report has no such fiscal year.
    #[error("{year} 年度（{label}）はこの報告にありません", label = fiscal_year_label(*year))]
    UnknownYear { year: i32 },
    /// The fiscal year exists already; adding it again would reset its halves.
    #[error("{label} は既にあります", label = fiscal_year_label(*year))]
    YearExists { year: i32 },
    /// A half's months must be calendar months, at least one.
    #[error("{period} の月「{months}」は 1〜12 の月を 1 つ以上指定してください")]
    BadMonths { period: String, months: String },
    /// Months typed in a form no reader of ours understands.
    #[error("月「{text}」は読めません。4-9、10-3（翌年3月まで）、4,5,6 のように指定してください")]
    UnreadableMonths { text: String },
    /// Only a closed period can be reopened; only an open one closed.
    #[error("{period} は{state}のため、この操作はできません")]
    WrongState { period: String, state: &'static str },
    /// `start_next_period` needs an open period to move on from.
    #[error("入力中の期がありません。先に期を開いてください")]
    NoOpenPeriod,
    /// A name or a title may not be empty.
    #[error("{what}を入力してください")]
    Empty { what: &'static str },
    /// Pledge numbers are 1, 2, 3…
    #[error("公約番号 {0} は使えません（1 以上の番号を指定してください）")]
    BadPledgeNumber(u32),
    #[error("実施内容 ID {0} はありません")]
    UnknownMeasure(MeasureId),
    #[error("担当課 ID {0} はありません")]
    UnknownDepartment(DepartmentId),
    #[error("公約 ID {0} はありません")]
    UnknownPledge(PledgeId),
    /// A year outside the years a report can hold.
    #[error(transparent)]
    Year(#[from] crate::wareki::YearError),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MasterError {
    /// The form field the UI should highlight.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            MasterError::BadMonths { .. } | MasterError::UnreadableMonths { .. } => Some("months"),
            MasterError::Empty { what } => Some(what),
            MasterError::BadPledgeNumber(_) => Some("number"),
            MasterError::YearExists { .. }
            | MasterError::UnknownYear { .. }
            | MasterError::Year(_) => Some("year"),
            _ => None,
        }
    }
}

fn state_label(state: PeriodState) -> &'static str {
    match state {
        PeriodState::Upcoming => "未開始",
        PeriodState::Open => "入力中",
        PeriodState::Closed => "締切済み",
    }
}

fn year_of(w: &Write<'_>, year: i32) -> Result<FiscalYear, MasterError> {
    w.fiscal_years()?
        .into_iter()
        .find(|y| y.year == year)
        .ok_or(MasterError::UnknownYear { year })
}

fn non_empty(text: &str, what: &'static str) -> Result<String, MasterError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(MasterError::Empty { what });
    }
    Ok(text.to_string())
}

/// Opens `year`/`half` for the departments with its 締切; any other open period is closed, since
/// departments write one period at a time.
pub fn open_period(
    store: &mut Store,
    year: i32,
    half: Half,
    deadline: &str,
) -> Result<(), MasterError> {
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let years = w.fiscal_years()?;
        if !years.iter().any(|y| y.year == year) {
            return Err(MasterError::UnknownYear { year });
        }
        for y in &years {
            for h in &y.halves {
                if h.state == PeriodState::Open && (y.year, h.half) != (year, half) {
                    w.set_period_state(y.year, h.half, PeriodState::Closed)?;
                }
            }
        }
        w.set_period_state(year, half, PeriodState::Open)?;
        w.set_period_deadline(year, half, deadline.trim())?;
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
    store.write(&Actor::Coordinator, &Source::App, |w| {
        year_of(w, year)?;
        w.set_period_deadline(year, half, deadline.trim())?;
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
                state: state_label(current),
            });
        }
        w.set_period_state(year, half, to)?;
        Ok(())
    })
}

/// Closes the open period and opens the one after it (下半期 after 上半期, the next year's
/// 上半期 after 下半期, adding that fiscal year when missing). Measures carry over as they
/// are; no cell of the new period is copied or written. Returns the period now open.
pub fn start_next_period(store: &mut Store, deadline: &str) -> Result<(i32, Half), MasterError> {
    // Refused before the copy below: a refusal leaves no backup of a rollover that never was.
    next_period(&store.fiscal_years()?)?;
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
        w.set_period_deadline(next.0, next.1, deadline.trim())?;
        Ok(next)
    })
}

/// A reporting period: its fiscal year and half.
type Period = (i32, Half);

/// The open period and the one after it: 下半期 after 上半期, the next year's 上半期 after 下半期.
fn next_period(years: &[FiscalYear]) -> Result<(Period, Period), MasterError> {
    let (year, half) = years
        .iter()
        .find_map(|y| {
            y.halves
                .iter()
                .find(|h| h.state == PeriodState::Open)
                .map(|h| (y.year, h.half))
        })
        .ok_or(MasterError::NoOpenPeriod)?;
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
    let narrow = crate::wareki::half_width_digits(text);
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

/// Adds a department, or returns the existing one of that name.
pub fn add_department(store: &mut Store, name: &str) -> Result<DepartmentId, MasterError> {
    let name = non_empty(name, "課名")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        Ok(w.ensure_department(&name)?)
    })
}

pub fn rename_department(
    store: &mut Store,
    id: DepartmentId,
    name: &str,
) -> Result<(), MasterError> {
    let name = non_empty(name, "課名")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        if !w.departments()?.iter().any(|d| d.id == id) {
            return Err(MasterError::UnknownDepartment(id));
        }
        w.rename_department(id, &name)?;
        Ok(())
    })
}

/// Adds pledge `number` or changes its title.
pub fn put_pledge(store: &mut Store, number: u32, title: &str) -> Result<PledgeId, MasterError> {
    if number == 0 {
        return Err(MasterError::BadPledgeNumber(number));
    }
    let title = non_empty(title, "公約")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        Ok(w.upsert_pledge(number, &title)?)
    })
}

/// The heading cells of a measure as the coordinator edits them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeasureForm {
    pub pledge_id: PledgeId,
    pub department_id: DepartmentId,
    #[serde(default)]
    pub pledge_caption: String,
    pub content: String,
    #[serde(default)]
    pub target_date: String,
}

/// Adds a measure after the last one of its pledge (so the sheet stays in pledge order).
pub fn add_measure(store: &mut Store, form: &MeasureForm) -> Result<MeasureId, MasterError> {
    let content = non_empty(&form.content, "実施内容")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        check_refs(w, form)?;
        let measures = w.measures()?;
        let number = |pledge_id| {
            w.pledges()
                .ok()
                .and_then(|ps| ps.into_iter().find(|p| p.id == pledge_id))
                .map_or(0, |p| p.number)
        };
        let own = number(form.pledge_id);
        // After the last measure whose pledge number is not greater: positions after it move down.
        let after = measures
            .iter()
            .filter(|m| number(m.pledge_id) <= own)
            .map(|m| m.position)
            .max()
            .unwrap_or(0);
        for m in measures.iter().filter(|m| m.position > after) {
            let mut moved = m.clone();
            moved.position += 1;
            w.update_measure(&moved)?;
        }
        Ok(w.add_measure(NewMeasure {
            pledge_id: form.pledge_id,
            department_id: form.department_id,
            pledge_caption: form.pledge_caption.trim().to_string(),
            content,
            target_date: form.target_date.trim().to_string(),
            position: Some(after + 1),
        })?)
    })
}

/// Changes a measure's heading cells; its cells and their history stay.
pub fn edit_measure(
    store: &mut Store,
    id: MeasureId,
    form: &MeasureForm,
) -> Result<(), MasterError> {
    let content = non_empty(&form.content, "実施内容")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        check_refs(w, form)?;
        let mut measure = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
        measure.pledge_id = form.pledge_id;
        measure.department_id = form.department_id;
        measure.pledge_caption = form.pledge_caption.trim().to_string();
        measure.content = content;
        measure.target_date = form.target_date.trim().to_string();
        w.update_measure(&measure)?;
        Ok(())
    })
}

/// Moves a measure one place up (`-1`) or down (`+1`) on the sheet by swapping positions.
pub fn move_measure(store: &mut Store, id: MeasureId, step: i32) -> Result<(), MasterError> {
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let measures = w.measures()?;
        let at = measures
            .iter()
            .position(|m| m.id == id)
            .ok_or(MasterError::UnknownMeasure(id))?;
        let Some(other) = at.checked_add_signed(step.signum() as isize) else {
            return Ok(());
        };
        let Some(other) = measures.get(other) else {
            return Ok(());
        };
        // Positions may repeat after imports; renumber the two from their order.
        let (mut a, mut b) = (measures[at].clone(), other.clone());
        let (pa, pb) = (at as i64 + 1, at as i64 + 1 + i64::from(step.signum()));
        for (i, m) in measures.iter().enumerate() {
            if m.position != i as i64 + 1 && m.id != a.id && m.id != b.id {
                let mut fixed = m.clone();
                fixed.position = i as i64 + 1;
                w.update_measure(&fixed)?;
            }
        }
        a.position = pb;
        b.position = pa;
        w.update_measure(&a)?;
        w.update_measure(&b)?;
        Ok(())
    })
}

fn check_refs(w: &Write<'_>, form: &MeasureForm) -> Result<(), MasterError> {
    if !w.departments()?.iter().any(|d| d.id == form.department_id) {
        return Err(MasterError::UnknownDepartment(form.department_id));
    }
    if !w.pledges()?.iter().any(|p| p.id == form.pledge_id) {
        return Err(MasterError::UnknownPledge(form.pledge_id));
    }
    Ok(())
}
