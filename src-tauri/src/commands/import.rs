//! Reading a sheet in the original layout into the app: a preview first, then the import.

use std::path::PathBuf;

use serde::Serialize;
use shinchoku_core::import::{self, Applied};
use shinchoku_core::report::Report;
use tauri::State;

use crate::error::CommandError;
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
        Ok(match import::apply(store, &read, department.as_deref())? {
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
        })
    })
}
