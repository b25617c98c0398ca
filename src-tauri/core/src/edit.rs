//! The rules of editing a cell: the measure and year exist, the cell may be written by its
//! writer (the model's one rule, [`check_writable`]: the period is not closed, the department
//! owns the measure, it has not ended before the year), an indicator is one of ☆ ○ △ ×, a text
//! prints whole, a year holds a note or entries. Used by the app, `set`, and every path that writes cells on a user's behalf.

use serde::{Deserialize, Serialize};

use crate::indicator::{self, IndicatorError};
use crate::model::{
    cell_label, cell_place, check_writable, period_label, year_note_clash, Actor, CellKey, Field,
    FiscalYear, Locked, Source,
};
use crate::print::{self, PrintOverflow};
use crate::report::Report;
use crate::store::{Store, StoreError, Write};
use crate::wareki::fiscal_year_label;

/// One cell to write, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellEdit {
    pub key: CellKey,
    pub value: String,
}

/// Why an edit was refused. Nothing of the action is written when one is.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// No measure has that id.
    #[error("実施内容 ID {0} はありません")]
    UnknownMeasure(i64),
    /// The report has no such fiscal year.
    #[error("{year} 年度（{label}）はこの報告にありません", label = fiscal_year_label(*year))]
    UnknownYear { year: i32 },
    /// The period is closed (locked); the coordinator must reopen it first.
    #[error("{period} は締め切られています。取りまとめ担当が再開するまで編集できません")]
    PeriodClosed { period: String, key: CellKey },
    /// A department wrote to a measure it does not own. `place` names the cell as the sheet
    /// does (No.3 企画課 令和６年度 下半期 進捗状況), here and below: never an internal id.
    #[error("{place} は {owner} の担当です（{department} は編集できません）")]
    NotOwner {
        place: String,
        owner: String,
        department: String,
    },
    /// An entry written in a year after the last one of a measure that ended (a department
    /// writes nothing there, the coordinator only the year's note: [`check_writable`]).
    #[error("{place} は書けません（この実施内容は {} で終了しています）", fiscal_year_label(*last_year))]
    Ended {
        key: CellKey,
        place: String,
        last_year: i32,
    },
    /// An indicator cell got something that is not ☆ ○ △ ×.
    #[error("{place}: {source}")]
    BadIndicator {
        key: CellKey,
        place: String,
        #[source]
        source: IndicatorError,
    },
    /// A text longer than its cell prints: Excel cannot make a row taller than 409 pt.
    #[error("{place}: {overflow}")]
    TooLong {
        key: CellKey,
        place: String,
        overflow: PrintOverflow,
    },
    /// A year note written into a year that has entries: the note prints across the year's
    /// whole block instead of them ([`year_note_clash`]).
    #[error("{place}: この年度には{}などの記入があるため、備考は書けません（備考は年度の欄全体に印刷され、記入が隠れてしまいます）。備考にするなら、先にこの年度の記入を消してください", entry.name())]
    NoteOverEntries {
        key: CellKey,
        place: String,
        entry: Field,
    },
    /// An entry written into a year that has a note ([`year_note_clash`]).
    #[error("{place}: この年度には備考「{note}」があるため書けません（備考は年度の欄全体に印刷され、記入は印刷されません）。記入するなら、先に備考を消してください")]
    EntryUnderNote {
        key: CellKey,
        place: String,
        note: String,
    },
    /// The history has no such entry (it was made in another database).
    #[error("履歴 {0} はありません")]
    UnknownChange(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl EditError {
    /// The cell the UI should highlight.
    pub fn key(&self) -> Option<CellKey> {
        match self {
            EditError::PeriodClosed { key, .. }
            | EditError::Ended { key, .. }
            | EditError::BadIndicator { key, .. }
            | EditError::TooLong { key, .. }
            | EditError::NoteOverEntries { key, .. }
            | EditError::EntryUnderNote { key, .. } => Some(*key),
            _ => None,
        }
    }
}

/// A cell named as the sheet's rows name it, for a refusal (looked up only then).
fn place(w: &Write<'_>, key: CellKey) -> Result<String, StoreError> {
    let Some(measure) = w.measure(key.measure_id)? else {
        return Ok(cell_label(key.year, key.field));
    };
    let no = w
        .pledges()?
        .into_iter()
        .find(|p| p.id == measure.pledge_id)
        .map_or(0, |p| p.number);
    let department = w
        .department_name(measure.department_id)?
        .unwrap_or_default();
    Ok(cell_place(no, &department, key.year, key.field))
}

/// The refusal of a cell that [`check_writable`] locks, in the user's words; `place` names the
/// cell as the sheet does.
fn refusal(
    lock: Locked,
    key: CellKey,
    year: &FiscalYear,
    owner: String,
    actor: &Actor,
    place: String,
) -> EditError {
    match lock {
        Locked::Closed => EditError::PeriodClosed {
            period: match key.field.half() {
                Some(half) => period_label(key.year, half),
                None => year.label(),
            },
            key,
        },
        Locked::NotOwner => EditError::NotOwner {
            place,
            owner,
            department: actor.label(),
        },
        Locked::Ended { last_year } => EditError::Ended {
            key,
            place,
            last_year,
        },
    }
}

/// Why `actor` may not write the cell `key` of `report`, as the edit would refuse it; `None`
/// when it may (or the report has no such cell). The window says it where a read-only cell is.
pub fn why_not_writable(report: &Report, actor: &Actor, key: CellKey) -> Option<EditError> {
    let measure = report.measure(key.measure_id)?;
    let year = report.year(key.year)?;
    let owner = report.department_name(measure.department_id).to_string();
    let lock = check_writable(actor.role(), &owner, measure.last_year, year, key.field).err()?;
    Some(refusal(
        lock,
        key,
        year,
        owner,
        actor,
        report.cell_name(&key),
    ))
}

/// Checks an edit against the rules and returns the value to store (indicators normalised).
pub fn check(
    w: &Write<'_>,
    years: &[FiscalYear],
    actor: &Actor,
    edit: &CellEdit,
) -> Result<String, EditError> {
    let key = edit.key;
    let measure = w
        .measure(key.measure_id)?
        .ok_or(EditError::UnknownMeasure(key.measure_id))?;
    let year = years
        .iter()
        .find(|y| y.year == key.year)
        .ok_or(EditError::UnknownYear { year: key.year })?;
    let owner = w
        .department_name(measure.department_id)?
        .unwrap_or_default();
    if let Err(lock) = check_writable(actor.role(), &owner, measure.last_year, year, key.field) {
        return Err(refusal(lock, key, year, owner, actor, place(w, key)?));
    }
    if key.field.is_indicator() {
        match indicator::normalize(&edit.value) {
            Ok(glyph) => Ok(glyph),
            Err(source) => Err(EditError::BadIndicator {
                key,
                place: place(w, key)?,
                source,
            }),
        }
    } else {
        // A text that would not print whole in its cell (typed, merged or imported alike).
        match print::check_print(key.field, &edit.value) {
            Ok(()) => Ok(edit.value.clone()),
            Err(overflow) => Err(EditError::TooLong {
                key,
                place: place(w, key)?,
                overflow,
            }),
        }
    }
}

/// Checks the years an action wrote against [`year_note_clash`], once its cells are written,
/// so that one action may clear a year's entries and write its note in either order. The
/// refusal names the cell of the action that made the clash: the note when it wrote one,
/// else the first entry it wrote into the noted year.
pub fn check_year_notes(w: &Write<'_>, written: &[CellKey]) -> Result<(), EditError> {
    let mut seen = std::collections::BTreeSet::new();
    for key in written {
        if !seen.insert((key.measure_id, key.year)) {
            continue;
        }
        let mut cells = Vec::new();
        for field in Field::ALL {
            let cell = CellKey { field, ..*key };
            cells.push((field, w.cell(&cell)?.map(|c| c.value).unwrap_or_default()));
        }
        let Some(clash) = year_note_clash(cells.iter().map(|(f, v)| (*f, v.as_str()))) else {
            continue;
        };
        let in_year = |k: &&CellKey| k.measure_id == key.measure_id && k.year == key.year;
        let note_written = written
            .iter()
            .filter(in_year)
            .find(|k| k.field == Field::YearNote);
        return Err(match note_written {
            Some(&note) => EditError::NoteOverEntries {
                key: note,
                place: place(w, note)?,
                entry: clash.entry,
            },
            None => {
                let entry = *written.iter().find(in_year).unwrap_or(key);
                EditError::EntryUnderNote {
                    key: entry,
                    place: place(w, entry)?,
                    note: clash.note,
                }
            }
        });
    }
    Ok(())
}

/// Applies edits as one action: all are checked, then all are written, or none.
/// Returns how many cells changed.
pub fn apply(
    store: &mut Store,
    actor: &Actor,
    source: &Source,
    edits: &[CellEdit],
) -> Result<usize, EditError> {
    store.write(actor, source, |w| {
        let years = w.fiscal_years()?;
        let mut changed = 0;
        for edit in edits {
            let value = check(w, &years, actor, edit)?;
            changed += usize::from(w.put_cell(&edit.key, &value)?);
        }
        let written: Vec<CellKey> = edits.iter().map(|e| e.key).collect();
        check_year_notes(w, &written)?;
        Ok(changed)
    })
}

/// Puts a cell back to the value it had before change `change_id` (from its history), as one
/// action under the same rules as an edit.
pub fn restore(store: &mut Store, actor: &Actor, change_id: i64) -> Result<usize, EditError> {
    let change = store
        .change(change_id)?
        .ok_or(EditError::UnknownChange(change_id))?;
    apply(
        store,
        actor,
        &Source::Restore,
        &[CellEdit {
            key: change.key,
            value: change.old_value,
        }],
    )
}
