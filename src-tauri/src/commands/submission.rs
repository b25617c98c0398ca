//! The departments' round trip in the app: packages, submissions, merging, the board, conflicts.

use std::path::PathBuf;

use serde::Deserialize;
use shinchoku_core::merge::{self, Choice, Conflict};
use shinchoku_core::model::CellKey;
use shinchoku_core::submission::{self, Approval, Board, FileOutcome};
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Every department's request package, into a folder the coordinator chose.
#[tauri::command(async)]
pub fn packages_write(state: State<'_, AppState>, folder: PathBuf) -> Result<usize, CommandError> {
    state.with_store(|store| Ok(submission::write_all_packages(store, &folder)?.len()))
}

/// This department database's submission, approved by the 課長 named.
#[tauri::command(async)]
pub fn submission_write(
    state: State<'_, AppState>,
    path: PathBuf,
    approver: String,
    approved_on: String,
) -> Result<usize, CommandError> {
    let approval = (!approver.trim().is_empty()).then(|| Approval {
        name: approver.trim().to_string(),
        date: approved_on,
    });
    state.with_store(|store| {
        let written = submission::write_submission(store, &path, approval)?;
        Ok(written.changed_cells)
    })
}

/// Whether this database was started from a package (a department's), and for which department.
#[tauri::command(async)]
pub fn submission_department(state: State<'_, AppState>) -> Result<Option<String>, CommandError> {
    state.with_store(|store| Ok(submission::package_of(store).ok().map(|p| p.department)))
}

/// Merges submission files (each all or nothing) and tells what happened to each.
#[tauri::command(async)]
pub fn submissions_merge(
    state: State<'_, AppState>,
    paths: Vec<PathBuf>,
) -> Result<Vec<FileOutcome>, CommandError> {
    state.with_store(|store| Ok(submission::merge_files(store, &paths)?))
}

#[tauri::command(async)]
pub fn submission_board(state: State<'_, AppState>) -> Result<(Board, String), CommandError> {
    state.with_store(|store| {
        let board = submission::board(store)?;
        let reminder = submission::reminder_text(&board);
        Ok((board, reminder))
    })
}

#[tauri::command(async)]
pub fn conflicts_list(state: State<'_, AppState>) -> Result<Vec<Conflict>, CommandError> {
    state.with_store(|store| Ok(merge::conflicts(store)?))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChoiceInput {
    Coordinator,
    Department,
    Base,
}

#[tauri::command(async)]
pub fn conflict_resolve(
    state: State<'_, AppState>,
    key: CellKey,
    take: ChoiceInput,
) -> Result<(), CommandError> {
    let choice = match take {
        ChoiceInput::Coordinator => Choice::Coordinator,
        ChoiceInput::Department => Choice::Department,
        ChoiceInput::Base => Choice::Base,
    };
    state.with_store(|store| Ok(merge::resolve(store, &key, choice)?))
}
