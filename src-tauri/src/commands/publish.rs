//! The report as the accessible web page for the city's website, written into a folder chosen in
//! the folder dialog (`shinchoku publish`).

use std::path::PathBuf;

use serde::Serialize;
use shinchoku_core::publish;
use shinchoku_core::report::Report;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishDone {
    /// The page written (`…/index.html`).
    pub page: String,
    pub measures: usize,
    /// 令和５年度・令和６年度
    pub years: String,
}

/// Writes index.html, its stylesheet and the CSV into `folder`.
#[tauri::command(async)]
pub fn publish_site(
    state: State<'_, AppState>,
    folder: PathBuf,
) -> Result<PublishDone, CommandError> {
    state.with_store(|store| {
        let summary = publish::publish(&Report::load(store)?, None, &folder)?;
        Ok(PublishDone {
            page: summary.page.display().to_string(),
            measures: summary.measures,
            years: summary.years_label(),
        })
    })
}
