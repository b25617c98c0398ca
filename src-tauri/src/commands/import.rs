//! Reading a sheet in the original layout into the app: a preview first, then the import.

use std::path::PathBuf;

use shinchoku_core::import;
use shinchoku_core::report::Report;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;
use crate::view::{ImportDone, ImportPreviewView};

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

/// Imports the sheet: as the new report into an empty database, or as `department`'s return.
#[tauri::command(async)]
pub fn import_apply(
    state: State<'_, AppState>,
    path: PathBuf,
    department: Option<String>,
) -> Result<ImportDone, CommandError> {
    let read = import::read_file(&path)?;
    state.with_store(|store| {
        let applied = import::apply(store, &read, department.as_deref())?;
        Ok(ImportDone::new(applied, &read))
    })
}
