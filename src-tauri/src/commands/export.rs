//! The consolidated report out of the app: the xlsx in the printed layout, or CSV open data.

use std::path::PathBuf;

use serde::Serialize;
use shinchoku_core::export::{self, ExportOptions};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportDone {
    pub path: String,
    pub measures: usize,
    /// 令和５年度・令和６年度
    pub years: String,
    pub pages: usize,
}

impl From<&export::ExportSummary> for ExportDone {
    fn from(summary: &export::ExportSummary) -> Self {
        ExportDone {
            path: summary.path.display().to_string(),
            measures: summary.measures,
            years: summary.years_label(),
            pages: summary.pages,
        }
    }
}

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
