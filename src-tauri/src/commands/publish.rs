//! The report as the accessible web page for the city's website, written into a folder chosen in
//! the folder dialog (`shinchoku publish`).

use std::path::PathBuf;

use shinchoku_core::publish;
use shinchoku_core::report::Report;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;
use crate::view::PublishDone;

/// Writes index.html, its stylesheet and the two CSV files into `folder`.
#[tauri::command(async)]
pub fn publish_site(
    state: State<'_, AppState>,
    folder: PathBuf,
) -> Result<PublishDone, CommandError> {
    state.with_store(|store| {
        let summary = publish::publish(&Report::load(store)?, None, &folder)?;
        Ok(PublishDone::from(&summary))
    })
}
