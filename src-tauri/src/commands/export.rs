//! The consolidated report out of the app: the xlsx in the printed layout, or CSV open data.

use std::path::PathBuf;

use serde::Serialize;
use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::report::Report;
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
        let options = ExportOptions::default();
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let summary = if is_csv {
            export::export_csv(&Report::load(store)?, &options, &path)?
        } else {
            export::export_sheet(store, &options, &path)?
        };
        Ok(ExportDone::from(&summary))
    })
}
