//! A new mayor's term, the past terms' read-only copies, and the April reorganisation's split and
//! record: the coordinator's 管理.

use std::path::PathBuf;

use shinchoku_core::export::{self, ExportOptions};
use shinchoku_core::master;
use shinchoku_core::model::MeasureId;
use shinchoku_core::store::Store;
use shinchoku_core::term::{self, NewTerm};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;
use crate::view::{ArchivedTermView, OwnershipChangeView, TermStartedView};
use crate::view::{ExportDone, SplitPart};

/// Ends the report's term: its read-only copy goes to the terms folder and the report starts
/// again, empty, for the new pledges.
#[tauri::command(async)]
pub fn term_start(
    state: State<'_, AppState>,
    title: String,
    first_year: Option<i32>,
) -> Result<TermStartedView, CommandError> {
    state.with_store(|store| {
        let new = NewTerm {
            title: Some(title),
            first_year,
            archive: None,
        };
        Ok(term::start_new_term(store, &new)?.into())
    })
}

/// The past terms kept beside the report, oldest first.
#[tauri::command(async)]
pub fn terms_list(state: State<'_, AppState>) -> Result<Vec<ArchivedTermView>, CommandError> {
    Ok(term::list(&state.db_path)?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Exports a past term's report (one listed by `terms_list`) to `path`, as the sheet.
#[tauri::command(async)]
pub fn term_export(
    state: State<'_, AppState>,
    archive: PathBuf,
    path: PathBuf,
) -> Result<ExportDone, CommandError> {
    // Only a past term of this report: the path comes from the page, the list is ours.
    let listed = term::list(&state.db_path)?;
    if !listed.iter().any(|t| t.path == archive) {
        return Err(CommandError::internal("その過去の任期は見つかりません"));
    }
    let mut store = Store::open(&archive)?;
    let summary = export::export_sheet(&mut store, &ExportOptions::default(), &path)?;
    Ok(ExportDone::from(&summary))
}

/// Splits `department`: each part's measures go to its department (created when new); measures
/// not named stay.
#[tauri::command(async)]
pub fn department_split(
    state: State<'_, AppState>,
    department: String,
    parts: Vec<SplitPart>,
) -> Result<(), CommandError> {
    let parts: Vec<(String, Vec<MeasureId>)> =
        parts.into_iter().map(|p| (p.name, p.measures)).collect();
    state.with_store(|store| {
        master::split_department(store, &department, &parts)?;
        Ok(())
    })
}

/// Who owned what and when: every recorded reorganisation, oldest first.
#[tauri::command(async)]
pub fn ownership_history(
    state: State<'_, AppState>,
) -> Result<Vec<OwnershipChangeView>, CommandError> {
    state.with_store(|store| {
        Ok(store
            .reorganisations()?
            .iter()
            .map(OwnershipChangeView::from)
            .collect())
    })
}
