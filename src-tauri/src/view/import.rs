//! An imported sheet's preview: what was read, and every cell the import would change.

use super::submission::MergeView;
use serde::Serialize;
use shinchoku_core::import::{
    Applied, CellChange, ImportPreview, ReadSummary, SheetRead, YearSummary,
};
use shinchoku_core::model::{cell_label, Field, MeasureId};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewView {
    pub summary: ReadSummaryView,
    /// The database has no report yet: the import would create it.
    pub creates_report: bool,
    /// Cells that would change in an existing report (old → new), in sheet order.
    pub changes: Vec<ImportChangeView>,
    /// Blocks the report does not have ("No.12 道路課「…」（重点政策 25 行）").
    pub unmatched: Vec<String>,
    /// Blocks of other departments, left alone in a department's return.
    pub other_departments: usize,
    /// Cells not taken, each with why: changed outside the department's input cells ("No.3
    /// 企画課 令和６年度 上半期 進捗状況（重点政策 12 行）は入力欄ではないため取り込みません"), or
    /// holding a formula ("重点政策!L9「=1/0」（…）は数式のため取り込みません").
    pub refused: Vec<String>,
}

/// What the sheet holds, counted.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadSummaryView {
    pub file_name: String,
    pub sheet: String,
    pub pledges: usize,
    pub measures: usize,
    pub departments: usize,
    /// The sheet carries the hidden `_shinchoku` sheet (period, base values).
    pub has_metadata: bool,
    pub years: Vec<YearSummaryView>,
}

/// Filled cells of one fiscal year of the sheet.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YearSummaryView {
    pub year: i32,
    /// 令和６年度
    pub label: String,
    /// 年度目標, its indicator and year notes.
    pub year_cells: usize,
    pub h1_cells: usize,
    pub h2_cells: usize,
}

/// One cell the import would change.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportChangeView {
    /// The block's first row on the sheet, 1-based.
    pub row: u32,
    pub measure_id: MeasureId,
    pub no: u32,
    pub department: String,
    /// The measure's 実施内容.
    pub content: String,
    pub year: i32,
    /// The field's code (`h2_status`).
    pub field: Field,
    /// 令和６年度 下半期 進捗状況
    pub label: String,
    pub old: String,
    pub new: String,
}

impl From<ImportPreview> for ImportPreviewView {
    fn from(preview: ImportPreview) -> ImportPreviewView {
        ImportPreviewView {
            summary: preview.summary.into(),
            creates_report: preview.creates_report,
            changes: preview.changes.into_iter().map(Into::into).collect(),
            unmatched: preview.unmatched,
            other_departments: preview.other_departments,
            refused: preview.refused,
        }
    }
}

impl From<ReadSummary> for ReadSummaryView {
    fn from(summary: ReadSummary) -> ReadSummaryView {
        ReadSummaryView {
            file_name: summary.file_name,
            sheet: summary.sheet,
            pledges: summary.pledges,
            measures: summary.measures,
            departments: summary.departments,
            has_metadata: summary.has_metadata,
            years: summary.years.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<YearSummary> for YearSummaryView {
    fn from(year: YearSummary) -> YearSummaryView {
        YearSummaryView {
            year: year.year,
            label: year.label,
            year_cells: year.year_cells,
            h1_cells: year.h1_cells,
            h2_cells: year.h2_cells,
        }
    }
}

impl From<CellChange> for ImportChangeView {
    fn from(change: CellChange) -> ImportChangeView {
        ImportChangeView {
            row: change.row,
            measure_id: change.measure_id,
            no: change.no,
            // The app names cells as the history and the conflicts do, not as the CLI prints.
            label: cell_label(change.year, change.field),
            department: change.department,
            content: change.content,
            year: change.year,
            field: change.field,
            old: change.old,
            new: change.new,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportDone {
    /// The sheet became the report (an empty database).
    pub created: bool,
    pub measures: usize,
    /// A department's return: what the merge did.
    pub merged: Option<MergeView>,
}

impl ImportDone {
    pub fn new(applied: Applied, read: &SheetRead) -> ImportDone {
        match applied {
            Applied::Created(summary) => ImportDone {
                created: true,
                measures: summary.measures,
                merged: None,
            },
            Applied::Merged(merged) => ImportDone {
                created: false,
                measures: read.summary().measures,
                merged: Some(merged.into()),
            },
        }
    }
}
