//! Three-way merge of a department's changes into the report, per cell, against the base the
//! department started from. Used by submission files and by sheets returned from Excel.
//!
//! A cell changed only by the department is taken; a cell changed on both sides to different
//! values becomes a conflict that waits for the coordinator and is not applied; a cell the
//! department left as it was changes nothing. Each return is all or nothing.
//!
//! A decision is part of the base: once the coordinator has seen a department's value for a
//! cell (applied it, or settled its conflict in any way), that value is the base of the
//! department's later returns of the same issue ([`Incoming::issue`]). So a department that
//! submits again, still carrying a value the coordinator rejected, does not undo the decision
//! nor raise the settled conflict again (issue #25; docs/submission-format.md). A department's
//! own earlier value, merged from its older submission, is no one else's change: its newer
//! submission replaces it.

use serde::Serialize;

use crate::edit::{self, CellEdit, EditError};
use crate::model::{open_period, period_label, Actor, CellKey, Field, Half, PeriodState, Source};
pub use crate::store::{Conflict, Settled, Settlement};
use crate::store::{Store, StoreError, Write};

/// One cell as the department returns it, with what it was when the department received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingCell {
    pub key: CellKey,
    /// The cell's revision in the coordinator's database when it was sent out (0: never written).
    pub base_revision: i64,
    /// The cell's value when it was sent out.
    pub base_value: String,
    /// The department's value now.
    pub value: String,
}

/// What a return answers: the base the department was given. The department's values seen in
/// merging one of its returns stand as the base of its later returns of the same issue, and of
/// no other: a package issued again starts from what the coordinator held when it was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// A request package, by its id.
    Package(String),
    /// A sheet exported at this report revision; `None` for a sheet without a base.
    Sheet(Option<i64>),
}

/// A department's return: a submission file or a sheet filled in Excel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub department: String,
    /// The reporting period it answers.
    pub year: i32,
    pub half: Half,
    pub issue: Issue,
    pub cells: Vec<IncomingCell>,
    /// Recorded in the history of every cell it changes.
    pub source: Source,
}

impl Incoming {
    /// The issue as the store keys its seen values and conflicts: a package's id; a sheet's
    /// period and export revision (the department is a key of its own).
    pub fn issue_key(&self) -> String {
        match &self.issue {
            Issue::Package(id) => id.clone(),
            Issue::Sheet(revision) => format!(
                "sheet:{}:{}:{}",
                self.year,
                self.half.code(),
                revision.map_or("none".to_string(), |r| r.to_string())
            ),
        }
    }
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeOutcome {
    /// Cells written.
    pub applied: usize,
    /// Cells the department did not change since its base (what the coordinator last saw of
    /// it, a repeated value included), or changed to what the report already holds.
    pub unchanged: usize,
    /// Cells changed on both sides: kept for the coordinator to choose, nothing written for them.
    pub conflicts: Vec<CellKey>,
}

/// Why a return was refused; nothing of it is applied.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A rule of the return itself (period, department) is broken.
    #[error("{0}")]
    Refused(String),
    /// One of its cells breaks an editing rule (ownership, a closed period, a symbol).
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The coordinator's choice for a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Keep the value the report holds.
    Coordinator,
    /// Take the department's value.
    Department,
    /// Go back to the value both started from.
    Base,
    /// Write something else.
    Other(String),
}

/// Checks that `incoming` answers the open period, for a department of the report.
fn check_return(w: &Write<'_>, incoming: &Incoming) -> Result<(), MergeError> {
    if w.department_by_name(&incoming.department)?.is_none() {
        return Err(MergeError::Refused(format!(
            "担当課「{}」はこの報告にありません",
            incoming.department
        )));
    }
    let years = w.fiscal_years()?;
    let period = period_label(incoming.year, incoming.half);
    let Some(year) = years.iter().find(|y| y.year == incoming.year) else {
        return Err(MergeError::Refused(format!(
            "{period} はこの報告にない期です"
        )));
    };
    let state = year.half(incoming.half).state;
    if state == PeriodState::Closed {
        return Err(MergeError::Refused(format!(
            "{period} は締め切られています。取りまとめ担当が再開するまで受け付けられません"
        )));
    }
    if state != PeriodState::Open {
        let open = open_period(&years).map(|(year, half)| period_label(year, half));
        return Err(MergeError::Refused(match open {
            Some(open) => format!("{period} の提出ですが、受付中の期は {open} です"),
            None => format!("{period} の提出ですが、受付中の期がありません"),
        }));
    }
    Ok(())
}

/// Merges `incoming` into the report as one action, as the department.
pub fn merge(store: &mut Store, incoming: &Incoming) -> Result<MergeOutcome, MergeError> {
    let actor = Actor::Department(incoming.department.clone());
    store.write(&actor, &incoming.source, |w| merge_in(w, incoming))
}

/// The merge inside an action that the caller owns (to log the receipt in the same transaction).
/// The action must be the department's.
pub fn merge_in(w: &mut Write<'_>, incoming: &Incoming) -> Result<MergeOutcome, MergeError> {
    let actor = Actor::Department(incoming.department.clone());
    {
        check_return(w, incoming)?;
        let years = w.fiscal_years()?;
        let mut outcome = MergeOutcome::default();
        let issue = incoming.issue_key();
        let department = incoming.department.as_str();
        let mut written = Vec::new();
        for cell in &incoming.cells {
            let theirs = edit::check(
                w,
                &years,
                &actor,
                &CellEdit {
                    key: cell.key,
                    value: cell.value.clone(),
                },
            )?;
            let current = w.cell(&cell.key)?;
            let ours = current.as_ref().map(|c| c.value.as_str()).unwrap_or("");
            let ours_revision = current.as_ref().map(|c| c.revision).unwrap_or(0);
            // The base: the department's value the coordinator last saw for this issue, else
            // what the issue gave it. A seen value has no revision to compare: the coordinator
            // kept it only while the report still holds it.
            let seen = w.seen_value(department, &issue, &cell.key)?;
            let coordinator_kept_base = match &seen {
                Some(seen) => ours == seen,
                None => {
                    ours == normalized(cell.key.field, &cell.base_value)
                        || ours_revision <= cell.base_revision
                        || own_earlier_value(w, incoming, &cell.key, cell.base_revision)?
                }
            };
            let base = seen.unwrap_or_else(|| normalized(cell.key.field, &cell.base_value));
            if theirs == base || theirs == ours {
                // Untouched by the department since its base, or already what the report holds.
                outcome.unchanged += 1;
                if theirs == ours {
                    w.settle_conflict(&cell.key, Some(department), Settlement::Agreed, ours)?;
                    if theirs != base {
                        w.put_seen_value(department, &issue, &cell.key, &theirs)?;
                    }
                }
            } else if coordinator_kept_base {
                w.put_cell(&cell.key, &theirs)?;
                w.settle_conflict(&cell.key, Some(department), Settlement::Superseded, &theirs)?;
                w.put_seen_value(department, &issue, &cell.key, &theirs)?;
                written.push(cell.key);
                outcome.applied += 1;
            } else {
                record_conflict(w, cell, &base, ours, &theirs, incoming)?;
                outcome.conflicts.push(cell.key);
            }
        }
        // A year note and entries exclude each other in the report, whoever wrote them: a
        // return that would make a year hold both is refused whole, as any broken rule is.
        edit::check_year_notes(w, &written)?;
        Ok(outcome)
    }
}

/// Whether the report's value is the department's own, from its earlier submission of the
/// period merged after this return's package was issued (a package issued again while that
/// submission was on its way), and no one else wrote the cell since: the department changed
/// its own value, which is no conflict. Its newer return replaces it: submissions are merged
/// newest last (an older one is refused), so this one is the department's latest word. A
/// returned sheet carries no such order and keeps the plain rule.
fn own_earlier_value(
    w: &Write<'_>,
    incoming: &Incoming,
    key: &CellKey,
    base_revision: i64,
) -> Result<bool, StoreError> {
    match incoming.issue {
        Issue::Package(_) => w.written_by_own_submissions(
            &incoming.department,
            incoming.year,
            incoming.half,
            key,
            base_revision,
        ),
        Issue::Sheet(_) => Ok(false),
    }
}

/// Indicators are compared in their canonical glyph, so 〇 against ○ is no change.
fn normalized(field: Field, value: &str) -> String {
    if field.is_indicator() {
        crate::indicator::normalize(value).unwrap_or_else(|_| value.to_string())
    } else {
        value.to_string()
    }
}

fn record_conflict(
    w: &mut Write<'_>,
    cell: &IncomingCell,
    base: &str,
    ours: &str,
    theirs: &str,
    incoming: &Incoming,
) -> Result<(), StoreError> {
    let same_again = w
        .conflict_values(&cell.key)?
        .is_some_and(|(b, o, t)| b == base && o == ours && t == theirs);
    if same_again {
        return Ok(()); // The same return again: nothing new.
    }
    let conflict = Conflict {
        key: cell.key,
        department: incoming.department.clone(),
        base_value: base.to_string(),
        coordinator_value: ours.to_string(),
        department_value: theirs.to_string(),
        source: incoming.source.label(),
        received_at: w.at().to_string(),
        issue: incoming.issue_key(),
        settled: None,
    };
    w.put_conflict(&conflict)
}

/// The conflicts waiting for the coordinator, in sheet order.
pub fn conflicts(store: &Store) -> Result<Vec<Conflict>, StoreError> {
    store.conflicts()
}

/// The conflicts settled (the last of each cell), in sheet order.
pub fn settled_conflicts(store: &Store) -> Result<Vec<Conflict>, StoreError> {
    store.settled_conflicts()
}

/// The coordinator's choice for a conflict: writes the chosen value, settles the conflict, and
/// makes the department's value the base of its later returns of the same issue, in one
/// action. Keeping the report's value is recorded in the cell's history too.
pub fn resolve(store: &mut Store, key: &CellKey, choice: Choice) -> Result<(), MergeError> {
    let conflict = conflicts(store)?
        .into_iter()
        .find(|c| c.key == *key)
        .ok_or_else(|| {
            MergeError::Refused(format!(
                "実施内容 ID {} の {} に未解決の競合はありません",
                key.measure_id,
                key.field.label()
            ))
        })?;
    let (how, value) = match choice {
        Choice::Coordinator => (Settlement::Coordinator, conflict.coordinator_value.clone()),
        Choice::Department => (Settlement::Department, conflict.department_value.clone()),
        Choice::Base => (Settlement::Base, conflict.base_value.clone()),
        Choice::Other(v) => (Settlement::Other, v),
    };
    let source = Source::Submission(format!(
        "{}（競合の解決: {}）",
        conflict.source,
        how.label()
    ));
    store.write(&Actor::Coordinator, &source, |w| {
        let years = w.fiscal_years()?;
        let value = edit::check(
            w,
            &years,
            &Actor::Coordinator,
            &CellEdit { key: *key, value },
        )?;
        if !w.put_cell(key, &value)? {
            w.note_kept_cell(key)?;
        }
        edit::check_year_notes(w, &[*key])?;
        w.settle_conflict(key, None, how, &value)?;
        w.put_seen_value(
            &conflict.department,
            &conflict.issue,
            key,
            &conflict.department_value,
        )?;
        Ok(())
    })
}
