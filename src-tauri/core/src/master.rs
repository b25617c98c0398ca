//! The coordinator's master data: pledges, measures, departments, fiscal years with their halves,
//! and the reporting period (open, close, reopen, start the next one). Every function is one
//! user action, so one transaction and one report revision; a refusal writes nothing.

use crate::model::{
    period_label, Actor, DepartmentId, FiscalYear, Half, MeasureId, PeriodState, PledgeId, Source,
};
use crate::name::{self, shown, NameError};
use crate::store::{
    ChangeKind, NewMeasure, NewReorganisation, Reorganisation, Store, StoreError, Write,
};
use crate::wareki::{fiscal_year_label, Year};
use serde::Serialize;

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
    /// One month in both halves of a year (or twice in one): its reports would overlap.
    #[error("{label} の {month}月 が 2 回指定されています（上半期と下半期の月は重ならないように指定してください）", label = fiscal_year_label(*year))]
    MonthTwice { year: i32, month: u8 },
    /// A 上半期 month after a 下半期 month of the same fiscal year (April to March).
    #[error("{label} の上半期の月は下半期の月より前（4月から3月の順）にしてください", label = fiscal_year_label(*year))]
    HalvesOutOfOrder { year: i32 },
    /// A month between the first and the last of the year that neither half covers.
    #[error("{label} の {months} がどちらの半期にも入っていません。上半期と下半期で続いた月を指定してください（通年は 4-9 と 10-3）", label = fiscal_year_label(*year))]
    MonthsMissing { year: i32, months: String },
    /// A 締切 that is not a date as stored (`YYYY-MM-DD`).
    #[error("{period} の締切「{deadline}」は日付として読めません")]
    UnreadableDeadline { period: String, deadline: String },
    /// A 締切 outside the period's fiscal year and the one after it.
    #[error("{period} の締切 {deadline} は {from}〜{to}（その年度から 2 年後の年度末まで）の日付にしてください")]
    DeadlineOutOfRange {
        period: String,
        deadline: String,
        from: String,
        to: String,
    },
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
    /// A department named in a reorganisation that the report does not have.
    #[error("担当課「{0}」はこの報告にありません")]
    NoSuchDepartment(String),
    /// A department that a reorganisation made disappear, named again.
    #[error("{0}。現在の課を指定してください")]
    Gone(DepartmentGone),
    /// A rename to the name of another department of the report.
    #[error("{0} は既にあります。2 つの課を 1 つにするときは shinchoku department merge を使ってください")]
    DepartmentExists(String),
    /// `department merge` with nothing to merge.
    #[error("{into} に統合する課を 1 つ以上指定してください")]
    NothingToMerge { into: String },
    /// The target of a merge also named as one of the departments merged into it.
    #[error(
        "統合先の {0} が統合する課にも指定されています。統合先は --into だけに指定してください"
    )]
    MergeIntoItself(String),
    /// A split that names the department being split as one of its parts.
    #[error(
        "{0} を {0} 自身に分割することはできません（指定しなかった実施内容は {0} に残ります）"
    )]
    SplitIntoItself(String),
    /// A `--to` of a split that no reader of ours understands.
    #[error("分割先「{text}」は読めません。新しい課名:ID,ID のように指定してください（ID は shinchoku list の [ID n]）")]
    UnreadableSplit { text: String },
    /// One measure given to two departments in one split.
    #[error("実施内容 ID {0} が 2 つの分割先に指定されています")]
    MeasureTwice(MeasureId),
    /// A measure named in a split or a move that another department owns.
    #[error(
        "実施内容 ID {measure_id} は {owner} の担当です（{department} の実施内容ではありません）"
    )]
    NotOwnedBy {
        measure_id: MeasureId,
        owner: String,
        department: String,
    },
    /// A measure moved to the department that owns it.
    #[error("実施内容 ID {measure_id} は既に {department} の担当です")]
    AlreadyOwned {
        measure_id: MeasureId,
        department: String,
    },
    /// `measure retire` without a year when no period is open to take it from.
    #[error("入力中の期がないため、終了する年度が決められません。--after で最後の年度を指定してください")]
    NoLastYear,
    /// A measure ended before a year it already has entries in.
    #[error("実施内容 ID {measure_id} には {} の記入があるため、{} で終了にはできません。先にその欄を消すか、{} 以降で終了にしてください", fiscal_year_label(*written), fiscal_year_label(*last_year), fiscal_year_label(*written))]
    WrittenAfterEnd {
        measure_id: MeasureId,
        last_year: i32,
        written: i32,
    },
    /// A name refused where it entered: invisible characters, too long, or another spelling of
    /// an existing department (empty names are [`MasterError::Empty`]).
    #[error(transparent)]
    Name(NameError),
    /// A year outside the years a report can hold.
    #[error(transparent)]
    Year(#[from] crate::wareki::YearError),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<NameError> for MasterError {
    fn from(e: NameError) -> MasterError {
        match e {
            NameError::Empty { what } => MasterError::Empty { what },
            e => MasterError::Name(e),
        }
    }
}

impl MasterError {
    /// The form field the UI should highlight.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            MasterError::BadMonths { .. }
            | MasterError::UnreadableMonths { .. }
            | MasterError::MonthTwice { .. }
            | MasterError::HalvesOutOfOrder { .. }
            | MasterError::MonthsMissing { .. } => Some("months"),
            MasterError::UnreadableDeadline { .. } | MasterError::DeadlineOutOfRange { .. } => {
                Some("deadline")
            }
            MasterError::Empty { what } => Some(what),
            MasterError::Name(e) => Some(e.field()),
            MasterError::BadPledgeNumber(_) => Some("number"),
            MasterError::NoSuchDepartment(_)
            | MasterError::Gone(_)
            | MasterError::DepartmentExists(_)
            | MasterError::MergeIntoItself(_)
            | MasterError::SplitIntoItself(_)
            | MasterError::AlreadyOwned { .. } => Some("department"),
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
                state: state_label(current),
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

/// Adds a department, or returns the existing one of that name.
pub fn add_department(store: &mut Store, name: &str) -> Result<DepartmentId, MasterError> {
    let name = name::department(name, "課名")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        if let Some(found) = name::admit(&w.departments()?, &name, None, "課名")? {
            return Ok(found.id);
        }
        Ok(w.ensure_department(&name)?)
    })
}

/// Renames a department (改称); its measures, their cells and history stay. The old name is
/// recorded as renamed: packages issued under it before are answered with the new name.
pub fn rename_department(
    store: &mut Store,
    id: DepartmentId,
    name: &str,
) -> Result<(), MasterError> {
    let name = name::department(name, "新しい課名")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let old = w
            .department_name(id)?
            .ok_or(MasterError::UnknownDepartment(id))?;
        if old == name {
            return Ok(());
        }
        // Its own identity under another spelling (Ａ課 to A課) is a correction, not a clash.
        if name::admit(&w.departments()?, &name, Some(id), "新しい課名")?.is_some() {
            return Err(MasterError::DepartmentExists(shown(&name)));
        }
        w.rename_department(id, &name)?;
        w.record_reorganisation(&NewReorganisation {
            kind: ChangeKind::Rename,
            measure_id: None,
            from_department: &old,
            to_department: &name,
            last_year: None,
        })?;
        Ok(())
    })
}

/// Adds pledge `number` or changes its title.
pub fn put_pledge(store: &mut Store, number: u32, title: &str) -> Result<PledgeId, MasterError> {
    if number == 0 {
        return Err(MasterError::BadPledgeNumber(number));
    }
    let title = name::pledge_title(title, "公約")?;
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
    let content = name::free_text(&form.content, "実施内容")?;
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
    let content = name::free_text(&form.content, "実施内容")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        check_refs(w, form)?;
        let mut measure = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
        if measure.department_id != form.department_id {
            // A change of owner made in the measure's form is a move like any other.
            record_move(
                w,
                ChangeKind::Move,
                id,
                measure.department_id,
                form.department_id,
            )?;
        }
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

// ---------------------------------------------------------------------------------------------
// The April reorganisation: departments merged, split and renamed, measures moved and ended.
// Every change of owner is recorded (`reorganisation`) with its revision, so that a package
// issued before it is answered with the department that owns the measures now.

/// A department that a reorganisation made disappear, and where its measures went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentGone {
    pub department: String,
    pub kind: ChangeKind,
    /// The departments that hold its measures now (after any later reorganisation too).
    pub successors: Vec<String>,
    /// When, as stored (`YYYY-MM-DDTHH:MM:SS`).
    pub changed_at: String,
}

impl DepartmentGone {
    /// 新課, or 新課A・新課B
    pub fn successors_label(&self) -> String {
        self.successors.join("・")
    }
}

impl std::fmt::Display for DepartmentGone {
    /// 課A は 2026年4月1日に 新課 に統合されました
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verb = match self.kind {
            ChangeKind::Split => "分割",
            ChangeKind::Rename => "改称",
            _ => "統合",
        };
        write!(
            f,
            "{} は {}に {} に{verb}されました",
            shown(&self.department),
            changed_on(&self.changed_at),
            shown(&self.successors_label())
        )
    }
}

/// 2026年4月1日 for a recorded change.
fn changed_on(changed_at: &str) -> String {
    crate::wareki::stored_date_label(changed_at.get(..10).unwrap_or(changed_at))
}

/// How `department` disappeared, from `changes` (oldest first): `None` when it never did, or
/// when `existing` shows it again (a later department of the same name). Successors that went
/// in a later reorganisation are followed to the departments that exist now.
pub fn department_gone(
    changes: &[Reorganisation],
    existing: &[String],
    department: &str,
) -> Option<DepartmentGone> {
    if existing.iter().any(|d| d == department) {
        return None;
    }
    let gone = |name: &str, after: i64| -> Option<Vec<&Reorganisation>> {
        let last = changes
            .iter()
            .filter(|c| c.measure_id.is_none() && c.from_department == name && c.revision > after)
            .map(|c| c.revision)
            .max()?;
        Some(
            changes
                .iter()
                .filter(|c| {
                    c.measure_id.is_none() && c.from_department == name && c.revision == last
                })
                .collect(),
        )
    };
    let first = gone(department, i64::MIN)?;
    let mut successors = Vec::new();
    // Breadth first, each name once: a chain of renames ends at a name that exists now.
    let mut queue: std::collections::VecDeque<(String, i64)> = first
        .iter()
        .map(|c| (c.to_department.clone(), c.revision))
        .collect();
    let mut seen = std::collections::HashSet::new();
    while let Some((name, at)) = queue.pop_front() {
        if !seen.insert(name.clone()) {
            continue;
        }
        match gone(&name, at).filter(|_| !existing.contains(&name)) {
            Some(next) => queue.extend(next.iter().map(|c| (c.to_department.clone(), c.revision))),
            None => successors.push(name),
        }
    }
    Some(DepartmentGone {
        department: department.to_string(),
        kind: first[0].kind,
        successors,
        changed_at: first[0].changed_at.clone(),
    })
}

/// Why a department is not in the report: gone in a reorganisation, or never there.
pub fn missing_department(store: &Store, department: &str) -> Result<MasterError, MasterError> {
    let existing: Vec<String> = store.departments()?.into_iter().map(|d| d.name).collect();
    Ok(
        match department_gone(&store.reorganisations()?, &existing, department.trim()) {
            Some(gone) => MasterError::Gone(gone),
            None => MasterError::NoSuchDepartment(shown(department.trim())),
        },
    )
}

/// Why a package issued to `department` at report revision `revision`, holding cells of
/// `issued` (measure and year), no longer answers the report: the department is gone, a measure
/// moved to another department or ended before a year it holds. `None` when nothing it holds
/// changed hands since. The message ends with what to do instead.
pub fn superseded_package(
    store: &Store,
    department: &str,
    revision: i64,
    issued: &[(MeasureId, i32)],
) -> Result<Option<String>, StoreError> {
    let since = store.reorganisations_after(revision)?;
    if since.is_empty() {
        return Ok(None);
    }
    let existing: Vec<String> = store.departments()?.into_iter().map(|d| d.name).collect();
    let all = store.reorganisations()?;
    if since
        .iter()
        .any(|c| c.measure_id.is_none() && c.from_department == department)
    {
        if let Some(gone) = department_gone(&all, &existing, department) {
            return Ok(Some(format!(
                "{gone}。{} のパッケージで提出してください",
                gone.successors_label()
            )));
        }
    }
    for change in &since {
        let Some(measure_id) = change.measure_id else {
            continue;
        };
        let years = issued
            .iter()
            .filter(|(m, _)| *m == measure_id)
            .map(|(_, y)| *y);
        let held = years.clone().next().is_some();
        match change.kind {
            ChangeKind::Retire => {
                let Some(last) = change.last_year else {
                    continue;
                };
                if let Some(after) = years.filter(|&y| y > last).min() {
                    return Ok(Some(format!(
                        "実施内容 ID {measure_id} は {}に {} で終了になりました（{} の欄は受け付けません）。{department} の新しいパッケージで提出してください",
                        changed_on(&change.changed_at),
                        fiscal_year_label(last),
                        fiscal_year_label(after)
                    )));
                }
            }
            _ if held && change.from_department == department => {
                let (from, to) = (shown(&change.from_department), shown(&change.to_department));
                return Ok(Some(format!(
                    "実施内容 ID {measure_id} は {}に {from} から {to} に移管されました。{} の新しいパッケージで提出してください（この実施内容は {to} が提出します）",
                    changed_on(&change.changed_at),
                    shown(department)
                )));
            }
            _ => {}
        }
    }
    Ok(None)
}

/// The department of `name` inside an action, refused with how it went when it is gone.
fn existing_department(w: &Write<'_>, name: &str) -> Result<crate::model::Department, MasterError> {
    if let Some(found) = w.department_by_name(name)? {
        return Ok(found);
    }
    let existing: Vec<String> = w.departments()?.into_iter().map(|d| d.name).collect();
    Err(
        match department_gone(&w.reorganisations()?, &existing, name.trim()) {
            Some(gone) => MasterError::Gone(gone),
            None => MasterError::NoSuchDepartment(shown(name.trim())),
        },
    )
}

/// Gives one measure to another department and records it.
fn record_move(
    w: &mut Write<'_>,
    kind: ChangeKind,
    measure_id: MeasureId,
    from: DepartmentId,
    to: DepartmentId,
) -> Result<(), MasterError> {
    let from = w.department_name(from)?.unwrap_or_default();
    let to = w
        .department_name(to)?
        .ok_or(MasterError::UnknownDepartment(to))?;
    w.record_reorganisation(&NewReorganisation {
        kind,
        measure_id: Some(measure_id),
        from_department: &from,
        to_department: &to,
        last_year: None,
    })?;
    Ok(())
}

/// Moves a measure to `to` and records the change.
fn hand_over(
    w: &mut Write<'_>,
    kind: ChangeKind,
    measure: &crate::model::Measure,
    to: DepartmentId,
) -> Result<(), MasterError> {
    record_move(w, kind, measure.id, measure.department_id, to)?;
    let mut moved = measure.clone();
    moved.department_id = to;
    w.update_measure(&moved)?;
    Ok(())
}

/// What a merge or a split did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reorganised {
    /// Measures that changed hands, as (id, from, to).
    pub moved: Vec<(MeasureId, String, String)>,
    /// Departments created by it.
    pub created: Vec<String>,
    /// Departments it removed (their names are kept in the history).
    pub removed: Vec<String>,
    /// A split department's measures not named: they stay with it.
    pub kept: Vec<MeasureId>,
}

/// `target` inside an action, created when new; records it in `created`.
fn target_department(
    w: &mut Write<'_>,
    name: &str,
    what: &'static str,
    created: &mut Vec<String>,
) -> Result<DepartmentId, MasterError> {
    // A new department may not be an existing one spelled another way.
    if let Some(found) = name::admit(&w.departments()?, name, None, what)? {
        return Ok(found.id);
    }
    created.push(name.to_string());
    Ok(w.ensure_department(name)?)
}

/// Merges departments into `into` (統合), which may be new or one of the report's: every
/// measure of theirs now belongs to `into`, and they are removed from the report. Their names
/// stay in the history, so a package issued to one of them before is answered with `into`.
pub fn merge_departments(
    store: &mut Store,
    into: &str,
    departments: &[String],
) -> Result<Reorganised, MasterError> {
    let into = name::department(into, "統合先の課名")?;
    let mut merged: Vec<String> = Vec::new();
    for merged_name in departments {
        let merged_name = name::department(merged_name, "統合する課名")?;
        if name::identity(&merged_name) == name::identity(&into) {
            return Err(MasterError::MergeIntoItself(shown(&into)));
        }
        if !merged
            .iter()
            .any(|m| name::identity(m) == name::identity(&merged_name))
        {
            merged.push(merged_name);
        }
    }
    if merged.is_empty() {
        return Err(MasterError::NothingToMerge { into: shown(&into) });
    }
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let sources = merged
            .iter()
            .map(|name| existing_department(w, name))
            .collect::<Result<Vec<_>, _>>()?;
        let mut done = Reorganised {
            moved: Vec::new(),
            created: Vec::new(),
            removed: Vec::new(),
            kept: Vec::new(),
        };
        let target = target_department(w, &into, "統合先の課名", &mut done.created)?;
        let measures = w.measures()?;
        for source in &sources {
            for m in measures.iter().filter(|m| m.department_id == source.id) {
                hand_over(w, ChangeKind::Merge, m, target)?;
                done.moved.push((m.id, source.name.clone(), into.clone()));
            }
            w.record_reorganisation(&NewReorganisation {
                kind: ChangeKind::Merge,
                measure_id: None,
                from_department: &source.name,
                to_department: &into,
                last_year: None,
            })?;
            w.delete_department(source.id)?;
            done.removed.push(source.name.clone());
        }
        Ok(done)
    })
}

/// Reads one `--to` of a split: `新課A:12,13` (a full-width colon, 、 and full-width digits
/// read too) as the department and its measure ids.
pub fn parse_split_part(text: &str) -> Result<(String, Vec<MeasureId>), MasterError> {
    let unreadable = || MasterError::UnreadableSplit {
        text: text.trim().to_string(),
    };
    let (name, ids) = text.rsplit_once([':', '：']).ok_or_else(unreadable)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(unreadable());
    }
    let ids = crate::fold::fold(ids)
        .split([',', '、', '，', ' '])
        .filter(|id| !id.trim().is_empty())
        .map(|id| id.trim().parse::<MeasureId>().map_err(|_| unreadable()))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Err(unreadable());
    }
    Ok((name.to_string(), ids))
}

/// Splits a department (分割): each part's measures go to its department (new or one of the
/// report's). Measures not named stay with `department`; when none stays, it is removed and
/// recorded as split into the parts.
pub fn split_department(
    store: &mut Store,
    department: &str,
    parts: &[(String, Vec<MeasureId>)],
) -> Result<Reorganised, MasterError> {
    let department = name::department(department, "分割する課名")?;
    let mut named = std::collections::HashSet::new();
    let mut names = Vec::with_capacity(parts.len());
    for (part, ids) in parts {
        let part = name::department(part, "分割先の課名")?;
        if name::identity(&part) == name::identity(&department) {
            return Err(MasterError::SplitIntoItself(shown(&department)));
        }
        names.push(part);
        for &id in ids {
            if !named.insert(id) {
                return Err(MasterError::MeasureTwice(id));
            }
        }
    }
    if parts.is_empty() {
        return Err(MasterError::UnreadableSplit {
            text: String::new(),
        });
    }
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let source = existing_department(w, &department)?;
        let mut done = Reorganised {
            moved: Vec::new(),
            created: Vec::new(),
            removed: Vec::new(),
            kept: Vec::new(),
        };
        // Every measure is checked before the first department is created.
        for (_, ids) in parts {
            for &id in ids {
                let m = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
                if m.department_id != source.id {
                    return Err(MasterError::NotOwnedBy {
                        measure_id: id,
                        owner: shown(&w.department_name(m.department_id)?.unwrap_or_default()),
                        department: shown(&department),
                    });
                }
            }
        }
        let mut targets = Vec::new();
        for (name, (_, ids)) in names.iter().zip(parts) {
            let target = target_department(w, name, "分割先の課名", &mut done.created)?;
            // The department as the report spells it, when the part named an existing one.
            let name = w.department_name(target)?.unwrap_or_else(|| name.clone());
            for &id in ids {
                let m = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
                hand_over(w, ChangeKind::Split, &m, target)?;
                done.moved.push((id, department.clone(), name.clone()));
            }
            if !targets.contains(&name) {
                targets.push(name);
            }
        }
        done.kept = w
            .measures()?
            .iter()
            .filter(|m| m.department_id == source.id)
            .map(|m| m.id)
            .collect();
        if done.kept.is_empty() {
            for target in &targets {
                w.record_reorganisation(&NewReorganisation {
                    kind: ChangeKind::Split,
                    measure_id: None,
                    from_department: &department,
                    to_department: target,
                    last_year: None,
                })?;
            }
            w.delete_department(source.id)?;
            done.removed.push(department.clone());
        }
        Ok(done)
    })
}

/// Gives one measure to another department of the report (移管); its cells and history stay.
/// Returns the department it came from. The department it leaves stays, even with no measure.
pub fn transfer_measure(store: &mut Store, id: MeasureId, to: &str) -> Result<String, MasterError> {
    let to = name::department(to, "移管先の課名")?;
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let measure = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
        let target = existing_department(w, &to)?;
        let from = w
            .department_name(measure.department_id)?
            .unwrap_or_default();
        if target.id == measure.department_id {
            return Err(MasterError::AlreadyOwned {
                measure_id: id,
                department: shown(&from),
            });
        }
        hand_over(w, ChangeKind::Move, &measure, target.id)?;
        Ok(from)
    })
}

/// Ends a measure after `last_year` (終了), by default the year of the open period: it keeps its
/// years up to it in the report and on the sheet, and no package issues its cells of a later
/// year. Refused while it has entries in a later year. Ending it again with another year moves
/// the end.
pub fn retire_measure(
    store: &mut Store,
    id: MeasureId,
    last_year: Option<i32>,
) -> Result<i32, MasterError> {
    let last_year = match last_year {
        Some(year) => Year::check(year)?,
        None => store.open_period()?.ok_or(MasterError::NoLastYear)?.0,
    };
    store.write(&Actor::Coordinator, &Source::App, |w| {
        let measure = w.measure(id)?.ok_or(MasterError::UnknownMeasure(id))?;
        year_of(w, last_year)?;
        if let Some(written) = w
            .cells()?
            .values()
            .filter(|c| c.key.measure_id == id && c.key.year > last_year && !c.value.is_empty())
            .map(|c| c.key.year)
            .min()
        {
            return Err(MasterError::WrittenAfterEnd {
                measure_id: id,
                last_year,
                written,
            });
        }
        if w.measure_last_year(id)? == Some(last_year) {
            return Ok(last_year);
        }
        let owner = w
            .department_name(measure.department_id)?
            .unwrap_or_default();
        w.set_measure_last_year(id, Some(last_year))?;
        w.record_reorganisation(&NewReorganisation {
            kind: ChangeKind::Retire,
            measure_id: Some(id),
            from_department: &owner,
            to_department: &owner,
            last_year: Some(last_year),
        })?;
        Ok(last_year)
    })
}

/// What a recorded change of ownership did, in words: 「実施内容 ID 12: 課A → 課B」,
/// 「実施内容 ID 12（課A）は 令和６年度 まで」, 「課A → 課B（課A は廃止）」.
pub fn change_description(change: &crate::store::Reorganisation) -> String {
    match (change.kind, change.measure_id) {
        (ChangeKind::Retire, Some(id)) => format!(
            "実施内容 ID {id}（{}）は {} まで",
            shown(&change.from_department),
            change.last_year.map(fiscal_year_label).unwrap_or_default()
        ),
        (_, Some(id)) => format!(
            "実施内容 ID {id}: {} → {}",
            shown(&change.from_department),
            shown(&change.to_department)
        ),
        (_, None) => format!(
            "{} → {}（{} は廃止）",
            shown(&change.from_department),
            shown(&change.to_department),
            shown(&change.from_department)
        ),
    }
}
