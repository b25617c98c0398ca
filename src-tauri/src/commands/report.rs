//! Opening the report: first start, and the data the report view draws.

use serde::Serialize;
use shinchoku_core::model::Source;
use shinchoku_core::report::Report;
use shinchoku_core::sample;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;
use crate::view::ReportView;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportStatus {
    pub db_path: String,
    /// False on first start: the UI offers the sample or an empty report.
    pub exists: bool,
}

#[tauri::command(async)]
pub fn report_status(state: State<'_, AppState>) -> ReportStatus {
    ReportStatus {
        db_path: state.db_path.display().to_string(),
        exists: state.db_path.exists(),
    }
}

/// First start: creates the database, with the built-in sample or empty.
#[tauri::command(async)]
pub fn report_create(state: State<'_, AppState>, with_sample: bool) -> Result<(), CommandError> {
    state.create(|store| {
        if with_sample && store.measures()?.is_empty() {
            sample::sample().load_into(store, &Source::Sample)?;
        }
        Ok(())
    })
}

#[tauri::command(async)]
pub fn report_view(state: State<'_, AppState>) -> Result<ReportView, CommandError> {
    state.with_store(|store| Ok(ReportView::from_report(&Report::load(store)?)))
}
