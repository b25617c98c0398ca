//! Three-way merge of a department's changes into the report, per cell, against the base the
//! department started from. Used by submission files and by sheets returned from Excel.
//!
//! A cell changed only by the department is taken; a cell changed on both sides to different
//! values becomes a conflict that waits for the coordinator and is not applied; a cell the
//! department left as it was changes nothing. Each return is all or nothing.

use serde::Serialize;

use crate::edit::{self, CellEdit, EditError};
use crate::model::{period_label, Actor, CellKey, Field, Half, PeriodState, Source};
pub use crate::store::Conflict;
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

/// A department's return: a submission file or a sheet filled in Excel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub department: String,
    /// The reporting period it answers.
    pub year: i32,
    pub half: Half,
    pub cells: Vec<IncomingCell>,
    /// Recorded in the history of every cell it changes.
    pub source: Source,
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeOutcome {
    /// Cells written.
    pub applied: usize,
    /// Cells the department did not change, or changed to what the report already holds.
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
        let open = years.iter().find_map(|y| {
            y.halves
                .iter()
                .find(|h| h.state == PeriodState::Open)
                .map(|h| period_label(y.year, h.half))
        });
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
            let base = normalized(cell.key.field, &cell.base_value);
            if theirs == base || theirs == ours {
                // Untouched by the department, or already what the report holds.
                outcome.unchanged += 1;
                if theirs == ours {
                    w.clear_conflict(&cell.key, Some(&incoming.department))?;
                }
            } else if ours == base
                || ours_revision <= cell.base_revision
                || w.last_writer(&cell.key)?.as_deref() == Some(incoming.department.as_str())
            {
                // The coordinator did not touch it since the base, or the report holds this
                // department's own earlier return: the later return wins over its own.
                w.put_cell(&cell.key, &theirs)?;
                w.clear_conflict(&cell.key, Some(&incoming.department))?;
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
    };
    w.put_conflict(&conflict)
}

/// The conflicts waiting for the coordinator, in sheet order.
pub fn conflicts(store: &Store) -> Result<Vec<Conflict>, StoreError> {
    store.conflicts()
}

/// The coordinator's choice for a conflict: writes the chosen value and closes the conflict,
/// in one action.
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
    let value = match choice {
        Choice::Coordinator => conflict.coordinator_value.clone(),
        Choice::Department => conflict.department_value.clone(),
        Choice::Base => conflict.base_value.clone(),
        Choice::Other(v) => v,
    };
    let source = Source::Submission(format!("{}（競合の解決）", conflict.source));
    store.write(&Actor::Coordinator, &source, |w| {
        let years = w.fiscal_years()?;
        let value = edit::check(
            w,
            &years,
            &Actor::Coordinator,
            &CellEdit { key: *key, value },
        )?;
        w.put_cell(key, &value)?;
        edit::check_year_notes(w, &[*key])?;
        w.touch();
        w.clear_conflict(key, None)?;
        Ok(())
    })
}
