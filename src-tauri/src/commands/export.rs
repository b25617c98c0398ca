//! The consolidated report out of the app: the xlsx in the printed layout, or CSV open data.

use std::path::PathBuf;

use shinchoku_core::export::{self, ExportOptions};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;
use crate::view::ExportDone;

/// Writes the report to `path` (chosen in the save dialog); CSV when it ends in .csv.
#[tauri::command(async)]
pub fn report_export(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<ExportDone, CommandError> {
    state.with_store(|store| {
        let format = export::Format::of_path(&path);
        let summary = export::write(store, &ExportOptions::default(), &path, format)?;
        Ok(ExportDone::from(&summary))
    })
}
