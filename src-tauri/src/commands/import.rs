//! Reading a sheet in the original layout into the app: a preview first, then the import.

use std::path::PathBuf;

use serde::Serialize;
use shinchoku_core::import;
use shinchoku_core::report::Report;
use tauri::State;

use crate::error::{CommandError, IMPORT_DEPARTMENT_FIELD};
use crate::state::AppState;
use crate::view::{ImportPreviewView, MergeView};

/// What was read and, for an existing report, every cell that would change. Nothing is written.
#[tauri::command(async)]
pub fn import_preview(
    state: State<'_, AppState>,
    path: PathBuf,
    department: Option<String>,
) -> Result<ImportPreviewView, CommandError> {
    let read = import::read_file(&path)?;
    state.with_store(|store| {
        let report = Report::load(store)?;
        let existing = (!report.measures.is_empty()).then_some(&report);
        Ok(import::preview(existing, &read, department.as_deref()).into())
    })
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

/// Imports the sheet: as the new report into an empty database, or as `department`'s return.
#[tauri::command(async)]
pub fn import_apply(
    state: State<'_, AppState>,
    path: PathBuf,
    department: Option<String>,
) -> Result<ImportDone, CommandError> {
    let read = import::read_file(&path)?;
    state.with_store(|store| {
        let report = Report::load(store)?;
        if report.measures.is_empty() {
            let summary = import::import_new(store, &read)?;
            return Ok(ImportDone {
                created: true,
                measures: summary.measures,
                merged: None,
            });
        }
        let department = department.ok_or_else(|| CommandError {
            code: "import_department",
            message: "既存の報告に取り込むには、どの課の記入かを選んでください".into(),
            field: Some(IMPORT_DEPARTMENT_FIELD.into()),
        })?;
        let incoming = import::incoming(store, &report, &read, &department)?;
        let merged = import::merge_return(store, &incoming)?;
        Ok(ImportDone {
            created: false,
            measures: read.summary().measures,
            merged: Some(merged.into()),
        })
    })
}
