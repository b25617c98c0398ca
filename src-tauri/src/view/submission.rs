//! The departments' round trip as the coordinator sees it: the board, merged files, conflicts.

use serde::{Deserialize, Serialize};
use shinchoku_core::merge::{Choice, Conflict, MergeOutcome};
use shinchoku_core::report::Report;
use shinchoku_core::submission::{Board, DepartmentStatus, FileOutcome, PackageUpdate};
use shinchoku_core::wareki;

use super::cells::CellKeyInput;
use super::PeriodView;

/// The submission board of the open period, with the reminder mail for the missing ones.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardView {
    pub period: PeriodView,
    pub departments: Vec<DepartmentBoardView>,
    /// To paste into a mail; written by the core.
    pub reminder: String,
}

/// One department's line of the board. Times are as stored (local, `YYYY-MM-DDTHH:MM:SS`) with
/// a label beside them; what did not happen yet is `null` (a label "").
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentBoardView {
    pub department: String,
    pub measures: usize,
    /// The last request package issued for the period.
    pub issued_at: Option<String>,
    pub issued_at_label: String,
    pub issued_file: Option<String>,
    /// The last submission received for the period.
    pub received_at: Option<String>,
    pub received_at_label: String,
    pub received_file: Option<String>,
    pub approved_by: Option<String>,
    /// Cells applied by this department's submissions of the period.
    pub applied: usize,
    /// Conflicts of this department still waiting for the coordinator.
    pub conflicts: usize,
    /// Conflicts of this department settled (the last of each cell).
    pub settled: usize,
    /// No submission for the open period yet.
    pub missing: bool,
}

fn time_label(stored: Option<&str>) -> String {
    stored.map_or_else(String::new, wareki::datetime_label)
}

impl BoardView {
    pub fn new(board: Board, reminder: String) -> BoardView {
        let period = &board.period;
        BoardView {
            period: PeriodView::new(period.year, period.half, &period.deadline),
            departments: board
                .departments
                .into_iter()
                .map(DepartmentBoardView::from)
                .collect(),
            reminder,
        }
    }
}

impl From<DepartmentStatus> for DepartmentBoardView {
    fn from(d: DepartmentStatus) -> DepartmentBoardView {
        DepartmentBoardView {
            issued_at_label: time_label(d.issued_at.as_deref()),
            received_at_label: time_label(d.received_at.as_deref()),
            department: d.department,
            measures: d.measures,
            issued_at: d.issued_at,
            issued_file: d.issued_file,
            received_at: d.received_at,
            received_file: d.received_file,
            approved_by: d.approved_by,
            applied: d.applied,
            conflicts: d.conflicts,
            settled: d.settled,
            missing: d.missing,
        }
    }
}

/// What a merge did, counted.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeView {
    /// Cells written.
    pub applied: usize,
    /// Cells the department did not change, or changed to what the report already holds.
    pub unchanged: usize,
    /// Cells changed on both sides, waiting in `conflicts_list`.
    pub conflicts: usize,
}

impl From<MergeOutcome> for MergeView {
    fn from(outcome: MergeOutcome) -> MergeView {
        MergeView {
            applied: outcome.applied,
            unchanged: outcome.unchanged,
            conflicts: outcome.conflicts.len(),
        }
    }
}

/// What happened to one submission file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileOutcomeView {
    pub file: String,
    /// "" when the file could not be read at all.
    pub department: String,
    /// Present when merged.
    pub merged: Option<MergeView>,
    /// The same file was merged before: nothing was done.
    pub already_merged: bool,
    /// Why it was refused (nothing of it was applied).
    pub refused: Option<String>,
}

impl From<FileOutcome> for FileOutcomeView {
    fn from(outcome: FileOutcome) -> FileOutcomeView {
        FileOutcomeView {
            file: outcome.file,
            department: outcome.department,
            merged: outcome.merged.map(MergeView::from),
            already_merged: outcome.already_merged,
            refused: outcome.refused,
        }
    }
}

/// A conflict waiting for the coordinator, the three values side by side.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictView {
    /// What `conflict_resolve` takes back.
    pub key: CellKeyInput,
    /// No.3 企画課 令和６年度 下半期 進捗状況
    pub label: String,
    pub department: String,
    pub base_value: String,
    pub coordinator_value: String,
    pub department_value: String,
    /// Where the department's value came from (file name).
    pub source: String,
    /// 2026年11月29日 10:05
    pub received_at_label: String,
}

impl ConflictView {
    pub fn new(report: &Report, conflict: Conflict) -> ConflictView {
        ConflictView {
            key: conflict.key.into(),
            label: report.cell_name(&conflict.key),
            received_at_label: wareki::datetime_label(&conflict.received_at),
            department: conflict.department,
            base_value: conflict.base_value,
            coordinator_value: conflict.coordinator_value,
            department_value: conflict.department_value,
            source: conflict.source,
        }
    }
}

/// What taking the next package into a department database did.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageUpdateView {
    pub department: String,
    /// 令和６年度 上半期 → 令和６年度 下半期
    pub previous_period: String,
    pub period: String,
    /// The package was taken before: nothing was done.
    pub already: bool,
    pub measures: usize,
    pub added_measures: usize,
    pub removed_measures: usize,
    /// Cells the coordinator's values replaced, named as the sheet names them.
    pub replaced: Vec<String>,
    /// Unsent changes let go at the user's word (kept in the history and the backup).
    pub discarded: usize,
}

impl PackageUpdateView {
    pub fn from_update(update: PackageUpdate) -> PackageUpdateView {
        PackageUpdateView {
            department: update.department,
            previous_period: update.previous_period,
            period: update.period,
            already: update.already,
            measures: update.measures,
            added_measures: update.added_measures,
            removed_measures: update.removed_measures,
            replaced: update.replaced,
            discarded: update.discarded.len(),
        }
    }
}

/// A package or submission the app was asked to open (a double-click on the file).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenedFileView {
    pub path: String,
    /// `package` or `submission` by its extension; `None` for another file, which the page
    /// names and leaves.
    pub kind: Option<shinchoku_core::submission::FileKind>,
}

impl OpenedFileView {
    pub fn new(file: &std::path::Path) -> OpenedFileView {
        OpenedFileView {
            kind: shinchoku_core::submission::FileKind::of_path(file),
            path: file.display().to_string(),
        }
    }
}

/// The coordinator's choice for a conflict, as the window sends it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChoiceInput {
    Coordinator,
    Department,
    Base,
}

impl From<ChoiceInput> for Choice {
    fn from(take: ChoiceInput) -> Choice {
        match take {
            ChoiceInput::Coordinator => Choice::Coordinator,
            ChoiceInput::Department => Choice::Department,
            ChoiceInput::Base => Choice::Base,
        }
    }
}
